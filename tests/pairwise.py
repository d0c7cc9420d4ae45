"""Pairwise (all-pairs) sampling of a product of factors, for the CI matrix.

The full product of backends, test styles, pattern sets, resources and Python
versions is too large to run on every push; every *pair* of factor values is
not. ``pairwise`` returns rows (one value per factor) such that for any two
factors, every combination of their values appears in some row. The greedy
construction is deterministic, so CI runs the same sample every time and a
failure names a row that can be run again.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable, Mapping, Sequence

Row = dict[str, Hashable]
Pair = tuple[tuple[str, Hashable], tuple[str, Hashable]]


def all_pairs(factors: Mapping[str, Sequence[Hashable]]) -> set[Pair]:
    """Every pair of values of two different factors."""
    names = list(factors)
    return {
        ((first, a), (second, b))
        for first, second in itertools.combinations(names, 2)
        for a in factors[first]
        for b in factors[second]
    }


def pairs_of(row: Mapping[str, Hashable], names: Sequence[str]) -> set[Pair]:
    """The pairs one (possibly partial) row covers, in ``names`` order."""
    present = [name for name in names if name in row]
    return {
        ((first, row[first]), (second, row[second]))
        for first, second in itertools.combinations(present, 2)
    }


def pairwise(
    factors: Mapping[str, Sequence[Hashable]],
    seed_rows: Sequence[Row] = (),
    forbidden: Callable[[Row], bool] = lambda row: False,
) -> list[Row]:
    """Rows that cover every pair of values of ``factors`` at least once.

    ``seed_rows`` come first and count towards the coverage (rows the matrix
    must hold anyway). Each new row starts from the first pair still missing
    and fills every other factor with the value that covers the most missing
    pairs (ties: the factor's first such value), so the result is stable.

    ``forbidden(row)`` says a row, possibly partial, cannot be run (say, no
    pattern at all): for a partial row it must be True exactly when no
    completion of it can run, so the greedy fill never gets stuck. No row
    returned is forbidden, and a pair forbidden on its own is not required.
    """
    names = list(factors)
    for name, values in factors.items():
        if not values:
            raise ValueError(f"factor {name!r} has no values")
    missing = {pair for pair in all_pairs(factors) if not forbidden(dict(pair))}
    rows: list[Row] = []
    for seed in seed_rows:
        row = {name: seed[name] for name in names}
        if forbidden(row):
            raise ValueError(f"seed row {row!r} is forbidden")
        rows.append(row)
        missing -= pairs_of(row, names)
    while missing:
        (first, a), (second, b) = min(missing, key=lambda pair: _order(pair, factors))
        row: Row = {first: a, second: b}
        for name in names:
            if name in row:
                continue
            allowed = [v for v in factors[name] if not forbidden({**row, name: v})]
            if not allowed:
                raise ValueError(f"no value of {name!r} completes the row {row!r}")
            row[name] = max(
                allowed,
                key=lambda value: (
                    len(pairs_of({**row, name: value}, names) & missing),
                    -list(factors[name]).index(value),
                ),
            )
        ordered = {name: row[name] for name in names}
        rows.append(ordered)
        missing -= pairs_of(ordered, names)
    return rows


def _order(pair: Pair, factors: Mapping[str, Sequence[Hashable]]) -> tuple[int, ...]:
    """A total order on pairs: factor positions, then value positions."""
    names = list(factors)
    (first, a), (second, b) = pair
    return (
        names.index(first),
        names.index(second),
        list(factors[first]).index(a),
        list(factors[second]).index(b),
    )
