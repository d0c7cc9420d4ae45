"""Shared pytest configuration: the ``--update-golden`` flag."""

from __future__ import annotations

from typing import Any

import pytest

# Golden files are generated tests of generated workers: data, not our tests.
collect_ignore = ["golden"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current templates instead of comparing",
    )


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
        terminalreporter.write_line(f"mutation kill rate: {kill_rates(outcomes)}")
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
