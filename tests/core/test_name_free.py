"""Renamed black output is exactly black's output, and it is used when it can be.

``cancelgen.core.cache.name_free`` skips black for a new name by renaming black's output for
a placeholder. These tests compare the two for every pattern set, each resource,
several black settings and names from one letter to the longest allowed, and
check the renaming is actually used for everyday names.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import replace
from pathlib import Path

import pytest

from cancelgen.core import cache
from cancelgen.core import format as formatting
from cancelgen.core import render as rendering
from cancelgen.core.cache.name_free import (
    PACKAGE_PLACEHOLDER,
    PLACEHOLDER,
    placeholder_spec,
    rows_to_fit,
    split_call,
)
from cancelgen.core.catalog import PATTERNS, RESOURCES
from cancelgen.core.format import BlackSettings
from cancelgen.core.render import render
from cancelgen.core.spec import WorkerSpec
from tests import budget
from tests.matrix import unrunnable
from tests.pairwise import all_pairs, pairs_of, pairwise

NAMES = [
    "w",
    "sync_orders",
    "a1_b2_c3",
    "fetch_and_store_every_order_in_the_warehouse_db",
    "n" * 100,
]
SETTINGS = [
    BlackSettings(),
    BlackSettings(line_length=60),
    BlackSettings(line_length=120, skip_magic_trailing_comma=True),
    BlackSettings(skip_string_normalization=True),
]


def specs() -> list[WorkerSpec]:
    """Every pattern set, each resource with exit-stack, everything at once."""
    chosen = [
        WorkerSpec.create(patterns=list(combo))
        for size in range(1, len(PATTERNS) + 1)
        for combo in itertools.combinations(PATTERNS, size)
    ]
    chosen += [
        WorkerSpec.create(patterns=["cleanup", "exit-stack"], resources=[name])
        for name in RESOURCES
    ]
    chosen.append(
        WorkerSpec.create(
            patterns=list(PATTERNS),
            resources=list(RESOURCES),
            test_style="pytest-asyncio",
            package_dir="src/shop",
            package_import="shop",
        )
    )
    return chosen


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CANCELGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CANCELGEN_NO_CACHE", raising=False)
    return tmp_path / "cache"


def named(spec: WorkerSpec, name: str) -> WorkerSpec:
    return replace(spec, name=name)


def full_cases() -> list[tuple[BlackSettings, list[WorkerSpec]]]:
    """(settings, named specs) in chunks small enough to spread over xdist
    workers: every spec with the default settings, one in six and the richest
    with the others; names take turns in each chunk."""
    every = specs()
    chunks = [(SETTINGS[0], every[start::4]) for start in range(4)]
    chunks += [(settings, every[::6] + every[-3:]) for settings in SETTINGS[1:]]
    return [
        (
            settings,
            [named(spec, NAMES[i % len(NAMES)]) for i, spec in enumerate(chosen)],
        )
        for settings, chosen in chunks
    ]


# The richest spec's layout in the full product: a test style and a package of
# its own.
LAYOUTS: dict[str, dict[str, str]] = {
    "plain": {},
    "shop": {
        "test_style": "pytest-asyncio",
        "package_dir": "src/shop",
        "package_import": "shop",
    },
}


def sample_factors() -> dict[str, list[Hashable]]:
    """CI's factors: black settings, name, layout, each pattern and resource on or off."""
    return {
        "settings": list(range(len(SETTINGS))),
        "name": list(range(len(NAMES))),
        "layout": list(LAYOUTS),
        **{f"pattern:{name}": [False, True] for name in PATTERNS},
        **{f"resource:{name}": [False, True] for name in RESOURCES},
    }


def sample_cases() -> list[tuple[BlackSettings, list[WorkerSpec]]]:
    """CI's pairwise sample of the same check, one chunk per black setting;
    the first row is the richest spec with the longest name."""
    factors = sample_factors()
    richest = {name: values[-1] for name, values in factors.items()}
    rows = pairwise(factors, [{**richest, "settings": 0}], forbidden=unrunnable)
    return [
        (
            settings,
            [
                WorkerSpec.create(
                    name=NAMES[int(str(row["name"]))],
                    patterns=[p for p in PATTERNS if row[f"pattern:{p}"]],
                    resources=[r for r in RESOURCES if row[f"resource:{r}"]],
                    **LAYOUTS[str(row["layout"])],
                )
                for row in rows
                if row["settings"] == index
            ],
        )
        for index, settings in enumerate(SETTINGS)
    ]


def cases() -> list[object]:
    """The full product with ``pytest --full``, else CI's sample."""
    chunks = full_cases() if budget.full() else sample_cases()
    return [
        pytest.param(settings, chosen, id=f"{repr(settings)[13:60]}-{index}")
        for index, (settings, chosen) in enumerate(chunks)
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("settings", "chosen"), cases())
def test_renamed_output_is_what_black_writes(
    private_cache: Path, settings: BlackSettings, chosen: list[WorkerSpec]
) -> None:
    for spec in chosen:
        files = render(spec)
        expected = formatting.format_files(files, settings)
        assert cache.format_worker_files(spec, files, settings) == expected, (
            spec.patterns,
            spec.resources,
            spec.name,
        )


def test_sample_covers_every_pair_of_settings_name_layout_and_switches() -> None:
    factors = sample_factors()
    seen = [
        {
            "settings": SETTINGS.index(settings),
            "name": NAMES.index(spec.name),
            "layout": "shop" if spec.package_import == "shop" else "plain",
            **{f"pattern:{p}": p in spec.patterns for p in PATTERNS},
            **{f"resource:{r}": r in spec.resources for r in RESOURCES},
        }
        for settings, chosen in sample_cases()
        for spec in chosen
    ]
    covered = set().union(*(pairs_of(row, list(factors)) for row in seen))
    assert covered == all_pairs(factors)
    assert len(seen) < sum(len(chosen) for _, chosen in full_cases())
    richest = sample_cases()[0][1][0]
    assert (richest.patterns, richest.resources) == (tuple(PATTERNS), tuple(RESOURCES))
    assert richest.name == max(NAMES, key=len) and richest.package_import == "shop"


def test_everyday_names_need_no_black(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = WorkerSpec.create(
        patterns=list(PATTERNS), resources=list(RESOURCES), test_style="anyio"
    )
    cache.format_worker_files(spec, render(spec))  # fills the cache, with black

    def no_black(*args: object, **kwargs: object) -> str:
        raise AssertionError("black ran for a name the cache could rename")

    monkeypatch.setattr(formatting, "format_source", no_black)
    for name in ("sync_orders", "poll", "fetch_prices_2"):
        named = replace(spec, name=name)
        formatted = cache.format_worker_files(named, render(named))
        assert f"async def {name}(" in formatted[named.module_path]


def test_another_package_needs_no_black_either(
    private_cache: Path, black_calls: list[str]
) -> None:
    spec = WorkerSpec.create(package_dir="src/shop", package_import="shop")
    cache.format_worker_files(spec, render(spec))  # fills the cache, with black
    for package in ("orders", "acme.jobs.orders"):
        named = replace(
            spec,
            name="poll",
            package_dir=package.replace(".", "/"),
            package_import=package,
        )
        files = render(named)
        expected = formatting.format_files(files)
        black_calls.clear()
        assert cache.format_worker_files(named, files) == expected
        assert black_calls == []
        assert f"from {package}.poll import" in files[named.test_path]


def test_a_package_path_black_could_measure_otherwise_is_kept() -> None:
    """Black measures a line by its width, not its length: a package path that
    is not ASCII stays in the placeholder's files, unrenamed."""
    for package, kept in (("shop", PACKAGE_PLACEHOLDER), ("café", "café"), ("", "")):
        spec = WorkerSpec.create(package_dir=package, package_import=package)
        assert placeholder_spec(spec).package_import == kept


def test_the_same_worker_again_is_read_from_the_cache_as_it_is(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch, black_calls: list[str]
) -> None:
    spec = WorkerSpec.create(name="sync_orders", patterns=["shield", "timeout"])
    files = render(spec)
    first = cache.format_worker_files(spec, files)  # renamed, or black
    assert first == formatting.format_files(files)

    def no_render(*args: object) -> dict[str, str]:
        raise AssertionError("the placeholder's files were rendered")

    monkeypatch.setattr(rendering, "render", no_render)
    black_calls.clear()
    assert cache.format_worker_files(spec, files) == first
    assert black_calls == []


def test_a_name_too_long_for_its_lines_falls_back_to_black(
    private_cache: Path, black_calls: list[str]
) -> None:
    spec = WorkerSpec.create(patterns=["shield"])
    cache.format_worker_files(spec, render(spec))
    black_calls.clear()
    long = replace(spec, name="n" * 60)  # its class name no longer fits a signature
    files = render(long)
    formatted = cache.format_worker_files(long, files)
    assert files[long.module_path] in black_calls  # black formatted the module itself
    assert formatted == formatting.format_files(files)


def test_rows_to_fit_refuses_what_black_could_reflow() -> None:
    name = PLACEHOLDER
    fits = f'"""{name}: a docstring.\n\nMore about {name}.\n"""\n\nx = {name}()\n'
    assert rows_to_fit(fits, 88) == [5]  # docstring rows are free; the call must fit
    split = f"x = call(\n    {name},\n    other,\n)\n"
    # Its trailing comma keeps the bracket exploded: the row only has to fit;
    # without magic trailing commas black could join it.
    assert rows_to_fit(split, 88) == [1]
    assert rows_to_fit(split, 88, magic_trailing_comma=False) is None
    nested = f"x = call(\n    inner({name}),\n    other,\n)\n"
    assert rows_to_fit(nested, 88) is None  # not a lone name: black could rejoin
    too_wide = f"x = call(\n    {name}_{'a' * 90},\n    other,\n)\n"
    assert rows_to_fit(too_wide, 88) is None  # its row no longer fits
    last = f'"""Docstring\nending with {name}."""\n'
    assert rows_to_fit(last, 88) is None  # the closing line is measured
    too_long = f"x = {name}  # {'a' * 90}\n"
    assert rows_to_fit(too_long, 88) is None


@pytest.mark.parametrize(
    "statement",
    [
        'connect: ClassVar = watched_as("connection", SyncOrdersSteps.connect, "x")',
        'hold: ClassVar = recorded_as("semaphore", FetchPrices2Steps.hold_semaphore)',
        "result = function(first_argument, second_argument, third_argument, fourth)",
    ],
)
@pytest.mark.parametrize("depth", [0, 1, 2])
def test_split_call_is_how_black_splits_a_call_too_long_for_its_line(
    statement: str, depth: int
) -> None:
    import black

    line = "    " * depth + statement
    line_length = len(line) - 3
    source = (
        "".join(f"{'    ' * level}class C{level}:\n" for level in range(depth))
        + f"{line}\n"
    )
    expected = black.format_str(source, mode=black.Mode(line_length=line_length))
    rows = split_call(line, line_length)
    assert rows is not None
    assert expected.splitlines()[depth:] == rows


@pytest.mark.parametrize(
    "line",
    [
        'x = f("a", g(b))',  # another bracket: black may split there
        'x = a.f("a", b)',  # an attribute chain: black may split there
        'x = f("a", b,)',  # a magic trailing comma: black explodes it
        'x = f("a", b)  # a comment',
        'x: list[int] = f("a", b)',  # a bracket in the annotation
        "def f(a, b): ...",
        "x = f(" + "a, " * 40 + "b)",  # arguments too long for a row of their own
    ],
)
def test_split_call_leaves_every_other_line_to_black(line: str) -> None:
    assert split_call(line, 20) is None


def test_a_template_with_the_name_in_another_form_is_formatted_by_black(
    private_cache: Path,
) -> None:
    """The placeholder render must rename into the real one, or black runs."""
    spec = WorkerSpec.create(patterns=["cleanup"])
    files = render(spec)
    files[spec.module_path] += f"# {spec.name.upper()}\n"  # a form renaming misses
    assert cache.format_worker_files(spec, files) == formatting.format_files(files)
