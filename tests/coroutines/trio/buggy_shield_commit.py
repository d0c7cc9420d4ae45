"""Trio's version of ``await asyncio.shield(commit())``: the commit runs as a
system task a cancel cannot reach, and the call does not wait for it on a
cancel, so the commit runs on, unobserved.

expect: tasks still running
expect: commit
expect: in save_order() line 27
"""

import trio


async def _commit() -> None:
    for _ in range(3):
        await trio.lowlevel.checkpoint()


async def save_order() -> None:
    await trio.lowlevel.checkpoint()  # validate
    done = trio.Event()

    async def commit() -> None:
        await _commit()
        done.set()

    trio.lowlevel.spawn_system_task(commit)
    await done.wait()
