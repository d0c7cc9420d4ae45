"""The width generated comments and docstrings are wrapped to, as detected."""

from __future__ import annotations

from pathlib import Path

import pytest

from cancelgen.project.detect import find_project
from tests.cli_support import make_project

PROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
FLAKE8_HOOK = (
    "repos:\n- repo: https://github.com/PyCQA/flake8\n  rev: 7.1.0\n"
    "  hooks:\n  - id: flake8\n"
)


@pytest.mark.parametrize(
    ("files", "width"),
    [
        ({}, 88),
        ({"pyproject.toml": "[tool.black]\nline-length = 79\n"}, 79),
        ({"pyproject.toml": "[tool.black]\nline-length = 100\n"}, 100),
        ({"pyproject.toml": "[tool.ruff]\nline-length = 79\n"}, 79),
        ({"ruff.toml": "line-length = 120\n"}, 120),
        # flake8 runs, unconfigured: its default 79 under black's 88.
        ({".pre-commit-config.yaml": FLAKE8_HOOK}, 79),
        ({"requirements-dev.txt": "flake8==7.1.0\n"}, 79),
        ({"setup.cfg": "[flake8]\nmax-line-length = 88\n"}, 88),
        ({"tox.ini": "[flake8]\nmax_line_length = 100\n"}, 88),
        ({"setup.cfg": "[flake8]\nextend-ignore = E203, E501\n"}, 88),
        ({"setup.cfg": "[flake8]\nignore = E5\nmax-doc-length = 72\n"}, 72),
        (
            {
                "pyproject.toml": (
                    "[tool.ruff]\nline-length = 100\n"
                    "[tool.ruff.lint.pycodestyle]\nmax-doc-length = 80\n"
                )
            },
            80,
        ),
        # ruff configures only linting: black formats, ruff's limit applies.
        (
            {
                "pyproject.toml": (
                    "[tool.black]\n[tool.ruff.lint.pycodestyle]\n"
                    "max-line-length = 79\n"
                )
            },
            79,
        ),
    ],
    ids=[
        "nothing",
        "black 79",
        "black 100",
        "ruff 79",
        "ruff.toml 120",
        "flake8 hook",
        "flake8 requirement",
        "flake8 88",
        "flake8 100 under black 88",
        "flake8 ignores E501",
        "flake8 doc length",
        "ruff doc length",
        "ruff lint under black",
    ],
)
def test_comment_width(tmp_path: Path, files: dict[str, str], width: int) -> None:
    root = make_project(tmp_path / "p", PROJECT + files.pop("pyproject.toml", ""))
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    project = find_project(root)
    assert project.tools.comment_width(project.black.line_length) == width


BLACK_HOOK = (
    "repos:\n- repo: https://github.com/psf/black\n  rev: 24.8.0\n"
    "  hooks:\n  - id: black\n    args: [{}]\n"
)


@pytest.mark.parametrize(
    ("files", "width", "skip_strings", "notice"),
    [
        # Nothing says black runs; flake8 does, at 79: black writes for it.
        ({".flake8": "[flake8]\nexclude = build\n"}, 79, False, "at 79"),
        ({"setup.cfg": "[flake8]\nmax-line-length = 100\n"}, 88, False, ""),
        ({"tox.ini": "[flake8]\nmax-line-length = 72\n"}, 72, False, "at 72"),
        # The project runs black: its settings, not flake8's, decide.
        (
            {"pyproject.toml": "[tool.black]\n", ".flake8": "[flake8]\n"},
            88,
            False,
            "",
        ),
        # Its hook's arguments are its settings (over [tool.black]).
        (
            {".pre-commit-config.yaml": BLACK_HOOK.format('"-l", "79", "-S"')},
            79,
            True,
            "",
        ),
        (
            {
                ".pre-commit-config.yaml": BLACK_HOOK.format("--line-length=100"),
                "pyproject.toml": "[tool.black]\nline-length = 79\n",
            },
            100,
            False,
            "",
        ),
    ],
    ids=[
        "flake8 default",
        "flake8 wider",
        "flake8 72",
        "tool.black wins",
        "hook -l 79 -S",
        "hook over table",
    ],
)
def test_blacks_line_length(
    tmp_path: Path,
    files: dict[str, str],
    width: int,
    skip_strings: bool,
    notice: str,
) -> None:
    root = make_project(tmp_path / "p", PROJECT + files.pop("pyproject.toml", ""))
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    project = find_project(root)
    assert project.black.line_length == width
    assert project.black.skip_string_normalization is skip_strings
    described = project.tools.describe()
    if notice:
        assert f"detected black ({notice}, flake8's" in described or (
            f"detected black ({notice}, max-line-length" in described
        ), described
    else:
        assert "detected black (at" not in described


@pytest.mark.parametrize(
    "files",
    [
        {"requirements-dev.txt": "black==24.8.0\nflake8\n"},
        {"setup.cfg": "[isort]\nprofile = black\n[flake8]\n"},
        {
            "pyproject.toml": '[tool.isort]\nprofile = "black"\n',
            ".flake8": "[flake8]\n",
        },
    ],
    ids=["black required", "isort profile in setup.cfg", "isort profile in pyproject"],
)
def test_a_project_that_runs_black_keeps_blacks_default(
    tmp_path: Path, files: dict[str, str]
) -> None:
    """Black at 88 and flake8 at 79 both run there: black's width is the judge
    of the code (the project's own code passes both somehow)."""
    root = make_project(tmp_path / "p", PROJECT + files.pop("pyproject.toml", ""))
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    assert find_project(root).black.line_length == 88
