"""Work done once, at release, and shipped in the package: a cold run skips it.

A first ``cancelgen new`` (or any run with ``CANCELGEN_NO_CACHE=1``) would
otherwise compile every Jinja template it loads (parsing them is most of a
render) and run black over the tests folder's sweep engine (1,400 to 1,600
lines, most of black's work). Both are pure functions of their inputs, so
tables beside this module (``shipped.json.z`` and the parts :data:`PARTS`,
each read only by a run that needs it) hold their results for the templates
and answers cancelgen ships:

- each template's Python source as Jinja compiles it, keyed by the Jinja
  version, the environment's syntax options, the template's name and source;
- black's output with the default settings (and the rows the name-free cache
  must check, :func:`cancelgen.core.cache.name_free.rows_to_fit`) for each
  backend's test support module and its default worker's two files under the
  placeholder name and package, and for the usual import-path ``conftest.py``,
  keyed by the black version, the settings and the source;
- what cancelgen's own steps on the rendered source make of each backend's
  test support module (:func:`cancelgen.core.support_module.prune_imports`,
  :func:`~cancelgen.core.support_module.defines`: its pruned imports and the
  names it defines, about 60 ms of syntax-tree walks), keyed by the step, the
  Python version, the source of the module that computes it, and the text;
- ruff's output for the same workers in projects at ruff's defaults
  (:mod:`cancelgen.project.shipped_ruff`);
- under ``"versions"``, which Jinja, black, ruff and Python made it.

Beside it, ``shipped.<cache tag>.marshal.z`` (:data:`BYTECODE`) holds the same
templates' code compiled by that Python, for that Python only.

A key holds the whole input, so an entry answers only for exactly the input it
was made from: a changed template, another black or Jinja, other settings
simply miss and the work is done as before. ``tests/core/test_shipped.py``
checks that every entry is what Jinja and black produce today and that the
table is complete (``pytest --update-golden`` rewrites it).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import marshal
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import CodeType
from typing import Any

from cancelgen.core.format import BlackSettings

TABLE = Path(__file__).with_name("shipped.json.z")
"""The table every run reads: which versions made the tables, and
cancelgen's own steps. The rest are parts of their own (:data:`PARTS`),
each read only by a run that asks it."""
PARTS = ("templates", "black", "ruff")
"""The tables beside :data:`TABLE`, ``shipped.<part>.json.z``: the
templates' Python source (read only where the bytecode table misses),
black's output (read only in a project black formats) and ruff's
(:mod:`cancelgen.project.shipped_ruff`, only in one ruff formats)."""
BYTECODE = Path(__file__).with_name(f"shipped.{sys.implementation.cache_tag}.marshal.z")
"""The templates' code as the Python that made the table compiles it
(marshalled, zlib-compressed, keyed by :func:`bytecode_key`): loading it is a
fraction of compiling the shipped source (about 25 ms of a default worker's
cold run).
Only a Python of the same bytecode magic reads it: others compile the
source, as without it."""
SYNTAX = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
)
"""The Jinja environment's options that change what a template compiles to."""
_BLACK_VERSION = re.compile(r"""version\s*=\s*["']([^"']+)["']""")
PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"


def _load(path: Path, loads: Callable[[bytes], object]) -> dict[str, Any]:
    """The table compressed in ``path`` (``loads`` decodes it); {} if it is
    missing or unreadable: a cold run then does the work itself."""
    try:
        data = loads(zlib.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError, zlib.error):
        return {}
    return data if isinstance(data, dict) else {}


def table_path(part: str = "") -> Path:
    """Where table ``part`` (one of :data:`PARTS`, or "" for :data:`TABLE`) is."""
    return TABLE.with_name(f"shipped.{part}.json.z") if part else TABLE


@functools.cache
def table(part: str = "") -> dict[str, Any]:
    """Table ``part`` (:func:`table_path`), read once; {} if unreadable."""
    return _load(table_path(part), json.loads)


@functools.cache
def black_version() -> str | None:
    """The installed black's version, without importing black (that is slow)."""
    spec = importlib.util.find_spec("_black_version")
    if spec is None or spec.origin is None:
        return None
    try:
        found = _BLACK_VERSION.search(Path(spec.origin).read_text("utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return found.group(1) if found else None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def black_key(source: str, settings: BlackSettings) -> str | None:
    """The table's key of black's output for ``source`` (None: no black found)."""
    version = black_version()
    if version is None:
        return None
    return _digest("black", version, repr(settings), source)


def black_output(
    source: str, settings: BlackSettings
) -> tuple[str, list[int] | None] | None:
    """Black's output for ``source`` and the rows to fit, if shipped, else None."""
    key = black_key(source, settings)
    entry = table("black").get(key) if key else None
    if not isinstance(entry, list) or len(entry) != 2:
        return None
    return str(entry[0]), entry[1]


@functools.cache
def _code_digest(code: Path) -> str | None:
    try:
        return hashlib.sha256(code.read_bytes()).hexdigest()
    except OSError:
        return None


def step_key(step: str, code: Path, source: str) -> str | None:
    """The table's key of what cancelgen's own ``step``, computed by the module
    whose source file is ``code``, makes of ``source`` on this Python (None:
    that file cannot be read, so no key is complete)."""
    digest = _code_digest(code)
    if digest is None:
        return None
    return _digest("step", step, PYTHON, digest, source)


def step_output(step: str, code: Path, source: str) -> object:
    """What :func:`step_key`'s entry holds, if shipped, else None."""
    key = step_key(step, code, source)
    return table().get(key) if key else None


def _syntax(environment: Any) -> str:
    """What of a Jinja environment changes the code a template compiles to."""
    options = [repr(getattr(environment, name, None)) for name in SYNTAX]
    options.append(repr(sorted(environment.extensions)))
    options.append(type(environment.autoescape).__name__)
    options.append(repr(environment.autoescape))
    return "\0".join(options)


def template_key(environment: Any, name: str, source: str) -> str:
    """The table's key of the code template ``name`` (``source``) compiles to."""
    import jinja2

    return _digest("jinja", jinja2.__version__, _syntax(environment), name, source)


def template_code(environment: Any, name: str, source: str) -> str | None:
    """The Python source Jinja compiles ``name`` (``source``) to, if shipped."""
    entry = table("templates").get(template_key(environment, name, source))
    return entry if isinstance(entry, str) else None


@functools.cache
def _bytecode_table() -> dict[str, Any]:
    return _load(BYTECODE, marshal.loads)


def bytecode_key(template: str) -> str:
    """The bytecode table's key of the code :func:`template_key` ``template``
    compiles to: that key and this interpreter's bytecode magic number."""
    return _digest("bytecode", importlib.util.MAGIC_NUMBER.hex(), template)


def template_bytecode(key: str) -> CodeType | None:
    """The code object template :func:`template_key` ``key`` compiles to, if
    the bytecode table of this Python holds it (marshalled), else None."""
    entry = _bytecode_table().get(bytecode_key(key))
    if not isinstance(entry, bytes):
        return None
    try:
        code = marshal.loads(entry)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def bytecode_cache(inner: Any = None) -> Any:
    """A Jinja bytecode cache answering from the shipped tables, then ``inner``.

    ``inner`` (the on-disk cache of compiled templates, if any) answers first;
    a template it misses comes from the bytecode table of this Python
    (:data:`BYTECODE`) if it holds it, else is compiled from its shipped
    Python source (a small part of Jinja's work), and is handed to ``inner``.
    """
    import jinja2
    from jinja2.bccache import Bucket

    class Shipped(jinja2.BytecodeCache):
        def __init__(self) -> None:
            self.inner = inner

        def get_bucket(
            self, environment: Any, name: str, filename: str | None, source: str
        ) -> Bucket:
            if self.inner is not None:
                bucket: Bucket = self.inner.get_bucket(
                    environment, name, filename, source
                )
                if bucket.code is not None:
                    return bucket
            else:
                bucket = Bucket(environment, "", self.get_source_checksum(source))
            key = template_key(environment, name, source)
            compiled = template_bytecode(key)
            if compiled is None:
                entry = table("templates").get(key)
                if isinstance(entry, str):
                    compiled = compile(entry, filename or "<template>", "exec")
            if compiled is not None:
                bucket.code = compiled
                if self.inner is not None:
                    self.inner.set_bucket(bucket)
            return bucket

        def set_bucket(self, bucket: Bucket) -> None:
            if self.inner is not None:
                self.inner.set_bucket(bucket)

    return Shipped()


def template_sources(environment: Any) -> Iterator[tuple[str, str]]:
    """(name, source) of each template ``environment`` loads by its name: not
    the copier project template's (copier renders it) nor one under a backend's
    folder (loaded as ``patterns/...``, not as ``asyncio/patterns/...``)."""
    from cancelgen.core.catalog import BACKENDS

    skipped = {"project"}.union(*(backend.folders for backend in BACKENDS.values()))
    for name in environment.list_templates(extensions=["jinja"]):
        if name.split("/")[0] not in skipped:
            source, _, _ = environment.loader.get_source(environment, name)
            yield name, source


def write_bytecode(table: dict[str, bytes], path: Path | None = None) -> None:
    """Write ``table`` (:func:`bytecode_key`: marshalled code) as this
    Python's bytecode table (``tests/core/test_shipped.py`` builds it)."""
    (path or BYTECODE).write_bytes(zlib.compress(marshal.dumps(table), 9))


def write(tables: dict[str, dict[str, Any]]) -> None:
    """Write ``tables`` (part: table, :func:`table_path`), each compact,
    sorted and compressed (``tests/core/test_shipped.py`` builds them, with
    ``--update-golden``)."""
    for part, entries in tables.items():
        data = json.dumps(entries, sort_keys=True, separators=(",", ":"))
        table_path(part).write_bytes(zlib.compress(data.encode("utf-8"), 9))
