"""The registry of cancellation patterns and resources.

Adding a pattern is one entry here plus its fragment in each backend's
``patterns/`` folder; adding a resource is one entry plus its fragment in each
backend's ``resources/`` folder. Adding a backend is one entry in ``BACKENDS``,
its folder ``templates/<backend>/`` (which may share fragments with a kindred
backend's folder), and one more cell in the backend column: an ``Idiom`` in
each pattern's and resource's ``idioms``, saying how that backend's code does
it. The names are the public contract used by the CLI flags, copier and the
docs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Idiom:
    """How one backend's generated code does a pattern or a resource: a cell of
    the catalog's backend column."""

    code: str
    """The idiom in a few words, as the generated code spells it."""
    rules: tuple[str, ...] = ()
    """The rules it follows in this backend (empty: the entry's own ``rules``)."""
    mistake: str = ""
    """This backend's common mistake (empty: the entry's own ``mistake``)."""
    instead: str = ""
    """Where the backend does differently from asyncio's shape, and why."""


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
    idioms: Mapping[str, Idiom] = field(default_factory=dict)
    """Backend name -> how that backend's code does it (one entry per backend)."""

    def idiom(self, backend: str) -> Idiom:
        """How ``backend`` does this pattern, its rules and mistake filled in."""
        return _filled(self.idioms[backend], self.rules, self.mistake)


@dataclass(frozen=True)
class Resource:
    """Something the worker acquires and must release even when cancelled."""

    name: str
    summary: str
    rules: tuple[str, ...]
    value: str
    """What the worker gets from it, as shown to users."""
    idioms: Mapping[str, Idiom] = field(default_factory=dict)
    """Backend name -> how that backend's code acquires and releases it."""

    def idiom(self, backend: str) -> Idiom:
        """How ``backend`` holds this resource, its rules filled in."""
        return _filled(self.idioms[backend], self.rules, "")


def _filled(idiom: Idiom, rules: tuple[str, ...], mistake: str) -> Idiom:
    return Idiom(
        idiom.code, idiom.rules or rules, idiom.mistake or mistake, idiom.instead
    )


def backends_of(entry: Pattern | Resource) -> tuple[str, ...]:
    """The backends that generate ``entry``, in ``BACKENDS`` order."""
    return tuple(name for name in BACKENDS if name in entry.idioms)


# The idioms of AnyIO and Trio share their rules and, mostly, their wording.
_SCOPES = ("R24", "R26", "R27")
_CLEANUP_INSTEAD = (
    "No task of its own: a shielded scope with a deadline lets the "
    "cleanup await despite the cancel around it, and bounds it."
)
_NO_CHECKPOINT = (
    "A loop that never awaits: its cancel scope is cancelled, but "
    "without a checkpoint nothing in the loop can raise, so it runs "
    "to the end."
)
_NO_SHIELD = (
    "No shielded scope around the commit: the cancel lands at the commit's first "
    "checkpoint and cuts it in half (and asyncio.shield has no place in AnyIO or "
    "Trio code)."
)
_TIMEOUT_INSIDE = (
    "Catching the timeout inside the `with fail_after()` block, where it is still "
    "a cancel, or giving your own async API a `timeout=` parameter."
)
_SHIELD_INSTEAD = (
    "No held task and no second shield: asyncio.shield protects only "
    "an inner awaitable, so asyncio runs the commit as a task and "
    "waits for it again after each cancel. A shielded cancel scope "
    "protects the code inside it, so the commit runs in the worker "
    "itself and the cancel lands at the first checkpoint after it."
)
_NO_WAIT_FOR = "A cancel scope with a deadline does it: there is no wait_for."

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
            idioms={
                "asyncio": Idiom(
                    "except asyncio.CancelledError: log, then a bare raise; finally: "
                    "the cleanup in a task of its own, bounded by asyncio.timeout and "
                    "awaited through further cancels"
                ),
                "anyio": Idiom(
                    "except anyio.get_cancelled_exc_class(): log, then a bare raise; "
                    "finally: the cleanup inside "
                    "`with anyio.fail_after(cleanup_timeout_s, shield=True)`, an "
                    "overrun or a failure logged",
                    ("R1", "R2", "R5", *_SCOPES),
                    "A bare await in `finally`: the scope is still cancelled, so the "
                    "await raises again at once and the cleanup never runs "
                    "(level-triggered; flake8-async ASYNC102).",
                    _CLEANUP_INSTEAD,
                ),
                "trio": Idiom(
                    "except trio.Cancelled: log, then a bare raise; finally: the "
                    "cleanup inside "
                    "`with trio.fail_after(cleanup_timeout_s, shield=True)`, an "
                    "overrun or a failure logged",
                    ("R1", "R2", "R5", *_SCOPES),
                    "A bare await in `finally`: the scope is still cancelled, so the "
                    "await raises trio.Cancelled again at once and the cleanup never "
                    "runs (level-triggered; flake8-async ASYNC102).",
                    _CLEANUP_INSTEAD,
                ),
            },
        ),
        Pattern(
            "checkpoint",
            "await asyncio.sleep(0) every N iterations so a CPU loop can be cancelled",
            ("R6", "R7"),
            ("checkpoint_every",),
            "Polling current_task().cancelled() in the loop: it stays False while "
            "the task runs, so the loop never stops.",
            idioms={
                "asyncio": Idiom("await asyncio.sleep(0) every checkpoint_every items"),
                "anyio": Idiom(
                    "await anyio.lowlevel.checkpoint() every checkpoint_every items",
                    ("R6", "R26"),
                    _NO_CHECKPOINT,
                ),
                "trio": Idiom(
                    "await trio.lowlevel.checkpoint() every checkpoint_every items",
                    ("R6", "R26"),
                    _NO_CHECKPOINT,
                ),
            },
        ),
        Pattern(
            "shield",
            "a critical section that finishes before the worker exits, then re-raises",
            ("R9", "R10", "R11", "R12"),
            ("commit_timeout",),
            "`await asyncio.shield(commit())` alone: the worker exits at once and "
            "the commit runs on unobserved, or never finishes at shutdown.",
            idioms={
                "asyncio": Idiom(
                    "the commit as a task of its own, kept referenced and awaited "
                    "through asyncio.shield again after each cancel, bounded by "
                    "asyncio.timeout"
                ),
                "anyio": Idiom(
                    "the commit inside "
                    "`with anyio.fail_after(commit_timeout_s, shield=True)`, then "
                    "a checkpoint where the cancel that waited lands",
                    ("R12", *_SCOPES),
                    _NO_SHIELD,
                    _SHIELD_INSTEAD,
                ),
                "trio": Idiom(
                    "the commit inside "
                    "`with trio.fail_after(commit_timeout_s, shield=True)`, then a "
                    "checkpoint where the cancel that waited lands",
                    ("R12", *_SCOPES),
                    _NO_SHIELD,
                    _SHIELD_INSTEAD,
                ),
            },
        ),
        Pattern(
            "timeout",
            "bound a wait with asyncio.timeout (or wait_for), timeout as a setting",
            ("R13", "R14", "R15", "R16", "R17"),
            ("timeout", "timeout_style"),
            "Catching TimeoutError inside the `async with asyncio.timeout()` block, "
            "or passing `timeout=` through your own async API.",
            idioms={
                "asyncio": Idiom(
                    "async with asyncio.timeout(timeout_s) (or asyncio.wait_for); "
                    "TimeoutError caught outside the block"
                ),
                "anyio": Idiom(
                    "with anyio.fail_after(timeout_s): the builtin TimeoutError, "
                    "raised as the scope exits and caught outside it",
                    ("R16", "R17", "R25", "R30"),
                    _TIMEOUT_INSIDE,
                    _NO_WAIT_FOR,
                ),
                "trio": Idiom(
                    "with trio.fail_after(timeout_s): trio.TooSlowError, raised as "
                    "the scope exits and caught outside it",
                    ("R16", "R17", "R25"),
                    _TIMEOUT_INSIDE,
                    _NO_WAIT_FOR,
                ),
            },
        ),
        Pattern(
            "exit-stack",
            "AsyncExitStack: resources released in reverse order, even mid-acquisition",
            ("R18", "R19", "R20"),
            (),
            "`async with stack.push_async_callback(cb)`: it returns the callback, "
            "not a context manager, and raises TypeError.",
            idioms={
                name: Idiom(
                    "contextlib.AsyncExitStack (the standard library's, which belongs "
                    "to no event loop): released in reverse order"
                )
                for name in ("asyncio", "anyio", "trio")
            },
        ),
        Pattern(
            "task-group",
            "TaskGroup fan-out: a failing child cancels its siblings, all are awaited",
            ("R4", "R11", "R21", "R22", "R23"),
            ("children",),
            "gather(..., return_exceptions=True) hides the children's "
            "CancelledError and leaves siblings running after a failure.",
            idioms={
                "asyncio": Idiom(
                    "async with asyncio.TaskGroup(); failures handled with except*"
                ),
                "anyio": Idiom(
                    "async with anyio.create_task_group() as tg: tg.start_soon(...); "
                    "failures arrive as an ExceptionGroup, handled with except*",
                    ("R21", "R22", "R28", "R30"),
                    "Passing a coroutine to start_soon, asyncio's create_task habit: "
                    "`group.start_soon(steps.child(index, batch))` raises TypeError; "
                    "it takes the async function and its arguments.",
                    "start_soon returns no task to keep a reference to: the group "
                    "owns its children and waits for every one.",
                ),
                "trio": Idiom(
                    "async with trio.open_nursery() as nursery: nursery.start_soon(...);"
                    " failures arrive as an ExceptionGroup, handled with except*",
                    ("R21", "R22", "R28"),
                    "Passing a coroutine to start_soon, asyncio's create_task habit: "
                    "`nursery.start_soon(steps.child(index, batch))` raises "
                    "TypeError; it takes the async function and its arguments.",
                    "start_soon returns no task to keep a reference to: the nursery "
                    "owns its children and waits for every one.",
                ),
            },
        ),
    )
}


def _per_backend(**cells: str | Idiom) -> dict[str, Idiom]:
    """A resource's idioms, by backend name (a bare text keeps the resource's rules)."""
    return {
        name: cell if isinstance(cell, Idiom) else Idiom(cell)
        for name, cell in cells.items()
    }


RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        Resource(
            "lock",
            "an asyncio.Lock held while working",
            ("R19",),
            "none",
            _per_backend(
                asyncio="async with asyncio.Lock()",
                anyio="async with anyio.Lock()",
                trio="async with trio.Lock()",
            ),
        ),
        Resource(
            "semaphore",
            "an asyncio.Semaphore slot held while working",
            ("R19",),
            "none",
            _per_backend(
                asyncio="async with asyncio.Semaphore(n)",
                anyio="async with anyio.Semaphore(n)",
                trio="async with trio.Semaphore(n)",
            ),
        ),
        Resource(
            "queue",
            "one job taken from an asyncio.Queue, task_done() however it ends",
            ("R19",),
            "job",
            _per_backend(
                asyncio="queue.get(), then task_done() however the work ends",
                anyio=Idiom(
                    "one job received on a clone of a memory object stream's receive "
                    "end, the clone closed however the worker ends",
                    ("R19", "R30"),
                ),
                trio="one job received on a clone of a memory channel's receive end, the "
                "clone closed however the worker ends",
            ),
        ),
        Resource(
            "subprocess",
            "a child process, killed and reaped when the worker stops",
            ("R5", "R19"),
            "process",
            _per_backend(
                asyncio="asyncio.create_subprocess_exec, killed and reaped within a bound",
                anyio=Idiom(
                    "anyio.open_process, killed and reaped in a shielded, bounded "
                    "scope",
                    ("R19", "R24", "R27", "R30"),
                ),
                trio=Idiom(
                    "trio.run_process started in a nursery (nursery.start), killed "
                    "and reaped as the nursery's scope is cancelled",
                    ("R19", "R28"),
                ),
            ),
        ),
        Resource(
            "connection",
            "an asyncio streams connection, closed with a bounded wait_closed()",
            ("R5", "R19"),
            "reader, writer",
            _per_backend(
                asyncio="asyncio.open_connection, closed with a bounded wait_closed()",
                anyio=Idiom(
                    "anyio.connect_tcp, closed with aclose() in a shielded, bounded "
                    "scope",
                    ("R19", "R24", "R27", "R30"),
                ),
                trio=Idiom(
                    "trio.open_tcp_stream, closed with aclose() in a shielded, "
                    "bounded scope",
                    ("R19", "R24", "R27"),
                ),
            ),
        ),
        Resource(
            "thread",
            "blocking work in asyncio.to_thread, stopped through a threading.Event",
            ("R4", "R5", "R8", "R11"),
            "none",
            _per_backend(
                asyncio="asyncio.to_thread, and a threading.Event set on the way out",
                anyio=Idiom(
                    "anyio.to_thread.run_sync(abandon_on_cancel=False) in a task "
                    "group of its own: the thread learns of the cancel from "
                    "anyio.from_thread.check_cancelled(), and is waited for",
                    ("R8", "R28", "R29"),
                ),
                trio=Idiom(
                    "trio.to_thread.run_sync(abandon_on_cancel=False) in a nursery "
                    "of its own: the thread learns of the cancel from "
                    "trio.from_thread.check_cancelled(), and is waited for",
                    ("R8", "R28", "R29"),
                ),
            ),
        ),
        Resource(
            "task",
            "a background child task, cancelled and awaited when the worker stops",
            ("R4", "R5", "R11"),
            "none",
            _per_backend(
                asyncio="asyncio.create_task, cancelled and awaited within a bound",
                anyio=Idiom(
                    "a task in a task group of its own, cancelled through the "
                    "group's scope and waited for as the block exits",
                    ("R5", "R28"),
                ),
                trio=Idiom(
                    "a task in a nursery of its own, cancelled through the "
                    "nursery's scope and waited for as the block exits",
                    ("R5", "R28"),
                ),
            ),
        ),
        Resource(
            "custom",
            "any async context manager you supply",
            ("R19",),
            "custom",
            _per_backend(
                **dict.fromkeys(
                    ("asyncio", "anyio", "trio"),
                    "async with your own async context manager",
                )
            ),
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

TIMEOUT_STYLES: tuple[str, ...] = tuple(
    dict.fromkeys(
        style for backend in BACKENDS.values() for style in backend.timeout_styles
    )
)
"""Every backend's timeout styles (asyncio alone offers ``wait_for`` too)."""
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
