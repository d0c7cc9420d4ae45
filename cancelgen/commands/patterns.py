"""``cancelgen patterns``: the catalog of patterns and resources, as a table or JSON."""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

from typing import Annotated

import typer

from cancelgen.catalog import DEFAULT_PATTERNS, PATTERNS, RESOURCES


def command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the catalog as JSON.")
    ] = False,
) -> None:
    """List the cancellation patterns and resources with one-line summaries.

    \b
    Examples:
      cancelgen patterns
      cancelgen patterns --json | jq '.patterns[].name'
    """
    if as_json:
        import json

        catalog = {
            "default_patterns": list(DEFAULT_PATTERNS),
            "patterns": [
                {
                    "name": p.name,
                    "summary": p.summary,
                    "rules": list(p.rules),
                    "parameters": [x.replace("_", "-") for x in p.parameters],
                    "default": p.name in DEFAULT_PATTERNS,
                }
                for p in PATTERNS.values()
            ],
            "resources": [
                {"name": r.name, "summary": r.summary, "rules": list(r.rules)}
                for r in RESOURCES.values()
            ],
        }
        typer.echo(json.dumps(catalog, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Patterns (-p)", title_justify="left")
    for column in ("name", "summary", "rules"):
        table.add_column(column)
    for p in PATTERNS.values():
        default = " (default)" if p.name in DEFAULT_PATTERNS else ""
        table.add_row(f"[bold]{p.name}[/]{default}", p.summary, " ".join(p.rules))
    resources_table = Table(title="Resources (-r)", title_justify="left")
    for column in ("name", "summary"):
        resources_table.add_column(column)
    for r in RESOURCES.values():
        resources_table.add_row(f"[bold]{r.name}[/]", r.summary)
    console = Console()
    console.print(table)
    console.print(resources_table)
