"""Every snippet and every gallery page is executed, and is black- and flake8-async-clean.

All code is extracted from the real output (``snippet()`` and the gallery pages),
for every backend, into one folder per backend; each checker runs once over
each folder, and the ``main()``s run in parallel, each in its own interpreter
with a time bound.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.spec import WorkerSpec
from cancelgen.docs.snippets import (
    GALLERY,
    code_blocks,
    gallery_page,
    mistake_source,
    snippet,
)
from tests import budget
from tests.generated import (
    FLAKE8_ASYNC,
    built_once,
    interpreters,
    run,
    tool,
    venv_with_test_deps,
)
from tests.readme_blocks import DOCS, check_block, rst_code

pytestmark = pytest.mark.slow

RUN_LIMIT_S = 30  # a hanging demo fails instead of hanging the suite


@dataclass(frozen=True)
class Example:
    """One extracted example: where it came from and the code to run."""

    name: str
    patterns: tuple[str, ...]
    resources: tuple[str, ...]
    code: str
    tests: str = ""
    backend: str = "asyncio"

    @property
    def file(self) -> str:
        """Where the example is saved, relative to the folder of examples."""
        return f"{self.backend}/{self.name}.py"


def _snippet_examples(backend: str) -> list[Example]:
    """Each pattern alone and with every resource; each resource alone (md, rst, py)."""
    cases: list[tuple[list[str], list[str], str]] = []
    for pattern in PATTERNS:
        cases.append(([pattern], [], "md"))
        cases.append(([pattern], list(RESOURCES), "rst"))
    for resource in RESOURCES:
        cases.append((["cleanup"], [resource], "py"))
    examples = []
    for patterns, resources, fmt in cases:
        text = snippet(patterns, resources, fmt=fmt, backend=backend)
        [code] = code_blocks(text, fmt)
        spec = WorkerSpec.create(patterns=patterns, resources=resources)
        name = "_".join(part.replace("-", "_") for part in [*patterns, *resources])
        examples.append(
            Example(name, spec.patterns, spec.resources, code, backend=backend)
        )
    return examples


def _gallery_examples(backend: str) -> list[Example]:
    """The example and the test module of every gallery page, from both page formats."""
    examples = []
    for page in GALLERY:
        md, rst = (
            code_blocks(gallery_page(page, fmt, backend), fmt) for fmt in ("md", "rst")
        )
        assert md == rst, f"{page.slug}: the md and rst pages show different code"
        spec = page.spec
        examples.append(
            Example(
                "page_" + page.slug.replace("-", "_"),
                spec.patterns,
                spec.resources,
                md[0],
                md[1],
                backend,
            )
        )
    return examples


def all_examples() -> list[Example]:
    """Every example of every backend: formatting them takes a while, so the
    ``examples`` fixture does it once per run, not each test module import."""
    return [
        example
        for backend in BACKENDS
        for example in _snippet_examples(backend) + _gallery_examples(backend)
    ]


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


# What the AnyIO and Trio demos print instead of the asyncio demo's line, and
# the line they add: cleanup() got to its end (in a cancelled scope, an
# unshielded await in it would have raised at once, R27).
INSTEAD = {
    "anyio": {RESOURCE_LINES["queue"]: "job receiver clone closed: True"},
    "trio": {
        RESOURCE_LINES["queue"]: "job receiver clone closed: True",
        "TimeoutError reached the caller": "trio.TooSlowError reached the caller",
    },
}
SCOPES_CLEANUP = "cleanup finished"


def wanted_lines(example: Example) -> list[str]:
    """The lines ``example``'s main() must print, in its backend's words."""
    wanted = [line for p in example.patterns for line in PATTERN_LINES[p]]
    wanted += [RESOURCE_LINES[r] for r in example.resources]
    if example.backend != "asyncio" and "cleanup" in example.patterns:
        wanted.append(SCOPES_CLEANUP)
    instead = INSTEAD.get(example.backend, {})
    return [instead.get(line, line) for line in wanted]


def advertised(example: Example, lines: list[str]) -> list[str]:
    """What is missing or wrong in ``lines``, the output of ``example``'s main()."""
    problems = [
        f"missing {wanted!r}" for wanted in wanted_lines(example) if wanted not in lines
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


def save_examples(root: Path) -> None:
    """Each example's code in ``<backend>/<name>.py``, and all of them in
    ``examples.json`` (read back by the other xdist workers)."""
    for backend in BACKENDS:
        (root / backend).mkdir()
    examples = all_examples()
    for example in examples:
        (root / example.file).write_text(example.code, encoding="utf-8")
    saved = [dataclasses.asdict(example) for example in examples]
    (root / "examples.json").write_text(json.dumps(saved), encoding="utf-8")


@pytest.fixture(scope="session")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_once(tmp_path_factory, "snippets", save_examples)


@pytest.fixture(scope="session")
def examples(folder: Path) -> list[Example]:
    saved = json.loads((folder / "examples.json").read_text(encoding="utf-8"))
    return [
        Example(
            **{
                **fields,
                "patterns": tuple(fields["patterns"]),
                "resources": tuple(fields["resources"]),
            }
        )
        for fields in saved
    ]


def in_parallel(jobs: list[Callable[[], str]]) -> list[str]:
    """Run ``jobs`` (each spawning a process) a few at a time; return their reports."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda job: job(), jobs))


def test_examples_cover_every_pattern_and_resource_in_every_backend(
    examples: list[Example],
) -> None:
    for backend in BACKENDS:
        ones = [e for e in examples if e.backend == backend]
        assert {p for e in ones for p in e.patterns} == set(PATTERNS)
        assert {r for e in ones for r in e.resources} == set(RESOURCES)
    assert len({e.file for e in examples}) == len(examples)


def example(examples: list[Example], backend: str, name: str) -> Example:
    [found] = [e for e in examples if (e.backend, e.name) == (backend, name)]
    return found


def test_advertised_behaviour_check_can_fail(examples: list[Example]) -> None:
    """The output check rejects a demo whose worker swallowed the cancel, and an
    AnyIO or Trio demo whose cleanup was cut short."""
    broken = [
        "cancel the worker while it commits:",
        "  commit()",
        "  worker cancelled after the commit: False",
    ]
    assert advertised(
        example(examples, "asyncio", "shield"), [line.strip() for line in broken]
    )
    cut_short = ["fetch()", "on_cancel()", "cleanup()", "worker cancelled: True"]
    assert not advertised(example(examples, "asyncio", "cleanup"), cut_short)
    for backend in BACKENDS:
        if backend != "asyncio":
            assert advertised(example(examples, backend, "cleanup"), cut_short) == [
                f"missing {SCOPES_CLEANUP!r}"
            ]


def test_every_main_runs_and_shows_what_it_promises(
    folder: Path, examples: list[Example]
) -> None:
    def job(example: Example) -> Callable[[], str]:
        def check() -> str:
            result = run([sys.executable, example.file], folder, timeout=RUN_LIMIT_S)
            lines = [line.strip() for line in result.stdout.splitlines()]
            problems = advertised(example, lines)
            if result.returncode != 0:
                problems.append(f"exit code {result.returncode}")
            if result.stderr:  # e.g. "Task was destroyed but it is pending!"
                problems.append(f"stderr: {result.stderr[-2000:]}")
            return (
                f"{example.file}: {'; '.join(problems)}\n{result.stdout}"
                if problems
                else ""
            )

        return check

    failures = [report for report in in_parallel([job(e) for e in examples]) if report]
    assert not failures, "\n\n".join(failures)


def test_mains_run_on_the_other_supported_pythons(
    folder: Path, examples: list[Example]
) -> None:
    """Each pattern with every resource, in every backend, on each CPython 3.11+
    found besides this one (in a venv that has AnyIO and Trio)."""
    current = f"{sys.version_info.major}.{sys.version_info.minor}"
    pythons = [
        str(venv_with_test_deps(path, version))
        for version, path in interpreters().items()
        if version != current
    ]
    if not pythons:
        pytest.skip("no other CPython 3.11+ interpreter here")
    richest = [e for e in examples if len(e.resources) == len(RESOURCES)]

    def job(python: str, example: Example) -> Callable[[], str]:
        def check() -> str:
            result = run([python, example.file], folder, timeout=RUN_LIMIT_S)
            lines = [line.strip() for line in result.stdout.splitlines()]
            problems = advertised(example, lines)
            if result.returncode != 0 or result.stderr:
                problems.append(
                    f"exit code {result.returncode}: {result.stderr[-2000:]}"
                )
            return f"{python} {example.file}: {'; '.join(problems)}" if problems else ""

        return check

    jobs = [job(python, example) for python in pythons for example in richest]
    failures = [report for report in in_parallel(jobs) if report]
    assert not failures, "\n\n".join(failures)


def test_snippets_page_shows_what_the_shield_snippet_prints(
    folder: Path, update_golden: bool
) -> None:
    result = run([sys.executable, "asyncio/shield.py"], folder, timeout=RUN_LIMIT_S)
    output = rst_code("text", result.stdout)
    check_block("shield-output", output, update_golden, DOCS / "snippets.rst")


MISTAKES = ["cleanup", "checkpoint", "shield", "timeout", "exit-stack", "task-group"]
# The mistakes whose demo cannot print anything: they fail as they start.
PUSH_CALLBACK = (
    "TypeError: 'function' object does not support the asynchronous "
    "context manager protocol"
)
CRASHES = {
    "asyncio": {"exit-stack": PUSH_CALLBACK},
    "anyio": {
        "exit-stack": PUSH_CALLBACK,
        # A coroutine object given to start_soon (asyncio's create_task habit).
        "task-group": "TypeError: 'coroutine' object is not callable",
    },
    "trio": {
        "exit-stack": PUSH_CALLBACK,
        "task-group": "TypeError: Trio was expecting an async function, but "
        "instead it got a coroutine object",
    },
}


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_the_demos_expose_each_common_mistake(
    tmp_path: Path, backend: str, examples: list[Example]
) -> None:
    """Swap the generated worker for the page's WRONG version: the demo's output
    shows the mistake (or, where it crashes, the mistake's own TypeError)."""
    crashes = CRASHES[backend]

    def job(pattern: str) -> Callable[[], str]:
        def check() -> str:
            demo = example(examples, backend, pattern.replace("-", "_"))
            spec = WorkerSpec.create(patterns=[pattern], backend=backend)
            wrong = mistake_source(spec, pattern)
            main_guard = 'if __name__ == "__main__":'
            code = demo.code.replace(main_guard, wrong + "\n\n" + main_guard)
            path = tmp_path / f"wrong_{demo.name}.py"
            path.write_text(code, encoding="utf-8")
            try:
                result = run([sys.executable, path.name], tmp_path, timeout=30)
            except subprocess.TimeoutExpired:
                return f"{pattern}: the demo hangs instead of showing the mistake"
            if pattern in crashes:
                shown = result.returncode != 0 and crashes[pattern] in result.stderr
            else:
                lines = [line.strip() for line in result.stdout.splitlines()]
                shown = result.returncode == 0 and bool(advertised(demo, lines))
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


# CI's sample: Trio's examples, under the most ASYNC rules (the combinations'
# sample checks every backend's code too); pytest --full: every backend's.
@pytest.mark.parametrize("backend", list(BACKENDS) if budget.full() else ["trio"])
def test_every_example_is_flake8_async_clean(folder: Path, backend: str) -> None:
    result = run([tool("flake8"), *FLAKE8_ASYNC[backend], backend], folder)
    assert result.returncode == 0, result.stdout + result.stderr


def pages_to_test(examples: list[Example]) -> list[Example]:
    """The gallery pages with tests whose tests run: with ``--full`` all of
    them; in CI's sample a third of each backend's, a different third for
    each backend, so that every page is run in some backend (its pages are
    the same workers in each)."""
    pages = [e for e in examples if e.tests]
    if budget.full():
        return pages
    turns = {backend: turn for turn, backend in enumerate(BACKENDS)}
    return [
        page
        for backend in BACKENDS
        for index, page in enumerate(p for p in pages if p.backend == backend)
        if index % len(BACKENDS) == turns[backend]
    ]


def test_the_gallery_sample_runs_every_page_in_some_backend(
    examples: list[Example],
) -> None:
    pages = pages_to_test(examples)
    names = {e.name for e in examples if e.tests}
    assert {page.name for page in pages} == names
    assert {page.backend for page in pages} == set(BACKENDS)
    every = [e for e in examples if e.tests]
    assert len(pages) == (len(every) if budget.full() else len(names))


def test_every_gallery_page_passes_its_own_tests(
    tmp_path: Path, examples: list[Example]
) -> None:
    """Saved as the page says (worker.py, test_worker.py), the page's tests
    pass (CI's sample: :func:`pages_to_test`)."""
    pages = pages_to_test(examples)

    def job(example: Example) -> Callable[[], str]:
        def check() -> str:
            where = tmp_path / example.backend / example.name
            where.mkdir(parents=True)
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
                else f"{example.file}:\n{result.stdout[-3000:]}"
            )

        return check

    failures = [report for report in in_parallel([job(e) for e in pages]) if report]
    assert not failures, "\n\n".join(failures)
