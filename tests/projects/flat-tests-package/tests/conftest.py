import pytest


@pytest.fixture
def server_url() -> str:
    return "http://127.0.0.1:8000"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
