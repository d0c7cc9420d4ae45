"""Swallows a cancel: logs it and returns, so the caller never learns.

expect: never reached the caller
expect: in poll_feed() line 18
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
        return seen
    return seen
