"""The ``cancelgen`` fence for MkDocs: parsing, rendering, and real ``mkdocs build --strict`` runs."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cancelgen.docs.mkdocs import Fence, fence_html, fence_markdown, parse_fence
from cancelgen.docs.snippets import snippet
from cancelgen.errors import UsageError
from tests.generated import run
from tests.html_links import broken_links

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "examples" / "mkdocs-site"
ENV = {"PYTHONPATH": str(ROOT), "NO_MKDOCS_2_WARNING": "1"}

GOOD = [
    ("patterns: shield", Fence(("shield",))),
    (
        "patterns: shield timeout\nresources: lock\ntests: true",
        Fence(("shield", "timeout"), ("lock",), tests=True),
    ),
    (
        "patterns: [cleanup, exit-stack]\nresources: lock, queue\nexplain: yes",
        Fence(("cleanup", "exit-stack"), ("lock", "queue"), explain=True),
    ),
    ("patterns: cleanup\nformat: py", Fence(("cleanup",), format="py")),
    ("patterns: cleanup\nbackend: asyncio", Fence(("cleanup",), backend="asyncio")),
]

BAD = [
    ("", "the fence needs 'patterns: NAME...'"),
    ("resources: lock", "the fence needs 'patterns: NAME...'"),
    ("patterns: shild", "unknown pattern 'shild' (did you mean 'shield'?)"),
    (
        "patterns: shield\nresources: lok",
        "unknown resource 'lok' (did you mean 'lock'?)",
    ),
    ("patterns: shield\ntest: true", "unknown key 'test' (did you mean 'tests'?)"),
    ("patterns: shield\ntests: maybe", "tests must be true or false, got 'maybe'"),
    ("patterns: shield\nformat: rst", "unknown format 'rst'; choose from: md, py"),
    ("patterns: 5", "patterns must be names, got 5"),
    ("- shield", "the fence holds 'key: value' lines"),
    ("patterns: [shield", "the fence is not 'key: value' lines"),
    ("patterns: shield\nformat: py\ntests: true", "tests: true needs format: md"),
    ("patterns: shield\nbackend: gevent", "unknown backend 'gevent'; choose from:"),
    ("patterns: shield\nbackend: [trio]", "backend must be a name, got ['trio']"),
]


@pytest.mark.parametrize(("source", "expected"), GOOD)
def test_fence_keys(source: str, expected: Fence) -> None:
    assert parse_fence(source) == expected


@pytest.mark.parametrize(("source", "message"), BAD)
def test_a_bad_fence_is_one_usage_error(source: str, message: str) -> None:
    with pytest.raises(UsageError) as raised:
        fence_markdown(source)
    assert message in raised.value.message
    assert "\n" not in raised.value.message


def test_fence_renders_what_cancelgen_snippet_prints() -> None:
    fence = "patterns: shield timeout\nresources: lock\ntests: true\nexplain: true"
    assert fence_markdown(fence) == snippet(
        ["shield", "timeout"], ["lock"], "md", with_tests=True, explain=True
    )
    plain = snippet(["cleanup"], fmt="py")
    assert fence_markdown("patterns: cleanup\nformat: py") == f"```python\n{plain}```\n"


def test_a_fence_renders_the_backend_it_names() -> None:
    fence = "patterns: shield\nbackend: trio\nexplain: true"
    assert fence_markdown(fence) == snippet(["shield"], explain=True, backend="trio")


def test_fence_html_without_a_highlighter_escapes_the_code() -> None:
    page = fence_html("patterns: timeout", "cancelgen-snippet")
    assert page.startswith('<div class="cancelgen-snippet">')
    code = re.search(r'<code class="language-python">(.*?)</code>', page, re.S)
    assert code is not None
    assert html.unescape(code.group(1)) == snippet(["timeout"], fmt="py").rstrip("\n")


def test_importing_cancelgen_imports_no_mkdocs_markdown_or_pymdownx() -> None:
    code = (
        "import sys, cancelgen, cancelgen.cli, cancelgen.mkdocs, cancelgen.docs.snippets; "
        "print(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('mkdocs', 'markdown', 'pymdownx', 'material')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


def build(site: Path, out: Path) -> tuple[int, str, float]:
    """``mkdocs build --strict`` of ``site`` into ``out``: exit code, messages, seconds."""
    started = time.perf_counter()
    result = run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        site,
        timeout=300,
        env=ENV,
    )
    return (
        result.returncode,
        result.stdout + result.stderr,
        time.perf_counter() - started,
    )


def page_text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


@pytest.mark.slow
def test_example_site_builds_strict_with_the_generated_code(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("site"))
    code, messages, seconds = build(site, tmp_path / "html")
    assert code == 0, messages
    print(f"mkdocs build: {seconds:.1f} s")
    index = tmp_path / "html" / "index.html"
    shield = tmp_path / "html" / "shield" / "index.html"
    assert "async def worker(" in page_text(index)
    text = page_text(shield)
    for expected in (
        "async def commit_shielded(",  # the shield pattern's generated code
        "async with asyncio.timeout(steps.timeout_s):",  # timeout
        "asyncio.run(main())",  # the demo
        "def test_shielded_commit_finishes_before_cancel_propagates",  # tests: true
        "# WRONG: cancelled here",  # explain: true
        "R10: ",
    ):
        assert expected in text, expected
    raw = shield.read_text(encoding="utf-8")
    assert raw.count('<div class="cancelgen-snippet">') == 1
    # Highlighted by the site's own highlighter, as its ```python fences are.
    assert raw.count('<div class="highlight"><pre>') >= 4
    assert '<span class="k">async</span>' in raw
    assert broken_links(tmp_path / "html") == []


@pytest.mark.slow
def test_a_bad_fence_fails_the_build_naming_the_page(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(SITE, site, ignore=shutil.ignore_patterns("site"))
    (site / "docs" / "typo.md").write_text(
        "# Typo\n\n```cancelgen\npatterns: shild timeout\n```\n", encoding="utf-8"
    )
    code, messages, _ = build(site, tmp_path / "html")
    assert code != 0
    assert (
        "Error reading page 'typo.md': cancelgen fence: unknown pattern 'shild' "
        "(did you mean 'shield'?)" in messages
    ), messages
    assert "Traceback" not in messages
