"""Logs a cancel and lets it through.

The swallow bug's fix: re-raise after logging.
"""

import logging

import trio

log = logging.getLogger(__name__)


async def poll_feed() -> int:
    seen = 0
    try:
        for _ in range(4):
            await trio.lowlevel.checkpoint()
            seen += 1
    except trio.Cancelled:
        log.info("poll cancelled after %d items", seen)
        raise
    return seen
