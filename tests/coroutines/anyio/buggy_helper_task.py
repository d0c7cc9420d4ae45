"""Shields its heartbeat so a cancel cannot cut a beat short, and tells it to
stop on the happy path only: cancelled, the call waits until the heartbeat's
own bound (3 s) runs out.

expect: did not finish within
expect: in upload_chunks()
"""

import anyio


async def _heartbeat(stop: anyio.Event) -> None:
    with anyio.CancelScope(shield=True) as scope:
        scope.deadline = anyio.current_time() + 3
        while not stop.is_set():  # noqa: ASYNC110 (a heartbeat beats)
            await anyio.sleep(0.01)


async def upload_chunks() -> int:
    sent = 0
    stop = anyio.Event()
    async with anyio.create_task_group() as group:
        group.start_soon(_heartbeat, stop)
        for _ in range(3):
            await anyio.lowlevel.checkpoint()
            sent += 1
        stop.set()
    return sent
