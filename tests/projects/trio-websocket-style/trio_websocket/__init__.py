"""A WebSocket library for Trio (a stand-in)."""
