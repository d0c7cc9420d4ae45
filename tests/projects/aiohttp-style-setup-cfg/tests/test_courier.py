import courier


async def test_version() -> None:
    assert courier.__version__ == "1.0.0"
