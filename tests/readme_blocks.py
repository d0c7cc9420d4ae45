"""The README's generated blocks: code and output that come from cancelgen itself.

Each block sits between ``<!-- generated: NAME -->`` and ``<!-- /generated -->``
in README.md. Tests compare a block with what cancelgen produces now; run them
with ``--update-golden`` to rewrite the block instead (review the diff).
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- generated: {re.escape(name)} -->\n)(.*?)(<!-- /generated -->)", re.S
    )


def read_block(name: str) -> str:
    """The text of block ``name``, without its markers."""
    found = _pattern(name).search(README.read_text(encoding="utf-8"))
    assert found, f"README.md has no generated block {name!r}"
    return found.group(2)


def check_block(name: str, expected: str, update: bool) -> None:
    """Assert block ``name`` is ``expected``; with ``update``, make it so first."""
    if update:
        text = README.read_text(encoding="utf-8")
        pattern = _pattern(name)
        assert pattern.search(text), f"README.md has no generated block {name!r}"
        text = pattern.sub(lambda m: m.group(1) + expected + m.group(3), text)
        README.write_text(text, encoding="utf-8")
    assert (
        read_block(name) == expected
    ), f"README.md's block {name!r} is stale: review, then run pytest --update-golden"
