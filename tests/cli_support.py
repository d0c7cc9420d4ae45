"""Helpers for the CLI tests: throwaway projects, tree snapshots, running cancelgen.

In-process runs go through Typer's ``CliRunner`` (fast, stdin is never a
terminal); ``run_cancelgen`` starts a real process (``python -m cancelgen``)
for what only a process shows: exit codes, stderr, imports, no hanging.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MINIMAL_PYPROJECT = '[project]\nname = "demo"\nversion = "0.1.0"\n'


def make_project(
    root: Path, pyproject: str | None = MINIMAL_PYPROJECT, layout: str = "src"
) -> Path:
    """A project like a new user's: ``pyproject.toml`` and ``src/demo/__init__.py``.

    ``layout`` is ``"src"``, ``"flat"`` (``demo/__init__.py``) or ``"none"``.
    """
    root.mkdir(parents=True, exist_ok=True)
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    if layout != "none":
        package = root / ("src/demo" if layout == "src" else "demo")
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("", encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (content), folder (None) and symbolic link (``b"-> target"``,
    not followed) under ``root``, by relative path."""
    tree: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_symlink():
            tree[relative] = b"-> " + os.fsencode(os.readlink(path))
        else:
            tree[relative] = None if path.is_dir() else path.read_bytes()
    return tree


def cli_env(cache: Path | None = None) -> dict[str, str]:
    """Environment for a cancelgen subprocess: this checkout importable, private cache."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), env.get("PYTHONPATH")])
    )
    if cache is not None:
        env["CANCELGEN_CACHE_DIR"] = str(cache)
        env.pop("CANCELGEN_NO_CACHE", None)
    else:
        env["CANCELGEN_NO_CACHE"] = "1"
    return env


def without_file_privileges() -> list[str] | None:
    """A command prefix under which file permissions apply, even to root.

    root ignores them (CAP_DAC_OVERRIDE); ``setpriv`` drops that capability
    for the child, so a read-only folder is read-only for it. None if that is
    needed but ``setpriv`` is missing.
    """
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return None
    caps = "-dac_override,-dac_read_search"
    return [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]


def run_cancelgen(
    args: list[str],
    cwd: Path,
    *,
    cache: Path | None = None,
    timeout: float = 60,
    python: str = sys.executable,
    extra: list[str] | None = None,
    prefix: list[str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m cancelgen ARGS`` in ``cwd`` with stdin not a terminal."""
    return subprocess.run(
        [*(prefix or []), python, *(extra or []), "-m", "cancelgen", *args],
        cwd=cwd,
        env=cli_env(cache),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
