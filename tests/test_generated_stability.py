"""Generated tests are not flaky: copies of the richest test module of each
backend, run two at a time under xdist, all pass. They synchronise with events,
so load only slows them down. CI runs a few copies, ``pytest --full`` twenty."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from tests import budget
from tests.generated import run, spec_for, write_project

pytestmark = pytest.mark.slow

REPEATS = 20 if budget.full() else 2


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_copies_of_the_richest_module_pass_under_load(
    tmp_path: Path, backend: str
) -> None:
    spec = spec_for(PATTERNS, RESOURCES, name="everything", backend=backend)
    write_project(tmp_path, [spec])
    original = tmp_path / spec.test_path
    for copy in range(1, REPEATS):
        original.with_name(f"test_everything_{copy:02d}.py").write_text(
            original.read_text()
        )
    result = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "xdist", "-n", "2", "tests"],
        tmp_path,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    per_module = len(re.findall(r"^(?:async )?def test_", original.read_text(), re.M))
    runs = 2 if backend == "anyio" else 1  # on AnyIO's asyncio and trio backends
    assert f"{per_module * REPEATS * runs} passed" in result.stdout
