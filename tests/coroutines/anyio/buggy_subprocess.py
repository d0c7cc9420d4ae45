"""Kills its child process on the happy path only: a cancel leaves it running.

expect: left a child process running: sleep 30
"""

from subprocess import DEVNULL

import anyio


async def watch_logs() -> int:
    quiet = {"stdin": DEVNULL, "stdout": DEVNULL, "stderr": DEVNULL}
    process = await anyio.open_process(["sleep", "30"], **quiet)
    lines = 0
    for _ in range(2):
        await anyio.lowlevel.checkpoint()
        lines += 1
    process.kill()
    await process.wait()
    return lines
