"""``cancelgen upgrade`` of projects the released cancelgen 0.2.0 wrote.

``tests/releases/0.2.0/<backend>`` is a project exactly as 0.2.0 left it (see
its README): the same two workers as 0.1.0's, with the sweep engine already in
the shared ``tests/_cancelgen_<backend>.py``. Since 0.2.0 the engine and the
test modules changed (lint-clean, smaller: the pattern checks moved into the
engine); the worker modules changed little. Each test copies one project,
edits it as a user would, runs ``cancelgen upgrade`` through the CLI and checks
what the user gets: the edits kept, every file as cancelgen writes it now, a
conflict only where the user edited a line that changed, and (slow) the
project's own tests passing.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.generated import pytest_outcomes
from tests.project.test_release_upgrade import (
    BACKENDS,
    MY_TEST,
    Edit,
    expected,
    files_with_markers,
    invoke,
    released_project,
    rendered_now,
)

RELEASE = Path(__file__).resolve().parent.parent / "releases" / "0.2.0"
ENGINE = "tests/_cancelgen_{backend}.py"

WHOLE_BATCH = (
    '    """Uncancelled, the worker handles its batch."""\n'
    "    async with environment() as probe:\n"
    "        assert await worker(probe) == probe.batch_size\n"
)
FETCHED = "        batch = await super().fetch()\n"

# Lines the user owns, which the upgrade leaves as they are: the steps of
# both workers, a test of their own between two generated ones, and a check of
# their own in the sweep's Watched steps.
EDITS = (
    Edit(
        "src/shop/worker.py",
        "        return list(range(100))\n",
        "        return [n * n for n in range(7)]  # my own batch\n",
    ),
    Edit(
        "src/shop/sync_orders.py",
        "        return list(range(100))\n",
        "        return list(range(40))  # the orders API pages by 40\n",
    ),
    Edit("tests/test_worker.py", WHOLE_BATCH, WHOLE_BATCH + MY_TEST),
    Edit(
        "tests/test_worker.py",
        FETCHED,
        FETCHED + "        assert len(batch) == 7, 'my fetch brings in 7 items'\n",
    ),
)

# A line the upgrade drops: the cleanup check it moved into the engine.
CUT_SHORT = Edit(
    "tests/test_worker.py",
    'found.append("cleanup was cut short (R',
    'found.append("my cleanup was cut short (R',
)


@pytest.fixture(autouse=True)
def _private_cache(private_cache: Path) -> None:
    """Every run here uses the session's private cancelgen cache."""


def upgraded(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    backend: str,
    edits: tuple[Edit, ...],
) -> tuple[Path, Any]:
    """The 0.2.0 project of ``backend`` with ``edits``, upgraded: its root, the run."""
    root = released_project(tmp_path, backend, edits, RELEASE)
    return root, invoke(root, monkeypatch, "upgrade")


@pytest.mark.parametrize("backend", BACKENDS)
def test_status_of_a_0_2_0_project_says_what_changed_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    root = released_project(tmp_path, backend, (), RELEASE)
    result = invoke(root, monkeypatch, "status", "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert {entry["state"] for entry in status["files"]} == {"unedited"}
    outdated = {entry["path"] for entry in status["files"] if entry["outdated"]}
    engine = ENGINE.format(backend=backend)
    assert {"tests/test_worker.py", "tests/test_sync_orders.py", engine} <= outdated


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_keeps_every_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    root, result = upgraded(tmp_path, monkeypatch, backend, EDITS)
    assert result.exit_code == 0, result.output
    assert files_with_markers(root) == []
    edited = sorted({edit.path for edit in EDITS})
    for path in edited:
        now = rendered_now(root, path)
        assert (root / path).read_text() == expected(now, EDITS, path, backend)
    engine = ENGINE.format(backend=backend)
    assert (root / engine).read_text() == rendered_now(root, engine)
    status = json.loads(invoke(root, monkeypatch, "status", "--json").stdout)
    states = {entry["path"]: entry["state"] for entry in status["files"]}
    assert {path for path, state in states.items() if state == "edited"} == set(edited)
    assert not [entry for entry in status["files"] if entry["outdated"]]


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_upgraded_projects_own_tests_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    root, result = upgraded(tmp_path, monkeypatch, backend, EDITS)
    assert result.exit_code == 0, result.output
    run, outcomes = pytest_outcomes(root, "-p", "no:cacheprovider", "tests")
    assert run.returncode == 0, run.stdout[-3000:]
    assert set(outcomes.values()) == {"passed"}, outcomes
    ran = {name.split("[")[0] for name in outcomes}  # AnyIO's: [asyncio], [trio]
    assert {"test_cancel_sweep", "test_my_batch_is_seven_squares"} <= ran


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_edited_line_the_upgrade_drops_conflicts_there_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    root, result = upgraded(tmp_path, monkeypatch, backend, (*EDITS, CUT_SHORT))
    assert result.exit_code == 1
    assert files_with_markers(root) == [CUT_SHORT.path]
    text = (root / CUT_SHORT.path).read_text()
    blocks = re.findall(r"<<<<<<< .*?\n(.*?)=======\n(.*?)>>>>>>> .*?\n", text, re.S)
    assert len(blocks) == 1
    yours, theirs = blocks[0]
    assert CUT_SHORT.text(backend) in yours
    assert "cleanup_problems(run)" in theirs
    # Taking cancelgen's side gives what it writes now, with the other edits.
    resolved = re.sub(
        r"<<<<<<< .*?\n.*?=======\n(.*?)>>>>>>> .*?\n", r"\1", text, flags=re.S
    )
    path = CUT_SHORT.path
    assert resolved == expected(rendered_now(root, path), EDITS, path, backend)
