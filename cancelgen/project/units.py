"""What each kind of record renders, and how its answers are checked.

A record (:mod:`cancelgen.project.records`) names its kind; the kind turns the
record's answers into files through the same pipeline ``cancelgen new`` uses
(render, then the project's formatter, import order and lint fixes:
:mod:`cancelgen.project.fit`):

- ``worker``: the answers are a full :class:`~cancelgen.core.spec.WorkerSpec`; the
  files are the worker module (the primary path) and its test module.
- ``import-path``: the ``conftest.py`` that puts the worker's import root on
  ``sys.path`` for pytest; the answers are ``tests_dir`` and ``import_root``.
  Several workers share it, so it is a unit of its own.
- ``coroutine-test``: the sweep test of a coroutine the user already has
  (``cancelgen new test``); the answers are a
  :class:`~cancelgen.core.coroutine_test.CoroutineTest`'s (target, backend,
  tests folder, how it is called and what it needs), so rendering it again
  imports nothing. Its test imports the tests folder's test support module.
- ``support-module``: the shared support module of a package's workers of one
  backend (``_cancellation_<backend>.py``, :mod:`cancelgen.core.support_module`); the
  answers are ``backend``, ``package_dir`` and ``package_import``. Upgrades
  replace it wholesale instead of merging (:func:`cancelgen.project.upgrade.plan_support`).

A record whose primary path or files are not what its answers render is
refused: cancelgen never writes a file on the word of a record that does not
match it. Adding a kind is one entry in ``KINDS``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path, PurePosixPath
from typing import Any

from cancelgen import __version__
from cancelgen.core.coroutine_test import CoroutineTest
from cancelgen.core.spec import SettingError, WorkerSpec
from cancelgen.errors import CancelgenError, UsageError, did_you_mean
from cancelgen.project.detect import Project, conftest_path, import_path_conftest
from cancelgen.project.records import (
    Record,
    RecordError,
    Writes,
    digest,
    read_pristine,
    read_record,
    read_records,
    record_location,
    record_writes,
)
from cancelgen.project.write import Plan

WORKER = "worker"
IMPORT_PATH = "import-path"
SUPPORT_MODULE = "support-module"
SUPPORT_ANSWERS = ("backend", "package_dir", "package_import")
TEST_SUPPORT = "test-support"
COROUTINE_TEST = "coroutine-test"
TEST_SUPPORT_ANSWERS = ("backend", "tests_dir")
"""What a test support module's rendering depends on."""
SHARED_KINDS = (SUPPORT_MODULE, TEST_SUPPORT)
"""Kinds of the modules several workers share, replaced (not merged) on upgrade."""
"""What a support module's rendering depends on: the rest of a spec does not matter."""


@dataclass(frozen=True)
class Kind:
    """How one kind of record is checked and rendered."""

    check: Callable[[Record], Mapping[str, Any]]
    """Validated answers of a record (raises :class:`RecordError`)."""
    paths: Callable[[Mapping[str, Any]], tuple[str, ...]]
    """The files validated answers render, the primary path first."""
    render: Callable[[Mapping[str, Any], Project], dict[str, str]]
    """``{path: formatted text}`` for validated answers, as ``new`` writes them."""


def worker_spec(record: Record) -> WorkerSpec:
    """The spec a worker record holds; :class:`RecordError` names a bad answer."""
    known = [f.name for f in fields(WorkerSpec)]
    for key in record.answers:
        if key not in known:
            raise RecordError(
                record.location,
                f"answers.{key}",
                f"is not an answer cancelgen {__version__} knows"
                f"{did_you_mean(key, known)}",
            )
    try:
        return WorkerSpec.create(**record.answers)
    except SettingError as error:
        key = error.setting.replace("-", "_")
        raise RecordError(record.location, f"answers.{key}", error.problem) from None
    except UsageError as error:
        raise RecordError(
            record.location, f"answers.{_culprit(record.answers)}", f": {error.message}"
        ) from None


def _culprit(answers: Mapping[str, Any]) -> str:
    """The first answer that is wrong on its own (the others left at defaults)."""
    for key, value in answers.items():
        try:
            WorkerSpec.create(**{key: value})
        except UsageError:
            return key
    return "name"


def _check_worker(record: Record) -> Mapping[str, Any]:
    return worker_spec(record).answers()


def _worker_paths(answers: Mapping[str, Any]) -> tuple[str, ...]:
    spec = WorkerSpec(**answers)
    return spec.module_path, spec.test_path


def _render_worker(answers: Mapping[str, Any], project: Project) -> dict[str, str]:
    from cancelgen.core.cache import enable_template_cache
    from cancelgen.core.render import environment, render
    from cancelgen.project.fit import fit_files

    spec = project.placed(WorkerSpec(**answers))
    enable_template_cache(environment(backend=spec.backend))
    return fit_files(render(spec), project, spec)


def _check_import_path(record: Record) -> Mapping[str, Any]:
    answers = dict(record.answers)
    for key in sorted(set(answers) - {"tests_dir", "import_root"}):
        raise RecordError(
            record.location,
            f"answers.{key}",
            "is not an answer of an import-path record",
        )
    for key in ("tests_dir", "import_root"):
        value = answers.get(key)
        path = PurePosixPath(value) if isinstance(value, str) else None
        if path is None or path.is_absolute() or ".." in path.parts:
            raise RecordError(
                record.location,
                f"answers.{key}",
                f"must be a folder inside the project, got {value!r}",
            )
    return answers


def _import_path_paths(answers: Mapping[str, Any]) -> tuple[str, ...]:
    return (conftest_path(answers["tests_dir"]),)


def _render_import_path(answers: Mapping[str, Any], project: Project) -> dict[str, str]:
    from cancelgen.project.fit import fit_files

    files = import_path_conftest(answers["tests_dir"], answers["import_root"])
    return fit_files(files, project)


def support_answers(spec: WorkerSpec) -> dict[str, Any]:
    """The answers of the record of the support module ``spec`` imports from."""
    return {key: getattr(spec, key) for key in SUPPORT_ANSWERS}


def test_support_answers(spec: WorkerSpec) -> dict[str, Any]:
    """The answers of the record of the test support module ``spec``'s tests
    import from."""
    return {key: getattr(spec, key) for key in TEST_SUPPORT_ANSWERS}


def _check_shared(record: Record, keys: tuple[str, ...]) -> WorkerSpec:
    for key in sorted(set(record.answers) - set(keys)):
        raise RecordError(
            record.location,
            f"answers.{key}",
            f"is not an answer of a {record.kind} record",
        )
    for key in keys:
        if key not in record.answers:
            raise RecordError(record.location, f"answers.{key}", "is missing")
    return worker_spec(record)


def _check_support(record: Record) -> Mapping[str, Any]:
    return support_answers(_check_shared(record, SUPPORT_ANSWERS))


def _check_test_support(record: Record) -> Mapping[str, Any]:
    return test_support_answers(_check_shared(record, TEST_SUPPORT_ANSWERS))


def _test_support_paths(answers: Mapping[str, Any]) -> tuple[str, ...]:
    return (WorkerSpec(**answers).test_support_path,)


def _render_test_support(
    answers: Mapping[str, Any], project: Project
) -> dict[str, str]:
    from cancelgen.project.fit import fit_files

    return fit_files(_test_support_source(answers), project)


def _test_support_source(answers: Mapping[str, Any]) -> dict[str, str]:
    from cancelgen.core.render import render_test_support

    return render_test_support(WorkerSpec(**answers))


def _support_spec(answers: Mapping[str, Any]) -> WorkerSpec:
    return WorkerSpec(**answers, support_module=True)


def _support_paths(answers: Mapping[str, Any]) -> tuple[str, ...]:
    return (_support_spec(answers).support_path,)


def _render_support(answers: Mapping[str, Any], project: Project) -> dict[str, str]:
    from cancelgen.project.fit import fit_files

    return fit_files(_support_source(answers), project)


def _support_source(answers: Mapping[str, Any]) -> dict[str, str]:
    from cancelgen.core.render import render_support

    return render_support(_support_spec(answers))


SHARED_SOURCES: dict[str, Callable[[Mapping[str, Any]], dict[str, str]]] = {
    SUPPORT_MODULE: _support_source,
    TEST_SUPPORT: _test_support_source,
}
"""Each shared kind's files before fitting, which its rendering fits."""


def coroutine_test(answers: Mapping[str, Any], project: Project) -> CoroutineTest:
    """The coroutine test of validated ``answers``, placed in ``project``
    (its tests import the test support module relatively in a tests package,
    with ``# noqa: I900`` where flake8-requirements would report it)."""
    test = CoroutineTest.from_answers(dict(answers))
    support = project.placed(test.support)
    return replace(
        test, tests_package=support.tests_package, engine_noqa=support.engine_noqa
    )


def _check_coroutine_test(record: Record) -> Mapping[str, Any]:
    known = CoroutineTest("m:f").answers()
    for key in record.answers:
        if key not in known:
            raise RecordError(
                record.location,
                f"answers.{key}",
                f"is not an answer of a {COROUTINE_TEST} record"
                f"{did_you_mean(key, list(known))}",
            )
    try:
        return CoroutineTest.from_answers(dict(record.answers)).answers()
    except (TypeError, UsageError) as error:
        problem = getattr(error, "message", str(error))
        raise RecordError(record.location, "answers", f": {problem}") from None


def _coroutine_test_paths(answers: Mapping[str, Any]) -> tuple[str, ...]:
    return (CoroutineTest.from_answers(dict(answers)).test_path,)


def _render_coroutine_test(
    answers: Mapping[str, Any], project: Project
) -> dict[str, str]:
    from cancelgen.core.cache import enable_template_cache
    from cancelgen.core.coroutine_test import render_coroutine_test
    from cancelgen.core.render import environment
    from cancelgen.project.fit import fit_files

    test = coroutine_test(answers, project)
    enable_template_cache(environment(backend=test.backend))
    return fit_files(render_coroutine_test(test), project)


KINDS: dict[str, Kind] = {
    WORKER: Kind(_check_worker, _worker_paths, _render_worker),
    IMPORT_PATH: Kind(_check_import_path, _import_path_paths, _render_import_path),
    SUPPORT_MODULE: Kind(_check_support, _support_paths, _render_support),
    TEST_SUPPORT: Kind(_check_test_support, _test_support_paths, _render_test_support),
    COROUTINE_TEST: Kind(
        _check_coroutine_test, _coroutine_test_paths, _render_coroutine_test
    ),
}


def imports_of(
    kind: str, answers: Mapping[str, Any]
) -> list[tuple[str, dict[str, Any], str]]:
    """``(kind, answers, path)`` of each shared module a unit of ``kind``
    with ``answers`` imports from (see :func:`shared_units`)."""
    if kind == WORKER:
        return shared_units(WorkerSpec(**answers))
    if kind == COROUTINE_TEST:
        spec = CoroutineTest.from_answers(dict(answers)).support
        return [(TEST_SUPPORT, test_support_answers(spec), spec.test_support_path)]
    return []


def label(record: Record) -> str:
    """How ``status`` and ``upgrade`` name a unit: a worker's name, a
    coroutine test's target, "(shared)" for a shared module."""
    if record.kind == WORKER:
        return str(record.answers["name"])
    if record.kind == COROUTINE_TEST:
        return str(record.answers["target"])
    return "(shared)"


def shared_units(spec: WorkerSpec) -> list[tuple[str, dict[str, Any], str]]:
    """``(kind, answers, path)`` of each shared module ``spec``'s files import
    from: the support module (``--support-module``), the test support module
    (unless ``--single-file``)."""
    units = []
    if spec.support_module:
        units.append((SUPPORT_MODULE, support_answers(spec), spec.support_path))
    if spec.shared_tests:
        answers = test_support_answers(spec)
        units.append((TEST_SUPPORT, answers, spec.test_support_path))
    return units


def checked(record: Record) -> Record:
    """``record`` with validated answers, if they render exactly its files.

    Raises :class:`RecordError` for an unknown kind, a bad answer, or a record
    whose name or files are not what its answers render.
    """
    kind = KINDS.get(record.kind)
    if kind is None:
        raise RecordError(
            record.location,
            "kind",
            f"is {record.kind!r}, which cancelgen {__version__} does not know "
            f"(known: {', '.join(KINDS)})",
        )
    answers = kind.check(record)
    paths = kind.paths(answers)
    if record.key != paths[0]:
        raise RecordError(
            record.location,
            "answers",
            f"render {paths[0]}, not {record.key}: the record does not match its path",
        )
    for path in record.files:
        if path not in paths:
            raise RecordError(
                record.location,
                f'files["{path}"]',
                f"is not a file its answers render ({', '.join(paths)})",
            )
    return Record(
        record.key,
        record.kind,
        answers,
        record.files,
        record.version,
        record.conflicts,
        record.format,
    )


def load_records(root: Path) -> list[Record]:
    """Every record of the project, checked (see :func:`checked`)."""
    return [checked(record) for record in read_records(root)]


def render_record(record: Record, project: Project) -> dict[str, str]:
    """What the installed cancelgen writes for ``record``'s answers: ``{path: text}``."""
    return KINDS[record.kind].render(record.answers, project)


def make_record(
    kind: str, answers: Mapping[str, Any], texts: Mapping[str, str]
) -> Record:
    """A record of ``kind`` for ``answers``, listing ``texts`` (``{path: pristine}``)."""
    primary = KINDS[kind].paths(answers)[0]
    files = {path: digest(text) for path, text in texts.items()}
    return Record(primary, kind, dict(answers), files)


Unit = tuple[str, Mapping[str, Any], str]
"""A unit ``cancelgen new`` writes: its kind, its answers and its primary path."""


def units_for_new(kind: str, answers: Mapping[str, Any]) -> list[Unit]:
    """The unit of ``kind`` with ``answers``, then each shared module it
    imports from (:func:`imports_of`)."""
    primary: Unit = (kind, answers, KINDS[kind].paths(answers)[0])
    return [primary, *imports_of(kind, answers)]


def records_for_new(
    project: Project,
    units: list[Unit],
    plan: Plan,
    tests_dir: str,
    import_root: str | None,
) -> Writes:
    """The ``.cancelgen`` files recording what ``cancelgen new`` (a worker, or
    ``new test``) writes of ``units`` (:func:`units_for_new`) with ``plan``.

    Each unit's record lists its files that the plan creates, overwrites or
    finds identical (a skipped file is the user's, not cancelgen's); a unit
    with none gets no record. The import-path ``conftest.py`` of ``tests_dir``
    gets a record of its own when the plan writes it, or when it exists with
    exactly the text cancelgen would write.
    """
    ours = {
        item.path: item.text
        for item in plan.files
        if item.status in ("create", "overwrite", "unchanged")
    }
    writes: Writes = {}
    for kind, answers, _ in units:
        paths = KINDS[kind].paths(answers)
        texts = {path: ours[path] for path in paths if path in ours}
        if texts:
            record = make_record(kind, answers, texts)
            writes.update(record_writes(record, texts, root=project.root))
    if import_root is not None:
        conftest = conftest_path(tests_dir)
        writes.update(
            import_path_writes(project, tests_dir, import_root, ours.get(conftest))
        )
    return writes


def shared_for_new(
    project: Project, units: list[Unit]
) -> tuple[dict[str, str], list[str]]:
    """What ``cancelgen new`` does with the shared modules among ``units``
    (see :func:`shared_unit_for_new`): the files to plan and the notices."""
    files: dict[str, str] = {}
    notices = []
    for kind, answers, path in units:
        if kind in SHARED_KINDS:
            planned, notice = shared_unit_for_new(project, kind, answers, path)
            files.update(planned)
            notices += [notice] if notice else []
    return files, notices


def shared_sources(units: list[Unit]) -> list[dict[str, str]]:
    """The files of the shared modules among ``units`` before fitting: what
    :func:`shared_for_new` fits (so ``new`` can fit them with the worker's)."""
    return [
        SHARED_SOURCES[kind](answers)
        for kind, answers, _ in units
        if kind in SHARED_KINDS
    ]


def shared_unit_for_new(
    project: Project, kind: str, answers: Mapping[str, Any], path: str
) -> tuple[dict[str, str], str]:
    """What ``cancelgen new`` does with one shared module (``kind``'s, at ``path``).

    Returns the files to plan (``{path: formatted text}``, empty to leave it
    alone) and a notice (""). Not recorded: planned like any new file (the plan
    refuses to overwrite one that differs, without --force). Recorded as what
    the installed cancelgen writes: planned (unchanged, or written again if
    deleted); edited by the user, left alone, with a notice. Recorded from
    another cancelgen version: refused, since replacing it is an upgrade of
    every worker that imports it.
    """
    text = KINDS[kind].render(answers, project)[path]
    if not (project.root / record_location(path)).is_file():
        return {path: text}, ""
    record = checked(read_record(project.root, path))
    if read_pristine(project.root, record, path) != text:
        # The same cancelgen writes it otherwise when the project's settings
        # changed since (its formatter's, its line limit, its pinned mypy).
        by = (
            f"by another cancelgen ({record.version})"
            if record.version != __version__
            else f"for other project settings or templates (cancelgen {__version__})"
        )
        raise CancelgenError(
            f"{path} was written {by}: run 'cancelgen upgrade' first, which "
            "brings it and the workers that import it up to date, then run "
            "this again"
        )
    current = _current_text(project.root / path)
    if current is not None and current != text:
        return {}, (
            f"{path} was edited: left alone (the new worker imports from it; "
            "'cancelgen upgrade' will refuse to replace it without --force)"
        )
    return {path: text}, ""


def import_path_writes(
    project: Project, tests_dir: str, import_root: str, written: str | None = None
) -> Writes:
    """The ``.cancelgen`` files recording the import-path ``conftest.py`` of ``tests_dir``.

    Recorded if ``written`` is its text (a run writes it), or if it exists
    with exactly the text cancelgen would write; otherwise ``{}``.
    """
    answers = {"tests_dir": tests_dir, "import_root": import_root}
    conftest = conftest_path(tests_dir)
    text = written
    if text is None:
        wanted = _render_import_path(answers, project)[conftest]
        if _current_text(project.root / conftest) == wanted:
            text = wanted
    if text is None:
        return {}
    record = make_record(IMPORT_PATH, answers, {conftest: text})
    return record_writes(record, {conftest: text}, root=project.root)


def _current_text(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError):
        return None


def recorded_import_root(root: Path, tests_dir: str) -> str | None:
    """The import root a recorded ``conftest.py`` of ``tests_dir`` puts on ``sys.path``.

    None if cancelgen has no valid record of that file.
    """
    key = conftest_path(tests_dir)
    if not (root / record_location(key)).is_file():
        return None
    try:
        record = checked(read_record(root, key))
    except CancelgenError:
        return None
    return str(record.answers["import_root"]) if record.kind == IMPORT_PATH else None
