import asyncio

import pytest


@pytest.mark.asyncio
async def test_ticks(ticks: asyncio.Queue[int]) -> None:
    assert await ticks.get() == 1
