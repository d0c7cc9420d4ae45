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
  ``__init__.py`` at the root; and a ``requires-python`` whose floor, ruff's
  target version, is 3.11 to 3.13 (``tests/project/test_shipped_ruff.py``
  checks that these floors all get the same output, so the key holds the
  range, not the floor);
- the commands (the run's ``known-first-party`` included), the file's path,
  what ruff reads from the disk to sort imports (which folders are packages,
  which imported modules exist in the ``src`` folders:
  :mod:`cancelgen.core.cache.ruff_output`), and the text.

A worker's own files are keyed as the placeholder's (name and package): they
must be the placeholder's files renamed, as for black, and the modules named
``known-first-party`` the placeholder's renamed; the worker's package is then
first-party by that setting alone, so what the disk holds of it is left out
of the key. ruff's output renamed is what ruff writes for the renamed files
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
import tomllib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
    from cancelgen.project.floor import UnreadableFloor, parse_floor

    if any((root / name).exists() for name in ("__init__.py", "ruff.toml")):
        return None
    if (root / ".ruff.toml").exists():
        return None
    try:
        data = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    tool, project = data.get("tool"), data.get("project")
    ruff = tool.get("ruff") if isinstance(tool, dict) else None
    if not isinstance(ruff, dict) or not _at_defaults(ruff, DEFAULTS):
        return None
    requirement = project.get("requires-python") if isinstance(project, dict) else None
    if not isinstance(requirement, str):
        return None
    try:
        floor = parse_floor(requirement)
    except UnreadableFloor:
        return None
    if floor is None or not FLOORS[0] <= floor <= FLOORS[1]:
        return None
    oldest, newest = (".".join(map(str, version)) for version in FLOORS)
    return f"ruff's defaults, requires-python's floor {oldest} to {newest}"


def _table() -> dict[str, Any]:
    from cancelgen.core import shipped

    return shipped._table()


def expected(root: Path, spec: WorkerSpec | None) -> bool:
    """Whether the table likely answers for ``spec``'s files (None: the
    shared modules) under ``root``: ``new`` starts no ruff for them early."""
    from cancelgen.core.cache.name_free import placeholder_spec
    from cancelgen.core.format_ruff import bundled_version

    versions = _table().get("versions")
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


def keys(
    files: Mapping[str, str],
    spec: WorkerSpec | None,
    pending: Sequence[str],
    stages_of: StagesOf,
    root: Path,
) -> dict[str, tuple[str, bool]]:
    """The table's key of each Python file of ``files`` it could answer, and
    whether the entry is the placeholder's, to be renamed to ``spec``.

    ``files`` is one group :func:`cancelgen.project.fit.fit_files` fits:
    ``spec``'s files (``render(spec)`` and the conftest beside them), or the
    shared modules (``spec`` None). ``pending``: the modules the run names
    ``known-first-party``; ``stages_of``: the run's commands for such a list.
    """
    from cancelgen.core import shipped
    from cancelgen.core.cache.ruff_output import imported_modules
    from cancelgen.core.format_ruff import bundled_version, default_src_roots

    token, version = configuration(root), bundled_version()
    if token is None or version is None:
        return {}
    placeholder = _placeholder_files(files, spec, pending)
    if placeholder is None:
        return {}
    texts, first_party = placeholder
    own = frozenset(name.split(".")[0] for name in first_party)
    commands = repr([list(args) for args in stages_of(first_party)])
    found: dict[str, tuple[str, bool]] = {}
    for path, (placeholder_path, text, rename) in texts.items():
        src = default_src_roots(root, (root / path).parent)
        if src is None:
            continue
        named, _ = imported_modules(text)
        if rename:
            # The worker's modules: first-party by known-first-party alone.
            skip = own
            if not all(_first_party(m, first_party) for m in named if m[0] in own):
                continue
        else:
            # Another file (conftest.py): no import that either run's
            # known-first-party names, so which it names changes nothing.
            skip = frozenset()
            if any(_first_party(m, [*pending, *first_party]) for m in named):
                continue
        facts = _facts(root, path, text, src, skip)
        key = shipped._digest(
            "ruff", version, token, placeholder_path, commands, *facts, text
        )
        found[path] = key, rename
    return found


def _first_party(module: tuple[str, ...], names: Sequence[str]) -> bool:
    dotted = ".".join(module)
    return any(dotted == name or dotted.startswith(f"{name}.") for name in names)


def _facts(
    root: Path, path: str, text: str, src: Sequence[Path], own: frozenset[str]
) -> tuple[str, str]:
    from cancelgen.core.cache.ruff_output import import_facts, package_facts

    return package_facts(root, root / path), import_facts(text, src, own)


def _placeholder_files(
    files: Mapping[str, str], spec: WorkerSpec | None, pending: Sequence[str]
) -> tuple[dict[str, tuple[str, str, bool]], list[str]] | None:
    """Each Python file of ``files`` as the placeholder's (its path, its text,
    True) where it is the placeholder's renamed, else as it is (False); and
    ``pending`` as the placeholder's modules. None where a module of
    ``pending`` is not one of the worker's."""
    if spec is None:
        as_they_are = {path: (path, text, False) for path, text in files.items()}
        return _python(as_they_are), [*pending]
    from cancelgen.core.cache.name_free import placeholder_spec, renamed
    from cancelgen.core.render import render

    placeholder = _placed(placeholder_spec(spec), spec)
    modules = {
        spec.module_import: placeholder.module_import,
        spec.support_import: placeholder.support_import,
        spec.test_support_import: placeholder.test_support_import,
    }
    if any(name not in modules for name in pending):
        return None
    texts: dict[str, tuple[str, str, bool]] = {}
    for path, text in render(placeholder).items():
        target = renamed(path, spec)
        if target in files and files[target] == renamed(text, spec):
            texts[target] = path, text, True
    for path, text in files.items():
        texts.setdefault(path, (path, text, False))
    return _python(texts), [modules[name] for name in pending]


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


def _python(
    texts: dict[str, tuple[str, str, bool]],
) -> dict[str, tuple[str, str, bool]]:
    return {path: value for path, value in texts.items() if path.endswith(".py")}


def fitted(
    files: Mapping[str, str],
    spec: WorkerSpec | None,
    pending: Sequence[str],
    stages_of: StagesOf,
    root: Path,
) -> dict[str, str]:
    """ruff's output for those Python files of ``files`` the table answers
    (the arguments are :func:`keys`'): renamed to ``spec`` where the entry
    is the placeholder's."""
    from cancelgen.core.cache.name_free import renamed

    table = _table()
    result: dict[str, str] = {}
    for path, (key, rename) in keys(files, spec, pending, stages_of, root).items():
        entry = table.get(key)
        if not isinstance(entry, list) or len(entry) != 2:
            continue
        text, fit = str(entry[0]), entry[1]
        if rename:
            if spec is None or fit is None:
                continue
            text = renamed(text, spec)
            lines = text.splitlines()
            if any(len(lines[row]) > LINE_LENGTH for row in fit):
                continue  # ruff may split the row: it runs
        result[path] = text
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
