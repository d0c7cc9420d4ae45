"""The shipped table (``cancelgen/core/shipped.json.z``) is today's Jinja and black output.

A cold ``cancelgen new`` compiles no template and runs no black on the sweep
engine: both answers come from the table. Each entry is keyed by its whole
input, so a stale one is never used; but a stale table makes cold runs slow
again, so it is checked here like a golden file. After a template change:
``pytest --update-golden -p no:xdist tests/core/test_shipped.py``.
"""

from __future__ import annotations

import ast
import marshal
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cancelgen.core import cache, shipped, support_module
from cancelgen.core import format as formatting
from cancelgen.core.cache.name_free import (
    PACKAGE_PLACEHOLDER,
    PLACEHOLDER,
    rows_to_fit,
)
from cancelgen.core.catalog import BACKENDS
from cancelgen.core.format import BlackSettings
from cancelgen.core.render import (
    TEST_SUPPORT_TEMPLATE,
    _environment,
    _test_support_source,
    environment,
    render,
    render_test_support,
    render_test_support_module,
    templates_dir,
)
from cancelgen.core.spec import WorkerSpec
from cancelgen.project.detect import import_path_conftest
from tests.shipped_support import (
    UPDATE,
    installed_versions,
    ruff_entries,
    skip_unless_the_table_answers,
)


def expected_tables() -> dict[str, dict[str, Any]]:
    """What the tables must hold (part: table, ``shipped.table_path``).
    ``templates``: every template each backend loads by name, compiled.
    ``black``: black's output (default settings) for each backend's test
    support module and default worker under the placeholder name (and
    package), and for the usual conftest.py that puts the code on sys.path.
    ``ruff``: ruff's output for the same workers, and the shared modules
    beside them, in projects at ruff's defaults
    (:func:`tests.shipped_support.ruff_entries`). The main table: the pruned
    imports and the names defined of each backend's test support module, and
    which versions made them all."""
    main: dict[str, Any] = {}
    templates: dict[str, Any] = {}
    black: dict[str, Any] = {}
    settings = BlackSettings()
    sources: list[str] = []
    for backend in BACKENDS:
        env = environment(backend=backend)
        for name, source in shipped.template_sources(env):
            code = env.compile(source, name, raw=True)
            templates[shipped.template_key(env, name, source)] = code
        spec = WorkerSpec(backend=backend)
        sources.append(render_test_support_module(spec))
        raw = env.get_template(TEST_SUPPORT_TEMPLATE).render(spec=spec)
        pruned = support_module.pruned_imports(raw)
        main[step_key("prune", raw)] = pruned
        names = sorted(support_module._defined(ast.parse(pruned), imports=False))
        main[step_key("defines", pruned)] = names
        for package in ("", PACKAGE_PLACEHOLDER):
            placeholder = replace(spec, name=PLACEHOLDER, package_import=package)
            sources += render(placeholder).values()
    # The conftest.py putting a src layout's (or the root's) code on sys.path.
    for root in ("src", "."):
        sources += import_path_conftest("tests", root).values()
    for source in sources:
        key = shipped.black_key(source, settings)
        assert key is not None, "black is not installed"
        text = formatting.format_source(source, settings)
        black[key] = [text, rows_to_fit(text, settings.line_length)]
    with tempfile.TemporaryDirectory() as work:
        ruff = ruff_entries(Path(work))
    # Not a key of any entry: which Jinja, black and ruff made them, for the message.
    main["versions"] = installed_versions()
    return {"": main, "templates": templates, "black": black, "ruff": ruff}


def expected_bytecode() -> dict[str, bytes]:
    """What this Python's bytecode table must hold: the code each template of
    the table compiles to, marshalled."""
    table: dict[str, bytes] = {}
    for backend in BACKENDS:
        env = environment(backend=backend)
        for name, source in shipped.template_sources(env):
            code = compile(env.compile(source, name, raw=True), name, "exec")
            key = shipped.bytecode_key(shipped.template_key(env, name, source))
            table[key] = marshal.dumps(code)
    return table


def step_key(step: str, source: str) -> str:
    key = shipped.step_key(step, Path(support_module.__file__), source)
    assert key is not None, "cancelgen/core/support_module.py unreadable"
    return key


def test_the_tables_are_what_jinja_black_and_ruff_make_today(
    update_golden: bool,
) -> None:
    tables = expected_tables()
    assert sorted(tables) == sorted(("", *shipped.PARTS))
    if update_golden:
        shipped.write(tables)
    skip_unless_the_table_answers()
    for part, table in tables.items():
        shipped.table.cache_clear()
        current = shipped.table(part)
        assert sorted(current) == sorted(table), f"stale {part}: run {UPDATE}"
        for key, value in table.items():
            assert current[key] == value, f"stale entry {key[:12]}: run {UPDATE}"


def same_code(current: dict[str, Any], table: dict[str, bytes]) -> bool:
    """Whether ``current`` holds the code of ``table``: marshal's bytes for
    the same code may differ from one process to the next, the code may not."""
    return sorted(current) == sorted(table) and all(
        marshal.loads(current[key]) == marshal.loads(value)
        for key, value in table.items()
    )


def test_the_bytecode_is_what_this_python_compiles_today(update_golden: bool) -> None:
    table = expected_bytecode()
    shipped._bytecode_table.cache_clear()
    if update_golden and not same_code(shipped._bytecode_table(), table):
        shipped.write_bytecode(table)  # only then: no change of bytes alone
        shipped._bytecode_table.cache_clear()
    skip_unless_the_table_answers()
    assert same_code(shipped._bytecode_table(), table), f"stale: run {UPDATE}"


def test_another_python_reads_no_bytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    skip_unless_the_table_answers()
    env = environment()
    name, source = next(iter(shipped.template_sources(env)))
    key = shipped.template_key(env, name, source)
    assert shipped.template_bytecode(key) is not None
    monkeypatch.setattr(shipped.importlib.util, "MAGIC_NUMBER", b"\0\0\r\n")
    assert shipped.template_bytecode(key) is None


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_black_leaves_the_shipped_output_as_it_is(backend: str) -> None:
    skip_unless_the_table_answers()
    spec = WorkerSpec(backend=backend, package_import=PACKAGE_PLACEHOLDER)
    sources = [
        render_test_support_module(spec),
        *render(replace(spec, name=PLACEHOLDER)).values(),
    ]
    for source in sources:
        found = shipped.black_output(source, BlackSettings())
        assert found is not None, f"not shipped: run {UPDATE}"
        assert found[0] == formatting.format_source(source)
        assert formatting.format_source(found[0]) == found[0]


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_every_template_loads_without_compiling(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    skip_unless_the_table_answers()
    env = _environment.__wrapped__(templates_dir().resolve(), backend)
    compiled: list[str | None] = []
    real = env.compile

    def counted(source: str, name: str | None = None, *args: Any) -> Any:
        compiled.append(name)
        return real(source, name, *args)

    monkeypatch.setattr(env, "compile", counted)
    names = [name for name, _ in shipped.template_sources(env)]
    for name in names:
        env.get_template(name)
    assert names and compiled == [], f"compiled by Jinja: {compiled}; run {UPDATE}"


@pytest.mark.parametrize("package", ["", "shop", "shop.jobs"])
def test_a_cold_default_worker_runs_no_black(
    monkeypatch: pytest.MonkeyPatch, black_calls: list[str], package: str
) -> None:
    skip_unless_the_table_answers()
    monkeypatch.setenv("CANCELGEN_NO_CACHE", "1")
    folder = package.replace(".", "/")
    spec = WorkerSpec(name="sync_orders", package_dir=folder, package_import=package)
    files = {**render(spec), **render_test_support(spec)}
    expected = formatting.format_files(files)
    black_calls.clear()
    assert cache.format_worker_files(spec, files) == expected
    assert black_calls == []


@pytest.mark.parametrize("backend", list(BACKENDS))
def test_a_cold_engine_walks_no_syntax_tree(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The engine's pruned imports and the names a test module links against
    come from the table; only the test module's own imports are pruned."""
    skip_unless_the_table_answers()
    _test_support_source.cache_clear()
    pruned: list[str] = []
    defined: list[ast.Module] = []
    prune, define = support_module.pruned_imports, support_module._defined

    def counted_prune(source: str) -> str:
        pruned.append(source)
        return prune(source)

    def counted_define(tree: ast.Module, *, imports: bool = True) -> set[str]:
        if not imports:
            defined.append(tree)
        return define(tree, imports=imports)

    monkeypatch.setattr(support_module, "pruned_imports", counted_prune)
    monkeypatch.setattr(support_module, "_defined", counted_define)
    spec = WorkerSpec(backend=backend)
    try:
        engine = render_test_support_module(spec)
        render(spec)
    finally:
        _test_support_source.cache_clear()
    assert len(pruned) == 1
    assert engine not in pruned[0]
    assert defined == []


def test_other_code_or_another_python_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    skip_unless_the_table_answers()
    spec = WorkerSpec()
    raw = environment().get_template(TEST_SUPPORT_TEMPLATE).render(spec=spec)
    code = Path(support_module.__file__)
    assert isinstance(shipped.step_output("prune", code, raw), str)
    assert shipped.step_output("prune", code, raw + "\n") is None
    assert shipped.step_output("defines", code, raw) is None
    monkeypatch.setattr(shipped, "PYTHON", "3.0")
    assert shipped.step_output("prune", code, raw) is None
    monkeypatch.undo()
    shipped._code_digest.cache_clear()
    monkeypatch.setattr(shipped, "_code_digest", lambda code: "another")
    assert shipped.step_output("prune", code, raw) is None


def test_another_black_or_other_settings_miss(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    skip_unless_the_table_answers()
    source = render_test_support_module(WorkerSpec())
    assert shipped.black_output(source, BlackSettings()) is not None
    assert shipped.black_output(source, BlackSettings(line_length=100)) is None
    assert shipped.black_output(source + "\n", BlackSettings()) is None
    monkeypatch.setattr(shipped, "black_version", lambda: "0.0")
    assert shipped.black_output(source, BlackSettings()) is None
