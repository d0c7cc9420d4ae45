"""flake8-requirements: detected, and only then ``# noqa: I900`` on the engine import.

flake8-requirements reports (I900) every absolute import of a module that is
neither a requirement nor the project's own: a test module's ``from
_cancelgen_<backend> import ...`` where the tests folder is no package.
cancelgen reads whether the project runs it (:mod:`cancelgen.project.tools`),
and there the import carries the noqa on the line flake8 reports, its first.
The corpus case ``aiohttp-style-setup-cfg`` runs flake8 itself on the result.
"""

from __future__ import annotations

import ast
import json
import subprocess
from dataclasses import replace
from pathlib import Path

import black
import pytest
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.core.catalog import BACKENDS
from cancelgen.core.coroutine_test import CoroutineTest, render_coroutine_test
from cancelgen.core.render import render_tests
from cancelgen.core.spec import WorkerSpec
from cancelgen.errors import UsageError
from cancelgen.project.detect import find_project
from tests.cli_support import make_project
from tests.generated import tool

NOQA = "# noqa: I900"
PYPROJECT = (
    '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
    "dependencies = []\n"
)
PRE_COMMIT = """\
repos:
- repo: https://github.com/PyCQA/flake8
  rev: '7.3.0'
  hooks:
  - id: flake8
    additional_dependencies:
      - flake8-docstrings==1.6.0
      - {plugin}
"""


def project_with(tmp_path: Path, files: dict[str, str], pyproject: str = "") -> Path:
    """A flat-layout project (``demo/``) with ``files`` beside its pyproject."""
    root = make_project(tmp_path / "project", PYPROJECT + pyproject, layout="flat")
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def engine_imports(source: str) -> list[str]:
    """The first line of each import from a ``_cancelgen_<backend>`` engine."""
    lines = source.splitlines()
    return [
        lines[node.lineno - 1]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("_cancelgen_")
    ]


# Detection: each place that says the project runs it.


@pytest.mark.parametrize(
    ("files", "pyproject", "reason"),
    [
        pytest.param(
            {
                ".pre-commit-config.yaml": PRE_COMMIT.format(
                    plugin="flake8-requirements"
                )
            },
            "",
            "flake8 hook's dependencies in .pre-commit-config.yaml",
            id="pre-commit",
        ),
        pytest.param(
            {
                ".pre-commit-config.yaml": PRE_COMMIT.format(
                    plugin="Flake8_Requirements>=1"
                )
            },
            "",
            "flake8 hook's dependencies in .pre-commit-config.yaml",
            id="pre-commit-spelled-otherwise",
        ),
        pytest.param(
            {"setup.cfg": "[flake8]\nknown-modules = demo:[demo]\n"},
            "",
            "known-modules under [flake8] in setup.cfg",
            id="setup.cfg-known-modules",
        ),
        pytest.param(
            {"tox.ini": "[flake8]\nrequirements-max-depth = 2\n"},
            "",
            "requirements-max-depth under [flake8] in tox.ini",
            id="tox.ini-option",
        ),
        pytest.param(
            {".flake8": "[flake8]\nrequirements_file = requirements/dev.txt\n"},
            "",
            "requirements-file under [flake8] in .flake8",
            id=".flake8-option",
        ),
        pytest.param(
            {},
            '[project.optional-dependencies]\nlint = ["flake8-requirements==1.7.8"]\n',
            "a dependency in pyproject.toml",
            id="pyproject-extra",
        ),
        pytest.param(
            {},
            '[dependency-groups]\nlint = ["flake8", "flake8-requirements"]\n',
            "a dependency in pyproject.toml",
            id="pyproject-group",
        ),
        pytest.param(
            {
                "requirements-dev.txt": "-r requirements.txt\nflake8==7.3.0\n"
                "flake8-requirements==1.7.8  # I900\n"
            },
            "",
            "requirements-dev.txt",
            id="requirements-dev.txt",
        ),
        pytest.param(
            {"requirements/lint.in": "flake8\nflake8-requirements\n"},
            "",
            "requirements/lint.in",
            id="requirements/lint.in",
        ),
        pytest.param(
            {
                "tox.ini": "[testenv:lint]\ndeps =\n    flake8\n    flake8-requirements\n"
            },
            "",
            "[testenv:lint] deps in tox.ini",
            id="tox-deps",
        ),
    ],
)
def test_it_is_detected_where_the_project_says_so(
    tmp_path: Path, files: dict[str, str], pyproject: str, reason: str
) -> None:
    tools = find_project(project_with(tmp_path, files, pyproject)).tools
    assert (tools.requirements.name, tools.requirements.reason) == (
        "flake8-requirements",
        reason,
    )
    assert tools.reports_import("_cancelgen_asyncio")
    assert f"flake8-requirements ({reason})" in tools.describe()


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({}, id="nothing"),
        pytest.param(
            {".pre-commit-config.yaml": PRE_COMMIT.format(plugin="pep8-naming")},
            id="flake8-hook-without-it",
        ),
        pytest.param(
            {"setup.cfg": "[flake8]\nmax-line-length = 88\nextend-ignore = E203\n"},
            id="flake8-options-of-its-own",
        ),
        pytest.param(
            {"requirements.txt": "# flake8-requirements, some day\nflake8\n"},
            id="a-comment-only",
        ),
        pytest.param(
            {"requirements.txt": "flake8-requirements-txt\n"},
            id="another-distribution",
        ),
        pytest.param(
            # flake8 reads the first [flake8] of setup.cfg, tox.ini, .flake8 only.
            {
                "setup.cfg": "[flake8]\nmax-line-length = 88\n",
                "tox.ini": "[flake8]\nknown-modules = demo:[demo]\n",
            },
            id="a-flake8-section-flake8-does-not-read",
        ),
    ],
)
def test_it_is_not_detected_otherwise(tmp_path: Path, files: dict[str, str]) -> None:
    tools = find_project(project_with(tmp_path, files)).tools
    assert tools.requirements.name == ""
    assert not tools.reports_import("_cancelgen_asyncio")
    assert "flake8-requirements" not in tools.describe()


def test_known_modules_may_name_the_engine(tmp_path: Path) -> None:
    setup = (
        "[flake8]\nknown-modules =\n    demo:[demo,_cancelgen_asyncio],\n    x:[y]\n"
    )
    tools = find_project(project_with(tmp_path, {"setup.cfg": setup})).tools
    assert tools.requirements.name == "flake8-requirements"
    assert tools.known_modules == {"demo", "_cancelgen_asyncio", "y"}
    assert not tools.reports_import("_cancelgen_asyncio")
    assert tools.reports_import("_cancelgen_trio")


# Placement: where the import is absolute and the engine not known to it.


FLAGGED = {".pre-commit-config.yaml": PRE_COMMIT.format(plugin="flake8-requirements")}


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_the_project_places_the_noqa_where_the_import_is_absolute(
    tmp_path: Path, backend: str
) -> None:
    project = find_project(project_with(tmp_path, FLAGGED))
    spec = WorkerSpec(backend=backend)
    assert project.placed(spec).engine_noqa
    assert not project.placed(replace(spec, shared_tests=False)).engine_noqa
    (project.root / "tests").mkdir()
    (project.root / "tests/__init__.py").write_text("")
    placed = project.placed(spec)
    assert placed.tests_package and not placed.engine_noqa


def test_no_noqa_where_known_modules_names_the_engine(tmp_path: Path) -> None:
    setup = "[flake8]\nknown-modules = demo:[demo,_cancelgen_asyncio]\n"
    project = find_project(project_with(tmp_path, {**FLAGGED, "setup.cfg": setup}))
    assert not project.placed(WorkerSpec()).engine_noqa
    assert project.placed(WorkerSpec(backend="trio")).engine_noqa


def test_no_noqa_without_it_even_if_a_spec_came_with_one(tmp_path: Path) -> None:
    project = find_project(project_with(tmp_path, {}))
    assert not project.placed(WorkerSpec(engine_noqa=True)).engine_noqa


# Rendering: the comment on the import's first line, nowhere without it.


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_the_engine_import_carries_the_noqa_on_its_first_line(backend: str) -> None:
    plain = render_tests(WorkerSpec(backend=backend, resources=("lock",)))
    spec = WorkerSpec(backend=backend, resources=("lock",), engine_noqa=True)
    flagged = render_tests(spec)
    assert NOQA not in plain
    assert engine_imports(flagged) == [f"from _cancelgen_{backend} import (  {NOQA}"]
    assert flagged.count(NOQA) == 1
    # The same names imported, nothing else changed.
    assert ast.dump(ast.parse(flagged)) == ast.dump(ast.parse(plain))


def test_a_relative_import_or_a_single_file_module_gets_none() -> None:
    relative = WorkerSpec(engine_noqa=True, tests_package=True)
    (first,) = engine_imports(render_tests(relative))
    assert first.startswith("from ._cancelgen_asyncio import ") and NOQA not in first
    assert NOQA not in render_tests(WorkerSpec(engine_noqa=True, shared_tests=False))


def test_a_coroutine_tests_engine_import_carries_it_too() -> None:
    test = CoroutineTest("shop.orders:sync_orders")
    (plain,) = render_coroutine_test(test).values()
    (flagged,) = render_coroutine_test(replace(test, engine_noqa=True)).values()
    assert NOQA not in plain
    assert engine_imports(flagged) == [f"from _cancelgen_asyncio import (  {NOQA}"]
    assert ast.dump(ast.parse(flagged)) == ast.dump(ast.parse(plain))


def test_records_keep_no_engine_noqa() -> None:
    assert "engine_noqa" not in WorkerSpec(engine_noqa=True).answers()
    with pytest.raises(UsageError, match="--engine-noqa must be true or false"):
        WorkerSpec.create(engine_noqa="yes")


# The whole run: what the project's formatter and sorter leave, and status.

runner = CliRunner()

TOOLING = {
    "black": (
        {
            ".pre-commit-config.yaml": PRE_COMMIT.format(plugin="flake8-requirements")
            + "- repo: https://github.com/psf/black-pre-commit-mirror\n"
            "  rev: '26.1.0'\n  hooks:\n  - id: black\n"
        },
        "",
        [["black", "--check"]],
    ),
    "isort": (
        {
            "setup.cfg": "[isort]\nprofile = black\n[flake8]\nrequirements-max-depth = 2\n"
        },
        "",
        [["black", "--check"], ["isort", "--check-only"]],
    ),
    "ruff": (
        {},
        '[dependency-groups]\nlint = ["flake8-requirements"]\n[tool.ruff.lint]\n'
        'extend-select = ["I"]\n',
        [["ruff", "format", "--check"], ["ruff", "check"]],
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("tooling", list(TOOLING))
def test_new_writes_it_where_the_projects_tools_keep_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    private_cache: Path,
    tooling: str,
) -> None:
    files, pyproject, checks = TOOLING[tooling]
    root = project_with(tmp_path, files, pyproject)
    monkeypatch.chdir(root)
    for args in (["worker", "--no-input"], ["pump", "-r", "queue", "--no-input"]):
        result = runner.invoke(app, ["new", *args, "--yes"])
        assert result.exit_code == 0, result.output
    for name in ("worker", "pump"):
        source = (root / f"tests/test_{name}.py").read_text(encoding="utf-8")
        (first,) = engine_imports(source)
        assert first.endswith(NOQA), first
    for check in checks:
        done = subprocess.run(
            [tool(check[0]), *check[1:], "tests"],
            cwd=root,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads(
        (root / ".cancelgen/records/demo/worker.py.json").read_text(encoding="utf-8")
    )
    assert "engine_noqa" not in record["answers"]
    status = runner.invoke(app, ["status", "--json"])
    assert status.exit_code == 0, status.output
    files_status = json.loads(status.stdout)["files"]
    assert all(
        f["state"] == "unedited" and not f["outdated"] for f in files_status
    ), files_status


@pytest.mark.slow
def test_a_project_without_it_gets_no_noqa(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> None:
    root = project_with(tmp_path, {"setup.cfg": "[flake8]\nmax-line-length = 88\n"})
    monkeypatch.chdir(root)
    result = runner.invoke(app, ["new", "worker", "--no-input", "--yes"])
    assert result.exit_code == 0, result.output
    source = (root / "tests/test_worker.py").read_text(encoding="utf-8")
    assert engine_imports(source) and "noqa" not in source
    assert black.format_str(source, mode=black.Mode()) == source
