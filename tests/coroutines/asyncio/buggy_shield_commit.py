"""The popular advice: ``await asyncio.shield(commit())``. A cancel lets the
caller go on at once while the commit runs on, unobserved: its end, and any
error it raises, are nobody's.

expect: tasks still running
expect: _commit
expect: cancelled at step 2, in save_order() line 20
"""

import asyncio


async def _commit() -> None:
    for _ in range(3):
        await asyncio.sleep(0)


async def save_order() -> None:
    await asyncio.sleep(0)  # validate
    await asyncio.shield(_commit())
