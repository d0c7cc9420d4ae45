"""Lanterns that light up, concurrently."""

__version__ = "0.4.0"
