"""The lint rules generated code is held to: the docs page lists the exceptions (tests/lint_rules.py), and the generated conftest.py and ``cancelgen new test``'s modules meet them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cancelgen.cli.app import app
from cancelgen.project.detect import import_path_conftest
from tests import budget, lint_rules
from tests.cli_support import make_project
from tests.generated import run, tool
from tests.lint_rules import RUFF_IGNORED, TEST_IGNORED
from tests.readme_blocks import DOCS, check_block, rst_table


def test_lint_rules_page_lists_every_ignored_rule(update_golden: bool) -> None:
    rows = [
        (f"`{rule.code}`", rule.files, rule.why)
        for rule in (*RUFF_IGNORED, *TEST_IGNORED)
    ]
    table = rst_table(("rule", "where", "why"), rows)
    check_block("lint-ignores", table, update_golden, DOCS / "lint-rules.rst")


def test_no_rule_is_ignored_twice() -> None:
    codes = [rule.code for rule in (*RUFF_IGNORED, *TEST_IGNORED)]
    assert len(codes) == len(set(codes))


@pytest.mark.slow
@pytest.mark.parametrize(
    ("tests_dir", "import_root"), [("tests", "src"), ("tests/unit", "."), ("", "lib")]
)
def test_the_generated_conftest_is_lint_and_type_clean(
    tmp_path: Path, tests_dir: str, import_root: str
) -> None:
    """tests/conftest.py (cancelgen.project.IMPORT_PATH_CONFTEST) under the same
    rules as the worker side: ruff ALL, flake8 + pep8-naming, pyright strict."""
    [(relative, text)] = import_path_conftest(tests_dir, import_root).items()
    conftest = tmp_path / relative
    conftest.parent.mkdir(parents=True, exist_ok=True)
    conftest.write_text(text, encoding="utf-8")
    ruff = [tool("ruff"), "check", "--isolated", "--no-cache", "--select", "ALL"]
    ruff += ["--ignore", lint_rules.ruff_ignores(), "--target-version", "py311"]
    for argv in (
        [*ruff, relative],
        [tool("flake8"), "--isolated", *lint_rules.flake8_args(), relative],
    ):
        result = run(argv, tmp_path)
        assert result.returncode == 0, result.stdout + result.stderr
    config_dir = tmp_path / "pyright"
    config_dir.mkdir()
    checked, errors = lint_rules.pyright_strict([conftest], [], config_dir)
    assert (checked, errors) == (1, [])


@pytest.mark.slow
def test_pyright_strict_finds_what_strict_mode_reports(tmp_path: Path) -> None:
    """The helper checks the files it is given, in strict mode (an unannotated
    parameter is an error only there)."""
    module = tmp_path / "loose.py"
    module.write_text("def f(x):\n    return x\n")
    checked, errors = lint_rules.pyright_strict([module], [], tmp_path)
    assert checked == 1
    assert any("Type annotation is missing" in error for error in errors), errors


@pytest.mark.slow
def test_flake8_args_run_pep8_naming_and_mccabe(tmp_path: Path) -> None:
    """The plugins are there and on: a camelCase function (N802) and one of
    complexity 11 (C901) are reported."""
    branches = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(10))
    module = tmp_path / "module.py"
    module.write_text(f"def badName(x: int) -> int:\n{branches}    return -1\n")
    result = run(
        [tool("flake8"), "--isolated", *lint_rules.flake8_args(), "module.py"], tmp_path
    )
    assert "N802" in result.stdout and "C901" in result.stdout, result.stdout


COROUTINES = """\
import asyncio


async def sync_orders() -> int:
    await asyncio.sleep(0)
    return 1


async def needs_args(since: int, limit: int = 3) -> None:
    await asyncio.sleep(0)
"""


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["asyncio", "anyio", "trio"])
def test_new_test_modules_are_lint_and_type_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    """``cancelgen new test``'s modules, for a coroutine it can call and one
    whose arguments are left to fill in, with the engine they import, under the
    test side's rules: ruff ALL, flake8 + pep8-naming; pyright strict with
    ``--full`` (the combinations suite checks the engine in CI)."""
    root = make_project(tmp_path / "proj")
    package = f"lint_{backend}_{abs(hash(tmp_path)) % 10**8}"
    (root / "src/demo").rename(root / "src" / package)
    (root / "src" / package / "orders.py").write_text(COROUTINES)
    monkeypatch.chdir(root)
    for target in ("sync_orders", "needs_args"):
        made = CliRunner().invoke(
            app, ["new", "test", f"{package}.orders:{target}", "--backend", backend]
        )
        assert made.exit_code == 0, made.output
    files = sorted(p.relative_to(root).as_posix() for p in root.glob("tests/*.py"))
    assert len(files) >= 3, files  # both test modules and the engine
    ruff = [tool("ruff"), "check", "--isolated", "--no-cache", "--select", "ALL"]
    ruff += ["--ignore", lint_rules.ruff_ignores(tests=True)]
    ruff += ["--config", "src = ['src', 'tests']", "--target-version", "py311"]
    for argv in (
        [*ruff, *files],
        [tool("flake8"), "--isolated", *lint_rules.flake8_args(), *files],
    ):
        result = run(argv, root)
        assert result.returncode == 0, result.stdout + result.stderr
    if budget.full():
        config_dir = tmp_path / "pyright"
        config_dir.mkdir()
        paths = [root / name for name in files]
        extra = [root / "src", root / "tests"]
        checked, errors = lint_rules.pyright_strict(paths, extra, config_dir)
        assert (checked, errors) == (len(paths), [])


@pytest.mark.slow
def test_only_the_worker_imports_name_order_is_excused(tmp_path: Path) -> None:
    """I001 is dropped when ruff's fix only reorders the names imported from a
    worker module, kept when it moves anything else."""
    (tmp_path / "tests").mkdir()
    names = "from shop.orders import Connection, CleanupSteps, cleanup\n"
    (tmp_path / "tests/test_names.py").write_text(f"import os\n\n{names}")
    (tmp_path / "tests/test_order.py").write_text(f"import sys\nimport os\n\n{names}")
    ruff = [tool("ruff"), "check", "--isolated", "--no-cache", "--select", "I"]
    ruff += ["--config", "src = ['src', 'tests']", "--output-format", "json"]
    result = run([*ruff, "tests"], tmp_path)
    findings = json.loads(result.stdout)
    assert sorted(Path(f["filename"]).name for f in findings) == [
        "test_names.py",
        "test_order.py",
    ]
    kept = lint_rules.without_worker_name_order(findings, ["shop.orders"])
    assert [Path(f["filename"]).name for f in kept] == ["test_order.py"]
