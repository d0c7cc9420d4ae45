"""The docs commands: ``cancelgen snippet`` and ``cancelgen gallery``.

Thin Typer functions: they turn flags into calls of :mod:`cancelgen.docs.snippets`,
which is imported only when a command runs (it brings in Jinja and black).
Errors are ``CancelgenError``s, printed by the CLI as one line.
"""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

import sys
from pathlib import Path
from typing import Annotated

import typer

from cancelgen.cli.commands.completion import complete
from cancelgen.core.catalog import BACKENDS, DEFAULT_BACKEND, PATTERNS, RESOURCES

Backend = Annotated[
    str,
    typer.Option(
        metavar="BACKEND",
        help="the library the code is written for: " + ", ".join(BACKENDS),
        autocompletion=complete(BACKENDS),
    ),
]


def _names(values: list[str]) -> list[str]:
    """``["lock,queue", "task"]`` -> ``["lock", "queue", "task"]``."""
    return [part for value in values for part in value.replace(",", " ").split()]


def snippet_command(
    patterns: Annotated[
        list[str],
        typer.Argument(
            metavar="PATTERN",
            help=", ".join(PATTERNS),
            show_default=False,
        ),
    ],
    resources: Annotated[
        list[str] | None,
        typer.Option(
            "--resource",
            "-r",
            metavar="RESOURCE",
            help="a resource the worker holds (repeat, or comma-separate): "
            + ", ".join(RESOURCES),
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="md|rst|py", help="output markup")
    ] = "md",
    with_tests: Annotated[
        bool, typer.Option("--with-tests", help="add the worker's generated tests")
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="add what each pattern does, its rules and the common mistake",
        ),
    ] = False,
    backend: Backend = DEFAULT_BACKEND,
) -> None:
    """Print a runnable, tested example of PATTERN(s) for your docs."""
    from cancelgen.docs.snippets import snippet

    text = snippet(
        _names(patterns),
        _names(resources or []),
        fmt=fmt,
        with_tests=with_tests,
        explain=explain,
        backend=backend,
    )
    sys.stdout.write(text)


def gallery_command(
    outdir: Annotated[
        Path,
        typer.Argument(
            metavar="OUTDIR", help="folder for the pages (created if missing)"
        ),
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="md|rst", help="page markup")
    ] = "md",
    backend: Backend = DEFAULT_BACKEND,
) -> None:
    """Write a gallery: a page per pattern and per useful combination, and an index."""
    from cancelgen.docs.snippets import write_gallery

    written = write_gallery(outdir, fmt, backend)
    typer.echo(f"wrote {len(written)} pages to {outdir}")
