"""The shared support module holds the single-file form's helpers, to the byte.

A worker in the support form is its single-file form with the helpers moved
into ``_cancellation_<backend>.py`` and imported from there: these tests hold
the two forms to that, for every backend, so they cannot drift.
"""

from __future__ import annotations

import ast
from dataclasses import replace

import pytest

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.render import render_module, render_support_module, render_tests
from cancelgen.core.spec import WorkerSpec
from cancelgen.core.support_module import checked_imports, link, prune_imports
from cancelgen.errors import UsageError
from tests.generated import combination_specs

# A spread of each backend's matrix: every resource, every pattern, the styles.
SPECS = [
    replace(spec, support_module=True)
    for backend in BACKENDS
    for spec in combination_specs(backend)[::7] + combination_specs(backend)[-8:]
]


def top_level(source: str) -> dict[str, str]:
    """``{name: ast dump}`` of a module's top-level functions and classes."""
    return {
        node.name: ast.dump(node)
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }


def imported(source: str, module: str) -> list[str]:
    return [
        alias.name
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom) and node.module == module
        for alias in node.names
    ]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: f"{spec.backend}:{spec.name}")
def test_the_support_form_moves_the_helpers_and_nothing_else(spec: WorkerSpec) -> None:
    single = render_module(replace(spec, support_module=False))
    shared = render_module(spec)
    support = render_support_module(spec)
    mine, theirs, helpers = top_level(single), top_level(shared), top_level(support)
    moved = set(mine) - set(theirs)
    assert set(theirs) <= set(mine), "the support form defines something new"
    # Each helper the single-file worker carries is in the support module as is,
    # but for the type of commit_shielded()'s steps: a protocol there.
    for name in moved:
        expected = mine[name].replace(f"id='{spec.class_name}'", "id='CommitSteps'")
        assert helpers.get(name) == expected, name
    for name in theirs:
        assert theirs[name] == mine[name], f"{name} differs between the forms"
    # The worker imports exactly the moved helpers it calls itself.
    called = {
        node.id
        for node in ast.walk(ast.parse(shared))
        if isinstance(node, ast.Name) and node.id in moved
    }
    assert imported(shared, spec.support_import) == sorted(called)


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_the_support_module_holds_every_helper_of_its_backend(backend: str) -> None:
    everything = WorkerSpec.create(
        patterns=list(PATTERNS), resources=list(RESOURCES), backend=backend
    )
    helpers = set(top_level(render_module(everything))) - {
        everything.class_name,
        everything.name,
    }
    support = render_support_module(replace(everything, support_module=True))
    assert helpers <= set(top_level(support))
    # It depends only on the backend and the package.
    other = WorkerSpec.create(
        name="other", patterns=["checkpoint"], backend=backend, support_module=True
    )
    assert render_support_module(other) == support


@pytest.mark.parametrize("spec", SPECS[:: len(SPECS) // 6], ids=str)
def test_the_tests_are_the_same_in_both_forms(spec: WorkerSpec) -> None:
    assert render_tests(spec) == render_tests(replace(spec, support_module=False))


def test_the_module_is_named_after_the_package_and_the_backend() -> None:
    spec = WorkerSpec.create(
        backend="trio", package_dir="src/demo", package_import="demo"
    )
    assert spec.support_path == "src/demo/_cancellation_trio.py"
    assert spec.support_import == "demo._cancellation_trio"
    assert WorkerSpec().support_import == "_cancellation_asyncio"
    assert WorkerSpec().support_path == "_cancellation_asyncio.py"


def test_prune_imports_prunes_the_type_checking_block_first() -> None:
    """Its unread names go, its sections keep their blank line; an emptied
    block goes, and TYPE_CHECKING with it."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    import contextlib\n"
        "    from collections.abc import AsyncGenerator, Callable\n"
        "\n"
        "    from anyio.streams.memory import MemoryObjectReceiveStream\n"
        "x: Callable[[], None]\n"
        "y: MemoryObjectReceiveStream[str]\n"
    )
    assert prune_imports(source) == (
        "from typing import TYPE_CHECKING\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from collections.abc import Callable\n"
        "\n"
        "    from anyio.streams.memory import MemoryObjectReceiveStream\n"
        "x: Callable[[], None]\n"
        "y: MemoryObjectReceiveStream[str]\n"
    )
    emptied = "from typing import TYPE_CHECKING, Any\nif TYPE_CHECKING:\n    import os\nz: Any\n"
    assert prune_imports(emptied) == "from typing import Any\nz: Any\n"


def test_a_worker_cannot_take_a_support_modules_name() -> None:
    with pytest.raises(UsageError, match="would shadow the module or name"):
        WorkerSpec.create(name="_cancellation_anyio")


def test_support_module_must_be_a_boolean() -> None:
    with pytest.raises(UsageError, match="--support-module must be true or false"):
        WorkerSpec.create(support_module="yes")


def test_prune_imports_drops_only_what_is_never_read() -> None:
    source = (
        "from __future__ import annotations\n"
        "import asyncio\n"
        "import logging\n"
        "import anyio.abc\n"
        "import anyio.lowlevel\n"
        "from collections.abc import AsyncIterator, Callable\n"
        "from typing import Any\n"
        "x: Callable[[], None] = anyio.abc.Process\n"
        "asyncio.run\n"
    )
    assert prune_imports(source) == (
        "from __future__ import annotations\n"
        "import asyncio\n"
        "import anyio.abc\n"
        "from collections.abc import Callable\n"
        "x: Callable[[], None] = anyio.abc.Process\n"
        "asyncio.run\n"
    )


def test_checked_imports_moves_what_only_annotations_read() -> None:
    """The standard library names read only in annotations (or in a cast's
    quoted type) go under TYPE_CHECKING, in isort's order, after the last
    import; what runs stays, typing gains TYPE_CHECKING, third-party names
    stay where they are (ruff's TC003 is about the standard library)."""
    source = (
        "from __future__ import annotations\n"
        "\n"
        "import contextlib\n"
        "import warnings\n"
        "import types\n"
        "from collections.abc import AsyncGenerator, Callable, Sequence\n"
        "from typing import Any, cast\n"
        "\n"
        "import pytest\n"
        "\n"
        "\n"
        "def f(a: types.TracebackType, w: warnings.WarningMessage) -> Sequence[int]:\n"
        "    with contextlib.suppress(Exception):\n"
        "        g: AsyncGenerator[int, None] | pytest.FixtureRequest\n"
        '    return cast("Callable[[], Any]", print)\n'
    )
    assert checked_imports(source) == (
        "from __future__ import annotations\n"
        "\n"
        "import contextlib\n"
        "from typing import TYPE_CHECKING, Any, cast\n"
        "\n"
        "import pytest\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    import types\n"
        "    import warnings\n"
        "    from collections.abc import AsyncGenerator, Callable, Sequence\n"
        "\n"
        "\n"
        "def f(a: types.TracebackType, w: warnings.WarningMessage) -> Sequence[int]:\n"
        "    with contextlib.suppress(Exception):\n"
        "        g: AsyncGenerator[int, None] | pytest.FixtureRequest\n"
        '    return cast("Callable[[], Any]", print)\n'
    )


def test_checked_imports_joins_the_modules_block_or_leaves_it_alone() -> None:
    """Moved names join a block of the standard library; without
    ``from __future__ import annotations`` nothing moves (annotations run)."""
    source = (
        "from __future__ import annotations\n"
        "\n"
        "import types\n"
        "from typing import TYPE_CHECKING\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    from collections.abc import Callable\n"
        "\n"
        "x: Callable[[], types.TracebackType]\n"
    )
    assert checked_imports(source) == (
        "from __future__ import annotations\n"
        "\n"
        "from typing import TYPE_CHECKING\n"
        "\n"
        "if TYPE_CHECKING:\n"
        "    import types\n"
        "    from collections.abc import Callable\n"
        "\n"
        "x: Callable[[], types.TracebackType]\n"
    )
    evaluated = source.replace("from __future__ import annotations\n", "")
    assert checked_imports(evaluated) == evaluated


def test_prune_imports_keeps_what_a_cast_names_in_a_string() -> None:
    source = (
        "from typing import Any, cast\n"
        "from collections.abc import Callable\n"
        'x = cast("Callable[..., Any]", print)\n'
    )
    assert prune_imports(source) == source


def test_link_imports_what_the_worker_calls_and_it_does_not_define() -> None:
    support = "def _bounded(): ...\ndef queue_job(): ...\ndef _within(): ...\n"
    worker = (
        "import asyncio\n"
        "from typing import Any\n"
        "def queue_job(): ...\n"  # its own, say
        "async def worker():\n"
        "    await _bounded(queue_job(), asyncio.sleep(0))\n"
    )
    linked = link(worker, support, "demo._cancellation_asyncio")
    assert linked == (
        "import asyncio\n"
        "\n"
        "from demo._cancellation_asyncio import _bounded\n"
        "def queue_job(): ...\n"
        "async def worker():\n"
        "    await _bounded(queue_job(), asyncio.sleep(0))\n"
    )
    assert link("import asyncio\nasyncio.run\n", support, "x") == (
        "import asyncio\nasyncio.run\n"
    )


def test_the_jinja_extension_renders_both_modules() -> None:
    import jinja2

    environment = jinja2.Environment(extensions=["cancelgen.jinja.CancelgenExtension"])
    worker = environment.from_string(
        '{{ cancelgen_worker("pump", patterns=["cleanup"], package="shop", '
        "support_module=True) }}"
    ).render()
    support = environment.from_string(
        '{{ cancelgen_support_module(backend="asyncio", package="shop") }}'
    ).render()
    assert "from shop._cancellation_asyncio import bounded\n" in worker
    assert "async def bounded(" in support and "async def bounded(" not in worker
