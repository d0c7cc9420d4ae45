"""Run time of the cancel sweep of each golden spec (a benchmark, not a test).

For every ``tests/golden/<case>/spec.toml`` it renders the worker and its tests
into a temporary folder, then, in a fresh interpreter, calls the generated
``test_cancel_sweep()`` once to warm up and ``--repeats`` more times (an AnyIO
worker's on each of AnyIO's backends, a row each), and prints a Markdown
table: the steps the uncancelled worker takes (N), the schedules the sweep
runs (each is a run plus a run again on the same steps), the median wall
time, and the issue's budgets (the default worker within 0.5 s, every pattern
and resource within 5 s, for each backend).

Run: ``python benchmarks/bench_sweep.py [--repeats N] [--python PATH]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cancelgen.core.format import format_files  # noqa: E402
from cancelgen.core.render import render, render_support  # noqa: E402
from cancelgen.core.spec import WorkerSpec  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
BUDGETS_S = {
    f"{backend}{kind}": budget
    for backend in ("", "anyio-", "trio-")
    for kind, budget in (("default", 0.5), ("everything", 5.0))
}
# The backends an AnyIO worker's sweep runs on: its test's parameter.
ANYIO_BACKENDS = ("asyncio", "trio")

# Runs in the fresh interpreter: argv is the import root, the test module,
# repeats, then what test_cancel_sweep() takes (AnyIO's backend, or nothing).
MEASURE = """
import importlib.util, json, statistics, sys, time
sys.path.insert(0, sys.argv[1])
found = importlib.util.spec_from_file_location("swept_tests", sys.argv[2])
tests = sys.modules["swept_tests"] = importlib.util.module_from_spec(found)
found.loader.exec_module(tests)
schedules = 0
check = tests.check

def counted(*args, **kwargs):
    global schedules
    schedules += 1
    return check(*args, **kwargs)

tests.check = counted
samples = []
for _ in range(int(sys.argv[3]) + 1):
    schedules = 0
    start = time.perf_counter()
    tests.test_cancel_sweep(*sys.argv[4:])
    samples.append(time.perf_counter() - start)
steps = check(tests.Schedule(), *sys.argv[4:]).steps
print(json.dumps({"steps": steps, "schedules": schedules,
                  "median": statistics.median(samples[1:])}))
"""


def golden_spec(case: str) -> WorkerSpec:
    """The spec of the golden ``case``."""
    return WorkerSpec.from_mapping(
        tomllib.loads((GOLDEN / case / "spec.toml").read_text())
    )


def written(case: str, folder: Path) -> tuple[Path, Path]:
    """Render ``case`` into ``folder``; its import root and its test module."""
    spec = golden_spec(case)
    files = {**render(spec), **render_support(spec)}
    for relative, text in format_files(files).items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    module = folder / spec.module_path
    packages = spec.module_import.count(".")
    for depth in range(packages):
        (module.parents[depth] / "__init__.py").touch()
    return module.parents[packages], folder / spec.test_path


def measure(case: str, python: str, repeats: int, *on: str) -> dict[str, float]:
    """N, the schedules and the median seconds of ``case``'s sweep (``on``:
    the AnyIO backend it runs on, for an AnyIO worker)."""
    with tempfile.TemporaryDirectory(prefix=f"sweep-{case}-") as folder:
        import_root, tests = written(case, Path(folder))
        result = subprocess.run(
            [python, "-c", MEASURE, str(import_root), str(tests), str(repeats), *on],
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        raise SystemExit(f"{case}: the sweep failed\n{result.stdout}{result.stderr}")
    measured: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return measured


def main() -> None:
    """Measure every golden spec's sweep and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args()
    version = subprocess.run(
        [options.python, "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    print(f"Python {version}, median of {options.repeats} sweeps after a warm-up")
    print()
    print("| golden spec | N (steps) | schedules | sweep (s) | budget (s) | ok |")
    print("|---|---:|---:|---:|---:|:---:|")
    for case in sorted(path.parent.name for path in GOLDEN.glob("*/spec.toml")):
        anyio = golden_spec(case).backend == "anyio"
        for on in ANYIO_BACKENDS if anyio else ("",):
            found = measure(case, options.python, options.repeats, *filter(None, [on]))
            budget = BUDGETS_S.get(case)
            verdict = (
                "" if budget is None else ("yes" if found["median"] <= budget else "NO")
            )
            label = f"{case} (on {on})" if on else case
            print(
                f"| {label} | {found['steps']:.0f} | {found['schedules']:.0f} "
                f"| {found['median']:.2f} | {budget or ''} | {verdict} |"
            )


if __name__ == "__main__":
    main()
