"""Plan an upgrade of recorded units: re-render, merge three ways, decide per file.

For each file of a unit (:mod:`cancelgen.project.units`) the installed cancelgen
renders *theirs*; the pristine copy is the *base*; the user's file is *ours*.
:func:`plan_unit` merges them (:mod:`cancelgen.project.merge`) and decides what
happens to the file, its pristine copy and the record; nothing is written
here. The caller turns :meth:`UnitUpgrade.user_files` and
:meth:`UnitUpgrade.cancelgen_files` into one plan for :mod:`cancelgen.project.write`,
so an upgrade is all or nothing, previewable with ``--dry-run``.

:func:`survey` answers ``cancelgen status``: is each recorded file edited
(against its pristine copy), and would the installed cancelgen write
something else (outdated)?
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from cancelgen import __version__
from cancelgen.errors import CancelgenError, UsageError
from cancelgen.project.detect import Project
from cancelgen.project.inside import check_inside
from cancelgen.project.merge import has_markers, merge
from cancelgen.project.records import (
    Record,
    Writes,
    digest,
    old_pristine_location,
    read_pristine,
    record_writes,
)
from cancelgen.project.units import KINDS, TEST_SUPPORT, render_record
from cancelgen.project.user_text import UserText, read_user_text

Action = Literal[
    "unchanged",  # nothing to do: the file stays as it is
    "updated",  # unedited: the new rendering replaces it
    "merged",  # edited: the new rendering merged into the user's edits
    "conflict",  # edited where the rendering changed: conflict markers written
    "resolved",  # the markers of the last upgrade are gone: recorded as resolved
    "created",  # a file the installed cancelgen adds to the unit
    "deleted",  # the user deleted it: it stays deleted
    "left alone",  # exists but is not cancelgen's (not recorded): untouched
    "dropped",  # no longer rendered: untouched, no longer recorded
    "replaced",  # an edited support module replaced (--force), the edit kept aside
    "kept",  # an edited support module cancelgen has nothing new for: untouched
]

ORIG = ".orig"
"""Suffix of the copy of an edited support module that ``upgrade --force`` replaced."""


@dataclass(frozen=True)
class FileUpgrade:
    """What an upgrade does to one file."""

    path: str
    action: Action
    data: bytes | None = None
    """The file's new bytes (in its own encoding and line endings), if written."""
    before: str | None = None
    """The file's text before (``\\n`` line endings), if it exists."""
    conflicts: int = 0


@dataclass(frozen=True)
class UnitUpgrade:
    """The upgrade of one unit: its files, its new record, its new pristine copies."""

    record: Record
    files: tuple[FileUpgrade, ...]
    pristine: Mapping[str, str]

    def user_files(self) -> dict[str, bytes]:
        """``{path: bytes}`` of the project files this upgrade writes."""
        return {f.path: f.data for f in self.files if f.data is not None}

    def cancelgen_files(self, root: Path) -> Writes:
        """``{path: text}`` of the record and the pristine copies to write
        (``None``: the old-named copies to delete, see
        :func:`cancelgen.project.records.record_writes`)."""
        writes = record_writes(self.record, self.pristine, root=root)
        for item in self.files:
            if item.action == "dropped":
                writes[old_pristine_location(item.path)] = None
        return writes

    @property
    def conflicted(self) -> tuple[str, ...]:
        """The files left with conflict markers."""
        return tuple(f.path for f in self.files if f.action == "conflict")


def plan_unit(
    project: Project,
    record: Record,
    answers: Mapping[str, Any] | None = None,
    *,
    adopt: bool = False,
) -> UnitUpgrade:
    """Re-render ``record``'s unit with ``answers`` (default: its own) and merge each file.

    With ``adopt``, a file the record does not list but that exists is merged
    with itself as the base: the result is the new rendering, and the diff
    shows every line it changes.
    """
    answers = record.answers if answers is None else answers
    kind = KINDS[record.kind]
    primary = kind.paths(answers)[0]
    if primary != record.key:
        raise UsageError(
            f"an upgrade keeps files where they are: {record.key} cannot become {primary}"
        )
    rendered = kind.render(answers, project)
    files: list[FileUpgrade] = []
    digests: dict[str, str] = {}
    conflicts: dict[str, str] = {}
    pristine: dict[str, str] = {}
    for path, theirs in rendered.items():
        outcome = _plan_file(project.root, record, path, theirs, adopt)
        files.append(outcome)
        if outcome.action == "conflict":
            digests[path] = record.files[path]
            conflicts[path] = digest(theirs)
        elif outcome.action == "deleted":
            digests[path] = record.files[path]
        elif outcome.action != "left alone":
            digests[path] = digest(theirs)
            pristine[path] = theirs
    files += [
        FileUpgrade(path, "dropped") for path in record.files if path not in rendered
    ]
    new = Record(
        record.key, record.kind, dict(answers), digests, __version__, conflicts
    )
    return UnitUpgrade(new, tuple(files), pristine)


def _plan_file(
    root: Path, record: Record, path: str, theirs: str, adopt: bool
) -> FileUpgrade:
    recorded = path in record.files
    ours = _read(root, path)
    if ours is None:
        if recorded:
            return FileUpgrade(path, "deleted")
        return FileUpgrade(path, "created", theirs.encode("utf-8"))
    if not recorded and not adopt:
        return FileUpgrade(path, "left alone", before=ours.text)
    base = read_pristine(root, record, path) if recorded else ours.text
    pending = record.conflicts.get(path)
    if pending is not None:
        if has_markers(ours.text):
            raise CancelgenError(
                f"{path} still holds the conflict markers of the last upgrade: "
                "resolve them, then run cancelgen upgrade again"
            )
        if pending == digest(theirs):
            return FileUpgrade(path, "resolved", ours.data, ours.text)
    merged = merge(
        base,
        ours.text,
        theirs,
        labels=(
            f"{path} (yours)",
            f"{path} (cancelgen {record.version})",
            f"{path} (cancelgen {__version__})",
        ),
        path=path,
    )
    data = ours.encode(merged.text, path)
    if merged.conflicts:
        return FileUpgrade(path, "conflict", data, ours.text, merged.conflicts)
    if merged.text == ours.text:
        return FileUpgrade(path, "unchanged", data, ours.text)
    action: Action = "updated" if ours.text == base else "merged"
    return FileUpgrade(path, action, data, ours.text)


def plan_support(
    project: Project,
    record: Record,
    answers: Mapping[str, Any] | None = None,
    *,
    force: bool = False,
) -> UnitUpgrade:
    """Replace the support module of ``record`` with the installed cancelgen's.

    No merge: the module is cancelgen's, and its docstring says not to edit
    it. Unedited (or missing: its workers import it), it is written anew.
    Edited where cancelgen has nothing new for it, it is kept. Otherwise a
    file that differs from the record's pristine copy (or, with no copy,
    from the new rendering) is refused, unless ``force``: it is then
    replaced, and the edited copy kept aside as ``<path>.orig``.
    """
    answers = record.answers if answers is None else answers
    ((path, theirs),) = KINDS[record.kind].render(answers, project).items()
    ours = _read(project.root, path)
    base = read_pristine(project.root, record, path) if path in record.files else None
    files: list[FileUpgrade] = []
    if ours is None:
        files.append(FileUpgrade(path, "created", theirs.encode("utf-8")))
    elif ours.text == theirs:
        files.append(FileUpgrade(path, "unchanged", ours.data, ours.text))
    elif ours.text == base:
        files.append(FileUpgrade(path, "updated", ours.encode(theirs, path), ours.text))
    elif base == theirs and not force:
        # Edited, but cancelgen has nothing new for it: nothing to replace.
        return UnitUpgrade(record, (FileUpgrade(path, "kept", before=ours.text),), {})
    else:
        kept = path + ORIG
        why = "differs from what cancelgen wrote" if base else "is not cancelgen's"
        yours = "test modules" if record.kind == TEST_SUPPORT else "workers"
        if not force:
            raise CancelgenError(
                f"{path} {why}, and cancelgen replaces it wholesale: move your "
                f"changes into your {yours}, or run again with --force to replace "
                f"it (your copy is then kept as {kept})"
            )
        if _read(project.root, kept) is not None:
            raise CancelgenError(
                f"{kept} exists (an edited copy kept by an earlier upgrade): "
                "move it away, then run again"
            )
        files.append(
            FileUpgrade(path, "replaced", ours.encode(theirs, path), ours.text)
        )
        files.append(FileUpgrade(kept, "created", ours.data))
    new = Record(record.key, record.kind, dict(answers), {path: digest(theirs)})
    return UnitUpgrade(new, tuple(files), {path: theirs})


def _read(root: Path, path: str) -> UserText | None:
    check_inside(root, path, verb="read")
    target = root / path
    if target.is_dir():
        raise CancelgenError(f"cannot upgrade {path}: a folder of that name exists")
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CancelgenError(f"cannot read {path}: {error.strerror}") from None
    return read_user_text(data, path)


FileState = Literal["unedited", "edited", "deleted", "conflict", "resolved"]


@dataclass(frozen=True)
class FileStatus:
    """How one recorded file stands: against its pristine copy, and against the
    installed cancelgen's rendering of the same answers."""

    record: Record
    path: str
    state: FileState
    outdated: bool


def survey(project: Project, records: list[Record]) -> list[FileStatus]:
    """The status of every file of ``records``, in record order."""
    found = []
    for record in records:
        rendered = render_record(record, project)
        for path in record.files:
            pristine = read_pristine(project.root, record, path)
            ours = _read(project.root, path)
            state: FileState
            if ours is None:
                state = "deleted"
            elif path in record.conflicts:
                state = "conflict" if has_markers(ours.text) else "resolved"
            else:
                state = "unedited" if ours.text == pristine else "edited"
            found.append(
                FileStatus(record, path, state, rendered.get(path) != pristine)
            )
    return found
