"""A heartbeat that ends with the call, however it ends: it runs in the
call's own nursery, so a cancel of the call reaches it too."""

import trio


async def _heartbeat() -> None:
    while True:  # noqa: ASYNC110 (a heartbeat beats)
        await trio.sleep(0.01)


async def upload_chunks() -> int:
    sent = 0
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_heartbeat)
        for _ in range(3):
            await trio.lowlevel.checkpoint()
            sent += 1
        nursery.cancel_scope.cancel()
    return sent
