"""Wall time against CPU time of the generated test modules (a benchmark, not a test).

For each backend (asyncio, AnyIO, Trio) and two workers (the default one, and
one with every pattern and resource), generates the worker into a throwaway
project, then runs ``python -m pytest`` on its test module alone, N times,
timing each run's wall time (``time.perf_counter``) and its CPU time (user +
system of the child and what it waited for, ``resource.getrusage``). A test
module that mostly waits (timed settles, sleeps) has a wall time well above
its CPU time; the target is wall <= 1.5 x CPU.

The ratio is reported as measured (pytest's start-up included), and again with
pytest's start-up taken out: the wall and CPU time of pytest on a one-test
module in the same project, measured the same way, subtracted from both.

``--hog N`` runs N busy loops (``python -c 'while True: pass'``) beside the
runs, to show the ratio under load; the load average is printed either way
(the machine may be shared: a busy machine raises every ratio, as the process
waits for a core; pytest's start-up, which never waits, shows by how much).

Run: ``python benchmarks/bench_test_walltime.py [-n RUNS] [--hog N]``.
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
from bench_fit import ALL as EVERYTHING

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
BACKENDS = ("asyncio", "anyio", "trio")
WORKERS = {"default": [], "everything": EVERYTHING}
EMPTY = "def test_nothing() -> None:\n    pass\n"
PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def run_once(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``argv``; CPU is the child's user +
    system time, and that of the processes it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, capture_output=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def generate(project: Path, cancelgen: list[str], env: dict[str, str]) -> list[str]:
    """Generate every (backend, worker) into ``project``; return the module names."""
    (project / "src" / "demo").mkdir(parents=True)
    (project / "src" / "demo" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(PYPROJECT)
    names = []
    for backend in BACKENDS:
        for worker, args in WORKERS.items():
            name = f"{worker}_{backend}"
            subprocess.run(
                [*cancelgen, "new", name, "--no-input", f"--backend={backend}", *args],
                cwd=project,
                env=env,
                check=True,
                capture_output=True,
            )
            names.append(name)
    (project / "tests" / "test_zz_startup.py").write_text(EMPTY)
    return names


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=5)
    parser.add_argument("--hog", type=int, default=0, help="busy loops beside")
    arguments = parser.parse_args()
    runs = arguments.runs
    work = Path(tempfile.mkdtemp(prefix="cancelgen-bench-walltime-"))
    cancelgen, env = cancelgen_command()
    env["CANCELGEN_CACHE_DIR"] = str(work / "cache")
    project = work / "project"
    hogs: list[subprocess.Popen[bytes]] = []
    try:
        names = generate(project, cancelgen, env)
        hogs = [
            subprocess.Popen([sys.executable, "-c", "while True: pass"])
            for _ in range(arguments.hog)
        ]
        modules = {"startup": "tests/test_zz_startup.py"}
        modules |= {name: f"tests/test_{name}.py" for name in names}
        samples: dict[str, list[tuple[float, float]]] = {m: [] for m in modules}
        loads = []
        for index in range(runs + 1):
            for name, module in modules.items():  # interleaved: load hits all alike
                sample = run_once([*PYTEST, module], project)
                if index:  # run 0 warms the OS caches and writes .pyc files
                    samples[name].append(sample)
            loads.append(os.getloadavg()[0])
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        shutil.rmtree(work, ignore_errors=True)

    def medians(name: str) -> tuple[float, float]:
        walls, cpus = zip(*samples[name], strict=True)
        return statistics.median(walls), statistics.median(cpus)

    start_wall, start_cpu = medians("startup")
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {runs}"
        f" runs, {arguments.hog} busy loop(s) beside, load average (1 min)"
        f" {min(loads):.1f}-{max(loads):.1f}; pytest start-up (a one-test module):"
        f" {start_wall * 1000:.0f} ms wall, {start_cpu * 1000:.0f} ms CPU, wall/CPU"
        f" {start_wall / start_cpu:.2f} (what waiting for a core alone costs: a"
        " module that never waits would show about that)"
    )
    print()
    print(
        "| backend | worker | wall | CPU | wall/CPU | wall - start-up"
        " | CPU - start-up | ratio without start-up |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        worker, backend = name.split("_")
        wall, cpu = medians(name)
        rest_wall, rest_cpu = wall - start_wall, cpu - start_cpu
        rest = f"{rest_wall / rest_cpu:.2f}" if rest_cpu > 0 else "n/a"
        print(
            f"| {backend} | {worker} | {wall * 1000:.0f} ms | {cpu * 1000:.0f} ms"
            f" | {wall / cpu:.2f} | {rest_wall * 1000:.0f} ms"
            f" | {rest_cpu * 1000:.0f} ms | {rest} |"
        )


if __name__ == "__main__":
    main()
