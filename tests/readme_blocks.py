"""Generated blocks of the README and the docs: text that comes from cancelgen itself.

In README.md a block sits between ``<!-- generated: NAME -->`` and
``<!-- /generated -->``; in a docs page (``.rst``) between the comments
``.. generated: NAME`` and ``.. /generated``. Tests compare a block with what
cancelgen produces now; run them with ``--update-golden`` to rewrite the block
instead (review the diff). docs/testing.rst lists the blocks and their tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from cancelgen.docs.snippets import rst_inline

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"


def _pattern(name: str, path: Path) -> re.Pattern[str]:
    if path.suffix == ".rst":
        start, end = rf"\.\. generated: {re.escape(name)}\n", r"\.\. /generated\n"
    else:
        start, end = rf"<!-- generated: {re.escape(name)} -->\n", r"<!-- /generated -->"
    return re.compile(rf"({start})(.*?)({end})", re.S)


def read_block(name: str, path: Path = README) -> str:
    """The text of block ``name`` in ``path``, without its markers."""
    found = _pattern(name, path).search(path.read_text(encoding="utf-8"))
    assert found, f"{path.name} has no generated block {name!r}"
    return found.group(2)


def check_block(name: str, expected: str, update: bool, path: Path = README) -> None:
    """Assert block ``name`` of ``path`` is ``expected``; with ``update``, make it so first."""
    if update:
        text = path.read_text(encoding="utf-8")
        pattern = _pattern(name, path)
        assert pattern.search(text), f"{path.name} has no generated block {name!r}"
        text = pattern.sub(lambda m: m.group(1) + expected + m.group(3), text)
        path.write_text(text, encoding="utf-8")
    assert (
        read_block(name, path) == expected
    ), f"{path.name}'s block {name!r} is stale: review, then run pytest --update-golden"


def rst_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The same table as a reStructuredText ``list-table`` (Markdown code marks converted)."""
    lines = ["", ".. list-table::", "   :header-rows: 1", ""]
    for row in [header, *rows]:
        for index, cell in enumerate(row):
            text = rst_inline(cell)
            if text == "-":
                text = "\\-"  # a lone dash would start a bullet list
            lines.append(f"   {'* -' if index == 0 else '  -'} {text}")
    return "\n".join(lines) + "\n\n"


def rst_code(language: str, text: str) -> str:
    """``text`` as a reStructuredText code block."""
    body = "".join(
        f"   {line}" if line.strip() else "\n" for line in text.splitlines(True)
    )
    return f".. code-block:: {language}\n\n{body}\n"
