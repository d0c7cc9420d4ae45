"""Swallows a cancel: logs it and returns, so the caller never learns.

expect: never reached the caller
expect: cancelled at step 1, in poll_feed() line 17
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
    return seen
