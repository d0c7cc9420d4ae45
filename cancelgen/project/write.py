"""Turn rendered files into a plan, preview it, and write it all or not at all.

``make_plan`` compares each file with what is on disk (create, overwrite,
unchanged, skip, delete) and refuses conflicts before anything is written;
``unified_diff`` previews a plan for ``--dry-run``; ``write_plan`` writes every
file to a temporary file next to its target, then ``os.replace``s them one by
one, and on any failure puts the project back exactly as it was.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from cancelgen.errors import CancelgenError, UsageError
from cancelgen.project.inside import check_inside

Status = Literal["create", "overwrite", "unchanged", "skip", "conflict", "delete"]

TEMP_SUFFIX = ".cancelgen-tmp"


@dataclass(frozen=True)
class PlannedFile:
    """One file of a plan: where it goes, what it holds, what happens to it."""

    path: str
    """Relative to the project root, POSIX style (as shown to users)."""
    target: Path
    text: str
    """The new content as text (for diffs)."""
    old: bytes | None
    """The current content, or None if the file does not exist."""
    status: Status
    data: bytes
    """The new content, byte for byte as it is written."""

    @property
    def changes(self) -> bool:
        """Whether writing the plan touches this file."""
        return self.status in ("create", "overwrite", "delete")


@dataclass(frozen=True)
class Plan:
    """Every file a run would write, in order, with its status."""

    root: Path
    files: tuple[PlannedFile, ...]

    @property
    def to_write(self) -> tuple[PlannedFile, ...]:
        """The files that would be created, overwritten or deleted."""
        return tuple(f for f in self.files if f.changes)

    @property
    def conflicts(self) -> tuple[PlannedFile, ...]:
        """Existing, different files that neither --force nor --skip-existing settles."""
        return tuple(f for f in self.files if f.status == "conflict")

    def joined(self, other: Plan) -> Plan:
        """This plan and then ``other``'s files, to be written all together or not at all."""
        if other.root != self.root:
            raise ValueError("plans of different projects cannot be joined")
        return Plan(self.root, self.files + other.files)

    def refuse_conflicts(self) -> None:
        """Raise ``CancelgenError`` naming the first conflict, if there is one."""
        if self.conflicts:
            raise CancelgenError(
                f"{self.conflicts[0].path} already exists and differs: "
                "use --force to overwrite or --skip-existing"
            )


def make_plan(
    root: Path,
    files: Mapping[str, str | bytes | None],
    *,
    force: bool = False,
    skip_existing: bool = False,
) -> Plan:
    """Compare ``files`` ({relative path: text}) with the project under ``root``.

    Text is written as UTF-8; bytes are written as they are (an upgrade keeps
    the encoding and line endings of the user's file). ``None`` deletes the
    file (status ``delete``, whatever ``force`` and ``skip_existing`` say), if
    it exists: a path to delete that does not exist is left out of the plan.

    An existing, different file is a ``conflict`` unless ``force`` (overwrite)
    or ``skip_existing`` (leave it) is set: :meth:`Plan.refuse_conflicts`
    stops a run there, after ``--dry-run`` has shown the diff. Targets that
    cannot be written (a folder in the way, a file where a folder must be, a
    symbolic link, an unwritable folder, a folder that is a symbolic link out
    of the project) raise ``CancelgenError`` at once.
    """
    if force and skip_existing:
        raise UsageError("--force and --skip-existing cannot be used together")
    planned = []
    for path, text in files.items():
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts:
            raise UsageError(f"refusing to write outside the project: {path}")
        check_inside(root, path, verb="write" if text is not None else "delete")
        target = root.joinpath(*relative.parts)
        if text is None:
            planned.extend(_plan_delete(target, path))
            continue
        try:
            _check_parents(root, target, path)
            old = _read_existing(target, path)
            is_link = target.is_symlink()
        except OSError as error:
            raise CancelgenError(
                f"cannot write {path}: {error.strerror or error}"
            ) from error
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
        status: Status
        if old == data:
            status = "unchanged"
        elif is_link:
            raise CancelgenError(
                f"cannot write {path}: it is a symbolic link, which cancelgen does "
                "not write through; remove it or choose another name"
            )
        elif old is None:
            status = "create"
        elif skip_existing:
            status = "skip"
        elif force:
            status = "overwrite"
        else:
            status = "conflict"
        planned.append(PlannedFile(path, target, shown, old, status, data))
    return Plan(root, tuple(planned))


def _plan_delete(target: Path, path: str) -> list[PlannedFile]:
    """The deletion of ``target``, if it exists (a list of none or one)."""
    if target.is_symlink():
        raise CancelgenError(
            f"cannot delete {path}: it is a symbolic link, which cancelgen does "
            "not delete; remove it"
        )
    if target.is_dir():
        raise CancelgenError(f"cannot delete {path}: it is a folder")
    try:
        old = target.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as error:
        raise CancelgenError(f"cannot read {path}: {error.strerror}") from error
    return [PlannedFile(path, target, "", old, "delete", b"")]


def _check_parents(root: Path, target: Path, path: str) -> None:
    """Fail early if a parent folder of ``target`` is a file or not writable."""
    folder = target.parent
    while not folder.exists():
        if folder == root or folder.parent == folder:
            break
        folder = folder.parent
    if folder.exists() and not folder.is_dir():
        raise CancelgenError(
            f"cannot write {path}: {folder} is a file, not a folder; "
            "choose another folder with --package-dir/--tests-dir"
        )
    if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
        raise CancelgenError(f"cannot write {path}: {folder} is not writable")


def _read_existing(target: Path, path: str) -> bytes | None:
    if target.is_dir():
        raise CancelgenError(f"cannot write {path}: a folder of that name exists")
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise CancelgenError(f"cannot read {path}: {error.strerror}") from error


def unified_diff(plan: Plan, *, color: bool = False) -> str:
    """A unified diff of every file the plan creates or changes (conflicts too,
    as ``--force`` would write them).

    New files are diffed against ``/dev/null``, and deleted files to it, like
    ``git diff``. ``color``
    adds ANSI colours (use it only on a terminal).
    """
    chunks: list[str] = []
    for item in (f for f in plan.files if f.changes or f.status == "conflict"):
        old = item.old.decode("utf-8", "replace") if item.old is not None else ""
        lines = difflib.unified_diff(
            old.splitlines(keepends=True),
            item.text.splitlines(keepends=True),
            fromfile=f"a/{item.path}" if item.old is not None else "/dev/null",
            tofile="/dev/null" if item.status == "delete" else f"b/{item.path}",
        )
        for line in lines:
            if not line.endswith("\n"):
                line += "\n\\ No newline at end of file\n"
            chunks.append(_colour(line) if color else line)
    return "".join(chunks)


def _colour(line: str) -> str:
    if line.startswith(("+++", "---")):
        code = "1"
    elif line.startswith("+"):
        code = "32"
    elif line.startswith("-"):
        code = "31"
    elif line.startswith("@@"):
        code = "36"
    else:
        return line
    body = line.rstrip("\n")
    return f"\x1b[{code}m{body}\x1b[0m" + line[len(body) :]


def write_plan(plan: Plan) -> tuple[PlannedFile, ...]:
    """Write every changed file of ``plan``, or none of them.

    Each file is first written to a temporary file in its target folder (so
    the final ``os.replace`` is atomic and on the same file system), then the
    temporaries are moved into place; a file to delete is moved onto a
    temporary name in its folder instead, and removed once everything is in
    place. If anything fails, the temporaries are removed, already replaced
    files get their old content back (or are deleted if they were new), files
    moved aside for deletion are moved back, and folders created for the run
    are removed: the project is left exactly as it was. Returns the files
    written (and deleted).
    """
    plan.refuse_conflicts()
    todo = plan.to_write
    created_dirs: list[Path] = []
    temps: dict[Path, Path] = {}
    replaced: list[PlannedFile] = []
    aside: dict[Path, Path] = {}
    current = todo[0] if todo else None
    try:
        for item in todo:
            current = item
            if item.status == "delete":
                temps[item.target] = _reserve_temp(item)
                continue
            created_dirs.extend(_make_parents(item.target.parent))
            temps[item.target] = _write_temp(item)
        for item in todo:
            current = item
            if item.status == "delete":
                os.replace(item.target, temps[item.target])
                aside[item.target] = temps.pop(item.target)
            else:
                os.replace(temps[item.target], item.target)
                del temps[item.target]
            replaced.append(item)
    except OSError as error:
        _roll_back(temps, replaced, created_dirs, aside)
        where = current.path if current else "files"
        reason = error.strerror or str(error)
        raise CancelgenError(
            f"cannot write {where}: {reason}; nothing was changed"
        ) from error
    except BaseException:
        _roll_back(temps, replaced, created_dirs, aside)
        raise
    for moved in aside.values():
        with contextlib.suppress(OSError):
            moved.unlink()
    return todo


def _make_parents(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; return those created, outermost first."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    created = []
    for path in reversed(missing):
        path.mkdir()
        created.append(path)
    return created


def _reserve_temp(item: PlannedFile) -> Path:
    """A fresh temporary name next to ``item``'s target, to move it onto."""
    descriptor, name = tempfile.mkstemp(
        dir=item.target.parent, prefix=f".{item.target.name}.", suffix=TEMP_SUFFIX
    )
    os.close(descriptor)
    return Path(name)


def _write_temp(item: PlannedFile) -> Path:
    descriptor, name = tempfile.mkstemp(
        dir=item.target.parent, prefix=f".{item.target.name}.", suffix=TEMP_SUFFIX
    )
    temp = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(item.data)
        mode = (
            item.target.stat().st_mode & 0o7777
            if item.old is not None
            else 0o666 & ~_umask()
        )
        os.chmod(temp, mode)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _roll_back(
    temps: Mapping[Path, Path],
    replaced: list[PlannedFile],
    created_dirs: list[Path],
    aside: Mapping[Path, Path],
) -> None:
    """Undo a partial write; best effort, never raises."""
    for temp in temps.values():
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    for item in reversed(replaced):
        with contextlib.suppress(OSError):
            if item.status == "delete":
                _put_back(aside[item.target], item)
            elif item.old is None:
                item.target.unlink(missing_ok=True)
            else:
                item.target.write_bytes(item.old)
    for folder in reversed(created_dirs):
        with contextlib.suppress(OSError):
            folder.rmdir()


def _put_back(moved: Path, item: PlannedFile) -> None:
    """Move a file set aside for deletion back; failing that, write its bytes."""
    try:
        os.replace(moved, item.target)
    except OSError:
        item.target.write_bytes(item.old or b"")
        moved.unlink(missing_ok=True)
