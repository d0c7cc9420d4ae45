"""ruff's shipped output (cancelgen/project/shipped_ruff.py) is what ruff writes.

In a project at ruff's defaults, a first ``cancelgen new`` of a default
worker takes ruff's output from the shipped table, renamed to the worker's
name and package. Each test compares what ``new`` writes so with what it
writes when the table answers nothing and ruff runs on every file.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cancelgen.core import format_ruff
from cancelgen.core.cache.name_free import PLACEHOLDER
from cancelgen.core.catalog import BACKENDS
from cancelgen.project import shipped_ruff
from tests.shipped_support import (
    RUFF_LAYOUTS,
    RUFF_PROJECT,
    new_worker,
    ruff_project,
    skip_unless_the_table_answers,
)


@pytest.fixture(autouse=True)
def _cold(monkeypatch: pytest.MonkeyPatch) -> None:
    skip_unless_the_table_answers()
    monkeypatch.setenv("CANCELGEN_NO_CACHE", "1")
    shipped_ruff._configuration.cache_clear()


@pytest.fixture
def ruff_starts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The files ruff starts on (one entry per ruff process)."""
    started: list[str] = []
    real = format_ruff._start

    def counted(
        binary: str, stages: list[list[str]], path: Path, *rest: object
    ) -> None:
        started.extend(str(path) for _ in stages)
        real(binary, stages, path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(format_ruff, "_start", counted)
    yield started


def rufffed(root: Path, name: str, backend: str, *options: str) -> dict[str, str]:
    """What ``new`` writes in a copy of ``root`` when ruff runs on every file."""
    copy = root.with_name(f"{root.name}-ruff")
    shutil.copytree(root, copy)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(shipped_ruff, "fitted", lambda *arguments: {})
        patch.setattr(shipped_ruff, "expected", lambda *arguments: False)
        return new_worker(copy, name, backend, *options)


def _project(tmp_path: Path, layout: str, package: str, floor: str = "3.11") -> Path:
    root = ruff_project(tmp_path, layout, floor)
    if package != "qzqpkg":
        default = root / RUFF_LAYOUTS[layout]
        default.rename(default.with_name(package))
        text = (root / "pyproject.toml").read_text()
        (root / "pyproject.toml").write_text(text.replace("qzqpkg", package))
    return root


@pytest.mark.parametrize("layout", list(RUFF_LAYOUTS))
@pytest.mark.parametrize("backend", list(BACKENDS))
def test_a_cold_default_worker_starts_no_ruff(
    tmp_path: Path, backend: str, layout: str, ruff_starts: list[str]
) -> None:
    root = _project(tmp_path, layout, "shop")
    expected = rufffed(root, "sync_orders", backend)
    assert ruff_starts, "ruff ran for the comparison"
    ruff_starts.clear()
    assert new_worker(root, "sync_orders", backend) == expected
    assert ruff_starts == []


NAMES = [
    ("a", "p"),
    ("zz_top", "aaa"),
    ("worker", "zzzz_jobs"),
    # Long enough that a renamed row no longer fits: ruff runs on that file.
    ("x" * 60, "demo"),
    ("orders", "a" * 40),
]


@pytest.mark.parametrize(("name", "package"), NAMES)
def test_renamed_answers_are_what_ruff_writes(
    tmp_path: Path, name: str, package: str, ruff_starts: list[str]
) -> None:
    root = _project(tmp_path, "src", package)
    expected = rufffed(root, name, "asyncio")
    ruff_starts.clear()
    assert new_worker(root, name, "asyncio") == expected
    if len(name) < 20 and len(package) < 20:
        assert ruff_starts == []


@pytest.mark.parametrize("floor", ["3.11", "3.12", "3.13"])
@pytest.mark.parametrize("backend", list(BACKENDS))
def test_every_floor_in_the_range_gets_the_same_output(
    tmp_path: Path, backend: str, floor: str, ruff_starts: list[str]
) -> None:
    """The key holds the floors 3.11 to 3.13 as one: ruff writes the same.
    (Not for 3.14, where ruff drops the parentheses of ``except (A, B):``.)"""
    oldest = rufffed(_project(tmp_path / "oldest", "src", "shop"), "w", backend)
    root = _project(tmp_path, "src", "shop", floor)
    assert rufffed(root, "w", backend) == oldest
    ruff_starts.clear()
    assert new_worker(root, "w", backend) == oldest
    assert ruff_starts == []


@pytest.mark.parametrize(
    "shadow",
    [
        "src/pytest/__init__.py",  # a first-party pytest: sorted elsewhere
        "anyio.py",
        "src/_cancelgen_anyio.py",
        "src/shop/__init__.pyi",
    ],
)
def test_what_the_disk_changes_misses(
    tmp_path: Path, shadow: str, ruff_starts: list[str]
) -> None:
    root = _project(tmp_path, "src", "shop")
    (root / shadow).parent.mkdir(parents=True, exist_ok=True)
    (root / shadow).write_text("")
    expected = rufffed(root, "sync_orders", "anyio")
    ruff_starts.clear()
    assert new_worker(root, "sync_orders", "anyio") == expected
    assert ruff_starts, f"answered from the table with {shadow}"


def test_a_package_named_as_a_module_the_worker_imports_misses(
    tmp_path: Path, ruff_starts: list[str]
) -> None:
    root = _project(tmp_path, "src", "anyio")
    expected = rufffed(root, "sync_orders", "anyio")
    ruff_starts.clear()
    assert new_worker(root, "sync_orders", "anyio") == expected
    assert ruff_starts


@pytest.mark.parametrize(
    ("extra", "answered"),
    [
        ("", True),
        ("line-length = 88\n", True),
        ('[tool.ruff.format]\nquote-style = "double"\n', True),
        ("line-length = 100\n", False),
        ('[tool.ruff.format]\nquote-style = "single"\n', False),
        ('[tool.ruff.lint]\nselect = ["E", "F", "I"]\n', False),
        ('target-version = "py312"\n', False),
        ('extend = "other.toml"\n', False),
        ("line-length = 88.0\n", False),
    ],
)
def test_only_ruffs_defaults_are_answered(
    tmp_path: Path, extra: str, answered: bool
) -> None:
    root = ruff_project(tmp_path, "src")
    (root / "pyproject.toml").write_text(RUFF_PROJECT.format(floor="3.11") + extra)
    assert (shipped_ruff.configuration(root) is not None) is answered


@pytest.mark.parametrize(
    "change",
    [
        "ruff.toml",
        ".ruff.toml",
        "__init__.py",
        "no floor",
        "floor 3.14",
        "env",
        # cancelgen's floor is 3.11 here, but ruff targets the lowest bound, 3.8
        ">=3.8,!=3.8.*,!=3.9.*,!=3.10.*",
        ">=3.11,>=3.8",
        "requires_python too",  # ruff refuses the two spellings together
    ],
)
def test_other_configurations_are_not_answered(
    tmp_path: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = ruff_project(tmp_path, "src")
    assert shipped_ruff.configuration(root) is not None
    shipped_ruff._configuration.cache_clear()
    pyproject = root / "pyproject.toml"
    if change == "no floor":
        pyproject.write_text(pyproject.read_text().replace("requires-python", "x"))
    elif change == "floor 3.14":
        pyproject.write_text(pyproject.read_text().replace("3.11", "3.14"))
    elif change == "env":
        monkeypatch.setenv("RUFF_OUTPUT_FORMAT", "concise")
    elif change.startswith(">="):
        pyproject.write_text(pyproject.read_text().replace(">=3.11", change))
    elif change == "requires_python too":
        text = pyproject.read_text()
        pyproject.write_text(
            text.replace("[tool.ruff]", 'requires_python = ">=3.11"\n\n[tool.ruff]')
        )
    else:
        (root / change).write_text("")
    assert shipped_ruff.configuration(root) is None


def test_another_ruff_is_not_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ruff_starts: list[str]
) -> None:
    root = _project(tmp_path, "src", "shop")
    monkeypatch.setattr(format_ruff, "bundled_version", lambda: "0.0.1")
    new_worker(root, "sync_orders", "asyncio")
    assert len(ruff_starts) == 8


def test_a_name_beside_other_imports_cannot_be_renamed() -> None:
    alone = f"import os\n\nfrom {PLACEHOLDER}pkg import {PLACEHOLDER}\n\nx = 1\n"
    assert shipped_ruff.rows_to_fit(alone) == [2]
    beside = f"import os\n\nfrom aaa import b\nfrom {PLACEHOLDER}pkg import c\n"
    assert shipped_ruff.rows_to_fit(beside) is None
    too_long = f"x = {PLACEHOLDER}({'1, ' * 30}1)  # noqa: E501\n"
    assert shipped_ruff.rows_to_fit(too_long) is None


def test_shipped_answers_are_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ruff_starts: list[str]
) -> None:
    """With the cache on, the table's answers go into ruff's cache: the next
    project with the same files reads them there, not the table."""
    monkeypatch.delenv("CANCELGEN_NO_CACHE")
    monkeypatch.setenv("CANCELGEN_CACHE_DIR", str(tmp_path / "cache"))
    first = new_worker(_project(tmp_path / "first", "src", "shop"), "orders", "trio")
    asked: list[object] = []
    monkeypatch.setattr(shipped_ruff, "fitted", lambda *given: asked.append(given))
    second = new_worker(_project(tmp_path / "second", "src", "shop"), "orders", "trio")
    assert second == first
    assert ruff_starts == []
    assert asked == []
