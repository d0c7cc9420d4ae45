"""The Python floor: ``requires-python`` against the 3.11 generated code needs.

Refusals (exit 2, one line, the project unchanged byte for byte) and what
accepts a lower floor: ``--allow-python-floor``, ``[tool.cancelgen]
allow-python-floor``. The question asked on a terminal is in test_prompts.py;
two refusals are rows of tests/cases/bad_input.toml too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.project.detect import find_project
from cancelgen.project.floor import UnreadableFloor, parse_floor, python_floor
from tests.cli_support import make_project, snapshot

runner = CliRunner()

NEEDS = "the generated code needs 3.11 (asyncio.timeout, TaskGroup, except*)"


pytestmark = pytest.mark.usefixtures("private_cache")


def pyproject(requires: str | None = None, tool: str = "") -> str:
    text = '[project]\nname = "demo"\nversion = "0.1.0"\n'
    if requires is not None:
        text += f"requires-python = {requires}\n"
    return text + tool


def in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    root = make_project(tmp_path / "project", text)
    monkeypatch.chdir(root)
    return root


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


# ------------------------------------------------------------- the floor itself


@pytest.mark.parametrize(
    ("requirement", "floor"),
    [
        (">=3.8", (3, 8)),
        (">=3.10", (3, 10)),
        (">=3.10,<4", (3, 10)),
        ("~=3.9", (3, 9)),
        ("==3.12.*", (3, 12)),
        (">3.9", (3, 9)),  # 3.9.1 is above 3.9
        (">3.10.4", (3, 10)),
        ("==3.9.7", (3, 9)),
        ("!=3.8.*,>=3.8", (3, 9)),
        (">=3.11", (3, 11)),
        (">=3.11.0b1", (3, 11)),
        (">= 3.12", (3, 12)),
        ("<4", (2, 7)),
        ("", (2, 7)),  # no bound: every Python
        (">=3.11,<3.0", None),  # no Python at all
    ],
)
def test_the_floor_is_the_oldest_python_admitted(
    requirement: str, floor: tuple[int, int] | None
) -> None:
    assert parse_floor(requirement) == floor


@pytest.mark.parametrize("requirement", ["bogus", "3.8", ">=3.8;", "=>3.8"])
def test_an_unreadable_floor_is_an_error_of_its_own(requirement: str) -> None:
    with pytest.raises(UnreadableFloor):
        parse_floor(requirement)
    assert python_floor(requirement) is None


def test_the_project_exposes_its_floor(tmp_path: Path) -> None:
    root = make_project(tmp_path / "a", pyproject('">=3.10,<4"'))
    assert find_project(root).python_floor == (3, 10)
    root = make_project(tmp_path / "b", pyproject())
    assert find_project(root).python_floor is None
    root = make_project(tmp_path / "c", pyproject("3.8"))  # a TOML float
    assert find_project(root).python_floor is None


# ------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("requirement", "admitted"),
    [(">=3.8", "3.8"), (">=3.10", "3.10"), (">=3.10,<4", "3.10"), ("~=3.9", "3.9")],
)
@pytest.mark.parametrize(
    "args",
    [(), ("--dry-run",), ("--stdout",)],
    ids=["write", "dry-run", "stdout"],
)
def test_a_floor_below_3_11_is_refused_and_nothing_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    requirement: str,
    admitted: str,
    args: tuple[str, ...],
) -> None:
    in_project(tmp_path, monkeypatch, pyproject(f'"{requirement}"'))
    before = snapshot(tmp_path)
    result = invoke("new", "worker", *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr == (
        f'cancelgen: error: requires-python = "{requirement}" admits Python '
        f'{admitted}, but {NEEDS}: raise it to ">=3.11", or pass '
        "--allow-python-floor (or set allow-python-floor = true in "
        "[tool.cancelgen]) to generate 3.11 code anyway\n"
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("requirement", ['">=3.11"', '">=3.12"', '"==3.13.*"', None])
def test_a_floor_of_3_11_or_above_or_none_is_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, requirement: str | None
) -> None:
    root = in_project(tmp_path, monkeypatch, pyproject(requirement))
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert "requires-python" not in result.stderr
    assert (root / "src/demo/worker.py").is_file()


@pytest.mark.parametrize(
    ("requirement", "why"),
    [
        ('"bogus"', "Invalid specifier: 'bogus'"),
        ("3.8", "not a string"),
    ],
)
def test_an_unreadable_floor_is_noted_and_not_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, requirement: str, why: str
) -> None:
    """pip refuses such a project itself: cancelgen says it could not check."""
    root = in_project(tmp_path, monkeypatch, pyproject(requirement))
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert (
        f"cancelgen: cannot read requires-python = {requirement}: {why}; "
        "not checked against 3.11\n"
    ) in result.stderr
    assert (root / "src/demo/worker.py").is_file()


# ---------------------------------------------------------- accepting a floor


def generated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> str:
    root = in_project(tmp_path / "floor-3.11", monkeypatch, text)
    assert invoke("new", "worker", "-p", "task-group").exit_code == 0
    return (root / "src/demo/worker.py").read_text()


@pytest.mark.parametrize(
    ("args", "tool", "why"),
    [
        (("--allow-python-floor",), "", "--allow-python-floor"),
        (
            (),
            "[tool.cancelgen]\nallow-python-floor = true\n",
            "allow-python-floor in [tool.cancelgen]",
        ),
    ],
    ids=["flag", "tool-cancelgen"],
)
def test_an_accepted_floor_is_noted_and_the_code_is_still_for_3_11(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    tool: str,
    why: str,
) -> None:
    root = in_project(tmp_path, monkeypatch, pyproject('">=3.8"', tool))
    result = invoke("new", "worker", "-p", "task-group", *args)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        f'cancelgen: requires-python = ">=3.8" admits Python 3.8, but {NEEDS}: '
        f"generating 3.11 code anyway ({why}), formatted for py311"
    )
    module = (root / "src/demo/worker.py").read_text()
    # Exactly what a project on 3.11 gets: black still targets py311.
    assert module == generated(tmp_path, monkeypatch, pyproject('">=3.11"', tool))


def test_upgrade_checks_the_floor_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = in_project(tmp_path, monkeypatch, pyproject('">=3.11"'))
    assert invoke("new", "worker").exit_code == 0
    (root / "pyproject.toml").write_text(pyproject('">=3.9"'))
    before = snapshot(tmp_path)
    result = invoke("upgrade")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        'cancelgen: error: requires-python = ">=3.9" admits Python 3.9, but '
    )
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(tmp_path) == before

    result = invoke("upgrade", "--allow-python-floor")
    assert result.exit_code == 0, result.output
    assert "generating 3.11 code anyway (--allow-python-floor)" in result.stderr


def test_upgrade_with_nothing_recorded_does_not_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_project(tmp_path, monkeypatch, pyproject('">=3.8"'))
    result = invoke("upgrade")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("cancelgen: nothing to upgrade")
