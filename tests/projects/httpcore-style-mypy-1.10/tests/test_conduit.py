import pytest

import conduit


@pytest.mark.anyio
async def test_the_package_imports() -> None:
    assert conduit.__doc__
