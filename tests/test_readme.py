"""The README tells the truth: its example, tables and commands come from the
code, its quick-start command works on a fresh copy of the project, it stays
short, and its links lead somewhere. The pages that took over its long sections
are checked here too: docs/testing.rst (its counts) and docs/sweep.rst (the
sweep's failure)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.core.catalog import PATTERNS, RESOURCES, RULES
from cancelgen.core.format import format_source
from cancelgen.core.render import render_module
from cancelgen.core.spec import WorkerSpec
from tests.cli_support import make_project
from tests.generated import run
from tests.readme_blocks import check_block, rst_code
from tests.sweep_demo import edited_project, what_the_sweep_says

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def marked_command(marker: str) -> str:
    """The one bash command between ``<!-- marker -->`` and ``<!-- /marker -->``."""
    block = re.search(
        rf"<!-- {marker} -->\n```bash\n(.*?)\n```\n<!-- /{marker} -->", README, re.S
    )
    assert block, f"no {marker} block in README.md"
    return block.group(1)


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    command = marked_command("test-command")
    assert "\n" not in command
    printed = subprocess.run(
        ["bash", str(ROOT / ".ci" / "run"), "--print-command"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert printed == command + "\n"


def test_readme_example_is_the_generated_default_worker(update_golden: bool) -> None:
    module = format_source(render_module(WorkerSpec()))
    check_block("default-worker", f"```python\n{module}```\n", update_golden)


def test_pattern_and_resource_tables_match_the_catalog() -> None:
    for pattern in PATTERNS.values():
        assert (
            f"| `{pattern.name}` | {pattern.summary} | {', '.join(pattern.rules)} |"
            in README
        )
    for resource in RESOURCES.values():
        assert (
            f"| `{resource.name}` | {resource.summary} | {', '.join(resource.rules)} |"
            in README
        )


def test_readme_is_at_most_250_lines() -> None:
    assert README.count("\n") <= 250


def section(title: str) -> str:
    """The text of the README's section ``## title``, up to the next one."""
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.S | re.M)
    assert found, f"no section {title!r} in README.md"
    return found.group(1)


def test_why_names_four_mistakes_each_linked_to_its_rule() -> None:
    items = re.findall(r"^\d\. (.*?)(?=^\d\. |^$)", section("Why"), re.S | re.M)
    assert len(items) == 4
    for item in items:
        rules = re.findall(r"\]\(docs/reference/rules\.rst#rule-r(\d+)\)", item)
        assert rules, item
        assert all(f"R{number}" in RULES for number in rules), item
    assert f"[{len(RULES)} rules](docs/reference/rules.rst)" in section("Why")


def rst_anchors(page: Path) -> set[str]:
    """The anchors a built page has for its labels and titles (Sphinx's ids)."""
    text = page.read_text(encoding="utf-8")
    labels = set(re.findall(r"^\.\. _([\w-]+):$", text, re.M))
    titles = re.findall(r"^(.+)\n[=~^-]{3,}$", text, re.M)
    slugs = {re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") for title in titles}
    return labels | slugs


def test_readme_links_lead_to_files_and_anchors_that_exist() -> None:
    links = re.findall(r"\]\(([^)]+)\)", README)
    local = [link for link in links if "://" not in link]
    assert len(local) > 20
    for link in local:
        path, _, anchor = link.partition("#")
        target = ROOT / path
        assert target.is_file(), link
        if not anchor:
            continue
        if path == "docs/reference/rules.rst":
            # The rules page is generated from the catalog: rule-r1, rule-r2...
            assert anchor.removeprefix("rule-r").isdigit(), link
            assert f"R{anchor.removeprefix('rule-r')}" in RULES, link
        else:
            assert anchor in rst_anchors(target), link


def test_the_three_ways_each_run_as_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command of the "Four ways" table parses; new and snippet also run."""
    commands = re.findall(r"^\| [^|]+ \| `cancelgen ([^`]+)` \|", README, re.M)
    assert [argv.split()[0] for argv in commands] == ["new", "new", "init", "snippet"]
    root = make_project(tmp_path / "project")
    # The coroutine the 'new test' row sweeps.
    (root / "src/shop").mkdir()
    (root / "src/shop/__init__.py").write_text("")
    (root / "src/shop/orders.py").write_text(
        "import asyncio\n\n\nasync def sync_orders() -> None:\n"
        "    await asyncio.sleep(0)\n"
    )
    monkeypatch.chdir(root)
    monkeypatch.setenv("CANCELGEN_CACHE_DIR", str(tmp_path / "cache"))
    for command in commands:
        argv = shlex.split(command)
        group = typer.main.get_command(app)
        with group.make_context("cancelgen", list(argv), resilient_parsing=True) as ctx:
            name, sub, rest = group.resolve_command(ctx, argv)  # type: ignore[attr-defined]
            assert sub is not None and name == argv[0]
            sub.make_context(name, rest, parent=ctx)  # the options parse
        if argv[0] != "init":  # copier and git: tests/copier/test_copier.py runs init
            result = CliRunner().invoke(app, argv)
            assert result.exit_code == 0, result.output
    assert (root / "src/demo/sync_orders.py").is_file()
    assert (root / "tests/test_sync_orders_sweep.py").is_file()


@pytest.mark.slow
def test_quick_start_command_works_on_a_fresh_copy(tmp_path: Path) -> None:
    """Run the README's first command in a copy of the tracked files, as a new user would."""
    copy = tmp_path / "cancelgen"
    tracked = (
        subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, tracked):
        source = ROOT / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    result = run(["bash", "-euc", marked_command("run-command")], copy, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    # The CLI reports each file it wrote; both must exist in the demo project.
    written = re.findall(r"created\s+(\S*worker\.py)", output)
    assert len(written) == 2, output


def how_it_is_tested() -> str:
    """docs/testing.rst (how cancelgen is tested), its lines joined by spaces."""
    return " ".join((ROOT / "docs" / "testing.rst").read_text(encoding="utf-8").split())


def test_testing_section_counts_are_true() -> None:
    from tests.generated import combination_specs
    from tests.mutation_cases import CASES, every_mutant

    page = how_it_is_tested()
    assert (
        f"{len(CASES)} cases, {len(every_mutant())} mutants, kill rate 100 % for the "
        "example tests and 100 % for the sweep alone"
    ) in page
    assert f"{len(combination_specs())} workers generated into one project" in page


def test_testing_section_counts_of_the_ci_sample_are_true() -> None:
    from tests.matrix import sample_matrix
    from tests.mutation_cases import every_mutant, sampled_mutants

    page = how_it_is_tested()
    assert f"{len(sample_matrix().specs)} workers in one project" in page
    sample = f"({len(sampled_mutants())} of the {len(every_mutant())} mutants;"
    assert sample in page


@pytest.mark.slow
def test_sweep_page_shows_what_the_sweep_says(
    tmp_path: Path, update_golden: bool
) -> None:
    """The cancel sweep's failure for the user edit of tests/sweep_demo.py."""
    said = what_the_sweep_says(edited_project(tmp_path))
    page = ROOT / "docs" / "sweep.rst"
    check_block("sweep-failure", rst_code("text", said), update_golden, page)
