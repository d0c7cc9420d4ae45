"""ruff's output shipped in the package, for a project that leaves ruff at its defaults.

In a project black formats with its defaults, a first ``cancelgen new`` runs
no black: the shipped table (:mod:`cancelgen.core.shipped`) holds black's
output for each backend's default worker and sweep engine, and the name-free
renaming (:mod:`cancelgen.core.cache.name_free`) serves any worker name. The
same table holds what ruff writes for those files (``ruff check --fix-only
--extend-select I ... | ruff format``, :mod:`cancelgen.core.format_ruff`) in
a project whose ruff configuration is ruff's defaults, so that a first worker
there starts no ruff either.

An entry answers only where ruff would write exactly it. Its key holds:

- the version of the ruff package's binary (the table's entries are made
  with one; ``CANCELGEN_RUFF`` or any ``RUFF_*`` variable: no answer);
- that the configuration is ruff's defaults (:func:`configuration`): a
  ``[tool.ruff]`` table in ``pyproject.toml`` whose every setting, if any,
  is at its default (:data:`DEFAULTS`), no ``ruff.toml`` or ``.ruff.toml``
  at the root nor any configuration file between the root and the file, no
  ``__init__.py`` at the root; and a ``requires-python`` whose every lower
  bound is 3.11 to 3.13 (ruff targets the lowest;
  ``tests/project/test_shipped_ruff.py`` checks that these targets all get
  the same output, so the key holds the range, not the target);
- the commands (the run's ``known-first-party`` included), the file's path,
  what ruff reads from the disk to sort imports (which folders are packages,
  which imported modules exist in the ``src`` folders:
  :mod:`cancelgen.core.cache.ruff_output`), and the text.

A worker's own two files are keyed by the placeholder's answers (name and
package) instead of the text: the entry holds the placeholder's text and its
disk facts, and answers only where the files are that text renamed, as for
black, the facts are the same, and the modules named ``known-first-party``
are the placeholder's renamed; the worker's package is then first-party by
that setting alone, so what the disk holds of it is left out of the facts. ruff's output renamed is what ruff writes for the renamed files
when every renamed row still fits the line (``rows_to_fit``, worked out from
ruff's output as from black's; a row that no longer fits misses, as ruff may
split it otherwise than black) and every import statement naming the worker
is alone in its section (ruff's import sorting then has nothing to move it
against, and its two names sort as a class and a function whatever they
are). ``tests/project/test_shipped_ruff.py`` compares the answers with ruff's
own output for many names and layouts.
"""

from __future__ import annotations

import ast
import functools
import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from cancelgen.core.spec import WorkerSpec

DEFAULTS: Mapping[str, Any] = {
    "line-length": 88,
    "indent-width": 4,
    "preview": False,
    "format": {
        "quote-style": "double",
        "indent-style": "space",
        "skip-magic-trailing-comma": False,
        "line-ending": "auto",
        "docstring-code-format": False,
        "preview": False,
    },
}
"""ruff's settings that a project may spell out at their default values and
still get the shipped output (``[tool.ruff]`` with ``line-length = 88``)."""
LINE_LENGTH = 88
FLOORS = ((3, 11), (3, 13))
"""The oldest and newest ``requires-python`` floor the entries answer for.
Not 3.14: ruff targeting it writes ``except A, B:`` (PEP 758) where older
targets keep the parentheses."""
WORKERS = "ruff-workers"
"""The table's key of the placeholder workers whose files it holds."""
VERSION = "ruff"
"""The key of the ruff version in the table's ``"versions"``."""

Stages = Sequence[Sequence[str]]
StagesOf = Callable[[Sequence[str]], Stages]
"""The ruff commands of a run that names these modules ``known-first-party``."""


def _at_defaults(table: Mapping[str, Any], defaults: Mapping[str, Any]) -> bool:
    for key, value in table.items():
        default = defaults.get(key)
        if isinstance(default, Mapping):
            if not isinstance(value, Mapping) or not _at_defaults(value, default):
                return False
        elif default is None or type(value) is not type(default) or value != default:
            return False
    return True


def configuration(root: Path) -> str | None:
    """What the entries' keys say of the configuration, when ruff takes its
    defaults for the files under ``root`` (see the module's docstring); None
    when it may not."""
    from cancelgen.core.format_ruff import RUFF_ENV

    if any(name.startswith("RUFF_") or name == RUFF_ENV for name in os.environ):
        return None
    return _configuration(root.resolve())


@functools.lru_cache(maxsize=8)
def _configuration(root: Path) -> str | None:
    from cancelgen.core.format_ruff import CONFIG_FILES
    from cancelgen.project.floor import UnreadableFloor, parse_floor

    others = [name for name in CONFIG_FILES if name != "pyproject.toml"]
    if any((root / name).exists() for name in ("__init__.py", *others)):
        return None
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    tool, project = data.get("tool"), data.get("project")
    ruff = tool.get("ruff") if isinstance(tool, dict) else None
    if not isinstance(ruff, dict) or not _at_defaults(ruff, DEFAULTS):
        return None
    if not isinstance(project, dict):
        return None
    spelled = [key for key in project if key.replace("_", "-") == "requires-python"]
    requirement = project.get("requires-python")
    if spelled != ["requires-python"] or not isinstance(requirement, str):
        return None  # ruff reads requires_python too, and refuses both
    try:
        floor = parse_floor(requirement)
    except UnreadableFloor:
        return None
    if floor is None or not FLOORS[0] <= floor <= FLOORS[1]:
        return None
    if not _lower_bounds_in_range(requirement):
        return None
    oldest, newest = (".".join(map(str, version)) for version in FLOORS)
    return f"ruff's defaults, requires-python's floor {oldest} to {newest}"


_CLAUSE = re.compile(r"\s*(===|==|~=|>=|<=|!=|>|<)\s*(\d+)(?:\.(\d+))?")


def _lower_bounds_in_range(requirement: str) -> bool:
    """Whether every lower bound of ``requirement`` names a Python of
    :data:`FLOORS`: ruff takes the lowest of them as its target version,
    where ``!=`` clauses do not count (``>=3.8,!=3.8.*,!=3.9.*,!=3.10.*``
    admits 3.11 at the oldest, but ruff targets 3.8)."""
    lower = 0
    for clause in requirement.split(","):
        found = _CLAUSE.match(clause)
        if found is None:
            return False
        operator, major, minor = found[1], int(found[2]), int(found[3] or 0)
        if operator in ("<", "<=", "!="):
            continue
        newest = FLOORS[1][1] - (operator == ">")  # >3.13 admits 3.13.1, or 3.14
        if major != 3 or not FLOORS[0][1] <= minor <= newest:
            return False
        lower += 1
    return lower > 0


def _table(part: str = "ruff") -> dict[str, Any]:
    from cancelgen.core import shipped

    return shipped.table(part)


def expected(root: Path, spec: WorkerSpec | None) -> bool:
    """Whether the table likely answers for ``spec``'s files (None: the
    shared modules) under ``root``: ``new`` starts no ruff for them early."""
    from cancelgen.core.cache.name_free import placeholder_spec
    from cancelgen.core.format_ruff import bundled_version

    versions = _table("").get("versions")
    made = versions.get(VERSION) if isinstance(versions, dict) else None
    if configuration(root) is None or made is None or made != bundled_version():
        return False
    if spec is None:
        return True
    shipped = _table().get(WORKERS)
    placeholder = _placed(placeholder_spec(spec), spec)
    return isinstance(shipped, list) and _answers(placeholder) in shipped


def _answers(spec: WorkerSpec) -> Any:
    import json

    return json.loads(json.dumps(spec.answers()))


class Lookup(NamedTuple):
    """Where the table may hold ruff's output for one file, and what the
    entry must show to answer for it."""

    key: str
    placeholder: bool
    """Whether the entry is a placeholder worker's file, keyed by the
    placeholder's answers (``[output, rows to fit, its text, its facts]``),
    to rename; else it is keyed by the text itself (``[output, rows]``)."""
    src: Sequence[Path]
    """ruff's ``src`` folders for the file."""
    first_party: Sequence[str]
    """The modules named ``known-first-party``, as the placeholder's."""


def keys(
    files: Mapping[str, str],
    spec: WorkerSpec | None,
    pending: Sequence[str],
    stages_of: StagesOf,
    root: Path,
) -> dict[str, Lookup]:
    """Where the table may hold ruff's output for each Python file of ``files``.

    ``files`` is one group :func:`cancelgen.project.fit.fit_files` fits:
    ``spec``'s files (``render(spec)`` and the conftest beside them), or the
    shared modules (``spec`` None). ``pending``: the modules the run names
    ``known-first-party``; ``stages_of``: the run's commands for such a list.
    A worker's own two files are keyed by the placeholder's answers (its
    text is in the entry, to compare: rendering it again would cost as much
    as the rest), any other by its text and what ruff reads of the disk.
    """
    from cancelgen.core import shipped
    from cancelgen.core.format_ruff import bundled_version, default_src_roots

    token, version = configuration(root), bundled_version()
    if token is None or version is None:
        return {}
    placeholder = _placeholder(spec, pending)
    if placeholder is None:
        return {}
    paths, first_party, answers = placeholder
    commands = repr([list(args) for args in stages_of(first_party)])
    found: dict[str, Lookup] = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            continue
        src = default_src_roots(root, (root / path).parent)
        if src is None:
            continue
        if path in paths:
            parts = ["ruff-worker", paths[path], answers]
        elif _names_none(text, [*pending, *first_party]):
            parts = ["ruff", path, *_facts(root, path, text, src, frozenset()), text]
        else:
            continue
        key = shipped._digest(version, token, commands, *parts)
        found[path] = Lookup(key, path in paths, src, first_party)
    return found


def _names_none(text: str, first_party: Sequence[str]) -> bool:
    """Whether ``text`` imports none of ``first_party`` (a conftest.py): which
    modules the run names ``known-first-party`` then changes nothing."""
    from cancelgen.core.cache.ruff_output import imported_modules

    named, _ = imported_modules(text)
    return not any(_first_party(module, first_party) for module in named)


def _first_party(module: tuple[str, ...], names: Sequence[str]) -> bool:
    dotted = ".".join(module)
    return any(dotted == name or dotted.startswith(f"{name}.") for name in names)


def _own(first_party: Sequence[str]) -> frozenset[str]:
    """The top-level names of the worker's modules: first-party by
    ``known-first-party`` alone, so their facts on the disk do not count."""
    return frozenset(name.split(".")[0] for name in first_party)


def _facts(
    root: Path, path: str, text: str, src: Sequence[Path], own: frozenset[str]
) -> list[str]:
    from cancelgen.core.cache.ruff_output import import_facts, package_facts

    return [package_facts(root, root / path), import_facts(text, src, own)]


def _placeholder(
    spec: WorkerSpec | None, pending: Sequence[str]
) -> tuple[dict[str, str], list[str], str] | None:
    """For ``spec``'s files: the placeholder's path of each of the worker's
    two files, ``pending`` as the placeholder's modules, and the
    placeholder's answers; None where a module of ``pending`` is not one of
    the worker's. Nothing of the first for the shared modules (``spec`` None)."""
    if spec is None:
        return {}, [*pending], ""
    import json

    from cancelgen.core.cache.name_free import placeholder_spec

    placeholder = _placed(placeholder_spec(spec), spec)
    modules = {
        spec.module_import: placeholder.module_import,
        spec.support_import: placeholder.support_import,
        spec.test_support_import: placeholder.test_support_import,
    }
    if any(name not in modules for name in pending):
        return None
    paths = {
        spec.module_path: placeholder.module_path,
        spec.test_path: placeholder.test_path,
    }
    answers = json.dumps(placeholder.answers(), sort_keys=True)
    return paths, [modules[name] for name in pending], answers


def _placed(placeholder: WorkerSpec, spec: WorkerSpec) -> WorkerSpec:
    """``placeholder`` with its package's folder renamed as its import path
    is (``src/demo`` -> ``src/qzqpkg``), so its files' paths are the
    placeholder's too; as it is where the folder does not end in that path."""
    from dataclasses import replace
    from pathlib import PurePosixPath

    old, new = spec.package_import.split("."), placeholder.package_import.split(".")
    parts = PurePosixPath(spec.package_dir).parts
    if not spec.package_import or old == new or tuple(parts[-len(old) :]) != tuple(old):
        return placeholder
    return replace(
        placeholder, package_dir=str(PurePosixPath(*parts[: -len(old)], *new))
    )


def entry(lookup: Lookup, root: Path, path: str, text: str, output: str) -> list[Any]:
    """The table's entry for ``lookup``: ruff's ``output`` for ``text`` (at
    ``path`` under ``root``), in a project the table is made in."""
    fit = rows_to_fit(output)
    if not lookup.placeholder:
        return [output, fit]
    facts = _facts(root, path, text, lookup.src, _own(lookup.first_party))
    return [output, fit, text, facts]


def fitted(
    files: Mapping[str, str],
    spec: WorkerSpec | None,
    pending: Sequence[str],
    stages_of: StagesOf,
    root: Path,
) -> dict[str, str]:
    """ruff's output for those Python files of ``files`` the table answers
    (the arguments are :func:`keys`'): renamed to ``spec`` where the entry
    is the placeholder's, and only if ``files`` holds its text renamed, every
    import of the worker's modules in it is named ``known-first-party``, and
    the disk shows ruff the same facts."""
    from cancelgen.core.cache.name_free import renamed
    from cancelgen.core.cache.ruff_output import imported_modules

    table = _table()
    result: dict[str, str] = {}
    for path, lookup in keys(files, spec, pending, stages_of, root).items():
        found = table.get(lookup.key)
        if not isinstance(found, list) or len(found) != (
            4 if lookup.placeholder else 2
        ):
            continue
        output, fit = str(found[0]), found[1]
        if lookup.placeholder:
            text, facts = str(found[2]), found[3]
            if spec is None or fit is None or renamed(text, spec) != files[path]:
                continue
            own = _own(lookup.first_party)
            named, _ = imported_modules(text)
            if not all(
                _first_party(m, lookup.first_party) for m in named if m[0] in own
            ):
                continue
            if _facts(root, path, text, lookup.src, own) != facts:
                continue
            output = renamed(output, spec)
            lines = output.splitlines()
            if any(len(lines[row]) > LINE_LENGTH for row in fit):
                continue  # ruff may split the row: it runs
        result[path] = output
    return result


def rows_to_fit(output: str) -> list[int] | None:
    """The rows of ruff's ``output`` for a placeholder's file that must still
    fit after renaming; None where the output cannot be renamed (a row naming
    the placeholder in a split bracket or over the line, or an import naming
    it beside others in its section)."""
    from cancelgen.core.cache import name_free

    fit = name_free.rows_to_fit(output, LINE_LENGTH)
    return fit if fit is not None and _imports_alone(output) else None


def _imports_alone(output: str) -> bool:
    """Whether each import statement naming the placeholder is alone in its
    section: the rows just above and below it hold no import statement."""
    from cancelgen.core.cache.name_free import PLACEHOLDER

    lines = output.splitlines()
    spans = [
        (node.lineno - 1, (node.end_lineno or node.lineno) - 1)
        for node in ast.walk(ast.parse(output))
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    rows = {row for first, last in spans for row in range(first, last + 1)}
    return all(
        first - 1 not in rows and last + 1 not in rows
        for first, last in spans
        if any(PLACEHOLDER in line.lower() for line in lines[first : last + 1])
    )
