"""Awaits in its finally before closing its file: a cancel that lands on that
await (the first, or a second one on the way out) skips the close, so the
file leaks.

expect: ResourceWarning: unclosed file
expect: in export_rows() line 25 > _flush() line 14
"""

import asyncio
import os


async def _flush() -> None:
    await asyncio.sleep(0)


async def export_rows() -> int:
    out = open(os.devnull, "w")  # noqa: ASYNC230, SIM115 (a cheap stand-in)
    try:
        for row in range(3):
            await asyncio.sleep(0)
            out.write(f"{row}\n")
        return 3
    finally:
        await _flush()
        out.close()
