"""Kills its child process on the happy path only: a cancel leaves it running.

expect: left a child process running: sleep 30
"""

import asyncio


async def watch_logs() -> int:
    process = await asyncio.create_subprocess_exec("sleep", "30")
    lines = 0
    for _ in range(2):
        await asyncio.sleep(0)
        lines += 1
    process.kill()
    await process.wait()
    return lines
