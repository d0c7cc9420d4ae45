"""Starts its heartbeat as a system task, outside the call's nursery, and
stops it on the happy path only: a cancel leaves it running.

expect: tasks still running
expect: heartbeat
"""

import trio


async def upload_chunks() -> int:
    sent = 0
    scope = trio.CancelScope()
    stopped = trio.Event()

    async def heartbeat() -> None:
        try:
            with scope:
                while True:  # noqa: ASYNC110 (a heartbeat beats)
                    await trio.sleep(0.01)
        finally:
            stopped.set()

    trio.lowlevel.spawn_system_task(heartbeat)
    for _ in range(3):
        await trio.lowlevel.checkpoint()
        sent += 1
    scope.cancel()
    await stopped.wait()
    return sent
