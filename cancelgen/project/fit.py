"""The format stage: generated files written the way the project writes its own.

One entry point, :func:`fit_files`, used by ``new`` and by every record's
rendering (:mod:`cancelgen.kinds`), so ``status`` and ``upgrade`` compare with
exactly what ``new`` wrote. With the project's tools (:mod:`cancelgen.project.tools`):

1. the linter's safe fixes (``ruff check --fix-only``, with ruff's import
   sorting when ruff sorts the project's imports);
2. isort, when the project sorts with isort;
3. the formatter, last (``ruff format`` with the project's ruff
   configuration, or black with ``[tool.black]``), as ruff advises (``ruff
   check --fix`` before ``ruff format``). Fixes that only a formatted file
   would trigger are the rules ruff lists as conflicting with its formatter
   (``COM812``, ``ISC001``...), which a project turns off; so one pass is
   enough. Without isort in between, each file goes through one ruff pipe.

4. comments and docstrings rewrapped where a line of theirs is over the
   project's limit (:mod:`cancelgen.core.rewrap`): the formatter's line
   length, or a linter's narrower one (flake8's 79 by default,
   :mod:`cancelgen.project.line_limits`), which formatters do not enforce
   on them.

Before them, for a project that pins a mypy older than 1.11, ``Generator``
and ``AsyncGenerator`` hints get their defaulted arguments spelled out
(:mod:`cancelgen.core.generator_hints`).

black runs first as well, where its caches can answer (for a new name too,
:mod:`cancelgen.namefree`), and again only on a file the fixes or the sort
changed (its exact cache answers that for a name seen before).

A project with none of these set up gets black alone, as before.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from cancelgen.core.spec import WorkerSpec
    from cancelgen.project.detect import Project


def fit_files(
    files: Mapping[str, str], project: Project, spec: WorkerSpec | None = None
) -> dict[str, str]:
    """``files`` (``{path relative to the project root: source}``) as the project
    would write them. ``spec``: the worker whose files these are (``render(spec)``
    and extras), which lets black's name-free cache answer."""
    from cancelgen.core import generator_hints
    from cancelgen.core.rewrap import rewrap

    spell_out = project.tools.spells_out_generators
    if spell_out:
        files = {
            path: generator_hints.spell_out(text) if path.endswith(".py") else text
            for path, text in files.items()
        }
    width = project.tools.comment_width(project.black.line_length)
    return {
        path: rewrap(text, width) if path.endswith(".py") else text
        for path, text in _fit(files, project, spec, renamed=not spell_out).items()
    }


def _fit(
    files: Mapping[str, str],
    project: Project,
    spec: WorkerSpec | None,
    *,
    renamed: bool,
) -> dict[str, str]:
    """:func:`fit_files` before comments and docstrings are rewrapped;
    ``renamed``: black's output for ``spec``'s files may come from its
    name-free cache (which holds the templates' spelling only)."""
    from cancelgen.core import cache

    for batch in _batches:
        answer = batch.answer(files, project, spec)
        if answer is not None:
            return answer
    tools = project.tools
    pending = _pending(project, spec)
    if tools.formatter.name == "black":
        # black first, where its caches (the name-free one too) can answer;
        # then black again only on what the fixes or the sort changed.
        if spec is not None and renamed:
            formatted = cache.format_worker_files(spec, files, project.black)
        else:
            formatted = cache.format_files(files, project.black)
        result = _sort(_fix(formatted, project, pending), project)
        changed = {
            path: text for path, text in result.items() if text != formatted[path]
        }
        result.update(cache.format_files(changed, project.black))
        return result
    if _ruff_only(project):
        # No step of cancelgen's own in between: one ruff pipe per file.
        stages = _pipe(project, pending)
        pipes = {path: stages for path in files if path.endswith(".py")}
        return _run_ruff([(files, spec)], pipes, files, project)
    result = _fix(files, project, pending)
    result = _sort(result, project)
    return _format(result, project)


@dataclass(frozen=True)
class _Batch:
    """What :func:`fitted_together` fitted: ``(files, spec, result)`` of each group."""

    project: Project
    groups: list[tuple[dict[str, str], WorkerSpec | None, dict[str, str]]]

    def answer(
        self, files: Mapping[str, str], project: Project, spec: WorkerSpec | None
    ) -> dict[str, str] | None:
        """:func:`fit_files` of these arguments, if fitted here; else None."""
        if project is not self.project:
            return None
        for given, given_spec, result in self.groups:
            if given_spec == spec and given == dict(files):
                return dict(result)
        return None


_batches: list[_Batch] = []


@contextmanager
def fitted_together(
    groups: Sequence[tuple[Mapping[str, str], WorkerSpec | None]], project: Project
) -> Iterator[None]:
    """Within the block, :func:`fit_files` answers each of ``groups``
    (``(files, spec)`` as it takes them) from one run that fitted them all.

    Where ruff does all the work, every file's ruff pipe then starts at
    once, instead of one group's pipes waiting for the last group's (``new``
    fits a worker's files, then the modules they share with other workers).
    Elsewhere (black, isort) it does nothing: each call fits as before.
    """
    todo = [(dict(files), spec) for files, spec in groups if files]
    paths = [path for files, _ in todo for path in files]
    if not _ruff_only(project) or len(set(paths)) != len(paths):
        yield
        return

    pipes = _ruff_pipes(todo, project)
    every = {path: text for files, _ in todo for path, text in files.items()}
    fitted = _run_ruff(todo, pipes, every, project)
    batch = _Batch(
        project,
        [(files, spec, {path: fitted[path] for path in files}) for files, spec in todo],
    )
    _batches.append(batch)
    try:
        yield
    finally:
        _batches.remove(batch)


@contextmanager
def started_early(
    groups: Sequence[tuple[Sequence[str], WorkerSpec | None]], project: Project
) -> Iterator[None]:
    """Within the block, the ruff pipes :func:`fitted_together` will run for
    the files ``groups`` names (``(paths, spec)``: the paths of what it will
    be given for ``spec``) are already started, waiting for their text
    (:func:`cancelgen.core.format_ruff.started_early`).

    ``new`` calls it as soon as it knows which files it writes, so ruff's
    start-ups run beside the rendering. Only where ruff does all the work.
    """
    if not _ruff_only(project):
        yield
        return
    from cancelgen.core import format_ruff

    with format_ruff.src_roots_remembered():
        pipes = _ruff_pipes(groups, project)
        spec_of = {path: spec for paths, spec in groups for path in paths}

        def shipped(path: str) -> bool:
            # If the table does not answer after all, fitted_together
            # starts the file's pipe once its text is known.
            from cancelgen.project import shipped_ruff

            return shipped_ruff.expected(project.root, spec_of[path])

        with format_ruff.started_early(pipes, project.root, shipped):
            yield


def feed_early(files: Mapping[str, str], project: Project) -> None:
    """Hand ``files`` over to the pipes :func:`started_early` started for them
    now, so ruff works on them while the rest is rendered (a pipe whose file
    :func:`fitted_together` then gets with another text is started again)."""
    from cancelgen.core import format_ruff

    format_ruff.feed_early(files, project.root)


def _run_ruff(
    groups: Sequence[tuple[Mapping[str, str], WorkerSpec | None]],
    pipes: Mapping[str, Sequence[Sequence[str]]],
    every: Mapping[str, str],
    project: Project,
) -> dict[str, str]:
    """``every`` file (the files of ``groups``, ``(files, spec)``) with each
    of ``pipes`` through its ruff commands: answered by ruff's cache, then
    by the shipped table (and cached), then by ruff."""
    from cancelgen.core import format_ruff

    def shipped(missed: list[str]) -> dict[str, str]:
        return _shipped(
            [
                ({path: text for path, text in files.items() if path in missed}, spec)
                for files, spec in groups
            ],
            project,
        )

    return format_ruff.run_pipes(pipes, every, project.root, shipped)


def _shipped(
    groups: Iterable[tuple[Mapping[str, str], WorkerSpec | None]], project: Project
) -> dict[str, str]:
    """ruff's output for the files of ``groups`` (``(files, spec)``) that the
    shipped table answers (:mod:`cancelgen.project.shipped_ruff`)."""
    found: dict[str, str] = {}
    for files, spec in groups:
        if not any(path.endswith(".py") for path in files):
            continue  # all answered by ruff's cache: the table is not read
        from cancelgen.project import shipped_ruff

        pending = _pending(project, spec)
        stages_of = functools.partial(_pipe, project)
        found.update(shipped_ruff.fitted(files, spec, pending, stages_of, project.root))
    return found


def _ruff_only(project: Project) -> bool:
    """Whether ruff does all the work: it formats, and no isort sorts."""
    tools = project.tools
    return tools.formatter.name == "ruff" and tools.sorter.name != "isort"


def _ruff_pipes(
    groups: Iterable[tuple[Iterable[str], WorkerSpec | None]], project: Project
) -> dict[str, list[Sequence[str]]]:
    """The ruff commands of each Python file of ``groups`` (``(paths, spec)``)."""
    pipes: dict[str, list[Sequence[str]]] = {}
    for paths, spec in groups:
        stages = _pipe(project, _pending(project, spec))
        pipes.update({path: stages for path in paths if path.endswith(".py")})
    return pipes


def _pipe(project: Project, pending: Sequence[str]) -> list[Sequence[str]]:
    """The ruff commands each file goes through where ruff does all the work."""
    from cancelgen.core import format_ruff

    stages: list[Sequence[str]] = [format_ruff.FORMAT]
    if project.tools.linter.name:
        stages.insert(0, _fix_args(project, pending))
    return stages


def _pending(project: Project, spec: WorkerSpec | None) -> list[str]:
    """The generated modules other generated files import that do not exist
    yet and that ruff will count as first-party once they do.

    ruff takes ``a.b`` for first-party when ``<folder>/a/b.py`` exists in one
    of its ``src`` folders; while ``new`` formats, these files are not written
    yet, so cancelgen asks ruff for those folders and names the modules that
    will land in one ``known-first-party`` for the run (the worker in
    ``src/demo`` with the default ``src``; the tests folder's engine only when
    ``src`` names the tests folder; nothing when ``src = ["src/trio"]`` makes
    even ``trio.worker`` third-party).
    """
    if spec is None or not project.tools.linter.name:
        return []
    modules = [(spec.module_path, spec.module_import)]
    if spec.support_module:
        modules.append((spec.support_path, spec.support_import))
    if spec.shared_tests and not spec.tests_package:  # else a relative import
        modules.append((spec.test_support_path, spec.test_support_import))
    missing = [
        (project.root / path, name)
        for path, name in modules
        if not (project.root / path).exists()
    ]
    if not missing:
        return []
    roots = _src_roots(project, spec)
    return [name for path, name in missing if _module_root(path, name) in roots]


def _module_root(path: Path, name: str) -> Path | None:
    """The folder from which ``path`` is module ``name`` (``src`` for
    ``src/demo/worker.py`` and ``demo.worker``), resolved; None if none is."""
    base = path.parents[name.count(".")]
    if base.joinpath(*name.split(".")).with_suffix(".py") != path:
        return None
    return base.resolve()


def _src_roots(project: Project, spec: WorkerSpec) -> set[Path]:
    """ruff's ``src`` folders for the test module, resolved (ruff's default,
    the root and ``src``, when ruff cannot say). Read from the configuration
    where it leaves ``src`` at the default, which saves a ruff process."""
    from cancelgen.core import format_ruff

    tests = project.root / (spec.tests_dir or ".")
    probe = tests if tests.is_dir() else project.root
    roots = format_ruff.default_src_roots(project.root, probe)
    if roots is None and tests.is_dir():
        roots = format_ruff.src_roots(project.root, tests)
    if roots is None:
        roots = format_ruff.src_roots(project.root, project.root)
    if roots is None:
        roots = [project.root, project.root / "src"]
    return {root.resolve() for root in roots}


def _fix_args(project: Project, pending: Sequence[str]) -> list[str]:
    from cancelgen.core import format_ruff

    sort = project.tools.sorter.name == "ruff"
    return format_ruff.fix_args(sort_imports=sort, first_party=pending)


def _fix(
    files: Mapping[str, str], project: Project, pending: list[str]
) -> dict[str, str]:
    if not project.tools.linter.name:
        return dict(files)
    from cancelgen.core import format_ruff

    stage = _fix_args(project, pending)
    return format_ruff.run_stages([stage], files, project.root)


def _sort(files: Mapping[str, str], project: Project) -> dict[str, str]:
    if project.tools.sorter.name != "isort":
        return dict(files)
    from cancelgen.core import sort_isort

    return sort_isort.sort_files(files, project.root)


def _format(files: Mapping[str, str], project: Project) -> dict[str, str]:
    if project.tools.formatter.name == "ruff":
        from cancelgen.core import format_ruff

        return format_ruff.format_files(files, project.root)
    from cancelgen.core import cache

    return cache.format_files(files, project.black)
