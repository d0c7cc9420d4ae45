"""Kills its child process on the happy path only: a cancel leaves it running.

expect: left a child process running: sleep 30
"""

import trio


async def watch_logs() -> int:
    process = await trio.lowlevel.open_process(["sleep", "30"])
    lines = 0
    for _ in range(2):
        await trio.lowlevel.checkpoint()
        lines += 1
    process.kill()
    await process.wait()
    return lines
