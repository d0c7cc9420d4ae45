"""Where each rule comes from: the primary documentation that states or enforces it.

The rules' wording lives in :mod:`cancelgen.core.catalog` (``RULES``); this module
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
_ANYIO_API = "https://anyio.readthedocs.io/en/stable/api.html"
_ANYIO_PORTING = Source(
    "AnyIO: Porting an asyncio library to AnyIO",
    "https://anyio.readthedocs.io/en/latest/porting_from_asyncio.html",
)

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
        Source("anyio.fail_after", f"{_ANYIO_API}#anyio.fail_after"),
        Source("trio.fail_after", f"{_TRIO}#trio.fail_after"),
        Source("trio.TooSlowError", f"{_TRIO}#trio.TooSlowError"),
        Source("trio.move_on_after", f"{_TRIO}#trio.move_on_after"),
    ),
    "R26": (
        Source("AnyIO: Finalization", f"{_ANYIO}#finalization"),
        Source(
            "anyio.get_cancelled_exc_class",
            f"{_ANYIO_API}#anyio.get_cancelled_exc_class",
        ),
        Source("trio.Cancelled", f"{_TRIO}#trio.Cancelled"),
        Source("anyio.lowlevel.checkpoint", f"{_ANYIO_API}#anyio.lowlevel.checkpoint"),
        Source(
            "trio.lowlevel.checkpoint",
            "https://trio.readthedocs.io/en/stable/reference-lowlevel.html"
            "#trio.lowlevel.checkpoint",
        ),
    ),
    "R27": (
        Source(
            "AnyIO: Differences between asyncio and AnyIO cancellation semantics",
            f"{_ANYIO}#differences-between-asyncio-and-anyio-cancellation-semantics",
        ),
        _TRIO_SHIELD,
        _ASYNC102,
    ),
    "R28": (
        Source(
            "AnyIO: Creating and managing tasks",
            "https://anyio.readthedocs.io/en/stable/tasks.html",
        ),
        Source(
            "Trio: Tasks let you do multiple things at once",
            f"{_TRIO}#tasks-let-you-do-multiple-things-at-once",
        ),
        Source("trio.open_nursery", f"{_TRIO}#trio.open_nursery"),
    ),
    "R29": (
        Source("anyio.to_thread.run_sync", f"{_ANYIO_API}#anyio.to_thread.run_sync"),
        Source("trio.to_thread.run_sync", f"{_TRIO}#trio.to_thread.run_sync"),
    ),
    "R30": (
        _ANYIO_PORTING,
        Source(
            "AnyIO: Memory object streams",
            "https://anyio.readthedocs.io/en/stable/streams.html#memory-object-streams",
        ),
    ),
}
"""Rule id -> its sources, most direct first."""
