"""The corpus of hand-written coroutines under ``tests/coroutines/<backend>/``,
and a throwaway project that sweeps them with tests ``cancelgen new test``
writes.

Each ``correct_<case>.py`` holds a coroutine that cancels correctly; each
``buggy_<case>.py`` the same coroutine with one real bug, and its docstring's
``expect:`` lines say what the sweep's failure report must name, on every
backend it runs on (AnyIO's two included). The first public ``async def`` of a
file is the target.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "coroutines"
PYPROJECT = """\
[project]
name = "{package}"
version = "0"
requires-python = ">=3.11"

[tool.pytest.ini_options]
addopts = "-p no:cacheprovider"
"""


@dataclass(frozen=True)
class Case:
    """One file of the corpus."""

    path: Path
    backend: str
    kind: str  # "correct" or "buggy"
    name: str  # the bug's name: swallow, lock...
    target: str  # the coroutine's name
    expects: tuple[str, ...]  # what a buggy one's report must name


def cases(backend: str) -> list[Case]:
    """The corpus of ``backend``, in file order."""
    found = []
    for path in sorted((ROOT / backend).glob("*.py")):
        kind, _, name = path.stem.partition("_")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        target = next(
            node.name
            for node in tree.body
            if isinstance(node, ast.AsyncFunctionDef) and not node.name.startswith("_")
        )
        doc = ast.get_docstring(tree) or ""
        expects = tuple(
            line.removeprefix("expect:").strip()
            for line in doc.splitlines()
            if line.startswith("expect:")
        )
        found.append(Case(path, backend, kind, name, target, expects))
    return found


@dataclass(frozen=True)
class Verdict:
    """How a case's generated sweep test ended, and its failure report."""

    param: str  # the test's parameter ("" for none)
    outcome: str  # "passed", "failed" or "skipped"
    report: str


def sweep(root: Path, chosen: list[Case], package: str) -> dict[Case, list[Verdict]]:
    """Copy ``chosen`` into a fresh project at ``root`` (package ``package``),
    write a sweep test for each with the real CLI (``cancelgen new test``),
    run them all in one pytest; the verdicts of each case's test (one per
    parameter: AnyIO's run on two backends)."""
    from typer.testing import CliRunner

    from cancelgen.cli.app import app

    source = root / "src" / package
    source.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT.format(package=package))
    (source / "__init__.py").write_text("")
    tests: dict[str, Case] = {}
    here = Path.cwd()
    os.chdir(root)
    try:
        for case in chosen:
            (source / case.path.name).write_text(case.path.read_text())
            target = f"{package}.{case.path.stem}:{case.target}"
            made = CliRunner().invoke(
                app, ["new", "test", target, "--backend", case.backend]
            )
            assert made.exit_code == 0, made.output
            (written,) = [
                line.split()[1]
                for line in made.stdout.splitlines()
                if line.startswith("created") and "_sweep" in line
            ]
            tests[Path(written).stem] = case
    finally:
        os.chdir(here)
    report = root / "report.xml"
    subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "tests", "-p", "no:xdist"),
            *("-p", "no:randomly", "-W", "ignore::DeprecationWarning"),
            f"--junitxml={report}",
        ],
        cwd=root,
        capture_output=True,
        timeout=300,
        check=False,
    )
    verdicts: dict[Case, list[Verdict]] = {case: [] for case in chosen}
    for test in ElementTree.parse(report).iter("testcase"):
        module = str(test.get("classname")).rpartition(".")[2]
        failure = test.find("failure")
        if failure is None:
            failure = test.find("error")
        outcome = "failed" if failure is not None else "passed"
        if test.find("skipped") is not None:
            outcome = "skipped"
        text = "" if failure is None else (failure.text or failure.get("message", ""))
        param = str(test.get("name")).partition("[")[2].rstrip("]")
        verdicts[tests[module]].append(Verdict(param, outcome, text))
    return verdicts
