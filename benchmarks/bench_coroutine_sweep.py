"""Run time of ``cancelgen new test``'s sweep on a coroutine with about 50
suspensions (a benchmark, not a test; issue 20's budget: under 2 s).

For each backend it writes a coroutine that awaits ``--suspensions`` times
(a loop of checkpoints, with a try/finally around it) into a throwaway
project, writes its sweep test with the real CLI, then, in a fresh
interpreter, calls the generated ``test_cancel_sweep()`` once to warm up and
``--repeats`` more times (AnyIO's on each of its backends, a row each), and
prints a Markdown table: the steps the uncancelled coroutine takes, the
median wall time of one sweep, and the wall time of ``pytest`` on the file
(interpreter start and collection included).

Run: ``python benchmarks/bench_coroutine_sweep.py [--suspensions N] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_S = 2.0
CHECKPOINT = {
    "asyncio": ("import asyncio", "asyncio.sleep(0)"),
    "anyio": ("import anyio", "anyio.lowlevel.checkpoint()"),
    "trio": ("import trio", "trio.lowlevel.checkpoint()"),
}
MODULE = """\
{imports}


async def crunch() -> int:
    done = 0
    try:
        for _ in range({suspensions}):
            await {checkpoint}
            done += 1
    finally:
        done = -done
    return done
"""
TIMER = """\
import json, statistics, sys, time
sys.path[:0] = ["src", "tests"]
import test_crunch_sweep as module
from _cancelgen_{backend} import SWEEP_AT
params = {params}
rows = []
for param in params:
    args = [param] if param else []
    module.test_cancel_sweep(*args)
    times = []
    for _ in range({repeats}):
        start = time.perf_counter()
        module.test_cancel_sweep(*args)
        times.append(time.perf_counter() - start)
    rows.append([param, statistics.median(times)])
print(json.dumps(rows))
"""


def bench(backend: str, suspensions: int, repeats: int) -> list[list[object]]:
    """Rows ``[backend, steps, median sweep s, pytest s]`` for ``backend``."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text('[project]\nname = "b"\nversion = "0"\n')
        package = root / "src" / "bench"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        imports, checkpoint = CHECKPOINT[backend]
        (package / "crunch.py").write_text(
            MODULE.format(
                imports=imports, checkpoint=checkpoint, suspensions=suspensions
            )
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        subprocess.run(
            [sys.executable, "-m", "cancelgen", "new", "test", "bench.crunch:crunch"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        params = ["asyncio", "trio"] if backend == "anyio" else [""]
        timer = TIMER.format(backend=backend, params=params, repeats=repeats)
        out = subprocess.run(
            [sys.executable, "-c", timer],
            cwd=root,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "tests/test_crunch_sweep.py"],
            cwd=root,
            check=True,
            capture_output=True,
        )
        whole = time.perf_counter() - start
        return [
            [f"{backend}{f' ({param})' if param else ''}", suspensions, sweep, whole]
            for param, sweep in json.loads(out)
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suspensions", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(
        "| backend | suspensions | sweep (median) | pytest on the file "
        f"| budget {BUDGET_S} s |"
    )
    print("|---|---|---|---|---|")
    for backend in CHECKPOINT:
        for name, steps, sweep, whole in bench(backend, args.suspensions, args.repeats):
            within = "yes" if sweep < BUDGET_S else "NO"
            print(f"| {name} | {steps} | {sweep:.2f} s | {whole:.2f} s | {within} |")


if __name__ == "__main__":
    main()
