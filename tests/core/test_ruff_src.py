"""ruff's ``src`` folders read from the configuration agree with ruff's own answer.

:func:`cancelgen.core.format_ruff.default_src_roots` answers without starting
ruff only where the configuration leaves ``src`` at ruff's default; each
layout here is also asked of ruff (``ruff check --show-settings``), and the two
must agree. Where it cannot be sure, it must say so (None) and leave it to ruff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cancelgen.core import format_ruff
from cancelgen.core.format_ruff import (
    RUFF_ENV,
    default_src_roots,
    ruff_binary,
    src_roots,
)

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\n'

# {file relative to the project root: text}; the probe is tests/ (or tests/unit).
ANSWERED = {
    "[tool.ruff] in pyproject.toml": {
        "pyproject.toml": PYPROJECT + "\n[tool.ruff]\nline-length = 120\n"
    },
    "empty [tool.ruff.lint]": {
        "pyproject.toml": PYPROJECT + "\n[tool.ruff.lint]\nselect = ['I']\n"
    },
    "ruff.toml": {"pyproject.toml": PYPROJECT, "ruff.toml": "line-length = 100\n"},
    ".ruff.toml beside [tool.ruff]": {
        "pyproject.toml": PYPROJECT + "\n[tool.ruff]\nline-length = 120\n",
        ".ruff.toml": "indent-width = 4\n",
    },
}
UNSURE = {
    "src set": {"pyproject.toml": PYPROJECT + '\n[tool.ruff]\nsrc = ["src/demo"]\n'},
    "extend": {"ruff.toml": 'extend = "../base.toml"\n'},
    "configuration in the tests folder": {
        "pyproject.toml": PYPROJECT + "\n[tool.ruff]\nline-length = 120\n",
        "tests/ruff.toml": 'src = ["tests"]\n',
    },
    "no ruff configuration (a hook only)": {"pyproject.toml": PYPROJECT},
    "broken TOML": {"ruff.toml": "line-length = \n"},
}


def make(root: Path, files: dict[str, str], probe: str) -> Path:
    """The project ``files`` at ``root`` with a test file in ``probe``."""
    for name, text in {**files, f"{probe}/test_a.py": "import os\n"}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "src" / "demo").mkdir(parents=True)
    return root / probe


@pytest.mark.parametrize("probe", ["tests", "tests/unit"])
@pytest.mark.parametrize("layout", ANSWERED)
def test_read_where_ruff_would_answer_the_same(
    tmp_path: Path, layout: str, probe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(RUFF_ENV, raising=False)
    tests = make(tmp_path, ANSWERED[layout], probe)
    read = default_src_roots(tmp_path, tests)
    assert read is not None
    assert read == src_roots(tmp_path, tests) == src_roots(tmp_path, tmp_path)


@pytest.mark.parametrize("layout", UNSURE)
def test_left_to_ruff_where_not_sure(
    tmp_path: Path, layout: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(RUFF_ENV, raising=False)
    assert default_src_roots(tmp_path, make(tmp_path, UNSURE[layout], "tests")) is None


def test_left_to_another_ruff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tests = make(tmp_path, ANSWERED["ruff.toml"], "tests")
    monkeypatch.delenv(RUFF_ENV, raising=False)
    assert default_src_roots(tmp_path, tests) is not None
    monkeypatch.setenv(RUFF_ENV, "/some/other/ruff")
    assert default_src_roots(tmp_path, tests) is None


def test_the_binary_is_the_one_find_ruff_bin_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Found beside the environment's Python without ``sysconfig``, it is the
    binary the ruff package itself would run."""
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    monkeypatch.delenv(RUFF_ENV, raising=False)
    assert ruff_binary() == str(find_ruff_bin())
    monkeypatch.setenv(RUFF_ENV, "/opt/ruff")
    assert ruff_binary() == "/opt/ruff"


def test_the_shortcut_is_taken_only_in_a_virtual_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "base_prefix", sys.prefix)
    assert format_ruff._in_virtual_environment() is None
    monkeypatch.undo()
    monkeypatch.setattr(sys, "platform", "win32")
    assert format_ruff._in_virtual_environment() is None
