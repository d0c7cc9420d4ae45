"""``cancelgen snippet`` and ``cancelgen gallery`` through the real CLI app."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.core.catalog import BACKENDS, PATTERNS
from cancelgen.docs.snippets import GALLERY, gallery_page, snippet
from tests import budget
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
        (["snippet", "shield", "--backend", "asynco"], "unknown backend 'asynco'"),
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


def test_snippet_and_gallery_take_the_backend(tmp_path: Path) -> None:
    [shield] = [page for page in GALLERY if page.slug == "shield"]
    # The gallery renders every page: the CI sample takes the default backend
    # and one other (both AnyIO and Trio pass the same switch); --full all.
    for backend in BACKENDS if budget.full() else ("asyncio", "trio"):
        result = runner.invoke(app, ["snippet", "shield", "--backend", backend])
        assert result.exit_code == 0, result.output
        assert result.stdout == snippet(["shield"], backend=backend)
        out = tmp_path / backend
        result = runner.invoke(app, ["gallery", str(out), "--backend", backend])
        assert result.exit_code == 0, result.output
        page = (out / "shield.md").read_text()
        assert page == gallery_page(shield, "md", backend)
        if backend != "asyncio":
            assert f"Backend: `{backend}`" in page and f"--backend {backend}" in page


def test_gallery_with_an_unknown_backend_creates_nothing(tmp_path: Path) -> None:
    result = runner.invoke(app, ["gallery", str(tmp_path / "g"), "--backend", "x"])
    assert result.exit_code == 2
    assert "unknown backend 'x'" in result.output
    assert not (tmp_path / "g").exists()


@pytest.mark.parametrize("backend", ["anyio", "trio"])
def test_a_snippet_in_another_backend_is_that_backend_s_code(backend: str) -> None:
    text = snippet(["shield", "timeout"], ["lock"], "py", backend=backend)
    assert f"import {backend}" in text and "import asyncio" not in text
    explained = snippet(["shield"], explain=True, backend=backend)
    assert PATTERNS["shield"].idiom(backend).instead in " ".join(explained.split())


def test_gallery_into_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("")
    result = runner.invoke(app, ["gallery", str(blocker)])
    assert result.exit_code == 1
    assert f"cannot create {blocker}" in result.output


@pytest.mark.slow
def test_cli_import_does_not_load_jinja_or_black() -> None:
    code = "import sys, cancelgen.cli; print(sorted({'jinja2', 'black'} & set(sys.modules)))"
    result = run([sys.executable, "-c", code], Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
