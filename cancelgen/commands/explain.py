"""``cancelgen explain PATTERN``: prints :mod:`cancelgen.explain`'s text with rich."""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

from typing import Annotated

import typer

from cancelgen.catalog import PATTERNS
from cancelgen.commands.completion import complete


def command(
    pattern: Annotated[
        str,
        typer.Argument(
            help=f"One of: {', '.join(PATTERNS)}.",
            metavar="PATTERN",
            autocompletion=complete(PATTERNS),
        ),
    ],
) -> None:
    """Explain a pattern: what it is for, the rules it follows, the mistake it avoids.

    \b
    Example:
      cancelgen explain shield
    """
    from cancelgen.explain import explain_markup

    markup = explain_markup(pattern)
    from rich.console import Console

    Console().print(markup, highlight=False)
