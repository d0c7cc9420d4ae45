"""The registry of cancellation patterns and resources.

Adding a pattern is one entry here plus its fragment in ``templates/patterns/``;
adding a resource is one entry plus its fragment in ``templates/resources/``.
The names are the public contract used by the CLI flags, copier and the docs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pattern:
    """A cancellation pattern that can be combined with the others in one worker."""

    name: str
    summary: str
    rules: tuple[str, ...]
    """Rule ids from CANCELLATION.md that the pattern's fragment implements."""
    parameters: tuple[str, ...] = ()
    """``WorkerSpec`` fields that only matter when this pattern is chosen."""
    mistake: str = ""
    """The common mistake the pattern avoids, in one sentence."""


@dataclass(frozen=True)
class Resource:
    """Something the worker acquires and must release even when cancelled."""

    name: str
    summary: str
    rules: tuple[str, ...]
    value: str
    """What the worker gets from it, as shown to users."""


PATTERNS: dict[str, Pattern] = {
    p.name: p
    for p in (
        Pattern(
            "cleanup",
            "try/except CancelledError/finally: clean up exactly once, re-raise the cancel",
            ("R1", "R2", "R3", "R5"),
            ("cleanup_timeout",),
            "Swallowing CancelledError (return or pass in the handler) breaks "
            "asyncio.timeout, TaskGroup and asyncio.run.",
        ),
        Pattern(
            "checkpoint",
            "await asyncio.sleep(0) every N iterations so a CPU loop can be cancelled",
            ("R6", "R7"),
            ("checkpoint_every",),
            "Polling current_task().cancelled() in the loop: it stays False while "
            "the task runs, so the loop never stops.",
        ),
        Pattern(
            "shield",
            "a critical section that finishes before the worker exits, then re-raises",
            ("R9", "R10", "R11", "R12"),
            ("commit_timeout",),
            "`await asyncio.shield(commit())` alone: the worker exits at once and "
            "the commit runs on unobserved, or never finishes at shutdown.",
        ),
        Pattern(
            "timeout",
            "bound a wait with asyncio.timeout (or wait_for), timeout as a setting",
            ("R13", "R14", "R15", "R16", "R17"),
            ("timeout", "timeout_style"),
            "Catching TimeoutError inside the `async with asyncio.timeout()` block, "
            "or passing `timeout=` through your own async API.",
        ),
        Pattern(
            "exit-stack",
            "AsyncExitStack: resources released in reverse order, even mid-acquisition",
            ("R18", "R19", "R20"),
            (),
            "`async with stack.push_async_callback(cb)`: it returns the callback, "
            "not a context manager, and raises TypeError.",
        ),
        Pattern(
            "task-group",
            "TaskGroup fan-out: a failing child cancels its siblings, all are awaited",
            ("R4", "R11", "R21", "R22", "R23"),
            ("children",),
            "gather(..., return_exceptions=True) hides the children's "
            "CancelledError and leaves siblings running after a failure.",
        ),
    )
}

RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        Resource("lock", "an asyncio.Lock held while working", ("R19",), "none"),
        Resource(
            "semaphore",
            "an asyncio.Semaphore slot held while working",
            ("R19",),
            "none",
        ),
        Resource(
            "queue",
            "one job taken from an asyncio.Queue, task_done() however it ends",
            ("R19",),
            "job",
        ),
        Resource(
            "subprocess",
            "a child process, killed and reaped when the worker stops",
            ("R5", "R19"),
            "process",
        ),
        Resource(
            "connection",
            "an asyncio streams connection, closed with a bounded wait_closed()",
            ("R5", "R19"),
            "reader, writer",
        ),
        Resource(
            "thread",
            "blocking work in asyncio.to_thread, stopped through a threading.Event",
            ("R8", "R11"),
            "none",
        ),
        Resource(
            "task",
            "a background child task, cancelled and awaited when the worker stops",
            ("R4", "R11"),
            "none",
        ),
        Resource(
            "custom",
            "any async context manager you supply",
            ("R19",),
            "custom",
        ),
    )
}

DEFAULT_PATTERNS: tuple[str, ...] = ("cleanup", "timeout")
"""Used when no pattern is chosen: the two every I/O-bound worker needs."""

TIMEOUT_STYLES: tuple[str, ...] = ("timeout", "wait_for")
TEST_STYLES: tuple[str, ...] = ("asyncio-run", "pytest-asyncio", "anyio")
