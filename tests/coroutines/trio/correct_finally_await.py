"""Flushes in its finally within a shielded, bounded scope, then closes its
file: the close always runs."""

import os

import trio


async def _flush() -> None:
    await trio.lowlevel.checkpoint()


async def export_rows() -> int:
    out = open(os.devnull, "w")  # noqa: ASYNC230, SIM115 (a cheap stand-in)
    try:
        for row in range(3):
            await trio.lowlevel.checkpoint()
            out.write(f"{row}\n")
        return 3
    finally:
        try:
            with trio.move_on_after(1, shield=True):
                await _flush()
        finally:
            out.close()
