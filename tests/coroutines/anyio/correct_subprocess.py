"""Kills its child process however it ends, and waits for it to exit in a
shielded scope (killed, it exits at once)."""

from subprocess import DEVNULL

import anyio


async def watch_logs() -> int:
    quiet = {"stdin": DEVNULL, "stdout": DEVNULL, "stderr": DEVNULL}
    process = await anyio.open_process(["sleep", "30"], **quiet)
    try:
        lines = 0
        for _ in range(2):
            await anyio.lowlevel.checkpoint()
            lines += 1
        return lines
    finally:
        process.kill()
        with anyio.CancelScope(shield=True):
            await process.wait()
