"""A user's edit that only the cancel sweep catches, and running the sweep.

The default worker's ``fetch()`` gains a second request under a lock taken
with ``acquire()`` and released without ``finally``: a cancel landing in the
second request leaves the lock held (``async with self.pages:`` was meant).
The example tests replace ``fetch()`` with a Probe and pass; the sweep runs it.
Used by ``tests/test_sweep.py`` and by the README's generated failure block.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from cancelgen.spec import WorkerSpec
from tests.generated import run, spec_for, write_project

SPEC = spec_for(["cleanup", "timeout"], name="worker")  # the CLI's default patterns

GENERATED_FETCH = '''\
        """Await the I/O that brings in one batch of work."""
        await asyncio.sleep(0)
        return list(range(100))
'''
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


def edited_project(root: Path, spec: WorkerSpec = SPEC) -> Path:
    """A project at ``root`` whose default worker (``spec``: SPEC, or SPEC in
    the support-module form) the user edited as above."""
    write_project(root, [spec])
    module = root / spec.module_path
    source = module.read_text()
    for before, after in EDITS:
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


def what_the_sweep_says(project: Path, at: str = "") -> str:
    """The sweep's failure message for ``project``, from its first line to the
    command that re-runs the schedule; '' if it passed."""
    result = pytest_run(project, "-k", "sweep", at=at)
    said = re.search(
        r"^the cancel sweep broke.*?^Re-run only this: .*?\n",
        result.stdout,
        re.S | re.M,
    )
    if result.returncode == 0:
        return ""
    assert said, result.stdout[-3000:]
    return said.group()
