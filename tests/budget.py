"""How much of each product the suite runs: a sample by default, all of it with ``--full``.

CI runs ``pytest -n 2`` and must stay within its time budget, so the suites
over large products (generated combinations x interpreters, mutants x sites,
black settings x names, stability copies) run a deterministic sample in which
every kind of check still runs: pairwise over the factors, seeded with the rows
that must always be there. ``pytest --full`` runs every instance, as the suite
did before it was sampled; run it before resolving an issue.

The switch is read once, by ``tests/conftest.py`` (``pytest_configure``), before
any test module is imported, so a module can size its parametrisation with
:func:`full` at import time; every xdist worker gets the same flag.
"""

from __future__ import annotations

OPTION = "--full"
"""The command-line switch (``pytest --full``)."""

_full = False


def set_full(value: bool) -> None:
    """Record the switch; called by ``tests/conftest.py`` only."""
    global _full
    _full = value


def full() -> bool:
    """Whether this run covers every instance of every product (``pytest --full``)."""
    return _full


def scope() -> str:
    """A few words for reports: which of the two runs this is."""
    return "full product" if _full else f"CI sample (all of it: pytest {OPTION})"
