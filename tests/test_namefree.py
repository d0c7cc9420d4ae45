"""Renamed black output is exactly black's output, and it is used when it can be.

``cancelgen.namefree`` skips black for a new name by renaming black's output for
a placeholder. These tests compare the two for every pattern set, each resource,
several black settings and names from one letter to the longest allowed, and
check the renaming is actually used for everyday names.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from pathlib import Path

import pytest

from cancelgen import cache
from cancelgen import format as formatting
from cancelgen.catalog import PATTERNS, RESOURCES
from cancelgen.format import BlackSettings
from cancelgen.namefree import PLACEHOLDER, rows_to_fit
from cancelgen.render import render
from cancelgen.spec import WorkerSpec

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


def cases() -> list[object]:
    """(settings, specs) in chunks small enough to spread over xdist workers:
    every spec with the default settings, one in six and the richest with others."""
    every = specs()
    chunks = [(SETTINGS[0], every[start::4]) for start in range(4)]
    chunks += [(settings, every[::6] + every[-3:]) for settings in SETTINGS[1:]]
    return [
        pytest.param(settings, chosen, id=f"{repr(settings)[13:60]}-{index}")
        for index, (settings, chosen) in enumerate(chunks)
    ]


@pytest.mark.slow
@pytest.mark.parametrize(("settings", "chosen"), cases())
def test_renamed_output_is_what_black_writes(
    private_cache: Path, settings: BlackSettings, chosen: list[WorkerSpec]
) -> None:
    for index, spec in enumerate(chosen):
        named = replace(spec, name=NAMES[index % len(NAMES)])  # names take turns
        files = render(named)
        expected = formatting.format_files(files, settings)
        assert cache.format_worker_files(named, files, settings) == expected, (
            spec.patterns,
            spec.resources,
            named.name,
        )


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


def test_a_name_too_long_for_its_lines_falls_back_to_black(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = WorkerSpec.create(patterns=["shield"])
    cache.format_worker_files(spec, render(spec))
    calls: list[str] = []
    real = formatting.format_source

    def counted(source: str, settings: BlackSettings | None = None) -> str:
        calls.append(source)
        return real(source, settings)

    monkeypatch.setattr(formatting, "format_source", counted)
    long = replace(spec, name="n" * 60)  # its class name no longer fits a signature
    files = render(long)
    formatted = cache.format_worker_files(long, files)
    assert files[long.module_path] in calls  # black formatted the module itself
    assert formatted == formatting.format_files(files)


def test_rows_to_fit_refuses_what_black_could_reflow() -> None:
    name = PLACEHOLDER
    fits = f'"""{name}: a docstring.\n\nMore about {name}.\n"""\n\nx = {name}()\n'
    assert rows_to_fit(fits, 88) == [5]  # docstring rows are free; the call must fit
    split = f"x = call(\n    {name},\n    other,\n)\n"
    assert rows_to_fit(split, 88) is None  # inside brackets black could join
    last = f'"""Docstring\nending with {name}."""\n'
    assert rows_to_fit(last, 88) is None  # the closing line is measured
    too_long = f"x = {name}  # {'a' * 90}\n"
    assert rows_to_fit(too_long, 88) is None


def test_a_template_with_the_name_in_another_form_is_formatted_by_black(
    private_cache: Path,
) -> None:
    """The placeholder render must rename into the real one, or black runs."""
    spec = WorkerSpec.create(patterns=["cleanup"])
    files = render(spec)
    files[spec.module_path] += f"# {spec.name.upper()}\n"  # a form renaming misses
    assert cache.format_worker_files(spec, files) == formatting.format_files(files)
