"""Deliver messages over HTTP."""

__version__ = "1.0.0"
