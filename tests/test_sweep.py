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

from cancelgen.spec import WorkerSpec
from tests.generated import PACKAGE, run, spec_for, write_project
from tests.sweep_demo import SPEC, edited_project, pytest_run, what_the_sweep_says

pytestmark = pytest.mark.slow


# The worker as one file, and importing its helpers from a support module:
# the sweep says the same of both.
FORMS = {"single-file": SPEC, "support-module": replace(SPEC, support_module=True)}


@pytest.fixture(scope="module", params=list(FORMS))
def form(request: pytest.FixtureRequest) -> WorkerSpec:
    return FORMS[request.param]


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


def test_a_fault_and_its_cancelled_run_re_run_alone(
    tmp_path: Path, form: WorkerSpec
) -> None:
    write_project(tmp_path, [form])
    for key in ("cleanup fails", "cleanup hangs,cancelled", "1,2", "0"):
        result = pytest_run(tmp_path, "-k", "sweep", at=key)
        assert result.returncode == 0, f"{key}: {result.stdout[-3000:]}"
    result = pytest_run(tmp_path, "-k", "sweep", at="commit fails")
    assert result.returncode == 1
    assert "CANCELGEN_SWEEP_AT='commit fails' names no schedule" in result.stdout


def test_the_skip_knob_says_why(tmp_path: Path) -> None:
    write_project(tmp_path, [SPEC])
    tests = tmp_path / SPEC.test_path
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
print(sorted({{tests.in_fresh_loop(tests.Schedule())[0].steps for _ in range(5)}}))
"""


def test_steps_are_counted_the_same_every_run(tmp_path: Path) -> None:
    """Threads, a child process and a socket take their own time; N does not."""
    from cancelgen.catalog import PATTERNS, RESOURCES

    spec = spec_for(list(PATTERNS), list(RESOURCES), name="everything")
    write_project(tmp_path, [spec])
    code = COUNT_STEPS.format(name=spec.name)
    counts = {
        run([sys.executable, "-c", code], tmp_path).stdout.strip() for _ in range(2)
    }
    assert len(counts) == 1, counts
    assert re.fullmatch(r"\[\d+\]", counts.pop())
    assert PACKAGE in spec.module_import
