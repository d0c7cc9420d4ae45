"""The shipped table (``cancelgen/core/shipped.json.z``) is today's Jinja and black output.

A cold ``cancelgen new`` compiles no template and runs no black on the sweep
engine: both answers come from the table. Each entry is keyed by its whole
input, so a stale one is never used; but a stale table makes cold runs slow
again, so it is checked here like a golden file. After a template change:
``pytest --update-golden -p no:xdist tests/core/test_shipped.py``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from cancelgen.core import cache, shipped
from cancelgen.core import format as formatting
from cancelgen.core.cache.name_free import (
    PACKAGE_PLACEHOLDER,
    PLACEHOLDER,
    rows_to_fit,
)
from cancelgen.core.catalog import BACKENDS
from cancelgen.core.format import BlackSettings
from cancelgen.core.render import (
    _environment,
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
    skip_unless_the_table_answers,
)


def expected_table() -> dict[str, Any]:
    """What the table must hold: every template each backend loads by name,
    compiled; black's output (default settings) for each backend's test support
    module and default worker under the placeholder name (and package), and
    for the usual conftest.py that puts the code on sys.path."""
    table: dict[str, Any] = {}
    settings = BlackSettings()
    sources: list[str] = []
    for backend in BACKENDS:
        env = environment(backend=backend)
        for name, source in shipped.template_sources(env):
            code = env.compile(source, name, raw=True)
            table[shipped.template_key(env, name, source)] = code
        spec = WorkerSpec(backend=backend)
        sources.append(render_test_support_module(spec))
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
        table[key] = [text, rows_to_fit(text, settings.line_length)]
    # Not a key of any entry: which Jinja and black made it, for the message.
    table["versions"] = installed_versions()
    return table


def shipped_table() -> dict[str, Any]:
    shipped._table.cache_clear()
    return shipped._table()


def test_the_table_is_what_jinja_and_black_make_today(update_golden: bool) -> None:
    table = expected_table()
    if update_golden:
        shipped.write(table)
    skip_unless_the_table_answers()
    current = shipped_table()
    assert sorted(current) == sorted(table), f"stale: run {UPDATE}"
    for key, value in table.items():
        assert current[key] == value, f"stale entry {key[:12]}: run {UPDATE}"


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
