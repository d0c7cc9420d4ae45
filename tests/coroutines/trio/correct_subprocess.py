"""Runs its child process in a nursery with trio.run_process, which kills it
(and waits for it) when the call is cancelled."""

from functools import partial

import trio


async def watch_logs() -> int:
    lines = 0
    async with trio.open_nursery() as nursery:
        process = await nursery.start(
            partial(trio.run_process, ["sleep", "30"], check=False)
        )
        for _ in range(2):
            await trio.lowlevel.checkpoint()
            lines += 1
        process.kill()
    return lines
