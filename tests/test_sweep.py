"""The cancel sweep keeps proving the worker after the user edits it.

The example tests replace the steps with a Probe, so an await a user adds to a
step is invisible to them; the sweep runs the user's own steps. Here a
plausible edit of the default worker leaks a lock when a cancel lands in the
new await: the example tests pass, the sweep fails naming the step, and the
schedule it names re-runs alone. The knobs work as the generated module says.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.generated import PACKAGE, run, spec_for, write_project

pytestmark = pytest.mark.slow

SPEC = spec_for(["cleanup", "timeout"], name="worker")  # the CLI's default patterns

GENERATED_FETCH = '''\
        """Await the I/O that brings in one batch of work."""
        await asyncio.sleep(0)
        return list(range(100))
'''
# The user's edit: a second page, one request at a time. A cancel landing in
# the second request leaves the lock held: `async with self.pages:` was meant.
EDITED_FETCH = '''\
        """Await the I/O that brings in one batch of work."""
        await asyncio.sleep(0)
        await self.pages.acquire()
        await asyncio.sleep(0)  # the second page
        self.pages.release()
        return list(range(100))
'''
EDITS = [
    (
        "from dataclasses import dataclass\n",
        "from dataclasses import dataclass, field\n",
    ),
    (
        "    cleanup_timeout_s: float = 5.0\n",
        "    cleanup_timeout_s: float = 5.0\n"
        "    pages: asyncio.Lock = field(default_factory=asyncio.Lock)\n",
    ),
    (GENERATED_FETCH, EDITED_FETCH),
]


def pytest_run(
    project: Path, *args: str, at: str = ""
) -> subprocess.CompletedProcess[str]:
    """The generated tests of ``project``, selected by ``args``."""
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-rs", *args]
    return run(
        argv, project, timeout=120, env={"CANCELGEN_SWEEP_AT": at} if at else None
    )


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose default worker the user edited as above."""
    project = tmp_path_factory.mktemp("edited")
    write_project(project, [SPEC])
    module = project / SPEC.module_path
    source = module.read_text()
    for before, after in EDITS:
        assert source.count(before) == 1, f"the generated worker changed: {before!r}"
        source = source.replace(before, after)
    module.write_text(source)
    return project


def second_page_line(project: Path) -> int:
    lines = (project / SPEC.module_path).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if "# the second page" in line)


def test_the_example_tests_miss_the_leak(edited: Path) -> None:
    result = pytest_run(edited, "-k", "not sweep")
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout


def test_the_sweep_catches_it_naming_the_step(edited: Path) -> None:
    result = pytest_run(edited, "-k", "sweep")
    assert result.returncode == 1, result.stdout[-3000:]
    line = second_page_line(edited)
    # Cancelled in the second request, the worker left the lock held: run
    # again on the same steps, it waits for the lock in fetch().
    assert "the cancel sweep broke the worker: cancelled at step 2 " in result.stdout
    assert "cancelled at step 2, in worker() line" in result.stdout
    assert f"> fetch() line {line}" in result.stdout
    assert "then, run again on the same steps: it did not finish" in result.stdout
    assert "Re-run only this: CANCELGEN_SWEEP_AT='2' pytest" in result.stdout


def test_the_named_schedule_re_runs_alone(edited: Path) -> None:
    failing = pytest_run(edited, "-k", "sweep", at="2")
    assert failing.returncode == 1
    assert "cancelled at step 2 (uncancelled" not in failing.stdout  # N not counted
    assert "the cancel sweep broke the worker: cancelled at step 2" in failing.stdout
    assert f"> fetch() line {second_page_line(edited)}" in failing.stdout
    # Cancelled before the lock is taken, the edited worker is fine.
    assert pytest_run(edited, "-k", "sweep", at="1").returncode == 0


def test_a_fault_and_its_cancelled_run_re_run_alone(tmp_path: Path) -> None:
    write_project(tmp_path, [SPEC])
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
