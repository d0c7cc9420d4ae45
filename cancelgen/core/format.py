"""Format generated sources with black, honouring the target project's settings."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cancelgen.errors import CancelgenError

# Generated code uses 3.11 syntax and APIs: older targets are raised to 3.11.
MINIMUM_TARGET = (3, 11)


@dataclass(frozen=True)
class BlackSettings:
    """The subset of ``[tool.black]`` that changes how generated code looks."""

    line_length: int = 88
    target_versions: tuple[str, ...] = ()
    """Names like ``py312``; empty means "infer", floored at py311."""
    skip_string_normalization: bool = False
    skip_magic_trailing_comma: bool = False

    @classmethod
    def from_pyproject(cls, pyproject: Path) -> BlackSettings:
        """Read ``[tool.black]`` from ``pyproject``; defaults if it has none."""
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise CancelgenError(f"cannot read {pyproject}: {error}") from error
        return cls.from_table(data.get("tool", {}).get("black", {}), source=pyproject)

    @classmethod
    def from_table(
        cls, table: Mapping[str, Any], *, source: Path | str = ""
    ) -> BlackSettings:
        """Build settings from a ``[tool.black]`` table (dashed keys, as black reads them)."""
        where = f" in {source}" if source else ""
        line_length = table.get("line-length", table.get("line_length", 88))
        if (
            not isinstance(line_length, int)
            or isinstance(line_length, bool)
            or line_length < 40
        ):
            raise CancelgenError(
                f"[tool.black] line-length{where} must be a whole number >= 40, "
                f"got {line_length!r}"
            )
        targets = table.get("target-version", table.get("target_version", []))
        if isinstance(targets, str):
            targets = [targets]
        if not isinstance(targets, list) or not all(
            isinstance(t, str) for t in targets
        ):
            raise CancelgenError(
                f"[tool.black] target-version{where} must be a list of strings"
            )
        return cls(
            line_length=line_length,
            target_versions=tuple(t.lower() for t in targets),
            skip_string_normalization=bool(
                table.get("skip-string-normalization", False)
            ),
            skip_magic_trailing_comma=bool(
                table.get("skip-magic-trailing-comma", False)
            ),
        )


def _mode(settings: BlackSettings) -> Any:
    # Imported here: only formatting needs black, and it is slow to import.
    from black.mode import Mode, TargetVersion

    wanted = set()
    for name in settings.target_versions:
        try:
            version = TargetVersion[name.upper()]
        except KeyError:
            continue  # a version this black does not know: let black infer instead
        if (3, version.value) >= MINIMUM_TARGET:
            wanted.add(version)
    if not wanted:
        wanted = {v for v in TargetVersion if (3, v.value) >= MINIMUM_TARGET}
    return Mode(
        target_versions=wanted,
        line_length=settings.line_length,
        string_normalization=not settings.skip_string_normalization,
        magic_trailing_comma=not settings.skip_magic_trailing_comma,
    )


def format_source(source: str, settings: BlackSettings | None = None) -> str:
    """Return ``source`` formatted by black; a template bug raises with the bad line."""
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=_mode(settings or BlackSettings()))
    except InvalidInput as error:  # a bug in a template, not a user error
        raise RuntimeError(f"generated code does not parse: {error}") from error


def format_files(
    files: Mapping[str, str], settings: BlackSettings | None = None
) -> dict[str, str]:
    """Format every ``*.py`` file of ``files``; others are returned unchanged."""
    return {
        path: format_source(text, settings) if path.endswith(".py") else text
        for path, text in files.items()
    }
