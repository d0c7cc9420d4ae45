"""Every combination of patterns and resources renders to code that is right.

One throwaway project holds a worker for each spec of ``combination_specs()``;
each checker runs once over all of it, so the matrix stays fast.
"""

from __future__ import annotations

import py_compile
import re
from pathlib import Path

import pytest

from cancelgen.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.spec import WorkerSpec
from tests.generated import (
    FLAKE8_ASYNC,
    all_pattern_sets,
    combination_specs,
    interpreters,
    run,
    tool,
    venv_with_test_deps,
    write_project,
)

pytestmark = pytest.mark.slow

SPECS = {backend: combination_specs(backend) for backend in BACKENDS}


@pytest.fixture(scope="module", params=list(BACKENDS))
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, backend: str) -> Path:
    root = tmp_path_factory.mktemp(f"combos-{backend}")
    write_project(root, SPECS[backend])
    return root


@pytest.mark.parametrize("backend_name", list(BACKENDS))
def test_matrix_covers_every_pattern_set_and_resource(backend_name: str) -> None:
    specs = SPECS[backend_name]
    assert {spec.backend for spec in specs} == {backend_name}
    pattern_sets = {spec.patterns for spec in specs}
    assert set(all_pattern_sets()) <= pattern_sets
    assert len(all_pattern_sets()) == 63
    alone = {(spec.patterns, spec.resources) for spec in specs}
    for resource in RESOURCES:
        assert (("cleanup",), (resource,)) in alone
        assert (("exit-stack",), (resource,)) in alone
    every = {(spec.patterns, spec.resources) for spec in specs}
    assert (tuple(PATTERNS), tuple(RESOURCES)) in every
    assert (tuple(p for p in PATTERNS if p != "exit-stack"), tuple(RESOURCES)) in every
    assert {spec.test_style for spec in specs} == set(
        BACKENDS[backend_name].test_styles
    )
    # The support-module form: every pattern and every resource in it.
    shared = [spec for spec in specs if spec.support_module]
    assert {p for spec in shared for p in spec.patterns} == set(PATTERNS)
    assert {r for spec in shared for r in spec.resources} == set(RESOURCES)


def test_empty_pattern_set_is_refused_with_a_clear_message() -> None:
    from cancelgen.errors import UsageError

    with pytest.raises(UsageError, match="choose at least one pattern"):
        WorkerSpec.create(patterns=[])


def test_every_file_compiles(project: Path, backend: str) -> None:
    files = sorted(project.rglob("*.py"))
    # Each worker and its tests, __init__.py, and the workers' support module.
    assert len(files) == 2 * len(SPECS[backend]) + 2
    assert (project / SPECS[backend][-1].support_path).is_file()
    for path in files:
        py_compile.compile(str(path), doraise=True)


def test_black_check_is_stable(project: Path) -> None:
    result = run(
        [tool("black"), "--check", "--target-version", "py311", "src", "tests"], project
    )
    assert result.returncode == 0, result.stderr


def test_flake8_async_is_clean(project: Path, backend: str) -> None:
    result = run([tool("flake8"), *FLAKE8_ASYNC[backend], "src", "tests"], project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_async_complement_is_clean(project: Path) -> None:
    result = run(
        [
            tool("ruff"),
            "check",
            "--no-cache",
            "--preview",
            "--select",
            "ASYNC,RUF006,UP041,BLE001",
            "src",
            "tests",
        ],
        project,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_nothing_is_imported_unused(project: Path) -> None:
    """Neither form imports what it does not use: the support form's worker
    modules and support module have their imports pruned to what they read."""
    result = run(
        [tool("ruff"), "check", "--no-cache", "--select", "F401", "src", "tests"],
        project,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_is_clean(project: Path) -> None:
    result = run(
        [
            tool("mypy"),
            "--strict",
            "--no-incremental",
            "--python-version",
            "3.11",
            "src",
            "tests",
        ],
        project,
        env={"MYPYPATH": str(project / "src")},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_code_imports_only_the_standard_library_and_its_backend(
    project: Path, backend: str
) -> None:
    import sys

    allowed = set(sys.stdlib_module_names) | {"combos", "pytest", "__future__"}
    allowed |= {BACKENDS[backend].library} - {""}
    for path in project.rglob("*.py"):
        for module in re.findall(r"^(?:from|import) ([\w]+)", path.read_text(), re.M):
            assert module in allowed, f"{path.name} imports {module}"


@pytest.mark.parametrize("version", ["3.11", "3.12", "3.13"])
def test_generated_tests_pass(project: Path, backend: str, version: str) -> None:
    found = interpreters()
    if version not in found:
        pytest.skip(f"Python {version} is not installed here")
    python = venv_with_test_deps(found[version], version)
    # -n 2 runs the generated tests two at a time next to the rest of our own
    # suite: they must hold under load, with no timing margins to miss.
    result = run([str(python), "-m", "pytest", "-q", "-n", "2", "tests"], project)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", summary).group(1))  # type: ignore[union-attr]
    assert "skipped" not in summary and "failed" not in summary
    # Every spec contributes at least its always-present test; AnyIO's run on
    # both of its backends.
    runs = 2 if backend == "anyio" else 1
    assert passed >= runs * (len(SPECS[backend]) + 63)
