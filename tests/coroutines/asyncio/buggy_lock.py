"""Releases its module-level lock on success only: a cancel leaves it held,
and the next call waits for it forever.

expect: then, run again
expect: cancelled at step 1, in bump_counter() line 17
expect: it did not finish within 2.5 s, in bump_counter() line 15
"""

import asyncio

LOCK = asyncio.Lock()


async def bump_counter() -> None:
    await LOCK.acquire()
    for _ in range(3):
        await asyncio.sleep(0)
    LOCK.release()
