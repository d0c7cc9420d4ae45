"""Releases its module-level lock on success only: a cancel leaves it held,
and the next call cannot take it.

expect: then, run again
expect: cancelled at step 1, in bump_counter() line 18
"""

import anyio
import sniffio

# The module's lock: one per AnyIO backend, since this corpus runs on both in
# one process (an application runs on one, and has one).
LOCKS: dict[str, anyio.Lock] = {}


async def bump_counter() -> None:
    lock = LOCKS.setdefault(sniffio.current_async_library(), anyio.Lock())
    await lock.acquire()
    for _ in range(3):
        await anyio.lowlevel.checkpoint()
    lock.release()
