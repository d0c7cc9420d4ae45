"""Logs a cancel and lets it through.

The swallow bug's fix: re-raise after logging.
"""

import asyncio
import logging

log = logging.getLogger(__name__)


async def poll_feed() -> int:
    seen = 0
    try:
        for _ in range(4):
            await asyncio.sleep(0)
            seen += 1
    except asyncio.CancelledError:
        log.info("poll cancelled after %d items", seen)
        raise
    return seen
