"""Records, ``cancelgen status`` and ``cancelgen upgrade``, end to end through the CLI.

A template change is made for real: ``new`` runs over a copy of the templates
in which two lines have an older form (one in the worker module, one in its
test module), then ``status`` and ``upgrade`` run with the real templates, as
after installing a newer cancelgen.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cancelgen import __version__
from cancelgen.cli import app
from cancelgen.core import render
from cancelgen.core.spec import WorkerSpec
from cancelgen.errors import CancelgenError
from cancelgen.project.merge import has_markers, merge
from cancelgen.project.records import digest
from cancelgen.project.units import load_records
from cancelgen.project.user_text import read_user_text
from tests.cli_support import make_project, run_cancelgen, snapshot
from tests.generated import run
from tests.readme_blocks import DOCS, check_block, rst_code

runner = CliRunner()

# (template, line today, the same line in the "older cancelgen")
CHANGES = [
    (
        "asyncio/_backend.py.jinja",
        "# R9: shield() protects only the inner task; our own await was",
        "# R9: shield protects the inner task only; our own await was",
    ),
    (
        "test_worker.py.jinja",
        "Each proves one cancellation rule of",
        "Each proves a cancellation rule of",
    ),
]
MODULE = "src/demo/worker.py"
TESTS = "tests/test_worker.py"
ENGINE = "tests/_cancelgen_asyncio.py"
STEP_TODAY = "        return list(range(100))\n"
STEP_MINE = "        return [n * n for n in range(7)]  # my own batch\n"
NEW_LINE, OLD_LINE = CHANGES[0][1], CHANGES[0][2]


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cancelgen cache for the module, outside every project tree."""
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


def older_templates(
    tmp_path: Path, changes: list[tuple[str, str, str]] = CHANGES
) -> Path:
    """A copy of the templates with the older lines of ``changes``."""
    copy = tmp_path / "older-templates"
    shutil.copytree(render.templates_dir(), copy)
    for name, today, older in changes:
        path = copy / name
        text = path.read_text(encoding="utf-8")
        assert text.count(today) == 1, name
        path.write_text(text.replace(today, older), encoding="utf-8")
    return copy


def new_with_older_cancelgen(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    changes: list[tuple[str, str, str]] = CHANGES,
) -> None:
    """``cancelgen new worker ARGS`` as the older cancelgen would write it."""
    older = older_templates(tmp_path, changes)
    with monkeypatch.context() as patch:
        patch.setattr(render, "templates_dir", lambda: older)
        result = invoke("new", "worker", *args)
    assert result.exit_code == 0, result.output


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def error_line(result: Any) -> str:
    """The one line a failed run prints on stderr (checked to be one line)."""
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("cancelgen: error: ")
    return lines[0].removeprefix("cancelgen: error: ")


def status_rows(stdout: str) -> list[list[str]]:
    """The words of each row of ``cancelgen status``'s table (header left out)."""
    table = stdout.split("\n\n")[0]
    return [line.split() for line in table.splitlines()[1:]]


def refused(root: Path, *args: str, exit_code: int = 1) -> str:
    """Run ``cancelgen ARGS``: it must fail, with one line, changing nothing under ``root``."""
    before = snapshot(root)
    result = invoke(*args)
    assert result.exit_code == exit_code, result.output
    assert snapshot(root) == before
    return error_line(result)


# ------------------------------------------------------------------ records


def test_new_records_the_spec_the_version_and_the_pristine_copies(
    project: Path,
) -> None:
    result = invoke("new", "worker", "-p", "shield", "-r", "lock")
    assert result.exit_code == 0, result.output
    record = json.loads(
        (project / ".cancelgen/records/src/demo/worker.py.json").read_text()
    )
    spec = WorkerSpec.create(
        name="worker",
        patterns=["shield"],
        resources=["lock"],
        package_dir="src/demo",
        package_import="demo",
    )
    assert record["format"] == 2
    assert record["kind"] == "worker"
    assert record["answers"] == json.loads(json.dumps(spec.answers()))
    assert list(record["files"]) == [MODULE, TESTS]
    for path, recorded in record["files"].items():
        pristine = (project / f".cancelgen/pristine/{path}.pristine").read_text()
        assert pristine == (project / path).read_text()
        assert recorded == digest(pristine)
    conftest = json.loads(
        (project / ".cancelgen/records/tests/conftest.py.json").read_text()
    )
    assert conftest["kind"] == "import-path"
    assert conftest["answers"] == {"tests_dir": "tests", "import_root": "src"}
    # --replay still reads the last run's answers.
    assert invoke("new", "worker", "again", "--replay").exit_code == 0
    assert "Patterns: shield" in (project / "src/demo/again.py").read_text()


def test_a_record_missing_a_newer_answer_takes_its_default(project: Path) -> None:
    assert invoke("new", "worker").exit_code == 0
    location = project / ".cancelgen/records/src/demo/worker.py.json"
    record = json.loads(location.read_text())
    del record["answers"]["backend"], record["answers"]["children"]
    location.write_text(json.dumps(record))
    (loaded,) = [r for r in load_records(project) if r.kind == "worker"]
    assert loaded.answers["backend"] == WorkerSpec().backend
    assert loaded.answers["children"] == WorkerSpec().children
    assert "unedited" in invoke("status").stdout


def test_a_second_new_recognises_its_own_conftest(project: Path) -> None:
    first = invoke("new", "worker")
    assert "added tests/conftest.py" in first.stderr
    second = invoke("new", "worker", "other")
    assert second.exit_code == 0, second.output
    assert "conftest" not in second.stderr
    assert "conftest" not in second.stdout


def test_an_unrecorded_conftest_exactly_like_ours_is_recognised_and_recorded(
    project: Path,
) -> None:
    assert invoke("new", "worker").exit_code == 0
    shutil.rmtree(project / ".cancelgen/records")
    result = invoke("new", "worker", "other")
    assert "conftest" not in result.stderr
    assert (project / ".cancelgen/records/tests/conftest.py.json").is_file()


def test_an_edited_conftest_of_ours_is_still_recognised(project: Path) -> None:
    assert invoke("new", "worker").exit_code == 0
    with (project / "tests/conftest.py").open("a") as stream:
        stream.write("# my fixture goes here\n")
    result = invoke("new", "worker", "other")
    assert "conftest" not in result.stderr
    assert "edited" in invoke("status").stdout


# ------------------------------------------------------------------- status


def test_status_shows_edited_and_outdated_files(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    assert invoke("new", "worker", "fresh").exit_code == 0
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    (project / "tests/test_fresh.py").unlink()
    result = invoke("status")
    assert result.exit_code == 0, result.output
    rows = {row[1]: row[2:] for row in status_rows(result.stdout)}
    # The older cancelgen's lines are in the worker and its tests, not in the
    # tests' engine module they share.
    assert rows == {
        MODULE: ["edited", "outdated"],
        TESTS: ["unedited", "outdated"],
        "src/demo/fresh.py": ["unedited", "up", "to", "date"],
        "tests/test_fresh.py": ["deleted", "up", "to", "date"],
        ENGINE: ["unedited", "up", "to", "date"],
        "tests/conftest.py": ["unedited", "up", "to", "date"],
    }
    assert "2 files are outdated: 'cancelgen upgrade' merges" in result.stdout
    data = json.loads(invoke("status", "--json").stdout)
    assert {f["path"]: (f["state"], f["outdated"]) for f in data["files"]} == {
        MODULE: ("edited", True),
        TESTS: ("unedited", True),
        "src/demo/fresh.py": ("unedited", False),
        "tests/test_fresh.py": ("deleted", False),
        ENGINE: ("unedited", False),
        "tests/conftest.py": ("unedited", False),
    }


def test_status_follows_the_projects_black_settings(project: Path) -> None:
    assert invoke("new", "worker").exit_code == 0
    assert "up to date" in invoke("status").stdout.splitlines()[1]
    with (project / "pyproject.toml").open("a") as stream:
        stream.write("[tool.black]\nline-length = 60\n")
    lines = invoke("status").stdout.splitlines()
    assert lines[1].split()[1:] == [MODULE, "unedited", "outdated"]


def test_status_and_upgrade_of_a_project_without_records(project: Path) -> None:
    result = invoke("status")
    assert result.exit_code == 0
    assert result.stdout.startswith("no recorded workers")
    before = snapshot(project)
    result = invoke("upgrade")
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "cancelgen: nothing to upgrade: no recorded workers"
    )
    assert snapshot(project) == before


# ------------------------------------------------------------------ upgrade


def test_upgrade_keeps_an_edit_and_brings_the_template_change(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    result = invoke("upgrade")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"merged     {MODULE}",
        f"updated    {TESTS}",
        f"unchanged  {ENGINE}",  # the older lines are not in the engine
        "unchanged  tests/conftest.py",
    ]
    module = (project / MODULE).read_text()
    assert STEP_MINE in module and NEW_LINE in module and OLD_LINE not in module
    tests = (project / TESTS).read_text()
    assert CHANGES[1][1] in tests and CHANGES[1][2] not in tests
    # The pristine copies are what the installed cancelgen writes now.
    assert invoke("new", "worker", "--dry-run", "--force").exit_code == 0
    fresh = (project / f".cancelgen/pristine/{MODULE}.pristine").read_text()
    assert fresh == module.replace(STEP_MINE, STEP_TODAY)
    assert "outdated" not in invoke("status").stdout


def test_a_conflict_writes_markers_names_the_file_and_changes_nothing_else(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    mine = "# R9 (my words): shield guards the inner task; our own await was"
    edit(project / MODULE, OLD_LINE, mine)
    before = snapshot(project)
    result = invoke("upgrade", "worker")
    assert result.exit_code == 1
    assert error_line(result).startswith(f"conflicts in {MODULE}: resolve the <<<<<<<")
    assert result.stdout.splitlines() == [
        f"conflict   {MODULE}",
        f"updated    {TESTS}",
        f"unchanged  {ENGINE}",  # a named worker's test support module comes too
    ]
    module = (project / MODULE).read_text()
    block = (
        f"<<<<<<< {MODULE} (yours)\n        {mine}\n=======\n"
        f"        {NEW_LINE}\n>>>>>>> {MODULE} (cancelgen "
    )
    assert block in module
    after = snapshot(project)
    changed = {path for path in after if after[path] != before.get(path)}
    assert changed == {
        MODULE,
        TESTS,  # merged cleanly ...
        f".cancelgen/pristine/{TESTS}.pristine",  # ... so its pristine copy moves on
        ".cancelgen/records/src/demo/worker.py.json",
    }
    # Outside the conflict, the module is the user's file with nothing lost.
    resolved_mine = re.sub(
        r"<<<<<<< .*?\n(.*?)=======\n.*?>>>>>>> .*?\n", r"\1", module, flags=re.S
    )
    assert resolved_mine.encode() == before[MODULE]

    again = invoke("upgrade")
    assert again.exit_code == 1
    assert "still holds the conflict markers" in error_line(again)
    status = invoke("status").stdout.splitlines()
    assert status[1].split()[1:] == [MODULE, "conflict", "markers", "outdated"]
    assert status[-1] == (
        f"Resolve the conflict markers in {MODULE}, then run 'cancelgen upgrade' again."
    )

    (project / MODULE).write_text(resolved_mine)  # the user keeps their line
    resolved = invoke("upgrade")
    assert resolved.exit_code == 0, resolved.output
    assert f"resolved   {MODULE}" in resolved.stdout
    assert (project / MODULE).read_text() == resolved_mine
    assert "outdated" not in invoke("status").stdout
    assert invoke("upgrade").stdout.splitlines()[0] == f"unchanged  {MODULE}"


def test_dry_run_shows_the_diff_and_writes_nothing(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    before = snapshot(tmp_path)
    result = invoke("upgrade", "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(tmp_path) == before
    assert f"--- a/{MODULE}\n+++ b/{MODULE}\n" in result.stdout
    assert f"-        {OLD_LINE}\n+        {NEW_LINE}\n" in result.stdout
    assert "my own batch" not in result.stdout  # the user's edit is no change
    assert result.stderr.endswith("; nothing written\n")


def test_dry_run_of_a_conflict_shows_the_markers_and_exits_1(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    edit(project / MODULE, OLD_LINE, "# R9: mine")
    before = snapshot(tmp_path)
    result = invoke("upgrade", "--dry-run")
    assert result.exit_code == 1
    assert "+<<<<<<< " in result.stdout
    assert snapshot(tmp_path) == before


def test_answer_flags_change_a_workers_answers_and_keep_the_edit(
    project: Path,
) -> None:
    assert invoke("new", "worker").exit_code == 0
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    result = invoke(
        "upgrade", "worker", "-p", "cleanup", "-p", "shield", "--commit-timeout", "2"
    )
    assert result.exit_code == 0, result.output
    module = (project / MODULE).read_text()
    assert "Patterns: cleanup, shield" in module
    assert "commit_timeout_s: float = 2.0" in module
    assert STEP_MINE in module
    (record,) = [r for r in load_records(project) if r.kind == "worker"]
    assert record.answers["patterns"] == ("cleanup", "shield")


def test_workers_of_one_name_are_told_apart_by_their_module_path(
    project: Path,
) -> None:
    assert invoke("new", "worker").exit_code == 0
    other = (
        "new",
        "worker",
        "--package-dir",
        "src/demo/jobs",
        "--tests-dir",
        "tests/jobs",
    )
    assert invoke(*other).exit_code == 0
    assert refused(project, "upgrade", "worker", exit_code=2) == (
        "2 recorded workers are named 'worker' (src/demo/jobs/worker.py, "
        "src/demo/worker.py): give the module path instead"
    )
    edit(project / "src/demo/jobs/worker.py", STEP_TODAY, STEP_MINE)
    result = invoke("upgrade", "src/demo/jobs/worker.py", "-p", "shield")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "merged     src/demo/jobs/worker.py",
        "updated    tests/jobs/test_worker.py",
        "unchanged  tests/jobs/_cancelgen_asyncio.py",  # its tests folder's own
    ]
    assert "Patterns: cleanup, timeout" in (project / MODULE).read_text()


@pytest.mark.parametrize("line_ending", ["\r\n", "\r"])
def test_line_endings_and_a_byte_order_mark_are_kept(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line_ending: str
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    text = (project / MODULE).read_text()
    (project / MODULE).write_bytes(
        b"\xef\xbb\xbf" + text.replace("\n", line_ending).encode()
    )
    result = invoke("upgrade")
    assert result.exit_code == 0, result.output
    data = (project / MODULE).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    body = data[3:].decode()
    assert body.count(line_ending) == text.count("\n")
    assert body.replace(line_ending, "\n") == text.replace(OLD_LINE, NEW_LINE)


def test_a_symbolic_link_is_refused_and_nothing_written(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    elsewhere = tmp_path / "elsewhere.py"
    elsewhere.write_bytes((project / MODULE).read_bytes())
    (project / MODULE).unlink()
    (project / MODULE).symlink_to(elsewhere)
    assert refused(tmp_path, "upgrade") == (
        f"cannot write {MODULE}: it is a symbolic link, which cancelgen does not "
        "write through; remove it or choose another name"
    )


def test_a_record_that_does_not_match_its_path_touches_nothing(project: Path) -> None:
    assert invoke("new", "worker").exit_code == 0
    records = project / ".cancelgen/records/src/demo"
    (records / "worker.py.json").rename(records / "other.py.json")
    assert refused(project, "upgrade").startswith(
        ".cancelgen/records/src/demo/other.py.json: key 'answers' render "
        "src/demo/worker.py, not src/demo/other.py"
    )


def test_a_changed_pristine_copy_is_refused(project: Path) -> None:
    assert invoke("new", "worker").exit_code == 0
    with (project / f".cancelgen/pristine/{MODULE}.pristine").open("a") as stream:
        stream.write("# reformatted by a hook\n")
    for command in ("status", "upgrade"):
        assert refused(project, command).startswith(
            ".cancelgen/records/src/demo/worker.py.json: "
            f"key 'files[\"{MODULE}\"]' does not match .cancelgen/pristine/{MODULE}.pristine"
        )


def test_a_deleted_file_stays_deleted(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    (project / TESTS).unlink()
    result = invoke("upgrade")
    assert result.exit_code == 0, result.output
    assert f"skipped    {TESTS} (you deleted it: left deleted)" in result.stdout
    assert not (project / TESTS).exists()


def test_merging_edits_without_git_is_one_line(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    unedited = (project / MODULE).read_bytes()
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    assert refused(project, "upgrade") == (
        f"merging your edits of {MODULE} needs git ('git merge-file'), which is "
        "not on PATH: install git and run again"
    )
    # An unedited worker needs no merge, so no git either.
    (project / MODULE).write_bytes(unedited)
    assert invoke("upgrade").exit_code == 0


# -------------------------------------------------------------------- adopt


def unrecorded_project(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> None:
    """A project as cancelgen left it before it kept records: the files and
    answers.toml, no records (0.1.0 has them: see tests/releases/)."""
    new_with_older_cancelgen(tmp_path, monkeypatch, *args)
    shutil.rmtree(project / ".cancelgen/records")
    shutil.rmtree(project / ".cancelgen/pristine")


def test_adopt_derives_the_answers_and_shows_the_whole_diff(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unrecorded_project(
        project,
        tmp_path,
        monkeypatch,
        "-p",
        "shield",
        "-r",
        "lock",
        "--commit-timeout",
        "2",
    )
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    status = invoke("status").stdout
    assert f"worker  {MODULE}  not recorded" in status
    assert "'cancelgen upgrade worker --adopt' adopts it" in status
    refused = invoke("upgrade", "worker")
    assert refused.exit_code == 2
    assert "cancelgen upgrade worker --adopt" in error_line(refused)

    before = snapshot(tmp_path)
    looked = invoke("upgrade", "worker", "--adopt")
    assert looked.exit_code == 1  # no terminal, no --yes: nothing written
    assert snapshot(tmp_path) == before
    assert "run again with --yes" in looked.stderr.splitlines()[-1]
    notices = looked.stderr
    assert f"adopting {MODULE}, which has no record" in notices
    assert "from its docstring (shield; lock)" in notices
    assert (
        ".cancelgen/answers.toml (it recorded the same patterns and resources)"
        in notices
    )
    assert "your current file is both the base and yours" in notices
    diff = looked.stdout
    assert f"-        {OLD_LINE}\n+        {NEW_LINE}\n" in diff
    assert f"-{STEP_MINE}+{STEP_TODAY}" in diff  # a plain diff: the edit shows too
    assert "commit_timeout_s" not in diff  # 2 seconds came from answers.toml

    adopted = invoke("upgrade", "worker", "--adopt", "--yes")
    assert adopted.exit_code == 0, adopted.output
    assert adopted.stdout.startswith(diff)  # shown again, then written
    assert adopted.stdout.removeprefix(diff).splitlines() == [
        f"updated    {MODULE}",
        f"updated    {TESTS}",
        f"unchanged  {ENGINE}",  # exactly ours: recognised and recorded
    ]
    assert NEW_LINE in (project / MODULE).read_text()
    status = invoke("status").stdout
    assert "not recorded" not in status
    assert "(shared)  tests/conftest.py" in status  # recognised as ours
    assert "outdated" not in status


def test_adopt_without_matching_answers_uses_the_defaults(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unrecorded_project(project, tmp_path, monkeypatch, "-p", "checkpoint")
    assert invoke("new", "worker", "other").exit_code == 0  # answers.toml: other's
    result = invoke("upgrade", "worker", "--adopt", "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "from its docstring (checkpoint; no resources), the rest from [tool.cancelgen]"
        in result.stderr
    )


def test_adopt_refuses_a_module_cancelgen_did_not_write(project: Path) -> None:
    (project / MODULE).write_text('"""My own worker."""\n')
    assert refused(project, "upgrade", "worker", "--adopt").startswith(
        f"{MODULE} does not start with the docstring cancelgen writes"
    )


def test_a_path_outside_the_project_or_missing_is_refused(
    project: Path, tmp_path: Path
) -> None:
    """upgrade and upgrade --adopt read a module path the same way."""
    outside = tmp_path / "elsewhere.py"
    outside.write_text("")
    for flags in ([], ["--adopt"]):
        message = refused(project, "upgrade", str(outside), *flags, exit_code=2)
        assert message == f"{outside} is not inside the project {project}"
    assert refused(
        project, "upgrade", "src/demo/nothing.py", "--adopt", exit_code=2
    ) == ("src/demo/nothing.py does not exist")


def test_a_copier_project_is_left_to_cancelgen_update(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    unrecorded_project(project, tmp_path, monkeypatch)
    (project / ".copier-answers.yml").write_text("_commit: v0.1.0\n")
    status = invoke("status").stdout
    assert f"worker  {MODULE}  not recorded" in status
    assert "--adopt" not in status
    assert "'cancelgen update' brings cancelgen's changes" in status
    assert refused(project, "upgrade", "worker", "--adopt", exit_code=2).startswith(
        "this project was made by 'cancelgen init'"
    )


# ----------------------------------------------------------- support module

SUPPORT = "src/demo/_cancellation_asyncio.py"
SUPPORT_RECORD = f".cancelgen/records/{SUPPORT}.json"
# The older cancelgen also worded a comment of the worker skeleton differently,
# so an upgrade changes the support module, the worker modules and their tests.
SUPPORT_CHANGES = [
    *CHANGES,
    ("worker.py.jinja", "    # Steps: your logic.", "    # Steps: the logic."),
]
SHARED = ("--support-module", "-p", "cleanup", "-p", "shield")
# A line of the tests' engine module (the test support module) the older
# cancelgen worded otherwise.
ENGINE_CHANGE = (
    "asyncio/engine.py.jinja",
    "# A broken worker fails its test after this long instead of hanging the run.",
    "# A broken worker fails after this long instead of hanging the run.",
)
PUMP = "src/demo/pump.py"


def news_with_older_cancelgen(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *commands: tuple[str, ...],
    changes: list[tuple[str, str, str]] = SUPPORT_CHANGES,
) -> None:
    """Each ``cancelgen new worker ARGS`` of ``commands``, by the older cancelgen
    (whose templates differ by ``changes``)."""
    older = older_templates(tmp_path, changes)
    with monkeypatch.context() as patch:
        patch.setattr(render, "templates_dir", lambda: older)
        for args in commands:
            result = invoke("new", "worker", *args)
            assert result.exit_code == 0, result.output


def generated_tests_pass(project: Path) -> None:
    result = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
        project,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]


def imported_from_support(module: str) -> list[str]:
    tree = ast.parse(module)
    return [
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom)
        and node.module == "demo._cancellation_asyncio"
        for alias in node.names
    ]


@pytest.mark.slow
def test_two_workers_share_one_support_module_and_their_tests_pass(
    project: Path,
) -> None:
    assert invoke("new", "worker", *SHARED, "-r", "queue").exit_code == 0
    second = invoke("new", "worker", "pump", "--support-module", "-r", "thread")
    assert second.exit_code == 0, second.output
    assert second.stdout.splitlines() == [
        f"created    {PUMP}",
        "created    tests/test_pump.py",
        f"unchanged  {SUPPORT}",
        f"unchanged  {ENGINE}",  # both forms' tests import the engine module
    ]
    worker, pump = (project / MODULE).read_text(), (project / PUMP).read_text()
    assert imported_from_support(worker) == ["bounded", "commit_shielded", "queue_job"]
    assert imported_from_support(pump) == ["bounded", "thread_running"]
    for module in (worker, pump):
        assert "async def _to_its_end" not in module
        assert "from demo._cancellation_asyncio import" in module
    support = (project / SUPPORT).read_text()
    assert "Do not edit this module" in support
    assert "async def _to_its_end" in support and "async def task_running" in support
    record = json.loads((project / SUPPORT_RECORD).read_text())
    assert (record["kind"], record["answers"]) == (
        "support-module",
        {"backend": "asyncio", "package_dir": "src/demo", "package_import": "demo"},
    )
    rows = [line.split() for line in invoke("status").stdout.splitlines()]
    assert ["(shared)", SUPPORT, "unedited", "up", "to", "date"] in rows
    generated_tests_pass(project)


@pytest.mark.slow
def test_upgrading_one_worker_replaces_the_support_module_and_merges_its_workers(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    news_with_older_cancelgen(
        tmp_path, monkeypatch, (*SHARED, "-r", "lock"), ("pump", *SHARED, "-r", "task")
    )
    assert OLD_LINE in (project / SUPPORT).read_text()  # _to_its_end lives there
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    result = invoke("upgrade", "worker")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"merged     {MODULE}",
        f"updated    {TESTS}",
        f"updated    {SUPPORT}",
        f"unchanged  {ENGINE}",  # the older lines are not in the engine
        f"updated    {PUMP}",
        "updated    tests/test_pump.py",
    ]
    assert result.stderr == (
        f"cancelgen: {SUPPORT} changes, so the other workers that import it are "
        "upgraded with it: pump\n"
    )
    support = (project / SUPPORT).read_text()
    assert NEW_LINE in support and OLD_LINE not in support
    module = (project / MODULE).read_text()
    assert STEP_MINE in module and "# Steps: your logic." in module
    assert "# Steps: your logic." in (project / PUMP).read_text()
    assert "outdated" not in invoke("status").stdout
    assert invoke("upgrade").stdout.splitlines()[0] == f"unchanged  {SUPPORT}"
    generated_tests_pass(project)


@dataclass(frozen=True)
class Shared:
    """A module several workers share, and how the tests below make one."""

    path: str
    args: tuple[str, ...]
    """The flags of ``new`` for a worker that imports it."""
    change: tuple[str, str, str]
    """A line of it the older cancelgen worded otherwise (as in CHANGES)."""


# Both kinds of shared module: replaced wholesale, never merged, so an edit of
# one is refused, kept or left alone alike.
SHARED_MODULES = [
    pytest.param(Shared(SUPPORT, SHARED, CHANGES[0]), id="support-module"),
    pytest.param(Shared(ENGINE, ("-p", "cleanup"), ENGINE_CHANGE), id="test-support"),
]


@pytest.mark.parametrize("shared", SHARED_MODULES)
def test_an_edited_shared_module_is_replaced_only_with_force(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: Shared
) -> None:
    path, (_, today, older) = shared.path, shared.change
    news_with_older_cancelgen(
        tmp_path, monkeypatch, shared.args, changes=[shared.change]
    )
    edit(project / path, older, "# my own note")
    mine = (project / path).read_text()
    for args in (("upgrade",), ("upgrade", "worker"), ("upgrade", "--dry-run")):
        message = refused(project, *args)
        assert message.startswith(
            f"{path} differs from what cancelgen wrote, and cancelgen replaces it "
            "wholesale: "
        )
        assert message.endswith(
            f", or run again with --force to replace it (your copy is then kept "
            f"as {path}.orig)"
        )
    rows = status_rows(invoke("status").stdout)
    assert ["(shared)", path, "edited", "outdated"] in rows
    # A copy kept by an earlier --force is never overwritten.
    (project / f"{path}.orig").write_text("# kept last time\n")
    assert refused(project, "upgrade", "--force") == (
        f"{path}.orig exists (an edited copy kept by an earlier upgrade): "
        "move it away, then run again"
    )
    (project / f"{path}.orig").unlink()

    result = invoke("upgrade", "--force")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    replaced = lines.index(
        f"replaced   {path} (--force: your edited copy is kept next to it, as .orig)"
    )
    assert lines[replaced + 1] == f"created    {path}.orig"
    assert (project / f"{path}.orig").read_text() == mine
    assert today in (project / path).read_text()
    assert "outdated" not in invoke("status").stdout


@pytest.mark.parametrize("shared", SHARED_MODULES)
def test_an_edited_shared_module_cancelgen_has_nothing_new_for_is_kept(
    project: Path, shared: Shared
) -> None:
    path = shared.path
    assert invoke("new", "worker", *shared.args).exit_code == 0
    with (project / path).open("a") as stream:
        stream.write("# my note\n")
    edited = (project / path).read_bytes()
    result = invoke("upgrade", "worker")
    assert result.exit_code == 0, result.output
    assert f"kept       {path} (you edited it; cancelgen has nothing new" in (
        result.stdout
    )
    assert (project / path).read_bytes() == edited
    other = invoke("new", "worker", "other", *shared.args)
    assert other.exit_code == 0, other.output
    assert f"{path} was edited: left alone" in other.stderr
    assert (project / path).read_bytes() == edited


@pytest.mark.parametrize("shared", SHARED_MODULES)
def test_new_refuses_an_outdated_shared_module_and_points_to_upgrade(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: Shared
) -> None:
    news_with_older_cancelgen(
        tmp_path, monkeypatch, shared.args, changes=[shared.change]
    )
    assert refused(project, "new", "worker", "other", *shared.args) == (
        # The "older cancelgen" is this one with older templates: its version.
        f"{shared.path} was written for other project settings or templates "
        f"(cancelgen {__version__}): run "
        "'cancelgen upgrade' first, which brings it and the workers that import "
        "it up to date, then run this again"
    )
    # A worker that imports neither carries its helpers and its engine itself.
    assert invoke("new", "worker", "single", "--single-file").exit_code == 0


@pytest.mark.parametrize("shared", SHARED_MODULES)
def test_upgrading_one_worker_brings_the_others_that_import_a_changed_shared_module(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared: Shared
) -> None:
    news_with_older_cancelgen(
        tmp_path,
        monkeypatch,
        shared.args,
        ("pump", *shared.args),
        ("alone", "--single-file"),
        changes=[shared.change],
    )
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    result = invoke("upgrade", "worker")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"cancelgen: {shared.path} changes, so the other workers that import it "
        "are upgraded with it: pump\n"
    )
    upgraded = {line.split()[1]: line.split()[0] for line in result.stdout.splitlines()}
    assert upgraded[shared.path] == "updated"
    assert {MODULE, TESTS, PUMP, "tests/test_pump.py"} <= set(upgraded)
    assert not {"src/demo/alone.py", "tests/test_alone.py"} & set(upgraded)
    assert STEP_MINE in (project / MODULE).read_text()
    rows = status_rows(invoke("status").stdout)
    assert [row[0] for row in rows if row[-1] == "outdated"] == ["alone"]


def test_upgrade_switches_a_worker_between_the_forms(project: Path) -> None:
    assert invoke("new", "worker", "-r", "task").exit_code == 0
    edit(project / MODULE, STEP_TODAY, STEP_MINE)
    result = invoke("upgrade", "worker", "--support-module")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"merged     {MODULE}",
        f"unchanged  {TESTS}",
        f"created    {SUPPORT}",
        f"unchanged  {ENGINE}",
    ]
    module = (project / MODULE).read_text()
    assert imported_from_support(module) == ["bounded", "task_running"]
    assert STEP_MINE in module and "async def _reap" not in module
    assert (project / SUPPORT_RECORD).is_file()
    back = invoke("upgrade", "worker", "--single-file")
    assert back.exit_code == 0, back.output
    # --single-file takes the engine back into the test module too; the shared
    # modules stay, as other workers may import them.
    assert back.stdout.splitlines() == [f"merged     {MODULE}", f"updated    {TESTS}"]
    module = (project / MODULE).read_text()
    assert "async def _reap" in module and not imported_from_support(module)
    assert STEP_MINE in module
    tests = (project / TESTS).read_text()
    assert "from _cancelgen_asyncio import" not in tests and "class Sweep" in tests
    assert (project / SUPPORT).is_file() and (project / ENGINE).is_file()


def test_the_setting_answers_files_and_replay_choose_the_form(project: Path) -> None:
    with (project / "pyproject.toml").open("a") as stream:
        stream.write("[tool.cancelgen]\nsupport-module = true\n")
    assert invoke("new", "worker").exit_code == 0
    assert imported_from_support((project / MODULE).read_text())
    assert "support-module = true" in (project / ".cancelgen/answers.toml").read_text()
    assert invoke("new", "worker", "again", "--replay").exit_code == 0
    assert imported_from_support((project / "src/demo/again.py").read_text())
    assert invoke("new", "worker", "alone", "--single-file").exit_code == 0
    assert "async def bounded" in (project / "src/demo/alone.py").read_text()
    answers = project / "answers.yaml"
    answers.write_text("support-module: maybe\n")
    assert refused(
        project, "new", "worker", "x", "--answers-file", str(answers), exit_code=1
    ) == (f"answers file {answers}: support-module must be true or false, got 'maybe'")


def test_stdout_prints_the_support_module_after_the_worker(project: Path) -> None:
    before = snapshot(project)
    result = invoke("new", "worker", "--stdout", "--support-module", "-r", "queue")
    assert result.exit_code == 0, result.output
    worker, support = result.stdout.split(f"\n# {'-' * 20} {SUPPORT}\n\n")
    assert imported_from_support(worker) == ["bounded", "queue_job"]
    assert "async def queue_job(" in support
    assert snapshot(project) == before


def test_a_support_module_record_with_a_strange_answer_is_refused(
    project: Path,
) -> None:
    assert invoke("new", "worker", *SHARED).exit_code == 0
    record = json.loads((project / SUPPORT_RECORD).read_text())
    record["answers"]["patterns"] = ["cleanup"]
    (project / SUPPORT_RECORD).write_text(json.dumps(record))
    assert refused(project, "status").startswith(
        f"{SUPPORT_RECORD}: key 'answers.patterns' is not an answer of a "
        "support-module record"
    )


# -------------------------------------------------------- merge, text files


def test_merge_takes_the_only_side_that_changed_without_git(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    labels = ("ours", "base", "theirs")
    assert merge("a\n", "a\n", "b\n", labels=labels, path="x").text == "b\n"
    assert merge("a\n", "b\n", "a\n", labels=labels, path="x").text == "b\n"
    assert merge("a\n", "b\n", "b\n", labels=labels, path="x").text == "b\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_merge_counts_conflicts() -> None:
    base = "1\n2\n3\n4\n5\n6\n7\n"
    ours = base.replace("2\n", "two\n").replace("6\n", "six\n")
    theirs = base.replace("2\n", "TWO\n")
    merged = merge(base, ours, theirs, labels=("ours", "base", "theirs"), path="x")
    assert merged.conflicts == 1
    assert has_markers(merged.text)
    assert "<<<<<<< ours\ntwo\n=======\nTWO\n>>>>>>> theirs\n" in merged.text
    assert "six\n" in merged.text
    clean = merge(
        base, base.replace("6\n", "six\n"), theirs, labels=("o", "b", "t"), path="x"
    )
    assert (clean.text, clean.conflicts) == (theirs.replace("6\n", "six\n"), 0)


def test_a_coding_line_is_honoured_and_kept(tmp_path: Path) -> None:
    data = "# -*- coding: latin-1 -*-\r\nname = 'café'\r\n".encode("latin-1")
    text = read_user_text(data, "x.py")
    assert (text.encoding, text.newline) == ("iso-8859-1", "\r\n")
    assert text.text == "# -*- coding: latin-1 -*-\nname = 'café'\n"
    assert text.encode(text.text, "x.py") == data
    assert text.encode(text.text + "x = 1\n", "x.py").endswith(b"x = 1\r\n")
    with pytest.raises(CancelgenError, match=r"cannot write x\.py in its encoding"):
        text.encode(text.text + "arrow = '→'\n", "x.py")


def test_upgrade_runs_in_a_real_process(project: Path, cache_dir: Path) -> None:
    assert invoke("new", "worker").exit_code == 0
    result = run_cancelgen(["upgrade"], project, cache=cache_dir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"unchanged  {MODULE}"


# ------------------------------------------- the docs' upgrading page


def transcript(*commands: tuple[str, ...]) -> str:
    """Each command run through the CLI, shown as in a terminal (stdout and stderr)."""
    shown = []
    for argv in commands:
        result = invoke(*argv)
        shown.append(f"$ cancelgen {' '.join(argv)}\n{result.output}")
        if result.output and not result.output.endswith("\n"):
            shown.append("\n")
    return "".join(shown)


def test_upgrading_page_transcripts_are_real(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool
) -> None:
    new_with_older_cancelgen(tmp_path, monkeypatch, "sync_orders", "-r", "lock")
    module = project / "src/demo/sync_orders.py"
    edit(module, STEP_TODAY, STEP_MINE)
    before = transcript(("status",))
    dry_run = transcript(("upgrade", "--dry-run"))
    upgraded = transcript(("upgrade",))
    clean = before + dry_run + upgraded + transcript(("status",))
    check_block("upgrade-transcript", rst_code("text", clean), update_golden, PAGE)
    # The README's "Upgrading generated code" shows the same run, without the diff.
    check_block("upgrade-readme", f"```text\n{before}{upgraded}```\n", update_golden)

    new_with_older_cancelgen(
        tmp_path / "again", monkeypatch, "sync_orders", "-r", "lock", "--force"
    )
    edit(module, STEP_TODAY, STEP_MINE)
    edit(module, OLD_LINE, "# R9: only the inner task is shielded (my wording)")
    conflict = transcript(("upgrade", "sync_orders"))
    marked = module.read_text().splitlines(keepends=True)
    start = next(i for i, line in enumerate(marked) if line.startswith("<<<<<<<"))
    excerpt = "".join(marked[start - 1 : start + 6])
    rst = rst_code("console", conflict) + rst_code("text", excerpt)
    check_block("upgrade-conflict", rst, update_golden, PAGE)


PAGE = DOCS / "upgrading.rst"
