"""A user's edit that only the cancel sweep catches, and running the sweep.

The default worker's ``fetch()`` gains a second request under a lock taken
with ``acquire()`` and released without ``finally``: a cancel landing in the
second request leaves the lock held (``async with self.pages:`` was meant).
The example tests replace ``fetch()`` with a Probe and pass; the sweep runs it.
The same edit is made to the worker of each backend, in its own names.
Used by ``tests/test_sweep.py`` and by the generated failure block of docs/sweep.rst.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cancelgen.core.spec import WorkerSpec
from tests.generated import run, spec_for, write_project

# Each backend's checkpoint, in the default body of fetch().
CHECKPOINTS = {
    "asyncio": "asyncio.sleep(0)",
    "anyio": "anyio.lowlevel.checkpoint()",
    "trio": "trio.lowlevel.checkpoint()",
}


def demo_spec(backend: str = "asyncio") -> WorkerSpec:
    """The worker the user edits: the CLI's default patterns, on ``backend``."""
    return spec_for(["cleanup", "timeout"], name="worker", backend=backend)


SPEC = demo_spec()


def edits(backend: str) -> list[tuple[str, str]]:
    """The user's edit of the worker of ``backend``: (before, after) pairs."""
    library, checkpoint = backend, CHECKPOINTS[backend]
    generated_fetch = f'''\
        """Await the I/O that brings in one batch of work."""
        await {checkpoint}
        return list(range(100))
'''
    edited_fetch = f'''\
        """Await the I/O that brings in one batch of work."""
        await {checkpoint}
        await self.pages.acquire()
        await {checkpoint}  # the second page
        self.pages.release()
        return list(range(100))
'''
    return [
        (
            "from dataclasses import dataclass\n",
            "from dataclasses import dataclass, field\n",
        ),
        (
            "    cleanup_timeout_s: float = 5.0\n",
            "    cleanup_timeout_s: float = 5.0\n"
            f"    pages: {library}.Lock = field(default_factory={library}.Lock)\n",
        ),
        (generated_fetch, edited_fetch),
    ]


def edited_project(root: Path, spec: WorkerSpec = SPEC) -> Path:
    """A project at ``root`` whose default worker (``spec``: the demo spec of a
    backend, in either form) the user edited as above."""
    write_project(root, [spec])
    module = root / spec.module_path
    source = module.read_text()
    for before, after in edits(spec.backend):
        assert source.count(before) == 1, f"the generated worker changed: {before!r}"
        source = source.replace(before, after)
    module.write_text(source)
    return root


def pytest_run(
    project: Path, *args: str, at: str = ""
) -> subprocess.CompletedProcess[str]:
    """The generated tests of ``project``, selected by ``args``; ``at`` sets
    CANCELGEN_SWEEP_AT."""
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-rs", *args]
    return run(
        argv, project, timeout=120, env={"CANCELGEN_SWEEP_AT": at} if at else None
    )


def what_the_sweep_says(project: Path, at: str = "", *args: str) -> str:
    """The sweep's first failure message for ``project`` (of the tests ``args``
    select, all sweeps by default), from its first line to the command that
    re-runs the schedule; '' if it passed."""
    result = pytest_run(project, *(args or ("-k", "sweep")), at=at)
    said = re.search(
        r"^the cancel sweep broke.*?^Re-run only this: .*?\n",
        result.stdout,
        re.S | re.M,
    )
    if result.returncode == 0:
        return ""
    assert said, result.stdout[-3000:]
    return said.group()
