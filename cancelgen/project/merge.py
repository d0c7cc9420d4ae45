"""Three-way merge of a generated file: base (pristine), ours (the user's), theirs (new).

The merge itself is ``git merge-file``: git's own merge machinery (xdiff),
with the conflict markers every editor and merge tool knows. cancelgen does
not carry a diff algorithm of its own. When one side did not change, the
answer is plain (the other side) and git is not needed; otherwise git must
be on ``PATH``, or the merge stops with one line saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
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
        # The plain "merge" style whatever the user's git config says, so the
        # markers are the three every tool knows.
        command = [git, "-c", "merge.conflictStyle=merge", "merge-file", "-p"]
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
    return Merged(done.stdout.decode("utf-8"), done.returncode)
