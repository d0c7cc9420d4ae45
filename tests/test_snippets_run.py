"""Every snippet and every gallery page is executed, and is black- and flake8-async-clean.

All code is extracted from the real output (``snippet()`` and the gallery pages)
into one folder; each checker runs once over it, and the ``main()``s run in
parallel, each in its own interpreter with a time bound.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from cancelgen.catalog import PATTERNS, RESOURCES
from cancelgen.snippets import (
    GALLERY,
    code_blocks,
    gallery_page,
    mistake_source,
    snippet,
)
from cancelgen.spec import WorkerSpec
from tests.generated import interpreters, run, tool
from tests.readme_blocks import check_block

pytestmark = pytest.mark.slow

RUN_LIMIT_S = 30  # a hanging demo fails instead of hanging the suite
FLAKE8_ASYNC = ["--select=ASYNC", "--extend-ignore=ASYNC910,ASYNC911,ASYNC912,ASYNC913"]


@dataclass(frozen=True)
class Example:
    """One extracted example: where it came from and the code to run."""

    name: str
    patterns: tuple[str, ...]
    resources: tuple[str, ...]
    code: str
    tests: str = ""


def _snippet_examples() -> list[Example]:
    """Each pattern alone and with every resource; each resource alone (md, rst, py)."""
    cases: list[tuple[list[str], list[str], str]] = []
    for pattern in PATTERNS:
        cases.append(([pattern], [], "md"))
        cases.append(([pattern], list(RESOURCES), "rst"))
    for resource in RESOURCES:
        cases.append((["cleanup"], [resource], "py"))
    examples = []
    for patterns, resources, fmt in cases:
        [code] = code_blocks(snippet(patterns, resources, fmt=fmt), fmt)
        spec = WorkerSpec.create(patterns=patterns, resources=resources)
        name = "_".join(part.replace("-", "_") for part in [*patterns, *resources])
        examples.append(Example(name, spec.patterns, spec.resources, code))
    return examples


def _gallery_examples() -> list[Example]:
    """The example and the test module of every gallery page, from both page formats."""
    examples = []
    for page in GALLERY:
        md, rst = (code_blocks(gallery_page(page, fmt), fmt) for fmt in ("md", "rst"))
        assert md == rst, f"{page.slug}: the md and rst pages show different code"
        spec = page.spec
        examples.append(
            Example(
                "page_" + page.slug.replace("-", "_"),
                spec.patterns,
                spec.resources,
                md[0],
                md[1],
            )
        )
    return examples


EXAMPLES = _snippet_examples() + _gallery_examples()

# What each demo prints when the worker is right (one line each, any order).
RESOURCE_LINES = {
    "lock": "lock released: True",
    "semaphore": "semaphore slot given back: True",
    "queue": "queue job marked done: True",
    "subprocess": "child process reaped: True",
    "connection": "connection closed: True",
    "thread": "thread stopped: True",
    "task": "background task cancelled: True",
    "custom": "custom context exited: True",
}
PATTERN_LINES = {
    "cleanup": ["on_cancel()", "cleanup()", "worker cancelled: True"],
    "checkpoint": ["cancel a loop over 100000 items:"],
    "shield": [
        "worker still waiting for its commit: True",
        "commit finished",
        "worker cancelled after the commit: True",
    ],
    "timeout": [
        "TimeoutError reached the caller",
        "it fired after about timeout_s: True",
    ],
    "exit-stack": ["worker cancelled: True"],
    "task-group": [
        "child 2 fails",
        "child 0 cancelled by the group",
        "child 1 cancelled by the group",
        "the caller got RuntimeError('child 2 failed')",
    ],
}


def advertised(example: Example, lines: list[str]) -> list[str]:
    """What is missing or wrong in ``lines``, the output of ``example``'s main()."""
    problems = [
        f"missing {wanted!r}"
        for pattern in example.patterns
        for wanted in PATTERN_LINES[pattern]
        if wanted not in lines
    ]
    problems += [
        f"missing {RESOURCE_LINES[r]!r}"
        for r in example.resources
        if RESOURCE_LINES[r] not in lines
    ]
    problems += [f"says {line!r}" for line in lines if line.endswith(": False")]
    shield_done = "worker cancelled after the commit: True"
    if (
        "shield" in example.patterns
        and not problems
        and lines.index("commit finished") > lines.index(shield_done)
    ):
        problems.append("the worker ended before its commit")
    if "checkpoint" in example.patterns:
        crunched = re.search(
            r"items crunched before the cancel: (\d+) of 100000", "\n".join(lines)
        )
        if crunched is None:
            problems.append("no count of crunched items")
        elif int(crunched.group(1)) > 2 * 1000:
            problems.append(f"the loop ran {crunched.group(1)} items after cancel()")
    return problems


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("snippets")
    for example in EXAMPLES:
        (root / f"{example.name}.py").write_text(example.code, encoding="utf-8")
    return root


def in_parallel(jobs: list[Callable[[], str]]) -> list[str]:
    """Run ``jobs`` (each spawning a process) a few at a time; return their reports."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda job: job(), jobs))


def test_examples_cover_every_pattern_and_resource() -> None:
    assert {p for e in EXAMPLES for p in e.patterns} == set(PATTERNS)
    assert {r for e in EXAMPLES for r in e.resources} == set(RESOURCES)
    assert len({e.name for e in EXAMPLES}) == len(EXAMPLES)


def test_advertised_behaviour_check_can_fail() -> None:
    """The output check rejects a demo whose worker swallowed the cancel."""
    [shield] = [e for e in EXAMPLES if e.name == "shield"]
    broken = [
        "cancel the worker while it commits:",
        "  commit()",
        "  worker cancelled after the commit: False",
    ]
    assert advertised(shield, [line.strip() for line in broken])


def test_every_main_runs_and_shows_what_it_promises(folder: Path) -> None:
    def job(example: Example) -> Callable[[], str]:
        def check() -> str:
            result = run(
                [sys.executable, f"{example.name}.py"], folder, timeout=RUN_LIMIT_S
            )
            lines = [line.strip() for line in result.stdout.splitlines()]
            problems = advertised(example, lines)
            if result.returncode != 0:
                problems.append(f"exit code {result.returncode}")
            if result.stderr:  # e.g. "Task was destroyed but it is pending!"
                problems.append(f"stderr: {result.stderr[-2000:]}")
            return (
                f"{example.name}: {'; '.join(problems)}\n{result.stdout}"
                if problems
                else ""
            )

        return check

    failures = [report for report in in_parallel([job(e) for e in EXAMPLES]) if report]
    assert not failures, "\n\n".join(failures)


def test_mains_run_on_the_other_supported_pythons(folder: Path) -> None:
    """Each pattern with every resource, on each CPython 3.11+ found besides this one."""
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    pythons = [path for version, path in interpreters().items() if version != current]
    if not pythons:
        pytest.skip("no other CPython 3.11+ interpreter here")
    richest = [e for e in EXAMPLES if len(e.resources) == len(RESOURCES)]

    def job(python: str, example: Example) -> Callable[[], str]:
        def check() -> str:
            result = run([python, f"{example.name}.py"], folder, timeout=RUN_LIMIT_S)
            lines = [line.strip() for line in result.stdout.splitlines()]
            problems = advertised(example, lines)
            if result.returncode != 0 or result.stderr:
                problems.append(
                    f"exit code {result.returncode}: {result.stderr[-2000:]}"
                )
            return f"{python} {example.name}: {'; '.join(problems)}" if problems else ""

        return check

    jobs = [job(python, example) for python in pythons for example in richest]
    failures = [report for report in in_parallel(jobs) if report]
    assert not failures, "\n\n".join(failures)


def test_readme_shows_what_the_shield_snippet_prints(
    folder: Path, update_golden: bool
) -> None:
    result = run([sys.executable, "shield.py"], folder, timeout=RUN_LIMIT_S)
    check_block("shield-output", f"```text\n{result.stdout}```\n", update_golden)


MISTAKES = ["cleanup", "checkpoint", "shield", "timeout", "exit-stack", "task-group"]
# The one mistake whose demo cannot print anything: it fails as it starts.
CRASHES = {
    "exit-stack": "TypeError: 'function' object does not support the asynchronous "
    "context manager protocol",
}


def test_the_demos_expose_each_common_mistake(tmp_path: Path) -> None:
    """Swap the generated worker for the page's WRONG version: the demo's output
    shows the mistake (or, for exit-stack, the mistake's own TypeError)."""

    def job(pattern: str) -> Callable[[], str]:
        def check() -> str:
            [example] = [e for e in EXAMPLES if e.name == pattern.replace("-", "_")]
            wrong = mistake_source(WorkerSpec.create(patterns=[pattern]), pattern)
            main_guard = 'if __name__ == "__main__":'
            code = example.code.replace(main_guard, wrong + "\n\n" + main_guard)
            path = tmp_path / f"wrong_{example.name}.py"
            path.write_text(code, encoding="utf-8")
            try:
                result = run([sys.executable, path.name], tmp_path, timeout=30)
            except subprocess.TimeoutExpired:
                return f"{pattern}: the demo hangs instead of showing the mistake"
            if pattern in CRASHES:
                shown = result.returncode != 0 and CRASHES[pattern] in result.stderr
            else:
                lines = [line.strip() for line in result.stdout.splitlines()]
                shown = result.returncode == 0 and bool(advertised(example, lines))
            return (
                ""
                if shown
                else f"{pattern}: the wrong version is not exposed\n"
                f"{result.stdout}{result.stderr[-2000:]}"
            )

        return check

    failures = [report for report in in_parallel([job(p) for p in MISTAKES]) if report]
    assert not failures, "\n\n".join(failures)


def test_every_example_is_black_clean(folder: Path) -> None:
    result = run([tool("black"), "--check", "--target-version", "py311", "."], folder)
    assert result.returncode == 0, result.stderr


def test_every_example_is_flake8_async_clean(folder: Path) -> None:
    result = run([tool("flake8"), *FLAKE8_ASYNC, "."], folder)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_gallery_page_passes_its_own_tests(tmp_path: Path) -> None:
    """Saved as the page says (worker.py, test_worker.py), the page's tests pass."""
    pages = [e for e in EXAMPLES if e.tests]

    def job(example: Example) -> Callable[[], str]:
        def check() -> str:
            where = tmp_path / example.name
            where.mkdir()
            (where / "worker.py").write_text(example.code, encoding="utf-8")
            (where / "test_worker.py").write_text(example.tests, encoding="utf-8")
            argv = [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:randomly",
            ]
            result = run(
                [*argv, "--rootdir", str(where), "test_worker.py"], where, timeout=120
            )
            return (
                ""
                if result.returncode == 0
                else f"{example.name}:\n{result.stdout[-3000:]}"
            )

        return check

    failures = [report for report in in_parallel([job(e) for e in pages]) if report]
    assert not failures, "\n\n".join(failures)
