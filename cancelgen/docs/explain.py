"""``cancelgen explain PATTERN [--backend B]``: what a pattern is for, how a
backend's code does it, its rules, the mistake it avoids.

The rules' wording, each backend's idiom and the common mistakes live in
:mod:`cancelgen.core.catalog` (shared with the docs); this module adds the "what it
is for" paragraph and lays them out with rich markup.
"""

from __future__ import annotations

from cancelgen.core.catalog import BACKENDS, DEFAULT_BACKEND, PATTERNS, RULES
from cancelgen.errors import UsageError, did_you_mean

PURPOSE: dict[str, str] = {
    "cleanup": "Your worker holds something (a file, a connection, a lock) and must give it "
    "back exactly once, whether it finishes, fails or is cancelled. The handler may "
    "log or roll back, but the cancellation keeps travelling up, so timeouts, task "
    "groups and the event loop see it.",
    "checkpoint": "Your worker runs a loop that computes without awaiting. Cancellation "
    "only lands at an await (a checkpoint), so such a loop can never be stopped. A "
    "cheap checkpoint every N iterations gives cancellation a place to land.",
    "shield": "Part of your worker must not be cut in half: a commit, a write that has to "
    "land. If the worker is cancelled meanwhile, the section still runs to its end "
    "(within a bound of its own), and the worker re-raises the cancel after it.",
    "timeout": "Your worker waits on something that may never answer. The wait is bounded, "
    "the limit is a setting with a default, and the timeout error is handled outside "
    "the bounded block.",
    "exit-stack": "Your worker acquires several resources, possibly a variable number. An "
    "AsyncExitStack releases exactly the ones acquired, newest first, even when the "
    "cancel arrives half way through acquiring them.",
    "task-group": "Your worker fans out into child tasks. A task group awaits every child, "
    "cancels the siblings when one fails, and reports failures as an ExceptionGroup "
    "you handle with except*.",
}
"""What each pattern is for, whatever the backend (how each backend does it is
the catalog's ``Idiom``)."""


def explain_markup(name: str, backend: str = DEFAULT_BACKEND) -> str:
    """The explanation of pattern ``name`` in ``backend``'s code, as rich markup.

    Unknown names raise ``UsageError``.
    """
    key = name.strip().lower().replace("_", "-")
    if key not in PATTERNS:
        raise UsageError(
            f"unknown pattern {name!r}{did_you_mean(key, PATTERNS)}; "
            f"choose from: {', '.join(PATTERNS)}"
        )
    if backend not in BACKENDS:
        raise UsageError(
            f"unknown backend {backend!r}{did_you_mean(backend, BACKENDS)}; "
            f"choose from: {', '.join(BACKENDS)}"
        )
    pattern = PATTERNS[key]
    idiom = pattern.idiom(backend)
    # The summaries speak asyncio; another backend's header is its idiom's.
    header = pattern.summary if backend == DEFAULT_BACKEND else f"in {backend}"
    lines = [
        f"[bold cyan]{pattern.name}[/] - {_escape(header)}",
        "",
        "[bold]What it is for[/]",
        f"  {_escape(PURPOSE[key])}",
        "",
        f"[bold]How {backend} code does it[/]",
        f"  {_escape(idiom.code)}",
    ]
    if idiom.instead:
        lines += [f"  [italic]Instead of asyncio's shape:[/] {_escape(idiom.instead)}"]
    lines += ["", "[bold]Rules it implements[/]"]
    lines += [f"  [yellow]{rule}[/] {_escape(RULES[rule])}" for rule in idiom.rules]
    if idiom.mistake:
        lines += [
            "",
            "[bold]Common mistake it avoids[/]",
            f"  [red]x[/] {_escape(idiom.mistake)}",
        ]
    parameters = [
        p
        for p in pattern.parameters
        if p != "timeout_style" or len(BACKENDS[backend].timeout_styles) > 1
    ]
    if parameters:
        options = ", ".join("--" + p.replace("_", "-") for p in parameters)
        lines += ["", f"[bold]Settings[/]  {options}"]
    choice = "" if backend == DEFAULT_BACKEND else f" --backend {backend}"
    lines += [
        "",
        f"[dim]Try it: cancelgen new worker -p {pattern.name}{choice} --stdout[/]",
    ]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Escape rich markup brackets in plain text."""
    return text.replace("[", "\\[")
