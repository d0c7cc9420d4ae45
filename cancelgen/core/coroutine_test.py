"""The sweep test of a coroutine the user already has (``cancelgen new test``).

A :class:`CoroutineTest` is what such a test's rendering depends on: the
target (``module:function`` or ``module:Class.method``), how it is called,
which parameters the user must fill in, the backend and the tests folder.
It is found by importing the target (:mod:`cancelgen.project.target`) and
recorded as the answers of a ``coroutine-test`` record, so ``upgrade``
renders it again without importing anything.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from cancelgen.core.catalog import BACKENDS
from cancelgen.core.spec import WorkerSpec
from cancelgen.errors import UsageError

TEMPLATE = "test_coroutine.py.jinja"
CALLS = ("function", "instance", "class")
"""How the target is called: a function, a method of a fresh instance, a
static or class method on its class."""

_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*\Z")


def split_target(target: str) -> tuple[str, str]:
    """``"shop.orders:sync"`` -> ``("shop.orders", "sync")``; a usage error
    for anything that is not ``MODULE:FUNCTION`` or ``MODULE:Class.method``."""
    module, colon, qualname = target.partition(":")
    parts = qualname.split(".")
    if (
        not colon
        or not _DOTTED.match(module)
        or not _DOTTED.match(qualname)
        or len(parts) > 2
        or any(keyword.iskeyword(part) for part in [*module.split("."), *parts])
    ):
        raise UsageError(
            f"{target!r} is not MODULE:FUNCTION or MODULE:Class.method "
            "(e.g. shop.orders:sync_orders)"
        )
    return module, qualname


@dataclass(frozen=True)
class CoroutineTest:
    """What the sweep test of one coroutine renders from."""

    target: str
    """``module:function`` or ``module:Class.method``."""
    backend: str = "asyncio"
    tests_dir: str = "tests"
    call: str = "function"
    """One of :data:`CALLS`."""
    needs: tuple[str, ...] = ()
    """Parameters without a default the call must be given."""
    init_needs: tuple[str, ...] = ()
    """For a method of an instance: its class's parameters without a default."""
    tests_package: bool = False
    """Whether the tests folder is a package (set by the project, not recorded)."""
    engine_noqa: bool = False
    """Whether its import of the test support module carries ``# noqa: I900``
    (:attr:`WorkerSpec.engine_noqa`; set by the project, not recorded)."""

    def __post_init__(self) -> None:
        split_target(self.target)
        if self.backend not in BACKENDS:
            raise UsageError(
                f"unknown backend {self.backend!r} (known: {', '.join(BACKENDS)})"
            )
        if self.call not in CALLS:
            raise UsageError(f"call must be one of {', '.join(CALLS)}")
        if self.call == "function" and "." in self.qualname:
            raise UsageError(
                f"{self.target}: a method needs call 'instance' or 'class'"
            )

    @classmethod
    def from_answers(cls, answers: dict[str, Any]) -> CoroutineTest:
        """The test a record's answers describe (lists as tuples)."""
        values = dict(answers)
        for key in ("needs", "init_needs"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)

    def answers(self) -> dict[str, Any]:
        """What a record keeps: every field but ``tests_package`` and ``engine_noqa``."""
        return {
            "target": self.target,
            "backend": self.backend,
            "tests_dir": self.tests_dir,
            "call": self.call,
            "needs": list(self.needs),
            "init_needs": list(self.init_needs),
        }

    @property
    def module(self) -> str:
        """The target's module, as imported."""
        return split_target(self.target)[0]

    @property
    def qualname(self) -> str:
        """``function`` or ``Class.method``."""
        return split_target(self.target)[1]

    @property
    def imported(self) -> str:
        """The name the test imports from the module: the function or the class."""
        return self.qualname.split(".")[0]

    @property
    def function(self) -> str:
        """The function's or method's own name."""
        return self.qualname.split(".")[-1]

    @property
    def stem(self) -> str:
        """``sync_orders`` or ``orders_sync`` (class name in snake case)."""
        return "_".join(_snake(part) for part in self.qualname.split("."))

    @property
    def test_path(self) -> str:
        """The test module, relative to the project root. ``_sweep`` keeps it
        apart from a worker's ``test_<name>.py``."""
        return str(PurePosixPath(self.tests_dir or ".", f"test_{self.stem}_sweep.py"))

    @property
    def class_name(self) -> str:
        """The test's Sweep subclass: ``SyncOrdersSweep``."""
        return "".join(part.capitalize() for part in self.stem.split("_")) + "Sweep"

    @property
    def callee(self) -> str:
        """What call() calls, without its arguments: ``sync``, ``Orders().sync``."""
        if self.call == "instance":
            cls, method = self.qualname.split(".")
            given = ", ".join(f"{name}=..." for name in self.init_needs)
            return f"{cls}({given}).{method}"
        return self.qualname

    @property
    def call_text(self) -> str:
        """The call, with ``...`` for each parameter to fill in."""
        return f"{self.callee}({', '.join(f'{name}=...' for name in self.needs)})"

    @property
    def unfilled(self) -> tuple[str, ...]:
        """Every parameter still to fill in, the class's first."""
        cls = self.imported
        return (*(f"{cls}({name})" for name in self.init_needs), *self.needs)

    @property
    def support(self) -> WorkerSpec:
        """A spec of the tests folder and backend, for the test support module."""
        return WorkerSpec(
            backend=self.backend,
            tests_dir=self.tests_dir,
            tests_package=self.tests_package,
            engine_noqa=self.engine_noqa,
        )


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def render_coroutine_test(test: CoroutineTest) -> dict[str, str]:
    """``{path: source}`` of the sweep test of ``test``'s coroutine, before
    formatting (the test support module it imports is a unit of its own:
    :func:`cancelgen.core.render.render_test_support`)."""
    from cancelgen.core.render import environment, with_engine_noqa
    from cancelgen.core.support_module import checked_imports

    template = environment(backend=test.backend).get_template(TEMPLATE)
    source = template.render(test=test, spec=test.support)
    return {test.test_path: with_engine_noqa(checked_imports(source), test.support)}
