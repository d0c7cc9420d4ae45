"""The test modules cancelgen writes stay small enough to review (issue 19).

The engine (``_cancelgen_<backend>.py``) is written once per tests folder; what
a pull request that adds a worker asks a reviewer to read is the worker's own
test module. Measured on the golden cases that are the CLI's default worker and
the all-patterns worker (every pattern and resource), per backend, formatted as
a black project gets them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_golden import rendered, spec_of

DEFAULT = ["default", "anyio-default", "trio-default"]
EVERYTHING = ["everything", "anyio-everything", "trio-everything"]

DEFAULT_TARGET = 250
"""Issue 19's target for the default worker's test module, per backend."""

EVERYTHING_TARGET = 600
"""Issue 19's target for the all-patterns worker's test module, per backend."""


def lines_of(case: str) -> int:
    """The line count of the test module rendered for golden ``case``."""
    spec = spec_of(case)
    return rendered(case)[Path(spec.test_path).name].count("\n")


@pytest.mark.parametrize("case", DEFAULT)
def test_default_worker_test_module_is_at_most_250_lines(case: str) -> None:
    assert lines_of(case) <= DEFAULT_TARGET


@pytest.mark.parametrize("case", EVERYTHING)
def test_all_patterns_worker_test_module_is_at_most_600_lines(case: str) -> None:
    assert lines_of(case) <= EVERYTHING_TARGET
