"""The cancel sweep keeps proving the worker after the user edits it.

The example tests replace the steps with a Probe, so an await a user adds to a
step is invisible to them; the sweep runs the user's own steps. Here a
plausible edit of the default worker leaks a lock when a cancel lands in the
new await: the example tests pass, the sweep fails naming the step, and the
schedule it names re-runs alone. The knobs work as the generated module says.
"""

from __future__ import annotations

import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from cancelgen.core.spec import WorkerSpec
from tests import budget
from tests.generated import run, spec_for, write_project
from tests.sweep_demo import (
    SPEC,
    demo_spec,
    edited_project,
    pytest_run,
    what_the_sweep_says,
)

pytestmark = pytest.mark.slow


# The worker as one file, and importing its helpers from a support module:
# the sweep says the same of both.
FORMS = {"single-file": SPEC, "support-module": replace(SPEC, support_module=True)}


@pytest.fixture(scope="module", params=list(FORMS))
def form(request: pytest.FixtureRequest) -> WorkerSpec:
    return FORMS[request.param]


def sampled(form: WorkerSpec, backend: str, *ci: tuple[str, str]) -> None:
    """Skip, in CI's sample, a (form, backend) not among ``ci``: the forms
    share the engine's code, so CI runs each backend in one form, the forms
    in turn (``pytest --full`` runs them all)."""
    name = "support-module" if form.support_module else "single-file"
    if not budget.full() and (name, backend) not in ci:
        pytest.skip(f"CI's sample runs {sorted(ci)} (all of them: pytest --full)")


def in_form(spec: WorkerSpec, form: WorkerSpec) -> WorkerSpec:
    """``spec`` in the same form as ``form``."""
    return replace(spec, support_module=form.support_module)


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, form: WorkerSpec) -> Path:
    """A project whose default worker the user edited (see tests/sweep_demo.py)."""
    return edited_project(tmp_path_factory.mktemp("edited"), form)


def second_page_line(project: Path) -> int:
    lines = (project / SPEC.module_path).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if "# the second page" in line)


def test_the_example_tests_miss_the_leak(edited: Path) -> None:
    result = pytest_run(edited, "-k", "not sweep")
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout


@pytest.fixture(scope="module")
def caught(edited: Path) -> str:
    """What the sweep says about the edited worker."""
    said = what_the_sweep_says(edited)
    assert said, "the sweep passed"
    return said


def test_the_sweep_catches_it_naming_the_step(edited: Path, caught: str) -> None:
    line = second_page_line(edited)
    # Cancelled in the second request, the worker left the lock held: run
    # again on the same steps, it waits for the lock in fetch().
    assert caught.startswith("the cancel sweep broke the worker: cancelled at step 2 ")
    assert "  cancelled at step 2, in worker() line" in caught
    assert f"> fetch() line {line}\n" in caught
    assert "then, run again on the same steps: it did not finish" in caught
    assert "Re-run only this: CANCELGEN_SWEEP_AT='2' pytest tests/" in caught


def test_the_named_schedule_re_runs_alone(edited: Path, caught: str) -> None:
    alone = what_the_sweep_says(edited, at="2")
    # The same failure, but N is not counted: only that schedule ran.
    assert alone == caught.replace(" (uncancelled, it takes 3 steps)", "")
    # Cancelled before the lock is taken, the edited worker is fine.
    assert what_the_sweep_says(edited, at="1") == ""


@pytest.mark.parametrize("backend", ["asyncio", "anyio", "trio"])
def test_a_fault_and_its_cancelled_run_re_run_alone(
    tmp_path: Path, form: WorkerSpec, backend: str
) -> None:
    sampled(
        form,
        backend,
        ("single-file", "asyncio"),
        ("support-module", "anyio"),
        ("single-file", "trio"),
    )
    spec = in_form(demo_spec(backend), form)
    write_project(tmp_path, [spec])
    for key in ("cleanup fails", "cleanup hangs,cancelled", "1,2", "0"):
        result = pytest_run(tmp_path, "-k", "sweep", at=key)
        assert result.returncode == 0, f"{key}: {result.stdout[-3000:]}"
    result = pytest_run(tmp_path, "-k", "sweep", at="commit fails")
    assert result.returncode == 1
    assert "CANCELGEN_SWEEP_AT='commit fails' names no schedule" in result.stdout


@pytest.mark.parametrize("backend", ["asyncio", "anyio", "trio"])
def test_the_skip_knob_says_why(tmp_path: Path, backend: str) -> None:
    spec = demo_spec(backend)
    write_project(tmp_path, [spec])
    tests = tmp_path / spec.test_path
    text = tests.read_text()
    assert text.count('SWEEP_SKIP = ""\n') == 1
    tests.write_text(
        text.replace('SWEEP_SKIP = ""\n', 'SWEEP_SKIP = "fetch() calls the real API"\n')
    )
    result = pytest_run(tmp_path, "-k", "sweep")
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(
        r"SKIPPED .*fetch\(\) calls the real API", result.stdout
    ), result.stdout


COUNT_STEPS = """
import sys
sys.path.insert(0, "src")
sys.path.insert(0, "tests")
import test_{name} as tests
run_type = getattr(tests, "Recorded", tests.Run)
sweep = tests.WorkerSweep(tests.{name}, tests.Watched, run_type)
sweep.loggers = tests.LOGGERS
if sys.argv[1:]:
    sweep.backend = sys.argv[1]
engine = sys.modules[tests.Run.__module__]
print(sorted({{sweep.check(engine.Schedule()).steps for _ in range(5)}}))
"""


@pytest.mark.parametrize(
    ("backend", "run_on"),
    [("asyncio", ""), ("anyio", "asyncio"), ("anyio", "trio"), ("trio", "")],
)
def test_steps_are_counted_the_same_every_run(
    tmp_path: Path, backend: str, run_on: str
) -> None:
    """Threads, a child process and a socket take their own time; N does not
    (``run_on``: the AnyIO backend the sweep runs on). On AnyIO's trio
    backend a child that has exited before it is reaped takes a step fewer
    (Trio asks the OS at once, asyncio only through its loop), as the
    generated notes say: N holds there without the child process."""
    from cancelgen.core.catalog import PATTERNS, RESOURCES

    resources = [
        name for name in RESOURCES if not (run_on == "trio" and name == "subprocess")
    ]
    spec = spec_for(list(PATTERNS), resources, name="everything", backend=backend)
    write_project(tmp_path, [spec])
    code = COUNT_STEPS.format(name=spec.name)
    argv = [sys.executable, "-c", code, *filter(None, [run_on])]
    counts = {run(argv, tmp_path).stdout.strip() for _ in range(2)}
    assert len(counts) == 1, counts
    assert re.fullmatch(r"\[\d+\]", counts.pop())


# What the sweep of the edited AnyIO and Trio workers names: the test that
# failed first (AnyIO's sweep runs on each of its backends).
SWEEPS = {
    "anyio": [
        "tests/test_worker.py::test_cancel_sweep[asyncio]",
        "tests/test_worker.py::test_cancel_sweep[trio]",
    ],
    "trio": ["tests/test_worker.py::test_cancel_sweep"],
}


def same_but_addresses(said: str, again: str) -> bool:
    """Whether two messages are the same but for objects' addresses (a task's)."""
    return re.sub(r" at 0x[0-9a-f]+", "", said) == re.sub(r" at 0x[0-9a-f]+", "", again)


def acquire_line(project: Path, backend: str) -> int:
    lines = (project / demo_spec(backend).module_path).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if "pages.acquire()" in line)


@pytest.mark.parametrize("backend", sorted(SWEEPS))
def test_the_sweep_catches_the_edit_in_anyio_and_trio_workers(
    tmp_path: Path, form: WorkerSpec, backend: str
) -> None:
    """The same edit in a Trio or AnyIO worker (in either form): the example
    tests pass, the sweep (on each of AnyIO's backends) names the step, and
    re-runs it alone."""
    sampled(form, backend, ("support-module", "anyio"), ("single-file", "trio"))
    project = edited_project(tmp_path, in_form(demo_spec(backend), form))
    result = pytest_run(project, "-k", "not sweep")
    assert result.returncode == 0, result.stdout[-3000:]
    line = acquire_line(project, backend)
    for test in SWEEPS[backend]:
        caught = what_the_sweep_says(project, "", test)
        # Cancelled as the lock is taken, the worker leaves it held: run again
        # on the same steps, the lock is still taken (or Trio's says its
        # owner left without releasing it).
        assert caught.startswith(
            "the cancel sweep broke the worker: cancelled at step 2 "
        ), caught
        assert "  cancelled at step 2, in worker() line " in caught
        assert f"> fetch() line {line}\n" in caught
        assert "  - then, run again on the same steps: " in caught
        named = f"'{test}'" if "[" in test else "tests/test_worker.py -k sweep"
        assert f"Re-run only this: CANCELGEN_SWEEP_AT='2' pytest {named}\n" in caught
        alone = what_the_sweep_says(project, "2", test)
        uncounted = re.sub(r" \(uncancelled, it takes \d+ steps\)", "", caught)
        assert same_but_addresses(alone, uncounted)
        # Cancelled before the lock is taken, the edited worker is fine.
        assert what_the_sweep_says(project, "1", test) == ""
