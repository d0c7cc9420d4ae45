"""Closes its file whatever the flush in its finally does: the close is in a
finally of its own."""

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
        try:
            await _flush()
        finally:
            out.close()
