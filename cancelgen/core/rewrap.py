"""Comments and docstrings rewrapped to a project's line limit.

A formatter lays code out at the project's line length but leaves comments
and docstrings as they are: the templates wrap them at 88 columns, so a
project at PEP 8's 79 (flake8's default ``max-line-length``, black or ruff at
``line-length = 79``) would get ``E501`` on them. :func:`rewrap` reflows, to
a limit, each paragraph that has a line over it, and nothing else:

- a paragraph of a comment block (``# ...`` lines alone on their lines, at
  one column; a bare ``#`` line separates paragraphs, a list item (``- ``,
  ``* ``, ``1. ``) starts one and its lines indented under its text continue
  it);
- a paragraph of a docstring after its first line (a summary stays one line,
  as pydocstyle wants it): lines at the docstring's indentation, or a list
  item and its continuation lines.

Left as they are: a docstring's first line, lines indented deeper than their
paragraph (literal blocks, examples, a list item's nested content), ``>>>``
and ``..`` lines, pragma comments
(``# noqa``, ``# type:``, ...), trailing comments and code. A word longer
than the limit stays whole (a URL), and no rewrapped comment line starts
with a pragma's word. Formatters leave comment text and docstring lines at
their indentation as they are, so the result is stable under black and
``ruff format``.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass

PRAGMAS = re.compile(
    r"(?:noqa\b|type:|pyright:|mypy:|pragma\b|fmt:|isort:|ruff:|pylint:|-\*-|!)",
    re.IGNORECASE,
)
"""What, at the start of a comment's text, makes it a tool's instruction."""
_ITEM = re.compile(r"(?:[-*+]|\d+[.)]) ")
"""A list item's marker, with the space after it."""
_VERBATIM = (">>>", "...", "..", "|", "```")
_CLOSING = ('"""', "'''")


def rewrap(source: str, limit: int) -> str:
    """``source`` with every comment and docstring paragraph that has a line
    longer than ``limit`` reflowed to fit in it (see the module)."""
    lines = source.splitlines(keepends=True)
    if all(_width(line) <= limit for line in lines):
        return source
    replaced: dict[int, list[str]] = {}
    """First line (0-based) of a rewrapped paragraph -> its new lines; the
    paragraph's other lines map to []."""
    for block in _comment_blocks(source):
        for paragraph in _paragraphs(block.lines, lines, block.column, "#"):
            _reflow(paragraph, lines, limit, replaced)
    for first, last, column in _docstrings(source):
        body = list(range(first + 1, last + 1))
        for paragraph in _paragraphs(body, lines, column, ""):
            _reflow(paragraph, lines, limit, replaced)
    out: list[str] = []
    for index, line in enumerate(lines):
        out.extend(replaced.get(index, [line]))
    return "".join(out)


def _width(line: str) -> int:
    return len(line.rstrip("\r\n"))


@dataclass(frozen=True)
class _Block:
    """Consecutive comment-only lines at one column (0-based line numbers)."""

    column: int
    lines: list[int]


def _comment_blocks(source: str) -> Iterator[_Block]:
    """The comment blocks of ``source``: runs of lines holding only a comment,
    each starting at ``column``."""
    only: dict[int, int] = {}
    last_code = -1
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            row = token.start[0] - 1
            if token.type == tokenize.COMMENT and last_code != row:
                only[row] = token.start[1]
            elif token.type not in (
                tokenize.NL,
                tokenize.NEWLINE,
                tokenize.INDENT,
                tokenize.DEDENT,
                tokenize.COMMENT,
            ):
                last_code = token.end[0] - 1
    except (tokenize.TokenError, SyntaxError):
        return
    block: _Block | None = None
    for row in sorted(only):
        column = only[row]
        if block is not None and block.lines[-1] == row - 1 and block.column == column:
            block.lines.append(row)
            continue
        if block is not None:
            yield block
        block = _Block(column, [row])
    if block is not None:
        yield block


def _docstrings(source: str) -> Iterator[tuple[int, int, int]]:
    """``(first line, last line, column)`` (0-based lines) of each docstring."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    for node in ast.walk(tree):
        if not isinstance(
            node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef
        ):
            continue
        if not node.body:
            continue
        first = node.body[0]
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
            and first.end_lineno is not None
        ):
            yield first.lineno - 1, first.end_lineno - 1, first.col_offset


@dataclass
class _Paragraph:
    """Lines to reflow as one: where its text starts, how it continues."""

    rows: list[int]
    prefix: str
    """What each line starts with before its words (indentation, ``# ``)."""
    hanging: str
    """What a continuation line adds after the prefix (a list item's indent)."""
    marker: str = ""
    """A list item's marker, kept at the start of the first line."""


def _paragraphs(
    rows: list[int], lines: list[str], column: int, comment: str
) -> Iterator[_Paragraph]:
    """The paragraphs of ``rows`` that may be reflowed: comment lines
    (``comment`` is ``#``) or docstring lines at ``column``."""
    indent = " " * column
    lead = f"{indent}{comment} " if comment else indent
    current: _Paragraph | None = None
    for row in rows:
        line = lines[row].rstrip("\r\n")
        text = _text(line, indent, comment)
        if text is None or not text.strip():
            if current is not None:  # a blank line ends a paragraph
                yield current
            current = None
            continue
        continues = current is not None and _under(text, current)
        if not continues and (
            text.startswith((" ", *_VERBATIM))
            or text.strip() in _CLOSING
            or bool(comment and PRAGMAS.match(text))
        ):
            # Deeper than the paragraph (a literal block, an example, nested
            # content), or a pragma: left as it is, and it ends the paragraph.
            if current is not None:
                yield current
            current = None
            continue
        item = _ITEM.match(text)
        if continues and current is not None:
            current.rows.append(row)
        elif item is not None:
            if current is not None:
                yield current
            current = _Paragraph([row], lead, " " * len(item.group()), item.group())
        elif current is None or current.marker:
            if current is not None:
                yield current
            current = _Paragraph([row], lead, "")
        else:
            current.rows.append(row)
    if current is not None:
        yield current


def _under(text: str, paragraph: _Paragraph) -> bool:
    """Whether ``text`` continues list item ``paragraph`` (indented under its text)."""
    hanging = paragraph.hanging
    return (
        bool(hanging)
        and text.startswith(hanging)
        and not text[len(hanging) :].startswith(" ")
    )


def _text(line: str, indent: str, comment: str) -> str | None:
    """What ``line`` holds after its prefix (``indent``, then ``# `` for a
    comment), or None if it does not start with that prefix."""
    if not line.startswith(indent):
        return None if line.strip() else ""
    rest = line[len(indent) :]
    if not comment:
        return rest
    if rest == comment:
        return ""
    if not rest.startswith(comment + " "):
        return None
    return rest[len(comment) + 1 :]


def _reflow(
    paragraph: _Paragraph, lines: list[str], limit: int, replaced: dict[int, list[str]]
) -> None:
    """Record the reflowed lines of ``paragraph`` in ``replaced`` if one of
    its lines is over ``limit`` and reflowing can fit them."""
    rows = paragraph.rows
    if all(_width(lines[row]) <= limit for row in rows):
        return
    newline = lines[rows[-1]][len(lines[rows[-1]].rstrip("\r\n")) :] or "\n"
    texts = [lines[row].rstrip("\r\n")[len(paragraph.prefix) :] for row in rows]
    words = " ".join(texts)[len(paragraph.marker) :].split()
    first = paragraph.prefix + paragraph.marker
    rest = paragraph.prefix + paragraph.hanging
    comment = paragraph.prefix.rstrip().endswith("#")
    width = limit
    while width > len(rest) + 10:
        wrapped = textwrap.wrap(
            " ".join(words),
            width=width,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
        if not comment or not any(
            PRAGMAS.match(line[len(rest) :]) for line in wrapped[1:]
        ):
            break
        width -= 1
    else:
        return
    replaced[rows[0]] = [line + newline for line in wrapped]
    for row in rows[1:]:
        replaced[row] = []
