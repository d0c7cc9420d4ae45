"""The README tells the truth: its example, tables and commands come from the
code, and its quick-start command works on a fresh copy of the project."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from cancelgen.catalog import PATTERNS, RESOURCES, RULES
from cancelgen.format import format_source
from cancelgen.render import render_module
from cancelgen.spec import WorkerSpec
from tests.generated import run
from tests.readme_blocks import check_block
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


def test_rules_section_matches_the_catalog() -> None:
    for rule, text in RULES.items():
        assert f"- **{rule}.** {text}" in README


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


def test_testing_section_counts_are_true() -> None:
    import tomllib

    from tests.generated import combination_specs

    cases = tomllib.loads((ROOT / "tests" / "cases" / "mutations.toml").read_text())
    mutants = sum(case["sites"] for case in cases["case"])
    assert (
        f"{len(cases['case'])} cases, {mutants} mutants, kill rate 100 % for the\n"
        "  example tests and 100 % for the sweep alone"
    ) in README
    assert f"{len(combination_specs())} workers generated into one project" in README


def test_testing_section_counts_of_the_ci_sample_are_true() -> None:
    from tests.matrix import sample_matrix
    from tests.test_mutations import every_mutant, sampled_mutants

    assert f"{len(sample_matrix().specs)} workers in one project" in README
    sample = f"({len(sampled_mutants())} of the {len(every_mutant())} mutants;"
    assert sample in README


@pytest.mark.slow
def test_readme_shows_what_the_sweep_says(tmp_path: Path, update_golden: bool) -> None:
    """The cancel sweep's failure for the user edit of tests/sweep_demo.py."""
    said = what_the_sweep_says(edited_project(tmp_path))
    check_block("sweep-failure", f"```text\n{said}```\n", update_golden)
