"""A worker's name never clashes with a name the generated code binds.

The worker module defines ``async def NAME`` and the test module imports it.
A name the templates bind at a module's top level (an import from the
engine, a helper, ``pytestmark``), or in a function that calls the worker
(``probe``, ``records``, ``task``), would shadow one or the other: the test
would call the engine's ``acquired()`` helper's replacement, or pass its log
records where the worker belongs. Few of these show statically (pyflakes'
``F811``, ``F823``), none fail loudly. ``validate_name`` refuses every such
name (``_GENERATED_NAMES``); this test finds them afresh, from what the
templates render for each backend, test style and layout.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

import pytest

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.render import render
from cancelgen.core.spec import _SNAKE_CASE, WorkerSpec, validate_name
from cancelgen.errors import CancelgenError

PLACEHOLDER = "qzq"

Scope = ast.Module | ast.FunctionDef | ast.AsyncFunctionDef


def bindings(scope: Scope) -> set[str]:
    """The names ``scope`` binds itself (not in nested functions, classes or
    comprehensions, which have scopes of their own)."""
    names: set[str] = set()
    if not isinstance(scope, ast.Module):
        names.update(
            arg.arg for arg in ast.walk(scope.args) if isinstance(arg, ast.arg)
        )
    todo: list[ast.AST] = list(scope.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            continue
        if isinstance(node, ast.Lambda | ast.comprehension | ast.ListComp):
            continue
        if isinstance(node, ast.SetComp | ast.DictComp | ast.GeneratorExp):
            continue
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        todo.extend(ast.iter_child_nodes(node))
    return names


def clashing(source: str) -> set[str]:
    """The names a worker called so would clash with in ``source`` (rendered
    for the placeholder): every top-level binding, and every binding of a
    function that refers to the worker."""
    tree = ast.parse(source)
    names = bindings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and any(
            isinstance(inner, ast.Name) and inner.id == PLACEHOLDER
            for inner in ast.walk(node)
        ):
            names |= bindings(node)
    return {name for name in names if _SNAKE_CASE.match(name) and name != PLACEHOLDER}


def variants() -> Iterator[WorkerSpec]:
    """A worker with every pattern and resource, for each backend, test
    style, support module or none, shared engine or single file."""
    for backend in BACKENDS.values():
        for style in backend.test_styles:
            for support_module in (False, True):
                for shared_tests in (True, False):
                    yield WorkerSpec(
                        name=PLACEHOLDER,
                        backend=backend.name,
                        test_style=style,
                        patterns=tuple(PATTERNS),
                        resources=tuple(RESOURCES),
                        support_module=support_module,
                        shared_tests=shared_tests,
                        package_dir="src/pkg",
                        package_import="pkg",
                    )


def accepted(name: str) -> bool:
    try:
        validate_name(name)
    except CancelgenError:
        return False
    return True


def test_no_accepted_name_clashes_with_the_generated_code() -> None:
    clashes = {
        name
        for spec in variants()
        for source in render(spec).values()
        for name in clashing(source)
    }
    assert {"task", "probe", "records", "pytestmark"} <= clashes  # it finds them
    assert sorted(name for name in clashes if accepted(name)) == []


@pytest.mark.parametrize("name", ["_1", "_9z", "__3_a"])
def test_a_name_whose_class_would_start_with_a_digit_is_refused(name: str) -> None:
    with pytest.raises(CancelgenError, match="not an identifier: start it with"):
        validate_name(name)
