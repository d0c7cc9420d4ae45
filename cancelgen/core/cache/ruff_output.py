"""ruff's output for a generated file, cached: a warm ``new``, ``status`` and
``upgrade`` in a ruff project start no ruff at all.

What ``ruff check --fix-only ... | ruff format`` writes for a file read from
standard input (:mod:`cancelgen.core.format_ruff`) is a pure function of:

- the ruff binary (its path, size and modification time);
- the commands (their arguments, the run's ``known-first-party`` included);
- the file's path relative to the project root, and its text;
- the configuration ruff takes for that path, and the ``RUFF_*`` environment;
- for the import sorting and the fixes that depend on it, which of the
  modules the text imports exist as folders or files in ruff's ``src``
  folders, and which folders from the file's up to the root are packages
  (``__init__.py``), which is how ruff tells first-party modules and the
  file's own package.

The key holds all of these, so a hit is byte-for-byte what ruff would write.
It can only be sure of the configuration where it is simple, so it caches
only then (:func:`cancelgen.core.format_ruff.default_src_roots`): the ruff
package's own binary, one ruff configuration at the project root that sets
neither ``src`` nor ``extend`` (its folder's ``ruff.toml`` and ``.ruff.toml``
go into the key, and what ruff reads of its ``pyproject.toml``,
:func:`_ruff_part`), no configuration file
between the root and the file, and no ``__init__.py`` at the root. ruff then
takes that one configuration for the file, as it is, and its ``src`` folders
are the root and ``src``. Anywhere else ruff runs every time, as before.

The project's absolute path is not in the key, so a new project with the same
configuration, layout and files hits too; unless the configuration holds an
absolute or user-relative path (a pattern starting with ``/``, ``~``, ``$`` or
a drive), which ruff matches against absolute paths: then the root is in the
key as well. Entries live in the cache folder (:mod:`cancelgen.core.cache.folder`,
``CANCELGEN_NO_CACHE=1`` turns it off); any error reading or writing one is
ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from cancelgen.core.cache.folder import cache_dir, store_text

# Each starts with the line break before the statement (the text is read with
# one put first): a literal first character makes the search fast.
_FROM = re.compile(r"\n[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]*(\([^)]*\)|[^\n]*)")
_IMPORT = re.compile(r"\n[ \t]*import[ \t]+([^\n]*)")
_COMMENT = re.compile(r"#[^\n]*")
"""``from ... import ...`` and ``import ...`` statements, read with comments
taken out and a line break for each ``;``. They may also match lines in
strings: that only adds facts to the key (more misses, never a wrong hit)."""


def _may_name_an_absolute_path(config: str) -> bool:
    """Whether a string in ``config`` may name an absolute path: a quote,
    spaces, then ``/``, ``~``, ``$``, ``\\`` or a drive (``C:``). Scanned
    without a regular expression, which would cost more to compile than
    the configuration takes to scan."""
    for quote in ('"', "'"):
        start = config.find(quote)
        while start != -1:
            at = start + 1
            while at < len(config) and config[at].isspace():  # as re's \s
                at += 1
            first, second = config[at : at + 1], config[at + 1 : at + 2]
            if first and (
                first in "/~$\\"
                or (first.isascii() and first.isalpha() and second == ":")
            ):
                return True
            start = config.find(quote, start + 1)
    return False


_CONFIG_FILES = (".ruff.toml", "ruff.toml", "pyproject.toml")


Src = Sequence[Path] | None
"""ruff's ``src`` folders for a file, where its configuration is the root's
and simple enough to cache (:func:`cancelgen.core.format_ruff.default_src_roots`
answers it); None where it is not."""


def entry(
    binary: str,
    root: Path,
    path: str,
    stages: Sequence[Sequence[str]],
    text: str,
    src: Src,
) -> Path | None:
    """Where the output of ``stages`` (ruff commands piped one into the next)
    for ``text`` at ``path`` (relative to ``root``, ``src`` its ruff ``src``
    folders) is cached; None when the cache is off or cannot be sure of
    ruff's configuration for it."""
    pipe = _pipe(binary, root, path, stages, src)
    if pipe is None:
        return None
    folder, parts = pipe
    facts = [package_facts(root, root / path), import_facts(text, src or ()), text]
    return _location(folder, ["ruff-pipe-1", *parts, *facts])


def seen(
    binary: str, root: Path, path: str, stages: Sequence[Sequence[str]], src: Src
) -> bool:
    """Whether ruff's output for a file at ``path`` through ``stages`` was
    cached with ``root``'s configuration as it is now (:func:`remember`):
    likely a file rendered again, whose output is cached."""
    marker = _marker(binary, root, path, stages, src)
    return marker is not None and marker.is_file()


def remember(
    binary: str, root: Path, path: str, stages: Sequence[Sequence[str]], src: Src
) -> None:
    """Note that ruff's output for ``path`` through ``stages`` was cached."""
    marker = _marker(binary, root, path, stages, src)
    if marker is not None and not marker.is_file():
        store_text(marker, "")


def _marker(
    binary: str, root: Path, path: str, stages: Sequence[Sequence[str]], src: Src
) -> Path | None:
    pipe = _pipe(binary, root, path, stages, src)
    return None if pipe is None else _location(pipe[0], ["ruff-seen-1", *pipe[1]])


def _pipe(
    binary: str, root: Path, path: str, stages: Sequence[Sequence[str]], src: Src
) -> tuple[Path, list[str]] | None:
    """The cache folder and what :func:`entry` and :func:`_marker` key on
    alike (the configuration, the commands, the path); None where nothing
    is cached."""
    folder = cache_dir()
    if folder is None or src is None:
        return None
    configuration = _configuration(binary, root)
    if configuration is None:
        return None
    commands = repr([list(args) for args in stages])
    return folder, [configuration, commands, Path(path).as_posix()]


_memo: dict[tuple[str, Path], str | None] | None = None
"""What :func:`_configuration` answered, within :func:`remembered`."""
_listings: dict[Path, _Listing] | None = None
"""The folders :func:`import_facts` listed, within :func:`remembered`."""


@contextmanager
def remembered() -> Iterator[None]:
    """Within the block, the configuration is read once per root, and each
    folder of ``src`` listed once (``new`` keys each of its files with them):
    nothing may change them meanwhile (``new`` writes after it)."""
    global _memo, _listings
    if _memo is not None:
        yield
        return
    _memo, _listings = {}, {}
    try:
        yield
    finally:
        _memo, _listings = None, None


def _configuration(binary: str, root: Path) -> str | None:
    if _memo is None:
        return _read_configuration(binary, root)
    if (binary, root) not in _memo:
        _memo[binary, root] = _read_configuration(binary, root)
    return _memo[binary, root]


def _read_configuration(binary: str, root: Path) -> str | None:
    """What decides ruff's configuration for a file under ``root`` whose
    only configuration is at ``root`` (:func:`entry`): the binary, the root's
    configuration files, the ``RUFF_*`` environment, and the root itself
    where the configuration may name absolute paths. None: not cacheable."""
    if (root / "__init__.py").exists():
        return None  # the root is in a package: its name may count
    try:
        identity = _binary_identity(binary)
        texts = {name: _read(root / name) for name in _CONFIG_FILES}
    except (OSError, UnicodeDecodeError):
        return None
    pyproject = texts["pyproject.toml"]
    if pyproject is not None:
        texts["pyproject.toml"] = _ruff_part(pyproject)
        if texts["pyproject.toml"] is None:
            return None
    configs = list(texts.values())
    parts = [
        identity,
        *(config if config is not None else "\0absent" for config in configs),
        repr(sorted((k, v) for k, v in os.environ.items() if k.startswith("RUFF_"))),
    ]
    if any(config and _may_name_an_absolute_path(config) for config in configs):
        parts.append(str(root.resolve()))
    return "\0\2".join(parts)


def _ruff_part(pyproject: str) -> str | None:
    """What ruff reads of a ``pyproject.toml``: its ``[tool.ruff]`` table and
    ``[project]``'s ``requires-python`` (its target version when the
    configuration sets none, also a ``ruff.toml``'s beside it), as one
    canonical text; None if it is not TOML.

    The rest (the project's name, its dependencies, other tools' tables) is
    not read by ruff, so a project that differs only there is answered too.
    ruff deserialises ``[project]`` into a struct of that one field, which
    it also takes spelled ``requires_python``.
    """
    try:
        table = tomllib.loads(pyproject)
    except tomllib.TOMLDecodeError:
        return None
    tool = table.get("tool")
    project = table.get("project")
    part = {
        "tool.ruff": tool.get("ruff") if isinstance(tool, dict) else tool,
        "project": (
            {
                k: v
                for k, v in project.items()
                if k.replace("_", "-") == "requires-python"
            }
            if isinstance(project, dict)
            else project
        ),
    }
    return "pyproject.toml\0" + json.dumps(part, sort_keys=True, default=repr)


def _location(folder: Path, parts: Sequence[str]) -> Path:
    key = hashlib.sha256("\0\1".join(parts).encode("utf-8")).hexdigest()
    return folder / "ruff" / key[:2] / key


def _binary_identity(binary: str) -> str:
    real = os.path.realpath(binary)
    status = os.stat(real)
    return f"{real}\0{status.st_size}\0{status.st_mtime_ns}"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def package_facts(root: Path, file: Path) -> str:
    """Which folders from ``file``'s up to (not including) ``root`` have an
    ``__init__.py`` (or ``.pyi``): ruff's idea of the file's package."""
    folder, marks = file.parent, list[str]()
    while folder != root and root in folder.parents:
        marks.extend(
            "1" if (folder / name).is_file() else "0"
            for name in ("__init__.py", "__init__.pyi")
        )
        folder = folder.parent
    return "".join(marks)


def imported_modules(text: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]]]:
    """The modules ``text`` imports absolutely: ``(statements, looked_up)``,
    the modules its statements name, and those with each name a ``from``
    import takes from one, which may be a module itself."""
    named: set[tuple[str, ...]] = set()
    modules: set[tuple[str, ...]] = set()
    if "#" in text:
        text = _COMMENT.sub("", text)
    text = "\n" + text.replace(";", "\n")
    for found in _FROM.finditer(text):
        if found.group(1).startswith("."):
            continue  # relative: no ``src`` look-up
        module = tuple(found.group(1).split("."))
        named.add(module)
        modules.update((*module, name) for name in _words(found.group(2)))
    for found in _IMPORT.finditer(text):
        for item in found.group(1).split(","):
            words = item.split()
            if words:
                named.add(tuple(words[0].split(".")))
    return named, modules | named


def _words(text: str) -> list[str]:
    """The runs of word characters in ``text``, as ``re.findall(r"\\w+")``
    finds them (whose compiling costs more than this)."""
    return "".join(c if c.isalnum() or c == "_" else " " for c in text).split()


def import_facts(
    text: str, src: Sequence[Path], skip: frozenset[str] = frozenset()
) -> str:
    """For each module ``text`` imports (absolute imports), and each of its
    leading parts, whether it is a folder, a ``.py`` or a ``.pyi`` file in
    each of the ``src`` folders: all ruff asks the disk to sort imports.
    Modules whose first part is in ``skip`` are left out."""
    _, modules = imported_modules(text)
    modules = {module for module in modules if module[0] not in skip}
    listings = _listings if _listings is not None else {}
    facts: dict[str, None] = {}  # in order, once each
    folders: dict[tuple[int, tuple[str, ...]], bool] = {}
    """Whether each leading part already stated is a folder: the modules
    sharing it (the names imported from one module) state it once."""
    for module in sorted(modules):
        for index, base in enumerate(src):
            # A folder that does not exist holds nothing: the facts below it
            # follow from this one.
            folder, depth = base, 0
            while depth < len(module):
                name = module[depth]
                depth += 1
                known = folders.get((index, module[:depth]))
                if known is None:
                    listing = _listing(folder, listings)
                    facts.setdefault(
                        f"{index}:{'.'.join(module[:depth])}:"
                        + "".join(
                            listing.kinds(name + suffix)
                            for suffix in ("", ".py", ".pyi")
                        )
                    )
                    known = listing.kinds(name)[0] == "d"
                    folders[index, module[:depth]] = known
                if not known:
                    break
                folder = folder / name
    return " ".join(facts)


class _Listing:
    """A folder's entries: what each name is (``d`` folder, ``f`` file, ``o``
    something else, ``-`` nothing), links followed, as ruff sees them, by the
    exact name and by the name in any case (on a file system that ignores
    case, ruff finds ``Helpers`` for ``helpers``)."""

    def __init__(self, kinds: dict[str, str]) -> None:
        self.exact = kinds
        self.folded: dict[str, str] = {}
        for name, kind in kinds.items():
            self.folded[name.casefold()] = self.folded.get(name.casefold(), "") + kind

    def kinds(self, name: str) -> str:
        """``name``'s kind, then the kinds of the names equal to it in any case."""
        return self.exact.get(name, "-") + self.folded.get(name.casefold(), "-")


def _listing(folder: Path, listings: dict[Path, _Listing]) -> _Listing:
    """``folder``'s entries (:class:`_Listing`), read once per key."""
    if folder not in listings:
        kinds: dict[str, str] = {}
        try:
            with os.scandir(folder) as scan:
                for item in scan:
                    try:
                        kind = "d" if item.is_dir() else "f" if item.is_file() else "o"
                    except OSError:
                        kind = "o"
                    kinds[item.name] = kind
        except OSError:
            pass
        listings[folder] = _Listing(kinds)
    return listings[folder]
