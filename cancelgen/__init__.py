"""cancelgen: generate asyncio coroutines that cancel correctly, with tests that prove it."""

__version__ = "0.2.0"
