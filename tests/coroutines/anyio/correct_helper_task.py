"""A heartbeat that ends with the call, however it ends: it runs in the
call's own task group, unshielded, so a cancel of the call reaches it too."""

import anyio


async def _heartbeat() -> None:
    while True:  # noqa: ASYNC110 (a heartbeat beats)
        await anyio.sleep(0.01)


async def upload_chunks() -> int:
    sent = 0
    async with anyio.create_task_group() as group:
        group.start_soon(_heartbeat)
        for _ in range(3):
            await anyio.lowlevel.checkpoint()
            sent += 1
        group.cancel_scope.cancel()
    return sent
