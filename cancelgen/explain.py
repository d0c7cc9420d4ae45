"""``cancelgen explain PATTERN``: what a pattern is for, its rules, the mistake it avoids.

The rules' wording and the common mistakes live in :mod:`cancelgen.catalog`
(shared with the docs); this module adds the "what it is for" paragraph and
lays them out with rich markup.
"""

from __future__ import annotations

from cancelgen.catalog import PATTERNS, RULES
from cancelgen.errors import UsageError, did_you_mean

PURPOSE: dict[str, str] = {
    "cleanup": "Your worker holds something (a file, a connection, a lock) and must give it "
    "back exactly once, whether it finishes, fails or is cancelled. The handler may "
    "log or roll back, but the cancellation keeps travelling up, so timeouts, task "
    "groups and asyncio.run see it.",
    "checkpoint": "Your worker runs a loop that computes without awaiting. Cancellation in "
    "asyncio only lands at an await, so such a loop can never be stopped. A cheap "
    "`await asyncio.sleep(0)` every N iterations gives cancellation a place to land.",
    "shield": "Part of your worker must not be cut in half: a commit, a write that has to "
    "land. The section runs as its own task; if the worker is cancelled meanwhile, "
    "it waits (bounded) for the section to finish and then re-raises.",
    "timeout": "Your worker waits on something that may never answer. The wait is bounded "
    "with `asyncio.timeout` (or `wait_for`), the limit is a setting with a default, "
    "and TimeoutError is handled outside the block.",
    "exit-stack": "Your worker acquires several resources, possibly a variable number. An "
    "AsyncExitStack releases exactly the ones acquired, newest first, even when the "
    "cancel arrives half way through acquiring them.",
    "task-group": "Your worker fans out into child tasks. A TaskGroup awaits every child, "
    "cancels the siblings when one fails, and reports failures as an ExceptionGroup "
    "you handle with except*.",
}


def explain_markup(name: str) -> str:
    """The explanation of pattern ``name`` as rich markup; unknown names raise."""
    key = name.strip().lower().replace("_", "-")
    if key not in PATTERNS:
        raise UsageError(
            f"unknown pattern {name!r}{did_you_mean(key, PATTERNS)}; "
            f"choose from: {', '.join(PATTERNS)}"
        )
    pattern = PATTERNS[key]
    lines = [
        f"[bold cyan]{pattern.name}[/] - {_escape(pattern.summary)}",
        "",
        "[bold]What it is for[/]",
        f"  {_escape(PURPOSE[key])}",
        "",
        "[bold]Rules it implements[/]",
    ]
    lines += [f"  [yellow]{rule}[/] {_escape(RULES[rule])}" for rule in pattern.rules]
    if pattern.mistake:
        lines += [
            "",
            "[bold]Common mistake it avoids[/]",
            f"  [red]x[/] {_escape(pattern.mistake)}",
        ]
    if pattern.parameters:
        options = ", ".join("--" + p.replace("_", "-") for p in pattern.parameters)
        lines += ["", f"[bold]Settings[/]  {options}"]
    lines += ["", f"[dim]Try it: cancelgen new worker -p {pattern.name} --stdout[/]"]
    return "\n".join(lines)


def _escape(text: str) -> str:
    """Escape rich markup brackets in plain text."""
    return text.replace("[", "\\[")
