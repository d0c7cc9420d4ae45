"""Plans, conflicts, dry-run diffs and the all-or-nothing writer."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from cancelgen.errors import CancelgenError, UsageError
from cancelgen.project import write
from cancelgen.project.write import make_plan, unified_diff, write_plan
from tests.cli_support import snapshot

FILES = {
    "src/demo/worker.py": "async def worker() -> None: ...\n",
    "tests/test_worker.py": "def test_it() -> None: ...\n",
    "tests/conftest.py": "# conftest\n",
}


def test_plan_statuses(tmp_path: Path) -> None:
    (tmp_path / "src/demo").mkdir(parents=True)
    (tmp_path / "src/demo/worker.py").write_text(FILES["src/demo/worker.py"])
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_worker.py").write_text("old\n")
    plan = make_plan(tmp_path, FILES, force=True)
    assert [f.status for f in plan.files] == ["unchanged", "overwrite", "create"]
    assert [f.path for f in plan.to_write] == [
        "tests/test_worker.py",
        "tests/conftest.py",
    ]
    skipping = make_plan(tmp_path, FILES, skip_existing=True)
    assert [f.status for f in skipping.files] == ["unchanged", "skip", "create"]


def test_conflict_names_the_file_and_the_way_out(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_worker.py").write_text("mine\n")
    plan = make_plan(tmp_path, FILES)
    assert [item.path for item in plan.conflicts] == ["tests/test_worker.py"]
    with pytest.raises(CancelgenError) as caught:
        write_plan(plan)
    assert caught.value.message == (
        "tests/test_worker.py already exists and differs: "
        "use --force to overwrite or --skip-existing"
    )
    assert caught.value.exit_code == 1
    assert (tmp_path / "tests/test_worker.py").read_text() == "mine\n"
    assert not (tmp_path / "src").exists()


def test_diff_shows_a_conflict_as_force_would_write_it(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_worker.py").write_text("mine\n")
    diff = unified_diff(make_plan(tmp_path, FILES))
    assert "--- a/tests/test_worker.py" in diff
    assert "-mine\n" in diff


@pytest.mark.parametrize("dangling", [True, False])
def test_a_symbolic_link_is_never_written_through(
    tmp_path: Path, dangling: bool
) -> None:
    (tmp_path / "tests").mkdir()
    elsewhere = tmp_path / "elsewhere.py"
    if not dangling:
        elsewhere.write_text("theirs\n")
    (tmp_path / "tests/test_worker.py").symlink_to(elsewhere)
    for force in (False, True):
        with pytest.raises(CancelgenError, match="is a symbolic link"):
            make_plan(tmp_path, FILES, force=force)
    assert (tmp_path / "tests/test_worker.py").is_symlink()


def test_a_name_too_long_for_the_file_system_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(CancelgenError, match="File name too long"):
        make_plan(tmp_path, {"x" * 300 + ".py": "x\n"})


def test_force_and_skip_existing_are_exclusive(tmp_path: Path) -> None:
    with pytest.raises(CancelgenError) as caught:
        make_plan(tmp_path, FILES, force=True, skip_existing=True)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("path", ["../evil.py", "/etc/evil.py"])
def test_paths_outside_the_project_are_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(CancelgenError):
        make_plan(tmp_path, {path: "x\n"})


def test_folder_where_a_file_goes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "tests/test_worker.py").mkdir(parents=True)
    with pytest.raises(CancelgenError, match="a folder of that name exists"):
        make_plan(tmp_path, FILES)


def test_diff_of_new_and_changed_files(tmp_path: Path) -> None:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests/test_worker.py").write_text("old\n")
    plan = make_plan(tmp_path, FILES, force=True)
    diff = unified_diff(plan)
    assert "--- /dev/null\n+++ b/src/demo/worker.py\n" in diff
    assert "--- a/tests/test_worker.py\n+++ b/tests/test_worker.py\n" in diff
    assert "-old\n+def test_it() -> None: ...\n" in diff
    coloured = unified_diff(plan, color=True)
    assert "\x1b[32m+def test_it() -> None: ...\x1b[0m\n" in coloured
    assert "\x1b[31m-old\x1b[0m\n" in coloured
    assert "\x1b[" not in diff


def test_write_creates_folders_and_files(tmp_path: Path) -> None:
    written = write_plan(make_plan(tmp_path, FILES))
    assert len(written) == 3
    for path, text in FILES.items():
        assert (tmp_path / path).read_text() == text
    assert not list(tmp_path.rglob(f"*{write.TEMP_SUFFIX}"))


def test_overwrite_keeps_the_file_mode(tmp_path: Path) -> None:
    target = tmp_path / "run.py"
    target.write_text("old\n")
    target.chmod(0o755)
    write_plan(make_plan(tmp_path, {"run.py": "new\n"}, force=True))
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o755


def test_second_replace_failing_leaves_the_project_as_it_was(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """All or nothing: the first file is already in place when the second fails."""
    (tmp_path / "src/demo").mkdir(parents=True)
    (tmp_path / "src/demo/worker.py").write_text("# the user's old worker\n")
    before = snapshot(tmp_path)
    plan = make_plan(tmp_path, FILES, force=True)
    assert [f.status for f in plan.files] == ["overwrite", "create", "create"]

    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(source: Any, target: Any) -> None:
        calls.append(str(target))
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    with pytest.raises(CancelgenError) as caught:
        write_plan(plan)
    assert len(calls) == 2  # the first file had really been replaced
    assert caught.value.message == (
        "cannot write tests/test_worker.py: No space left on device; nothing was changed"
    )
    assert snapshot(tmp_path) == before  # old content back, new folders gone


def test_failure_while_writing_temp_files_changes_nothing(
    tmp_path: Path, monkeypatch: Any
) -> None:
    before = snapshot(tmp_path)
    plan = make_plan(tmp_path, FILES)
    real_mkstemp = write.tempfile.mkstemp
    count = 0

    def failing_mkstemp(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        if count == 2:
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(write.tempfile, "mkstemp", failing_mkstemp)
    with pytest.raises(CancelgenError, match="Permission denied; nothing was changed"):
        write_plan(plan)
    assert snapshot(tmp_path) == before


def test_parent_that_is_a_file_is_refused_before_writing(tmp_path: Path) -> None:
    (tmp_path / "src").write_text("not a folder\n")
    with pytest.raises(CancelgenError, match="is a file, not a folder"):
        make_plan(tmp_path, FILES)


# ----------------------------------------------------------------- deletions
# None in a plan's files deletes the file (cancelgen moves its own pristine
# copies to new names this way: see cancelgen.project.records).

OLD_COPY = ".cancelgen/pristine/src/demo/worker.py"


def with_old_copy(root: Path) -> Path:
    copy = root / OLD_COPY
    copy.parent.mkdir(parents=True)
    copy.write_text("# what cancelgen wrote\n")
    return copy


def test_a_file_to_delete_is_planned_only_if_it_exists(tmp_path: Path) -> None:
    with_old_copy(tmp_path)
    plan = make_plan(tmp_path, {OLD_COPY: None, ".cancelgen/gone.py": None})
    assert [(f.path, f.status) for f in plan.files] == [(OLD_COPY, "delete")]
    assert plan.to_write == plan.files
    assert unified_diff(plan) == (
        f"--- a/{OLD_COPY}\n+++ /dev/null\n@@ -1 +0,0 @@\n-# what cancelgen wrote\n"
    )


def test_write_deletes_and_writes_together(tmp_path: Path) -> None:
    copy = with_old_copy(tmp_path)
    files = {f"{OLD_COPY}.pristine": "# what cancelgen wrote\n", OLD_COPY: None}
    written = write_plan(make_plan(tmp_path, files))
    assert [f.status for f in written] == ["create", "delete"]
    assert not copy.exists()
    assert sorted(p.name for p in copy.parent.iterdir()) == ["worker.py.pristine"]


@pytest.mark.parametrize("failing", [1, 2, 3])
def test_a_failing_write_puts_a_deleted_file_back(
    tmp_path: Path, monkeypatch: Any, failing: int
) -> None:
    """Whichever replace fails (before, at or after the deletion), the
    project is as it was: the deleted file back with its bytes."""
    with_old_copy(tmp_path)
    before = snapshot(tmp_path)
    files = {"src/demo/new.py": "# new\n", OLD_COPY: None, "tests/new.py": "# new\n"}
    plan = make_plan(tmp_path, files)
    assert [f.status for f in plan.files] == ["create", "delete", "create"]
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(source: Any, target: Any) -> None:
        calls.append(str(target))
        if len(calls) == failing:
            raise OSError(28, "No space left on device")
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    with pytest.raises(CancelgenError, match="nothing was changed"):
        write_plan(plan)
    assert snapshot(tmp_path) == before


def test_a_deleted_file_goes_back_even_if_moving_it_back_fails(
    tmp_path: Path, monkeypatch: Any
) -> None:
    with_old_copy(tmp_path)
    before = snapshot(tmp_path)
    plan = make_plan(tmp_path, {OLD_COPY: None, "tests/new.py": "# new\n"})
    real_replace = os.replace
    calls: list[str] = []

    def failing_replace(source: Any, target: Any) -> None:
        calls.append(str(target))
        if len(calls) > 1:  # the write after the deletion, and the move back
            raise OSError(5, "Input/output error")
        real_replace(source, target)

    monkeypatch.setattr(write.os, "replace", failing_replace)
    with pytest.raises(CancelgenError, match="nothing was changed"):
        write_plan(plan)
    assert len(calls) == 3
    assert snapshot(tmp_path) == before


def test_a_symbolic_link_or_folder_is_never_deleted(tmp_path: Path) -> None:
    (tmp_path / "elsewhere.py").write_text("# not cancelgen's\n")
    (tmp_path / "link.py").symlink_to(tmp_path / "elsewhere.py")
    (tmp_path / "folder.py").mkdir()
    for path, why in (
        ("link.py", "it is a symbolic link"),
        ("folder.py", "it is a folder"),
    ):
        with pytest.raises(CancelgenError) as caught:
            make_plan(tmp_path, {path: None})
        assert caught.value.message.startswith(f"cannot delete {path}: {why}")


def test_a_deletion_through_a_link_out_of_the_project_is_refused(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "worker.py").write_text("# someone else's\n")
    root = tmp_path / "project"
    (root / ".cancelgen").mkdir(parents=True)
    (root / ".cancelgen/pristine").symlink_to(outside)
    with pytest.raises(UsageError) as caught:
        make_plan(root, {".cancelgen/pristine/worker.py": None})
    assert caught.value.message.startswith("refusing to delete .cancelgen/pristine/")
    assert (outside / "worker.py").exists()
