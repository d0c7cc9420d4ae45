"""The line limit a project's checks put on comments and docstrings.

A formatter wraps code at its line length and leaves comments and docstrings
alone; the project's linter then holds them to a limit of its own. cancelgen
rewraps generated comments and docstrings (:mod:`cancelgen.core.rewrap`) to
the narrowest of:

- the formatter's line length: black's ``line-length`` (``[tool.black]``),
  or ruff's ``line-length`` where ruff formats;
- flake8's, where the project runs flake8 (a ``flake8`` hook in
  ``.pre-commit-config.yaml``, a ``[flake8]`` section, or flake8 in its
  dependency lists): ``max-doc-length`` if set (``W505``), and
  ``max-line-length`` (79 unless set) unless ``E501`` is ignored there;
- ruff's lint settings: ``lint.pycodestyle.max-doc-length`` and
  ``max-line-length`` (``E501``'s limit, ``line-length`` by default).

ruff's settings are read from the configuration at the project root
(``.ruff.toml``, ``ruff.toml``, else ``[tool.ruff]`` of ``pyproject.toml``),
as written: an ``extend``-ed file or a configuration in a subfolder is not
followed.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FLAKE8_DEFAULT = 79
"""flake8's (pycodestyle's) ``max-line-length`` when none is set."""
RUFF_DEFAULT = 88
RUFF_FILES = (".ruff.toml", "ruff.toml")


@dataclass(frozen=True)
class LineLimit:
    """A limit on line length, and what sets it, in a few words."""

    columns: int
    reason: str


def flake8_line_limit(
    runs: bool, config_file: str, options: Mapping[str, str]
) -> LineLimit | None:
    """flake8's ``E501`` limit on every line where it ``runs`` (``options``:
    its ``[flake8]`` section in ``config_file``, {} if none): its
    ``max-line-length``, 79 unless set; None where ``E501`` is ignored."""
    if not runs and not config_file:
        return None
    ignored = _codes(_option(options, "ignore")) | _codes(
        _option(options, "extend-ignore")
    )
    if any("E501".startswith(code) for code in ignored):
        return None
    line = _int(_option(options, "max-line-length"))
    if line is None:
        return LineLimit(FLAKE8_DEFAULT, "flake8's default max-line-length")
    return LineLimit(line, f"max-line-length under [flake8] in {config_file}")


def flake8_limit(
    runs: bool, config_file: str, options: Mapping[str, str]
) -> LineLimit | None:
    """The limit flake8 puts on comments and docstrings where it ``runs``:
    the narrower of :func:`flake8_line_limit` and ``max-doc-length``."""
    if not runs and not config_file:
        return None
    limits = [flake8_line_limit(runs, config_file, options)]
    doc = _int(_option(options, "max-doc-length"))
    if doc is not None:
        where = f"[flake8] in {config_file}" if config_file else "flake8"
        limits.append(LineLimit(doc, f"max-doc-length under {where}"))
    known = [limit for limit in limits if limit is not None]
    return min(known, key=lambda limit: limit.columns, default=None)


def _option(options: Mapping[str, str], name: str) -> str | None:
    return options.get(name, options.get(name.replace("-", "_")))


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _codes(value: str | None) -> set[str]:
    """The error codes of a flake8 list option (``E203, E501`` -> both)."""
    return set(re.findall(r"[A-Z]+[0-9]*", value or ""))


def ruff_settings(root: Path, tool: Mapping[str, Any]) -> dict[str, Any]:
    """ruff's configuration at ``root`` as a ``ruff.toml`` table ({} if none)."""
    for name in RUFF_FILES:
        path = root / name
        if path.is_file():
            try:
                table: Any = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                return {}  # ruff says what is wrong when it runs
            return table if isinstance(table, dict) else {}
    table = tool.get("ruff", {})
    return table if isinstance(table, dict) else {}


def ruff_width(settings: Mapping[str, Any]) -> int:
    """ruff's ``line-length`` in ``settings`` (:func:`ruff_settings`)."""
    value = settings.get("line-length", RUFF_DEFAULT)
    return value if isinstance(value, int) else RUFF_DEFAULT


def ruff_lint_limit(settings: Mapping[str, Any], where: str) -> LineLimit | None:
    """The narrower of ruff's ``max-doc-length`` and ``max-line-length``
    (``lint.pycodestyle``, or the older top-level ``pycodestyle``) if set."""
    lint = settings.get("lint", {})
    tables = [
        lint.get("pycodestyle", {}) if isinstance(lint, dict) else {},
        settings.get("pycodestyle", {}),
    ]
    limits = [
        LineLimit(value, f"{key} of ruff's pycodestyle settings in {where}")
        for table in tables
        if isinstance(table, dict)
        for key in ("max-doc-length", "max-line-length")
        if isinstance(value := table.get(key), int)
    ]
    return min(limits, key=lambda limit: limit.columns, default=None)


def flake8_runs(hook_ids: Collection[str], requirement_names: Collection[str]) -> bool:
    """Whether the project runs flake8: a ``flake8`` hook, or flake8 among
    its requirements."""
    return "flake8" in hook_ids or "flake8" in requirement_names
