"""AnyIO and Trio workers in a fresh project pass their own generated tests.

The spec of issue 12's done-criterion (``cancelgen new worker --backend anyio
-p cleanup -p shield -p timeout -p exit-stack -r lock -r connection``), built
through ``WorkerSpec`` and rendered as the CLI would: AnyIO's tests must pass on
both of AnyIO's backends, Trio's under plain ``trio.run`` and under pytest-trio.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cancelgen.core.spec import WorkerSpec
from tests.generated import PACKAGE, pytest_outcomes, write_project

pytestmark = pytest.mark.slow

PATTERNS = ["cleanup", "shield", "timeout", "exit-stack"]
RESOURCES = ["lock", "connection"]


def outcomes(root: Path, spec: WorkerSpec) -> dict[str, str]:
    """``{test id: "passed" | "failed" | "skipped"}`` of the spec's generated tests."""
    write_project(root, [spec])
    result, found = pytest_outcomes(root)
    assert result.returncode == 0, result.stdout[-4000:]
    return found


def test_anyio_worker_passes_on_both_anyio_backends(tmp_path: Path) -> None:
    spec = WorkerSpec.create(
        name="worker",
        backend="anyio",
        patterns=PATTERNS,
        resources=RESOURCES,
        package_dir=f"src/{PACKAGE}",
        package_import=PACKAGE,
    )
    found = outcomes(tmp_path, spec)
    names = {test.split("[")[0] for test in found}
    assert len(names) >= 10
    for name in names:
        for backend in ("asyncio", "trio"):
            assert found.get(f"{name}[{backend}]") == "passed", (name, backend)


@pytest.mark.parametrize("style", ["trio-run", "pytest-trio"])
def test_trio_worker_passes_under_each_test_style(tmp_path: Path, style: str) -> None:
    spec = WorkerSpec.create(
        name="worker",
        backend="trio",
        test_style=style,
        patterns=PATTERNS,
        resources=RESOURCES,
        package_dir=f"src/{PACKAGE}",
        package_import=PACKAGE,
    )
    found = outcomes(tmp_path, spec)
    assert len(found) >= 10
    assert set(found.values()) == {"passed"}, found
