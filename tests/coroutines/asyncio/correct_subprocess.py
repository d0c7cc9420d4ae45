"""Kills its child process however it ends, and waits for it to exit."""

import asyncio


async def _reap(process: asyncio.subprocess.Process) -> None:
    process.kill()
    cancelled: asyncio.CancelledError | None = None
    while process.returncode is None:
        try:
            await process.wait()
        except asyncio.CancelledError as error:
            cancelled = error  # killed: the wait is short, finish it
    if cancelled is not None:
        raise cancelled


async def watch_logs() -> int:
    process = await asyncio.create_subprocess_exec("sleep", "30")
    try:
        lines = 0
        for _ in range(2):
            await asyncio.sleep(0)
            lines += 1
        return lines
    finally:
        await _reap(process)
