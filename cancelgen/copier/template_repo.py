"""A local git repository of cancelgen's copier template, one tag per template version.

``copier update`` can only update a project from a git-tracked template whose
versions are tags: it re-renders the version the project was made from and
merges the difference into the project. The wheel ships the template as plain
files, so ``cancelgen init`` and ``cancelgen update`` first record the
installed template in this repository and render from its tag:

- the tag is ``v<cancelgen version>``; if a different template was already
  recorded under that version (an editable install whose templates changed),
  it is ``v<version>+1``, ``v<version>+2``... (PEP 440 local versions, which
  sort after ``v<version>``, so copier sees them as newer);
- the same template content always gets the same tag, so recording is
  idempotent and projects made by different runs share tags.

The repository lives in ``$CANCELGEN_DATA_DIR/template``, else
``$XDG_DATA_HOME/cancelgen/template``, else
``~/.local/share/cancelgen/template``: data, not cache, because projects name
its tags in their ``.copier-answers.yml``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from cancelgen import __version__
from cancelgen.errors import CancelgenError

# What copier needs of the template: its configuration and the folder with the
# project template and the worker fragments it renders through our extension.
TEMPLATE_FILES = ("copier.yml", "templates")
GIT_IDENTITY = (
    "-c",
    "user.name=cancelgen",
    "-c",
    "user.email=cancelgen@localhost",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "tag.gpgsign=false",
)


class GitNotFound(CancelgenError):
    """git is not installed, so the template cannot be versioned."""


def copier_template_root() -> Path:
    """The folder holding ``copier.yml`` and ``templates/``.

    In a wheel both sit inside the package; in a checkout (or an editable
    install) they sit at the repository root.
    """
    package = Path(__file__).resolve().parent.parent  # cancelgen/, above copier/
    if (package / "copier.yml").is_file():
        return package
    return package.parent


def data_dir() -> Path:
    """Where cancelgen keeps data that must outlive its cache."""
    base = os.environ.get("CANCELGEN_DATA_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "cancelgen"


def repository() -> Path:
    """The local template repository (it may not exist yet)."""
    return data_dir() / "template"


def record_template(source: Path) -> tuple[Path, str]:
    """Commit the template in ``source`` to the repository (once) and tag it.

    Returns the repository and the tag that holds exactly this template.
    """
    repo = repository()
    try:
        repo.mkdir(parents=True, exist_ok=True)
        with _locked(repo.parent / "template.lock"):
            if not (repo / ".git").is_dir():
                _git(repo, "init", "-q")
            _replace_worktree(repo, source)
            _git(repo, "add", "-A")
            tree = _git(repo, "write-tree")
            tag = _tag_for(repo, tree)
            _git(repo, "reset", "-q", "--hard")  # leave a clean worktree for copier
            return repo, tag
    except OSError as error:
        raise CancelgenError(
            f"cannot record the template in {repo}: {error.strerror or error}"
        ) from None


def _tag_for(repo: Path, tree: str) -> str:
    """The tag holding ``tree``: an existing one, or a new commit and tag."""
    for index in range(1000):
        tag = f"v{__version__}" if index == 0 else f"v{__version__}+{index}"
        existing = _git(
            repo,
            "rev-parse",
            "-q",
            "--verify",
            f"refs/tags/{tag}^{{tree}}",
            check=False,
        )
        if existing == tree:
            return tag
        if existing:
            continue  # this version was recorded with other content
        head = _git(repo, "rev-parse", "-q", "--verify", "HEAD^{tree}", check=False)
        if head != tree:
            _git(repo, "commit", "-q", "-m", f"cancelgen {tag} template")
        _git(repo, "tag", tag)
        return tag
    raise CancelgenError(f"too many template versions recorded in {repo}")


def _replace_worktree(repo: Path, source: Path) -> None:
    for child in repo.iterdir():
        if child.name == ".git":
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    for name in TEMPLATE_FILES:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(
                origin,
                repo / name,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        else:
            shutil.copy2(origin, repo / name)


def _git(repo: Path, *args: str, check: bool = True) -> str:
    try:
        result = subprocess.run(
            ["git", *GIT_IDENTITY, *args],
            cwd=repo,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        raise GitNotFound(
            "git is not installed: copier needs it to version and update projects"
        ) from None
    if check and result.returncode != 0:
        message = " ".join((result.stderr or result.stdout).split())
        raise CancelgenError(f"git {args[0]} failed in {repo}: {message}")
    return result.stdout.strip() if result.returncode == 0 else ""


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Serialise recording between concurrent cancelgen processes."""
    import fcntl

    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
