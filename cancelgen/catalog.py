"""The registry of cancellation patterns and resources.

Adding a pattern is one entry here plus its fragment in each backend's
``patterns/`` folder; adding a resource is one entry plus its fragment in each
backend's ``resources/`` folder; adding a backend is one entry in ``BACKENDS``
plus its folder ``templates/<backend>/`` (which may share fragments with a
kindred backend's folder). The names are the public contract used by the CLI
flags, copier and the docs.
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
            ("R1", "R2", "R3", "R5", "R24"),
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
            ("R4", "R5", "R8", "R11"),
            "none",
        ),
        Resource(
            "task",
            "a background child task, cancelled and awaited when the worker stops",
            ("R4", "R5", "R11"),
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


@dataclass(frozen=True)
class Backend:
    """A concurrency library the generated code is written for.

    The shared skeletons (``templates/worker.py.jinja``,
    ``templates/test_worker.py.jinja``) import ``_backend.py.jinja``,
    ``patterns/*`` and ``resources/*``, and get them from the backend's
    ``folders`` (first match wins), then from ``templates/`` itself.
    """

    name: str
    summary: str
    folders: tuple[str, ...]
    """Template folders searched, in order: the backend's own first, then any it
    shares with a kindred backend (AnyIO and Trio share ``scopes/``)."""
    test_styles: tuple[str, ...]
    """The test styles its generated tests can be written in; the first is the default."""
    timeout_styles: tuple[str, ...]
    """The timeout styles it offers (``wait_for`` is asyncio's alone)."""
    library: str
    """What generated code imports besides the standard library ("" for none)."""


BACKENDS: dict[str, Backend] = {
    b.name: b
    for b in (
        Backend(
            "asyncio",
            "the standard library's asyncio: TaskGroup, asyncio.timeout, held tasks",
            ("asyncio",),
            ("asyncio-run", "pytest-asyncio", "anyio"),
            ("timeout", "wait_for"),
            "",
        ),
        Backend(
            "anyio",
            "AnyIO: cancel scopes, task groups, move_on_after(shield=True); "
            "tests run on its asyncio and trio backends",
            ("anyio", "scopes"),
            ("anyio",),
            ("timeout",),
            "anyio",
        ),
        Backend(
            "trio",
            "Trio: cancel scopes, nurseries, move_on_after(shield=True), "
            "trio.Cancelled",
            ("trio", "scopes"),
            ("trio-run", "pytest-trio"),
            ("timeout",),
            "trio",
        ),
    )
}

DEFAULT_BACKEND = "asyncio"

DEFAULT_PATTERNS: tuple[str, ...] = ("cleanup", "timeout")
"""Used when no pattern is chosen: the two every I/O-bound worker needs."""

TIMEOUT_STYLES: tuple[str, ...] = ("timeout", "wait_for")
TEST_STYLES: tuple[str, ...] = tuple(
    dict.fromkeys(
        style for backend in BACKENDS.values() for style in backend.test_styles
    )
)
"""Every backend's test styles: ``asyncio.run`` or pytest-asyncio or the AnyIO
plugin for asyncio workers, the AnyIO plugin (on both its backends) for AnyIO
workers, ``trio.run`` or pytest-trio for Trio workers."""

RULES: dict[str, str] = {
    "R1": "Catch CancelledError only to log or roll back, and end the handler with a "
    "bare `raise`: timeouts, task groups and asyncio.run rely on it arriving.",
    "R2": "No bare `except:` and no `except BaseException:` that swallows; "
    "`except Exception:` is safe, since CancelledError is a BaseException.",
    "R3": "Leave Task.uncancel() to libraries that implement cancel scopes.",
    "R4": "Whoever cancels a task waits for it to end afterwards: cancel() is only a "
    "request, honoured at the task's next await.",
    "R5": "Cleanup that awaits is bounded by its own timeout and kept short: a "
    "cancelled task can be cancelled again while it cleans up.",
    "R6": "A loop that never awaits cannot be cancelled: await asyncio.sleep(0) every "
    "N iterations.",
    "R7": "Never poll current_task().cancelled(): it stays False while the task runs.",
    "R8": "Cancelling the task that awaits asyncio.to_thread does not stop the thread: "
    "give it a threading.Event to check and set it on the way out.",
    "R9": "asyncio.shield protects only the inner awaitable; the outer await is "
    "cancelled at once.",
    "R10": "Keep the shielded task, and when cancelled wait for it to finish before "
    "re-raising: the owner never returns while its critical section still runs.",
    "R11": "Keep a reference to every task you create: the loop holds only weak ones.",
    "R12": "A shielded section is short and bounded, or the function becomes "
    "uncancellable.",
    "R13": "Use `async with asyncio.timeout(s)` and catch TimeoutError outside the block.",
    "R14": "asyncio.TimeoutError is the builtin TimeoutError since 3.11: write TimeoutError.",
    "R15": "Prefer asyncio.timeout to wait_for: before 3.12 wait_for runs the awaitable "
    "in a new task and can lose a result or a cancellation.",
    "R16": "A timeout is a setting with a sensible default, never an inline number; "
    "None disables it.",
    "R17": "Don't give your own async API a `timeout=` parameter: let callers wrap it.",
    "R18": "On an AsyncExitStack, enter_async_context for async context managers, "
    "enter_context for sync ones, push_async_callback as a plain statement.",
    "R19": "Resources are released in reverse order, also when cancelled half way "
    "through acquiring them, and only those acquired.",
    "R20": "To hand resources to a caller, return stack.pop_all() from inside the block.",
    "R21": "Prefer TaskGroup to gather: a failure cancels the siblings and every child "
    "is awaited; handle its ExceptionGroup with except*.",
    "R22": "No return, break or continue inside a TaskGroup or timeout block, and no "
    "yield inside one.",
    "R23": "Never gather(..., return_exceptions=True): it hides the children's "
    "CancelledError.",
    "R24": "Trio and AnyIO run cleanup in a shielded, bounded cancel scope "
    "(move_on_after(t, shield=True)); in asyncio, a task of its own with a "
    "timeout, awaited through further cancels, does the same.",
    "R25": "Trio and AnyIO bound a wait with fail_after (AnyIO raises TimeoutError, "
    "Trio TooSlowError) or move_on_after (check scope.cancelled_caught).",
    "R26": "Trio and AnyIO: catch the cancel exception (trio.Cancelled, "
    "anyio.get_cancelled_exc_class()) only to react, then a bare raise: the "
    "scope that cancelled catches it only if it gets it back. A CPU loop awaits "
    "lowlevel.checkpoint().",
    "R27": "Trio and AnyIO cancellation is level-triggered: in a cancelled scope "
    "every await raises again, so an await on the way out needs a shielded scope.",
    "R28": "Task groups and nurseries own their children: cancelling the group's "
    "scope cancels them all, leaving the block waits for every one, and errors "
    "arrive in an ExceptionGroup.",
    "R29": "A thread cannot be cancelled: to_thread.run_sync waits for it unless "
    "abandon_on_cancel=True, which leaves it running unobserved; choose, and give "
    "the thread a way to learn it should stop (from_thread.check_cancelled()).",
    "R30": "Don't mix runtimes: no asyncio calls in AnyIO or Trio code; use the "
    "library's own streams, processes, sockets and threads.",
}
"""Our own one-line wording of the rules in CANCELLATION.md that templates cite."""
