"""Black's output for a worker under a new name, without running black.

A worker's two files depend on its name only through the name itself and its
class name (``sync_orders``, ``SyncOrdersSteps``), and on its package only
through the package's import path (``shop.jobs``). So black's output for the
same answers under a placeholder name and package is cached once, and a run
with any other name or package renames it. That is exactly what black would
write, provided the renamed lines are formatted the same way as the
placeholder's were. Black formats each logical line on its own, by its length
alone; so it is enough that every line holding the name (or the package) is

- a logical line on one physical line, which still fits the line length after
  renaming (black keeps a line that fits as it is, and the names are ASCII:
  a package whose path is not keeps its own name in the placeholder's files), or
- a line of a docstring-like string statement other than its last (black
  re-indents those lines but never measures them), or
- an element alone on its row (``QzqSteps,``) of a bracket black exploded one
  element per row with a trailing comma, when black honours that magic
  trailing comma: it keeps such a bracket exploded whatever its length, so the
  row only has to fit.

A renamed line that no longer fits is still black's when it has the one shape
whose split is certain: ``name[: Type] = callee(arguments)`` with no other
bracket, no comment and no trailing comma, whose arguments fit on a row of
their own. Black splits it at the call's bracket, the arguments one level in
(``split_call``); a generated test module's resource factories are such lines
(``connect: ClassVar = watched_as("connection", SyncOrdersSteps.connect)``).

Anything else (a name inside a split bracket, a renamed line too long) makes
the run fall back to black. Which lines must fit is worked out once, from
black's own output, when the entry is cached. ``tests/core/test_name_free.py``
checks the result against black for many names and settings.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import token
import tokenize
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from cancelgen.core.cache.folder import store_text
from cancelgen.core.format import BlackSettings
from cancelgen.core.spec import WorkerSpec

PLACEHOLDER = "qzq"
"""A name no template text contains; rendering checks that, every time."""
PACKAGE_PLACEHOLDER = "qzqpkg"
"""The package's import path in the placeholder's files (when it has one)."""


def placeholder_spec(spec: WorkerSpec) -> WorkerSpec:
    """``spec`` under the placeholder name, and the placeholder package when its
    package has an ASCII import path (black measures other text otherwise)."""
    placeholder = replace(spec, name=PLACEHOLDER)
    if spec.package_import and spec.package_import.isascii():
        placeholder = replace(placeholder, package_import=PACKAGE_PLACEHOLDER)
    return placeholder


def renamed(text: str, spec: WorkerSpec) -> str:
    """``text`` rendered for :func:`placeholder_spec`, renamed to ``spec``'s
    name and package."""
    placeholder = placeholder_spec(spec)
    names = {placeholder.class_name: spec.class_name, PLACEHOLDER: spec.name}
    if placeholder.package_import != spec.package_import:
        # First: the longer placeholder, which holds the shorter one.
        names = {PACKAGE_PLACEHOLDER: spec.package_import, **names}
    pattern = "|".join(re.escape(name) for name in names)
    return re.sub(pattern, lambda found: names[found.group()], text)


def rows_to_fit(
    formatted: str, line_length: int, *, magic_trailing_comma: bool = True
) -> list[int] | None:
    """Rows (0-based) of black's output that hold the placeholder and must still
    fit after renaming; None if some row holding it cannot be renamed safely.
    ``magic_trailing_comma``: whether black keeps a bracket with a trailing
    comma exploded (``skip_magic_trailing_comma`` unset)."""
    lines = formatted.splitlines()
    holding = {row for row, line in enumerate(lines) if PLACEHOLDER in line.lower()}
    to_fit: list[int] = []
    for first, last, tokens in _logical_lines(formatted):
        rows = holding.intersection(range(first, last + 1))
        if not rows:
            continue
        if first == last:
            line = lines[first]
            if len(line) > line_length or not line.isascii():
                return None
            to_fit.append(first)
        elif _is_string_statement(tokens) and last not in rows:
            continue  # docstring lines black re-indents but never measures
        elif magic_trailing_comma and _exploded_elements(lines, first, last, rows):
            if any(len(lines[row]) > line_length for row in rows):
                return None
            to_fit.extend(rows)
        else:
            return None
    return sorted(to_fit)


_ELEMENT_ROW = re.compile(r"\s+[A-Za-z_][A-Za-z0-9_]*,")


def _exploded_elements(lines: list[str], first: int, last: int, rows: set[int]) -> bool:
    """Whether each of ``rows`` is a lone name element of the one bracket that
    the logical line ``first``..``last`` opens on its first row and closes on its
    last, exploded one element per row, with a trailing comma."""
    opens, closes = lines[first].rstrip(), lines[last].strip()
    inner = lines[first + 1 : last]
    return (
        opens.endswith(("(", "[", "{"))
        and closes[:1] in ")]}"
        and bool(inner)
        and all(_ELEMENT_ROW.fullmatch(line) for line in inner)
        and first not in rows
        and last not in rows
    )


def _logical_lines(
    text: str,
) -> list[tuple[int, int, list[tokenize.TokenInfo]]]:
    """(first row, last row, tokens) of each logical line and comment line (0-based)."""
    units: list[tuple[int, int, list[tokenize.TokenInfo]]] = []
    current: list[tokenize.TokenInfo] = []
    skip = {token.INDENT, token.DEDENT, token.ENCODING, token.ENDMARKER}
    for item in tokenize.generate_tokens(io.StringIO(text).readline):
        if item.type in skip:
            continue
        ends = item.type == token.NEWLINE or (
            item.type == token.NL and all(t.type == token.COMMENT for t in current)
        )
        if not ends:
            current.append(item)
            continue
        if current:
            units.append((current[0].start[0] - 1, item.start[0] - 1, current))
        current = []
    return units


def _is_string_statement(tokens: list[tokenize.TokenInfo]) -> bool:
    return len(tokens) == 1 and tokens[0].type == token.STRING


class NameFreeCache:
    """Black's output of worker files rendered for the placeholder, on disk.

    Entries live in ``folder``, keyed by the placeholder's source, the black
    settings and the installed black (``identity``), as JSON:
    ``{"text": formatted, "fit": rows that must fit, or null if unsafe}``.
    The shipped table (:mod:`cancelgen.core.shipped`) answers what the folder
    misses (and the folder keeps its answer); with no ``folder`` (the cache
    off) it is the only one.
    """

    def __init__(self, folder: Path | None, identity: str) -> None:
        self.folder = folder
        self.identity = identity

    def _entry(self, source: str, settings: BlackSettings) -> Path | None:
        if self.folder is None:
            return None
        key = f"{self.identity}\0{settings!r}\0name-free\0{source}"
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()
        return self.folder / "namefree" / digest[:2] / digest

    def lookup(
        self, source: str, settings: BlackSettings
    ) -> tuple[str, list[int] | None] | None:
        """(formatted placeholder text, rows to fit) if cached, else None."""
        from cancelgen.core.shipped import black_output

        entry = self._entry(source, settings)
        if entry is not None:
            try:
                data = json.loads(entry.read_text("utf-8"))
                return str(data["text"]), data["fit"]
            except (OSError, ValueError, KeyError, TypeError):
                pass
        shipped = black_output(source, settings)
        if shipped is not None and entry is not None:
            store_text(entry, json.dumps({"text": shipped[0], "fit": shipped[1]}))
        return shipped

    def store(
        self, source: str, settings: BlackSettings, formatted: str
    ) -> list[int] | None:
        """Cache black's output for the placeholder source; return its rows to fit."""
        fit = rows_to_fit(
            formatted,
            settings.line_length,
            magic_trailing_comma=not settings.skip_magic_trailing_comma,
        )
        entry = self._entry(source, settings)
        if entry is not None:
            payload = json.dumps({"text": formatted, "fit": fit})
            store_text(entry, payload)
        return fit


_SPLITTABLE_CALL = re.compile(
    r"(?P<indent> *)(?P<head>[A-Za-z_][\w.]*(?: *: *[\w.]+)? = [A-Za-z_]\w*\()"
    r"(?P<arguments>[^()\[\]{}#\\]+)\)"
)


def split_call(line: str, line_length: int) -> list[str] | None:
    """Black's rows for ``line``, a statement too long for ``line_length``, when
    it is an assignment of one call of a plain name with no other bracket,
    comment or trailing comma, and the call's arguments fit one level in:
    ``x = f(`` / the arguments / ``)``. None for any other line (black could
    split it otherwise)."""
    found = _SPLITTABLE_CALL.fullmatch(line)
    if found is None or not line.isascii():  # black measures wide characters
        return None
    indent, head = found["indent"], found["head"]
    arguments = found["arguments"].strip()
    inner = f"{indent}    {arguments}"
    if arguments.endswith(","):
        return None  # a magic trailing comma: black explodes the call
    if len(indent) + len(head) > line_length or len(inner) > line_length:
        return None
    return [indent + head, inner, f"{indent})"]


def rename_formatted(
    formatted: str, fit: list[int] | None, spec: WorkerSpec, line_length: int
) -> str | None:
    """The cached output renamed to ``spec``'s name, or None if black could
    format the renamed lines differently (then black must run)."""
    if fit is None:
        return None
    result = renamed(formatted, spec)
    lines = result.splitlines(keepends=True)
    for row in sorted(fit, reverse=True):  # from the end: splits add rows
        line = lines[row].rstrip("\n")
        if len(line) <= line_length:
            continue
        rows = split_call(line, line_length)
        if rows is None:
            return None
        lines[row : row + 1] = [f"{each}\n" for each in rows]
    return "".join(lines)


def format_renamed(
    spec: WorkerSpec,
    files: Mapping[str, str],
    placeholder_files: Mapping[str, str],
    settings: BlackSettings,
    cache: NameFreeCache,
) -> dict[str, str]:
    """Formatted text of those ``files`` that are the placeholder's files renamed,
    where the cache (filled now if need be) allows it; the others are left out."""
    from cancelgen.core import format as formatting

    result: dict[str, str] = {}
    for path, source in placeholder_files.items():
        target = renamed(path, spec)
        if files.get(target) != renamed(source, spec):
            continue  # the name shows up in some other form: not safe to rename
        cached = cache.lookup(source, settings)
        if cached is None and cache.folder is None:
            continue  # nowhere to keep black's output: black formats the file itself
        if cached is None:
            formatted = formatting.format_source(source, settings)
            cached = formatted, cache.store(source, settings, formatted)
        text = rename_formatted(*cached, spec, settings.line_length)
        if text is not None:
            result[target] = text
    return result
