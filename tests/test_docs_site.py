"""Our docs site: built by a real Sphinx run with -W -n, every internal link resolves,
and the generated pages (CLI reference, rules, patterns, gallery) say what the code says.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import typer.main

from cancelgen.cli import app
from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES, RULES
from cancelgen.docs.rule_sources import SOURCES
from cancelgen.docs.snippets import GALLERY
from tests.generated import built_once, run
from tests.html_links import broken_links, internal_links

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def build_site(tmp: Path) -> None:
    """Build the docs from a copy of docs/ (the build writes the gallery into it)
    into ``tmp/html``."""
    docs = tmp / "docs"
    shutil.copytree(
        ROOT / "docs", docs, ignore=shutil.ignore_patterns("_build", "gallery")
    )
    # -j auto gains nothing on 2 cores (about 4 s either way): one process.
    argv = [sys.executable, "-m", "sphinx", "-W", "-n", "-q", "-E"]
    started = time.perf_counter()
    result = run(
        [*argv, "-b", "html", str(docs), str(tmp / "html")],
        ROOT,
        timeout=300,
        env={"PYTHONPATH": str(ROOT)},
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stdout + result.stderr
    # Warnings are errors with -W; this catches anything Sphinx still prints.
    assert "WARNING" not in result.stderr, result.stderr
    print(f"docs build: {seconds:.1f} s")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site, once per run for every xdist worker."""
    return built_once(tmp_path_factory, "docs", build_site) / "html"


def page_text(path: Path) -> str:
    """The visible text of an HTML page: tags dropped, entities decoded, spaces collapsed."""
    raw = re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8"))
    return " ".join(html.unescape(raw).split())


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    links = internal_links(site)
    assert sum(len(found) for found in links.values()) > 500  # the checker saw them
    assert broken_links(site) == []


def test_the_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(
        '<a id="top" href="#top">ok</a><a href="other.html#nowhere">x</a>'
        '<a href="missing.html">y</a><a href="https://example.org/">z</a>'
    )
    (tmp_path / "other.html").write_text('<p id="here">other</p>')
    assert broken_links(tmp_path) == [
        "index.html: other.html#nowhere (no id 'nowhere')",
        f"index.html: missing.html (no file {tmp_path.resolve() / 'missing.html'})",
    ]


def _commands(command: Any, path: list[str]) -> list[tuple[list[str], Any]]:
    """Every visible command of the click tree, with its path, found by attribute."""
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        if not sub.hidden:
            found += _commands(sub, [*path, name])
    return found


def test_cli_reference_is_what_help_prints(site: Path) -> None:
    raw = (site / "reference" / "cli.html").read_text(encoding="utf-8")
    text = page_text(site / "reference" / "cli.html")
    commands = _commands(typer.main.get_command(app), ["cancelgen"])
    assert len(commands) >= 9
    for path, command in commands:
        assert f'id="cli-{"-".join(path)}"' in raw, path
        ctx = command.context_class(
            command, info_name=path[-1], **command.context_settings
        )
        for param in command.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            declaration, help_text = record
            assert declaration in text, (path, declaration)
            assert " ".join(help_text.split()) in text, (path, help_text)
        first_line = (command.help or "").split("\n")[0].replace("`", "")
        assert first_line in text, path


def test_rules_page_has_every_rule_its_followers_and_sources(site: Path) -> None:
    raw = (site / "reference" / "rules.html").read_text(encoding="utf-8")
    text = page_text(site / "reference" / "rules.html")
    for rule, wording in RULES.items():
        assert f'id="rule-{rule.lower()}"' in raw, rule
        assert wording.replace("`", "") in text, rule
        for source in SOURCES[rule]:
            assert f'href="{html.escape(source.url)}"' in raw, source
    for name in PATTERNS:
        assert f'href="patterns.html#pattern-{name}"' in raw, name


def test_patterns_page_links_each_pattern_to_its_gallery_page(site: Path) -> None:
    raw = (site / "reference" / "patterns.html").read_text(encoding="utf-8")
    for name in PATTERNS:
        assert f'id="pattern-{name}"' in raw, name
        assert f'href="../gallery/{name}.html"' in raw, name
    for name in RESOURCES:
        assert f'id="resource-{name}"' in raw, name
    for rule in RULES:
        if any(rule in pattern.rules for pattern in PATTERNS.values()):
            assert f'href="rules.html#rule-{rule.lower()}"' in raw, rule


def test_backends_page_shows_the_backend_column(site: Path) -> None:
    """Every pattern's and resource's idiom in every backend, and what differs."""
    raw = (site / "backends.html").read_text(encoding="utf-8")
    text = page_text(site / "backends.html")
    for entry in [*PATTERNS.values(), *RESOURCES.values()]:
        kind = "pattern" if entry.name in PATTERNS else "resource"
        assert f'href="reference/patterns.html#{kind}-{entry.name}"' in raw
        for backend in BACKENDS:
            idiom = entry.idiom(backend)
            assert " ".join(idiom.code.replace("`", "").split()) in text
            if idiom.instead:
                assert " ".join(idiom.instead.split()) in text


def test_gallery_pages_show_code_tests_and_mistakes(site: Path) -> None:
    for page in GALLERY:
        text = page_text(site / "gallery" / f"{page.slug}.html")
        assert "asyncio.run(main())" in text and "# WRONG" in text, page.slug
        assert "async def test_" in text, page.slug
    shield = (site / "gallery" / "shield.html").read_text(encoding="utf-8")
    for rule in PATTERNS["shield"].rules:
        assert f'href="../reference/rules.html#rule-{rule.lower()}"' in shield, rule
    index = (site / "gallery" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{page.slug}.html"' in index for page in GALLERY)
    assert "async def commit_shielded(" in page_text(site / "index.html")


def test_troubleshooting_page_shows_every_row(site: Path) -> None:
    raw = (site / "troubleshooting.html").read_text(encoding="utf-8")
    table = raw[raw.index("<table") : raw.index("</table>")]
    source = (ROOT / "docs" / "troubleshooting.rst").read_text(encoding="utf-8")
    assert table.count("<tr") == source.count("   * - ") > 50
