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
- flake8-requirements, whose I900 reports an absolute import of a module that
  is neither a requirement nor the project's own (the tests folder's sweep
  engine): when a hook of ``.pre-commit-config.yaml`` lists it in its
  ``additional_dependencies``; or the flake8 configuration (the ``[flake8]``
  section flake8 reads: ``setup.cfg``, ``tox.ini`` or ``.flake8``) sets an
  option only it has (``known-modules``, ``requirements-file``...); or the
  project's dependency lists name it (``pyproject.toml``, ``requirements*.txt``
  or ``.in`` at the root or in ``requirements/``, ``deps`` in ``tox.ini``).
  Its ``known-modules`` may already name the engine.

How each is run is elsewhere (:mod:`cancelgen.project.fit`): this module only reads.
"""

from __future__ import annotations

import configparser
import importlib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cancelgen.core.format import BlackSettings
from cancelgen.errors import CancelgenError, UsageError
from cancelgen.project.line_limits import (
    RUFF_DEFAULT,
    LineLimit,
    flake8_limit,
    flake8_line_limit,
    flake8_runs,
    ruff_lint_limit,
    ruff_settings,
    ruff_width,
)

FORMATTERS = ("black", "ruff")
PRE_COMMIT = ".pre-commit-config.yaml"
RUFF_FILES = ("ruff.toml", ".ruff.toml")
FLAKE8_FILES = ("setup.cfg", "tox.ini", ".flake8")
"""Where flake8 looks for its ``[flake8]`` section, in its order."""
REPO_KEY = "\0repo"
REV_KEY = "\0rev"
"""Keys :func:`_pre_commit_hooks` adds to each hook: its repository's url
and ``rev`` (no hook of pre-commit's own has them)."""
REQUIREMENTS_PLUGIN = "flake8-requirements"
REQUIREMENTS_OPTIONS = (
    "known-modules",
    "requirements-file",
    "requirements-max-depth",
    "scan-host-site-packages",
)
"""The flake8 options only flake8-requirements has."""

_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_KNOWN_MODULES = re.compile(r"\[([^\]]*)\]")


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
    requirements: Tool = Tool("")
    """``"flake8-requirements"`` when the project's flake8 runs it, else ``""``."""
    known_modules: frozenset[str] = field(default_factory=frozenset)
    """The modules its ``known-modules`` setting names."""
    ruff_pin: tuple[str, str] | None = None
    """The ruff version the project pins and where (``("0.5.0",
    "ruff-pre-commit's rev in .pre-commit-config.yaml")``), None if it pins none."""
    ruff_width: int = RUFF_DEFAULT
    """ruff's ``line-length`` (:mod:`cancelgen.project.line_limits`)."""
    line_limit: LineLimit | None = None
    """The narrowest limit the project's linters put on comments and
    docstrings (flake8's, ruff's pycodestyle settings), None if none does."""

    mypy_pin: tuple[str, str] | None = None
    """The mypy version the project pins and where, as :attr:`ruff_pin`."""
    black_options: tuple[tuple[str, Any], ...] = ()
    """``[tool.black]`` settings given elsewhere, over the table's own: its
    pre-commit hook's ``args``; or, where black is only cancelgen's default
    and the project's flake8 holds lines to fewer columns, that length."""

    @property
    def spells_out_generators(self) -> bool:
        """Whether the project's pinned mypy needs ``Generator`` hints with
        all their arguments (:mod:`cancelgen.core.generator_hints`)."""
        from cancelgen.core.generator_hints import needs_spelling_out

        return needs_spelling_out(self.mypy_pin[0] if self.mypy_pin else None)

    def comment_width(self, black_width: int) -> int:
        """The columns generated comments and docstrings must fit in: the
        formatter's line length (``black_width`` where black formats) or
        a linter's narrower limit."""
        width = self.ruff_width if self.formatter.name == "ruff" else black_width
        limit = self.line_limit
        return min(width, limit.columns) if limit is not None else width

    def with_formatter(self, name: str | None, reason: str) -> Tools:
        """These tools with the formatter ``name`` chosen (``reason`` says where)."""
        if name is None:
            return self
        formatter = Tool(check_formatter(name, reason), reason, chosen=True)
        return replace(self, formatter=formatter)

    def reports_import(self, module: str) -> bool:
        """Whether flake8-requirements reports (I900) an absolute import of
        ``module``, a top-level module of the project's other than its
        package (the tests folder's engine): it runs, and its
        ``known-modules`` does not name the module."""
        return bool(self.requirements.name) and module not in self.known_modules

    def names(self) -> tuple[str, str, str]:
        """(formatter, sorter, linter) names, without the reasons."""
        return self.formatter.name, self.sorter.name, self.linter.name

    def ruff_mismatch(self, ours: str | None) -> str:
        """What differs when ruff runs here and the project pins another
        version than ``ours`` (cancelgen's ruff; None if unknown), in a few
        words: their output can. "" otherwise."""
        uses_ruff = "ruff" in (self.formatter.name, self.linter.name)
        if not uses_ruff or self.ruff_pin is None or ours is None:
            return ""
        pinned, where = self.ruff_pin
        if pinned == ours:
            return ""
        return (
            f"the project pins ruff {pinned} ({where}) and cancelgen runs ruff "
            f"{ours}, whose output can differ"
        )

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
        if self.requirements.name:
            found.append((self.requirements.name, self.requirements.reason))
        if self.spells_out_generators:
            version, where = self.mypy_pin or ("", "")
            found.append((f"mypy {version}, so Generator hints in full", where))
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
    root: Path,
    tool: Mapping[str, Any],
    chosen: object = None,
    where: str = "",
    requirements: Collection[str] = (),
    requirement_lines: Sequence[str] = (),
) -> Tools:
    """The tools of the project at ``root`` (``tool``: its ``[tool]`` table).

    ``chosen`` is ``[tool.cancelgen] formatter`` (None if unset); ``where``
    names it in messages. ``requirements``: the distribution names of
    ``pyproject.toml``'s dependency lists, normalized (``flake8-requirements``);
    ``requirement_lines``: those requirements as written (pinned versions).
    """
    pre_commit = _pre_commit_hooks(root)
    hooks = _hook_ids(pre_commit)
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

    flake8_file, flake8 = _flake8_config(root)
    # Read once: the checker, flake8, black and the pins all look in them.
    files = list(_requirement_files(root))
    lists = list(_requirement_lists(root, files))
    checker = _requirements_checker(
        pre_commit, (flake8_file, flake8), requirements, lists
    )
    known = _known_modules(flake8.get("known-modules", flake8.get("known_modules")))
    uses_ruff = "ruff" in (formatter.name, linter.name)
    pin = (
        _pinned(pre_commit, "ruff", RUFF_HOOK_REPOS, requirement_lines, files)
        if uses_ruff
        else None
    )
    ruff = ruff_settings(root, tool) if ruff_config else {}
    runs_flake8 = flake8_runs(hooks, requirements) or any(
        "flake8" in names for _, names in lists
    )
    limits = [
        flake8_limit(runs_flake8, flake8_file, flake8),
        ruff_lint_limit(ruff, ruff_config) if ruff_config else None,
    ]
    known_limits = [limit for limit in limits if limit is not None]
    black_options = _black_hook_options(pre_commit)
    code_limit = flake8_line_limit(runs_flake8, flake8_file, flake8)
    if (
        formatter == Tool("black")
        and code_limit is not None
        and code_limit.columns < BlackSettings().line_length
        and not _runs_black(root, tool, requirements, lists)
    ):
        # Nothing says the project runs black: its flake8 is the judge.
        black_options = {"line-length": code_limit.columns}
        formatter = Tool("black", f"at {code_limit.columns}, {code_limit.reason}")
    return Tools(
        formatter,
        sorter,
        linter,
        checker,
        known,
        pin,
        ruff_width=ruff_width(ruff),
        line_limit=min(known_limits, key=lambda limit: limit.columns, default=None),
        mypy_pin=_pinned(pre_commit, "mypy", MYPY_HOOK_REPOS, requirement_lines, files),
        black_options=tuple(black_options.items()),
    )


_BLACK_FLAGS = {
    "-S": "skip-string-normalization",
    "--skip-string-normalization": "skip-string-normalization",
    "-C": "skip-magic-trailing-comma",
    "--skip-magic-trailing-comma": "skip-magic-trailing-comma",
}
_BLACK_VALUES = {
    "-l": "line-length",
    "--line-length": "line-length",
    "-t": "target-version",
    "--target-version": "target-version",
}


def _runs_black(
    root: Path,
    tool: Mapping[str, Any],
    requirements: Collection[str],
    lists: list[tuple[str, set[str]]],
) -> bool:
    """Whether something besides ``[tool.black]`` and a black hook says the
    project runs black: black in its dependency lists or requirement files
    (``lists``, :func:`_requirement_lists`), or isort's ``profile = "black"``."""
    if "black" in requirements:
        return True
    if any("black" in names for _, names in lists):
        return True
    isort = tool.get("isort", {})
    if isinstance(isort, dict) and isort.get("profile") == "black":
        return True
    for name in (".isort.cfg", "setup.cfg", "tox.ini"):
        path = root / name
        if path.is_file():
            parser = read_ini(path)
            for section in ("settings", "isort", "tool:isort"):
                if parser.get(section, "profile", fallback="").strip() == "black":
                    return True
    return False


def _black_hook_options(hooks: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``[tool.black]`` settings the ``args`` of the project's black hook
    give (``-l 79 -S`` -> line-length 79, skip-string-normalization): black
    takes its command line over its configuration."""
    for hook in hooks:
        if hook.get("id") in ("black", "black-jupyter"):
            return _black_options(_strings(hook.get("args")))
    return {}


def _black_options(args: list[str]) -> dict[str, Any]:
    """:func:`_black_hook_options` of one argument list."""
    options: dict[str, Any] = {}
    words = iter(args)
    for word in words:
        name, equals, value = word.partition("=")
        if not equals and word[:2] in ("-l", "-t") and len(word) > 2:
            name, value, equals = word[:2], word[2:], "="
        if name in _BLACK_FLAGS:
            options[_BLACK_FLAGS[name]] = True
        elif name in _BLACK_VALUES:
            value = value if equals else next(words, "")
            key = _BLACK_VALUES[name]
            if key == "line-length":
                if value.isdigit():
                    options[key] = int(value)
            else:
                options.setdefault(key, []).append(value)
    return options


RUFF_HOOK_REPOS = ("astral-sh/ruff-pre-commit", "charliermarsh/ruff-pre-commit")
MYPY_HOOK_REPOS = ("pre-commit/mirrors-mypy",)


def _pinned(
    hooks: list[dict[str, Any]],
    name: str,
    repos: tuple[str, ...],
    in_pyproject: Sequence[str],
    files: list[tuple[str, list[str]]],
) -> tuple[str, str] | None:
    """The version of ``name`` the project pins, and where: the ``rev`` of
    its hooks from ``repos``, else ``name==X`` (or ``name~=X.Y.Z``, which
    fixes X.Y) in ``pyproject.toml``'s dependency lists (``in_pyproject``)
    or its requirement files (``files``, :func:`_requirement_files`); None
    if it pins none."""
    for hook in hooks:
        repo, rev = hook.get(REPO_KEY), hook.get(REV_KEY)
        if (
            isinstance(repo, str)
            and repo.rstrip("/").removesuffix(".git").endswith(repos)
            and isinstance(rev, str)
        ):
            owner_name = repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
            return rev.removeprefix("v"), f"{owner_name}'s rev in {PRE_COMMIT}"
    pin = re.compile(
        rf"^\s*{re.escape(name)}\s*"
        r"(?:==\s*([0-9][\w.]*)|~=\s*([0-9]+\.[0-9]+\.[\w.]+))\s*(?:[;#].*)?$",
        re.IGNORECASE,
    )
    for line in in_pyproject:
        found = pin.match(line)
        if found:
            return found.group(1) or found.group(2), "a dependency in pyproject.toml"
    for path, lines in files:
        for line in lines:
            found = pin.match(line)
            if found:
                return found.group(1) or found.group(2), path
    return None


def _requirements_checker(
    hooks: list[dict[str, Any]],
    flake8: tuple[str, Mapping[str, str]],
    requirements: Collection[str],
    lists: list[tuple[str, set[str]]],
) -> Tool:
    """flake8-requirements, with what says the project runs it (see the
    module); ``lists``: the project's other requirement lists
    (:func:`_requirement_lists`)."""
    name = REQUIREMENTS_PLUGIN
    for hook in hooks:
        if name in _requirement_names(_strings(hook.get("additional_dependencies"))):
            hook_id = hook.get("id") if isinstance(hook.get("id"), str) else "a"
            return Tool(name, f"{hook_id} hook's dependencies in {PRE_COMMIT}")
    path, options = flake8
    for option in REQUIREMENTS_OPTIONS:
        if option in options or option.replace("-", "_") in options:
            return Tool(name, f"{option} under [flake8] in {path}")
    if name in requirements:
        return Tool(name, "a dependency in pyproject.toml")
    for path, names in lists:
        if name in names:
            return Tool(name, path)
    return Tool("")


def _requirement_lists(
    root: Path, files: list[tuple[str, list[str]]]
) -> Iterable[tuple[str, set[str]]]:
    """Each requirement list of the project besides ``pyproject.toml``'s (where
    it is, in a few words) with the distribution names it holds: the
    ``requirements*.txt`` and ``.in`` files at the root and in
    ``requirements/`` (``files``: :func:`_requirement_files`), and each
    ``deps`` of ``tox.ini``."""
    for path, lines in files:
        yield path, _requirement_names(lines)
    tox = root / "tox.ini"
    if tox.is_file():
        parser = read_ini(tox)
        for section in parser.sections():
            deps = parser.get(section, "deps", fallback="")
            if deps:
                yield f"[{section}] deps in tox.ini", _requirement_names(
                    deps.splitlines()
                )


def _requirement_files(root: Path) -> Iterable[tuple[str, list[str]]]:
    """The lines of each ``requirements*.txt`` and ``.in`` file at the root
    and in ``requirements/`` (its path relative to the root, its lines)."""
    files = [
        *sorted(root.glob("requirements*.txt")),
        *sorted(root.glob("requirements*.in")),
        *sorted(root.glob("requirements/*.txt")),
        *sorted(root.glob("requirements/*.in")),
    ]
    for path in files:
        try:  # a hint only: a file that cannot be read names nothing
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        yield path.relative_to(root).as_posix(), lines


def _requirement_names(lines: Iterable[str]) -> set[str]:
    """The distribution names of requirement lines, normalized (``Flake8_Requirements
    ==1.7.8`` -> ``flake8-requirements``); options, comments and blanks skipped."""
    names = set()
    for line in lines:
        match = _REQUIREMENT.match(line)
        if match:
            names.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return names


def _strings(value: object) -> list[str]:
    """``value`` if it is a list, its strings only; else ``[]``."""
    items = value if isinstance(value, list) else []
    return [item for item in items if isinstance(item, str)]


def _flake8_config(root: Path) -> tuple[str, dict[str, str]]:
    """The file whose ``[flake8]`` section flake8 reads (the first of
    :data:`FLAKE8_FILES` that has one) and its options; ``("", {})`` if none."""
    for name in FLAKE8_FILES:
        path = root / name
        if path.is_file():
            parser = read_ini(path)
            if parser.has_section("flake8"):
                return name, dict(parser["flake8"])
    return "", {}


def _known_modules(value: object) -> frozenset[str]:
    """The modules flake8-requirements' ``known-modules`` names (``project:[a,b],
    other:[c]`` -> a, b, c), in whichever project's list."""
    if not isinstance(value, str):
        return frozenset()
    lists = _KNOWN_MODULES.findall(value)
    return frozenset(
        module.strip()
        for modules in lists
        for module in modules.split(",")
        if module.strip()
    )


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
        parser = read_ini(path)
        for section in ("isort", "tool:isort"):
            if parser.has_section(section):
                return f"[{section}] in {name}"
    return ""


def read_ini(path: Path) -> configparser.ConfigParser:
    """The ini file ``path`` (``setup.cfg``, ``tox.ini``...), parsed; a
    malformed one is a one-line :class:`CancelgenError`."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as error:
        raise CancelgenError(f"cannot read {path}: {error}") from error
    return parser


def _hook_ids(hooks: list[dict[str, Any]]) -> set[str]:
    """The ids of ``hooks`` (:func:`_pre_commit_hooks`)."""
    return {hook["id"] for hook in hooks if isinstance(hook.get("id"), str)}


def _pre_commit_hooks(root: Path) -> list[dict[str, Any]]:
    """The hooks of the project's ``.pre-commit-config.yaml``, as written."""
    path = root / PRE_COMMIT
    if not path.is_file():
        return []
    # Only projects with a pre-commit configuration pay for the import;
    # imported by name (PyYAML ships no types).
    yaml: Any = importlib.import_module("yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CancelgenError(f"cannot read {path}: {error}") from error
    found = []
    repos = data.get("repos", []) if isinstance(data, dict) else []
    for repo in repos if isinstance(repos, list) else []:
        hooks = repo.get("hooks", []) if isinstance(repo, dict) else []
        for hook in hooks if isinstance(hooks, list) else []:
            if isinstance(hook, dict):
                found.append(
                    {REPO_KEY: repo.get("repo"), REV_KEY: repo.get("rev"), **hook}
                )
    return found
