"""Generated tests must bite: every mutation of a cancellation rule is caught.

The cases live in ``tests/cases/mutations.toml``; this module expands each case
over every site its operator finds and runs the generated tests against each
mutant, twice over in one pytest process: a named example test must fail, and
so must the cancel sweep on its own. The sweep runs first in that process, so
nothing an example test did can help or hurt it: its verdict is what
``pytest -k sweep`` would say, without a second process. Both kill rates are
printed at the end of the run (see conftest.py). A case with
``support_module = true`` mutates the shared support module its worker
imports from, where the helpers' sites are in that form. A mutant's run mostly
waits, so several run at a time: while a test waits for its mutant's run, the
next tests' runs start (``tests/ahead.py``); so do the unmutated controls'.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cancelgen.core.render import render_module, render_support_module
from cancelgen.core.spec import WorkerSpec
from tests import budget
from tests.ahead import Ahead, Launch, Prepare
from tests.generated import (
    black_once,
    built_once,
    pytest_outcomes,
    run,
    spec_for,
    write_project,
)
from tests.mutation_cases import CASES, every_mutant, form, sampled_mutants
from tests.mutations import OPERATORS, Mutant, count_sites, mutate

pytestmark = pytest.mark.slow

SETTINGS = ("timeout_style", "backend", "support_module")


def case_spec(case: dict[str, Any]) -> WorkerSpec:
    settings = {key: case[key] for key in SETTINGS if key in case}
    return spec_for(
        case["patterns"], case.get("resources", []), name="mutant_worker", **settings
    )


def case_id(case: dict[str, Any]) -> str:
    label = case.get("name") or "+".join(case["patterns"] + case.get("resources", []))
    style = f"[{case['timeout_style']}]" if "timeout_style" in case else ""
    backend = f"{case['backend']}:" if "backend" in case else ""
    form = "support:" if case.get("support_module") else ""
    return f"{form}{backend}{case['operator']}@{label}{style}"


def mutated_path(spec: WorkerSpec) -> str:
    """The module a case mutates: the worker, or in the support-module form
    the support module, where the helpers' sites are."""
    return spec.support_path if spec.support_module else spec.module_path


def worker_source(case: dict[str, Any]) -> str:
    """The source of the module the case mutates, as the project holds it."""
    spec = case_spec(case)
    if spec.support_module:
        return black_once(render_support_module(spec))
    return black_once(render_module(spec))


# The mutant project's conftest: the sweep first, as if it ran alone.
SWEEP_FIRST = """
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: "sweep" not in item.name)
"""


def expanded() -> list[Any]:
    chosen = every_mutant() if budget.full() else sampled_mutants()
    return [
        pytest.param(case, site, id=f"{case_id(case)}#{site}") for case, site in chosen
    ]


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_case_finds_the_sites_it_pins(case: dict[str, Any]) -> None:
    assert case["operator"] in OPERATORS
    assert count_sites(case["operator"], worker_source(case)) == case["sites"]


def test_sample_runs_each_operator_once_and_each_backend_in_both_forms() -> None:
    sample = [case for case, _ in sampled_mutants()]
    assert all((case, 0) in every_mutant() for case in sample)
    assert sorted(case["operator"] for case in sample) == sorted(
        {c["operator"] for c in CASES}
    )
    assert {form(case) for case in sample} == {form(c) for c in CASES}
    per_backend = Counter(form(case)[0] for case in sample)
    # Five operators exist for asyncio only: the others even the count out.
    assert max(per_backend.values()) - min(per_backend.values()) <= 2, per_backend


def prepare_mutant(case: dict[str, Any], site: int, tmp_path: Path) -> Launch:
    """Generate the case's worker with the mutation at ``site`` in ``tmp_path``;
    return how to run its sweep and killers, in one pytest process."""
    spec = case_spec(case)
    write_project(tmp_path, [spec])
    (tmp_path / "conftest.py").write_text(SWEEP_FIRST)
    mutant = mutate(case["operator"], worker_source(case), site)
    (tmp_path / mutated_path(spec)).write_text(mutant.source)
    # Only the sweep and the killers run: the other example tests cannot change
    # either verdict, and a mutant that hangs costs each test its guard.
    chosen = ["sweep", *case["killers"]]

    def launch(
        env: dict[str, str],
    ) -> tuple[Mutant, subprocess.CompletedProcess[str], dict[str, str]]:
        result, outcomes = pytest_outcomes(tmp_path, "-k", " or ".join(chosen), env=env)
        return mutant, result, outcomes

    return launch


# A mutant's run mostly waits (one that hangs costs each test its 5 s guard):
# three at a time keep two cores busy; more would crowd the "must not happen
# yet" checks of the generated tests (SETTLE_S), which a loaded machine slows.
AT_ONCE = 3


@pytest.fixture(scope="session")
def mutant_runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Ahead]:
    """The mutants this run selected and their controls, run AT_ONCE at a
    time per xdist worker."""
    jobs: list[tuple[str, Prepare]] = []
    for item in request.session.items:
        if not isinstance(item, pytest.Function) or not hasattr(item, "callspec"):
            continue
        params: dict[str, Any] = item.callspec.params
        if item.originalname == "test_generated_tests_kill_the_mutant":
            job = functools.partial(prepare_mutant, params["case"], params["site"])
            jobs.append((item.callspec.id, job))
        elif item.originalname == "test_unmutated_worker_passes_its_tests":
            job = functools.partial(
                prepare_control, params["backend"], params["support_module"]
            )
            jobs.append((control_key(item.callspec.id), job))
    folder = built_once(tmp_path_factory, "mutants", lambda empty: None)
    ahead = Ahead(folder, jobs, threads=AT_ONCE)
    yield ahead
    ahead.stop()


@pytest.mark.parametrize(("case", "site"), expanded())
def test_generated_tests_kill_the_mutant(
    case: dict[str, Any], site: int, mutant_runs: Ahead, record_property: Any
) -> None:
    mutant, result, outcomes = mutant_runs.result(f"{case_id(case)}#{site}")
    # AnyIO's tests run once per backend: test_x[asyncio], test_x[trio].
    failed = {
        name.split("[")[0] for name, outcome in outcomes.items() if outcome == "failed"
    }
    killed = bool(failed & set(case["killers"]))
    swept = any("sweep" in name for name in failed)
    record_property("mutant", f"{case_id(case)}#{site}")
    record_property("backend", case.get("backend", "asyncio"))
    record_property("killed", killed)
    record_property("sweep_killed", swept)
    assert (
        result.returncode != 0
    ), f"the mutant survived its killers {case['killers']}:\n{mutant.source}"
    assert (
        killed
    ), f"none of {case['killers']} failed; failing tests were {sorted(failed)}"
    assert swept, f"the cancel sweep alone let the mutant live:\n{mutant.source}"


@pytest.mark.parametrize(
    ("backend", "support_module"),
    sorted(
        {
            (case.get("backend", "asyncio"), case.get("support_module", False))
            for case in CASES
        }
    ),
)
def test_unmutated_worker_passes_its_tests(
    backend: str,
    support_module: bool,
    mutant_runs: Ahead,
    request: pytest.FixtureRequest,
) -> None:
    """The control: without a mutation the same run passes, so kills are real."""
    result = mutant_runs.result(control_key(request.node.callspec.id))
    assert result.returncode == 0, result.stdout[-3000:]


def control_key(test_id: str) -> str:
    """The :class:`Ahead` job of the control test ``test_id``."""
    return f"control:{test_id}"


def prepare_control(backend: str, support_module: bool, tmp_path: Path) -> Launch:
    """The last case of ``backend`` in that form, unmutated, in ``tmp_path``;
    return how to run all its tests. It mostly waits, as a mutant's run does,
    so it runs beside the mutants (:func:`mutant_runs`)."""
    spec = case_spec(
        [
            case
            for case in CASES
            if (case.get("backend", "asyncio"), case.get("support_module", False))
            == (backend, support_module)
        ][-1]
    )
    write_project(tmp_path, [spec])

    def launch(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        return run(
            [sys.executable, "-m", "pytest", "-q"], tmp_path, timeout=120, env=env
        )

    return launch
