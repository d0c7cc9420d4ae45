"""Generator hints spelled out for a mypy older than 1.11 (cancelgen.core.generator_hints)."""

from __future__ import annotations

import ast

import pytest

from cancelgen.core.generator_hints import needs_spelling_out, spell_out


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("x: Generator[None]\n", "x: Generator[None, None, None]\n"),
        (
            "x: AsyncGenerator[asyncio.Task[None]]\n",
            "x: AsyncGenerator[asyncio.Task[None], None]\n",
        ),
        (
            "x: AsyncGenerator[dict[str, int]]\n",
            "x: AsyncGenerator[dict[str, int], None]\n",
        ),
        # Spelled out already, or not a hint of these: left alone.
        ("x: Generator[Any, Any, Any]\n", "x: Generator[Any, Any, Any]\n"),
        ("x: AsyncGenerator[int, None]\n", "x: AsyncGenerator[int, None]\n"),
        ("x: AsyncIterator[int]\n", "x: AsyncIterator[int]\n"),
        ('x = "Generator[int]"\n', 'x = "Generator[int]"\n'),
        # A magic trailing comma stays last.
        (
            "def f() -> AsyncGenerator[\n    int,\n]: ...\n",
            "def f() -> AsyncGenerator[\n    int, None,\n]: ...\n",
        ),
    ],
)
def test_spell_out(source: str, expected: str) -> None:
    assert spell_out(source) == expected
    ast.parse(spell_out(source))


@pytest.mark.parametrize(
    ("version", "needed"),
    [
        ("1.10.1", True),
        ("1.9", True),
        ("0.991", True),
        ("1.11.0", False),
        ("1.14.1", False),
        ("2.0.0", False),
        (None, False),
        ("main", False),
    ],
)
def test_needs_spelling_out(version: str | None, needed: bool) -> None:
    assert needs_spelling_out(version) is needed
