"""Docstring summaries fit 79 columns whatever the worker's name.

A summary is one line, which no formatter and no rewrapping may break
(:mod:`cancelgen.core.rewrap` leaves it alone), so the templates write a
shorter one where the name would push it over: a project at PEP 8's 79
columns (flake8's default) would otherwise fail ``E501`` on it.
"""

from __future__ import annotations

import pytest

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.render import render
from cancelgen.core.rewrap import _docstrings
from cancelgen.core.spec import WorkerSpec
from cancelgen.project.adopt import read_header

NAMES = ["w", "x" * 31, "x" * 32, "x" * 33, "x" * 40, "x" * 55]


def summaries(source: str) -> list[str]:
    """The physical first line of each docstring in ``source``."""
    lines = source.splitlines()
    return [lines[first] for first, _, _ in _docstrings(source)]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("backend", list(BACKENDS))
def test_every_summary_fits_79_columns(backend: str, name: str) -> None:
    spec = WorkerSpec(
        name=name,
        backend=backend,
        patterns=tuple(PATTERNS),
        resources=tuple(RESOURCES),
        package_dir="src/" + "p" * 20,
        package_import="p" * 20,
    )
    for path, source in render(spec).items():
        long = [line for line in summaries(source) if len(line) > 79]
        assert long == [], f"{path}: {long}"


@pytest.mark.parametrize("name", NAMES)
def test_adopt_reads_the_header_of_any_name(name: str) -> None:
    spec = WorkerSpec(name=name, patterns=("shield",), resources=("lock",))
    header = read_header(render(spec)[spec.module_path])
    assert header is not None
    assert (header.name, header.patterns, header.resources) == (
        name,
        ("shield",),
        ("lock",),
    )
