"""The corpus of project configurations (``tests/projects/``) and how to run one.

Each folder of ``tests/projects/`` is a project as it would sit in a repository
(its pyproject.toml, ruff.toml, .isort.cfg, setup.cfg, pre-commit config, its
own tests and conftest.py), modelled on the settings of real asyncio, AnyIO and
Trio projects, plus ``case.toml``, which says what to generate into it and
which checks the project runs, as the exact commands it would run:

- ``about``: what the project is modelled on.
- ``[[worker]]``: ``args`` after ``cancelgen new``; ``full = true`` for the
  workers only ``pytest --full`` generates.
- ``[[check]]``: ``id``, ``run`` (the command; ``python`` is the test venv's
  interpreter, every other tool is ours), ``venv`` (pinned requirements of its
  test venv, default :data:`tests.generated.TEST_REQUIREMENTS`), ``xfail``
  (why it fails today, naming the branch or issue that fixes it),
  ``xfail_full`` (why it fails today with the ``--full`` workers only),
  ``full = true`` for a check only ``pytest --full`` runs.
- ``[floor]``: a ``requires-python`` below what generated code needs:
  ``cancelgen new`` must refuse (``exit``, nothing written) unless given
  ``accept`` (its arguments); ``xfail`` while that is not built.

The harness copies the project to a temporary folder, makes it a git
repository, runs the installed ``cancelgen`` in a subprocess (black-box), then
each check, unchanged, in the copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tests.generated import TEST_REQUIREMENTS, run, tool

CORPUS = Path(__file__).resolve().parent / "projects"
MANIFEST = "case.toml"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Check:
    """One command the project runs on every pull request."""

    id: str
    run: tuple[str, ...]
    venv: tuple[str, ...] = ()
    xfail: str = ""
    xfail_full: str = ""
    full: bool = False
    """Whether only ``pytest --full`` runs it (a venv of its own CI would build
    on every fresh machine)."""

    def known_failure(self, full: bool) -> str:
        """Why it fails today with the CI sample, or with ``full`` the --full
        workers ("" if it passes)."""
        return self.xfail or (self.xfail_full if full else "")

    @property
    def uses_python(self) -> bool:
        """Whether it runs under the test venv's interpreter (``python ...``)."""
        return self.run[0] == "python"


@dataclass(frozen=True)
class Worker:
    """One ``cancelgen new`` run: its arguments, and whether only --full runs it."""

    args: tuple[str, ...]
    full: bool = False


@dataclass(frozen=True)
class Floor:
    """A Python floor below what generated code needs, and how to get past it."""

    exit: int = 2
    accept: tuple[str, ...] = ()
    xfail: str = ""


@dataclass(frozen=True)
class Case:
    """A project of the corpus and what its manifest says."""

    name: str
    about: str
    workers: tuple[Worker, ...]
    checks: tuple[Check, ...] = ()
    floor: Floor | None = None
    folder: Path = field(default=CORPUS, compare=False)

    def sample(self, full: bool) -> tuple[Worker, ...]:
        """The workers a run generates: the CI sample, or with ``full`` all."""
        return tuple(worker for worker in self.workers if full or not worker.full)


def load_case(folder: Path) -> Case:
    """The case of one corpus folder, from its ``case.toml``."""
    data = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    floor = data.get("floor")
    return Case(
        name=folder.name,
        about=" ".join(data["about"].split()),
        workers=tuple(
            Worker(tuple(worker["args"]), worker.get("full", False))
            for worker in data["worker"]
        ),
        checks=tuple(
            Check(
                check["id"],
                tuple(check["run"]),
                tuple(check.get("venv", ())),
                check.get("xfail", ""),
                check.get("xfail_full", ""),
                check.get("full", False),
            )
            for check in data.get("check", [])
        ),
        floor=(
            Floor(floor.get("exit", 2), tuple(floor["accept"]), floor.get("xfail", ""))
            if floor
            else None
        ),
        folder=folder,
    )


def load_cases() -> list[Case]:
    """Every case of the corpus, by name."""
    return [
        load_case(folder)
        for folder in sorted(CORPUS.iterdir())
        if (folder / MANIFEST).is_file()
    ]


def copy_project(case: Case, root: Path) -> Path:
    """A copy of ``case``'s project (without its manifest) at ``root``, a fresh
    git repository, as a user's checkout would be."""
    shutil.copytree(case.folder, root, ignore=shutil.ignore_patterns(MANIFEST))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` but git's, by relative path, with its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def new_worker(root: Path, args: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    """``cancelgen new ARGS --no-input --yes`` in ``root``, through the installed CLI."""
    return run([tool("cancelgen"), "new", *args, "--no-input", "--yes"], root)


def environment(python: Path | None) -> dict[str, str]:
    """PATH for a check: the test venv's ``python`` first (if any), then our tools."""
    path = [str(BIN), os.environ.get("PATH", "")]
    if python is not None:
        path.insert(0, str(python.parent))
    return {"PATH": os.pathsep.join(path), "PYTHONDONTWRITEBYTECODE": "1"}


def run_check(
    check: Check, root: Path, python: Path | None
) -> subprocess.CompletedProcess[str]:
    """Run ``check`` in ``root``, unchanged; ``python`` is the test venv's."""
    argv = list(check.run)
    if check.uses_python:
        assert python is not None, f"{check.id} needs a test venv"
        argv[0] = str(python)
    return run(argv, root, timeout=600, env=environment(python))


def requirements(check: Check) -> tuple[str, ...]:
    """What the check's test venv holds: its pins, or our default test set."""
    return check.venv or TEST_REQUIREMENTS


def report(result: subprocess.CompletedProcess[str], limit: int = 6000) -> str:
    """A failed tool's output, for the assertion message (its tail, if long)."""
    text = f"$ {' '.join(map(str, result.args))}\nexit {result.returncode}\n"
    return text + (result.stdout + result.stderr)[-limit:]
