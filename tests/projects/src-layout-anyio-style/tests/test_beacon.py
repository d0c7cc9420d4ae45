import beacon


async def test_the_package_imports() -> None:
    assert beacon.__doc__
