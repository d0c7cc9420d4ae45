"""Awaits in its finally before closing its file: once the call is cancelled
that await raises at once, the close never runs, and the file leaks.

expect: ResourceWarning: unclosed file
"""

import os

import anyio


async def _flush() -> None:
    await anyio.lowlevel.checkpoint()


async def export_rows() -> int:
    out = open(os.devnull, "w")  # noqa: ASYNC230, SIM115 (a cheap stand-in)
    try:
        for row in range(3):
            await anyio.lowlevel.checkpoint()
            out.write(f"{row}\n")
        return 3
    finally:
        await _flush()
        out.close()
