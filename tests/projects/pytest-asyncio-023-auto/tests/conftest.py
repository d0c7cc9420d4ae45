import gc
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def collected() -> Iterator[None]:
    """What a test leaves unclosed warns in that test's teardown, not later."""
    yield
    gc.collect()
