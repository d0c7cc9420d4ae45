"""The lint rules page shows the rules generated code is exempt from, as tests/lint_rules.py has them."""

from __future__ import annotations

from tests.lint_rules import RUFF_IGNORED, TEST_IGNORED
from tests.readme_blocks import DOCS, check_block, rst_table


def test_lint_rules_page_lists_every_ignored_rule(update_golden: bool) -> None:
    rows = [
        (f"`{rule.code}`", rule.files, rule.why)
        for rule in (*RUFF_IGNORED, *TEST_IGNORED)
    ]
    table = rst_table(("rule", "where", "why"), rows)
    check_block("lint-ignores", table, update_golden, DOCS / "lint-rules.rst")


def test_no_rule_is_ignored_twice() -> None:
    codes = [rule.code for rule in (*RUFF_IGNORED, *TEST_IGNORED)]
    assert len(codes) == len(set(codes))
