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


def form(case: dict[str, Any]) -> tuple[str, bool]:
    """A case's backend and form (whether it mutates the support module)."""
    return (case.get("backend", "asyncio"), case.get("support_module", False))


def sampled_mutants() -> list[tuple[dict[str, Any], int]]:
    """CI's mutants: each operator once, at the first site of its smallest case
    (fewest patterns and resources; the first such in the file), in the
    backend and form used least so far (in catalog order of the operators), so
    the backends take turns and each backend's sample mutates both forms' code.
    """

    def size(case: dict[str, Any]) -> int:
        return len(case["patterns"]) + len(case.get("resources", []))

    smallest: dict[tuple[str, tuple[str, bool]], dict[str, Any]] = {}
    for case in CASES:
        key = (case["operator"], form(case))
        if key not in smallest or size(case) < size(smallest[key]):
            smallest[key] = case
    backends = sorted({backend for _, (backend, _) in smallest})
    used_backends = dict.fromkeys(backends, 0)
    used_forms: dict[tuple[str, bool], int] = {}
    chosen = set()
    for operator in OPERATORS:
        forms = [f for op, f in smallest if op == operator]
        if not forms:
            continue
        pick = min(
            forms,
            key=lambda f: (
                used_backends[f[0]],
                used_forms.get(f, 0),
                backends.index(f[0]),
                f[1],
            ),
        )
        used_backends[pick[0]] += 1
        used_forms[pick] = used_forms.get(pick, 0) + 1
        chosen.add(id(smallest[(operator, pick)]))
    return [(case, 0) for case in CASES if id(case) in chosen]
