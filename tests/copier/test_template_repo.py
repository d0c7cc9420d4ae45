"""The local git repository that versions cancelgen's copier template for init/update."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cancelgen import __version__
from cancelgen.copier.template_repo import copier_template_root, record_template
from cancelgen.errors import CancelgenError


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CANCELGEN_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def template_copy(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(copier_template_root() / "copier.yml", folder / "copier.yml")
    shutil.copytree(copier_template_root() / "templates", folder / "templates")
    return folder


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_recording_is_idempotent_and_new_content_gets_a_newer_tag(
    data_dir: Path, tmp_path: Path
) -> None:
    source = template_copy(tmp_path / "source")
    repo, first = record_template(source)
    assert repo == data_dir / "template"
    assert first == f"v{__version__}"
    assert record_template(source) == (repo, first)
    assert git(repo, "rev-list", "--count", "HEAD") == "1"

    fragment = source / "templates" / "asyncio" / "patterns" / "cleanup.py.jinja"
    fragment.write_text(fragment.read_text() + "{# changed #}\n")
    _, second = record_template(source)
    assert second == f"v{__version__}+1"
    # The first content keeps its tag; nothing new is committed for it.
    fragment.write_text(fragment.read_text().replace("{# changed #}\n", ""))
    assert record_template(source)[1] == first
    assert git(repo, "rev-list", "--count", "HEAD") == "2"
    assert git(repo, "status", "--porcelain") == ""  # copier gets a clean template
    assert git(repo, "show", f"{first}:copier.yml") == (
        (source / "copier.yml").read_text().strip()
    )


def test_an_unwritable_data_dir_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("CANCELGEN_DATA_DIR", str(blocker / "data"))
    with pytest.raises(CancelgenError, match="cannot record the template in"):
        record_template(copier_template_root())
