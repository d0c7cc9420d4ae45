"""Helpers to generate workers into a throwaway project and run tools over it.

Used by the combinatorial suite, the mutation suite and the golden tests, so
each builds its world the same way: from ``WorkerSpec``s, through the real
render and format pipeline.
"""

from __future__ import annotations

import fcntl
import glob
import itertools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.format import format_files
from cancelgen.core.render import render, render_support, render_test_support
from cancelgen.core.spec import WorkerSpec

PACKAGE = "combos"
PYPROJECT = f"""\
[project]
name = "{PACKAGE}"
version = "0"
requires-python = ">=3.11"

[tool.pytest.ini_options]
pythonpath = ["src"]
addopts = "-p no:cacheprovider"
"""

BIN = Path(sys.executable).parent

# flake8-async as each backend's code wants it: ASYNC910-913 (a checkpoint on
# every path) are Trio's and AnyIO's rules: they hold there, and fire on plain
# asyncio code by design. --anyio for AnyIO code.
FLAKE8_ASYNC: dict[str, list[str]] = {
    "asyncio": [
        "--select=ASYNC",
        "--extend-ignore=ASYNC910,ASYNC911,ASYNC912,ASYNC913",
    ],
    "anyio": ["--select=ASYNC", "--anyio"],
    "trio": ["--select=ASYNC"],
}


def tool(name: str) -> str:
    """Path of a console script installed next to the running interpreter."""
    return str(BIN / name)


def spec_for(
    patterns: Iterable[str],
    resources: Iterable[str] = (),
    *,
    name: str | None = None,
    **settings: object,
) -> WorkerSpec:
    """A spec placed in the throwaway project's package, named after its contents."""
    patterns, resources = list(patterns), list(resources)
    if name is None:
        parts = [*patterns, *resources]
        for key in ("timeout_style", "test_style"):
            if key in settings:
                parts.append(str(settings[key]))
        if settings.get("support_module"):
            parts.append("support")
        name = "_".join(part.replace("-", "_") for part in parts) + "_worker"
    return WorkerSpec.create(
        name=name,
        patterns=patterns,
        resources=resources,
        package_dir=f"src/{PACKAGE}",
        package_import=PACKAGE,
        **settings,
    )


def all_pattern_sets() -> list[tuple[str, ...]]:
    """Every non-empty subset of the six patterns (63 sets), in catalog order."""
    names = list(PATTERNS)
    return [
        combo
        for size in range(1, len(names) + 1)
        for combo in itertools.combinations(names, size)
    ]


def combination_specs(backend: str = "asyncio") -> list[WorkerSpec]:
    """The combinatorial matrix checked by the suite, for one backend.

    - all 63 non-empty pattern sets, without resources;
    - every resource alone (with cleanup) and together with exit-stack;
    - every resource together, with and without exit-stack, all patterns;
    - the backend's other timeout and test styles (asyncio: wait_for,
      pytest-asyncio, anyio; Trio: pytest-trio), and for AnyIO and Trio a
      timeout disabled by default;
    - the support-module form (:func:`support_form_specs`), whose workers
      share one ``_cancellation_<backend>.py`` in the project.
    """
    offered = BACKENDS[backend]

    def spec(
        patterns: Iterable[str], resources: Iterable[str] = (), **settings: Any
    ) -> WorkerSpec:
        return spec_for(patterns, resources, backend=backend, **settings)

    specs = [spec(patterns) for patterns in all_pattern_sets()]
    for resource in RESOURCES:
        specs.append(spec(["cleanup"], [resource]))
        specs.append(spec(["exit-stack"], [resource]))
    everything = list(PATTERNS)
    without_stack = [p for p in everything if p != "exit-stack"]
    specs.append(spec(everything, RESOURCES, name="all_patterns_all_resources"))
    specs.append(spec(without_stack, RESOURCES, name="nested_all_resources"))
    specs.append(
        spec(["cleanup", "shield", "timeout", "exit-stack"], ["lock", "connection"])
    )
    if "wait_for" in offered.timeout_styles:
        specs.append(spec(["timeout"], timeout_style="wait_for"))
        specs.append(spec(everything, ["queue", "task"], timeout_style="wait_for"))
    if backend != "asyncio":
        specs.append(
            spec(["cleanup", "timeout"], timeout=None, name="no_timeout_worker")
        )
    for style in offered.test_styles[1:]:
        specs.append(spec(everything, ["connection", "thread"], test_style=style))
        specs.append(spec(["cleanup"], test_style=style))
    return specs + support_form_specs(backend)


def support_form_specs(backend: str = "asyncio") -> list[WorkerSpec]:
    """Workers of one backend in the support-module form: every helper used,
    by one worker and by each pattern and resource alone, and none used.

    A small set next to the matrix's single-file specs, until the matrix
    takes the form as one more factor.
    """

    def spec(
        patterns: Iterable[str], resources: Iterable[str] = (), **settings: Any
    ) -> WorkerSpec:
        return spec_for(
            patterns, resources, backend=backend, support_module=True, **settings
        )

    without_stack = [p for p in PATTERNS if p != "exit-stack"]
    return [
        spec(PATTERNS, RESOURCES, name="everything_support"),
        spec(without_stack, RESOURCES, name="nested_everything_support"),
        spec(["cleanup"]),
        spec(["shield"]),
        spec(["checkpoint"]),
        *(spec(["cleanup"], [name]) for name in RESOURCES),
    ]


_FORMATTED: dict[tuple[str, str], str] = {}
"""What :func:`black_once` formatted in this process, by ``(suffix, text)``."""


def black_once(text: str, suffix: str = ".py") -> str:
    """``text`` as black formats a ``suffix`` file (others: unchanged), once
    per process. Specs of one backend share the engine (and specs of one
    settings their support module), and the mutation and golden tests render
    the same few engines and workers again and again."""
    key = (suffix, text)
    if key not in _FORMATTED:
        name = f"module{suffix}"
        _FORMATTED[key] = format_files({name: text})[name]
    return _FORMATTED[key]


def write_project(root: Path, specs: Sequence[WorkerSpec]) -> list[Path]:
    """Render and format ``specs`` into a project at ``root``; return the files written."""
    (root / "src" / PACKAGE).mkdir(parents=True, exist_ok=True)
    (root / "src" / PACKAGE / "__init__.py").write_text("")
    (root / "tests").mkdir(exist_ok=True)
    (root / "pyproject.toml").write_text(PYPROJECT)
    written = []
    for spec in specs:
        files = {**render(spec), **render_support(spec), **render_test_support(spec)}
        for relative, text in files.items():
            path = root / relative
            path.write_text(black_once(text, path.suffix), encoding="utf-8")
            written.append(path)
    return written


def built_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], object]
) -> Path:
    """A folder ``build`` fills once per test run, shared by every xdist worker.

    Each xdist worker has its base temporary folder inside one that is shared
    by the run; the first worker to ask builds ``name`` there, under a lock,
    and the others wait for it and reuse it. Whoever uses the folder only reads
    it (tools may write their own caches: nothing the checks depend on).
    """
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / name
    with open(base / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (base / f"{name}.built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (base / f"{name}.built").touch()
    return folder


def run(
    argv: Sequence[str],
    cwd: Path,
    *,
    timeout: float = 600,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command, capturing its output as text."""
    return subprocess.run(
        list(argv),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        check=False,
    )


def pytest_outcomes(
    root: Path, *args: str, timeout: float = 300, env: dict[str, str] | None = None
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """Run the generated tests in ``root`` under our interpreter (``args`` go to
    pytest, ``env`` over our environment); return the run and ``{test id:
    "passed" | "failed" | "skipped"}`` from its JUnit report (a parametrised id
    keeps its ``[param]``)."""
    import xml.etree.ElementTree as ElementTree

    report = root / "report.xml"
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly"]
    result = run(
        [*pytest, *args, f"--junitxml={report}"], root, timeout=timeout, env=env
    )
    found = {}
    for case in ElementTree.parse(report).iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        found[str(case.get("name"))] = (
            "failed" if failed else "skipped" if skipped else "passed"
        )
    return result, found


PYTHONS = ("3.11", "3.12", "3.13")
"""The CPython versions generated code supports (and is tested on)."""


def interpreters() -> dict[str, str]:
    """``{"3.11": path, ...}`` for the versions of PYTHONS pyenv provides here."""
    found = {}
    for version in PYTHONS:
        pyenv_root = os.environ.get("PYENV_ROOT", "/root/.pyenv")
        matches = sorted(
            glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}")
        )
        if matches:
            found[version] = matches[-1]
    return found


# What a generated project's tests need, installed into one venv per interpreter
# (trio: AnyIO workers' tests run on its trio backend too, and Trio workers').
TEST_REQUIREMENTS = (
    "pytest",
    "pytest-asyncio",
    "anyio",
    "pytest-xdist",
    "trio",
    "pytest-trio",
)


def venv_with_test_deps(
    python: str, version: str, requirements: Sequence[str] = TEST_REQUIREMENTS
) -> Path:
    """A cached venv for ``python`` with ``requirements``; created once, shared.

    Cached under ~/.cache so repeated runs (and xdist workers) reuse it; a lock
    file keeps two workers from building the same venv at once. The ready
    marker is named after the requirement list, so a changed list installs
    what is missing (into the same venv: branches that want other lists share
    it without rebuilding it in turn). Another requirement set than
    TEST_REQUIREMENTS (pinned plugins: the corpus of tests/projects/) gets a
    venv of its own, named after the set, so pins never leak into the default.
    """
    import hashlib

    cache = (
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
        / "cancelgen-tests"
    )
    cache.mkdir(parents=True, exist_ok=True)
    wanted = " ".join(requirements)
    digest = hashlib.sha256(wanted.encode()).hexdigest()[:12]
    name = f"venv-{version}"
    if tuple(requirements) != TEST_REQUIREMENTS:
        name += f"-{digest}"
    venv = cache / name
    ready = venv / f".ready-{digest}"
    with open(cache / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not ready.exists():
            if not (venv / "bin" / "python").exists():
                subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
            subprocess.run(
                [
                    str(venv / "bin" / "python"),
                    "-m",
                    "pip",
                    "install",
                    "-q",
                    *requirements,
                ],
                check=True,
            )
            ready.write_text(wanted)
    return venv / "bin" / "python"
