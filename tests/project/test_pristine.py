"""Pristine copies are named so that no tool takes them for code.

``.cancelgen/pristine/<path>.pristine`` (see :mod:`cancelgen.project.records`):
after ``cancelgen new`` nothing under ``.cancelgen`` is a ``.py`` file, and a
project's own ``ruff check`` finds nothing there. A project cancelgen 0.1.0
wrote (``tests/releases/0.1.0``, copies named like the files themselves) is
read as it is, and ``cancelgen upgrade`` moves its copies, all or nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.project import write
from cancelgen.project.records import Record, digest, record_text
from cancelgen.project.upgrade import FileUpgrade, UnitUpgrade
from tests.cli_support import MINIMAL_PYPROJECT, make_project, snapshot

RELEASE = Path(__file__).resolve().parent.parent / "releases" / "0.1.0"
BACKENDS = ("asyncio", "anyio", "trio")
PRISTINE = ".cancelgen/pristine"

# A project that lints everything, its tests with the usual allowances.
RUFF_PYPROJECT = MINIMAL_PYPROJECT + (
    '[tool.ruff.lint.per-file-ignores]\n"tests/**" = ["S101", "D", "PLR2004"]\n'
)

RUFF = (sys.executable, "-m", "ruff", "check", "--no-cache")

runner = CliRunner()


@pytest.fixture(autouse=True)
def _private_cache(private_cache: Path) -> None:
    """Every run here uses the session's private cancelgen cache."""


def invoke(root: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    """``cancelgen ARGS`` through the CLI, in ``root``."""
    with monkeypatch.context() as patch:
        patch.chdir(root)
        return runner.invoke(app, list(args))


def under_cancelgen(root: Path, pattern: str) -> list[str]:
    return sorted(
        path.relative_to(root).as_posix()
        for path in (root / ".cancelgen").rglob(pattern)
        if path.is_file()
    )


def recorded_files(root: Path) -> dict[str, str]:
    """``{path: digest}`` of every file every record lists."""
    files: dict[str, str] = {}
    for location in (root / ".cancelgen/records").rglob("*.json"):
        files.update(json.loads(location.read_text(encoding="utf-8"))["files"])
    return files


def status_states(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    result = invoke(root, monkeypatch, "status", "--json")
    assert result.exit_code == 0, result.output
    return {
        entry["path"]: (entry["state"], entry["outdated"])
        for entry in json.loads(result.stdout)["files"]
    }


def test_new_writes_no_python_file_under_cancelgen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "project")
    result = invoke(root, monkeypatch, "new", "worker", "-p", "shield", "-r", "lock")
    assert result.exit_code == 0, result.output
    assert under_cancelgen(root, "*.py") == []
    files = recorded_files(root)
    assert len(files) >= 3  # the worker, its tests, the conftest.py, the engine
    assert under_cancelgen(root, "*.pristine") == sorted(
        f"{PRISTINE}/{path}.pristine" for path in files
    )
    for path, recorded in files.items():
        copy = (root / f"{PRISTINE}/{path}.pristine").read_bytes()
        assert copy == (root / path).read_bytes()
        assert digest(copy.decode("utf-8")) == recorded


def test_the_projects_own_ruff_check_finds_nothing_under_cancelgen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path / "project", RUFF_PYPROJECT)
    assert invoke(root, monkeypatch, "new", "worker").exit_code == 0
    run = subprocess.run(
        [*RUFF, "--select", "ALL", "--exit-zero", "--output-format", "json", "."],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    checked = {Path(item["filename"]) for item in json.loads(run.stdout)}
    assert checked  # ruff did look at the project (the worker's docstrings, ...)
    inside = [path for path in checked if ".cancelgen" in path.parts]
    assert inside == []


def released(tmp_path: Path, backend: str) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(RELEASE / backend, root)
    return root


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_released_project_is_read_then_its_copies_move(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    root = released(tmp_path, backend)
    old = under_cancelgen(root, "*.py")
    files = recorded_files(root)
    assert old == sorted(f"{PRISTINE}/{path}" for path in files)  # 0.1.0's names
    # status reads the old copies: every file unedited.
    assert {state for state, _ in status_states(root, monkeypatch).values()} == {
        "unedited"
    }
    result = invoke(root, monkeypatch, "upgrade")
    assert result.exit_code == 0, result.output
    assert under_cancelgen(root, "*.py") == []
    for location in (root / ".cancelgen/records").rglob("*.json"):
        assert json.loads(location.read_text())["format"] == 2, location
    after = recorded_files(root)
    assert set(files) <= set(after)  # nothing dropped; the engine module added
    assert under_cancelgen(root, "*.pristine") == sorted(
        f"{PRISTINE}/{path}.pristine" for path in after
    )
    assert set(status_states(root, monkeypatch).values()) == {("unedited", False)}


def test_a_copy_the_upgrade_does_not_rewrite_is_moved_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the user deleted keeps its record and its (old) copy: moved."""
    root = released(tmp_path, "asyncio")
    (root / "tests/test_worker.py").unlink()
    copy = (root / f"{PRISTINE}/tests/test_worker.py").read_bytes()
    result = invoke(root, monkeypatch, "upgrade")
    assert result.exit_code == 0, result.output
    assert under_cancelgen(root, "*.py") == []
    assert (root / f"{PRISTINE}/tests/test_worker.py.pristine").read_bytes() == copy
    assert status_states(root, monkeypatch)["tests/test_worker.py"][0] == "deleted"


def test_a_failing_upgrade_leaves_the_old_copies_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = released(tmp_path, "asyncio")
    before = snapshot(root)
    real_replace = write.os.replace
    deleted: list[str] = []
    failed: list[str] = []  # once: moving the old copies back works

    def failing_replace(source: Any, target: Any) -> None:
        moving_aside = str(source).endswith(".py") and ".cancelgen" in str(source)
        if deleted and not moving_aside and not failed:
            failed.append(str(target))
            raise OSError(28, "No space left on device")
        real_replace(source, target)
        if moving_aside:
            deleted.append(str(source))

    monkeypatch.setattr(write.os, "replace", failing_replace)
    result = invoke(root, monkeypatch, "upgrade")
    assert result.exit_code == 1
    assert "nothing was changed" in result.output
    assert deleted  # an old copy was gone when the next write failed
    assert snapshot(root) == before


def test_a_dropped_files_old_copy_goes_with_the_move(tmp_path: Path) -> None:
    """A file the installed cancelgen no longer renders leaves its record; its
    old-named copy is deleted with the others, the new record's moved."""
    kept, dropped = "src/demo/worker.py", "src/demo/gone.py"
    for path in (kept, dropped):
        copy = tmp_path / f"{PRISTINE}/{path}"
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(f"# {path}\n")
    record = Record(kept, "worker", {}, {kept: digest(f"# {kept}\n")})
    unit = UnitUpgrade(record, (FileUpgrade(dropped, "dropped"),), {})
    writes = unit.cancelgen_files(tmp_path)
    assert writes == {
        record.location: record_text(record),
        f"{PRISTINE}/{kept}.pristine": f"# {kept}\n".encode(),
        f"{PRISTINE}/{kept}": None,
        f"{PRISTINE}/{dropped}": None,
    }
