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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import PurePosixPath
from typing import Any

from cancelgen.catalog import (
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    TEST_STYLES,
    TIMEOUT_STYLES,
)
from cancelgen.errors import UsageError, did_you_mean

_SNAKE_CASE = re.compile(r"[a-z_][a-z0-9_]*\Z")

# Names the generated module defines or imports at module level: a worker with
# one of these names would shadow it.
_GENERATED_NAMES = frozenset(
    {"asyncio", "contextlib", "logging", "logger", "sys", "threading", "dataclass"}
    | {"field", "AsyncIterator", "Callable", "Connection", "pytest", "main"}
)


def validate_name(name: str) -> str:
    """Return ``name`` if it can name a worker function and its module, else raise.

    The name becomes ``async def <name>``, ``<name>.py`` and ``test_<name>.py``,
    so it must be a snake_case identifier that is not a keyword, does not shadow
    a builtin or a standard-library module, and is not a test module itself.
    """
    shown = repr(name)
    if not name:
        raise UsageError("worker name is empty: give a snake_case name like 'worker'")
    if "/" in name or "\\" in name or name.startswith("."):
        raise UsageError(
            f"worker name {shown} looks like a path: give a bare name; "
            "choose the folder with --package-dir"
        )
    if not name.isidentifier():
        hint = _snake_case(name)
        suggestion = f" (did you mean '{hint}'?)" if hint.isidentifier() else ""
        raise UsageError(
            f"worker name {shown} is not a valid Python identifier{suggestion}"
        )
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise UsageError(
            f"worker name {shown} is a Python keyword (try '{name}_worker')"
        )
    if not _SNAKE_CASE.match(name):
        raise UsageError(
            f"worker name {shown} must be snake_case (did you mean '{_snake_case(name)}'?)"
        )
    if hasattr(builtins, name):
        raise UsageError(
            f"worker name {shown} would shadow the builtin '{name}' (try '{name}_worker')"
        )
    if name in sys.stdlib_module_names or name in _GENERATED_NAMES:
        raise UsageError(
            f"worker name {shown} would shadow the module or name '{name}' the "
            f"generated code uses (try '{name}_worker')"
        )
    if name.startswith("test"):
        raise UsageError(
            f"worker name {shown} starts with 'test', so pytest would collect the "
            "worker module as a test module"
        )
    return name


def _snake_case(name: str) -> str:
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^0-9a-zA-Z_]+", "_", spaced).strip("_").lower()


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


def _relative_dir(option: str, value: str) -> str:
    path = PurePosixPath(value.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts:
        raise UsageError(
            f"{option} {value!r} must be a folder inside the project "
            "(relative, without '..')"
        )
    text = path.as_posix()
    return "" if text == "." else text


def _positive(option: str, value: object, *, allow_none: bool = False) -> None:
    """Refuse anything but a finite number of seconds > 0 (or None if allowed);
    values come from answers files and copier too, so the type is not trusted."""
    if value is None and allow_none:
        return
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise UsageError(f"{option} must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise UsageError(
            f"{option} must be a positive number of seconds, got {value!r}"
        )


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
    test_style: str = "asyncio-run"
    package_dir: str = ""
    """Folder of the worker module, relative to the project root ("" = root)."""
    package_import: str = ""
    """Dotted import path of that folder ("" = importable from the root)."""
    tests_dir: str = "tests"

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
        if isinstance(self.patterns, str) or isinstance(self.resources, str):
            raise UsageError("patterns and resources must be lists of names")
        patterns = _choose("pattern", self.patterns, PATTERNS)
        if not patterns:
            raise UsageError("choose at least one pattern: " + ", ".join(PATTERNS))
        resources = _choose("resource", self.resources, RESOURCES)
        if "exit-stack" in patterns and not resources:
            # The stack needs something to manage; `custom` is the user's own.
            resources = ("custom",)
        _positive("--timeout", self.timeout, allow_none=True)
        _positive("--cleanup-timeout", self.cleanup_timeout)
        _positive("--commit-timeout", self.commit_timeout)
        for option, value, minimum in (
            ("--checkpoint-every", self.checkpoint_every, 1),
            ("--children", self.children, 2),
        ):
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise UsageError(
                    f"{option} must be a whole number >= {minimum}, got {value!r}"
                )
        if self.timeout_style not in TIMEOUT_STYLES:
            raise UsageError(
                f"unknown timeout style {self.timeout_style!r}"
                f"{did_you_mean(self.timeout_style, TIMEOUT_STYLES)}; "
                f"choose from: {', '.join(TIMEOUT_STYLES)}"
            )
        if self.test_style not in TEST_STYLES:
            raise UsageError(
                f"unknown test style {self.test_style!r}"
                f"{did_you_mean(self.test_style, TEST_STYLES)}; "
                f"choose from: {', '.join(TEST_STYLES)}"
            )
        package_import = self.package_import
        if package_import and not all(
            part.isidentifier() and not keyword.iskeyword(part)
            for part in package_import.split(".")
        ):
            raise UsageError(f"package {package_import!r} is not an importable name")
        return replace(
            self,
            patterns=patterns,
            resources=resources,
            timeout=None if self.timeout is None else float(self.timeout),
            cleanup_timeout=float(self.cleanup_timeout),
            commit_timeout=float(self.commit_timeout),
            package_dir=_relative_dir("--package-dir", self.package_dir),
            tests_dir=_relative_dir("--tests-dir", self.tests_dir),
        )

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

    def uses(self, pattern: str) -> bool:
        """Whether ``pattern`` is chosen."""
        return pattern in self.patterns

    def holds(self, resource: str) -> bool:
        """Whether ``resource`` is chosen."""
        return resource in self.resources
