"""Logs a cancel and lets it through.

The swallow bug's fix: re-raise after logging.
"""

import logging

import anyio

log = logging.getLogger(__name__)


async def poll_feed() -> int:
    seen = 0
    try:
        for _ in range(4):
            await anyio.lowlevel.checkpoint()
            seen += 1
    except anyio.get_cancelled_exc_class():
        log.info("poll cancelled after %d items", seen)
        raise
    return seen
