"""Where each rule comes from: the primary documentation that states or enforces it.

The rules' wording lives in :mod:`cancelgen.catalog` (``RULES``); this module
names, for each rule id, the pages of the CPython docs, the flake8-async and
ruff rule lists, and the Trio and AnyIO docs that back it, so the docs site can
link every rule to its sources. A new rule in ``RULES`` needs an entry here
(the test suite checks it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A page (or an anchor in one) that a rule follows."""

    title: str
    url: str


_TASKS = "https://docs.python.org/3/library/asyncio-task.html"
_EXCEPTIONS = "https://docs.python.org/3/library/asyncio-exceptions.html"
_CONTEXTLIB = "https://docs.python.org/3/library/contextlib.html"
_FLAKE8_ASYNC = "https://flake8-async.readthedocs.io/en/latest/rules.html"
_RUFF = "https://docs.astral.sh/ruff/rules"
_TRIO = "https://trio.readthedocs.io/en/stable/reference-core.html"
_ANYIO = "https://anyio.readthedocs.io/en/stable/cancellation.html"
_ANYIO_THREADS = "https://anyio.readthedocs.io/en/stable/threads.html"
_TRIO_LOWLEVEL = "https://trio.readthedocs.io/en/stable/reference-lowlevel.html"

_CANCELLATION = Source("asyncio: Task Cancellation", f"{_TASKS}#task-cancellation")
_SHIELD = Source("asyncio.shield", f"{_TASKS}#asyncio.shield")
_TIMEOUT = Source("asyncio.timeout", f"{_TASKS}#asyncio.timeout")
_ASYNC102 = Source(
    "flake8-async ASYNC102: await-in-finally-or-cancelled", f"{_FLAKE8_ASYNC}#async102"
)
_TRIO_SHIELD = Source(
    "Trio: cancellation semantics (level-triggered, shielded cleanup)",
    f"{_TRIO}#blocking-cleanup-example",
)
_ANYIO_SHIELD = Source("AnyIO: Shielding", f"{_ANYIO}#shielding")
_HANDLING = Source("Trio: Handling cancellation", f"{_TRIO}#handling-cancellation")

SOURCES: dict[str, tuple[Source, ...]] = {
    "R1": (
        _CANCELLATION,
        Source(
            "flake8-async ASYNC103 (no-reraise-cancelled), ASYNC104 (cancelled-not-raised)",
            _FLAKE8_ASYNC,
        ),
        _HANDLING,
        Source("AnyIO: Finalization", f"{_ANYIO}#finalization"),
    ),
    "R2": (
        Source(
            "asyncio.CancelledError (a BaseException since 3.8)",
            f"{_EXCEPTIONS}#asyncio.CancelledError",
        ),
        Source("ruff BLE001: blind-except", f"{_RUFF}/blind-except/"),
    ),
    "R3": (
        Source("asyncio.Task.uncancel", f"{_TASKS}#asyncio.Task.uncancel"),
        _CANCELLATION,
    ),
    "R4": (Source("asyncio.Task.cancel", f"{_TASKS}#asyncio.Task.cancel"),),
    "R5": (_ASYNC102, _TRIO_SHIELD, _ANYIO_SHIELD),
    "R6": (
        Source(
            "asyncio.sleep (a delay of 0 lets other tasks run)",
            f"{_TASKS}#asyncio.sleep",
        ),
        Source("Trio: checkpoints", f"{_TRIO}#checkpoints"),
    ),
    "R7": (
        Source("asyncio.Task.cancelled", f"{_TASKS}#asyncio.Task.cancelled"),
        Source("asyncio.Task.cancelling", f"{_TASKS}#asyncio.Task.cancelling"),
    ),
    "R8": (
        Source("asyncio.to_thread", f"{_TASKS}#asyncio.to_thread"),
        Source(
            "threading.Event",
            "https://docs.python.org/3/library/threading.html#threading.Event",
        ),
    ),
    "R9": (
        _SHIELD,
        Source(
            "asyncio: Shielding From Cancellation",
            f"{_TASKS}#shielding-from-cancellation",
        ),
    ),
    "R10": (_SHIELD,),
    "R11": (
        Source(
            "asyncio.create_task (save a reference)", f"{_TASKS}#asyncio.create_task"
        ),
        Source(
            "flake8-async ASYNC300: create-task-no-reference",
            f"{_FLAKE8_ASYNC}#async300",
        ),
        Source("ruff RUF006: asyncio-dangling-task", f"{_RUFF}/asyncio-dangling-task/"),
    ),
    "R12": (_SHIELD, _TRIO_SHIELD, _ANYIO_SHIELD),
    "R13": (_TIMEOUT,),
    "R14": (
        Source("asyncio.TimeoutError", f"{_EXCEPTIONS}#asyncio.TimeoutError"),
        Source("ruff UP041: timeout-error-alias", f"{_RUFF}/timeout-error-alias/"),
    ),
    "R15": (
        Source("asyncio.wait_for", f"{_TASKS}#asyncio.wait_for"),
        Source(
            "CPython gh-96764: wait_for rewritten over asyncio.timeout (3.12)",
            "https://github.com/python/cpython/issues/96764",
        ),
    ),
    "R16": (_TIMEOUT,),
    "R17": (
        Source(
            "ruff ASYNC109: async-function-with-timeout (from flake8-async)",
            f"{_RUFF}/async-function-with-timeout/",
        ),
        _HANDLING,
    ),
    "R18": (
        Source("contextlib.AsyncExitStack", f"{_CONTEXTLIB}#contextlib.AsyncExitStack"),
        Source(
            "AsyncExitStack.push_async_callback",
            f"{_CONTEXTLIB}#contextlib.AsyncExitStack.push_async_callback",
        ),
    ),
    "R19": (Source("contextlib.ExitStack", f"{_CONTEXTLIB}#contextlib.ExitStack"),),
    "R20": (
        Source("ExitStack.pop_all", f"{_CONTEXTLIB}#contextlib.ExitStack.pop_all"),
    ),
    "R21": (
        Source("asyncio: Task Groups", f"{_TASKS}#task-groups"),
        Source(
            "except* (exception groups)",
            "https://docs.python.org/3/reference/compound_stmts.html#except-star",
        ),
    ),
    "R22": (
        Source(
            "flake8-async ASYNC121: control-flow-in-taskgroup",
            f"{_FLAKE8_ASYNC}#async121",
        ),
        Source(
            "flake8-async ASYNC119: yield-in-cm-in-async-gen",
            f"{_FLAKE8_ASYNC}#async119",
        ),
    ),
    "R23": (Source("asyncio.gather", f"{_TASKS}#asyncio.gather"),),
    "R24": (_TRIO_SHIELD, _ANYIO_SHIELD, _ASYNC102),
    "R25": (
        Source("AnyIO: Timeouts", f"{_ANYIO}#timeouts"),
        Source("trio.fail_after", f"{_TRIO}#trio.fail_after"),
        Source("trio.TooSlowError", f"{_TRIO}#trio.TooSlowError"),
    ),
    "R26": (
        _HANDLING,
        Source("AnyIO: Finalization", f"{_ANYIO}#finalization"),
        Source(
            "trio.lowlevel.checkpoint", f"{_TRIO_LOWLEVEL}#trio.lowlevel.checkpoint"
        ),
    ),
    "R27": (
        _TRIO_SHIELD,
        Source(
            "AnyIO: Differences between asyncio and AnyIO cancellation semantics",
            f"{_ANYIO}#differences-between-asyncio-and-anyio-cancellation-semantics",
        ),
        _ASYNC102,
        Source("flake8-async ASYNC120: await-in-except", f"{_FLAKE8_ASYNC}#async120"),
    ),
    "R28": (
        Source(
            "Trio: Tasks let you do multiple things at once",
            f"{_TRIO}#tasks-let-you-do-multiple-things-at-once",
        ),
        Source(
            "Trio: Designing for multiple errors",
            f"{_TRIO}#designing-for-multiple-errors",
        ),
        Source(
            "AnyIO: Creating and managing tasks",
            "https://anyio.readthedocs.io/en/stable/tasks.html",
        ),
    ),
    "R29": (
        Source("trio.to_thread.run_sync", f"{_TRIO}#trio.to_thread.run_sync"),
        Source(
            "trio.from_thread.check_cancelled",
            f"{_TRIO}#trio.from_thread.check_cancelled",
        ),
        Source(
            "AnyIO: Reacting to cancellation in worker threads",
            f"{_ANYIO_THREADS}#reacting-to-cancellation-in-worker-threads",
        ),
    ),
    "R30": (
        Source(
            "AnyIO: Memory object streams",
            "https://anyio.readthedocs.io/en/stable/streams.html#memory-object-streams",
        ),
        Source(
            "AnyIO: Using subprocesses",
            "https://anyio.readthedocs.io/en/stable/subprocesses.html",
        ),
        Source(
            "Trio: Spawning subprocesses",
            "https://trio.readthedocs.io/en/stable/reference-io.html#spawning-subprocesses",
        ),
    ),
}
"""Rule id -> its sources, most direct first."""
