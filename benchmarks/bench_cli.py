"""Start-up benchmark of the cancelgen CLI (a benchmark, not a test).

Measures whole-process wall time, median of N runs after one warm-up run, of:

- ``python -c "import black, jinja2, typer"``: the dependency floor;
- ``python -c "import typer"``;
- ``cancelgen --help``;
- ``cancelgen new worker --no-input`` in a fresh temporary project, with
  cancelgen's cache warm (the usual case: compiled templates and black's
  output are cached, see ``cancelgen/core/cache/__init__.py``); with a new worker name on
  every run (black's output for the same answers is renamed, see
  ``cancelgen/core/cache/name_free.py``); and with the cache off (``CANCELGEN_NO_CACHE=1``:
  only what the package ships answers, ``cancelgen/core/shipped.py``: the
  default worker's templates compiled and black's output);
- ``copier copy --defaults`` of an equivalent one-file template.

and prints a Markdown table with the ratios against the targets
(``new`` <= 1.15 x the floor, ``--help`` <= 1.3 x ``import typer``).

Run: ``python benchmarks/bench_cli.py [-n RUNS]``. It uses the ``cancelgen``
script next to the interpreter if installed, else the same entry point
through ``python -c`` with this checkout on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENTRY = "import sys; from cancelgen.cli import main; sys.exit(main())"

PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\n'
COPIER_YML = "name:\n  type: str\n  default: worker\n"
COPIER_FILE = '''\
"""{{ name }}: a worker (one-file template standing in for cancelgen's)."""

import asyncio


async def {{ name }}() -> None:
    try:
        async with asyncio.timeout(10):
            await asyncio.sleep(0)
    except asyncio.CancelledError:
        raise
'''


def cancelgen_command() -> tuple[list[str], dict[str, str]]:
    """How to run the cancelgen script, and the environment it needs."""
    env = dict(os.environ)
    script = BIN / "cancelgen"
    if script.is_file():
        return [str(script)], env
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    return [sys.executable, "-c", ENTRY], env


def timed(
    argv: list[str] | Callable[[], list[str]],
    runs: int,
    *,
    env: dict[str, str] | None = None,
    setup: Callable[[], Path] | None = None,
) -> float:
    """Median wall time in seconds of ``argv`` (one warm-up run first)."""
    samples = []
    for index in range(runs + 1):
        cwd = setup() if setup else None
        command = argv() if callable(argv) else argv
        start = time.perf_counter()
        subprocess.run(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=True,
        )
        elapsed = time.perf_counter() - start
        if index:
            samples.append(elapsed)
    return statistics.median(samples)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--runs", type=int, default=9)
    runs = parser.parse_args().runs
    # Measure what users get: Python writes and reuses .pyc files (some CI
    # images turn that off, which would charge every run for compiling
    # cancelgen's own modules from source).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    work = Path(tempfile.mkdtemp(prefix="cancelgen-bench-"))
    counter = iter(range(10**6))

    def fresh_project() -> Path:
        project = work / f"project{next(counter)}"
        (project / "src" / "demo").mkdir(parents=True)
        (project / "src" / "demo" / "__init__.py").write_text("")
        (project / "pyproject.toml").write_text(PYPROJECT)
        return project

    template = work / "template"
    template.mkdir()
    (template / "copier.yml").write_text(COPIER_YML)
    (template / "{{ name }}.py.jinja").write_text(COPIER_FILE)

    cancelgen, env = cancelgen_command()
    env["CANCELGEN_CACHE_DIR"] = str(work / "cache")  # private, warmed by run 0
    cold_env = {**env, "CANCELGEN_NO_CACHE": "1"}
    copier = str(BIN / "copier") if (BIN / "copier").is_file() else "copier"
    try:
        floor = timed([sys.executable, "-c", "import black, jinja2, typer"], runs)
        typer_only = timed([sys.executable, "-c", "import typer"], runs)
        help_time = timed([*cancelgen, "--help"], runs, env=env)
        new_time = timed(
            [*cancelgen, "new", "worker", "--no-input"],
            runs,
            env=env,
            setup=fresh_project,
        )
        # Everyday names of different lengths: the cache renames black's output
        # for the same answers, whatever the name's length (cancelgen/core/cache/name_free.py).
        bases = itertools.cycle(["poll", "sync_orders", "fetch_price_feed", "w"])
        names = (f"{base}_{index}" for index, base in enumerate(bases))
        new_name_time = timed(
            lambda: [*cancelgen, "new", next(names), "--no-input"],
            runs,
            env=env,
            setup=fresh_project,
        )
        cold_time = timed(
            [*cancelgen, "new", "worker", "--no-input"],
            runs,
            env=cold_env,
            setup=fresh_project,
        )
        copier_time = timed(
            [copier, "copy", "--defaults", "--quiet", str(template), "out"],
            runs,
            setup=lambda: Path(tempfile.mkdtemp(dir=work)),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = [
        ('python -c "import black, jinja2, typer" (floor)', floor, None, None),
        ('python -c "import typer"', typer_only, None, None),
        ("cancelgen --help", help_time, help_time / typer_only, 1.3),
        ("cancelgen new worker --no-input", new_time, new_time / floor, 1.15),
        (
            "cancelgen new NAME --no-input (a new name each run)",
            new_name_time,
            new_name_time / floor,
            1.15,
        ),
        (
            "cancelgen new worker --no-input (cache off)",
            cold_time,
            cold_time / floor,
            1.15,
        ),
        (
            "copier copy --defaults (one-file template)",
            copier_time,
            copier_time / floor,
            None,
        ),
    ]
    print(f"Python {sys.version.split()[0]}, median of {runs} runs, wall time")
    print()
    print("| command | median (ms) | ratio | target | ok |")
    print("|---|---:|---:|---:|:---:|")
    for label, seconds, ratio, target in rows:
        ratio_text = f"{ratio:.2f}x" if ratio is not None else ""
        target_text = f"<= {target}x" if target is not None else ""
        ok = (
            ""
            if target is None or ratio is None
            else ("yes" if ratio <= target else "NO")
        )
        print(
            f"| {label} | {seconds * 1000:.0f} | {ratio_text} | {target_text} | {ok} |"
        )
    print()
    print("ratios: --help vs `import typer`; new and copier vs the floor")


if __name__ == "__main__":
    main()
