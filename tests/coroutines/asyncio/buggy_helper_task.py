"""Cancels its heartbeat task on the happy path only: a cancel leaves it running.

expect: tasks still running
expect: _heartbeat
"""

import asyncio


async def _heartbeat() -> None:
    while True:  # noqa: ASYNC110 (a heartbeat beats)
        await asyncio.sleep(0.01)


async def upload_chunks() -> int:
    sent = 0
    beat = asyncio.create_task(_heartbeat())
    for _ in range(3):
        await asyncio.sleep(0)
        sent += 1
    beat.cancel()
    await asyncio.wait([beat])
    return sent
