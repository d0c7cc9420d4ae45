"""The ``cancelgen.sphinx`` directive, in real Sphinx runs (our own site: tests/test_docs_site.py)."""

from __future__ import annotations

import html
import re
import sys
import textwrap
from pathlib import Path

import pytest

from tests.generated import run

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


def build(source: Path, out: Path) -> tuple[int, str]:
    """``python -m sphinx -W -b html source out``: its exit code and its messages."""
    result = run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-E",
            "-b",
            "html",
            str(source),
            str(out),
        ],
        ROOT,
        timeout=300,
        env={"PYTHONPATH": str(ROOT)},
    )
    return result.returncode, result.stdout + result.stderr


def page_text(path: Path) -> str:
    """The visible text of an HTML page: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def small_project(root: Path, body: str) -> Path:
    root.mkdir()
    (root / "conf.py").write_text(
        'project = "demo"\nextensions = ["cancelgen.sphinx"]\n'
    )
    (root / "index.rst").write_text("Demo\n====\n\n" + textwrap.dedent(body))
    return root


def test_directive_renders_the_snippet_in_a_real_build(tmp_path: Path) -> None:
    source = small_project(
        tmp_path / "src",
        """\
        .. cancelgen:: shield timeout
           :resources: lock, queue
           :with-tests:
           :explain:
        """,
    )
    code, messages = build(source, tmp_path / "html")
    assert code == 0, messages
    raw = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    text = page_text(tmp_path / "html" / "index.html")
    assert 'class="highlight-python' in raw, "the code is not highlighted as Python"
    for expected in (
        "async def commit_shielded(",  # the shield pattern's generated code
        "async with asyncio.timeout(steps.timeout_s):",  # timeout
        'self.queue.put_nowait("job 1")',  # the queue resource's demo setup
        "asyncio.run(main())",  # the demo
        "def test_shielded_commit_finishes_before_cancel_propagates",  # :with-tests:
        "# WRONG: cancelled here",  # :explain: the mistake, marked
        "R10: ",  # :explain: the rules
    ):
        assert expected in text, expected
    assert 'class="admonition-title">Wrong (shield)' in raw


def test_pages_with_the_directive_depend_on_the_templates(tmp_path: Path) -> None:
    """An incremental build re-reads a page when a template it renders changes."""
    import pickle

    from cancelgen.core.render import templates_dir

    source = small_project(tmp_path / "src", ".. cancelgen:: cleanup\n")
    code, messages = build(source, tmp_path / "html")
    assert code == 0, messages
    pickled = tmp_path / "html" / ".doctrees" / "environment.pickle"
    with pickled.open("rb") as stream:
        environment = pickle.load(stream)  # our own build's output
    depends = {
        Path(source, name).resolve() for name in environment.dependencies["index"]
    }
    worker = (templates_dir() / "worker.py.jinja").resolve()
    fragment = (templates_dir() / "asyncio" / "patterns" / "cleanup.py.jinja").resolve()
    assert {worker, fragment} <= depends


def test_directive_reports_a_bad_pattern_as_a_build_error(tmp_path: Path) -> None:
    source = small_project(tmp_path / "src", ".. cancelgen:: shild\n")
    code, messages = build(source, tmp_path / "html")
    assert code != 0
    assert "cancelgen: unknown pattern 'shild' (did you mean 'shield'?)" in messages


def test_directive_reports_a_bad_backend_as_a_build_error(tmp_path: Path) -> None:
    source = small_project(
        tmp_path / "src", ".. cancelgen:: shield\n   :backend: gevent\n"
    )
    code, messages = build(source, tmp_path / "html")
    assert code != 0
    assert "cancelgen: unknown backend 'gevent'; choose from:" in messages


def test_directive_renders_the_backend_it_names(tmp_path: Path) -> None:
    source = small_project(
        tmp_path / "src",
        """\
        .. cancelgen:: shield timeout
           :backend: trio
           :explain:
        """,
    )
    code, messages = build(source, tmp_path / "html")
    assert code == 0, messages
    text = page_text(tmp_path / "html" / "index.html")
    assert "with trio.fail_after(steps.commit_timeout_s, shield=True):" in text
    assert "trio.run(main)" in text
    assert "import asyncio" not in text
    assert "shield: in trio" in text
