"""Render a ``WorkerSpec`` into source text with the Jinja templates.

This is the single place that knows where the templates live and how the Jinja
environment is configured; the CLI, copier and the docs all render through it.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import jinja2

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.spec import WorkerSpec

WORKER_TEMPLATE = "worker.py.jinja"
TEST_TEMPLATE = "test_worker.py.jinja"
BACKEND_TEMPLATE = "_backend.py.jinja"
"""Each backend folder's answer to what the shared skeletons ask of it."""
SWEEP_TEMPLATE = "sweep.py.jinja"
"""Each backend folder's cancel sweep, the last test of every test module."""
SUPPORT_TEMPLATE = "support.py.jinja"
"""The shared support module of a package's workers of one backend."""
TEST_SUPPORT_TEMPLATE = "test_support.py.jinja"
"""The test support module (harness, sweep engine) of a tests folder's workers
of one backend."""


def templates_dir() -> Path:
    """The folder holding ``worker.py.jinja`` and its fragments.

    A wheel carries them inside the package (hatch ``force-include``); an
    editable install or a source checkout uses the repository's ``templates/``.
    """
    package = Path(__file__).parent.parent  # cancelgen/, above core/
    packaged = package / "templates"
    if (packaged / WORKER_TEMPLATE).is_file():
        return packaged
    return package.resolve().parent / "templates"


def is_templates_folder(directory: Path) -> bool:
    """Whether ``directory`` holds cancelgen's worker templates and every fragment.

    Every backend's pattern and resource fragments must be found along its
    folders, so a user's folder that merely has a ``worker.py.jinja`` of its
    own is not taken for ours.
    """
    shared = [WORKER_TEMPLATE, TEST_TEMPLATE, "_macros.py.jinja"]
    if not all((directory / name).is_file() for name in shared):
        return False
    for backend in BACKENDS.values():
        folders = [directory / folder for folder in backend.folders]
        if not (folders[0] / BACKEND_TEMPLATE).is_file():
            return False
        names = [SWEEP_TEMPLATE]
        names += [f"patterns/{name}.py.jinja" for name in PATTERNS]
        names += [f"resources/{name}.py.jinja" for name in RESOURCES]
        for name in names:
            if not any((folder / name).is_file() for folder in folders):
                return False
    return True


def environment(
    directory: Path | None = None, backend: str = "asyncio"
) -> jinja2.Environment:
    """The Jinja environment over ``directory`` (default: :func:`templates_dir`).

    Its loader looks in the backend's folders first (``catalog.Backend.folders``:
    its own, then one it shares with a kindred backend), then in ``directory``
    itself: the shared skeletons (``worker.py.jinja``...) import
    ``patterns/cleanup.py.jinja`` and get the backend's fragment.

    Strict undefined, no autoescape, trailing newline kept. Copier passes the
    ``templates/`` folder of the template version it renders, so ``copier
    update`` picks up that version's fragments. One environment per folder and
    backend: ``environment()`` and ``environment(None)`` are the same object,
    so a bytecode cache set on one is used by every render.
    """
    return _environment((directory or templates_dir()).resolve(), backend)


@functools.cache
def _environment(directory: Path, backend: str) -> jinja2.Environment:
    from cancelgen.core.shipped import bytecode_cache

    folders = [directory / folder for folder in BACKENDS[backend].folders]
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([*folders, directory]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        # Templates compiled at release answer first (cancelgen/core/shipped.py).
        bytecode_cache=bytecode_cache(),
    )


def render_module(spec: WorkerSpec, templates: Path | None = None) -> str:
    """The worker module's source, before formatting.

    In the support form (``spec.support_module``) it imports its helpers from
    the support module (:func:`render_support_module`) instead of carrying them.
    """
    template = environment(templates, spec.backend).get_template(WORKER_TEMPLATE)
    source = template.render(spec=spec)
    if not spec.support_module:
        return source
    from cancelgen.core.support_module import link

    return link(source, render_support_module(spec, templates), spec.support_import)


def render_support_module(spec: WorkerSpec, templates: Path | None = None) -> str:
    """The source of the support module of ``spec``'s package and backend
    (:attr:`WorkerSpec.support_path`), before formatting."""
    from cancelgen.core.support_module import prune_imports, support_spec

    template = environment(templates, spec.backend).get_template(SUPPORT_TEMPLATE)
    return prune_imports(template.render(spec=support_spec(spec)))


def render_tests(spec: WorkerSpec, templates: Path | None = None) -> str:
    """The test module's source, before formatting.

    In the shared form (``spec.shared_tests``) it imports its harness and the
    sweep's engine from the test support module (:func:`render_test_support_module`).
    """
    template = environment(templates, spec.backend).get_template(TEST_TEMPLATE)
    source = template.render(spec=spec)
    from cancelgen.core.support_module import link, prune_imports

    if not spec.shared_tests:
        return prune_imports(source)

    # The engine as its own record renders it (backend and tests folder only,
    # cancelgen/project/units.py): the one render `new` then writes reuses it.
    engine_spec = WorkerSpec(backend=spec.backend, tests_dir=spec.tests_dir)
    engine = render_test_support_module(engine_spec, templates)
    linked = link(
        source,
        engine,
        spec.test_support_import,
        beside=not spec.tests_package,
    )
    return with_engine_noqa(linked, spec)


def with_engine_noqa(source: str, spec: WorkerSpec) -> str:
    """``source`` (a test module) with :attr:`WorkerSpec.test_support_noqa` on
    the first line of each import from the test support module; unchanged
    where that is "".

    flake8 takes a ``noqa`` comment only on the line it reports, the import's
    first. So the import is split, one name a row and the comment right
    after the bracket, where black, ruff format, isort and ruff's isort rules
    all keep it (black and ruff format move the comment that ends a one-line
    import they split to the closing bracket, where flake8 does not see it).
    """
    comment = spec.test_support_noqa
    if not comment:
        return source
    lines = source.splitlines(keepends=True)
    found = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom)
        and not node.level
        and node.module == spec.test_support_import
    ]
    for node in sorted(found, key=lambda node: node.lineno, reverse=True):
        indent = " " * node.col_offset
        rows = "".join(f"{indent}    {ast.unparse(alias)},\n" for alias in node.names)
        statement = f"{indent}from {node.module} import ({comment}\n{rows}{indent})\n"
        lines[node.lineno - 1 : node.end_lineno or node.lineno] = [statement]
    return "".join(lines)


def render_test_support_module(spec: WorkerSpec, templates: Path | None = None) -> str:
    """The source of the test support module of ``spec``'s tests folder and
    backend (:attr:`WorkerSpec.test_support_path`), before formatting."""
    return _test_support_source(spec, (templates or templates_dir()).resolve())


@functools.lru_cache(maxsize=8)
def _test_support_source(spec: WorkerSpec, templates: Path) -> str:
    # Memoized (per templates folder, like the environment): a worker's test
    # module links against it, and `new` writes it.
    from cancelgen.core.support_module import prune_imports

    env = environment(templates, spec.backend)
    return prune_imports(env.get_template(TEST_SUPPORT_TEMPLATE).render(spec=spec))


def render(spec: WorkerSpec, templates: Path | None = None) -> dict[str, str]:
    """``{path relative to the project root: source}`` for the worker and its tests.

    The support module a worker in the support form imports is a unit of its
    own, shared by the package's workers: see :func:`render_support`.
    """
    return {
        spec.module_path: render_module(spec, templates),
        spec.test_path: render_tests(spec, templates),
    }


def render_test_support(
    spec: WorkerSpec, templates: Path | None = None
) -> dict[str, str]:
    """``{path: source}`` of the test support module ``spec``'s tests import
    from; ``{}`` for a test module that carries its engine."""
    if not spec.shared_tests:
        return {}
    return {spec.test_support_path: render_test_support_module(spec, templates)}


def render_support(spec: WorkerSpec, templates: Path | None = None) -> dict[str, str]:
    """``{path: source}`` of the support module ``spec`` imports from; ``{}`` for
    a single-file worker."""
    if not spec.support_module:
        return {}
    return {spec.support_path: render_support_module(spec, templates)}
