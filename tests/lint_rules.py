"""The linters generated code is held to, and the few rules it is not.

Generated worker modules, support modules and ``tests/conftest.py`` are clean
under ``ruff check --select ALL`` except :data:`RUFF_IGNORED` (each with its
reason), under flake8 with pep8-naming and mccabe (:func:`flake8_args`), and under
pyright's strict mode (:func:`pyright_strict`) as well as ``mypy --strict``.
docs/lint-rules.rst shows the list (its generated block ``lint-ignores``).
The generated test modules (and the engines they import,
``tests/_cancelgen_<backend>.py``) get :data:`TEST_IGNORED` on top.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Ignored:
    """A rule generated code does not follow, and why."""

    code: str
    why: str
    files: str = "every generated file"


RUFF_IGNORED = (
    Ignored(
        "COM812",
        "Conflicts with the formatter: black and ruff format decide where a"
        " trailing comma goes (ruff's docs list it among the rules to avoid"
        " with the formatter).",
    ),
    Ignored(
        "D203",
        "Incompatible with D211, which generated docstrings follow (no blank"
        " line before a class docstring); ruff keeps D211 under ``ALL``.",
    ),
    Ignored(
        "D213",
        "Incompatible with D212, which generated docstrings follow (the"
        " summary on the first line); ruff keeps D212 under ``ALL``.",
    ),
    Ignored(
        "CPY001",
        "A copyright notice is the project's own: cancelgen cannot know it.",
    ),
    Ignored(
        "INP001",
        "Whether ``tests/`` is a package is the project's layout: cancelgen"
        " writes into the tests folder it finds and adds no ``__init__.py``.",
        "``tests/conftest.py`` and the test modules",
    ),
)
"""Rules of ``ruff check --select ALL`` that generated code does not follow."""

TEST_IGNORED = (
    Ignored(
        "S101",
        "``assert`` is how pytest tests: its assertion rewriting reports the values.",
        "the test modules",
    ),
    Ignored(
        "PLR2004",
        "A magic value in an assertion is the expected value itself.",
        "the test modules",
    ),
    Ignored(
        "D",
        "pydocstyle: projects exempt their tests from it (pydantic's"
        " ``'tests/*' = ['D']``); a test's name says what it checks. The"
        " generated tests and their engine have docstrings, written as the"
        " project's own tests are (a summary that may run on).",
        "the test modules and the tests folder's ``_cancelgen_<backend>.py``",
    ),
)
"""Rules projects conventionally turn off for tests, off for the test modules."""

FLAKE8_IGNORED = ("E203", "E701", "E704", "W503")
"""What black's docs tell flake8 to ignore: they contradict the formatter."""


def flake8_args(*ignored: str) -> list[str]:
    """flake8's options as a black project runs it, with pep8-naming and mccabe
    (no function above complexity 10), ``ignored`` on top of black's ignores."""
    return [
        "--select=E,W,F,C90,N",
        "--max-complexity=10",
        "--max-line-length=88",
        f"--extend-ignore={','.join((*FLAKE8_IGNORED, *ignored))}",
    ]


PYRIGHT_CONFIG = {"typeCheckingMode": "strict", "pythonVersion": "3.11"}
"""pyright's strict mode (``pyrightconfig.json``), on the oldest supported Python."""


def ruff_ignores(*, tests: bool = False) -> str:
    """``--ignore``'s value for the worker side, or with ``tests`` the test modules."""
    rules = [*RUFF_IGNORED, *(TEST_IGNORED if tests else ())]
    return ",".join(rule.code for rule in rules)


def pyright_strict(
    files: Sequence[Path], extra_paths: Iterable[Path], config_dir: Path
) -> tuple[int, list[str]]:
    """Run pyright in strict mode over ``files`` (absolute paths, given on its
    command line: pyright ignores absolute paths in ``include``), with a
    ``pyrightconfig.json`` written to ``config_dir``; return how many files it
    checked and its errors, one line each."""
    config = config_dir / "pyrightconfig.json"
    config.write_text(
        json.dumps({**PYRIGHT_CONFIG, "extraPaths": [str(p) for p in extra_paths]})
    )
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "pyright"),
            "--project",
            str(config),
            "--pythonpath",
            sys.executable,
            "--outputjson",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    report = json.loads(result.stdout)
    errors = [
        f"{found['file']}:{found['range']['start']['line'] + 1}: {found['message']}"
        for found in report["generalDiagnostics"]
        if found["severity"] == "error"
    ]
    return report["summary"]["filesAnalyzed"], errors


def without_named_long_lines(
    findings: Iterable[Mapping[str, Any]], names: Iterable[str]
) -> list[Mapping[str, Any]]:
    """``findings`` (ruff's JSON) without E501 on a line naming one of ``names``.

    A worker's name and its Steps class's are the user's choice (and the
    matrix's generated names run to 90 characters): a line naming them may be
    longer than 88, as the module's header line must (``cancelgen adopt``
    reads it, so it cannot wrap) for a name over 42 characters. Every other
    line is held to 88.
    """
    named = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
    kept = []
    for finding in findings:
        if finding["code"] == "E501":
            row = finding["location"]["row"]
            with open(finding["filename"], encoding="utf-8") as file:
                line = file.read().splitlines()[row - 1]
            if named.search(line):
                continue
        kept.append(finding)
    return kept


def without_worker_name_order(
    findings: Iterable[Mapping[str, Any]], modules: Iterable[str]
) -> list[Mapping[str, Any]]:
    """``findings`` (ruff's JSON) without I001 where ruff's fix only reorders
    the names a test module imports from its worker module (one of
    ``modules``).

    That order follows the worker's name (``Connection`` before or after
    ``SyncOrdersSteps``), and the name-free cache formats a worker's files
    under a placeholder name, so cancelgen writes them in one order whatever
    the name; a project that sorts its imports gets them sorted by its own
    tools (issue 18 item 2). Every other import order is held to.
    """
    wanted = set(modules)

    def statements(source: str, *, sort: bool) -> list[str]:
        found = []
        for node in ast.parse(source).body:
            if sort and isinstance(node, ast.ImportFrom) and node.module in wanted:
                node.names.sort(key=lambda alias: alias.name)
            found.append(ast.unparse(node))
        return found

    def name_order_only(finding: Mapping[str, Any]) -> bool:
        edits = (finding.get("fix") or {}).get("edits", [])
        if finding["code"] != "I001" or len(edits) != 1:
            return False
        edit = edits[0]
        with open(finding["filename"], encoding="utf-8") as file:
            lines = file.read().splitlines(keepends=True)
        first, last = edit["location"], edit["end_location"]
        block = "".join(lines[first["row"] - 1 : last["row"] - 1])
        block += (
            lines[last["row"] - 1][: last["column"] - 1] if last["column"] > 1 else ""
        )
        before, after = block[first["column"] - 1 :], edit["content"]
        return statements(before, sort=False) != statements(after, sort=False) and (
            statements(before, sort=True) == statements(after, sort=True)
        )

    return [finding for finding in findings if not name_order_only(finding)]
