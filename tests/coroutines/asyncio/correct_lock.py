"""Holds a module-level lock with ``async with``: released however it ends."""

import asyncio

LOCK = asyncio.Lock()


async def bump_counter() -> None:
    async with LOCK:
        for _ in range(3):
            await asyncio.sleep(0)
