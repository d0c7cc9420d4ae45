"""Docs output: runnable examples, a gallery of them, from the generator's templates.

A snippet is the worker module exactly as ``cancelgen new`` renders it
(``render_module``), followed by a demo from ``templates/<backend>/snippet_main.py.jinja``:
a subclass of the generated Steps class that prints what the worker does, and a
``main()`` that cancels it (or times it out, or fails a child) and shows what
happened. The whole file is formatted by black, so docs never drift from the
generated code, and the test suite runs every snippet.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from cancelgen.core.catalog import DEFAULT_BACKEND, PATTERNS, RULES
from cancelgen.core.render import (
    BACKEND_TEMPLATE,
    environment,
    render_module,
    render_tests,
)
from cancelgen.core.spec import WorkerSpec
from cancelgen.errors import CancelgenError, UsageError, did_you_mean

Format = Literal["md", "rst", "py"]
FORMATS: tuple[Format, ...] = ("md", "rst", "py")
PAGE_FORMATS: tuple[Format, ...] = ("md", "rst")
DEMO_TEMPLATE = "snippet_main.py.jinja"
WORKER_NAME = "worker"
"""Every snippet's worker is called ``worker``: saved as ``worker.py``, its test imports it."""

EXPLANATIONS: dict[str, str] = {
    "cleanup": "Cancelling a task raises `CancelledError` at the await it is "
    "suspended in. The worker lets it travel: `on_cancel()` runs in a short "
    "handler that ends with a bare `raise`, and `cleanup()` runs once in "
    "`finally`, on every path, inside its own timeout because a second cancel "
    "can arrive while it runs.",
    "checkpoint": "Cancellation is cooperative: it lands only at an `await`. A "
    "CPU-bound loop therefore awaits `asyncio.sleep(0)` every `checkpoint_every` "
    "items; that checkpoint is where the cancel lands, so the loop stops within "
    "one stretch of items instead of finishing the batch.",
    "shield": "Some work must not be cut in half, a commit for instance. The "
    "worker runs it as its own task and shields it; if the worker is cancelled "
    "meanwhile, it waits (shielded again) for the commit to end and only then "
    "re-raises the cancel. The commit has its own timeout so the worker can "
    "always stop.",
    "timeout": "`asyncio.timeout()` cancels the block when time is up and turns "
    "that cancel into `TimeoutError` as the block exits. The limit is a setting "
    "of the Steps class (None disables it), and `TimeoutError` is caught by the "
    "caller, outside the block.",
    "exit-stack": "`contextlib.AsyncExitStack` holds the resources the worker "
    "acquires one by one and releases them in reverse order however the block "
    "is left, including a cancel half way through acquiring them: only what was "
    "acquired is released.",
    "task-group": "`asyncio.TaskGroup` runs the children concurrently. When one "
    "fails, the group cancels its siblings, waits for all of them, and raises an "
    "`ExceptionGroup` that the caller handles with `except*`; no child is left "
    "running.",
}
"""What each pattern does, and why, for the docs."""

CORRECT_PARTS: dict[str, str] = {"shield": "commit_shielded"}
"""The generated function that shows a pattern best (default: the worker itself)."""

DEMO_OUTPUT: dict[str, str] = {
    "show_checkpoint": "cancels a loop over 100,000 items: it stops at a checkpoint "
    "after about a thousand of them",
    "show_shield": "cancels it mid-commit: the worker waits for the commit to "
    "finish, then ends cancelled",
    "show_timeout": "lets a fetch that never answers run into a 0.1 s timeout: "
    "`TimeoutError` reaches the caller",
    "show_task_group": "makes one child fail: its siblings are cancelled and the "
    "caller gets the error",
}
"""What each scenario of the demo's ``main()`` shows, in the order it runs them
(``show_cancel`` first, worded from what it cancels; the test suite checks the
order against ``main()``)."""


@dataclass(frozen=True)
class Page:
    """One gallery page: a pattern or a useful combination of them."""

    slug: str
    title: str
    patterns: tuple[str, ...]
    resources: tuple[str, ...] = ()
    intro: str = ""

    @property
    def spec(self) -> WorkerSpec:
        """The worker this page shows, in asyncio."""
        return self.spec_in(DEFAULT_BACKEND)

    def spec_in(self, backend: str) -> WorkerSpec:
        """The worker this page shows, written for ``backend``."""
        return snippet_spec(self.patterns, self.resources, backend)


GALLERY: tuple[Page, ...] = (
    *(
        Page(name, name, (name,), intro=f"{pattern.summary}.")
        for name, pattern in PATTERNS.items()
    ),
    Page(
        "cleanup-timeout",
        "cleanup + timeout",
        ("cleanup", "timeout"),
        intro="The default worker: a bounded wait, and a cleanup that runs once "
        "whether the worker finishes, times out or is cancelled.",
    ),
    Page(
        "shield-timeout",
        "shield + timeout",
        ("shield", "timeout"),
        intro="A bounded fetch followed by a commit that is never cut in half: "
        "the timeout covers the wait, the shield covers the commit.",
    ),
    Page(
        "exit-stack-resources",
        "exit-stack with resources",
        ("cleanup", "exit-stack"),
        ("lock", "queue", "subprocess", "connection"),
        intro="A lock, a queued job, a child process and a connection on one "
        "AsyncExitStack: cancelled, the worker releases them all, last first "
        "(the demo shows each released, the tests check the order).",
    ),
    Page(
        "task-group-cleanup",
        "task-group + cleanup",
        ("cleanup", "task-group"),
        intro="Fan-out with a TaskGroup, and a cleanup that runs once after all "
        "children ended, even when one of them failed.",
    ),
    Page(
        "threads-and-tasks",
        "checkpoint + cleanup with a thread, a task and a semaphore",
        ("cleanup", "checkpoint"),
        ("semaphore", "thread", "task"),
        intro="Work that outlives a plain cancel unless it is told to stop: a "
        "thread gets a stop flag, a background task is cancelled and awaited, "
        "and the semaphore slot is given back.",
    ),
)
"""The pages of ``cancelgen gallery``: every pattern alone, then combinations."""


def snippet_spec(
    patterns: Iterable[str],
    resources: Iterable[str] = (),
    backend: str = DEFAULT_BACKEND,
) -> WorkerSpec:
    """The spec a snippet renders: ``worker``, with the given patterns and
    resources, written for ``backend``; self-contained (its tests carry the
    harness and the sweep's engine: a snippet is one page, not a project).

    Raises ``UsageError`` (unknown or missing names) exactly as ``cancelgen new``.
    """
    return WorkerSpec.create(
        name=WORKER_NAME,
        patterns=list(patterns),
        resources=list(resources),
        backend=backend,
        shared_tests=False,
    )


def _formatted(source: str) -> str:
    """black's output for ``source`` (its default settings), answered from
    cancelgen's cache where it can be (:func:`cancelgen.core.cache.format_files`):
    a docs build or ``cancelgen gallery`` formats the same hundred-odd
    modules, the largest 600 lines, every time it runs."""
    from cancelgen.core.cache import format_files

    return format_files({"example.py": source})["example.py"]


@functools.cache
def example_source(spec: WorkerSpec) -> str:
    """The runnable example: the worker module plus its demo ``main()``, black-formatted."""
    demo = (
        environment(backend=spec.backend).get_template(DEMO_TEMPLATE).render(spec=spec)
    )
    return _formatted(render_module(spec).rstrip("\n") + "\n" + demo)


@functools.cache
def worker_tests_source(spec: WorkerSpec) -> str:
    """The generated test module for the example (saved as ``test_worker.py``)."""
    return _formatted(render_tests(spec))


def mistake_source(spec: WorkerSpec, pattern: str) -> str:
    """The common mistake ``pattern`` avoids, as code whose wrong lines say ``WRONG``."""
    fragment = (
        environment(backend=spec.backend)
        .get_template(f"snippets/{pattern}.py.jinja")
        .module
    )
    return _formatted(str(fragment.wrong(spec)) + "\n")  # type: ignore[attr-defined]


@functools.cache
def _module_source(spec: WorkerSpec) -> str:
    return _formatted(render_module(spec))


def correct_source(spec: WorkerSpec, pattern: str) -> str:
    """The function of the generated module that does ``pattern`` right."""
    source = _module_source(spec)
    wanted = CORRECT_PARTS.get(pattern, spec.name)
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.AsyncFunctionDef | ast.FunctionDef)
            and node.name == wanted
        ):
            segment = ast.get_source_segment(source, node)
            if segment is not None:
                return segment + "\n"
    raise RuntimeError(
        f"the generated module has no function {wanted!r}"
    )  # a template bug


def _check_format(fmt: str, allowed: Sequence[str]) -> Format:
    if fmt not in allowed:
        raise UsageError(
            f"unknown format {fmt!r}{did_you_mean(fmt, allowed)}; choose from: {', '.join(allowed)}"
        )
    return fmt  # type: ignore[return-value]


def rst_inline(words: str) -> str:
    """Prose with Markdown code marks (`code`) as reStructuredText (``code``)."""
    return re.sub(r"(?<!`)`([^`]+)`(?!`)", r"``\1``", words)


class _Writer:
    """Markup for one output format: paragraphs, lists, code blocks, headings."""

    def __init__(self, fmt: Format) -> None:
        self.fmt = fmt
        self.parts: list[str] = []

    def text(self, words: str) -> str:
        """Inline markup: our prose uses Markdown backticks; rst wants two."""
        return rst_inline(words) if self.fmt == "rst" else words

    def para(self, words: str) -> None:
        self.parts.append(self.text(words))

    def label(self, words: str) -> None:
        """A small heading that is safe inside other documents (no section)."""
        if self.fmt == "rst":
            self.parts.append(f".. rubric:: {self.text(words)}")
        else:
            self.parts.append(f"**{words}**")

    def heading(self, words: str, level: int) -> None:
        if self.fmt == "rst":
            underline = "=-~"[level - 1] * len(words)
            self.parts.append(f"{words}\n{underline}")
        else:
            self.parts.append("#" * level + " " + words)

    def bullets(self, items: Iterable[str], *, markup: bool = False) -> None:
        """A list; ``markup=True`` items are already in the output's markup."""
        self.parts.append(
            "\n".join(f"- {item if markup else self.text(item)}" for item in items)
        )

    def code(self, source: str) -> None:
        if self.fmt == "rst":
            body = "\n".join(
                f"   {line}" if line else "" for line in source.splitlines()
            )
            self.parts.append(f".. code-block:: python\n\n{body}")
        else:
            self.parts.append(f"```python\n{source.rstrip()}\n```")

    def boxed(
        self, kind: Literal["error", "tip"], title: str, words: str, source: str
    ) -> None:
        """A titled box around a sentence and a code block (rst admonition, md quote)."""
        inner = _Writer(self.fmt)
        inner.para(words)
        inner.code(source)
        if self.fmt == "rst":
            body = "\n".join(
                f"   {line}" if line else "" for line in inner.result().splitlines()
            )
            self.parts.append(f".. admonition:: {title}\n   :class: {kind}\n\n{body}")
        else:
            self.parts.append(f"**{title}**")
            self.parts.extend(inner.parts)

    def result(self) -> str:
        return "\n\n".join(self.parts) + "\n"


def _explanation(spec: WorkerSpec, name: str) -> tuple[str, str]:
    """(label, paragraph) telling what pattern ``name`` does in ``spec``'s backend."""
    pattern = PATTERNS[name]
    if spec.backend == DEFAULT_BACKEND:
        return pattern.summary, EXPLANATIONS[name]
    idiom = pattern.idiom(spec.backend)
    words = f"In {spec.backend}: {idiom.code}."
    return f"in {spec.backend}", words + (f" {idiom.instead}" if idiom.instead else "")


def _explain_patterns(out: _Writer, spec: WorkerSpec) -> None:
    for name in spec.patterns:
        label, words = _explanation(spec, name)
        out.label(f"{name}: {label}")
        out.para(words)
        rules = PATTERNS[name].idiom(spec.backend).rules
        out.bullets(f"{rule}: {RULES[rule]}" for rule in rules)


def _mistakes(out: _Writer, spec: WorkerSpec) -> None:
    for name in spec.patterns:
        out.boxed(
            "error",
            f"Wrong ({name}): the common mistake",
            PATTERNS[name].idiom(spec.backend).mistake,
            mistake_source(spec, name),
        )
        out.boxed(
            "tip",
            f"Right ({name}): as cancelgen generates it",
            f"`{CORRECT_PARTS.get(name, spec.name)}()` from the example above.",
            correct_source(spec, name),
        )


def demo_scenarios(spec: WorkerSpec) -> dict[str, str]:
    """``{scenario function: what it shows}`` in the order ``main()`` runs them."""
    scenarios: dict[str, str] = {}
    released = []
    if spec.uses("cleanup"):
        released.append("`on_cancel()` and `cleanup()` run once")
    if spec.resources:
        released.append("every resource is released")
    if released:
        who = "the task" if spec.backend == DEFAULT_BACKEND else "its scope"
        scenarios["show_cancel"] = (
            f"cancels it while it fetches: {', '.join(released)}, and {who} "
            "ends cancelled"
        )
    for name in ("checkpoint", "shield", "timeout", "task-group"):
        if spec.uses(name):
            scenario = "show_" + name.replace("-", "_")
            scenarios[scenario] = DEMO_OUTPUT[scenario]
    if "show_timeout" in scenarios:
        error = _backend_says(spec, "TIMEOUT_ERROR", "TimeoutError")
        scenarios["show_timeout"] = scenarios["show_timeout"].replace(
            "`TimeoutError`", f"`{error}`"
        )
    return scenarios


def _backend_says(spec: WorkerSpec, name: str, default: str) -> str:
    """A name ``spec``'s backend folder sets in ``_backend.py.jinja`` (``default`` if not)."""
    module = environment(backend=spec.backend).get_template(BACKEND_TEMPLATE).module
    return str(getattr(module, name, default))


def _demo_sentence(spec: WorkerSpec) -> str:
    return "Its `main()` " + "; then ".join(demo_scenarios(spec).values()) + "."


def snippet(
    patterns: Iterable[str],
    resources: Iterable[str] = (),
    fmt: str = "md",
    with_tests: bool = False,
    explain: bool = False,
    backend: str = DEFAULT_BACKEND,
) -> str:
    """A self-contained, runnable, black-formatted example of ``patterns``,
    written for ``backend``.

    ``fmt`` is ``"md"`` (a fenced ``python`` block), ``"rst"`` (``.. code-block::
    python``) or ``"py"`` (the code alone). ``with_tests`` adds the generated test
    module (md and rst only: plain Python holds one file); ``explain`` adds what
    each pattern does, the rules it follows and the common mistake it avoids,
    marked as wrong, next to the generated code that gets it right.
    """
    chosen = _check_format(fmt, FORMATS)
    spec = snippet_spec(patterns, resources, backend)
    if chosen == "py":
        if with_tests:
            raise UsageError(
                "--with-tests needs --format md or rst: plain Python holds one file"
            )
        return _plain(spec, explain)
    out = _Writer(chosen)
    if explain:
        _explain_patterns(out, spec)
    if explain or with_tests:
        out.para(
            f"`{WORKER_NAME}.py`, run it with `python {WORKER_NAME}.py`. "
            + _demo_sentence(spec)
        )
    out.code(example_source(spec))
    if with_tests:
        out.para(
            f"`test_{WORKER_NAME}.py`, next to `{WORKER_NAME}.py`: run it with "
            f"`pytest test_{WORKER_NAME}.py`."
        )
        out.code(worker_tests_source(spec))
    if explain:
        _mistakes(out, spec)
    return out.result()


def _plain(spec: WorkerSpec, explain: bool) -> str:
    """The example as a Python file; ``explain`` puts the story in a leading comment."""
    source = example_source(spec)
    if not explain:
        return source
    lines = [f"# cancelgen snippet: {', '.join(spec.patterns)}"]
    for name in spec.patterns:
        label, words = _explanation(spec, name)
        idiom = PATTERNS[name].idiom(spec.backend)
        lines += ["#", f"# {name}: {label}", "#"]
        lines += [f"#   {line}" for line in _wrap(words)]
        for rule in idiom.rules:
            lines += [f"#   {line}" for line in _wrap(f"{rule}: {RULES[rule]}")]
        lines += ["#", f"# WRONG, the common mistake: {idiom.mistake}", "#"]
        lines += [
            f"#     {line}".rstrip() for line in mistake_source(spec, name).splitlines()
        ]
    return "\n".join(lines) + "\n\n" + source


def _wrap(words: str, width: int = 80) -> list[str]:
    import textwrap

    return textwrap.wrap(words, width)


def gallery_page(page: Page, fmt: str = "md", backend: str = DEFAULT_BACKEND) -> str:
    """One gallery page: title, intro, example, its test, explanation, mistakes."""
    chosen = _check_format(fmt, PAGE_FORMATS)
    spec = page.spec_in(backend)
    out = _Writer(chosen)
    out.heading(page.title, 1)
    if page.intro:
        out.para(page.intro)
    facts = [f"Patterns: {', '.join(f'`{p}`' for p in spec.patterns)}"]
    if spec.resources:
        facts.append(f"Resources: {', '.join(f'`{r}`' for r in spec.resources)}")
    command = " ".join(spec.patterns)
    if spec.resources:
        command += " -r " + " ".join(spec.resources)
    if backend != DEFAULT_BACKEND:
        facts.insert(0, f"Backend: `{backend}`")
        command += f" --backend {backend}"
    facts.append(f"Made with `cancelgen snippet {command} --with-tests --explain`")
    out.bullets(facts)
    out.heading("Example", 2)
    out.para(
        f"`{WORKER_NAME}.py`, run it with `python {WORKER_NAME}.py`. "
        + _demo_sentence(spec)
    )
    out.code(example_source(spec))
    out.heading("Test", 2)
    out.para(
        f"`test_{WORKER_NAME}.py`, next to `{WORKER_NAME}.py`: run it with "
        f"`pytest test_{WORKER_NAME}.py`. Each test fails when the behaviour it checks breaks."
    )
    out.code(worker_tests_source(spec))
    out.heading("How it works", 2)
    _explain_patterns(out, spec)
    out.heading("Common mistakes", 2)
    _mistakes(out, spec)
    return out.result()


def gallery_index(fmt: str = "md", backend: str = DEFAULT_BACKEND) -> str:
    """The gallery's index page, linking every page of ``GALLERY``."""
    chosen = _check_format(fmt, PAGE_FORMATS)
    out = _Writer(chosen)
    title = "Cancellation gallery"
    out.heading(title if backend == DEFAULT_BACKEND else f"{title}: {backend}", 1)
    out.para(
        "Each page is a runnable example generated by cancelgen from the same "
        "templates as `cancelgen new`: the worker, a `main()` that cancels it and "
        "shows what happens, the worker's tests, the rules it follows and the "
        "mistake it avoids. Every example is executed by cancelgen's test suite."
    )
    if chosen == "rst":
        out.bullets(
            (f":doc:`{page.slug}`: {out.text(page.intro)}" for page in GALLERY),
            markup=True,
        )
        out.parts.append(
            ".. toctree::\n   :hidden:\n\n" + "\n".join(f"   {p.slug}" for p in GALLERY)
        )
    else:
        out.bullets(f"[{page.title}]({page.slug}.md): {page.intro}" for page in GALLERY)
    return out.result()


def write_gallery(
    outdir: Path, fmt: str = "md", backend: str = DEFAULT_BACKEND
) -> list[Path]:
    """Write every gallery page, for ``backend``, and the index into ``outdir``;
    return the paths.

    Files are only rewritten when their content changed, so a docs build that
    regenerates the gallery does not rebuild unchanged pages.
    """
    chosen = _check_format(fmt, PAGE_FORMATS)
    # Every page first: a bad backend is refused before anything is created.
    pages = {
        f"{page.slug}.{chosen}": gallery_page(page, chosen, backend) for page in GALLERY
    }
    pages[f"index.{chosen}"] = gallery_index(chosen, backend)
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CancelgenError(
            f"cannot create {outdir}: {error.strerror or error}"
        ) from error
    written = []
    for name, text in pages.items():
        path = outdir / name
        try:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CancelgenError(
                f"cannot write {path}: {error.strerror or error}"
            ) from error
        written.append(path)
    return written


_MD_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
_RST_BLOCK = re.compile(
    r"^( *)\.\. code-block:: python\n\n((?:\1   .*\n|\n)+)", re.MULTILINE
)


def code_blocks(text: str, fmt: str) -> list[str]:
    """The Python code blocks of a snippet or page, in order (for tests and tools)."""
    chosen = _check_format(fmt, FORMATS)
    if chosen == "py":
        return [text]
    if chosen == "md":
        return [match.group(1) for match in _MD_BLOCK.finditer(text)]
    blocks = []
    for match in _RST_BLOCK.finditer(text):
        indent = len(match.group(1)) + 3
        lines = [line[indent:] for line in match.group(2).splitlines()]
        blocks.append("\n".join(lines).strip("\n") + "\n")
    return blocks


__all__ = [
    "FORMATS",
    "GALLERY",
    "Page",
    "code_blocks",
    "example_source",
    "gallery_index",
    "gallery_page",
    "rst_inline",
    "snippet",
    "snippet_spec",
    "worker_tests_source",
    "write_gallery",
]
