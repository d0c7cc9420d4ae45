"""A small on-disk cache that keeps ``cancelgen new`` fast after its first run.

Two things dominate a run: compiling the Jinja templates and formatting with
black. Both are pure functions of their inputs, so both are cached:

- compiled templates, with Jinja's own ``FileSystemBytecodeCache`` (keyed by
  the template's source checksum);
- black's output, keyed by a hash of the unformatted source, the black
  settings and the installed black (its version file), so a cache hit gives
  byte-for-byte what black would.

Where the cache lives, and how an entry is written, is in
:mod:`cancelgen.core.cache.folder` (``CANCELGEN_NO_CACHE=1`` turns it off). Any error
reading or writing the cache is ignored: the cache can only make runs faster.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cancelgen.core.cache.folder import cache_dir, read_text, store_text
from cancelgen.core.format import BlackSettings
from cancelgen.core.spec import WorkerSpec


def enable_template_cache(environment: Any) -> None:
    """Give a Jinja environment a bytecode cache in the cache folder (if possible)."""
    folder = cache_dir()
    current = environment.bytecode_cache
    if folder is None or getattr(current, "inner", current) is not None:
        return
    import jinja2

    try:
        (folder / "jinja").mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    on_disk = jinja2.FileSystemBytecodeCache(str(folder / "jinja"))
    if current is None:
        environment.bytecode_cache = on_disk
    else:  # the shipped templates' cache (shipped.py): the folder answers first
        current.inner = on_disk


def _black_identity() -> str:
    """Which black is installed, without importing it (that is the slow part)."""
    spec = importlib.util.find_spec("black")
    if spec is None or not spec.submodule_search_locations:
        return "no-black"
    package = Path(next(iter(spec.submodule_search_locations)))
    for name in ("_black_version.py", "__init__.py"):
        try:
            data = (package / name).read_bytes()
        except OSError:
            continue
        return f"{package}:{hashlib.sha256(data).hexdigest()}"
    return str(package)


def _identity(settings: BlackSettings) -> str:
    return f"{_black_identity()}\0{settings!r}\0"


def _entry(folder: Path, identity: str, text: str) -> Path:
    """Where black's output for ``text`` is cached."""
    key = hashlib.sha256((identity + text).encode("utf-8")).hexdigest()
    return folder / "black" / key[:2] / key


def format_files(
    files: Mapping[str, str], settings: BlackSettings | None = None
) -> dict[str, str]:
    """Like :func:`cancelgen.core.format.format_files`, answered from the cache,
    then the shipped table (:mod:`cancelgen.core.shipped`, even with the cache
    off), when possible."""
    from cancelgen.core import format as formatting
    from cancelgen.core.shipped import black_output

    folder = cache_dir()
    settings = settings or BlackSettings()
    identity = _identity(settings) if folder is not None else ""
    result = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            result[path] = text
            continue
        entry = None
        if folder is not None:
            entry = _entry(folder, identity, text)
            cached = read_text(entry)
            if cached is not None:
                result[path] = cached
                continue
        shipped = black_output(text, settings)
        result[path] = (
            shipped[0] if shipped else formatting.format_source(text, settings)
        )
        if entry is not None:  # next time the folder answers, without the table
            store_text(entry, result[path])
    return result


def format_worker_files(
    spec: WorkerSpec, files: Mapping[str, str], settings: BlackSettings | None = None
) -> dict[str, str]:
    """Format ``files`` (``render(spec)``, plus support files) like :func:`format_files`.

    The worker's own files also come from black's cached output for the same
    answers under another name, renamed (see :mod:`cancelgen.core.cache.name_free`), so a
    new worker with familiar answers needs no black either. With the cache off,
    only the shipped table's output can be renamed: that of the default worker
    (:mod:`cancelgen.core.shipped`).
    """
    from cancelgen.core.cache.name_free import (
        NameFreeCache,
        format_renamed,
        placeholder_spec,
    )
    from cancelgen.core.render import render

    folder = cache_dir()
    settings = settings or BlackSettings()
    identity = _identity(settings) if folder is not None else ""
    if folder is not None:
        # The same answers and name again: every file is cached as it is, and
        # the placeholder's files need not even be rendered.
        found = {
            path: (
                read_text(_entry(folder, identity, text))
                if path.endswith(".py")
                else text
            )
            for path, text in files.items()
        }
        if all(text is not None for text in found.values()):
            return {path: text for path, text in found.items() if text is not None}
    placeholder_files = render(placeholder_spec(spec))
    cache = NameFreeCache(folder, _black_identity() if folder is not None else "")
    done = format_renamed(spec, files, placeholder_files, settings, cache)
    if folder is not None:  # what black would write for these very sources
        for path, text in done.items():
            store_text(_entry(folder, identity, files[path]), text)
    rest = format_files({p: t for p, t in files.items() if p not in done}, settings)
    return {path: done[path] if path in done else rest[path] for path in files}
