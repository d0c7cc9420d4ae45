"""Three-way merge of a generated file: base (pristine), ours (the user's), theirs (new).

The merge itself is ``git merge-file``: git's own merge machinery (xdiff),
with the conflict markers every editor and merge tool knows. cancelgen does
not carry a diff algorithm of its own. When one side did not change, the
answer is plain (the other side) and git is not needed; otherwise git must
be on ``PATH``, or the merge stops with one line saying so.
"""

from __future__ import annotations

import difflib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cancelgen.errors import CancelgenError

MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ")
"""How conflict markers start (git's default ``merge`` style, size 7)."""


@dataclass(frozen=True)
class Merged:
    """The result of a merge: the text, and how many conflicts it marks."""

    text: str
    conflicts: int = 0


def merge(
    base: str, ours: str, theirs: str, *, labels: tuple[str, str, str], path: str
) -> Merged:
    """Merge ``theirs``' changes to ``base`` into ``ours`` (all with ``\\n`` line endings).

    ``labels`` name ours, base and theirs after the conflict markers; ``path``
    names the file in errors.
    """
    if ours in (base, theirs):
        return Merged(theirs)
    if theirs == base:
        return Merged(ours)
    return _git_merge_file(base, ours, theirs, labels, path)


def has_markers(text: str) -> bool:
    """Whether ``text`` still holds a conflict (all three kinds of marker lines)."""
    lines = text.splitlines()
    return all(
        any(line == marker.strip() or line.startswith(marker) for line in lines)
        for marker in MARKERS
    )


def _git_merge_file(
    base: str, ours: str, theirs: str, labels: tuple[str, str, str], path: str
) -> Merged:
    git = shutil.which("git")
    if git is None:
        raise CancelgenError(
            f"merging your edits of {path} needs git ('git merge-file'), "
            "which is not on PATH: install git and run again"
        )
    with tempfile.TemporaryDirectory(prefix="cancelgen-merge-") as folder:
        names = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            file = Path(folder) / name
            file.write_bytes(text.encode("utf-8"))
            names.append(str(file))
        # diff3 style whatever the user's git config says: each conflict shows
        # its base, which _settle() needs; what is left is written in the
        # plain "merge" style, the three markers every tool knows.
        command = [git, "merge-file", "-p", "--diff3"]
        for label in labels:
            command += ["-L", label]
        done = subprocess.run(
            [*command, *names],
            capture_output=True,
            check=False,
        )
    if not 0 <= done.returncode <= 127:
        reason = done.stderr.decode("utf-8", "replace").strip() or done.returncode
        raise CancelgenError(f"git merge-file failed on {path}: {reason}")
    return _settle(done.stdout.decode("utf-8"), labels)


def _settle(text: str, labels: tuple[str, str, str]) -> Merged:
    """``text`` (git's diff3-style merge) with the conflicts that only look like
    one settled, and the others in the plain merge style.

    git counts an edit of yours right next to lines cancelgen changed (a test
    of your own after the sweep, a setting above a comment cancelgen rewrote)
    as a conflict. Inside each conflict, the lines are compared with the base
    one by one: if you and cancelgen changed different lines, both changes are
    kept, each where it was made; only a line both changed (or two insertions
    at one place) stays a conflict.
    """
    ours_marker, base_marker = f"<<<<<<< {labels[0]}\n", f"||||||| {labels[1]}\n"
    theirs_marker = f">>>>>>> {labels[2]}\n"
    # Plain lines, and each conflict left as one (ours, theirs) pair.
    parts: list[str | tuple[list[str], list[str]]] = []
    moved: list[tuple[tuple[list[str], list[str]], list[str]]] = []
    lines = iter(text.splitlines(keepends=True))
    for line in lines:
        if line != ours_marker:
            parts.append(line)
            continue
        ours = list(_until(lines, base_marker))
        base = list(_until(lines, "=======\n"))
        theirs = list(_until(lines, theirs_marker))
        settled = _line_by_line(ours, base, theirs)
        if settled is not None:
            parts += settled
            continue
        conflict = (ours, theirs)
        parts.append(conflict)
        kept = _kept_elsewhere(ours, base, theirs)
        if kept is not None:
            moved.append((conflict, kept))
    _apply_moved(parts, moved)
    out: list[str] = []
    conflicts = 0
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            conflicts += 1
            out += [ours_marker, *part[0], "=======\n", *part[1], theirs_marker]
    return Merged("".join(out), conflicts)


def _kept_elsewhere(
    ours: list[str], base: list[str], theirs: list[str]
) -> list[str] | None:
    """The lines you replaced (each by one line of yours, in order, as
    ``[old, new, old, new...]``) if cancelgen's version of this place no longer
    has them, else None: then they may live on elsewhere in its version (a
    setting whose neighbours moved away, ``SWEEP_SKIP`` under a rewritten
    sweep); :func:`_apply_moved` looks for them there."""
    mine, new = _edits(base, ours), _edits(base, theirs)
    pairs: list[str] = []
    for start, end, lines in mine:
        if end - start != 1 or len(lines) != 1:
            return None
        here = [given for b1, b2, given in new if b1 <= start < b2]
        if not here or base[start] in here[0]:
            return None  # cancelgen kept the line here
        pairs += [base[start], lines[0]]
    return pairs or None


def _apply_moved(
    parts: list[str | tuple[list[str], list[str]]],
    moved: list[tuple[tuple[list[str], list[str]], list[str]]],
) -> None:
    """Settle each conflict of ``moved`` by taking cancelgen's side and your
    edit of each line it dropped there, on the one plain line elsewhere that
    still reads as the line did (else it stays a conflict)."""
    for conflict, pairs in moved:
        targets = []
        for old, mine in zip(pairs[::2], pairs[1::2], strict=True):
            found = [n for n, part in enumerate(parts) if part == old]
            if len(found) != 1:
                break
            targets.append((found[0], mine))
        else:
            where = parts.index(conflict)
            for index, mine in targets:
                parts[index] = mine
            parts[where : where + 1] = conflict[1]


def _until(lines: Iterator[str], marker: str) -> Iterator[str]:
    """The lines up to ``marker`` (consumed, not given)."""
    for line in lines:
        if line == marker:
            return
        yield line


Edit = tuple[int, int, list[str]]
"""Base lines ``[start, end)`` replaced by the lines given (an insertion when
start == end)."""


def _edits(base: list[str], side: list[str]) -> list[Edit]:
    matcher = difflib.SequenceMatcher(None, base, side, autojunk=False)
    return [
        (i1, i2, side[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _clash(first: Edit, second: Edit) -> bool:
    """Whether two edits touch the same base line (or insert at one place)."""
    (a1, a2, _), (b1, b2, _) = first, second
    if a1 == a2 and b1 == b2:
        return a1 == b1
    if a1 == a2:
        return b1 < a1 < b2
    if b1 == b2:
        return a1 < b1 < a2
    return a1 < b2 and b1 < a2


def _line_by_line(
    ours: list[str], base: list[str], theirs: list[str]
) -> list[str] | None:
    """Both sides' edits of ``base`` applied, if no base line is edited by
    both; else None (a real conflict)."""
    mine, new = _edits(base, ours), _edits(base, theirs)
    if not mine or not new or any(_clash(a, b) for a in mine for b in new):
        return None
    # Insertions before replacements at the same place, then in base order.
    edits = sorted(mine + new, key=lambda edit: (edit[0], edit[1] != edit[0]))
    merged: list[str] = []
    at = 0
    for start, end, lines in edits:
        merged += base[at:start] + lines
        at = end
    return merged + base[at:]
