import pytest

import beacon


@pytest.mark.anyio
async def test_the_package_imports() -> None:
    assert beacon.__doc__
