"""Commits in a shielded scope: a cancel waits for the commit to end, then
reaches the caller."""

import trio


async def _commit() -> None:
    for _ in range(3):
        await trio.lowlevel.checkpoint()


async def save_order() -> None:
    await trio.lowlevel.checkpoint()  # validate
    with trio.CancelScope(shield=True):
        await _commit()
    await trio.lowlevel.checkpoint()
