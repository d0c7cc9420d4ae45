"""Run ruff on generated sources as the project would: its configuration, its paths.

Every call is ``ruff ... --stdin-filename <the file's real path> -`` from the
project root, so ruff finds and applies the project's own configuration for
that path (``[tool.ruff]``, ``ruff.toml`` files along the way, ``extend``
chains, ``target-version`` or else ``requires-python``). cancelgen reads none
of it itself.

The binary is the ``ruff`` package's (a dependency of cancelgen), or the one
``CANCELGEN_RUFF`` names (a project's pinned ruff, say). Files run in
parallel, each through its commands piped one into the next; ``new`` starts
the pipes before it renders the files (:func:`started_early`), so ruff's
start-up, most of its few milliseconds, runs beside the rendering. ruff's
output is cached where cancelgen can name everything it depends on
(:mod:`cancelgen.core.cache.ruff_output`): a start-up costs 5 to 6 ms of CPU
per process, eight of them for a first worker, and the key a few stats and
reads.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import os
import subprocess
import sys
import tempfile
import threading
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NamedTuple

from cancelgen.errors import CancelgenError

RUFF_ENV = "CANCELGEN_RUFF"
TIMEOUT = 60.0


def ruff_binary() -> str:
    """The ruff executable to run: ``$CANCELGEN_RUFF``, else the ``ruff`` package's."""
    chosen = os.environ.get(RUFF_ENV)
    if chosen:
        return chosen
    beside = _in_virtual_environment()
    if beside is not None:
        return beside
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


def bundled_version() -> str | None:
    """The version of the ruff :func:`ruff_binary` runs, when it is the ruff
    package's (read from its installed metadata, starting no process); None
    with ``$CANCELGEN_RUFF`` or when it cannot tell."""
    if os.environ.get(RUFF_ENV):
        return None
    return _package_version()


@functools.cache
def _package_version() -> str | None:
    """The installed ruff package's version, from its metadata folder (its
    name: listing the folder is most of the cost, so it is listed once)."""
    spec = importlib.util.find_spec("ruff")
    if spec is None or not spec.submodule_search_locations:
        return None
    site = Path(next(iter(spec.submodule_search_locations))).parent
    versions = [
        info.name.removeprefix("ruff-").removesuffix(".dist-info")
        for info in site.glob("ruff-*.dist-info")
    ]
    return versions[0] if len(versions) == 1 else None


def _in_virtual_environment() -> str | None:
    """The ``ruff`` package's binary in the virtual environment cancelgen runs
    in, found without ``find_ruff_bin`` (whose ``sysconfig`` look-ups take
    about 5 ms); None elsewhere, where that asks ``sysconfig``.

    In a virtual environment on Linux or macOS, the first place
    ``find_ruff_bin`` looks, ``sysconfig.get_path("scripts")``, is the
    environment's ``bin`` folder (its ``venv`` scheme), and the name has no
    suffix; it returns the binary there if there is one, as here.
    """
    if sys.platform not in ("linux", "darwin") or sys.prefix == sys.base_prefix:
        return None
    return _beside(sys.prefix)


@functools.cache
def _beside(prefix: str) -> str | None:
    """The ``ruff`` package's binary in the ``bin`` folder of ``prefix``, if
    the package and the binary are there (looked up once per run)."""
    if importlib.util.find_spec("ruff") is None:
        return None  # no ruff package: ruff_binary says so
    path = os.path.join(os.path.normpath(prefix), "bin", "ruff")
    return path if os.path.isfile(path) else None


FORMAT = ("format",)


class _Stage(NamedTuple):
    """One ruff process of a file's pipe."""

    process: subprocess.Popen[bytes]
    errors: IO[bytes]
    """Its stderr (a file, so a chatty ruff never blocks on a full pipe)."""
    verb: str


def format_files(files: Mapping[str, str], root: Path) -> dict[str, str]:
    """``ruff format`` of every ``*.py`` file (paths relative to ``root``)."""
    return run_stages([FORMAT], files, root)


def fix_args(*, sort_imports: bool, first_party: Sequence[str] = ()) -> list[str]:
    """The arguments of ``ruff check --fix-only`` (safe fixes only).

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
    return args


def src_roots(root: Path, probe: Path) -> list[Path] | None:
    """The folders ruff resolves first-party modules in (its ``src``), as the
    project's configuration for ``probe`` (an existing folder or file under
    ``root``) sets them; None when ruff cannot say (no file it lints there).

    Asked of ruff (``ruff check --show-settings``), not read from the
    configuration: ``extend`` chains and relative paths resolve as ruff
    resolves them. Within :func:`src_roots_remembered`, asked once per folder.
    """
    return _remembered(("ruff", root, probe), _shown_src_roots)


_src_memo: dict[tuple[str, Path, Path], list[Path] | None] | None = None
"""What :func:`src_roots` and :func:`default_src_roots` answered, within
:func:`src_roots_remembered`."""


def _remembered(
    key: tuple[str, Path, Path],
    find: Callable[[Path, Path], list[Path] | None],
) -> list[Path] | None:
    """``find(root, probe)`` (``key`` is ``(how, root, probe)``), answered once
    within :func:`src_roots_remembered`."""
    if _src_memo is None:
        return find(key[1], key[2])
    if key not in _src_memo:
        _src_memo[key] = find(key[1], key[2])
    return _src_memo[key]


@contextmanager
def src_roots_remembered() -> Iterator[None]:
    """Within the block, :func:`src_roots` asks ruff once per folder (``new``
    asks for the pipes it starts early, then again as it fits), and
    :func:`default_src_roots` reads the configuration once per folder (for
    each file's pipe and cache key), as the cache's key does
    (:func:`cancelgen.core.cache.ruff_output.remembered`). Nothing may change
    the configuration within it."""
    from cancelgen.core.cache import ruff_output

    global _src_memo
    if _src_memo is not None:
        yield
        return
    _src_memo = {}
    try:
        with ruff_output.remembered():
            yield
    finally:
        _src_memo = None


def _shown_src_roots(root: Path, probe: Path) -> list[Path] | None:
    try:
        shown = subprocess.run(
            [ruff_binary(), "check", "--show-settings", str(probe)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = iter(shown.stdout.splitlines())
    for line in lines:
        if line.startswith("linter.src = ["):
            folders: list[Path] = []
            for entry in lines:
                if entry.startswith("]"):
                    return folders
                folders.append(Path(entry.strip().rstrip(",").strip('"')))
    return None


CONFIG_FILES = (".ruff.toml", "ruff.toml", "pyproject.toml")


def default_src_roots(root: Path, probe: Path) -> list[Path] | None:
    """What :func:`src_roots` answers for ``probe`` when the project visibly
    leaves ``src`` at ruff's default, read without starting ruff; None when
    that is not certain (then ask ruff).

    Certain only with the ruff package's binary (ruff 0.6 and later default
    ``src`` to ``[".", "src"]``, from the configuration's folder), a ruff
    configuration at ``root`` that sets neither ``src`` nor ``extend``, and
    no configuration file between ``root`` and ``probe``: ruff then takes
    the one at ``root`` for ``probe`` and for ``root``, and answers the root
    and its ``src`` folder, as :func:`src_roots`' callers assume when ruff
    cannot say.

    Within :func:`src_roots_remembered`, read once per folder.
    """
    return _remembered(("read", root, probe), _read_src_roots)


def _read_src_roots(root: Path, probe: Path) -> list[Path] | None:
    if os.environ.get(RUFF_ENV):
        return None  # another ruff, maybe older, with another default
    base = root.resolve()
    try:
        inner = probe.resolve().relative_to(base)
    except ValueError:
        return None
    if not _remembered(("root", base, base), _root_configured):
        return None
    folder = base
    for part in inner.parts:
        folder /= part
        if any((folder / name).exists() for name in CONFIG_FILES):
            return None
    return [base, base / "src"]


def _root_configured(base: Path, _: Path) -> list[Path] | None:
    """``[base]`` if ``base`` holds a ruff configuration that sets neither
    ``src`` nor ``extend``, else None (read once per root within
    :func:`src_roots_remembered`, for every folder asked about)."""
    configured = False
    for name in CONFIG_FILES:
        path = base / name
        if not path.is_file():
            continue
        try:
            table: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None  # ruff will say what is wrong
        if name == "pyproject.toml":
            table = table.get("tool", {})
            if not isinstance(table, dict) or "ruff" not in table:
                continue  # not a ruff configuration: ruff skips it
            table = table["ruff"]
        if not isinstance(table, dict) or "src" in table or "extend" in table:
            return None
        configured = True
    return [base] if configured else None


def run_stages(
    stages: Sequence[Sequence[str]], files: Mapping[str, str], root: Path
) -> dict[str, str]:
    """Every ``*.py`` file of ``files`` through the ruff commands ``stages``.

    Each file's commands are piped one into the next (``ruff check
    --fix-only ... | ruff format ...``) and all files run at once, so a
    stage costs no start-up of its own on the way.
    """
    pipes = {path: stages for path in files if path.endswith(".py")}
    return run_pipes(pipes, files, root)


def run_pipes(
    pipes: Mapping[str, Sequence[Sequence[str]]],
    files: Mapping[str, str],
    root: Path,
    elsewhere: Callable[[list[str]], Mapping[str, str]] | None = None,
) -> dict[str, str]:
    """Like :func:`run_stages`, each file of ``pipes`` through its own
    commands (the rest of ``files`` unchanged), all at once; a failure is
    reported for the first failing file in the order of ``pipes``.

    ruff's cache answers first; then ``elsewhere(paths)``, if given, for the
    files it misses (the shipped table: what it answers is cached as ruff's
    own output is); ruff runs for the rest.
    """
    from cancelgen.core.cache import ruff_output
    from cancelgen.core.cache.folder import read_text, store_text

    binary = ruff_binary()
    started: dict[str, _Pipe] = {}
    result = dict(files)
    src = {path: _cache_src(root, path) for path in pipes}
    entries = {
        path: ruff_output.entry(binary, root, path, stages, files[path], src[path])
        for path, stages in pipes.items()
    }

    def keep(path: str, text: str) -> None:
        result[path] = text
        location = entries[path]
        if location is not None:
            store_text(location, text)
            ruff_output.remember(binary, root, path, pipes[path], src[path])

    answered: dict[str, str] = {}
    for path, location in entries.items():
        cached = read_text(location) if location is not None else None
        if cached is not None:
            answered[path] = result[path] = cached
    missed = [path for path in pipes if path not in answered]
    if elsewhere is not None and missed:
        for path, text in elsewhere(missed).items():
            keep(path, text)
            answered[path] = text
    # A ruff that never ends is stopped after TIMEOUT: _finish then says so.
    timer = threading.Timer(
        TIMEOUT, lambda: _kill({path: pipe.chain for path, pipe in started.items()})
    )
    try:
        for path, stages in pipes.items():
            early = _early.pop(_early_key(binary, root, path, stages), None)
            if path in answered:
                if early is not None:
                    early.stop()
                continue
            if early is not None and early.text not in (None, files[path]):
                early.stop()  # given another text: not this one's output
                early = None
            if early is None:
                early = _Pipe(binary, stages, root / path, root, files[path])
            elif early.text is None:
                early.give(files[path])
            started[path] = early
        if started:  # all answered without ruff: nothing to guard
            timer.start()
        for path, pipe in started.items():
            keep(path, _finish(pipe.ready(), path))
        return result
    finally:
        timer.cancel()
        for pipe in started.values():
            pipe.stop()  # a failing file's others too, and what each holds


class _Pipe:
    """A file's ruff commands, piped one into the next, started by a thread
    of their own, which then gives the first one the file's text.

    Starting a ruff process (a fork and exec) takes about 3 ms, most of it
    waiting for the exec with the interpreter's lock released, and a first
    worker needs eight: from threads, cancelgen goes on rendering meanwhile,
    and the pipes start side by side. :meth:`give` hands the text over
    without waiting; :meth:`ready` waits for both.
    """

    def __init__(
        self,
        binary: str,
        stages: Sequence[Sequence[str]],
        path: Path,
        root: Path,
        text: str | None = None,
    ) -> None:
        self.chain: list[_Stage] = []
        """The processes, filled as they start (:func:`_kill` may stop them)."""
        self.text = text
        """The text given, None until it is."""
        self._error: Exception | None = None
        self._stopped = False
        self._given = threading.Event()
        if text is not None:
            self._given.set()
        self._thread = threading.Thread(
            target=self._run, args=(binary, stages, path, root), daemon=True
        )
        self._thread.start()

    def _run(
        self, binary: str, stages: Sequence[Sequence[str]], path: Path, root: Path
    ) -> None:
        try:
            _start(binary, stages, path, root, self.chain)
            self._given.wait()
            if not self._stopped and self.text is not None:
                _feed(self.chain, self.text)
        except Exception as error:  # noqa: BLE001 -- raised again by ready()
            self._error = error

    def give(self, text: str) -> None:
        """Give the first command ``text`` (as soon as it has started)."""
        self.text = text
        self._given.set()

    def ready(self) -> list[_Stage]:
        """The processes, started and given the text (raises what starting
        them or writing the text raised: never a part of a text)."""
        assert self._given.is_set(), "a pipe's text is given before it is read"
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self.chain

    def stop(self) -> None:
        """Stop the processes (whether or not they were used), and close what
        they hold."""
        self._stopped = True
        self._given.set()
        _kill({"": self.chain})  # a ruff that never reads: the feed returns
        self._thread.join()
        _stop(self.chain)


_EarlyKey = tuple[str, Path, str, tuple[tuple[str, ...], ...]]


_early: dict[_EarlyKey, _Pipe] = {}
"""The pipes :func:`started_early` started, for :func:`run_pipes` to take."""


def _early_key(
    binary: str, root: Path, path: str, stages: Sequence[Sequence[str]]
) -> _EarlyKey:
    return binary, root, path, tuple(tuple(args) for args in stages)


@contextmanager
def started_early(
    pipes: Mapping[str, Sequence[Sequence[str]]],
    root: Path,
    answered: Callable[[str], bool] = lambda path: False,
) -> Iterator[None]:
    """Start the ruff commands ``pipes`` names for each file now, before its
    text is known; within the block, :func:`run_pipes` with the same file,
    commands and ``root`` takes them instead of starting its own.

    ruff starts up (loads, reads the configuration) and then waits for its
    standard input, so its start-up runs beside what cancelgen does until
    the text is ready (rendering it); :func:`feed_early` hands a file's text
    over as soon as it is known. Exactly the same commands run on exactly
    the same text (a pipe given another text than :func:`run_pipes` gets is
    stopped and started again): only when they run changes. What is not
    used by the end of the block is stopped.

    Nothing is started for a file whose output through the same commands
    was cached before, with this configuration
    (:func:`cancelgen.core.cache.ruff_output.seen`): the same file rendered
    again (the shared engine, a worker written again) is likely cached, and
    :func:`run_pipes` starts its pipe if it is not, once its text is known.
    Nor for one that ``answered(path)`` says is likely answered elsewhere
    (the shipped table; asked only where the cache is not).
    """
    from cancelgen.core.cache import ruff_output

    binary = ruff_binary()
    keys: list[_EarlyKey] = []
    # No timer here: nothing in the block waits for these processes (each
    # pipe's own thread writes its text, and stop() kills before it joins);
    # run_pipes, which waits for their output, guards those it takes.
    try:
        for path, stages in pipes.items():
            key = _early_key(binary, root, path, stages)
            if (
                key not in _early
                and not ruff_output.seen(
                    binary, root, path, stages, _cache_src(root, path)
                )
                and not answered(path)
            ):
                _early[key] = _Pipe(binary, stages, root / path, root)
                keys.append(key)
        yield
    finally:
        for key in keys:
            early = _early.pop(key, None)
            if early is not None:
                early.stop()


def _cache_src(root: Path, path: str) -> list[Path] | None:
    """ruff's ``src`` folders for ``path`` where its output may be cached
    (:mod:`cancelgen.core.cache.ruff_output`), else None."""
    return default_src_roots(root, (root / path).parent)


def feed_early(files: Mapping[str, str], root: Path) -> None:
    """Give each pipe :func:`started_early` started for a file of ``files``
    (paths relative to ``root``) that file's text now (its thread writes it:
    this does not wait)."""
    for (_, base, path, _), early in _early.items():
        if base == root and path in files and early.text is None:
            early.give(files[path])


def _stop(chain: list[_Stage]) -> None:
    """Stop a pipe whose output is not wanted, and close what it holds."""
    _kill({"": chain})
    for stage in chain:
        stage.errors.close()
        for stream in (stage.process.stdin, stage.process.stdout):
            if stream is not None:
                stream.close()


def _start(
    binary: str,
    stages: Sequence[Sequence[str]],
    path: Path,
    root: Path,
    chain: list[_Stage],
) -> None:
    """Start ``stages`` for ``path``, each process appended to ``chain`` as
    it starts (empty again if one cannot start)."""
    source: Any = subprocess.PIPE
    for args in stages:
        command = [binary, *args, "--stdin-filename", str(path), "-"]
        errors = tempfile.TemporaryFile()  # noqa: SIM115  # closed by run_stages
        try:
            process = subprocess.Popen(
                command, cwd=root, stdin=source, stdout=subprocess.PIPE, stderr=errors
            )
        except OSError as error:
            errors.close()
            _kill({"": chain})
            for stage in chain:
                stage.errors.close()
            chain.clear()
            raise CancelgenError(
                f"cannot run ruff ({binary}): {error.strerror or error}; "
                f"install ruff or set {RUFF_ENV} to a ruff executable"
            ) from None
        if chain:
            chain[-1].process.stdout.close()  # type: ignore[union-attr]  # the next stage's now
        chain.append(_Stage(process, errors, args[0]))
        source = process.stdout


def _feed(chain: list[_Stage], text: str) -> None:
    first = chain[0].process
    assert first.stdin is not None
    try:
        first.stdin.write(text.encode("utf-8"))
    except BrokenPipeError:
        pass  # ruff stopped early: its exit status and message say why
    finally:
        with contextlib.suppress(BrokenPipeError):
            first.stdin.close()


def _finish(chain: list[_Stage], path: str) -> str:
    last = chain[-1].process
    assert last.stdout is not None
    out = last.stdout.read()
    last.stdout.close()
    for stage in chain:
        status = stage.process.wait()
        if status < 0:
            raise CancelgenError(f"ruff took over {TIMEOUT:.0f} s on {path}: stopped")
        if status != 0:
            stage.errors.seek(0)
            lines = stage.errors.read().decode("utf-8", "replace").splitlines()
            detail = "; ".join(line.strip() for line in lines if line.strip())
            raise CancelgenError(
                f"ruff {stage.verb} failed on {path}: "
                f"{detail or f'exit status {status}'}"
            )
    return out.decode("utf-8")


def _kill(
    chains: Mapping[str, list[_Stage]],
) -> None:
    for chain in list(chains.values()):
        for stage in chain:
            if stage.process.poll() is None:
                stage.process.kill()
                stage.process.wait()
