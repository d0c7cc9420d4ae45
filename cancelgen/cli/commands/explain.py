"""``cancelgen explain PATTERN [--backend B]``: prints :mod:`cancelgen.docs.explain`'s text with rich."""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

from typing import Annotated

import typer

from cancelgen.cli.commands.completion import complete
from cancelgen.core.catalog import BACKENDS, DEFAULT_BACKEND, PATTERNS


def command(
    pattern: Annotated[
        str,
        typer.Argument(
            help=f"One of: {', '.join(PATTERNS)}.",
            metavar="PATTERN",
            autocompletion=complete(PATTERNS),
        ),
    ],
    backend: Annotated[
        str,
        typer.Option(
            help=f"Tell it for this backend's code: {', '.join(BACKENDS)}.",
            metavar="BACKEND",
            autocompletion=complete(BACKENDS),
        ),
    ] = DEFAULT_BACKEND,
) -> None:
    """Explain a pattern: what it is for, how the backend's code does it, the
    rules it follows, the mistake it avoids.

    \b
    Examples:
      cancelgen explain shield
      cancelgen explain shield --backend trio
    """
    from cancelgen.docs.explain import explain_markup

    markup = explain_markup(pattern, backend)
    from rich.console import Console

    Console().print(markup, highlight=False)
