"""``cancelgen snippet`` and ``cancelgen gallery`` through the real CLI app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.snippets import GALLERY, snippet
from tests.generated import run

runner = CliRunner()


def test_snippet_prints_the_md_example() -> None:
    result = runner.invoke(app, ["snippet", "shield", "--format", "md"])
    assert result.exit_code == 0, result.output
    assert result.stdout == snippet(["shield"], fmt="md")


def test_snippet_takes_resources_repeated_or_comma_separated() -> None:
    result = runner.invoke(
        app,
        [
            "snippet",
            "timeout",
            "cleanup",
            "-r",
            "lock,queue",
            "-r",
            "task",
            "-f",
            "rst",
        ],
    )
    assert result.exit_code == 0, result.output
    expected = snippet(["timeout", "cleanup"], ["lock", "queue", "task"], fmt="rst")
    assert result.stdout == expected


def test_snippet_flags_reach_the_output() -> None:
    result = runner.invoke(
        app, ["snippet", "exit-stack", "--with-tests", "--explain", "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == snippet(["exit-stack"], with_tests=True, explain=True)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snippet", "shild"], "unknown pattern 'shild' (did you mean 'shield'?)"),
        (["snippet", "shield", "-r", "lok"], "unknown resource 'lok'"),
        (["snippet", "shield", "--format", "html"], "unknown format 'html'"),
        (["snippet", "shield", "--format", "py", "--with-tests"], "--with-tests needs"),
        (["gallery", "out", "--format", "py"], "unknown format 'py'"),
    ],
)
def test_bad_input_is_one_line_with_exit_code_2(argv: list[str], message: str) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_gallery_writes_the_pages(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gallery", str(tmp_path / "g"), "--format", "rst"])
    assert result.exit_code == 0, result.output
    assert f"wrote {len(GALLERY) + 1} pages" in result.stdout
    assert (tmp_path / "g" / "index.rst").is_file()
    assert (tmp_path / "g" / "shield-timeout.rst").is_file()


def test_gallery_into_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("")
    result = runner.invoke(app, ["gallery", str(blocker)])
    assert result.exit_code == 1
    assert f"cannot create {blocker}" in result.output


@pytest.mark.slow
def test_cli_import_does_not_load_jinja_or_black() -> None:
    code = "import sys, cancelgen.cli; print(sorted({'jinja2', 'black'} & set(sys.modules)))"
    result = run([sys.executable, "-c", code], Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
