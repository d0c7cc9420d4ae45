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
from cancelgen.project.declared import DeclaredFloor, poetry_as_pep440
from cancelgen.project.detect import find_project
from cancelgen.project.floor import (
    UnreadableFloor,
    declared_python_floor,
    parse_floor,
    python_floor,
)
from tests.cli_support import make_project, snapshot

runner = CliRunner()

NEEDS = "the generated code needs 3.11 (except*, ExceptionGroup; asyncio.timeout, TaskGroup in asyncio code)"


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
    assert python_floor(DeclaredFloor(requirement)) is None


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
        f"generating 3.11 code anyway ({why}), formatted for py311; checks that "
        "target 3.8 (ruff's target-version, mypy's python_version) will report "
        "its 3.11 syntax and names"
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


# ------------------------------------------- where the requirement is declared

SETUPTOOLS = '[build-system]\nrequires = ["setuptools"]\n'
SETUP_PY = 'from setuptools import setup\n\nsetup(name="demo", python_requires={})\n'
SETUP_CFG = (
    "[metadata]\nname = demo\n\n[options]\npython_requires = {}\npackages = find:\n"
)
POETRY = '[tool.poetry]\nname = "demo"\n\n[tool.poetry.dependencies]\npython = "{}"\n'


def project_files(root: Path, files: dict[str, str]) -> Path:
    make_project(root, files.pop("pyproject.toml", None))
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("files", "quoted", "admitted"),
    [
        pytest.param(
            {"pyproject.toml": SETUPTOOLS, "setup.cfg": SETUP_CFG.format(">=3.10")},
            'python_requires = ">=3.10" in [options] of setup.cfg',
            "3.10",
            id="setup.cfg",
        ),
        pytest.param(
            {"setup.py": SETUP_PY.format('">=3.8"')},
            'python_requires = ">=3.8" in setup.py',
            "3.8",
            id="setup.py, no pyproject.toml",
        ),
        pytest.param(
            {
                "pyproject.toml": SETUPTOOLS,
                "setup.cfg": SETUP_CFG.format(">=3.12"),
                "setup.py": SETUP_PY.format('">=3.9"'),
            },
            'python_requires = ">=3.9" in setup.py',
            "3.9",
            id="setup.py overrides setup.cfg",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject(tool='dynamic = ["requires-python"]\n'),
                "setup.cfg": SETUP_CFG.format(">=3.10"),
            },
            'python_requires = ">=3.10" in [options] of setup.cfg',
            "3.10",
            id="requires-python dynamic",
        ),
        pytest.param(
            {"pyproject.toml": POETRY.format("^3.9")},
            'python = "^3.9" in [tool.poetry.dependencies]',
            "3.9",
            id="poetry caret",
        ),
        pytest.param(
            {"pyproject.toml": POETRY.format(">=3.11 || ~3.8")},
            'python = ">=3.11 || ~3.8" in [tool.poetry.dependencies]',
            "3.8",
            id="poetry or",
        ),
    ],
)
def test_a_floor_declared_elsewhere_is_refused_too(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str],
    quoted: str,
    admitted: str,
) -> None:
    """Where pip reads the requirement from: setuptools' setup.cfg and
    setup.py (the literal string), Poetry 1's python dependency."""
    root = project_files(tmp_path / "project", files)
    monkeypatch.chdir(root)
    before = snapshot(tmp_path)
    result = invoke("new", "worker")
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"cancelgen: error: {quoted} admits Python {admitted}, but {NEEDS}: "
        'raise it to ">=3.11", or pass --allow-python-floor (or set '
        "allow-python-floor = true in [tool.cancelgen]) to generate 3.11 code "
        "anyway\n"
    )
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(
            {"pyproject.toml": pyproject(), "setup.cfg": SETUP_CFG.format(">=3.8")},
            id="[project] without requires-python: setup.cfg is ignored",
        ),
        pytest.param(
            {
                "pyproject.toml": pyproject('">=3.11"'),
                "setup.py": SETUP_PY.format('">=3.8"'),
            },
            id="[project] requires-python wins",
        ),
        pytest.param(
            {"pyproject.toml": SETUPTOOLS, "setup.cfg": SETUP_CFG.format(">=3.11")},
            id="setup.cfg 3.11",
        ),
        pytest.param({"pyproject.toml": POETRY.format("^3.11")}, id="poetry 3.11"),
        pytest.param(
            {"pyproject.toml": SETUPTOOLS, "setup.cfg": "[metadata]\nname = demo\n"},
            id="setup.cfg without python_requires",
        ),
    ],
)
def test_a_floor_pip_would_not_read_or_3_11_is_silent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]
) -> None:
    root = project_files(tmp_path / "project", files)
    monkeypatch.chdir(root)
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert "admits" not in result.stderr and "cannot read" not in result.stderr
    assert (root / "src/demo/worker.py").is_file()


@pytest.mark.parametrize(
    ("setup_py", "why"),
    [
        (SETUP_PY.format("VERSIONS"), "not a literal string"),
        (
            SETUP_PY.format('">=3.8"') + 'setup(python_requires=">=3.9")\n',
            "set to different values ('>=3.8', '>=3.9')",
        ),
    ],
    ids=["a name", "two values"],
)
def test_a_setup_py_floor_that_is_not_literal_is_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup_py: str, why: str
) -> None:
    """cancelgen never runs setup.py: a computed requirement is not checked."""
    root = project_files(
        tmp_path / "project", {"pyproject.toml": SETUPTOOLS, "setup.py": setup_py}
    )
    monkeypatch.chdir(root)
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert (
        f"cancelgen: cannot read python_requires in setup.py: {why}; "
        "not checked against 3.11\n"
    ) in result.stderr
    assert (root / "src/demo/worker.py").is_file()


def test_a_setup_py_that_does_not_parse_is_noted_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Python 2 setup.py, say: its floor is not checked, said in one line,
    and the worker is written (pip would refuse such a project itself)."""
    root = project_files(
        tmp_path / "project",
        {"pyproject.toml": SETUPTOOLS, "setup.py": "print 'setting up'\n"},
    )
    monkeypatch.chdir(root)
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "cancelgen: cannot read python_requires in setup.py: setup.py does not "
        "parse ("
    )
    assert result.stderr.splitlines()[0].endswith("; not checked against 3.11")
    assert (root / "src/demo/worker.py").is_file()


@pytest.mark.parametrize(
    ("constraint", "specifiers", "floor"),
    [
        ("^3.8", [">=3.8,<4"], (3, 8)),
        ("^0.2.3", [">=0.2.3,<0.3"], None),  # no Python at all
        ("~3.9", [">=3.9,<3.10"], (3, 9)),
        ("~3", [">=3,<4"], (3, 0)),
        ("~=3.10", ["~=3.10"], (3, 10)),
        (">= 3.8, < 4.0", [">=3.8,<4.0"], (3, 8)),
        (">=3.8 <4.0", [">=3.8,<4.0"], (3, 8)),
        ("3.10.*", ["==3.10.*"], (3, 10)),
        ("=3.12", ["==3.12"], (3, 12)),
        ("*", [""], (2, 7)),
        (">=3.11 || >=3.9,<3.10", [">=3.11", ">=3.9,<3.10"], (3, 9)),
        ("^3.12 | ^3.8", [">=3.12,<4", ">=3.8,<4"], (3, 8)),
    ],
)
def test_poetry_constraints_are_read_as_pep_440(
    constraint: str, specifiers: list[str], floor: tuple[int, int] | None
) -> None:
    assert poetry_as_pep440(constraint) == specifiers
    declared = DeclaredFloor(constraint, "python", "x", poetry=True)
    assert declared_python_floor(declared) == floor


@pytest.mark.parametrize("constraint", ["bogus", "^", ">=3.8 ||| x"])
def test_an_unreadable_poetry_constraint_is_an_unreadable_floor(
    constraint: str,
) -> None:
    with pytest.raises(UnreadableFloor):
        declared_python_floor(DeclaredFloor(constraint, "python", "x", poetry=True))


def test_new_test_checks_the_floor_before_it_imports_anything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep engine it writes needs 3.11 too; and a refusal runs none of
    the project's code."""
    root = in_project(tmp_path, monkeypatch, pyproject('">=3.10"'))
    (root / "src/demo/jobs.py").write_text(
        "from pathlib import Path\n\nPath('imported').touch()\n\n\n"
        "async def job() -> None:\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(root / "src"))
    before = snapshot(tmp_path)
    result = invoke("new", "test", "demo.jobs:job")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        'cancelgen: error: requires-python = ">=3.10" admits Python 3.10, but '
    )
    assert snapshot(tmp_path) == before

    result = invoke("new", "test", "demo.jobs:job", "--allow-python-floor")
    assert result.exit_code == 0, result.output
    assert "generating 3.11 code anyway (--allow-python-floor)" in result.stderr
    assert (root / "imported").is_file()
    assert (root / "tests/test_job_sweep.py").is_file()
