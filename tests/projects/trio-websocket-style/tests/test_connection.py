"""The project's own tests (a stand-in): trio_mode runs plain async tests."""

import trio


async def test_a_checkpoint() -> None:
    await trio.lowlevel.checkpoint()
    assert trio.current_time() >= 0
