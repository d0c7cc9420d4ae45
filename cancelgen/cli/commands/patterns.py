"""``cancelgen patterns``: the catalog of patterns and resources, as a table or JSON."""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

from typing import Annotated

import typer

from cancelgen.core.catalog import (
    BACKENDS,
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    Pattern,
    Resource,
    backends_of,
)


def _idioms(entry: Pattern | Resource) -> dict[str, str]:
    """``{backend: how its code does the entry}``, for every backend that has it."""
    return {name: entry.idioms[name].code for name in backends_of(entry)}


def command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the catalog as JSON.")
    ] = False,
) -> None:
    """List the cancellation patterns and resources with one-line summaries,
    and the backends that generate each.

    \b
    Examples:
      cancelgen patterns
      cancelgen patterns --json | jq '.patterns[].name'
      cancelgen patterns --json | jq '.patterns[] | {name, trio: .backends.trio}'
    """
    if as_json:
        import json

        catalog = {
            "backends": [
                {
                    "name": b.name,
                    "summary": b.summary,
                    "test_styles": list(b.test_styles),
                }
                for b in BACKENDS.values()
            ],
            "default_patterns": list(DEFAULT_PATTERNS),
            "patterns": [
                {
                    "name": p.name,
                    "summary": p.summary,
                    "rules": list(p.rules),
                    "parameters": [x.replace("_", "-") for x in p.parameters],
                    "default": p.name in DEFAULT_PATTERNS,
                    "backends": _idioms(p),
                }
                for p in PATTERNS.values()
            ],
            "resources": [
                {
                    "name": r.name,
                    "summary": r.summary,
                    "rules": list(r.rules),
                    "backends": _idioms(r),
                }
                for r in RESOURCES.values()
            ],
        }
        typer.echo(json.dumps(catalog, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Patterns (-p)", title_justify="left")
    for column in ("name", "summary", "rules", "backends"):
        table.add_column(column)
    for p in PATTERNS.values():
        default = " (default)" if p.name in DEFAULT_PATTERNS else ""
        table.add_row(
            f"[bold]{p.name}[/]{default}", p.summary, " ".join(p.rules), _short(p)
        )
    resources_table = Table(title="Resources (-r)", title_justify="left")
    for column in ("name", "summary", "backends"):
        resources_table.add_column(column)
    for r in RESOURCES.values():
        resources_table.add_row(f"[bold]{r.name}[/]", r.summary, _short(r))
    backends_table = Table(title="Backends (--backend)", title_justify="left")
    for column in ("name", "summary", "test styles"):
        backends_table.add_column(column)
    for b in BACKENDS.values():
        backends_table.add_row(
            f"[bold]{b.name}[/]", b.summary, ", ".join(b.test_styles)
        )
    console = Console()
    console.print(table)
    console.print(resources_table)
    console.print(backends_table)
    console.print(
        "[dim]How each backend's code does a pattern: "
        "cancelgen explain PATTERN --backend BACKEND[/]"
    )


def _short(entry: Pattern | Resource) -> str:
    """The backends that generate ``entry``: "all" when every one does."""
    names = backends_of(entry)
    return "all" if len(names) == len(BACKENDS) > 1 else " ".join(names)
