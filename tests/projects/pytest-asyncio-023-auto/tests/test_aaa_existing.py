import asyncio


async def test_an_async_test_of_the_project_runs_first() -> None:
    await asyncio.sleep(0)


async def test_another_one() -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    queue.put_nowait(1)
    assert await queue.get() == 1
