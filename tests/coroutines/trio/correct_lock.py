"""Holds a module-level lock with ``async with``: released however it ends."""

import trio

LOCK = trio.Lock()


async def bump_counter() -> None:
    async with LOCK:
        for _ in range(3):
            await trio.lowlevel.checkpoint()
