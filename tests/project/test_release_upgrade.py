"""``cancelgen upgrade`` of projects the released cancelgen 0.1.0 wrote (issue 19, item 4).

``tests/releases/0.1.0/<backend>`` is a project exactly as 0.1.0 left it (see
its README): a single-file worker, ``worker``, and one in the support-module
form, ``sync_orders``, each with the test module that carried its own copy of
the sweep engine. Each test copies one, edits it as a user would (``EDITS``:
data), runs ``cancelgen upgrade`` through the CLI, and checks what the user
gets: their edits kept byte for byte, the engine moved into
``tests/_cancelgen_<backend>.py``, conflict markers only where they edited a
line the upgrade changes, and (slow) the upgraded project's own tests passing.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cancelgen import __version__
from cancelgen.cli import app
from cancelgen.project.detect import find_project
from cancelgen.project.merge import has_markers
from cancelgen.project.records import digest
from cancelgen.project.units import load_records, render_record
from tests.generated import pytest_outcomes

RELEASE = Path(__file__).resolve().parent.parent / "releases" / "0.1.0"
BACKENDS = ("asyncio", "anyio", "trio")
TEST_MODULES = ("tests/test_worker.py", "tests/test_sync_orders.py")

runner = CliRunner()


@dataclass(frozen=True)
class Edit:
    """A user's edit: ``old`` (once in the file, before and after the upgrade)
    becomes ``new``; ``{library}`` and ``{run_fetch}`` in ``new`` are the
    backend's (see :data:`BACKEND_WORDS`)."""

    path: str
    old: str
    new: str

    def text(self, backend: str) -> str:
        return self.new.format(**BACKEND_WORDS[backend])


# How the user's own test runs a step, in each backend's idiom.
BACKEND_WORDS = {
    "asyncio": {"library": "asyncio", "run_fetch": "asyncio.run(steps.fetch())"},
    "anyio": {"library": "anyio", "run_fetch": "anyio.run(steps.fetch)"},
    "trio": {"library": "trio", "run_fetch": "trio.run(steps.fetch)"},
}

# A line both releases write alike (the step's docstring below it changed).
COMMIT_DEF = "    async def commit(self, batch: list[int]) -> None:\n"
WHOLE_BATCH = (
    '    """Uncancelled, the worker handles its batch."""\n'
    "    async with environment() as probe:\n"
    "        assert await worker(probe) == probe.batch_size\n"
)
MY_TEST = '''

def test_my_batch_is_seven_squares() -> None:
    """My own test: the batch my fetch() brings in."""
    import {library}

    from shop.worker import WorkerSteps

    steps = WorkerSteps()
    assert {run_fetch} == [n * n for n in range(7)]
'''
TIMERS = "        # Timers never fire early; a second late would mean a wrong bound.\n"

# Edits of lines the upgrade leaves as they are (and of lines next to none it
# changes): the step lines the user owns, in both forms, a comment of a
# generated test reworded.
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
    Edit(
        "src/shop/sync_orders.py",
        COMMIT_DEF,
        COMMIT_DEF + "        # My own commit: the batch goes to the orders table.\n",
    ),
    Edit(
        "tests/test_sync_orders.py",
        TIMERS,
        "        # Timers never fire early: one second late is a wrong bound (ours).\n",
    ),
)

# A test of the user's own, between two generated ones, and at the end.
BETWEEN = Edit("tests/test_worker.py", WHOLE_BATCH, WHOLE_BATCH + MY_TEST)
APPENDED = {
    backend: Edit("tests/test_worker.py", last, last + MY_TEST)
    for backend, last in (
        ("asyncio", "            check(Schedule((first, second)), steps)\n"),
        (
            "anyio",
            "            check(Schedule((first, second)), anyio_backend, steps)\n",
        ),
        ("trio", "            check(Schedule((first, second)), steps)\n"),
    )
}
# What each backend's project gets: EDITS and a test of the user's own.
USER_EDITS = (*EDITS, BETWEEN)

# An edit of a line the upgrade rewrites: the test module's docstring.
DOCSTRING = Edit(
    "tests/test_worker.py",
    "Each test proves one cancellation rule of ``worker()`` and fails\n",
    "Each test proves one cancellation rule of ``worker()`` (the order sync) and fails\n",
)


@pytest.fixture(autouse=True)
def _private_cache(private_cache: Path) -> None:
    """Every run here uses the session's private cancelgen cache."""


def released_project(
    tmp_path: Path, backend: str, edits: tuple[Edit, ...], release: Path = RELEASE
) -> Path:
    """A copy of the ``release`` (0.1.0) project of ``backend`` with ``edits`` made."""
    root = tmp_path / "shop"
    shutil.copytree(release / backend, root)
    for edit in edits:
        path = root / edit.path
        text = path.read_text(encoding="utf-8")
        assert text.count(edit.old) == 1, (edit.path, edit.old)
        path.write_text(text.replace(edit.old, edit.text(backend)), encoding="utf-8")
    return root


def invoke(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    """``cancelgen ARGS`` through the CLI, in ``root``."""
    with monkeypatch.context() as patch:
        patch.chdir(root)
        return runner.invoke(app, list(args))


def line_counts(root: Path) -> dict[str, int]:
    return {path: len((root / path).read_text().splitlines()) for path in TEST_MODULES}


def files_with_markers(root: Path) -> list[str]:
    """Every file under ``root`` (records and pristine copies included) that
    holds conflict markers."""
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and has_markers(path.read_text(encoding="utf-8"))
    )


def expected(text: str, edits: tuple[Edit, ...], path: str, backend: str) -> str:
    """``text`` (what cancelgen writes now) with the user's ``edits`` of ``path``."""
    for edit in edits:
        if edit.path == path:
            assert text.count(edit.old) == 1, (path, edit.old)
            text = text.replace(edit.old, edit.text(backend))
    return text


def rendered_now(root: Path, path: str) -> str:
    """What the installed cancelgen writes at ``path`` for its record's answers."""
    project = find_project(root)
    for record in load_records(root):
        rendered = render_record(record, project)
        if path in rendered:
            return rendered[path]
    raise AssertionError(f"no record renders {path}")


def upgraded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> tuple[Path, Any, dict[str, int]]:
    """The 0.1.0 project of ``backend`` with USER_EDITS, upgraded: its root, the
    run, and its test modules' line counts before."""
    root = released_project(tmp_path, backend, USER_EDITS)
    before = line_counts(root)
    return root, invoke(root, monkeypatch, "upgrade"), before


@pytest.mark.parametrize("backend", BACKENDS)
def test_status_of_a_0_1_0_project_says_its_test_modules_are_outdated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    root = released_project(tmp_path, backend, ())
    result = invoke(root, monkeypatch, "status", "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert {entry["recorded_by"] for entry in status["files"]} == {"0.1.0"}
    assert {entry["state"] for entry in status["files"]} == {"unedited"}
    # The engine left them (the worker modules may be as 0.1.0 wrote them).
    outdated = {entry["path"] for entry in status["files"] if entry["outdated"]}
    assert set(TEST_MODULES) <= outdated
    assert (
        "outdated: 'cancelgen upgrade' merges"
        in invoke(root, monkeypatch, "status").stdout
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_keeps_every_edit_and_moves_the_engine_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    root, result, before = upgraded(tmp_path, monkeypatch, backend)
    engine = f"tests/_cancelgen_{backend}.py"
    assert result.exit_code == 0, result.output
    assert f"created    {engine}" in result.stdout.splitlines()
    assert files_with_markers(root) == []
    # Each edited file is exactly what cancelgen writes now, with the edits.
    edits = USER_EDITS
    edited = sorted({edit.path for edit in edits})
    for path in edited:
        pristine = (root / f".cancelgen/pristine/{path}.pristine").read_text()
        assert (root / path).read_text() == expected(pristine, edits, path, backend)
    # The engine module: created, recorded as the tests folder's shared unit.
    record = json.loads((root / f".cancelgen/records/{engine}.json").read_text())
    assert (record["kind"], record["answers"]) == (
        "test-support",
        {"backend": backend, "tests_dir": "tests"},
    )
    assert record["files"] == {engine: digest((root / engine).read_text())}
    after = line_counts(root)
    assert all(after[path] < before[path] for path in TEST_MODULES), (before, after)
    records = sorted((root / ".cancelgen/records").rglob("*.json"))
    assert len(records) == 5  # two workers, conftest, support module, engine
    for location in records:
        assert json.loads(location.read_text())["cancelgen"] == __version__, location
    status = json.loads(invoke(root, monkeypatch, "status", "--json").stdout)
    states = {entry["path"]: entry["state"] for entry in status["files"]}
    assert states == {
        path: "edited" if path in edited else "unedited"
        for path in (
            "src/shop/worker.py",
            "tests/test_worker.py",
            "src/shop/sync_orders.py",
            "tests/test_sync_orders.py",
            f"src/shop/_cancellation_{backend}.py",
            "tests/conftest.py",
            engine,
        )
    }
    assert not [entry for entry in status["files"] if entry["outdated"]]


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_the_upgraded_projects_own_tests_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    root, result, _ = upgraded(tmp_path, monkeypatch, backend)
    assert result.exit_code == 0, result.output
    run, outcomes = pytest_outcomes(root, "-p", "no:cacheprovider", "tests")
    assert run.returncode == 0, run.stdout[-3000:]
    assert set(outcomes.values()) == {"passed"}, outcomes
    ran = {name.split("[")[0] for name in outcomes}  # AnyIO's: [asyncio], [trio]
    assert "test_cancel_sweep" in ran
    assert "test_my_batch_is_seven_squares" in ran


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_edited_line_the_upgrade_changes_conflicts_there_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    edits = (*USER_EDITS, DOCSTRING)
    root = released_project(tmp_path, backend, edits)
    before = line_counts(root)
    result = invoke(root, monkeypatch, "upgrade")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith(
        f"cancelgen: error: conflicts in {DOCSTRING.path}: resolve the <<<<<<<"
    )
    assert f"conflict   {DOCSTRING.path}" in result.stdout.splitlines()
    assert files_with_markers(root) == [DOCSTRING.path]
    text = (root / DOCSTRING.path).read_text()
    blocks = re.findall(r"<<<<<<< .*?\n(.*?)=======\n(.*?)>>>>>>> .*?\n", text, re.S)
    assert len(blocks) == 1
    yours, theirs = blocks[0]
    assert yours.startswith(DOCSTRING.text(backend))
    assert theirs.startswith("Each proves one cancellation rule of ``worker()``")
    # Outside the block, the file is upgraded with the user's other edits:
    # taking cancelgen's side gives what it writes now, with those edits.
    resolved = re.sub(
        r"<<<<<<< .*?\n.*?=======\n(.*?)>>>>>>> .*?\n", r"\1", text, flags=re.S
    )
    path = DOCSTRING.path
    others = USER_EDITS
    assert resolved == expected(rendered_now(root, path), others, path, backend)
    # The rest of the project is upgraded.
    assert (root / f"tests/_cancelgen_{backend}.py").is_file()
    assert (
        line_counts(root)["tests/test_sync_orders.py"]
        < before["tests/test_sync_orders.py"]
    )
    for edit in edits:
        assert edit.text(backend) in (root / edit.path).read_text()


# The sweep's documented knob: set to a reason, the sweep is skipped.
SWEEP_SKIP_SET = Edit(
    "tests/test_worker.py",
    'SWEEP_SKIP = ""\n',
    'SWEEP_SKIP = "fetch() calls the payment API"\n',
)
# Lines the user owns, added or set where the upgrade changes nothing.
OWN_EDITS = {
    "between": dict.fromkeys(BACKENDS, BETWEEN),
    "appended": APPENDED,
    "sweep-skip": dict.fromkeys(BACKENDS, SWEEP_SKIP_SET),
}
# git merge-file takes a change that touches another as a conflict, even with
# no line in common: the upgrade rewrites the test module's last lines (the
# sweep's body moved to the engine), the lines on both sides of SWEEP_SKIP
# (SWEEP_CAP, the sweep's notes and SWEEP_AT moved there too), and, in an
# AnyIO project, every generated test's decorators (@pytest.mark.anyio and
# @guarded become @anyio_test). cancelgen settles those line by line
# (cancelgen/project/merge.py): none of them conflicts.


@pytest.mark.parametrize(
    ("where", "backend"),
    [(where, backend) for where in OWN_EDITS for backend in BACKENDS],
)
def test_lines_the_user_owns_are_kept_without_a_conflict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, backend: str
) -> None:
    edit = OWN_EDITS[where][backend]
    root = released_project(tmp_path, backend, (edit,))
    result = invoke(root, monkeypatch, "upgrade")
    assert files_with_markers(root) == []
    assert result.exit_code == 0, result.output
    pristine = (root / f".cancelgen/pristine/{edit.path}.pristine").read_text()
    if edit is APPENDED[backend]:  # the module's last line is new: append to it
        wanted = pristine + MY_TEST.format(**BACKEND_WORDS[backend])
    else:
        wanted = expected(pristine, (edit,), edit.path, backend)
    assert (root / edit.path).read_text() == wanted
