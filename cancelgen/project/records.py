"""Records of what cancelgen generated: the ``.cancelgen/`` folder, format 2.

``cancelgen new`` keeps, at the project root::

    .cancelgen/
      answers.toml                    the last run's answers, for --replay
      records/<primary path>.json     one record per generated unit
      pristine/<path>.pristine        the exact text cancelgen wrote to <path>

A *unit* is what one rendering produces: a worker (its module and its test
module; the primary path is the module's), or a file shared by several
workers, such as the ``conftest.py`` that puts the import root on
``sys.path`` (its own primary path). Its record is a JSON object::

    {
      "format": 2,                    this layout; a newer cancelgen may write 3
      "kind": "worker",               what renders it (see cancelgen.project.units)
      "cancelgen": "0.1.0",           the version that last wrote the record
      "answers": {...},               the full WorkerSpec for a worker; a field
                                      missing here takes its default
      "files": {                      every file of the unit cancelgen wrote, with
        "src/demo/worker.py": "sha256:...",   the digest of its pristine copy
        "tests/test_worker.py": "sha256:..."
      },
      "conflicts": {                  files whose last upgrade left conflict markers,
        "src/demo/worker.py": "sha256:..."    with the digest of that rendering
      }
    }

Pristine copies are plain UTF-8 text with ``\\n`` line endings (a checkout that
turned them into ``\\r\\n`` still matches), so people and tools can diff
against them (``git diff --no-index .cancelgen/pristine/<path>.pristine <path>``).
Digests are SHA-256 of that text, not of the copy's name.

The ``.pristine`` suffix keeps every tool from taking a copy for source code:
ruff, flake8, mypy, isort, black and pytest pick Python files by their
``.py`` suffix (and a project's ``per-file-ignores`` for ``tests/**`` does not
reach ``.cancelgen/pristine/tests/``). ``.txt`` would not do: pytest collects
``test*.txt`` files as doctests by default. A name ending in ``~`` is what many
global ignore files drop as an editor backup. The suffix names what the file
is when it is seen alone (in a diff, a search result), and takes no
configuration in the user's project.

cancelgen 0.1.0 wrote format 1, where a copy is ``pristine/<path>`` itself
(a ``.py`` file for a Python file). This cancelgen reads both formats: a copy
is looked for under its new name, then under the old one
(:func:`read_pristine`). It writes format 2, and whenever it writes a record it
moves that record's old-named copies to the new names in the same
all-or-nothing write (:func:`record_writes`), so an upgrade leaves no ``.py``
file under ``.cancelgen/pristine/``. The format number changed so that an
older cancelgen refuses a moved record with "written by a newer cancelgen:
upgrade cancelgen" instead of calling its copies missing and advising to
delete the record.

A record that is not valid JSON, lacks a key, has a value of the wrong type,
or names a pristine copy whose text does not match its digest is refused with
one line naming the record and the key.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cancelgen import __version__
from cancelgen.errors import CancelgenError
from cancelgen.project.inside import check_inside

FORMAT = 2
"""The record layout this cancelgen writes."""
READS = (1, FORMAT)
"""The record layouts this cancelgen reads (1: cancelgen 0.1.0's, see the module)."""

FOLDER = ".cancelgen"
RECORDS = f"{FOLDER}/records"
PRISTINE = f"{FOLDER}/pristine"
PRISTINE_SUFFIX = ".pristine"
"""Appended to a file's path to name its pristine copy (see the module)."""
SUFFIX = ".json"

Writes = dict[str, str | bytes | None]
"""``{relative path: text or bytes to write, or None to delete}``, for
:func:`cancelgen.project.write.make_plan`."""

_KEYS = ("format", "kind", "cancelgen", "answers", "files", "conflicts")
_DIGEST = re.compile(r"sha256:[0-9a-f]{64}\Z")


@dataclass(frozen=True)
class Record:
    """What cancelgen knew when it wrote one unit (a worker, or a shared file)."""

    key: str
    """The unit's primary path, relative to the project root: names the record."""
    kind: str
    answers: Mapping[str, Any]
    files: Mapping[str, str]
    """Each file cancelgen wrote, relative to the project root, with the digest
    of its pristine copy."""
    version: str = __version__
    conflicts: Mapping[str, str] = field(default_factory=dict)
    """Files whose last upgrade conflicted, with the digest of that rendering."""
    format: int = FORMAT
    """The layout it was read in (1: its pristine copies may have the old names)."""

    @property
    def location(self) -> str:
        """Where the record lives, relative to the project root."""
        return record_location(self.key)


def digest(text: str) -> str:
    """``sha256:<hex>`` of ``text`` (its UTF-8 bytes)."""
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_location(key: str) -> str:
    """The record of the unit whose primary path is ``key``."""
    return f"{RECORDS}/{key}{SUFFIX}"


def pristine_location(path: str) -> str:
    """The pristine copy of ``path`` (both relative to the project root)."""
    return f"{PRISTINE}/{path}{PRISTINE_SUFFIX}"


def old_pristine_location(path: str) -> str:
    """Where cancelgen 0.1.0 kept the pristine copy of ``path``: read, then moved."""
    return f"{PRISTINE}/{path}"


RESTORE = (
    "restore it from version control, or delete it and adopt the worker "
    "('cancelgen upgrade NAME --adopt')"
)


class RecordError(CancelgenError):
    """A record cancelgen cannot trust: one line naming the file and the key."""

    def __init__(
        self, location: str, key: str, problem: str, fix: str = RESTORE
    ) -> None:
        where = f"{location}: key {key!r}" if key else location
        super().__init__(f"{where} {problem}; {fix}")


def record_text(record: Record) -> str:
    """The record as the JSON text cancelgen writes (stable key order)."""
    data = {
        "format": FORMAT,
        "kind": record.kind,
        "cancelgen": record.version,
        "answers": record.answers,
        "files": record.files,
        "conflicts": record.conflicts,
    }
    # One line per answer and per file, lists kept on their line: easy to read
    # and to diff.
    lines = []
    for key, value in data.items():
        if isinstance(value, Mapping) and value:
            items = [f"    {_json(k)}: {_json(v)}" for k, v in value.items()]
            lines.append(f"  {_json(key)}: {{\n" + ",\n".join(items) + "\n  }")
        else:
            lines.append(f"  {_json(key)}: {_json(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _json(value: object) -> str:
    return json.dumps(
        dict(value) if isinstance(value, Mapping) else value, ensure_ascii=False
    )


def record_writes(record: Record, pristine: Mapping[str, str], *, root: Path) -> Writes:
    """The ``.cancelgen`` files that store ``record`` and the given pristine copies.

    ``{relative path: text}``, ready for :func:`cancelgen.project.write.make_plan`.
    Every file of ``pristine`` must be one of the record's, with its digest.
    Each file of the record also has its copy under the old name (cancelgen
    0.1.0's) deleted (``None``): a copy not given in ``pristine`` and found
    only under the old name (the project at ``root``) is moved, byte for byte.
    """
    writes: Writes = {record.location: record_text(record)}
    for path, text in pristine.items():
        if record.files.get(path) != digest(text):
            raise ValueError(f"the pristine copy of {path} does not match its record")
        writes[pristine_location(path)] = text
    for path in record.files:
        old = old_pristine_location(path)
        if path not in pristine and not _exists(root, pristine_location(path)):
            copy = _old_copy(root, old)
            if copy is not None:
                writes[pristine_location(path)] = copy
        writes[old] = None
    return writes


def _exists(root: Path, location: str) -> bool:
    check_inside(root, location, verb="read", last=True)
    return (root / location).is_file()


def _old_copy(root: Path, location: str) -> bytes | None:
    """The bytes of an old-named pristine copy, None if there is none."""
    check_inside(root, location, verb="read", last=True)
    try:
        return (root / location).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    except OSError as error:
        raise CancelgenError(f"cannot read {location}: {error.strerror}") from None


def read_records(root: Path) -> list[Record]:
    """Every record of the project at ``root``, sorted by key.

    Checks each record's shape (not its answers: see :mod:`cancelgen.project.units`);
    raises :class:`RecordError` for the first that is damaged.
    """
    check_inside(root, RECORDS, verb="read", last=True)
    folder = root / RECORDS
    if not folder.is_dir():
        return []
    records = []
    for path in sorted(folder.rglob(f"*{SUFFIX}")):
        if path.is_file():
            key = path.relative_to(folder).as_posix()[: -len(SUFFIX)]
            records.append(read_record(root, key))
    return records


def read_record(root: Path, key: str) -> Record:
    """The record of the unit ``key``; :class:`RecordError` if it is damaged."""
    location = record_location(key)
    check_inside(root, location, verb="read", last=True)
    try:
        data = json.loads((root / location).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise RecordError(
            location, "", f"is not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CancelgenError(f"cannot read {location}: {reason}") from None
    if not isinstance(data, dict):
        raise RecordError(location, "", "must hold a JSON object")
    version = data.get("format")
    if version not in READS or isinstance(version, bool):
        if (
            isinstance(version, int)
            and not isinstance(version, bool)
            and version > FORMAT
        ):
            raise CancelgenError(
                f"{location}: format {version} was written by a newer cancelgen "
                f"(this one, {__version__}, reads formats {' and '.join(map(str, READS))}): "
                "upgrade cancelgen"
            )
        raise RecordError(location, "format", f"must be 1 or {FORMAT}, got {version!r}")
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise RecordError(location, unknown[0], "is not a key of a record")
    kind = _typed(data, "kind", str, location)
    made_by = _typed(data, "cancelgen", str, location)
    answers = _typed(data, "answers", dict, location)
    files = _paths(data, "files", location)
    conflicts = _paths(data, "conflicts", location)
    for path in conflicts:
        if path not in files:
            raise RecordError(
                location,
                f'conflicts["{path}"]',
                "names a file the record does not list",
            )
    return Record(key, kind, answers, files, made_by, conflicts, version)


def _typed(data: Mapping[str, Any], key: str, expected: type, location: str) -> Any:
    if key not in data:
        raise RecordError(location, key, "is missing")
    value = data[key]
    if not isinstance(value, expected):
        wanted = "a string" if expected is str else "an object"
        raise RecordError(location, key, f"must be {wanted}, got {value!r}")
    return value


def _paths(data: Mapping[str, Any], key: str, location: str) -> dict[str, str]:
    """A ``{relative path: digest}`` object of the record, checked."""
    table = _typed(data, key, dict, location)
    for path, value in table.items():
        where = f'{key}["{path}"]'
        relative = PurePosixPath(path)
        if (
            not path
            or relative.is_absolute()
            or ".." in relative.parts
            or "\\" in path
            or relative.as_posix() != path
            or relative.parts[0] == FOLDER
        ):
            raise RecordError(
                location, where, "is not a file inside the project (a relative path)"
            )
        if not isinstance(value, str) or not _DIGEST.match(value):
            raise RecordError(location, where, f"must be 'sha256:<hex>', got {value!r}")
    return dict(table)


def read_pristine(root: Path, record: Record, path: str) -> str:
    """The pristine copy of ``path``, checked against the record's digest.

    ``\\r\\n`` line endings (a checkout's) are read as ``\\n``. Found under
    its name, else under cancelgen 0.1.0's (see the module).
    """
    location = pristine_location(path)
    old = old_pristine_location(path)
    check_inside(root, location, verb="read", last=True)
    check_inside(root, old, verb="read", last=True)
    if not (root / location).is_file() and (
        (root / old).is_file() or record.format == 1
    ):
        location = old  # named if missing too: where cancelgen 0.1.0 put it
    try:
        text = (root / location).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise RecordError(
            record.location,
            f'files["{path}"]',
            f"has no pristine copy: {location} is missing",
        ) from None
    except UnicodeDecodeError:
        text = ""
    except OSError as error:
        raise CancelgenError(f"cannot read {location}: {error.strerror}") from None
    text = text.replace("\r\n", "\n")
    if digest(text) != record.files[path]:
        raise RecordError(
            record.location,
            f'files["{path}"]',
            f"does not match {location}: the pristine copy changed since "
            "cancelgen wrote it",
            "restore it from version control, and keep formatters and hooks "
            "away from .cancelgen",
        )
    return text
