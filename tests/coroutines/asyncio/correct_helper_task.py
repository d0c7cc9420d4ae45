"""A heartbeat task that ends with the call, however it ends: a TaskGroup
waits for it, even through a second cancel."""

import asyncio


async def _heartbeat() -> None:
    while True:  # noqa: ASYNC110 (a heartbeat beats)
        await asyncio.sleep(0.01)


async def upload_chunks() -> int:
    sent = 0
    async with asyncio.TaskGroup() as group:
        beat = group.create_task(_heartbeat())
        try:
            for _ in range(3):
                await asyncio.sleep(0)
                sent += 1
        finally:
            beat.cancel()
    return sent
