"""``WorkerSpec``: the validated, immutable description of one worker.

It is the only input of rendering. Every front end (flags, prompts, an answers
file, copier answers, a docs directive) builds one through ``WorkerSpec.create``
or ``WorkerSpec.from_mapping``, so validation and its messages live here once.
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from pathlib import PurePosixPath
from typing import Any

from cancelgen.core.catalog import (
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    TEST_STYLES,
    TIMEOUT_STYLES,
)
from cancelgen.errors import CancelgenError, UsageError, did_you_mean

_SNAKE_CASE = re.compile(r"[a-z_][a-z0-9_]*\Z")

SUPPORT_MODULE_PREFIX = "_cancellation_"
"""The shared support module of a package's workers of one backend is
``<package>/_cancellation_<backend>.py``: one per backend, so workers of
several backends in one package each import their own library's helpers."""
TEST_SUPPORT_PREFIX = "_cancelgen_"
"""The test support module of a tests folder's workers of one backend (their
harness and the sweep's engine) is ``<tests>/_cancelgen_<backend>.py``."""

# Names the generated module defines or imports at module level: a worker with
# one of these names would shadow it.
_GENERATED_NAMES = frozenset(
    {"asyncio", "contextlib", "logging", "logger", "sys", "threading", "dataclass"}
    | {"field", "AsyncIterator", "Callable", "Connection", "pytest", "main"}
    | {"anyio", "trio", "no_jobs", "job_from"}
    | {f"{SUPPORT_MODULE_PREFIX}{backend}" for backend in BACKENDS}
)


# A word list: as a literal, black would give it a line a name.
_TEMPLATE_NAMES = frozenset("""
    _commit_within_bound _kill _reap _to_its_end _wait_closed _within acquired
    all_blocked annotations anyio_backend anyio_test background bounded
    cancel_and_wait cancel_checked cancel_paused cancelled carries cast
    checkpoint_problems child cleanup_problems commit_shielded delivered done
    elapsed ended environment errors errors_of fail_on failure failures finishes
    first_of found_among free_frames frozen_gc group guarded killed leaves living
    local_server logged loop loop_reports lost members never_had nursery
    only_cancels open_connection outcome paused paused_worker probe probing problems
    pytest_asyncio_test pytest_trio_test pytestmark queue_job raised recorded_as
    records released released_last_first reported run_in_asyncio run_in_trio running
    running_process shield_problems spread started stop stopped strays stream sweep
    task task_running this_task thread_problems thread_running unended unraisable
    watched_as watching writer
    """.split())  # noqa: SIM905
"""Names the generated modules bind at their top level or in a function that
calls the worker: a worker so named would shadow them, or they it
(``tests/core/test_name_clashes.py`` finds them in what the templates render)."""


MAX_NAME_LENGTH = 100
"""Longest worker name: it names two files, a function and a class."""

# Names that are valid identifiers but would confuse the tools around the code.
_RESERVED_NAMES = {
    "conftest": "pytest loads every conftest.py as a plugin",
    "setup": "a setup.py is taken for a setuptools script",
}


def validate_name(name: object) -> str:
    """Return ``name`` if it can name a worker function and its module, else raise.

    The name becomes ``async def <name>``, ``<name>.py`` and ``test_<name>.py``,
    so it must be a snake_case ASCII identifier that is not a keyword, does not
    shadow a builtin or a standard-library module, is not a test module itself,
    and is short enough to name files.
    """
    if not isinstance(name, str):
        raise UsageError(f"worker name must be a string, got {name!r}")
    shown = repr(name)
    if not name:
        raise UsageError("worker name is empty: give a snake_case name like 'worker'")
    if "/" in name or "\\" in name or name.startswith("."):
        raise UsageError(
            f"worker name {shown} looks like a path: give a bare name; "
            "choose the folder with --package-dir"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise UsageError(
            f"worker name is {len(name)} characters long: keep it to "
            f"{MAX_NAME_LENGTH} (it names two files, a function and a class)"
        )
    if not name.isidentifier():
        raise UsageError(
            f"worker name {shown} is not a valid Python identifier{_suggest(name)}"
        )
    alternative = f"{_snake_case(name) or 'my'}_worker"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise UsageError(
            f"worker name {shown} is a Python keyword (try '{alternative}')"
        )
    if not _SNAKE_CASE.match(name):
        hint = _suggest(name) or " (lower-case ASCII letters, digits and underscores)"
        raise UsageError(f"worker name {shown} must be snake_case{hint}")
    if name.lstrip("_")[:1].isdigit():
        class_name = "".join(part.capitalize() for part in name.split("_")) + "Steps"
        raise UsageError(
            f"worker name {shown} would name its class '{class_name}', which is "
            f"not an identifier: start it with a letter (try 'worker_{name.lstrip('_')}')"
        )
    if name.startswith("__") and name.endswith("__"):
        raise UsageError(
            f"worker name {shown} is a dunder name, which Python reserves "
            f"(try '{alternative}')"
        )
    if name in _RESERVED_NAMES:
        raise UsageError(
            f"worker name {shown} is reserved: {_RESERVED_NAMES[name]} "
            f"(try '{alternative}')"
        )
    if hasattr(builtins, name):
        raise UsageError(
            f"worker name {shown} would shadow the builtin '{name}' (try '{alternative}')"
        )
    if name in sys.stdlib_module_names or name in _GENERATED_NAMES | _TEMPLATE_NAMES:
        raise UsageError(
            f"worker name {shown} would shadow the module or name '{name}' the "
            f"generated code uses (try '{alternative}')"
        )
    if name.startswith("test"):
        raise UsageError(
            f"worker name {shown} starts with 'test', so pytest would collect the "
            "worker module as a test module"
        )
    return name


def validate_package_name(name: object) -> str:
    """Return ``name`` if it can name the package of a new project, else raise.

    It becomes ``src/<name>/`` and an import name, so it must be a lowercase
    identifier that is not a keyword and does not shadow a standard-library
    module.
    """
    if not isinstance(name, str) or not name:
        raise UsageError(f"package name {name!r} must be a lowercase Python identifier")
    if not name.isidentifier() or name != name.lower() or not name.isascii():
        hint = _suggest(name)
        raise UsageError(
            f"package name {name!r} must be a lowercase Python identifier{hint}"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise UsageError(f"package name {name!r} is a Python keyword")
    if name in sys.stdlib_module_names:
        raise UsageError(
            f"package name {name!r} would shadow the standard-library module '{name}'"
        )
    return name


def _snake_case(name: str) -> str:
    """A snake_case ASCII spelling of ``name`` ("" if nothing is left of it)."""
    ascii_name = (
        unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", ascii_name)
    return re.sub(r"[^0-9a-zA-Z_]+", "_", spaced).strip("_").lower()


def _suggest(name: str) -> str:
    """`` (did you mean 'x'?)`` with a valid snake_case spelling, or ``""``."""
    hint = _snake_case(name)
    if (
        hint
        and hint != name
        and _SNAKE_CASE.match(hint)
        and not keyword.iskeyword(hint)
    ):
        return f" (did you mean '{hint}'?)"
    return ""


def _choose(
    kind: str, chosen: Iterable[str], catalog: Mapping[str, object]
) -> tuple[str, ...]:
    """Validate names against ``catalog`` and return them deduplicated, in catalog order."""
    picked = set()
    for raw in chosen:
        name = raw.strip().lower().replace("_", "-")
        if name not in catalog:
            raise UsageError(
                f"unknown {kind} {raw!r}{did_you_mean(name, catalog)}; "
                f"choose from: {', '.join(catalog)}"
            )
        picked.add(name)
    return tuple(name for name in catalog if name in picked)


class SettingError(UsageError):
    """A bad value of one setting, worded as its flag (``--timeout must be...``).

    ``setting`` is the dashed name shared by the flag, ``[tool.cancelgen]`` and
    answers files, so :func:`check_settings` can word it for a file instead.
    """

    def __init__(self, setting: str, problem: str) -> None:
        super().__init__(f"--{setting} {problem}")
        self.setting = setting
        self.problem = problem


def _relative_dir(setting: str, value: object) -> str:
    if not isinstance(value, str):
        raise SettingError(setting, f"must be a folder name, got {value!r}")
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise SettingError(
            setting,
            f"{value!r} must be a folder inside the project (relative, without '..')",
        )
    text = path.as_posix()
    return "" if text == "." else text


def _positive(setting: str, value: object, *, allow_none: bool = False) -> None:
    """Refuse anything but a finite number of seconds > 0 (or None if allowed);
    values come from answers files and copier too, so the type is not trusted."""
    if value is None and allow_none:
        return
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise SettingError(setting, f"must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise SettingError(
            setting, f"must be a positive number of seconds, got {value!r}"
        )


def _names(setting: str, value: object) -> list[str]:
    """A list of catalog names from a loosely typed value."""
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    raise SettingError(setting, f"must be a list of names, got {value!r}")


def _choice(setting: str, kind: str, value: object, choices: Iterable[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        hint = did_you_mean(value, choices) if isinstance(value, str) else ""
        raise UsageError(
            f"unknown {kind} {value!r}{hint}; choose from: {', '.join(choices)}"
        )
    return value


def _fits(backend: str, kind: str, value: str, offered: tuple[str, ...]) -> None:
    """Refuse a known ``kind`` the backend does not offer, in one line."""
    if value not in offered:
        raise UsageError(
            f"{kind} {value!r} does not fit the {backend} backend; "
            f"choose from: {', '.join(offered)}"
        )


def check_settings(values: Mapping[str, Any], source: str) -> None:
    """Validate settings read from a file on their own, so an error names the file.

    ``values`` are ``WorkerSpec`` fields (as :meth:`WorkerSpec.from_mapping`
    takes them); the error is one line, ``SOURCE: SETTING must be ...``.
    """
    try:
        WorkerSpec.from_mapping(values)
    except SettingError as error:
        raise CancelgenError(f"{source}: {error.setting} {error.problem}") from None
    except UsageError as error:
        raise CancelgenError(f"{source}: {error.message}") from None


@dataclass(frozen=True)
class WorkerSpec:
    """Everything rendering needs to produce a worker module and its tests.

    Build it with :meth:`create` or :meth:`from_mapping`; both validate.
    """

    name: str = "worker"
    patterns: tuple[str, ...] = DEFAULT_PATTERNS
    resources: tuple[str, ...] = ()
    timeout: float | None = 10.0
    """Seconds the timeout pattern allows for the bounded wait; None disables it."""
    timeout_style: str = "timeout"
    cleanup_timeout: float = 5.0
    commit_timeout: float = 5.0
    checkpoint_every: int = 1000
    children: int = 3
    test_style: str = ""
    """How the generated tests run (a ``TEST_STYLES`` name the backend offers);
    "" picks the backend's default."""
    package_dir: str = ""
    """Folder of the worker module, relative to the project root ("" = root)."""
    package_import: str = ""
    """Dotted import path of that folder ("" = importable from the root)."""
    tests_dir: str = "tests"
    backend: str = DEFAULT_BACKEND
    """The concurrency library the code is written for (a ``BACKENDS`` name)."""
    support_module: bool = False
    """Whether the worker imports its cancellation helpers from the package's
    shared support module (:attr:`support_path`) instead of carrying them."""
    shared_tests: bool = True
    """Whether the test module imports its harness and the sweep's engine from
    the tests folder's shared test support module (:attr:`test_support_path`)
    instead of carrying them."""
    tests_package: bool = False
    """Whether the tests folder is a package (has an ``__init__.py``): its test
    modules then import the test support module relatively."""
    engine_noqa: bool = False
    """Whether the test module's absolute import of the test support module
    carries ``# noqa: I900``: the project runs flake8-requirements, which
    reports it as neither a requirement nor the project's own module. Set by
    the project (``Project.placed``) whenever the spec renders, not recorded
    (:meth:`answers`)."""

    @classmethod
    def create(cls, **values: Any) -> WorkerSpec:
        """Validate ``values`` (``WorkerSpec`` field names) and build a spec."""
        known = {f.name for f in fields(cls)}
        for key in values:
            if key not in known:
                raise UsageError(f"unknown setting {key!r}{did_you_mean(key, known)}")
        spec = replace(cls(), **values)
        return spec._validated()

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> WorkerSpec:
        """Build a spec from loosely typed answers (YAML, TOML, copier).

        Keys may use dashes; a single pattern or resource may be a string.
        """
        values: dict[str, Any] = {}
        for key, value in data.items():
            field_name = str(key).replace("-", "_")
            if field_name in ("patterns", "resources") and isinstance(value, str):
                value = [part for part in re.split(r"[,\s]+", value) if part]
            values[field_name] = value
        return cls.create(**values)

    def _validated(self) -> WorkerSpec:
        validate_name(self.name)
        patterns = _choose("pattern", _names("patterns", self.patterns), PATTERNS)
        if not patterns:
            raise UsageError("choose at least one pattern: " + ", ".join(PATTERNS))
        resources = _choose("resource", _names("resources", self.resources), RESOURCES)
        if "exit-stack" in patterns and not resources:
            # The stack needs something to manage; `custom` is the user's own.
            resources = ("custom",)
        _positive("timeout", self.timeout, allow_none=True)
        _positive("cleanup-timeout", self.cleanup_timeout)
        _positive("commit-timeout", self.commit_timeout)
        for setting, value, minimum in (
            ("checkpoint-every", self.checkpoint_every, 1),
            ("children", self.children, 2),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise SettingError(
                    setting, f"must be a whole number >= {minimum}, got {value!r}"
                )
        backend = BACKENDS[_choice("backend", "backend", self.backend, BACKENDS)]
        _choice("timeout-style", "timeout style", self.timeout_style, TIMEOUT_STYLES)
        _fits(backend.name, "timeout style", self.timeout_style, backend.timeout_styles)
        test_style = self.test_style or backend.test_styles[0]
        _choice("test-style", "test style", test_style, TEST_STYLES)
        _fits(backend.name, "test style", test_style, backend.test_styles)
        for setting, flag in (
            ("support-module", self.support_module),
            ("shared-tests", self.shared_tests),
            ("tests-package", self.tests_package),
            ("engine-noqa", self.engine_noqa),
        ):
            if not isinstance(flag, bool):
                raise SettingError(setting, f"must be true or false, got {flag!r}")
        package_import = self.package_import
        if not isinstance(package_import, str) or (
            package_import
            and not all(
                part.isidentifier() and not keyword.iskeyword(part)
                for part in package_import.split(".")
            )
        ):
            raise UsageError(f"package {package_import!r} is not an importable name")
        return replace(
            self,
            patterns=patterns,
            resources=resources,
            test_style=test_style,
            timeout=None if self.timeout is None else float(self.timeout),
            cleanup_timeout=float(self.cleanup_timeout),
            commit_timeout=float(self.commit_timeout),
            package_dir=_relative_dir("package-dir", self.package_dir),
            tests_dir=_relative_dir("tests-dir", self.tests_dir),
        )

    def answers(self) -> dict[str, Any]:
        """What a worker's record keeps: every field but :attr:`engine_noqa`.

        The project sets that one each time the spec renders, so a record has
        no use for it; left out, records stay as cancelgen 0.2.0 wrote and
        reads them.
        """
        answers = asdict(self)
        del answers["engine_noqa"]
        return answers

    # Derived names, so templates and writers never rebuild them.

    @property
    def class_name(self) -> str:
        """``sync_orders`` -> ``SyncOrdersSteps``: the class holding the user's logic."""
        return "".join(part.capitalize() for part in self.name.split("_")) + "Steps"

    @property
    def module_import(self) -> str:
        """Dotted import path of the worker module."""
        return (
            f"{self.package_import}.{self.name}" if self.package_import else self.name
        )

    @property
    def module_path(self) -> str:
        """Path of the worker module, relative to the project root."""
        return str(PurePosixPath(self.package_dir or ".", f"{self.name}.py"))

    @property
    def test_path(self) -> str:
        """Path of the test module, relative to the project root."""
        return str(PurePosixPath(self.tests_dir or ".", f"test_{self.name}.py"))

    @property
    def support_import(self) -> str:
        """Dotted import path of the package's support module for this backend."""
        name = f"{SUPPORT_MODULE_PREFIX}{self.backend}"
        return f"{self.package_import}.{name}" if self.package_import else name

    @property
    def support_path(self) -> str:
        """Path of that support module, relative to the project root."""
        name = f"{SUPPORT_MODULE_PREFIX}{self.backend}.py"
        return str(PurePosixPath(self.package_dir or ".", name))

    @property
    def test_support_import(self) -> str:
        """How a test module imports the tests folder's test support module."""
        name = f"{TEST_SUPPORT_PREFIX}{self.backend}"
        return f".{name}" if self.tests_package else name

    @property
    def test_support_noqa(self) -> str:
        """The comment on the first line of that import: ``  # noqa: I900``
        where flake8-requirements would report it (:attr:`engine_noqa`: an
        absolute import), else ""."""
        return "  # noqa: I900" if self.engine_noqa and not self.tests_package else ""

    @property
    def test_support_path(self) -> str:
        """Path of that test support module, relative to the project root."""
        name = f"{TEST_SUPPORT_PREFIX}{self.backend}.py"
        return str(PurePosixPath(self.tests_dir or ".", name))

    def uses(self, pattern: str) -> bool:
        """Whether ``pattern`` is chosen."""
        return pattern in self.patterns

    def holds(self, resource: str) -> bool:
        """Whether ``resource`` is chosen."""
        return resource in self.resources
