"""Keep every write (and every read of cancelgen's own files) inside the project.

A relative path without ``..`` can still lead out of the project: through a
folder in it that is a symbolic link to somewhere else (a repository can carry
one). Like copier for its destination, cancelgen resolves each target and
refuses one that lands outside the project root. A link that stays inside the
project is followed as usual.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from cancelgen.errors import UsageError


def escape(root: Path, path: str, *, last: bool = False) -> str | None:
    """Why ``path`` (relative to ``root``, POSIX style) leads outside ``root``,
    or None if it stays inside.

    Only its folders are followed, unless ``last``: whether the file itself may
    be a symbolic link is for the caller to decide (cancelgen never writes
    through one, see :func:`cancelgen.project.write.make_plan`).
    """
    real_root = root.resolve()
    parts = PurePosixPath(path).parts
    current = root
    for index, part in enumerate(parts if last else parts[:-1]):
        current = current / part
        if not current.is_symlink():
            continue
        shown = PurePosixPath(*parts[: index + 1]).as_posix()
        try:
            leads = current.resolve(strict=False)
        except (OSError, RuntimeError):  # a loop of links
            return f"{shown} is a symbolic link that cannot be resolved"
        if not leads.is_relative_to(real_root):
            return f"{shown} is a symbolic link to {leads}, outside the project {root}"
    return None


def check_inside(
    root: Path, path: str, *, verb: str = "write", last: bool = False
) -> None:
    """Raise ``UsageError`` (one line) if ``path`` leads outside ``root``; see :func:`escape`."""
    why = escape(root, path, last=last)
    if why is not None:
        raise UsageError(f"refusing to {verb} {path}: {why}")
