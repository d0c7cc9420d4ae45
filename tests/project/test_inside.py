"""Writes (and reads of cancelgen's own files) stay inside the project.

The refusals of ``new``, ``upgrade`` and ``init`` through a folder that is a
symbolic link out of the project are rows of tests/cases/bad_input.toml; here
are the rules themselves, links that stay inside, and what the table cannot
set up (adopting through a link, a link to a link, a loop).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.errors import UsageError
from cancelgen.project.inside import check_inside, escape
from cancelgen.project.write import make_plan, write_plan
from tests.cli_support import MINIMAL_PYPROJECT, make_project, snapshot

runner = CliRunner()


pytestmark = pytest.mark.usefixtures("private_cache")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project at tmp_path/project, with tmp_path/outside next to it."""
    (tmp_path / "outside").mkdir()
    return make_project(tmp_path / "project").resolve()


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


# ------------------------------------------------------------------ the rule


def test_a_folder_linked_out_is_named_with_where_it_leads(root: Path) -> None:
    (root / "src/link").symlink_to(root.parent / "outside")
    assert escape(root, "src/link/w.py") == (
        f"src/link is a symbolic link to {root.parent / 'outside'}, outside the "
        f"project {root}"
    )
    with pytest.raises(UsageError, match=r"^refusing to write src/link/w.py: "):
        check_inside(root, "src/link/w.py")


def test_links_that_stay_inside_are_followed(root: Path) -> None:
    (root / "src/link").symlink_to(root / "src/demo")
    (root / "alias").symlink_to("src")  # relative, to a folder with links in it
    assert escape(root, "src/link/w.py") is None
    assert escape(root, "alias/link/w.py", last=True) is None


def test_a_link_to_a_link_out_is_named_at_the_first(root: Path) -> None:
    (root / "src/hop").symlink_to(root.parent / "outside")
    (root / "src/link").symlink_to(root / "src/hop")
    assert escape(root, "src/link/w.py") == (
        f"src/link is a symbolic link to {root.parent / 'outside'}, outside the "
        f"project {root}"
    )


def test_a_dangling_link_out_and_a_loop_are_refused(root: Path) -> None:
    (root / "src/gone").symlink_to(root.parent / "no-such-folder")
    assert escape(root, "src/gone/w.py") == (
        f"src/gone is a symbolic link to {root.parent / 'no-such-folder'}, "
        f"outside the project {root}"
    )
    (root / "src/a").symlink_to(root / "src/b")
    (root / "src/b").symlink_to(root / "src/a")
    why = escape(root, "src/a/w.py")
    assert why is not None and why.startswith("src/a is a symbolic link")


def test_the_file_itself_is_followed_only_when_asked(root: Path) -> None:
    (root.parent / "outside/w.py").write_text("theirs\n")
    (root / "src/demo/w.py").symlink_to(root.parent / "outside/w.py")
    assert escape(root, "src/demo/w.py") is None  # make_plan refuses it itself
    assert escape(root, "src/demo/w.py", last=True) is not None


# ------------------------------------------------------------------ the plan


def test_a_plan_through_a_link_out_is_refused_before_anything(root: Path) -> None:
    (root / "src/link").symlink_to(root.parent / "outside")
    before = snapshot(root.parent)
    files = {"src/demo/ok.py": "x\n", "src/link/deep/w.py": "x\n"}
    with pytest.raises(UsageError, match="src/link is a symbolic link to "):
        make_plan(root, files)
    assert snapshot(root.parent) == before


def test_a_plan_through_a_link_inside_writes_in_the_real_folder(root: Path) -> None:
    (root / "src/link").symlink_to(root / "src/demo")
    write_plan(make_plan(root, {"src/link/w.py": "x\n"}))
    assert (root / "src/demo/w.py").read_text() == "x\n"


# ------------------------------------------------------------------- the CLI


def test_new_into_a_package_dir_linked_inside_works(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (root / "src/link").symlink_to(root / "src/demo")
    monkeypatch.chdir(root)
    result = invoke("new", "worker", "w", "--package-dir", "src/link")
    assert result.exit_code == 0, result.output
    assert (root / "src/demo/w.py").is_file()
    assert list((root.parent / "outside").iterdir()) == []


def test_the_answers_file_is_not_written_through_a_link(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It goes with the run's plan: written with the files, or not at all."""
    (root / ".cancelgen").mkdir()
    (root.parent / "outside/answers.toml").write_text("# theirs\n")
    (root / ".cancelgen/answers.toml").symlink_to(root.parent / "outside/answers.toml")
    monkeypatch.chdir(root)
    before = snapshot(root.parent)
    result = invoke("new", "worker")
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "cancelgen: error: cannot write .cancelgen/answers.toml: it is a symbolic "
        "link, which cancelgen does not write through; remove it or choose another "
        "name\n"
    )
    assert snapshot(root.parent) == before


def test_adopting_through_a_link_out_is_refused(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    assert invoke("new", "worker").exit_code == 0
    # The worker now lives outside, reached through src/link: the project's
    # own package folder, as [tool.cancelgen] says.
    (root / "src/demo/worker.py").rename(root.parent / "outside/worker.py")
    (root / "src/link").symlink_to(root.parent / "outside")
    (root / "pyproject.toml").write_text(
        MINIMAL_PYPROJECT + '[tool.cancelgen]\npackage-dir = "src/link"\n'
    )
    for path in sorted((root / ".cancelgen/records").rglob("*.json")):
        path.unlink()
    before = snapshot(root.parent)
    for target in ("worker", "src/link/worker.py"):
        result = invoke("upgrade", target, "--adopt", "--yes")
        assert result.exit_code == 2, result.output
        assert len(result.stderr.splitlines()) == 1
        assert snapshot(root.parent) == before
    assert result.stderr == (
        f"cancelgen: error: src/link/worker.py is not inside the project {root}\n"
    )
    result = invoke("upgrade", "worker", "--adopt", "--yes")
    assert result.stderr == (
        "cancelgen: error: refusing to read src/link/worker.py: src/link is a "
        f"symbolic link to {root.parent / 'outside'}, outside the project {root}\n"
    )
