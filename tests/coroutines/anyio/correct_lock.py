"""Holds a module-level lock with ``async with``: released however it ends."""

import anyio
import sniffio

# The module's lock: one per AnyIO backend, since this corpus runs on both in
# one process (an application runs on one, and has one).
LOCKS: dict[str, anyio.Lock] = {}


async def bump_counter() -> None:
    lock = LOCKS.setdefault(sniffio.current_async_library(), anyio.Lock())
    async with lock:
        for _ in range(3):
            await anyio.lowlevel.checkpoint()
