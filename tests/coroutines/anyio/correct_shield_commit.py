"""Commits in a worker thread and waits for it: a cancel is held until the
commit has ended, then reaches the caller."""

import time

import anyio


def _commit() -> None:
    time.sleep(0.02)  # the database driver blocks


async def save_order() -> None:
    await anyio.lowlevel.checkpoint()  # validate
    await anyio.to_thread.run_sync(_commit)
    # A cancel held while the thread ran is raised here, before returning.
    await anyio.lowlevel.checkpoint()
