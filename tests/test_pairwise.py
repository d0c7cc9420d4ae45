"""The pairwise sampler covers every pair, is stable, and stays small."""

from __future__ import annotations

import itertools

import pytest

from tests.pairwise import all_pairs, pairs_of, pairwise

FACTORS = {
    "flavour": ["a", "b", "c", "d", "e", "f", "g"],
    "python": ["3.11", "3.12", "3.13"],
    **{f"switch{index}": [False, True] for index in range(14)},
}


def covered(rows: list[dict[str, object]], names: list[str]) -> set[object]:
    return set().union(*(pairs_of(row, names) for row in rows))


def test_every_pair_is_covered() -> None:
    rows = pairwise(FACTORS)
    assert covered(rows, list(FACTORS)) == all_pairs(FACTORS)
    assert all(set(row) == set(FACTORS) for row in rows)


def test_the_sample_is_far_smaller_than_the_product() -> None:
    rows = pairwise(FACTORS)
    product = 7 * 3 * 2**14
    # At least 7 * 3 rows are needed for the first two factors' pairs alone.
    assert 21 <= len(rows) <= 40 < product


def test_the_sample_is_the_same_every_time() -> None:
    assert pairwise(FACTORS) == pairwise(dict(FACTORS))


def test_seed_rows_come_first_and_count() -> None:
    seed = {name: values[-1] for name, values in FACTORS.items()}
    rows = pairwise(FACTORS, [seed])
    assert rows[0] == seed
    assert covered(rows, list(FACTORS)) == all_pairs(FACTORS)


def test_a_small_product_is_covered_exactly() -> None:
    factors = {"x": [1, 2], "y": [1, 2], "z": [1, 2]}
    rows = pairwise(factors)
    assert covered(rows, list(factors)) == all_pairs(factors)
    assert len(rows) <= len(list(itertools.product(*factors.values())))


def test_an_empty_factor_is_refused() -> None:
    with pytest.raises(ValueError, match="'y' has no values"):
        pairwise({"x": [1], "y": []})


def no_switch_on(row: dict[str, object]) -> bool:
    """Forbidden: the first three switches all present and all off."""
    names = ["switch0", "switch1", "switch2"]
    return all(name in row for name in names) and not any(row[n] for n in names)


def test_forbidden_rows_are_never_returned_and_every_allowed_pair_is_covered() -> None:
    rows = pairwise(FACTORS, forbidden=no_switch_on)
    assert not any(no_switch_on(row) for row in rows)
    assert covered(rows, list(FACTORS)) == all_pairs(FACTORS)


def test_a_pair_forbidden_on_its_own_is_not_required() -> None:
    factors = {"x": [1, 2], "y": [1, 2]}
    rows = pairwise(factors, forbidden=lambda row: row.get("x") == row.get("y") == 2)
    assert covered(rows, ["x", "y"]) == all_pairs(factors) - {(("x", 2), ("y", 2))}


def test_a_forbidden_seed_row_is_refused() -> None:
    with pytest.raises(ValueError, match="is forbidden"):
        pairwise({"x": [1, 2]}, [{"x": 2}], forbidden=lambda row: row.get("x") == 2)
