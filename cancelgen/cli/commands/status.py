"""``cancelgen status``: every recorded worker, its files, edited? outdated?

*Edited* compares a file with its pristine copy (line endings aside);
*outdated* renders the record's answers with the installed cancelgen, through
the same pipeline as ``new`` (the project's black settings included), and
compares that with the pristine copy. Modules generated before cancelgen
kept records are listed too, with the command that adopts them.
"""

# No `from __future__ import annotations`: typer evaluates these annotations.

from typing import Annotated, Any

import typer

from cancelgen import __version__
from cancelgen.cli.commands import options


def command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the status as JSON.")
    ] = False,
    formatter: options.Formatter = None,
) -> None:
    """Show each recorded worker's files: edited by you? outdated for this cancelgen?

    \b
    Examples:
      cancelgen status
      cancelgen status --json | jq '.files[] | select(.outdated)'
    """
    from cancelgen.project.adopt import made_by_copier, unrecorded_workers
    from cancelgen.project.detect import find_project
    from cancelgen.project.units import load_records
    from cancelgen.project.upgrade import survey

    project = find_project().with_formatter(formatter)
    records = load_records(project.root)
    statuses = survey(project, records)
    unrecorded = unrecorded_workers(project, records)
    if as_json:
        import json

        typer.echo(json.dumps(_as_data(statuses, unrecorded), indent=2))
    else:
        typer.echo(_table(statuses, unrecorded, made_by_copier(project)), nl=False)


def _name(record: Any) -> str:
    from cancelgen.project.units import WORKER

    return str(record.answers["name"]) if record.kind == WORKER else "(shared)"


_STATE = {
    "unedited": "unedited",
    "edited": "edited",
    "deleted": "deleted",
    "conflict": "conflict markers",
    "resolved": "resolved",
}


def _table(statuses: list[Any], unrecorded: list[tuple[str, str]], copier: bool) -> str:
    header = ("WORKER", "FILE", "YOUR FILE", f"CANCELGEN {__version__}")
    rows = [
        (
            _name(s.record),
            s.path,
            _STATE[s.state],
            "outdated" if s.outdated else "up to date",
        )
        for s in statuses
    ]
    rows += [(name, path, "not recorded", "-") for name, path in unrecorded]
    if not rows:
        return (
            "no recorded workers: 'cancelgen new' records each worker it writes "
            "in .cancelgen/\n"
        )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[3]
        for row in [header, *rows]
    ]
    lines.append("")
    lines += _advice(statuses, unrecorded, copier)
    return "\n".join(lines) + "\n"


def _advice(
    statuses: list[Any], unrecorded: list[tuple[str, str]], copier: bool
) -> list[str]:
    advice = []
    outdated = [
        s for s in statuses if s.outdated and s.state not in ("deleted", "conflict")
    ]
    conflicts = [s.path for s in statuses if s.state == "conflict"]
    resolved = [s.path for s in statuses if s.state == "resolved"]
    if conflicts:
        advice.append(
            f"Resolve the conflict markers in {', '.join(conflicts)}, "
            "then run 'cancelgen upgrade' again."
        )
    if resolved:
        advice.append(
            f"{', '.join(resolved)}: conflicts resolved; 'cancelgen upgrade' records that."
        )
    if outdated:
        files, them = (
            ("1 file is", "it")
            if len(outdated) == 1
            else (f"{len(outdated)} files are", "them")
        )
        advice.append(
            f"{files} outdated: 'cancelgen upgrade' merges the new code into {them} "
            "and keeps your edits ('--dry-run' shows the diff first)."
        )
    elif statuses and not any(s.outdated for s in statuses):
        advice.append(
            f"Every recorded file is up to date with cancelgen {__version__}."
        )
    if unrecorded and copier:
        advice.append(
            "This project was made by 'cancelgen init': 'cancelgen update' brings "
            "cancelgen's changes into the workers copier rendered."
        )
    for name, _path in [] if copier else unrecorded:
        advice.append(
            f"{name} was generated before cancelgen kept records: "
            f"'cancelgen upgrade {name} --adopt' adopts it."
        )
    return advice


def _as_data(statuses: list[Any], unrecorded: list[tuple[str, str]]) -> dict[str, Any]:
    from cancelgen.project.units import WORKER

    return {
        "cancelgen": __version__,
        "files": [
            {
                "worker": (
                    s.record.answers.get("name") if s.record.kind == WORKER else None
                ),
                "kind": s.record.kind,
                "record": s.record.location,
                "recorded_by": s.record.version,
                "path": s.path,
                "state": s.state,
                "outdated": s.outdated,
            }
            for s in statuses
        ],
        "unrecorded": [{"worker": name, "path": path} for name, path in unrecorded],
    }
