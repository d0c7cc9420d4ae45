"""The ``cancelgen`` CLI, end to end: ``new worker``, ``patterns``, ``explain``.

Most runs are in-process through Typer's ``CliRunner`` (stdin is then not a
terminal, as in CI); the few facts only a real process shows (exit status,
imports, never hanging, the generated tests passing) use subprocesses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cancelgen import __version__
from cancelgen.cli import app
from cancelgen.core.catalog import (
    BACKENDS,
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    RULES,
)
from cancelgen.core.format import BlackSettings, format_source
from cancelgen.core.render import render_module
from cancelgen.core.rewrap import rewrap
from cancelgen.core.spec import WorkerSpec
from tests.cli_support import (
    MINIMAL_PYPROJECT,
    make_project,
    run_cancelgen,
    snapshot,
    without_file_privileges,
)
from tests.generated import tool
from tests.readme_blocks import DOCS, check_block, rst_table
from tests.shipped_support import skip_unless_the_table_answers

runner = CliRunner()
CASES_FILE = Path(__file__).parent.parent / "cases" / "bad_input.toml"
BAD_INPUT: list[dict[str, Any]] = tomllib.loads(CASES_FILE.read_text())["case"]


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cancelgen cache for the session, outside every project tree."""
    return tmp_path_factory.mktemp("cancelgen-cache")


@pytest.fixture(autouse=True)
def _private_cache(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    monkeypatch.setenv("CANCELGEN_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("CANCELGEN_NO_CACHE", raising=False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A minimal src-layout project, as the current directory."""
    root = make_project(tmp_path / "project")
    monkeypatch.chdir(root)
    return root


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


# ---------------------------------------------------------------- new worker


def test_new_worker_writes_module_tests_and_conftest(project: Path) -> None:
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert "created    src/demo/worker.py" in result.stdout
    assert "created    tests/test_worker.py" in result.stdout
    assert "created    tests/conftest.py" in result.stdout
    module = (project / "src/demo/worker.py").read_text()
    assert "async def worker(" in module
    assert "from demo.worker import" in (project / "tests/test_worker.py").read_text()
    conftest = (project / "tests/conftest.py").read_text()
    assert 'parent.parent / "src"' in conftest
    recorded = tomllib.loads((project / ".cancelgen/answers.toml").read_text())
    assert recorded["patterns"] == list(DEFAULT_PATTERNS)


def test_new_worker_output_matches_the_library_pipeline(project: Path) -> None:
    result = invoke("new", "worker", "sync_orders", "-p", "shield", "-r", "queue")
    assert result.exit_code == 0, result.output
    spec = WorkerSpec.create(
        name="sync_orders",
        patterns=["shield"],
        resources=["queue"],
        package_dir="src/demo",
        package_import="demo",
    )
    expected = format_source(render_module(spec))
    assert (project / "src/demo/sync_orders.py").read_text() == expected


def test_second_identical_run_reports_unchanged(project: Path) -> None:
    assert invoke("new", "worker").exit_code == 0
    before = snapshot(project)
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert "unchanged  src/demo/worker.py" in result.stdout
    assert snapshot(project) == before


def test_force_overwrites_a_changed_file(project: Path) -> None:
    assert invoke("new", "worker").exit_code == 0
    target = project / "src/demo/worker.py"
    target.write_text("# edited\n")
    result = invoke("new", "worker", "--force")
    assert result.exit_code == 0, result.output
    assert "overwrote  src/demo/worker.py" in result.stdout
    assert "async def worker(" in target.read_text()


def test_skip_existing_writes_only_new_files(project: Path) -> None:
    target = project / "src/demo/worker.py"
    target.write_text("# mine\n")
    result = invoke("new", "worker", "--skip-existing")
    assert result.exit_code == 0, result.output
    assert "skipped    src/demo/worker.py" in result.stdout
    assert target.read_text() == "# mine\n"
    assert (project / "tests/test_worker.py").is_file()


def test_dry_run_prints_a_diff_and_writes_nothing(project: Path) -> None:
    (project / "src/demo/worker.py").write_text("# old\n")
    before = snapshot(project)
    result = invoke("new", "worker", "--dry-run", "--force")
    assert result.exit_code == 0, result.output
    assert snapshot(project) == before
    assert "--- a/src/demo/worker.py\n+++ b/src/demo/worker.py\n" in result.stdout
    assert "-# old\n" in result.stdout
    assert "--- /dev/null\n+++ b/tests/test_worker.py\n" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour
    assert "nothing written" in result.stderr


def test_stdout_prints_the_module_and_with_tests_the_tests(project: Path) -> None:
    before = snapshot(project)
    only = invoke("new", "worker", "--stdout")
    both = invoke("new", "worker", "--stdout", "--with-tests")
    assert only.exit_code == both.exit_code == 0, both.output
    assert snapshot(project) == before
    assert "async def worker(" in only.stdout
    assert "def test_" not in only.stdout
    assert both.stdout.startswith(only.stdout)
    assert "tests/test_worker.py" in both.stdout and "def test_" in both.stdout
    assert "def test_cancel_sweep() -> None:" in both.stdout


def test_package_and_tests_dir_flags(project: Path) -> None:
    result = invoke(
        "new", "worker", "--package-dir", "src/demo/jobs", "--tests-dir", "tests/unit"
    )
    assert result.exit_code == 0, result.output
    assert (project / "src/demo/jobs/worker.py").is_file()
    test = (project / "tests/unit/test_worker.py").read_text()
    assert "from demo.jobs.worker import" in test
    assert (project / "tests/unit/conftest.py").is_file()


@pytest.mark.parametrize(
    ("layout", "flags", "module", "conftest"),
    [
        ("src", [], "src/demo/worker.py", "tests/conftest.py"),
        ("flat", [], "demo/worker.py", "tests/conftest.py"),
        ("none", [], "worker.py", "tests/conftest.py"),
        (
            "src",
            ["--package-dir", "lib/jobs"],
            "lib/jobs/worker.py",
            "tests/conftest.py",
        ),
        (
            "flat",
            ["--tests-dir", "checks/unit"],
            "demo/worker.py",
            "checks/unit/conftest.py",
        ),
    ],
)
def test_every_layout_gets_the_import_path_its_tests_need(
    tmp_path: Path,
    monkeypatch: Any,
    layout: str,
    flags: list[str],
    module: str,
    conftest: str,
) -> None:
    root = make_project(tmp_path / layout, layout=layout)
    monkeypatch.chdir(root)
    result = invoke("new", "worker", *flags)
    assert result.exit_code == 0, result.output
    assert (root / module).is_file()
    assert f"created    {conftest}" in result.stdout
    assert f"added {conftest}" in result.stderr


def test_a_tests_package_in_a_flat_layout_needs_no_conftest(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # pytest's default import mode puts the root on sys.path for a tests package.
    root = make_project(tmp_path / "flat", layout="flat")
    (root / "tests").mkdir()
    (root / "tests/__init__.py").write_text("")
    monkeypatch.chdir(root)
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert not (root / "tests/conftest.py").exists()
    assert "conftest" not in result.stderr


def test_pytest_pythonpath_config_means_no_conftest(
    tmp_path: Path, monkeypatch: Any
) -> None:
    pyproject = MINIMAL_PYPROJECT + '[tool.pytest.ini_options]\npythonpath = ["src"]\n'
    root = make_project(tmp_path / "p", pyproject)
    monkeypatch.chdir(root)
    assert invoke("new", "worker").exit_code == 0
    assert not (root / "tests/conftest.py").exists()


def test_existing_conftest_is_left_alone_with_a_hint(project: Path) -> None:
    (project / "tests").mkdir()
    (project / "tests/conftest.py").write_text("# mine\n")
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert (project / "tests/conftest.py").read_text() == "# mine\n"
    assert "tests/conftest.py exists, so it was left alone" in result.stderr
    assert 'pythonpath = ["src"]' in result.stderr


def test_the_hint_names_where_the_project_keeps_pytest_settings(
    project: Path,
) -> None:
    # aiohttp's: pytest's settings in setup.cfg, where a [tool.pytest.ini_options]
    # table in pyproject.toml would make pytest ignore them.
    (project / "setup.cfg").write_text("[tool:pytest]\naddopts = -ra\n")
    (project / "tests").mkdir()
    (project / "tests/conftest.py").write_text("# mine\n")
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert "add pythonpath = src under [tool:pytest] in setup.cfg" in result.stderr


def test_tool_cancelgen_sets_defaults_and_flags_override(
    tmp_path: Path, monkeypatch: Any
) -> None:
    pyproject = MINIMAL_PYPROJECT + (
        "[tool.cancelgen]\n"
        'patterns = ["checkpoint"]\nresources = ["lock"]\n'
        'tests-dir = "checks"\ncheckpoint-every = 77\n'
    )
    root = make_project(tmp_path / "p", pyproject)
    monkeypatch.chdir(root)
    assert invoke("new", "worker", "a_worker").exit_code == 0
    module = (root / "src/demo/a_worker.py").read_text()
    assert "77" in module and "asyncio.Lock" in module
    assert (root / "checks/test_a_worker.py").is_file()
    assert invoke("new", "worker", "b_worker", "-p", "shield").exit_code == 0
    flagged = (root / "src/demo/b_worker.py").read_text()
    assert "asyncio.shield" in flagged and "77" not in flagged


def test_tool_black_line_length_is_honoured(tmp_path: Path, monkeypatch: Any) -> None:
    pyproject = MINIMAL_PYPROJECT + "[tool.black]\nline-length = 60\n"
    root = make_project(tmp_path / "p", pyproject)
    monkeypatch.chdir(root)
    assert invoke("new", "worker", "-p", "timeout", "-r", "connection").exit_code == 0
    spec = WorkerSpec.create(
        patterns=["timeout"],
        resources=["connection"],
        package_dir="src/demo",
        package_import="demo",
    )
    formatted = format_source(render_module(spec), BlackSettings(line_length=60))
    # Comments and docstrings rewrapped to the same 60 columns (black leaves them).
    expected = rewrap(formatted, 60)
    assert (root / "src/demo/worker.py").read_text() == expected
    assert expected != formatted != format_source(render_module(spec))


@pytest.mark.parametrize(
    ("extra", "marker"),
    [
        (
            '[project.optional-dependencies]\ntest = ["pytest-asyncio>=0.23"]\n',
            "@pytest_asyncio_test",
        ),
        (
            '[dependency-groups]\ndev = ["anyio[trio]", "pytest"]\n',
            "@anyio_test",
        ),
        ("", "@run_in_asyncio"),
    ],
)
def test_generated_tests_follow_the_detected_test_style(
    tmp_path: Path, monkeypatch: Any, extra: str, marker: str
) -> None:
    root = make_project(tmp_path / "p", MINIMAL_PYPROJECT + extra)
    monkeypatch.chdir(root)
    assert invoke("new", "worker").exit_code == 0
    assert styles_used(root / "tests/test_worker.py") == {marker}


# The decorators a test module marks its tests with, one per test style (the
# test support module turns each into the style's pytest mark).
STYLE_DECORATORS = (
    "@run_in_asyncio",
    "@pytest_asyncio_test",
    "@anyio_test",
    "@pytest_trio_test",
)


def styles_used(path: Path) -> set[str]:
    """The test-style decorators of :data:`STYLE_DECORATORS` the module uses."""
    lines = {line.strip() for line in path.read_text().splitlines()}
    return {decorator for decorator in STYLE_DECORATORS if decorator in lines}


@pytest.mark.parametrize("suffix", ["toml", "yaml"])
def test_answers_file(project: Path, suffix: str) -> None:
    answers = {
        "toml": 'name = "from_file"\npatterns = ["shield", "timeout"]\n'
        "resources = ['semaphore']\ncommit-timeout = 2.5\n",
        "yaml": "name: from_file\npatterns: [shield, timeout]\n"
        "resources: semaphore\ncommit_timeout: 2.5\n",
    }[suffix]
    (project / f"answers.{suffix}").write_text(answers)
    result = invoke("new", "worker", "--answers-file", f"answers.{suffix}")
    assert result.exit_code == 0, result.output
    module = (project / "src/demo/from_file.py").read_text()
    assert "asyncio.shield" in module and "asyncio.Semaphore" in module
    assert "2.5" in module


def test_flags_override_the_answers_file(project: Path) -> None:
    (project / "answers.toml").write_text('patterns = ["shield"]\n')
    result = invoke(
        "new", "worker", "--answers-file", "answers.toml", "-p", "checkpoint"
    )
    assert result.exit_code == 0, result.output
    assert "asyncio.shield" not in (project / "src/demo/worker.py").read_text()


def test_replay_repeats_the_recorded_answers(project: Path) -> None:
    first = invoke(
        "new", "worker", "first", "-p", "task-group", "-r", "task", "--children", "4"
    )
    assert first.exit_code == 0, first.output
    again = invoke("new", "worker", "second", "--replay")
    assert again.exit_code == 0, again.output
    expected = invoke(
        "new",
        "worker",
        "second",
        "-p",
        "task-group",
        "-r",
        "task",
        "--children",
        "4",
        "--stdout",
    )
    assert (project / "src/demo/second.py").read_text() == expected.stdout


def test_new_name_is_short_for_new_worker_name(project: Path) -> None:
    first = invoke("new", "first", "-p", "shield", "-r", "queue")
    assert first.exit_code == 0, first.output
    assert "created    src/demo/first.py" in first.stdout
    again = invoke("new", "other", "--replay")  # the form issue #4 spells out
    assert again.exit_code == 0, again.output
    expected = invoke(
        "new", "worker", "other", "-p", "shield", "-r", "queue", "--stdout"
    )
    assert (project / "src/demo/other.py").read_text() == expected.stdout


def test_new_shorthand_still_validates_the_name_and_options(project: Path) -> None:
    bad_name = invoke("new", "9lives")
    assert bad_name.exit_code == 2
    assert "'9lives' is not a valid Python identifier" in bad_name.stderr
    bad_option = invoke("new", "--bogus")
    assert bad_option.exit_code == 2
    assert "No such option: --bogus" in bad_option.stderr
    assert not (project / "tests").exists()


def test_no_project_generates_in_cwd_with_a_notice(
    tmp_path: Path, monkeypatch: Any
) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    monkeypatch.chdir(loose)
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert "no pyproject.toml found" in result.stderr
    assert (loose / "worker.py").is_file()
    assert (loose / "tests/test_worker.py").is_file()
    assert (loose / "tests/conftest.py").is_file()  # plain pytest needs the root


def test_no_project_and_a_bad_option_is_one_line_only(
    tmp_path: Path, monkeypatch: Any
) -> None:
    loose = tmp_path / "loose"
    loose.mkdir()
    monkeypatch.chdir(loose)
    result = invoke("new", "worker", "-p", "shild")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "cancelgen: error: unknown pattern 'shild' (did you mean 'shield'?); "
        "choose from: cleanup, checkpoint, shield, timeout, exit-stack, task-group"
    ]
    assert list(loose.iterdir()) == []


def test_dry_run_shows_the_diff_of_a_conflict_then_refuses(project: Path) -> None:
    (project / "src/demo/worker.py").write_text("# mine\n")
    before = snapshot(project)
    result = invoke("new", "worker", "--dry-run")
    assert result.exit_code == 1
    assert "--- a/src/demo/worker.py" in result.stdout
    assert "-# mine" in result.stdout and "+async def worker(" in result.stdout
    assert result.stderr.splitlines() == [
        "cancelgen: error: src/demo/worker.py already exists and differs: "
        "use --force to overwrite or --skip-existing"
    ]
    assert snapshot(project) == before


def test_project_found_from_a_subdirectory(project: Path, monkeypatch: Any) -> None:
    deep = project / "src/demo"
    monkeypatch.chdir(deep)
    assert invoke("new", "worker").exit_code == 0
    assert (project / "src/demo/worker.py").is_file()
    assert (project / "tests/test_worker.py").is_file()


# ------------------------------------------------------------------ backends


def test_backend_flag_setting_answers_and_replay_carry_the_backend(
    project: Path,
) -> None:
    result = invoke("new", "worker", "first", "--backend", "asyncio")
    assert result.exit_code == 0, result.output
    recorded = tomllib.loads((project / ".cancelgen/answers.toml").read_text())
    assert recorded["backend"] == "asyncio"
    assert recorded["test-style"] == "asyncio-run"
    again = invoke("new", "worker", "second", "--replay")
    assert again.exit_code == 0, again.output
    (project / "answers.toml").write_text('backend = "asyncio"\n')
    from_file = invoke("new", "worker", "third", "--answers-file", "answers.toml")
    assert from_file.exit_code == 0, from_file.output
    assert "detected" not in result.stderr + again.stderr + from_file.stderr


def test_a_plain_project_detects_nothing_and_says_nothing(project: Path) -> None:
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert "detected" not in result.stderr


def test_the_detected_test_style_is_printed_in_one_line(
    tmp_path: Path, monkeypatch: Any
) -> None:
    extra = '[dependency-groups]\ndev = ["pytest-asyncio"]\n'
    root = make_project(tmp_path / "p", MINIMAL_PYPROJECT + extra)
    monkeypatch.chdir(root)
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "cancelgen: detected test style pytest-asyncio (the project uses "
        "pytest-asyncio); --backend and --test-style choose others"
    )
    chosen = invoke("new", "worker", "other", "--test-style", "asyncio-run")
    assert chosen.exit_code == 0, chosen.output
    assert "detected" not in chosen.stderr


BOTH = ("anyio", "trio")


@pytest.mark.parametrize("backend", BOTH)
def test_the_backend_is_detected_printed_and_used(
    tmp_path: Path, monkeypatch: Any, backend: str
) -> None:
    pyproject = MINIMAL_PYPROJECT + f'dependencies = ["{backend}"]\n'
    root = make_project(tmp_path / "p", pyproject)
    monkeypatch.chdir(root)
    result = invoke("new", "worker", "-p", "cleanup", "-p", "shield")
    assert result.exit_code == 0, result.output
    notice = result.stderr.splitlines()[0]
    assert notice.startswith(
        f"cancelgen: detected backend {backend} ({backend} is a dependency of the "
        "project)"
    )
    module = (root / "src/demo/worker.py").read_text()
    assert f"import {backend}" in module and "import asyncio" not in module
    recorded = tomllib.loads((root / ".cancelgen/answers.toml").read_text())
    assert recorded["backend"] == backend
    # An explicit flag wins over the detection, and nothing is said of it.
    forced = invoke("new", "worker", "plain", "--backend", "asyncio")
    assert forced.exit_code == 0, forced.output
    assert "import asyncio" in (root / "src/demo/plain.py").read_text()
    assert "detected backend" not in forced.stderr


def test_the_default_test_style_follows_the_flagged_backend(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """pytest-asyncio detected for asyncio workers does not stop a trio worker."""
    extra = '[dependency-groups]\ndev = ["pytest-asyncio", "pytest-trio"]\n'
    root = make_project(tmp_path / "p", MINIMAL_PYPROJECT + extra)
    monkeypatch.chdir(root)
    result = invoke("new", "worker", "--backend", "trio")
    assert result.exit_code == 0, result.output
    recorded = tomllib.loads((root / ".cancelgen/answers.toml").read_text())
    assert (recorded["backend"], recorded["test-style"]) == ("trio", "pytest-trio")
    assert "detected test style pytest-trio" in result.stderr
    anyio = invoke("new", "worker", "other", "--backend", "anyio")
    assert anyio.exit_code == 0, anyio.output
    assert styles_used(root / "tests/test_other.py") == {"@anyio_test"}


def test_tool_cancelgen_backend_sets_the_project_s_backend(
    tmp_path: Path, monkeypatch: Any
) -> None:
    pyproject = MINIMAL_PYPROJECT + '[tool.cancelgen]\nbackend = "anyio"\n'
    root = make_project(tmp_path / "p", pyproject)
    monkeypatch.chdir(root)
    result = invoke("new", "worker")
    assert result.exit_code == 0, result.output
    assert "import anyio" in (root / "src/demo/worker.py").read_text()
    assert "detected" not in result.stderr


# ----------------------------------------------------------------- bad input


def run_bad_input(case: dict[str, Any], tmp_path: Path, monkeypatch: Any) -> Any:
    """Run a case of bad_input.toml in a fresh project; check it changed nothing."""
    root = make_project(tmp_path / "project")
    for relative, content in case.get("files", {}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(content)
    for relative, folder in case.get("links", {}).items():
        (tmp_path / folder).mkdir(exist_ok=True)
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).symlink_to(tmp_path / folder, target_is_directory=True)
    before = snapshot(tmp_path)
    monkeypatch.chdir(root)
    result = runner.invoke(app, case["argv"])
    assert snapshot(tmp_path) == before
    return result


@pytest.mark.parametrize("case", BAD_INPUT, ids=[case["id"] for case in BAD_INPUT])
def test_bad_input(case: dict[str, Any], tmp_path: Path, monkeypatch: Any) -> None:
    result = run_bad_input(case, tmp_path, monkeypatch)
    root = tmp_path / "project"
    assert result.exit_code == case["exit"], result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cancelgen: error: ")
    message = case["message"].replace("PROJECT", str(root.resolve()))
    assert message.replace("TMP", str(tmp_path.resolve())) in lines[0]
    assert "Traceback" not in result.output
    assert result.stdout == ""


# Rows of the troubleshooting table that are not bad_input.toml cases, each with
# the test that covers it: (you ran, you get, exit, fix), in Markdown.
MORE_TROUBLE = [
    # test_unwritable_folder_is_one_line_and_nothing_written
    (
        "`cancelgen new worker` (a target folder is read-only)",
        "`cannot write src/demo/worker.py: /path/src/demo is not writable`",
        "1",
        "fix the permissions",
    ),
    # tests/project/test_write.py: test_second_replace_failing_leaves_the_project_as_it_was
    (
        "disk full or permission denied while writing",
        "`cannot write tests/test_worker.py: No space left on device; nothing was changed`",
        "1",
        "free space, rerun",
    ),
    # test_a_symbolic_link_is_never_written_through (tests/project/test_write.py)
    (
        "`cancelgen new worker` (a target is a symbolic link)",
        "`cannot write src/demo/worker.py: it is a symbolic link, which cancelgen does "
        "not write through; remove it or choose another name`",
        "1",
        "remove the link",
    ),
    # test_dry_run_shows_the_diff_of_a_conflict_then_refuses
    (
        "`cancelgen new worker --dry-run` (the file exists and differs)",
        "the diff, then `src/demo/worker.py already exists and differs: ...`",
        "1",
        "`--force`",
    ),
    # tests/cli/test_prompts.py: test_ctrl_c_or_ctrl_d_at_any_kind_of_question
    ("Ctrl-C or Ctrl-D at any question", "`aborted: nothing written`", "130", "-"),
    # tests/project/test_upgrade.py: test_a_conflict_writes_markers_names_the_file_and_...
    (
        "`cancelgen upgrade` (your edit and the new code change the same lines)",
        "`conflicts in src/demo/worker.py: resolve the <<<<<<< ======= >>>>>>> "
        "blocks, then run cancelgen upgrade again; the rest is upgraded`",
        "1",
        "resolve the markers, then `cancelgen upgrade`",
    ),
    (
        "`cancelgen upgrade` (markers of the last upgrade still there)",
        "`src/demo/worker.py still holds the conflict markers of the last upgrade: "
        "resolve them, then run cancelgen upgrade again`",
        "1",
        "resolve them",
    ),
    # tests/project/test_upgrade.py: test_merging_edits_without_git_is_one_line
    (
        "`cancelgen upgrade` (an edited worker, no git installed)",
        "`merging your edits of src/demo/worker.py needs git ('git merge-file'), "
        "which is not on PATH: install git and run again`",
        "1",
        "install git",
    ),
    # tests/project/test_upgrade.py: test_a_changed_pristine_copy_is_refused
    (
        "`cancelgen status` (a hook reformatted a pristine copy)",
        "`.cancelgen/records/src/demo/worker.py.json: key "
        "'files[\"src/demo/worker.py\"]' does not match "
        ".cancelgen/pristine/src/demo/worker.py.pristine: ...`",
        "1",
        "restore it; keep hooks away from `.cancelgen`",
    ),
    # tests/project/test_upgrade.py: test_adopt_derives_the_answers_and_shows_the_whole_diff
    (
        "`cancelgen upgrade worker --adopt` (no terminal, no `--yes`)",
        "the diff, then `nothing written: review the diff above, then run again "
        "with --yes to adopt (or --dry-run to only look)`",
        "1",
        "`--yes`",
    ),
    # test_no_project_generates_in_cwd_with_a_notice
    (
        "`cancelgen new worker` with no `pyproject.toml` in the folder or above",
        "notice `no pyproject.toml found in DIR or above: generating into the current "
        "directory`, files written",
        "0",
        "create `pyproject.toml` first to generate into a package",
    ),
]
TROUBLE_HEADER = ("you ran", "you get", "exit", "fix")


def test_troubleshooting_table_is_what_each_case_prints(
    tmp_path: Path, monkeypatch: Any, update_golden: bool
) -> None:
    """The docs' troubleshooting page: what each case prints, from real runs."""
    rows = []
    for index, case in enumerate(BAD_INPUT):
        result = run_bad_input(case, tmp_path / str(index), monkeypatch)
        root = str((tmp_path / str(index) / "project").resolve())
        message = result.stderr.strip().removeprefix("cancelgen: error: ")
        message = message.replace(root, "/path")
        message = message.replace(str((tmp_path / str(index)).resolve()), "")
        ran = case.get("ran") or f"`cancelgen {' '.join(case['argv'])}`"
        rows.append((ran, f"`{message}`", str(result.exit_code), case["fix"]))
    rows += MORE_TROUBLE
    check_block(
        "troubleshooting",
        rst_table(TROUBLE_HEADER, rows),
        update_golden,
        DOCS / "troubleshooting.rst",
    )


@pytest.mark.slow
@pytest.mark.parametrize("folder", ["src/demo", "tests"])
def test_unwritable_folder_is_one_line_and_nothing_written(
    tmp_path: Path, folder: str
) -> None:
    prefix = without_file_privileges()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions would not apply")
    root = make_project(tmp_path / "project")
    (root / folder).mkdir(exist_ok=True)
    (root / folder).chmod(0o555)
    before = snapshot(tmp_path)
    try:
        result = run_cancelgen(["new", "worker"], root, prefix=prefix)
    finally:
        (root / folder).chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("cancelgen: error: cannot write ")
    assert result.stderr.endswith(f"{root / folder} is not writable\n")
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(tmp_path) == before


@pytest.mark.slow
def test_bad_input_in_a_real_process_is_one_line(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    before = snapshot(tmp_path)
    result = run_cancelgen(["new", "worker", "my-worker"], root)
    assert result.returncode == 2
    assert result.stderr == (
        "cancelgen: error: worker name 'my-worker' is not a valid Python "
        "identifier (did you mean 'my_worker'?)\n"
    )
    assert snapshot(tmp_path) == before


# ------------------------------------------------------- other commands, help


def test_patterns_json_is_the_catalog() -> None:
    result = invoke("patterns", "--json")
    assert result.exit_code == 0, result.output
    catalog = json.loads(result.stdout)
    assert [p["name"] for p in catalog["patterns"]] == list(PATTERNS)
    assert [r["name"] for r in catalog["resources"]] == list(RESOURCES)
    assert catalog["default_patterns"] == list(DEFAULT_PATTERNS)
    assert catalog["patterns"][0]["summary"] == PATTERNS["cleanup"].summary
    assert [b["name"] for b in catalog["backends"]] == list(BACKENDS)
    for entry, data in [
        *zip(PATTERNS.values(), catalog["patterns"], strict=True),
        *zip(RESOURCES.values(), catalog["resources"], strict=True),
    ]:
        assert data["backends"] == {
            backend: entry.idioms[backend].code for backend in BACKENDS
        }


def test_patterns_table_lists_every_name() -> None:
    result = invoke("patterns")
    assert result.exit_code == 0, result.output
    for name in [*PATTERNS, *RESOURCES]:
        assert name in result.stdout
    assert "Backends (--backend)" in result.stdout
    for backend in BACKENDS.values():
        assert backend.name in result.stdout


@pytest.mark.parametrize("name", list(PATTERNS))
def test_explain_shows_purpose_rules_and_mistake(name: str) -> None:
    result = invoke("explain", name)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    pattern = PATTERNS[name]
    assert "What it is for" in text and "Common mistake it avoids" in text
    for rule in pattern.rules:
        assert f"{rule} {' '.join(RULES[rule].split())}" in text
    assert " ".join(pattern.mistake.split()) in text
    assert "[bold" not in result.stdout and "[/]" not in result.stdout  # rendered


@pytest.mark.parametrize("backend", list(BACKENDS))
@pytest.mark.parametrize("name", list(PATTERNS))
def test_explain_tells_each_backend_s_story(name: str, backend: str) -> None:
    result = invoke("explain", name, "--backend", backend)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    idiom = PATTERNS[name].idiom(backend)
    assert f"How {backend} code does it {' '.join(idiom.code.split())}" in text
    for rule in idiom.rules:
        assert f"{rule} {' '.join(RULES[rule].split())}" in text
    assert " ".join(idiom.mistake.split()) in text
    if idiom.instead:
        assert " ".join(idiom.instead.split()) in text
    if backend != "asyncio":
        assert f"--backend {backend} --stdout" in text


@pytest.mark.parametrize("backend", BOTH)
def test_explain_shield_says_what_a_scope_backend_does_instead(backend: str) -> None:
    """asyncio's held-task shield has no meaning there: the text says so, and why."""
    text = " ".join(invoke("explain", "shield", "--backend", backend).stdout.split())
    assert f"{backend}.fail_after(commit_timeout_s, shield=True)" in text
    assert "Instead of asyncio's shape: No held task and no second shield" in text
    assert "R9 " not in text and "R10 " not in text  # asyncio.shield's own rules
    assert "R24 " in text and "R27 " in text


def test_explain_an_unknown_backend_is_one_line() -> None:
    result = invoke("explain", "shield", "--backend", "asynco")
    assert result.exit_code == 2
    assert result.stderr == (
        "cancelgen: error: unknown backend 'asynco' (did you mean 'asyncio'?); "
        f"choose from: {', '.join(BACKENDS)}\n"
    )


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"cancelgen {__version__}\n"


HELP_ARGVS = [[], ["new"], ["new", "worker"], ["patterns"], ["explain"], ["snippet"]]
HELP_ARGVS += [["gallery"], ["init"], ["update"], ["status"], ["upgrade"]]


def test_the_help_check_covers_every_command() -> None:
    import typer

    group: Any = typer.main.get_command(app)
    assert {argv[0] for argv in HELP_ARGVS if argv} == set(group.commands)


@pytest.mark.parametrize("argv", HELP_ARGVS)
def test_every_command_has_help_with_an_example(argv: list[str]) -> None:
    result = invoke(*argv, "--help")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Example") == 1, result.stdout


def test_help_shows_the_default_pattern_set() -> None:
    result = invoke("new", "worker", "--help")
    assert f"Default: {', '.join(DEFAULT_PATTERNS)}." in " ".join(result.stdout.split())


# ------------------------------------------------ real processes: speed rules


def _probe(args: list[str], cwd: Path, cache: Path, before: str, after: str) -> str:
    """Run the CLI in a subprocess between two snippets; the last stderr line."""
    code = (
        f"import sys, runpy\n{before}"
        "sys.argv = ['cancelgen', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('cancelgen', run_name='__main__')\n"
        f"except SystemExit:\n    pass\n{after}"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        env=run_env(cache),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return result.stderr.strip().splitlines()[-1]


def _modules_loaded(args: list[str], cwd: Path, cache: Path) -> set[str]:
    report = (
        "heavy = {'black', 'jinja2', 'copier', 'questionary', 'rich', 'pydantic', 'yaml',"
        " 'isort', 'ruff'}\n"
        "print('LOADED:', *sorted({m.split('.')[0] for m in sys.modules} & heavy),"
        " file=sys.stderr)\n"
    )
    last = _probe(args, cwd, cache, "", report)
    assert last.startswith("LOADED:"), last
    return set(last.split()[1:])


def run_env(cache: Path) -> dict[str, str]:
    from tests.cli_support import cli_env

    return cli_env(cache)


@pytest.mark.slow
def test_help_imports_no_heavy_module(tmp_path: Path, cache_dir: Path) -> None:
    assert _modules_loaded(["--help"], tmp_path, cache_dir) == set()
    assert _modules_loaded(["new", "worker", "--help"], tmp_path, cache_dir) == set()


@pytest.mark.slow
def test_new_never_imports_copier_or_questionary(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    cold = tmp_path / "cold-cache"
    default = _modules_loaded(["new", "worker", "--no-input"], root, cold)
    assert {"copier", "questionary", "rich", "pydantic"}.isdisjoint(default)
    # The cache was empty, but the default worker's black output is shipped
    # (cancelgen/core/shipped.py, checked last); other answers run black.
    other = make_project(tmp_path / "q")
    loaded = _modules_loaded(
        ["new", "worker", "--no-input", "-p", "shield"], other, cold
    )
    assert {"copier", "questionary", "rich", "pydantic"}.isdisjoint(loaded)
    assert {"black", "jinja2"} <= loaded
    skip_unless_the_table_answers()
    assert "jinja2" in default and "black" not in default


@pytest.mark.slow
def test_a_new_name_with_familiar_answers_needs_no_black(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    cache = tmp_path / "cache"
    assert "black" in _modules_loaded(["new", "first", "-p", "shield"], root, cache)
    loaded = _modules_loaded(["new", "sync_orders", "-p", "shield"], root, cache)
    assert "black" not in loaded  # black's output for `first` was renamed
    assert "async def sync_orders(" in (root / "src/demo/sync_orders.py").read_text()


def _templates_compiled(
    args: list[str], cwd: Path, cache: Path, *, shipped: bool = True
) -> int:
    count = (
        ""
        if shipped
        else (
            "import cancelgen.core.shipped\n"
            "cancelgen.core.shipped.table = lambda part='': {}\n"
            "cancelgen.core.shipped._bytecode_table = dict\n"
        )
    ) + (
        "import jinja2\n"
        "calls = []\n"
        "compile_template = jinja2.Environment.compile\n"
        "def counting(self, *args, **kwargs):\n"
        "    calls.append(1)\n"
        "    return compile_template(self, *args, **kwargs)\n"
        "jinja2.Environment.compile = counting\n"
    )
    report = "print('COMPILED:', len(calls), file=sys.stderr)\n"
    last = _probe(args, cwd, cache, count, report)
    assert last.startswith("COMPILED:"), last
    return int(last.split()[1])


@pytest.mark.slow
def test_compiled_templates_are_reused_by_the_next_run(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    cache = tmp_path / "cache"
    # Without the templates compiled at release (cancelgen/core/shipped.py).
    first = _templates_compiled(
        ["new", "first", "--no-input"], root, cache, shipped=False
    )
    assert first > 0
    assert len(list(cache.rglob("jinja/*.cache"))) == first
    # A new name needs black again, but not the template compiler.
    second = ["new", "second", "--no-input"]
    assert _templates_compiled(second, root, cache, shipped=False) == 0
    assert (root / "src/demo/second.py").is_file()


@pytest.mark.slow
def test_a_first_run_compiles_no_template(tmp_path: Path) -> None:
    skip_unless_the_table_answers()
    root = make_project(tmp_path / "p")
    cache = tmp_path / "cache"
    assert _templates_compiled(["new", "worker", "--no-input"], root, cache) == 0
    # The shipped code goes to the cache folder, which answers next time.
    assert list(cache.rglob("jinja/*.cache"))


@pytest.mark.slow
@pytest.mark.parametrize("flags", [["--no-input"], []])
def test_stdin_not_a_terminal_never_prompts_or_hangs(
    tmp_path: Path, cache_dir: Path, flags: list[str]
) -> None:
    root = make_project(tmp_path / "p")
    result = run_cancelgen(["new", "worker", *flags], root, cache=cache_dir, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (root / "src/demo/worker.py").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("backend", list(BACKENDS))
def test_done_when_scenario_generated_tests_pass(
    tmp_path: Path, cache_dir: Path, backend: str
) -> None:
    """Issues 3 and 12's 'Done when': a fresh project, one command, then plain
    `pytest` passes; AnyIO's tests on both of its backends."""
    root = make_project(tmp_path / "fresh")
    args = ["new", "worker", "--backend", backend, "-p", "cleanup", "-p", "shield"]
    args += ["-p", "timeout", "-p", "exit-stack", "-r", "lock", "-r", "connection"]
    result = run_cancelgen(args, root, cache=cache_dir)
    assert result.returncode == 0, result.stderr
    tests = _plain_pytest(root, "-rA")  # -rA: a PASSED line per test id
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout
    if backend == "anyio":
        # AnyIO's plugin ran every test on both of its backends.
        passed = [
            line for line in tests.stdout.splitlines() if line.startswith("PASSED")
        ]
        assert any(line.endswith("[asyncio]") for line in passed), tests.stdout
        assert any(line.endswith("[trio]") for line in passed), tests.stdout


def _plain_pytest(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """The ``pytest`` script in ``root``: unlike ``python -m pytest``, it does not
    put the current directory on ``sys.path``, as a user's ``pytest`` would not."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run(
        [tool("pytest"), "-q", "-p", "no:cacheprovider", "-p", "no:xdist", *flags],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("layout", "flags"),
    [
        ("flat", []),
        ("none", []),
        ("none", ["--tests-dir", "."]),
        ("src", ["--package-dir", "lib/jobs"]),
        ("flat", ["--tests-dir", "checks/unit"]),
    ],
)
def test_plain_pytest_passes_in_every_layout(
    tmp_path: Path, cache_dir: Path, layout: str, flags: list[str]
) -> None:
    root = make_project(tmp_path / "fresh", layout=layout)
    result = run_cancelgen(
        ["new", "worker", "-p", "cleanup", *flags], root, cache=cache_dir
    )
    assert result.returncode == 0, result.stderr
    tests = _plain_pytest(root)
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout


def _complete(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI the way a shell's completion script does (no arguments, env set)."""
    return subprocess.run(
        [sys.executable, "-m", "cancelgen"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("shell", "line", "expected"),
    [
        ("zsh", "cancelgen new worker -p sh", '"shield"'),
        ("zsh", "cancelgen new worker --backend asy", '"asyncio"'),
        ("zsh", "cancelgen new job -r co", '"connection"'),
        ("fish", "cancelgen new worker -p task", "task-group"),
        ("fish", "cancelgen explain exit", "exit-stack"),
        ("fish", "cancelgen new worker --backend tr", "trio"),
        ("fish", "cancelgen explain shield --backend any", "anyio"),
    ],
)
def test_zsh_and_fish_completion_of_names(
    tmp_path: Path, shell: str, line: str, expected: str
) -> None:
    """The protocol the scripts from `cancelgen --install-completion` speak."""
    env = run_env(tmp_path / "cache")
    env.update(
        _CANCELGEN_COMPLETE=f"complete_{shell}",
        _TYPER_COMPLETE_ARGS=line,
        _TYPER_COMPLETE_FISH_ACTION="get-args",
    )
    result = _complete(env, tmp_path)
    assert expected in result.stdout, result.stdout + result.stderr
    assert len(result.stdout.strip().splitlines()) == 1, result.stdout


@pytest.mark.slow
def test_shell_completion_of_pattern_and_resource_names(tmp_path: Path) -> None:
    env = run_env(tmp_path / "cache")
    env.update(
        _CANCELGEN_COMPLETE="complete_bash",
        COMP_WORDS="cancelgen new worker -p sh -r co",
    )
    for cword, expected in (("4", "shield"), ("6", "connection")):
        env["COMP_CWORD"] = cword
        words = env["COMP_WORDS"].split()
        env["COMP_WORDS"] = " ".join(words[: int(cword) + 1])
        result = _complete(env, tmp_path)
        assert result.stdout.split() == [expected], result.stderr
        env["COMP_WORDS"] = "cancelgen new worker -p sh -r co"
