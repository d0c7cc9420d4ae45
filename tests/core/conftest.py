"""Fixtures of the core's tests."""

from __future__ import annotations

import pytest

from cancelgen.core import format as formatting
from cancelgen.core.format import BlackSettings


@pytest.fixture
def black_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources black formats from now on (``format_source``'s calls), in order."""
    calls: list[str] = []
    real = formatting.format_source

    def counted(source: str, settings: BlackSettings | None = None) -> str:
        calls.append(source)
        return real(source, settings)

    monkeypatch.setattr(formatting, "format_source", counted)
    return calls
