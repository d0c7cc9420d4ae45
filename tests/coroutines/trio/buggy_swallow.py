"""Swallows a cancel: logs it and returns, so the caller never learns.

expect: never reached the caller
expect: in poll_feed() line 18
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
        return seen
    return seen
