"""Render throughput of cancelgen's core, in process (a benchmark, not a test).

For a small spec (the defaults) and the richest one (every pattern and
resource), it measures how many workers (module + tests) per second go through:

- ``render``: Jinja only, templates compiled once;
- ``render + black``: what a first run does for new answers;
- ``render + cache, new name``: ``format_worker_files`` with black's output for
  the same answers cached under another name (``cancelgen/core/cache/name_free.py``);
- ``render + cache, same worker``: the content cache answers (``cancelgen/core/cache/__init__.py``).

and the lines of code generated per second. Each figure is the median of
``--repeats`` timed rounds of ``--rounds`` workers, after one warm-up round.

Run: ``python benchmarks/bench_render.py [--rounds N] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cancelgen.core import cache  # noqa: E402
from cancelgen.core import format as formatting  # noqa: E402
from cancelgen.core.catalog import PATTERNS, RESOURCES  # noqa: E402
from cancelgen.core.render import render  # noqa: E402
from cancelgen.core.spec import WorkerSpec  # noqa: E402

SPECS = {
    "default": WorkerSpec(),
    "everything": WorkerSpec.create(patterns=list(PATTERNS), resources=list(RESOURCES)),
}


def per_second(job: Callable[[int], object], rounds: int, repeats: int) -> float:
    """Median rate of ``job(i)`` calls per second over ``repeats`` rounds."""
    job(-1)  # warm-up: compiles templates, fills caches
    rates = []
    for repeat in range(repeats):
        start = time.perf_counter()
        for index in range(rounds):
            job(repeat * rounds + index)
        rates.append(rounds / (time.perf_counter() - start))
    return statistics.median(rates)


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()
    os.environ["CANCELGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="cancelgen-bench-")
    os.environ.pop("CANCELGEN_NO_CACHE", None)

    print(f"Python {sys.version.split()[0]}, median of {options.repeats} rounds")
    print()
    print("| spec | lines | stage | workers/s | lines/s |")
    print("|---|---:|---|---:|---:|")
    for label, spec in SPECS.items():
        lines = sum(
            text.count("\n") for text in formatting.format_files(render(spec)).values()
        )

        def named(index: int, spec: WorkerSpec = spec) -> WorkerSpec:
            return replace(spec, name=f"worker_{index + 1000}")

        def render_only(index: int, spec: WorkerSpec = spec) -> object:
            return render(named(index, spec))

        def with_black(index: int, spec: WorkerSpec = spec) -> object:
            return formatting.format_files(render(named(index, spec)))

        def new_name(index: int, spec: WorkerSpec = spec) -> object:
            worker = named(index, spec)
            return cache.format_worker_files(worker, render(worker))

        def same_worker(index: int, spec: WorkerSpec = spec) -> object:
            return cache.format_worker_files(spec, render(spec))

        stages = {
            "render": render_only,
            "render + black": with_black,
            "render + cache, new name": new_name,
            "render + cache, same worker": same_worker,
        }
        for stage, job in stages.items():
            rate = per_second(job, options.rounds, options.repeats)
            print(f"| {label} | {lines} | {stage} | {rate:.0f} | {rate * lines:.0f} |")


if __name__ == "__main__":
    main()
