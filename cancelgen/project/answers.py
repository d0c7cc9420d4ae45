"""Answers files: read them (YAML or TOML), record each run's, replay them.

An answers file holds the same keys as ``[tool.cancelgen]`` (``patterns``,
``resources``, ``timeout``, ``package-dir``...; dashes or underscores), plus
optionally ``name``. Every successful ``cancelgen new`` records what it used in
``.cancelgen/answers.toml`` at the project root; ``--replay`` reads it back.
"""

from __future__ import annotations

import importlib
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cancelgen.core.spec import check_settings
from cancelgen.errors import CancelgenError, UsageError, did_you_mean
from cancelgen.project.detect import CONFIG_KEYS
from cancelgen.project.inside import check_inside

RECORD_PATH = Path(".cancelgen") / "answers.toml"
"""Where a run records its answers, relative to the project root."""

ANSWER_KEYS: dict[str, str] = {"name": "name", **CONFIG_KEYS}
RECORDED_FIELDS: tuple[str, ...] = tuple(CONFIG_KEYS.values())


def load_answers(path: Path) -> dict[str, Any]:
    """Read an answers file (``.toml``, ``.yaml``/``.yml``; else TOML then YAML).

    Returns ``WorkerSpec`` field names; a missing, unreadable or malformed
    file, or an unknown key, raises a one-line ``CancelgenError``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CancelgenError(f"cannot read answers file {path}: {reason}") from error
    suffix = path.suffix.lower()
    if suffix == ".toml":
        data = _parse_toml(text, path)
    elif suffix in (".yaml", ".yml"):
        data = _parse_yaml(text, path)
    else:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            data = _parse_yaml(text, path)
    source = f"answers file {path}"
    values = normalise(data, source)
    check_settings(values, source)
    return values


def normalise(data: object, source: str) -> dict[str, Any]:
    """Check the keys of an answers mapping and map them to ``WorkerSpec`` fields."""
    if not isinstance(data, Mapping):
        raise CancelgenError(f"{source} must hold a table of answers (key = value)")
    values: dict[str, Any] = {}
    for key, value in data.items():
        dashed = str(key).replace("_", "-")
        if dashed not in ANSWER_KEYS:
            raise CancelgenError(
                f"unknown key {key!r} in {source}{did_you_mean(dashed, ANSWER_KEYS)}"
            )
        values[ANSWER_KEYS[dashed]] = value
    return values


def _parse_toml(text: str, path: Path) -> Any:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CancelgenError(
            f"answers file {path} is not valid TOML: {error}"
        ) from error


def _parse_yaml(text: str, path: Path) -> Any:
    # Only YAML answers files need it; imported by name (PyYAML ships no types).
    yaml: Any = importlib.import_module("yaml")

    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        first = str(error).splitlines()[0] if str(error) else "parse error"
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise CancelgenError(
            f"answers file {path} is not valid YAML: {first}{where}"
        ) from error


def record_path(root: Path) -> Path:
    """The recorded answers of the project at ``root``."""
    return root / RECORD_PATH


def load_recorded(root: Path) -> dict[str, Any]:
    """The answers the last run recorded, for ``--replay``."""
    check_inside(root, RECORD_PATH.as_posix(), verb="read", last=True)
    path = record_path(root)
    if not path.is_file():
        raise UsageError(
            f"nothing to replay: {path} does not exist yet; "
            "run 'cancelgen new' once without --replay"
        )
    values = load_answers(path)
    values.pop("name", None)  # the name comes from the command line
    return values


def record_writes(values: Mapping[str, Any], name: str) -> dict[str, str]:
    """``{".cancelgen/answers.toml": text}``: the answers a run used, for the
    run's plan (:func:`cancelgen.project.write.make_plan`), so they are written with
    its files, inside the project, or not at all."""
    lines = [
        "# Answers of the last `cancelgen new` (replay them with --replay).",
        f"# Last worker: {name}",
    ]
    keys = {field: key for key, field in CONFIG_KEYS.items()}
    for field in RECORDED_FIELDS:
        if field in values and values[field] is not None:
            lines.append(f"{keys[field]} = {dump_toml_value(values[field])}")
    return {RECORD_PATH.as_posix(): "\n".join(lines) + "\n"}


def dump_toml_value(value: object) -> str:
    """A TOML literal for the simple values answers hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot record {value!r} in TOML")
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(dump_toml_value(item) for item in value) + "]"
    raise TypeError(f"cannot record {value!r} in TOML")


def flag_answers(flags: Mapping[str, Any], *, no_resources: bool) -> dict[str, Any]:
    """The ``WorkerSpec`` fields that answer flags give (``new``, ``upgrade``).

    ``flags`` maps field names to flag values; a flag not given is None, or
    an empty list for a repeatable one. ``no_resources`` answers "none".
    """
    if no_resources and flags.get("resources"):
        raise UsageError("--no-resources and --resource cannot be used together")
    given = {key: value for key, value in flags.items() if value not in (None, [])}
    if no_resources:
        given["resources"] = []
    return given
