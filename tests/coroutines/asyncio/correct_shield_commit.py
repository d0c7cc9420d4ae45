"""Shields its commit and holds the task: on a cancel it waits for the commit
to end (through more cancels), then lets the cancel through."""

import asyncio


async def _commit() -> None:
    for _ in range(3):
        await asyncio.sleep(0)


async def save_order() -> None:
    await asyncio.sleep(0)  # validate
    commit = asyncio.create_task(_commit())
    try:
        await asyncio.shield(commit)
    except asyncio.CancelledError:
        while not commit.done():
            try:
                await asyncio.wait([commit])
            except asyncio.CancelledError:
                continue
        raise
