"""Run ruff on generated sources as the project would: its configuration, its paths.

Every call is ``ruff ... --stdin-filename <the file's real path> -`` from the
project root, so ruff finds and applies the project's own configuration for
that path (``[tool.ruff]``, ``ruff.toml`` files along the way, ``extend``
chains, ``target-version`` or else ``requires-python``). cancelgen reads none
of it itself.

The binary is the ``ruff`` package's (a dependency of cancelgen), or the one
``CANCELGEN_RUFF`` names (a project's pinned ruff, say). No cache: ruff takes
a few milliseconds per file, less than hashing every configuration file that
could change its output would be worth (measured in ``docs/fitting.rst``).
Files are run in parallel, one process each.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from cancelgen.errors import CancelgenError

RUFF_ENV = "CANCELGEN_RUFF"
TIMEOUT = 60.0


def ruff_binary() -> str:
    """The ruff executable to run: ``$CANCELGEN_RUFF``, else the ``ruff`` package's."""
    chosen = os.environ.get(RUFF_ENV)
    if chosen:
        return chosen
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]
    except ImportError:
        raise CancelgenError(
            "cannot format with ruff: the ruff package is not installed "
            f"(reinstall cancelgen, or set {RUFF_ENV} to a ruff executable)"
        ) from None
    try:
        return str(find_ruff_bin())
    except FileNotFoundError as error:
        raise CancelgenError(
            f"cannot format with ruff: {error} (set {RUFF_ENV} to a ruff executable)"
        ) from None


def format_files(files: Mapping[str, str], root: Path) -> dict[str, str]:
    """``ruff format`` of every ``*.py`` file (paths relative to ``root``)."""
    return _run_all(["format"], files, root)


def fix_files(
    files: Mapping[str, str],
    root: Path,
    *,
    sort_imports: bool,
    first_party: Sequence[str] = (),
) -> dict[str, str]:
    """``ruff check --fix-only`` (safe fixes) of every ``*.py`` file of ``files``.

    ``sort_imports`` adds ruff's import-sorting rule (``I``) to the project's
    selection, with the project's ``[tool.ruff.lint.isort]`` settings.
    ``first_party`` names generated modules not written yet: ruff counts a
    module as the project's own only once its file exists, as it will when the
    project's check runs, so they are named ``known-first-party`` for this run.
    """
    args = ["check", "--fix-only", "--no-unsafe-fixes", "--quiet"]
    if sort_imports:
        args += ["--extend-select", "I"]
    if first_party:
        names = ", ".join(f'"{name}"' for name in first_party)
        args += ["--config", f"lint.isort.known-first-party = [{names}]"]
    return _run_all(args, files, root)


def _run_all(
    args: Sequence[str], files: Mapping[str, str], root: Path
) -> dict[str, str]:
    binary = ruff_binary()
    started: dict[str, subprocess.Popen[bytes]] = {}
    try:
        for path in files:
            if path.endswith(".py"):
                started[path] = _start(binary, args, root / path, root)
        result = dict(files)
        for path, process in started.items():
            result[path] = _finish(process, files[path], args[0], path)
        return result
    finally:
        for process in started.values():
            if process.poll() is None:
                process.kill()
                process.wait()


def _start(
    binary: str, args: Sequence[str], path: Path, root: Path
) -> subprocess.Popen[bytes]:
    command = [binary, *args, "--stdin-filename", str(path), "-"]
    try:
        return subprocess.Popen(
            command,
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except OSError as error:
        raise CancelgenError(
            f"cannot run ruff ({binary}): {error.strerror or error}; "
            f"install ruff or set {RUFF_ENV} to a ruff executable"
        ) from None


def _finish(process: subprocess.Popen[bytes], text: str, verb: str, path: str) -> str:
    try:
        out, err = process.communicate(text.encode("utf-8"), timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CancelgenError(
            f"ruff {verb} took over {TIMEOUT:.0f} s on {path}: stopped"
        ) from None
    if process.returncode != 0:
        lines = err.decode("utf-8", "replace").splitlines()
        detail = "; ".join(line.strip() for line in lines if line.strip())
        detail = detail or f"exit status {process.returncode}"
        raise CancelgenError(f"ruff {verb} failed on {path}: {detail}")
    return out.decode("utf-8")
