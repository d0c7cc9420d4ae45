"""Command-line interface (placeholder until the CLI lands)."""

from __future__ import annotations


def main() -> None:
    """Entry point of the ``cancelgen`` console script."""
    raise SystemExit("cancelgen: CLI not built yet")
