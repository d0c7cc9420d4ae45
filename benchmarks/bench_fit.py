"""``cancelgen new`` in a black project and in a ruff project (a benchmark, not a test).

Whole-process wall and CPU time, median of N runs after one warm-up run, of
``cancelgen new worker --no-input`` (the default worker, and one with every
pattern and resource) in a fresh project formatted with black (no tool
configured) and in one formatted with ``ruff format`` (``[tool.ruff]``, whose
safe fixes and import sorting then run too, see ``cancelgen/project/fit.py``), taking
turns with the import floor ``python -c "import black, jinja2, typer"``; each
with cancelgen's cache warm (black's and ruff's output, each project a fresh copy
of the same files) and off (``CANCELGEN_NO_CACHE=1``: only what the package
ships answers, ``cancelgen/core/shipped.py``), as ratios of the floor,
of wall time and of CPU time (user + system, steadier than wall time on a
shared machine; the load average is printed too). Also times ``ruff --version``
and ``ruff format`` of the all-patterns test module, the cost ruff adds per file.

Run: ``python benchmarks/bench_fit.py [-n RUNS]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cli import cancelgen_command

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
PROJECTS = {"black": "", "ruff": "\n[tool.ruff]\nline-length = 88\n"}
ALL = [
    f"--{kind}={name}"
    for kind, names in (
        ("pattern", "cleanup checkpoint shield timeout exit-stack task-group"),
        ("resource", "lock semaphore queue subprocess connection thread task custom"),
    )
    for name in names.split()
]
WORKERS = {"default worker": [], "all patterns": ALL}


def ruff_costs(
    runs: int, work: Path, cancelgen: list[str], env: dict[str, str]
) -> None:
    """Print ``ruff --version`` and ``ruff format`` of a 1,300-line module."""
    from ruff.__main__ import find_ruff_bin

    ruff = str(find_ruff_bin())
    project = work / "ruff-costs"
    (project / "src" / "demo").mkdir(parents=True)
    (project / "src" / "demo" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(PYPROJECT)
    subprocess.run(
        [*cancelgen, "new", "worker", "--no-input", *ALL],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    module = project / "tests" / "test_worker.py"
    source = module.read_bytes()
    lines = source.count(b"\n")

    def run(argv: list[str], data: bytes | None) -> float:
        samples = []
        for _ in range(runs * 10 + 1):
            start = time.perf_counter()
            subprocess.run(
                argv, input=data, capture_output=True, check=True, cwd=project
            )
            samples.append(time.perf_counter() - start)
        samples.sort()
        return samples[len(samples) // 2]

    version = run([ruff, "--version"], None)
    fmt = run([ruff, "format", "--stdin-filename", str(module), "-"], source)
    print(
        f"ruff --version: {version * 1000:.1f} ms; ruff format of a {lines}-line"
        f" test module: {fmt * 1000:.1f} ms (median of {runs * 10})"
    )


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=7)
    runs = parser.parse_args().runs
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    work = Path(tempfile.mkdtemp(prefix="cancelgen-bench-fit-"))
    counter = iter(range(10**6))
    cancelgen, env = cancelgen_command()
    env["CANCELGEN_CACHE_DIR"] = str(work / "cache")
    cold_env = {**env, "CANCELGEN_NO_CACHE": "1"}

    def fresh(kind: str) -> Path:
        project = work / f"{kind}{next(counter)}"
        (project / "src" / "demo").mkdir(parents=True)
        (project / "src" / "demo" / "__init__.py").write_text("")
        (project / "pyproject.toml").write_text(PYPROJECT + PROJECTS[kind])
        return project

    def once(
        argv: list[str], environment: dict[str, str] | None, cwd: Path | None
    ) -> tuple[float, float]:
        """Wall and CPU time (the child's user + system) of one run."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=environment, capture_output=True, check=True)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        return wall, sum(
            getattr(after, f) - getattr(before, f) for f in ("ru_utime", "ru_stime")
        )

    floor_argv = [sys.executable, "-c", "import black, jinja2, typer"]
    rows = []
    loads = []
    try:
        for worker, args in WORKERS.items():
            argv = [*cancelgen, "new", "worker", "--no-input", *args]
            for cache, environment in (("cache on", env), ("cache off", cold_env)):
                # The floor and the two projects take turns, so a load change
                # hits all three alike.
                samples: dict[str, list[tuple[float, float]]] = {
                    kind: [] for kind in ("floor", *PROJECTS)
                }
                for index in range(runs + 1):
                    for kind in samples:
                        if kind == "floor":
                            sample = once(floor_argv, None, None)
                        else:
                            sample = once(argv, environment, fresh(kind))
                        if index:  # run 0 warms the cache and the OS
                            samples[kind].append(sample)
                    loads.append(os.getloadavg()[0])
                rows.append((worker, cache, *(medians(samples[k]) for k in samples)))
        ruff_costs(runs, work, cancelgen, env)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {runs}"
        f" runs, load average (1 min) {min(loads):.1f}-{max(loads):.1f}; ratios"
        ' of `python -c "import black, jinja2, typer"` (the floor), run in turn'
        " with each row: wall time, and CPU time (user + system) in brackets"
    )
    print()
    print(
        "| worker | cache | floor | black project | ratio | ruff project | ratio"
        " | ruff/black |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for worker, cache, floor, black, ruff in rows:
        print(
            f"| {worker} | {cache} | {floor[0] * 1000:.0f} ms"
            f" | {black[0] * 1000:.0f} ms | {black[0] / floor[0]:.2f}x"
            f" ({black[1] / floor[1]:.2f}x) | {ruff[0] * 1000:.0f} ms"
            f" | {ruff[0] / floor[0]:.2f}x ({ruff[1] / floor[1]:.2f}x)"
            f" | {ruff[0] / black[0]:.2f} |"
        )


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    """The median wall time and the median CPU time of ``samples``."""
    walls, cpus = zip(*samples, strict=True)
    return statistics.median(walls), statistics.median(cpus)


if __name__ == "__main__":
    main()
