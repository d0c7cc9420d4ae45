"""Every combination of patterns and resources renders to code that is right.

Each matrix of ``tests/matrix.py`` is one throwaway project; each checker runs
once over all of it, so the matrix stays fast. CI checks a pairwise sample of
the combinations in one project, each worker's tests on one Python;
``pytest --full`` checks the full product: per backend, every spec of
``combination_specs()``, its tests on every Python.
"""

from __future__ import annotations

import itertools
import py_compile
import re
import sys
from pathlib import Path

import pytest

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.spec import WorkerSpec
from tests import budget, lint_rules
from tests.generated import (
    FLAKE8_ASYNC,
    PYTHONS,
    all_pattern_sets,
    built_once,
    combination_specs,
    interpreters,
    run,
    tool,
    venv_with_test_deps,
    write_project,
)
from tests.matrix import (
    Matrix,
    flavours,
    full_matrices,
    matrices,
    sample_factors,
    sample_matrix,
    sample_rows,
    seed_rows,
    unrunnable,
)
from tests.pairwise import all_pairs, pairs_of

pytestmark = pytest.mark.slow

MATRICES = {matrix.name: matrix for matrix in matrices(budget.full())}


@pytest.fixture(scope="module", params=list(MATRICES))
def matrix(request: pytest.FixtureRequest) -> Matrix:
    return MATRICES[request.param]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, matrix: Matrix) -> Path:
    """The matrix's project, generated once per run for every xdist worker."""
    return built_once(
        tmp_path_factory,
        f"combos-{matrix.name}",
        lambda root: write_project(root, matrix.specs),
    )


@pytest.mark.parametrize("backend_name", list(BACKENDS))
def test_matrix_covers_every_pattern_set_and_resource(backend_name: str) -> None:
    specs = combination_specs(backend_name)
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


def test_full_run_checks_every_combination_on_every_python() -> None:
    full = full_matrices()
    assert [matrix.name for matrix in full] == list(BACKENDS)
    for matrix in full:
        assert matrix.specs == tuple(combination_specs(matrix.name))
        assert all(matrix.runs[version] == matrix.specs for version in PYTHONS)


def settings_of(spec: WorkerSpec) -> tuple[object, ...]:
    return (spec.backend, spec.test_style, spec.timeout_style, spec.timeout is None)


def test_sample_flavours_are_the_settings_the_full_product_varies() -> None:
    full = {
        settings_of(spec) for backend in BACKENDS for spec in combination_specs(backend)
    }
    sampled = {
        settings_of(spec)
        for spec in (WorkerSpec.create(**settings) for settings in flavours().values())
    }
    assert sampled == full


def test_sample_covers_every_pair_and_the_rows_ci_must_hold() -> None:
    factors = sample_factors()
    rows = sample_rows()
    covered = set().union(*(pairs_of(row, list(factors)) for row in rows))
    assert covered == all_pairs(factors)  # no pair alone is unrunnable
    assert rows[: len(seed_rows())] == seed_rows()
    assert not any(unrunnable(row) for row in rows)
    assert len(rows) < len(PYTHONS) * sum(len(combination_specs(b)) for b in BACKENDS)


def test_unrunnable_judges_partial_rows_by_their_completions() -> None:
    """Exact on partial rows (what the sampler needs): unrunnable exactly when
    every completion is, over exit-stack and the resources, the other patterns
    either all open or all off."""
    others = [f"pattern:{p}" for p in PATTERNS if p != "exit-stack"]
    switches = ["pattern:exit-stack", *(f"resource:{r}" for r in RESOURCES)]
    for values in itertools.product([False, True], repeat=len(switches)):
        fixed = dict(zip(switches, values, strict=True))
        for rest in ({}, dict.fromkeys(others, False)):
            partial = {**fixed, **rest}
            open_ = [name for name in others if name not in partial]
            completions = [
                {**partial, **dict(zip(open_, more, strict=True))}
                for more in itertools.product([False, True], repeat=len(open_))
            ]
            assert unrunnable(partial) == all(map(unrunnable, completions)), partial


def test_sample_project_is_the_sampled_rows() -> None:
    """Each sampled worker is its row, and runs on its row's Python, once."""
    sample = sample_matrix()
    rows = sample_rows()
    assert len(sample.specs) == len(rows) == len({s.name for s in sample.specs})
    for spec, row in zip(sample.specs, rows, strict=True):
        assert (
            WorkerSpec.create(**flavours()[str(row["flavour"])]).backend == spec.backend
        )
        assert settings_of(spec) == settings_of(
            WorkerSpec.create(**flavours()[str(row["flavour"])])
        )
        assert spec.patterns == tuple(p for p in PATTERNS if row[f"pattern:{p}"])
        assert spec.resources == tuple(r for r in RESOURCES if row[f"resource:{r}"])
        assert spec.support_module == (row["form"] == "support-module")
        assert [v for v in PYTHONS if spec in sample.runs[v]] == [row["python"]]
    # The richest workers of each backend, with and without exit-stack.
    every = {(s.backend, s.patterns, s.resources) for s in sample.specs}
    for backend in BACKENDS:
        assert (backend, tuple(PATTERNS), tuple(RESOURCES)) in every
        nested = tuple(p for p in PATTERNS if p != "exit-stack")
        assert (backend, nested, tuple(RESOURCES)) in every


def test_empty_pattern_set_is_refused_with_a_clear_message() -> None:
    from cancelgen.errors import UsageError

    with pytest.raises(UsageError, match="choose at least one pattern"):
        WorkerSpec.create(patterns=[])


def test_every_file_compiles(project: Path, matrix: Matrix) -> None:
    files = sorted(project.rglob("*.py"))
    # Each worker and its tests, __init__.py, each backend's support module
    # when a worker of that backend is in the support-module form, and each
    # backend's test support module.
    shared = matrix.support_paths() + matrix.test_support_paths()
    assert len(files) == 2 * len(matrix.specs) + 1 + len(shared)
    for support in shared:
        assert (project / support).is_file()
    for path in files:
        py_compile.compile(str(path), doraise=True)


def test_black_check_is_stable(project: Path) -> None:
    result = run(
        [tool("black"), "--check", "--target-version", "py311", "src", "tests"], project
    )
    assert result.returncode == 0, result.stderr


def test_flake8_async_is_clean(project: Path, matrix: Matrix) -> None:
    """Each backend's files with its own flake8-async flags: the CI sample checks
    the workers, support modules and engines (flake8-async is slow on the large
    test modules; ruff's ASYNC rules, below, check every one); ``--full`` all."""
    for backend in matrix.backends():
        files = [
            str(path)
            for spec in matrix.specs
            if spec.backend == backend
            for path in (
                (spec.module_path, spec.test_path)
                if budget.full()
                else (spec.module_path,)
            )
        ]
        files += [p for p in matrix.support_paths() if p.endswith(f"_{backend}.py")]
        result = run([tool("flake8"), *FLAKE8_ASYNC[backend], *files], project)
        assert result.returncode == 0, backend + result.stdout + result.stderr


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


def worker_side(matrix: Matrix) -> list[str]:
    """The worker modules and support modules of the matrix (not its tests)."""
    return [str(spec.module_path) for spec in matrix.specs] + matrix.support_paths()


def ruff_select_all(
    project: Path, matrix: Matrix, files: list[str], *, tests: bool = False
) -> list[str]:
    """What ``ruff check --select ALL`` finds in ``files`` but the documented
    rules (``tests``: with those for tests), one line each; long lines naming
    a worker excused (:func:`tests.lint_rules.without_named_long_lines`)."""
    import json

    argv = [tool("ruff"), "check", "--isolated", "--no-cache", "--select", "ALL"]
    argv += ["--ignore", lint_rules.ruff_ignores(tests=tests)]
    if tests:
        argv += ["--config", "src = ['src', 'tests']"]
    argv += ["--target-version", "py311", "--output-format", "json"]
    result = run([*argv, *files], project)
    names = {spec.name for spec in matrix.specs}
    names |= {spec.class_name for spec in matrix.specs}
    found = lint_rules.without_named_long_lines(json.loads(result.stdout), names)
    if tests:
        modules = {spec.module_import for spec in matrix.specs}
        found = lint_rules.without_worker_name_order(found, modules)
    return [
        f"{f['filename']}:{f['location']['row']}: {f['code']} {f['message']}"
        for f in found
    ]


def test_ruff_select_all_is_clean_on_the_worker_side(
    project: Path, matrix: Matrix
) -> None:
    """Every ruff rule but the documented few (docs/lint-rules.rst)."""
    found = ruff_select_all(project, matrix, worker_side(matrix))
    assert not found, "\n".join(found)


def test_flake8_with_pep8_naming_and_complexity_is_clean_on_the_worker_side(
    project: Path, matrix: Matrix
) -> None:
    result = run(
        [
            tool("flake8"),
            "--isolated",
            # Line length: the ruff check above, which knows the worker's names.
            *lint_rules.flake8_args("E501"),
            *worker_side(matrix),
        ],
        project,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_strict_is_clean_on_the_worker_side(
    project: Path, matrix: Matrix, tmp_path: Path
) -> None:
    files = [project / path for path in worker_side(matrix)]
    checked, errors = lint_rules.pyright_strict(files, [project / "src"], tmp_path)
    assert checked == len(files)
    assert not errors, "\n".join(errors)


def generated_tests(matrix: Matrix, *, every: bool = True) -> list[str]:
    """The test modules of the matrix and the test support modules they share
    (the engines). Without ``every``, outside ``--full``: the engines and,
    per backend, the test module of its richest worker only."""
    specs = list(matrix.specs)
    if not every:
        richest = {}
        for spec in specs:
            size = len(spec.patterns) + len(spec.resources)
            if size > richest.get(spec.backend, (-1, spec))[0]:
                richest[spec.backend] = (size, spec)
        specs = [spec for _, spec in richest.values()]
    return [str(spec.test_path) for spec in specs] + matrix.test_support_paths()


def test_ruff_select_all_is_clean_on_the_test_side(
    project: Path, matrix: Matrix
) -> None:
    """Every ruff rule but the documented few, and those projects turn off for
    tests (docs/lint-rules.rst). The tests folder is a source root, as for a
    project whose tests import the engine beside them: its imports are sorted
    so (first-party, in the worker's section)."""
    found = ruff_select_all(project, matrix, generated_tests(matrix), tests=True)
    assert not found, "\n".join(found)


def test_flake8_with_pep8_naming_and_complexity_is_clean_on_the_test_side(
    project: Path, matrix: Matrix
) -> None:
    """flake8 is slow on the large test modules: the CI sample checks the
    engines and each backend's richest worker's tests (ruff's N and C901,
    above, check every one); ``--full`` checks all."""
    result = run(
        [
            tool("flake8"),
            "--isolated",
            # Line length: the ruff check above, which knows the worker's names.
            *lint_rules.flake8_args("E501"),
            *generated_tests(matrix, every=budget.full()),
        ],
        project,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyright_strict_is_clean_on_the_test_side(
    project: Path, matrix: Matrix, tmp_path: Path
) -> None:
    """As flake8 above: the CI sample checks the engines and each backend's
    richest worker's tests (mypy --strict, below, checks every one);
    ``--full`` checks all."""
    files = [project / path for path in generated_tests(matrix, every=budget.full())]
    extra = [project / "src", project / "tests"]
    checked, errors = lint_rules.pyright_strict(files, extra, tmp_path)
    assert checked == len(files)
    assert not errors, "\n".join(errors)


def test_mypy_strict_is_clean(project: Path) -> None:
    """``--strict``, and ``--warn-unreachable``, which strict projects add
    (trio-websocket, say): a narrowed attribute read again after an await
    made the rest of a test unreachable to mypy."""
    result = run(
        [
            tool("mypy"),
            "--strict",
            "--warn-unreachable",
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
    project: Path, matrix: Matrix
) -> None:

    for spec in matrix.specs:
        allowed = set(sys.stdlib_module_names) | {"combos", "pytest", "__future__"}
        allowed |= {BACKENDS[spec.backend].library} - {""}
        allowed |= {f"_cancelgen_{spec.backend}"} if spec.shared_tests else set()
        paths = [spec.module_path, spec.test_path]
        paths += [spec.support_path] if spec.support_module else []
        paths += [spec.test_support_path] if spec.shared_tests else []
        for path in (project / relative for relative in paths):
            for module in re.findall(
                r"^(?:from|import) ([\w]+)", path.read_text(), re.M
            ):
                assert module in allowed, f"{path.name} imports {module}"


def expected_passes(project: Path, specs: tuple[WorkerSpec, ...]) -> int:
    """How many tests ``specs``' generated modules hold; AnyIO's run on both of
    its backends."""
    count = 0
    for spec in specs:
        tests = (project / spec.test_path).read_text()
        per_module = len(re.findall(r"^(?:async )?def test_", tests, re.M))
        count += per_module * (2 if spec.backend == "anyio" else 1)
    return count


@pytest.mark.parametrize("version", PYTHONS)
def test_generated_tests_pass(project: Path, matrix: Matrix, version: str) -> None:
    found = interpreters()
    if version not in found:
        pytest.skip(f"Python {version} is not installed here")
    specs = matrix.runs[version]
    python = venv_with_test_deps(found[version], version)
    # -n 2 runs the generated tests two at a time next to the rest of our own
    # suite: they must hold under load, with no timing margins to miss.
    paths = [str(spec.test_path) for spec in specs]
    result = run([str(python), "-m", "pytest", "-q", "-n", "2", *paths], project)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert "skipped" not in summary and "failed" not in summary
    # Every test of every module ran (and passed), not just some.
    assert f"{expected_passes(project, specs)} passed" in summary, summary
