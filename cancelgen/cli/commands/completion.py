"""Shell completion of the names an option or argument takes (patterns, resources...)."""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

from collections.abc import Callable, Iterable


def complete(names: Iterable[str]) -> Callable[[str], list[str]]:
    """A Typer ``autocompletion`` function offering the ``names`` that start
    with what has been typed."""
    choices = list(names)

    def matching(incomplete: str) -> list[str]:
        return [name for name in choices if name.startswith(incomplete)]

    return matching
