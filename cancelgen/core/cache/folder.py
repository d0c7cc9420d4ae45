"""Where cancelgen's cache lives, and how an entry is read and written.

Shared by :mod:`cancelgen.core.cache` (compiled templates, black's output) and
:mod:`cancelgen.core.cache.name_free` (black's output under a placeholder name), which is
why it is a module of its own: each of them imports it, neither the other.

The cache lives in ``$CANCELGEN_CACHE_DIR``, else ``$XDG_CACHE_HOME/cancelgen``,
else ``~/.cache/cancelgen``, one folder per cancelgen version.
``CANCELGEN_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cancelgen import __version__


def cache_dir() -> Path | None:
    """The cache folder for this cancelgen version, or None if caching is off."""
    if os.environ.get("CANCELGEN_NO_CACHE"):
        return None
    base = os.environ.get("CANCELGEN_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = str(Path(xdg) / "cancelgen")
    return Path(base) / __version__


def read_text(entry: Path) -> str | None:
    """The text cached at ``entry``, or None (missing or unreadable: a miss)."""
    try:
        return entry.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def store_text(entry: Path, text: str) -> None:
    """Write ``entry`` atomically; any error is ignored (the cache is optional)."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(name, entry)
    except OSError:
        pass
