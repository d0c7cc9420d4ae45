"""Generated files pass each corpus project's own checks, unchanged (issue 18).

For each project of ``tests/projects/`` (see tests/project_fit.py), the
installed ``cancelgen new`` generates the case's workers into a copy of it;
then each check the project runs (its formatter check, linters, type checkers,
its pytest under its own settings and pinned plugins) must pass. CI generates
each case's sample of workers; ``pytest --full`` all of them. A check that
fails today for a known reason is a strict xfail naming what fixes it, one
case and one check each, so it fails the run once it passes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests import budget
from tests.generated import interpreters, venv_with_test_deps
from tests.project_fit import (
    Case,
    Check,
    copy_project,
    files_of,
    load_cases,
    new_worker,
    report,
    requirements,
    run_check,
)

pytestmark = pytest.mark.slow

CASES = load_cases()
PYTHON = "3.11"
"""The interpreter the checks' test venvs use (the oldest generated code supports)."""


def _xfail(reason: str) -> list[pytest.MarkDecorator]:
    """A strict xfail for ``reason``, or no mark when there is none."""
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _check_params() -> list[object]:
    return [
        pytest.param(
            case,
            check,
            marks=_xfail(check.known_failure(budget.full())),
            id=f"{case.name}:{check.id}",
        )
        for case in CASES
        for check in case.checks
    ]


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Case], Path]:
    """``case``'s project with its workers generated: built once per case and
    test process, then only read by the checks (their caches aside)."""
    built: dict[str, Path] = {}

    def build(case: Case) -> Path:
        if case.name not in built:
            root = copy_project(case, tmp_path_factory.mktemp(case.name) / case.name)
            for worker in case.sample(budget.full()):
                result = new_worker(root, worker.args)
                assert result.returncode == 0, report(result)
            built[case.name] = root
        return built[case.name]

    return build


def test_every_case_has_workers_of_every_backend_or_says_why() -> None:
    """The corpus covers all three backends, and every case names its checks."""
    backends = set()
    for case in CASES:
        assert case.about, case.name
        assert case.checks or case.floor, case.name
        for worker in case.workers:
            args = list(worker.args)
            if "--backend" in args:
                backends.add(args[args.index("--backend") + 1])
    assert backends == {"asyncio", "anyio", "trio"}


@pytest.mark.parametrize(("case", "check"), _check_params())
def test_check_passes(
    case: Case, check: Check, generated: Callable[[Case], Path]
) -> None:
    if check.full and not budget.full():
        pytest.skip("a check of its own venv: pytest --full runs it")
    root = generated(case)
    python = None
    if check.uses_python:
        found = interpreters()
        if PYTHON not in found:
            pytest.skip(f"Python {PYTHON} is not installed here")
        python = venv_with_test_deps(found[PYTHON], PYTHON, requirements(check))
    result = run_check(check, root, python)
    assert result.returncode == 0, report(result)


FLOORS = [case for case in CASES if case.floor is not None]


def _floor_params() -> list[object]:
    return [
        pytest.param(case, marks=_xfail(case.floor.xfail), id=case.name)
        for case in FLOORS
        if case.floor is not None
    ]


@pytest.mark.parametrize("case", _floor_params())
def test_a_floor_below_the_code_is_refused_with_nothing_written(
    case: Case, tmp_path: Path
) -> None:
    assert case.floor is not None
    root = copy_project(case, tmp_path / case.name)
    before = files_of(root)
    result = new_worker(root, case.workers[0].args)
    assert result.returncode == case.floor.exit, report(result)
    assert result.stderr.count("\n") == 1, report(result)  # one line
    assert "Traceback" not in result.stderr
    assert files_of(root) == before


@pytest.mark.parametrize("case", _floor_params())
def test_a_floor_below_the_code_is_accepted_when_asked(
    case: Case, tmp_path: Path
) -> None:
    assert case.floor is not None
    root = copy_project(case, tmp_path / case.name)
    before = files_of(root)
    result = new_worker(root, (*case.workers[0].args, *case.floor.accept))
    assert result.returncode == 0, report(result)
    written = set(files_of(root)) - set(before)
    name = case.workers[0].args[0]
    assert any(path.endswith(f"/{name}.py") for path in written), written
