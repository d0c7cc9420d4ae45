"""Which formatter, import sorter and linter the project uses (detection only).

Read once with the other project facts (:func:`cancelgen.project.find_project`),
from what the project itself says, in this order:

- formatter: ``[tool.cancelgen] formatter`` (or ``--formatter``); else a
  ``ruff-format`` or ``black`` hook in ``.pre-commit-config.yaml`` (when only
  one of them is there); else ``[tool.black]``; else a ruff configuration
  (``[tool.ruff]``, ``ruff.toml``, ``.ruff.toml``); else black.
- import sorter: isort when the project configures it (``[tool.isort]``,
  ``.isort.cfg``, ``[isort]`` in ``setup.cfg`` or ``tox.ini``) or runs its
  hook; else ruff's ``I`` rules when ruff lints the project; else none.
- linter whose safe fixes apply: ruff when the project has a ruff
  configuration or a ``ruff``/``ruff-check`` hook; else none.

How each is run is elsewhere (:mod:`cancelgen.project.fit`): this module only reads.
"""

from __future__ import annotations

import configparser
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cancelgen.errors import CancelgenError, UsageError

FORMATTERS = ("black", "ruff")
PRE_COMMIT = ".pre-commit-config.yaml"
RUFF_FILES = ("ruff.toml", ".ruff.toml")


@dataclass(frozen=True)
class Tool:
    """One tool the project uses for a job ("" = none), and what says so."""

    name: str
    reason: str = ""
    """Why, in a few words ("" when nothing said so: the default)."""
    chosen: bool = False
    """Chosen by the user (``--formatter``, ``[tool.cancelgen]``), not detected."""


@dataclass(frozen=True)
class Tools:
    """The project's formatter, import sorter and linter (see the module doc)."""

    formatter: Tool = Tool("black")
    sorter: Tool = Tool("")
    """``"isort"``, ``"ruff"`` (its ``I`` rules) or ``""`` (imports left as rendered)."""
    linter: Tool = Tool("")
    """``"ruff"`` (its safe fixes apply) or ``""``."""

    def with_formatter(self, name: str | None, reason: str) -> Tools:
        """These tools with the formatter ``name`` chosen (``reason`` says where)."""
        if name is None:
            return self
        formatter = Tool(check_formatter(name, reason), reason, chosen=True)
        return Tools(formatter, self.sorter, self.linter)

    def names(self) -> tuple[str, str, str]:
        """(formatter, sorter, linter) names, without the reasons."""
        return self.formatter.name, self.sorter.name, self.linter.name

    def describe(self) -> str:
        """One line: the detected tools and why ("" if nothing was detected)."""
        found: list[tuple[str, str]] = []
        if self.formatter.reason and not self.formatter.chosen:
            label = "ruff format" if self.formatter.name == "ruff" else "black"
            found.append((label, self.formatter.reason))
        if self.linter.name:
            found.append(("ruff check --fix-only", self.linter.reason))
        if self.sorter.name == "isort":
            found.append(("isort", self.sorter.reason))
        elif self.sorter.name:
            found.append(("its import sorting (I)", self.sorter.reason))
        groups: list[tuple[list[str], str]] = []
        for label, reason in found:
            if groups and groups[-1][1] == reason:
                groups[-1][0].append(label)
            else:
                groups.append(([label], reason))
        described = [f"{_and(labels)} ({reason})" for labels, reason in groups]
        return "detected " + ", ".join(described) if described else ""


def _and(words: list[str]) -> str:
    return f"{', '.join(words[:-1])} and {words[-1]}" if len(words) > 1 else words[0]


def check_formatter(name: object, where: str) -> str:
    """``name`` if it is a formatter cancelgen runs; else a one-line usage error."""
    if name not in FORMATTERS:
        raise UsageError(
            f"{where}: unknown formatter {name!r}; choose from: {', '.join(FORMATTERS)}"
        )
    return str(name)


def detect_tools(
    root: Path, tool: Mapping[str, Any], chosen: object = None, where: str = ""
) -> Tools:
    """The tools of the project at ``root`` (``tool``: its ``[tool]`` table).

    ``chosen`` is ``[tool.cancelgen] formatter`` (None if unset); ``where``
    names it in messages.
    """
    hooks = _hook_ids(root)
    ruff_config = _ruff_config(root, tool)
    isort_config = _isort_config(root, tool)

    if chosen is not None:
        formatter = Tool(check_formatter(chosen, where), where, chosen=True)
    elif "ruff-format" in hooks and not hooks & {"black", "black-jupyter"}:
        formatter = Tool("ruff", f"ruff-format hook in {PRE_COMMIT}")
    elif hooks & {"black", "black-jupyter"} and "ruff-format" not in hooks:
        formatter = Tool("black", f"black hook in {PRE_COMMIT}")
    elif "black" in tool:
        formatter = Tool("black", "[tool.black] in pyproject.toml")
    elif ruff_config:
        formatter = Tool("ruff", ruff_config)
    else:
        formatter = Tool("black")

    linter = Tool("")
    if ruff_config:
        linter = Tool("ruff", ruff_config)
    elif hooks & {"ruff", "ruff-check"}:
        linter = Tool("ruff", f"ruff hook in {PRE_COMMIT}")

    if isort_config:
        sorter = Tool("isort", isort_config)
    elif "isort" in hooks:
        sorter = Tool("isort", f"isort hook in {PRE_COMMIT}")
    elif linter.name:
        sorter = Tool("ruff", linter.reason)
    else:
        sorter = Tool("")
    return Tools(formatter, sorter, linter)


def _ruff_config(root: Path, tool: Mapping[str, Any]) -> str:
    """Where the project configures ruff, in a few words ("" if it does not)."""
    for name in RUFF_FILES:
        if (root / name).is_file():
            return name
    return "[tool.ruff] in pyproject.toml" if "ruff" in tool else ""


def _isort_config(root: Path, tool: Mapping[str, Any]) -> str:
    """Where the project configures isort, in a few words ("" if it does not)."""
    if "isort" in tool:
        return "[tool.isort] in pyproject.toml"
    if (root / ".isort.cfg").is_file():
        return ".isort.cfg"
    for name in ("setup.cfg", "tox.ini"):
        path = root / name
        if not path.is_file():
            continue
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError) as error:
            raise CancelgenError(f"cannot read {path}: {error}") from error
        for section in ("isort", "tool:isort"):
            if parser.has_section(section):
                return f"[{section}] in {name}"
    return ""


def _hook_ids(root: Path) -> set[str]:
    """The ids of the hooks in the project's ``.pre-commit-config.yaml``."""
    path = root / PRE_COMMIT
    if not path.is_file():
        return set()
    # Only projects with a pre-commit configuration pay for the import;
    # imported by name (PyYAML ships no types).
    yaml: Any = importlib.import_module("yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CancelgenError(f"cannot read {path}: {error}") from error
    ids = set()
    repos = data.get("repos", []) if isinstance(data, dict) else []
    for repo in repos if isinstance(repos, list) else []:
        hooks = repo.get("hooks", []) if isinstance(repo, dict) else []
        for hook in hooks if isinstance(hooks, list) else []:
            if isinstance(hook, dict) and isinstance(hook.get("id"), str):
                ids.add(hook["id"])
    return ids
