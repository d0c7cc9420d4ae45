"""The one module that leans on Typer's private internals.

Checked against typer 0.29.0 and 0.29.2 (the bound in ``pyproject.toml``).
Typer's public API offers neither of these:

1. **Coercion without pydantic.** Typer 0.29 converts each parameter's
   command-line string with a "runtime parameter" it builds the first time the
   parameter is processed (``typer.core._TyperParameter.get_runtime_param``
   fills the private attribute ``_runtime_param``): for most annotations a
   pydantic ``TypeAdapter``, which costs ~80 ms of start-up (importing pydantic,
   building schemas), more than all of cancelgen's own work. Typer's public
   ``parser=`` is wrapped in a ``TypeAdapter`` too. cancelgen's parameters are
   plain scalars and lists of strings, so :func:`use_plain_coercion` sets
   ``_runtime_param`` to a :class:`PlainCoercion` beforehand and typer uses it.
2. **Click's usage errors.** Typer vendors click as ``typer._click`` and exports
   only ``BadParameter`` of its exceptions; the CLI needs ``UsageError`` (here
   ``ClickUsageError``, to print it as one line) and ``NoArgsIsHelpError`` (to
   let it show the help).

On a typer without the hook, typer's own coercion runs: correct, but slower.
``tests/cli/test_typer_hook.py`` makes that a failure instead: it checks that every
parameter gets the hook, that typer calls it while parsing, and that no command
imports pydantic.
"""

from __future__ import annotations

import math
import typing
from pathlib import Path
from typing import Any

import typer
from typer._click.exceptions import NoArgsIsHelpError
from typer._click.exceptions import UsageError as ClickUsageError

__all__ = [
    "ClickUsageError",
    "NoArgsIsHelpError",
    "PlainCoercion",
    "use_plain_coercion",
]

_SCALARS = (str, int, float, bool, Path)


class PlainCoercion:
    """Converts a command-line string to ``str``, ``int``, ``float``, ``bool`` or ``Path``.

    It has the interface of typer's runtime parameter (``coerce``).
    """

    def __init__(self, annotation: Any) -> None:
        self.annotation = annotation

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        """Convert ``value`` (a string, a sequence of them, or None) for ``param``."""
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many:
            (item_type,) = typing.get_args(self.annotation) or (str,)
            return [self._one(item, item_type, param, ctx) for item in value]
        return self._one(value, self.annotation, param, ctx)

    @staticmethod
    def _one(value: Any, kind: Any, param: Any, ctx: Any) -> Any:
        if not isinstance(value, str) or kind is str:
            return value
        try:
            if kind is bool:
                lowered = value.strip().lower()
                if lowered in ("1", "true", "yes", "on"):
                    return True
                if lowered in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            if kind is int:
                return int(value)
            if kind is float:
                number = float(value)
                if not math.isfinite(number):
                    raise ValueError(value)
                return number
            if kind is Path:
                return Path(value)
        except ValueError:
            label = {int: "whole number", float: "number"}.get(kind, kind.__name__)
            raise typer.BadParameter(
                f"{value!r} is not a {label}", ctx=ctx, param=param
            ) from None
        return value


def use_plain_coercion(command: Any, *extra: Any) -> None:
    """Give ``command``'s parameters (and ``extra`` ones) a :class:`PlainCoercion`.

    Only typer parameters whose runtime parameter is not built yet, and whose
    annotation is a plain scalar or ``list[str]``; any other keeps typer's own.
    """
    for param in [*command.params, *extra]:
        if getattr(param, "_runtime_param", True) is not None:
            continue  # not a typer parameter, or already set up
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and (
            descriptor.annotation in _SCALARS
            or (
                typing.get_origin(descriptor.annotation) is list
                and typing.get_args(descriptor.annotation) == (str,)
            )
        ):
            param._runtime_param = PlainCoercion(descriptor.annotation)
