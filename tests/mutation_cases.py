"""The mutation cases (``tests/cases/mutations.toml``) and CI's sample of their mutants.

Read by the mutation suite, by the kill-rate report of ``conftest.py`` and by
the docs' count checks, so all of them count the same mutants.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tests.mutations import OPERATORS

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "cases" / "mutations.toml").read_text()
)["case"]
"""Each case: an operator, the spec it mutates, how many sites it has, its killers."""


def every_mutant() -> list[tuple[dict[str, Any], int]]:
    """Each site of each case: the full run's mutants."""
    return [(case, site) for case in CASES for site in range(case["sites"])]


def operator_key(case: dict[str, Any]) -> tuple[str, str]:
    """What CI's sample runs once: an operator, for a backend."""
    return (case.get("backend", "asyncio"), case["operator"])


def sampled_mutants() -> list[tuple[dict[str, Any], int]]:
    """CI's mutants: each operator once per backend, at the first site of its
    smallest case (fewest patterns and resources; the first such in the file).

    An operator that also has support-module cases runs in that form instead
    for every other operator (in catalog order), so each backend's sample
    mutates both forms' code."""

    def size(case: dict[str, Any]) -> int:
        return len(case["patterns"]) + len(case.get("resources", []))

    smallest: dict[tuple[str, str, bool], dict[str, Any]] = {}
    for case in CASES:
        key = (*operator_key(case), case.get("support_module", False))
        if key not in smallest or size(case) < size(smallest[key]):
            smallest[key] = case
    order = list(OPERATORS)
    chosen = set()
    for (backend, operator, support), case in smallest.items():
        prefer_support = order.index(operator) % 2 == 1
        if (
            support == prefer_support
            or (backend, operator, not support) not in smallest
        ):
            chosen.add(id(case))
    return [(case, 0) for case in CASES if id(case) in chosen]
