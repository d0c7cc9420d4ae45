"""A read-write lock for asyncio (a stand-in)."""
