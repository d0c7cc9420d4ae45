"""``cancelgen new test`` on the corpus of hand-written coroutines (issue 20):
the generated sweep test passes on every correct coroutine and fails on every
buggy one, with a report naming the step, the line (where the cancel had one)
and what broke, as each buggy file's ``expect:`` lines say.

Each backend's corpus is swept in two throwaway projects (correct and buggy:
their coroutines share names), one pytest run each. The CI sample sweeps all
of asyncio's corpus and three cases of AnyIO's and Trio's; ``pytest --full``
sweeps all of it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.budget import full
from tests.coroutine_corpus import Case, Verdict, cases, sweep
from tests.readme_blocks import ROOT, check_block, rst_code

BACKENDS = ("asyncio", "anyio", "trio")
SAMPLED = ("swallow", "subprocess", "shield_commit")
"""The cases of AnyIO's and Trio's corpus the CI sample sweeps (shield_commit:
work a cancel lets run on in a thread)."""


def chosen(backend: str) -> list[Case]:
    """The cases of ``backend`` this run sweeps."""
    every = cases(backend)
    if full() or backend == "asyncio":
        return every
    return [case for case in every if case.name in SAMPLED]


CHOSEN = [case for backend in BACKENDS for case in chosen(backend)]

Sweeper = Callable[[Case], list[Verdict]]


@pytest.fixture(scope="session")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> Sweeper:
    """The verdicts of a case's sweep test; each backend and kind's project
    is built and run once, when a test first asks for one of its cases."""
    done: dict[tuple[str, str], dict[Case, list[Verdict]]] = {}

    def of(case: Case) -> list[Verdict]:
        key = (case.backend, case.kind)
        if key not in done:
            root = tmp_path_factory.mktemp(f"corpus-{case.backend}-{case.kind}")
            same = [c for c in CHOSEN if (c.backend, c.kind) == key]
            package = f"corpus_{case.backend}_{case.kind}"
            done[key] = sweep(root, same, package)
        return done[key][case]

    return of


def test_every_bug_has_its_correct_twin() -> None:
    """Each backend's corpus pairs a correct and a buggy coroutine per bug,
    the same six bugs everywhere, and each buggy one says what to expect."""
    for backend in BACKENDS:
        every = cases(backend)
        correct = {case.name for case in every if case.kind == "correct"}
        buggy = {case.name for case in every if case.kind == "buggy"}
        assert correct == buggy == set(cases_of("asyncio")), backend
        assert all(case.expects for case in every if case.kind == "buggy"), backend


def cases_of(backend: str) -> list[str]:
    return sorted({case.name for case in cases(backend)})


@pytest.mark.slow
@pytest.mark.parametrize("case", CHOSEN, ids=lambda c: f"{c.backend}-{c.path.stem}")
def test_sweep_verdict(case: Case, verdicts: Sweeper) -> None:
    """Correct: every run of the sweep test passes. Buggy: every run fails
    (AnyIO's on both its backends), and the report names the step, what
    broke, and how to re-run it."""
    found = verdicts(case)
    assert found, f"no sweep test ran for {case.path.name}"
    for verdict in found:
        if case.kind == "correct":
            assert verdict.outcome == "passed", verdict.report
            continue
        assert verdict.outcome == "failed", f"{case.path.name} passed its sweep"
        report = verdict.report
        assert f"the cancel sweep broke {case.target}():" in report, report
        assert "step" in report and "Re-run only this: CANCELGEN_SWEEP_AT=" in report
        for expected in case.expects:
            assert expected in report, f"{case.path.name}: {expected!r} in\n{report}"


@pytest.mark.slow
def test_docs_page_shows_what_the_sweep_says(
    tmp_path: Path, update_golden: bool
) -> None:
    """docs/sweep-existing.rst shows asyncio's buggy_shield_commit.py and the
    report of the sweep test 'cancelgen new test' writes for it."""
    (case,) = [c for c in cases("asyncio") if c.path.stem == "buggy_shield_commit"]
    (verdict,) = sweep(tmp_path, [case], "corpus_docs")[case]
    assert verdict.outcome == "failed"
    page = ROOT / "docs" / "sweep-existing.rst"
    block = rst_code("text", verdict.report.strip() + "\n")
    check_block("sweep-existing-failure", block, update_golden, page)
    # The coroutine, from its imports on, with its own line numbers.
    lines = case.path.read_text().splitlines(True)[9:]
    code = rst_code("python", "".join(lines)).replace(
        ".. code-block:: python\n", ".. code-block:: python\n   :lineno-start: 10\n"
    )
    check_block("sweep-existing-code", code, update_golden, page)


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_switch_for_a_coroutine_meant_to_absorb_cancels(
    tmp_path: Path, backend: str
) -> None:
    """The swallowing coroutine fails its sweep; with absorbs_cancels = True
    (a supervisor that returns on purpose) the same test passes."""
    (case,) = [c for c in cases(backend) if c.path.stem == "buggy_swallow"]
    root = tmp_path / "project"
    (first,) = sweep(root, [case], f"absorbing_{backend}")[case]
    assert first.outcome == "failed" and "never reached the caller" in first.report
    test = root / "tests" / "test_poll_feed_sweep.py"
    text = test.read_text()
    assert text.count("absorbs_cancels = False") == 1
    test.write_text(text.replace("absorbs_cancels = False", "absorbs_cancels = True"))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", str(test)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.slow
def test_a_test_with_parameters_to_fill_in_fails_naming_them(tmp_path: Path) -> None:
    """Never a vacuous pass: until call() is filled in, the test fails and
    says which parameters it needs."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    coroutine = corpus / "correct_needs.py"
    coroutine.write_text(
        "import asyncio\n\n\nasync def fetch_page(url: str, retries: int = 2) -> None:\n"
        "    await asyncio.sleep(0)\n"
    )
    case = Case(coroutine, "asyncio", "correct", "needs", "fetch_page", ())
    (verdict,) = sweep(tmp_path / "project", [case], "needs_args")[case]
    assert verdict.outcome == "failed"
    assert "fetch_page() needs url" in verdict.report
    assert "retries" not in verdict.report
