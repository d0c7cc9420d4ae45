"""The matrices of generated workers: the full product, and CI's pairwise sample.

The full product (``pytest --full``) is today's: for each backend, one project
holding every spec of ``combination_specs(backend)``, whose tests run on every
supported Python. CI runs one project instead, holding a pairwise sample: each
row picks a *flavour* (a backend with one of its test styles, timeout styles or
a disabled timeout), a Python, a form (single file or support module), and each pattern and each resource on or off;
every pair of values of two factors is in some row, and so are the rows CI must
always hold (each backend's richest workers). Each sampled worker's tests run
on its row's Python only, so every (flavour, Python) and (pattern, Python) pair
still runs, on a fraction of the runs.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.spec import WorkerSpec
from tests.generated import PYTHONS, combination_specs, spec_for
from tests.pairwise import Row, pairwise

FORMS = ("default", "single-file", "support-module")
"""Where a worker's helpers and its tests' engine live: its helpers in its
module and the engine in the tests folder's shared module (the default), both
in the worker's own two files (``--single-file``), or both shared
(``--support-module``)."""


@dataclass(frozen=True)
class Matrix:
    """One throwaway project of generated workers, and where their tests run."""

    name: str
    specs: tuple[WorkerSpec, ...]
    runs: Mapping[str, tuple[WorkerSpec, ...]]
    """Python version -> the specs whose generated tests run on it."""

    def support_paths(self) -> list[str]:
        """The support modules its workers in the support-module form share."""
        return sorted({spec.support_path for spec in self.specs if spec.support_module})

    def test_support_paths(self) -> list[str]:
        """The test support modules (harness, sweep engine) its workers' tests share."""
        return sorted(
            {spec.test_support_path for spec in self.specs if spec.shared_tests}
        )

    def backends(self) -> list[str]:
        """The backends of its workers, in catalog order."""
        return [name for name in BACKENDS if any(s.backend == name for s in self.specs)]


def flavours() -> dict[str, dict[str, Any]]:
    """What ``combination_specs`` varies besides patterns and resources: each
    backend, with each of its other test styles, its other timeout styles and,
    for AnyIO and Trio, a timeout disabled by default. Name -> spec settings."""
    found: dict[str, dict[str, Any]] = {}
    for name, offered in BACKENDS.items():
        found[name] = {"backend": name}
        for style in offered.test_styles[1:]:
            found[f"{name}/{style}"] = {"backend": name, "test_style": style}
        for style in offered.timeout_styles[1:]:
            found[f"{name}/{style}"] = {"backend": name, "timeout_style": style}
        if name != "asyncio":
            found[f"{name}/no-timeout"] = {"backend": name, "timeout": None}
    return found


def sample_factors() -> dict[str, list[Hashable]]:
    """The factors of CI's sample, largest first (the greedy sampler's order)."""
    return {
        "flavour": list(flavours()),
        "python": list(PYTHONS),
        "form": list(FORMS),
        **{f"pattern:{name}": [False, True] for name in PATTERNS},
        **{f"resource:{name}": [False, True] for name in RESOURCES},
    }


def unrunnable(row: Row) -> bool:
    """Whether a row, possibly partial, can only end as a spec other than it
    says: with no pattern (refused), or with exit-stack and no resource (the
    spec adds ``custom``). Exact for partial rows, as ``pairwise`` needs."""

    def can_be(name: str, value: bool) -> bool:
        return row.get(name, value) == value

    patterns = [f"pattern:{name}" for name in PATTERNS]
    others = [name for name in patterns if name != "pattern:exit-stack"]
    if any(can_be(f"resource:{name}", True) for name in RESOURCES):
        return not any(can_be(name, True) for name in patterns)
    return not (
        can_be("pattern:exit-stack", False) and any(can_be(n, True) for n in others)
    )


def seed_rows() -> list[Row]:
    """Rows CI always holds: per backend, all patterns and all resources, with
    and without exit-stack, spread over the Pythons."""
    seeds: list[Row] = []
    for backend in BACKENDS:
        for stack in (True, False):
            row: Row = {
                "flavour": backend,
                "python": PYTHONS[len(seeds) % len(PYTHONS)],
                "form": FORMS[len(seeds) % len(FORMS)],
            }
            row.update({f"pattern:{name}": True for name in PATTERNS})
            row["pattern:exit-stack"] = stack
            row.update({f"resource:{name}": True for name in RESOURCES})
            seeds.append(row)
    return seeds


def sample_rows() -> list[Row]:
    """CI's rows: every pair of factor values, the seed rows first."""
    return pairwise(sample_factors(), seed_rows(), forbidden=unrunnable)


def row_spec(index: int, row: Row) -> WorkerSpec:
    """The worker of sample row ``index``, named after it (``row07_trio_worker``)."""
    settings = flavours()[str(row["flavour"])]
    patterns = [name for name in PATTERNS if row[f"pattern:{name}"]]
    resources = [name for name in RESOURCES if row[f"resource:{name}"]]
    name = f"row{index:02d}_{settings['backend']}_worker"
    support = row["form"] == "support-module"
    shared = row["form"] != "single-file"
    return spec_for(
        patterns,
        resources,
        name=name,
        support_module=support,
        shared_tests=shared,
        **settings,
    )


def sample_matrix() -> Matrix:
    """CI's matrix: one project, each worker's tests on its row's Python."""
    rows = sample_rows()
    specs = tuple(row_spec(index, row) for index, row in enumerate(rows))
    runs = {
        version: tuple(
            spec
            for spec, row in zip(specs, rows, strict=True)
            if row["python"] == version
        )
        for version in PYTHONS
    }
    return Matrix("sample", specs, runs)


def full_matrices() -> list[Matrix]:
    """The full product: per backend, every combination on every Python."""
    matrices = []
    for backend in BACKENDS:
        specs = tuple(combination_specs(backend))
        matrices.append(Matrix(backend, specs, {version: specs for version in PYTHONS}))
    return matrices


def matrices(full: bool) -> list[Matrix]:
    """What a run checks: the full product, or CI's sample."""
    return full_matrices() if full else [sample_matrix()]
