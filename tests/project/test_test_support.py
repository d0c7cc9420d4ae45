"""The test support module: one ``_cancelgen_<backend>.py`` per tests folder and backend.

``cancelgen new`` writes the sweep's engine and the tests' harness once into
the tests folder, records it (kind ``test-support``), and each worker's test
module imports from it; ``--single-file`` keeps them in the test module, and a
tests folder that is a package imports it relatively. Its edits and upgrades
are checked with the support module's in ``test_upgrade.py`` (``SHARED_MODULES``).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.project.records import digest
from tests.cli_support import make_project
from tests.generated import pytest_outcomes, run, tool

runner = CliRunner()


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> Path:
    """A minimal src-layout project, as the current directory."""
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def new(*args: str) -> list[str]:
    """``cancelgen new worker ARGS``: it must succeed; its stdout lines."""
    result = runner.invoke(app, ["new", "worker", *args])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def imported_modules(path: Path) -> list[tuple[int, str | None]]:
    """``(level, module)`` of each ``from ... import`` at the top of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.level, node.module)
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
    ]


def status_rows(root: Path) -> list[list[str]]:
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    return [line.split() for line in result.stdout.split("\n\n")[0].splitlines()[1:]]


def test_new_writes_one_engine_module_per_backend_and_tests_folder(
    project: Path,
) -> None:
    assert "created    tests/_cancelgen_asyncio.py" in new()
    assert "unchanged  tests/_cancelgen_asyncio.py" in new("second", "-p", "shield")
    assert "created    tests/_cancelgen_trio.py" in new("third", "--backend", "trio")
    jobs = ("--package-dir", "src/demo/jobs", "--tests-dir", "tests/jobs")
    assert "created    tests/jobs/_cancelgen_asyncio.py" in new("jobs", *jobs)
    engines = {
        "tests/_cancelgen_asyncio.py": ("asyncio", "tests"),
        "tests/_cancelgen_trio.py": ("trio", "tests"),
        "tests/jobs/_cancelgen_asyncio.py": ("asyncio", "tests/jobs"),
    }
    assert sorted(
        path.relative_to(project).as_posix()
        for path in project.glob("tests/**/_cancelgen_*.py")
    ) == sorted(engines)
    for path, (backend, tests_dir) in engines.items():
        text = (project / path).read_text()
        record = json.loads((project / f".cancelgen/records/{path}.json").read_text())
        assert record["kind"] == "test-support"
        assert record["answers"] == {"backend": backend, "tests_dir": tests_dir}
        assert record["files"] == {path: digest(text)}
        assert (project / f".cancelgen/pristine/{path}.pristine").read_text() == text
    # Each test module imports its own folder's engine, of its own backend.
    for test, engine in (
        ("tests/test_worker.py", "_cancelgen_asyncio"),
        ("tests/test_second.py", "_cancelgen_asyncio"),
        ("tests/test_third.py", "_cancelgen_trio"),
        ("tests/jobs/test_jobs.py", "_cancelgen_asyncio"),
    ):
        assert (0, engine) in imported_modules(project / test), test
    rows = status_rows(project)
    for path in engines:
        assert ["(shared)", path, "unedited", "up", "to", "date"] in rows


def single_file_worker(project: Path) -> Path:
    """``new worker --single-file`` in a project whose default is the support
    module: neither shared module is written; the test module."""
    with (project / "pyproject.toml").open("a") as stream:
        stream.write("[tool.cancelgen]\nsupport-module = true\n")
    assert new("--single-file") == [
        "created    src/demo/worker.py",
        "created    tests/test_worker.py",
        "created    tests/conftest.py",
    ]
    assert not list(project.glob("**/_cancel*.py"))
    records = project / ".cancelgen/records"
    kinds = [json.loads(p.read_text())["kind"] for p in records.rglob("*.json")]
    assert sorted(kinds) == ["import-path", "worker"]
    test_module = project / "tests/test_worker.py"
    modules = [module for _, module in imported_modules(test_module)]
    assert not [m for m in modules if m and "_cancel" in m], modules
    return test_module


def test_single_file_writes_no_test_support_module(project: Path) -> None:
    test_module = single_file_worker(project)
    # The engine is the module's own: the sweep's driver among its classes.
    tree = ast.parse(test_module.read_text())
    classes = {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
    assert {"Sweep", "Fault", "Run"} <= classes


@pytest.mark.slow
def test_a_single_file_test_module_runs_on_its_own(project: Path) -> None:
    single_file_worker(project)
    result, outcomes = pytest_outcomes(
        project, "-p", "no:cacheprovider", "tests/test_worker.py"
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "test_cancel_sweep" in outcomes
    assert set(outcomes.values()) == {"passed"}, outcomes


def plain_pytest(root: Path, *args: str) -> Any:
    """The ``pytest`` command (not ``python -m pytest``, which puts the current
    folder on ``sys.path``) in ``root``."""
    return run([tool("pytest"), "-q", "-p", "no:cacheprovider", *args], root)


@pytest.mark.slow
def test_a_tests_package_imports_its_engine_relatively(project: Path) -> None:
    (project / "tests").mkdir()
    (project / "tests/__init__.py").write_text("")
    new()
    new("pump", "-r", "queue")
    for test in ("tests/test_worker.py", "tests/test_pump.py"):
        modules = imported_modules(project / test)
        assert (1, "_cancelgen_asyncio") in modules, modules
        assert (0, "_cancelgen_asyncio") not in modules
    result = plain_pytest(project, "tests")
    assert result.returncode == 0, result.stdout[-3000:]
    summary = result.stdout.splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "error" not in summary
