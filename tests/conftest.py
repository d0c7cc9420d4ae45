"""Shared pytest configuration: the ``--full`` and ``--update-golden`` flags.

``pytest -n 2`` (what CI runs) runs a sample of each large product: pairwise
generated combinations, one mutant per operator (the backends in turn), fewer
stability copies... (see ``tests/budget.py``). ``pytest --full -n 2`` runs all of it: run
it before resolving an issue.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import budget

# Golden files, released projects and the corpus of project configurations
# (tests/projects) hold generated tests or projects: data, not our tests.
collect_ignore = ["golden", "releases", "projects"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        budget.OPTION,
        action="store_true",
        default=False,
        help="run every instance of the large products (every generated "
        "combination on every interpreter, every mutant, ...) instead of "
        "CI's sample; run it before resolving an issue",
    )
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current templates instead of comparing",
    )


def pytest_configure(config: pytest.Config) -> None:
    budget.set_full(bool(config.getoption(budget.OPTION)))
    if not hasattr(config, "workerinput"):  # once, before xdist's workers start
        _compile_cancelgen()
    # The suite mixes 20-second tests with fast ones: xdist's default "load"
    # split can leave one worker with the last long ones while the other
    # idles; "worksteal" hands them over.
    if getattr(config.option, "dist", "no") == "load":
        config.option.dist = "worksteal"


def _compile_cancelgen() -> None:
    """Write the bytecode of the package under test, as an install would.

    The suite starts cancelgen in hundreds of processes (the CLI, copier's
    extension, the corpus); where ``PYTHONDONTWRITEBYTECODE`` is set, as on
    our CI machines, each would compile every module it imports again (about
    50 ms a ``cancelgen new``). The import system still reads bytecode it
    finds, and checks it against the source.
    """
    import compileall

    compileall.compile_dir(
        Path(__file__).resolve().parent.parent / "cancelgen", quiet=1, workers=1
    )


def pytest_report_header(config: pytest.Config) -> str:
    return f"cancelgen: {budget.scope()}"


@pytest.fixture(scope="session")
def session_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cancelgen cache for the session, outside every project tree."""
    return tmp_path_factory.mktemp("cancelgen-cache")


@pytest.fixture
def private_cache(monkeypatch: pytest.MonkeyPatch, session_cache_dir: Path) -> Path:
    """Point cancelgen's cache at :func:`session_cache_dir`, never the user's
    (use with ``pytest.mark.usefixtures("private_cache")``)."""
    monkeypatch.setenv("CANCELGEN_CACHE_DIR", str(session_cache_dir))
    monkeypatch.delenv("CANCELGEN_NO_CACHE", raising=False)
    return session_cache_dir


@pytest.fixture
def ruff_starts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files (relative to the project root) ruff pipes are started for,
    from now on in this test (each pipe starts in a thread of its own: in no
    set order, and complete once the run that started them returns)."""
    from cancelgen.core import format_ruff

    paths: list[str] = []
    start = format_ruff._start

    def counted(binary: str, stages: Any, path: Path, root: Path, chain: Any) -> None:
        paths.append(path.relative_to(root).as_posix())  # from the pipe's thread
        start(binary, stages, path, root, chain)

    monkeypatch.setattr(format_ruff, "_start", counted)
    return paths


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run regenerates the golden files on purpose."""
    return bool(request.config.getoption("--update-golden"))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the mutation kill rates (example tests, the sweep alone) when the
    mutation suite ran."""
    outcomes = [
        dict(report.user_properties)
        for reports in terminalreporter.stats.values()
        for report in reports
        if getattr(report, "when", None) == "call"
        and any(key == "mutant" for key, _ in getattr(report, "user_properties", ()))
    ]
    if outcomes:
        terminalreporter.write_line(
            f"mutation kill rate: {kill_rates(outcomes)}; {mutants_run(len(outcomes))}"
        )
        # Each backend's mutants, in both forms (single file, support module).
        by_backend: dict[str, list[dict[str, Any]]] = {}
        for outcome in outcomes:
            by_backend.setdefault(str(outcome["backend"]), []).append(outcome)
        if len(by_backend) > 1:
            for backend, theirs in sorted(by_backend.items()):
                terminalreporter.write_line(f"  {backend}: {kill_rates(theirs)}")


def kill_rates(outcomes: list[dict[str, Any]]) -> str:
    """The example tests' and the sweep's kill rates over ``outcomes``."""
    rates = []
    for key, label in (("killed", "example tests"), ("sweep_killed", "sweep alone")):
        killed = sum(1 for outcome in outcomes if outcome.get(key))
        rates.append(
            f"{label} {killed}/{len(outcomes)} ({100 * killed / len(outcomes):.0f} %)"
        )
    return ", ".join(rates)


def mutants_run(count: int) -> str:
    """Which mutants the kill rates are of: all of them, or CI's sample."""
    from tests.mutation_cases import every_mutant

    every = len(every_mutant())
    if budget.full():
        return f"{count} of the {every} mutants ran"
    return (
        f"{count} of the {every} mutants ran, each operator once, the backends in turn "
        f"(all of them: pytest {budget.OPTION})"
    )
