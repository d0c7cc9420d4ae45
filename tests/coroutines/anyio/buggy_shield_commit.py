"""AnyIO's version of ``await asyncio.shield(commit())``: the commit runs in a
worker thread with abandon_on_cancel=True, so a cancel lets the caller go on
at once while the commit runs on, unobserved.

expect: left a thread running its code: _commit() line 15
expect: in save_order() line 20
"""

import time

import anyio


def _commit() -> None:
    time.sleep(0.02)  # the database driver blocks


async def save_order() -> None:
    await anyio.lowlevel.checkpoint()  # validate
    await anyio.to_thread.run_sync(_commit, abandon_on_cancel=True)
