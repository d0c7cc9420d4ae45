"""Semantic mutations of generated worker modules.

Each operator breaks one cancellation rule at one *site* (an occurrence in the
module). The mutation suite applies every site of an operator, runs the
generated tests against the mutant and expects a named test to fail.
Operators work on the AST, so they match code, not formatting.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from cancelgen.core.support_module import dotted


def _is_call(node: ast.AST, module: str, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == module
    )


SCOPE_LIBRARIES = ("anyio", "trio")
"""The libraries whose code uses cancel scopes (R24-R29)."""


def _scope_call(node: ast.AST, *names: str) -> str:
    """The library (``anyio``/``trio``) if ``node`` calls ``<library>.<name>``."""
    if not isinstance(node, ast.Call):
        return ""
    for library in SCOPE_LIBRARIES:
        if dotted(node.func) in {f"{library}.{name}" for name in names}:
            return library
    return ""


def _shielded(node: ast.AST) -> bool:
    """A cancel scope made with ``shield=True`` (R24)."""
    return bool(
        _scope_call(node, "move_on_after", "fail_after", "CancelScope")
    ) and any(
        keyword.arg == "shield"
        and isinstance(keyword.value, ast.Constant)
        and keyword.value.value is True
        for keyword in node.keywords  # type: ignore[attr-defined]
    )


def _is_checkpoint(statement: ast.stmt) -> bool:
    """``await asyncio.sleep(...)`` or ``await <anyio|trio>.lowlevel.checkpoint()``."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Await)
        and (
            _is_call(statement.value.value, "asyncio", "sleep")
            or bool(_scope_call(statement.value.value, "lowlevel.checkpoint"))
        )
    )


def _is_cancelled_error(node: ast.expr | None) -> bool:
    """asyncio.CancelledError, trio.Cancelled or anyio.get_cancelled_exc_class()."""
    return (
        isinstance(node, ast.Attribute)
        and dotted(node) in {"asyncio.CancelledError", "trio.Cancelled"}
    ) or (
        isinstance(node, ast.Call)
        and dotted(node.func) == "anyio.get_cancelled_exc_class"
    )


def _is_main_timeout(node: ast.AST) -> bool:
    """``steps.timeout_s``: the timeout pattern's own bound, not cleanup's."""
    return isinstance(node, ast.Attribute) and node.attr == "timeout_s"


def _is_timeout_on(node: ast.AST, setting: str) -> bool:
    """``asyncio.timeout(steps.<setting>)`` or ``<anyio|trio>.fail_after(...)``."""
    return (
        (_is_call(node, "asyncio", "timeout") or bool(_scope_call(node, "fail_after")))
        and isinstance(node, ast.Call)
        and bool(node.args)
        and isinstance(node.args[0], ast.Attribute)
        and node.args[0].attr == setting
    )


def _unbounded_scope(node: ast.Call) -> ast.expr:
    """``<library>.CancelScope(shield=True)``: the same shield, without a deadline."""
    library = _scope_call(node, "move_on_after", "fail_after")
    return ast.parse(f"{library}.CancelScope(shield=True)", mode="eval").body


class _SiteTransformer(ast.NodeTransformer):
    """Counts the sites it sees; rewrites only site number ``target``."""

    def __init__(self, target: int = -1) -> None:
        self.target = target
        self.sites = 0
        self.applied = False

    def hit(self) -> bool:
        """Register one site; True if it is the one to mutate."""
        index = self.sites
        self.sites += 1
        if index == self.target:
            self.applied = True
            return True
        return False


class DropReraise(_SiteTransformer):
    """Delete the bare ``raise`` that ends an ``except CancelledError`` handler (R1)."""

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.AST:
        self.generic_visit(node)
        last = node.body[-1]
        if (
            _is_cancelled_error(node.type)
            and isinstance(last, ast.Raise)
            and last.exc is None
        ) and self.hit():
            node.body = node.body[:-1] or [ast.Pass()]
        return node


class Unshield(_SiteTransformer):
    """Replace ``asyncio.shield(x)`` with ``x``, and ``_to_its_end``'s re-wait
    ``asyncio.wait([x])`` with ``x``: a cancel then reaches the task (R9, R10);
    or drop ``shield=True`` from a Trio/AnyIO cancel scope (R24, R27)."""

    def __init__(self, target: int = -1) -> None:
        super().__init__(target)
        self.function = ""

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if _is_call(node, "asyncio", "shield") and self.hit():
            return node.args[0]
        if _shielded(node) and self.hit():
            node.keywords = [k for k in node.keywords if k.arg != "shield"]
        if (
            self.function == "_to_its_end"
            and _is_call(node, "asyncio", "wait")
            and len(node.args) == 1
            and isinstance(node.args[0], ast.List)
            and len(node.args[0].elts) == 1
            and self.hit()
        ):
            return node.args[0].elts[0]
        return node


class ForgetCommitError(_SiteTransformer):
    """Delete the statement that logs a failed commit from an ``except
    CancelledError`` handler, so a shielded commit that failed as the cancel
    landed is forgotten (R10)."""

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> ast.AST:
        self.generic_visit(node)
        if not _is_cancelled_error(node.type):
            return node
        kept: list[ast.stmt] = []
        for statement in node.body:
            if (
                isinstance(statement, ast.If)
                and any(
                    _is_call(inner, "logger", "exception")
                    for inner in ast.walk(statement)
                )
                and self.hit()
            ):
                continue
            kept.append(statement)
        node.body = kept or [ast.Pass()]
        return node


class EmptyFinally(_SiteTransformer):
    """Replace the body of a ``finally`` block with ``pass`` (R5, R8, R19)."""

    def visit_Try(self, node: ast.Try | ast.TryStar) -> ast.AST:
        self.generic_visit(node)
        if node.finalbody and self.hit():
            node.finalbody = [ast.Pass()]
        return node

    def visit_TryStar(self, node: ast.TryStar) -> ast.AST:
        """Trio's cleanup pattern catches the cancel with except*."""
        return self.visit_Try(node)


class DropCheckpoint(_SiteTransformer):
    """Delete the checkpoint inside a ``for`` loop: ``await asyncio.sleep(0)`` or
    ``await <anyio|trio>.lowlevel.checkpoint()`` (R6, R26)."""

    def visit_For(self, node: ast.For) -> ast.AST:
        for inner in ast.walk(node):
            for field in ("body", "orelse"):
                statements = getattr(inner, field, None)
                if not isinstance(statements, list):
                    continue
                for index, statement in enumerate(statements):
                    if _is_checkpoint(statement) and self.hit():
                        statements[index] = ast.Pass()
        return node


class DropShieldCheckpoint(_SiteTransformer):
    """Delete the checkpoint right after a shielded scope, where the cancel that
    waited at the shield's edge lands (R27): the worker returns as if uncancelled."""

    def generic_visit(self, node: ast.AST) -> ast.AST:
        super().generic_visit(node)
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if not isinstance(statements, list):
                continue
            for index in range(1, len(statements)):
                before = statements[index - 1]
                if (
                    isinstance(before, ast.With)
                    and any(_shielded(item.context_expr) for item in before.items)
                    and _is_checkpoint(statements[index])
                    and self.hit()
                ):
                    statements[index] = ast.Pass()
        return node


class NullTimeout(_SiteTransformer):
    """Replace the pattern's ``asyncio.timeout(...)`` or ``fail_after(...)`` with a
    null context, or unwrap ``asyncio.wait_for(x, ...)`` to ``x`` (R13, R15, R25)."""

    needs_contextlib = True

    def visit_withitem(self, node: ast.withitem) -> ast.AST:
        self.generic_visit(node)
        if _is_timeout_on(node.context_expr, "timeout_s") and self.hit():
            node.context_expr = ast.parse("contextlib.nullcontext()", mode="eval").body
        return node

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if (
            _is_call(node, "asyncio", "wait_for")
            and len(node.args) == 2
            and _is_main_timeout(node.args[1])
            and self.hit()
        ):
            return node.args[0]
        return node


class UnboundedCleanup(_SiteTransformer):
    """Remove the bound from the awaits on the way out: ``_within`` loses its
    timeout, or the cleanup's shielded ``fail_after`` becomes a shielded scope
    without a deadline (R5, R24)."""

    needs_contextlib = True

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        if node.name != "_within":
            self.generic_visit(node)
            return node
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.withitem)
                and _is_call(inner.context_expr, "asyncio", "timeout")
                and self.hit()
            ):
                inner.context_expr = ast.parse(
                    "contextlib.nullcontext()", mode="eval"
                ).body
        return node

    def visit_withitem(self, node: ast.withitem) -> ast.AST:
        self.generic_visit(node)
        if (
            _is_timeout_on(node.context_expr, "cleanup_timeout_s")
            and _shielded(node.context_expr)
            and self.hit()
        ):
            node.context_expr = _unbounded_scope(node.context_expr)  # type: ignore[arg-type]
        return node


class UnboundedCommit(_SiteTransformer):
    """Remove the shielded commit's own timeout (R12)."""

    needs_contextlib = True

    def visit_withitem(self, node: ast.withitem) -> ast.AST:
        self.generic_visit(node)
        if _is_timeout_on(node.context_expr, "commit_timeout_s") and self.hit():
            if _shielded(node.context_expr):
                node.context_expr = _unbounded_scope(node.context_expr)  # type: ignore[arg-type]
            else:
                node.context_expr = ast.parse(
                    "contextlib.nullcontext()", mode="eval"
                ).body
        return node


class RaiseCleanupError(_SiteTransformer):
    """Let a failing await on the way out raise instead of being logged, so its
    error replaces a cancel (R1): drop ``except Exception`` from ``_within``, or
    from around a Trio/AnyIO worker's shielded cleanup."""

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.AST:
        if node.name != "_within":
            self.generic_visit(node)
            return node
        for inner in ast.walk(node):
            if isinstance(inner, ast.Try):
                handlers = [
                    h
                    for h in inner.handlers
                    if not (isinstance(h.type, ast.Name) and h.type.id == "Exception")
                ]
                if len(handlers) < len(inner.handlers) and self.hit():
                    inner.handlers = handlers
        return node

    def visit_Try(self, node: ast.Try) -> ast.AST | list[ast.stmt]:
        self.generic_visit(node)
        logs_cleanup = [
            handler
            for handler in node.handlers
            if isinstance(handler.type, ast.Name)
            and handler.type.id == "Exception"
            and any(
                _is_call(inner, "logger", "exception")
                and isinstance(inner, ast.Call)
                and inner.args
                and isinstance(inner.args[0], ast.Constant)
                and inner.args[0].value == "cleanup failed"
                for inner in ast.walk(handler)
            )
        ]
        if logs_cleanup and self.hit():
            node.handlers = [h for h in node.handlers if h not in logs_cleanup]
            if not node.handlers and not node.finalbody:
                return node.body
        return node


class DropReleaseWait(_SiteTransformer):
    """Delete ``await _reap(...)``: the worker stops a task or thread without
    waiting for it to end (R4, R8)."""

    def visit_Try(self, node: ast.Try) -> ast.AST:
        self.generic_visit(node)
        kept: list[ast.stmt] = []
        for statement in node.finalbody:
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Await)
                and isinstance(statement.value.value, ast.Call)
                and isinstance(statement.value.value.func, ast.Name)
                and statement.value.value.func.id == "_reap"
                and self.hit()
            ):
                continue
            kept.append(statement)
        node.finalbody = kept or [ast.Pass()]
        return node


class UnsupervisedTaskGroup(_SiteTransformer):
    """Swap ``async with TaskGroup() as g: g.create_task(...)`` for bare
    ``asyncio.create_task(...)`` calls nobody awaits (R21)."""

    def visit_AsyncWith(self, node: ast.AsyncWith) -> ast.AST | list[ast.stmt]:
        self.generic_visit(node)
        item = node.items[0]
        if not (
            _is_call(item.context_expr, "asyncio", "TaskGroup")
            and isinstance(item.optional_vars, ast.Name)
        ):
            return node
        if not self.hit():
            return node
        group = item.optional_vars.id
        for inner in ast.walk(ast.Module(body=node.body, type_ignores=[])):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and isinstance(inner.func.value, ast.Name)
                and inner.func.value.id == group
                and inner.func.attr == "create_task"
            ):
                inner.func.value.id = "asyncio"
        return node.body


class SequentialChildren(_SiteTransformer):
    """Run a Trio/AnyIO task group's children one after another, awaited in
    turn instead of started in the group: a failing child can no longer
    cancel its siblings (R28)."""

    def visit_AsyncWith(self, node: ast.AsyncWith) -> ast.AST | list[ast.stmt]:
        self.generic_visit(node)
        item = node.items[0]
        if not (
            _scope_call(item.context_expr, "create_task_group", "open_nursery")
            and isinstance(item.optional_vars, ast.Name)
            and any(isinstance(statement, ast.For) for statement in node.body)
        ):
            return node
        if not self.hit():
            return node
        group = item.optional_vars.id
        for inner in ast.walk(ast.Module(body=node.body, type_ignores=[])):
            for field in ("body", "orelse"):
                statements = getattr(inner, field, None)
                if not isinstance(statements, list):
                    continue
                for index, statement in enumerate(statements):
                    if (
                        isinstance(statement, ast.Expr)
                        and isinstance(statement.value, ast.Call)
                        and dotted(statement.value.func) == f"{group}.start_soon"
                    ):
                        call = statement.value
                        statements[index] = ast.Expr(
                            ast.Await(ast.Call(call.args[0], call.args[1:], []))
                        )
        return node.body


class UnclosedClone(_SiteTransformer):
    """Take the job on a clone of the stream or channel that is never closed:
    ``with jobs.clone() as consumer:`` becomes ``consumer = jobs.clone()``."""

    def visit_With(self, node: ast.With) -> ast.AST | list[ast.stmt]:
        self.generic_visit(node)
        item = node.items[0]
        if (
            len(node.items) == 1
            and isinstance(item.context_expr, ast.Call)
            and isinstance(item.context_expr.func, ast.Attribute)
            and item.context_expr.func.attr == "clone"
            and isinstance(item.optional_vars, ast.Name)
            and self.hit()
        ):
            target = ast.Name(item.optional_vars.id, ast.Store())
            return [ast.Assign([target], item.context_expr), *node.body]
        return node


class AbandonThread(_SiteTransformer):
    """``to_thread.run_sync(..., abandon_on_cancel=True)``: a cancel leaves the
    thread running unobserved instead of waiting for it (R29)."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if _scope_call(node, "to_thread.run_sync"):
            for keyword in node.keywords:
                if (
                    keyword.arg == "abandon_on_cancel"
                    and isinstance(keyword.value, ast.Constant)
                    and keyword.value.value is False
                    and self.hit()
                ):
                    keyword.value = ast.Constant(True)
        return node


class PlainExceptCancel(_SiteTransformer):
    """``except* trio.Cancelled`` becomes ``except trio.Cancelled``, which misses a
    cancel that comes out of a nursery in a BaseExceptionGroup (R26)."""

    def visit_TryStar(self, node: ast.TryStar) -> ast.AST:
        self.generic_visit(node)
        if any(_is_cancelled_error(h.type) for h in node.handlers) and self.hit():
            return ast.Try(node.body, node.handlers, node.orelse, node.finalbody)
        return node


FIFO_EXIT_STACK = """
class _FifoExitStack(contextlib.AsyncExitStack):
    async def __aexit__(self, *exc_info):
        self._exit_callbacks.reverse()
        return await super().__aexit__(*exc_info)
"""


class FifoExitStack(_SiteTransformer):
    """Make the exit stack release first-in first-out: the wrong order (R19)."""

    prelude = FIFO_EXIT_STACK

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if _is_call(node, "contextlib", "AsyncExitStack") and self.hit():
            return ast.Call(func=ast.Name("_FifoExitStack"), args=[], keywords=[])
        return node


class _DropCall(_SiteTransformer):
    """Delete each statement ``<receiver>.<method>()``."""

    receiver = ""
    method = ""

    def visit_Expr(self, node: ast.Expr) -> ast.AST:
        call = node.value
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == self.method
            and isinstance(call.func.value, ast.Name)
            and call.func.value.id == self.receiver
            and self.hit()
        ):
            return ast.Pass()
        return node


class DropTaskDone(_DropCall):
    """Delete ``queue.task_done()``: a job taken is never marked done."""

    receiver, method = "queue", "task_done"


class DropKill(_DropCall):
    """Delete ``process.kill()``: the child process outlives the worker (R5)."""

    receiver, method = "process", "kill"


class DropStopFlag(_DropCall):
    """Delete ``stop.set()``: the thread is never asked to return (R8)."""

    receiver, method = "stop", "set"


class DropTaskCancel(_DropCall):
    """Delete ``task.cancel()``: the background task is never stopped (R4)."""

    receiver, method = "task", "cancel"


class DropWriterClose(_DropCall):
    """Delete ``writer.close()``: the connection is never closed."""

    receiver, method = "writer", "close"


class EnterWithoutExit(_SiteTransformer):
    """Enter a context without registering its exit: ``await
    stack.enter_async_context(cm)`` becomes ``await cm.__aenter__()`` (R18)."""

    def visit_Await(self, node: ast.Await) -> ast.AST:
        self.generic_visit(node)
        call = node.value
        if (
            isinstance(call, ast.Call)
            and isinstance(call.func, ast.Attribute)
            and call.func.attr == "enter_async_context"
            and len(call.args) == 1
            and self.hit()
        ):
            entered = ast.Attribute(value=call.args[0], attr="__aenter__")
            node.value = ast.Call(func=entered, args=[], keywords=[])
        return node


OPERATORS: dict[str, type[_SiteTransformer]] = {
    "drop-reraise": DropReraise,
    "unshield": Unshield,
    "forget-commit-error": ForgetCommitError,
    "empty-finally": EmptyFinally,
    "drop-checkpoint": DropCheckpoint,
    "null-timeout": NullTimeout,
    "unbounded-cleanup": UnboundedCleanup,
    "unbounded-commit": UnboundedCommit,
    "raise-cleanup-error": RaiseCleanupError,
    "drop-release-wait": DropReleaseWait,
    "unsupervised-task-group": UnsupervisedTaskGroup,
    "fifo-exit-stack": FifoExitStack,
    "drop-shield-checkpoint": DropShieldCheckpoint,
    "sequential-children": SequentialChildren,
    "unclosed-clone": UnclosedClone,
    "abandon-thread": AbandonThread,
    "plain-except-cancel": PlainExceptCancel,
    "drop-task-done": DropTaskDone,
    "drop-kill": DropKill,
    "drop-stop-flag": DropStopFlag,
    "drop-task-cancel": DropTaskCancel,
    "drop-writer-close": DropWriterClose,
    "enter-without-exit": EnterWithoutExit,
}


@dataclass(frozen=True)
class Mutant:
    operator: str
    site: int
    source: str


def count_sites(operator: str, source: str) -> int:
    """How many places of ``source`` the operator can mutate."""
    transformer = OPERATORS[operator]()
    transformer.visit(ast.parse(source))
    return transformer.sites


def mutate(operator: str, source: str, site: int) -> Mutant:
    """``source`` with site number ``site`` of ``operator`` mutated."""
    transformer = OPERATORS[operator](site)
    tree = ast.fix_missing_locations(transformer.visit(ast.parse(source)))
    if not transformer.applied:
        raise ValueError(f"{operator} has no site {site}")
    text = ast.unparse(tree)
    extra = getattr(transformer, "prelude", "")
    if getattr(transformer, "needs_contextlib", False) or extra:
        extra = "import contextlib\n" + extra
    if extra:
        # After `from __future__ import annotations`, which must come first.
        future = "from __future__ import annotations\n"
        head, found, rest = text.partition(future)
        text = f"{head}{found}{extra}\n{rest}" if found else extra + text
    return Mutant(operator, site, text)


def mutants(operator: str, source: str) -> list[Mutant]:
    """Every mutant ``operator`` makes of ``source``, one per site."""
    return [
        mutate(operator, source, site) for site in range(count_sites(operator, source))
    ]
