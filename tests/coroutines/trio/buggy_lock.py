"""Releases its module-level lock on success only: a cancel leaves it held,
and the next call fails to take it.

expect: then, run again
expect: cancelled at step 1, in bump_counter() line 14
"""

import trio

LOCK = trio.Lock()


async def bump_counter() -> None:
    await LOCK.acquire()
    for _ in range(3):
        await trio.lowlevel.checkpoint()
    LOCK.release()
