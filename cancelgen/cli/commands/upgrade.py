"""``cancelgen upgrade [NAME...]``: bring recorded workers up to the installed cancelgen.

Each recorded unit is re-rendered (with its recorded answers, changed by the
answer flags of ``new`` if given) and merged three ways into the project:
base = the pristine copy, ours = the user's file, theirs = the new rendering
(see :mod:`cancelgen.project.upgrade`). Everything is written in one all-or-nothing
plan; ``--dry-run`` shows the diff instead. Conflicts are written as markers
into their file, named, and end the run with exit code 1; their pristine
copies wait until the user has resolved them and runs ``upgrade`` again.
"""

# No `from __future__ import annotations`: typer evaluates these annotations.

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from cancelgen.cli.commands import options
from cancelgen.errors import CancelgenError, UsageError


def command(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="Workers to upgrade, by name or module path (default: every "
            "recorded worker and shared file).",
            metavar="NAME",
            show_default=False,
        ),
    ] = None,
    backend: options.Backend = None,
    patterns: options.Patterns = None,
    resources: options.Resources = None,
    timeout: options.Timeout = None,
    timeout_style: options.TimeoutStyle = None,
    cleanup_timeout: options.CleanupTimeout = None,
    commit_timeout: options.CommitTimeout = None,
    checkpoint_every: options.CheckpointEvery = None,
    children: options.Children = None,
    test_style: options.TestStyle = None,
    support_module: options.SupportModule = None,
    no_resources: options.NoResources = False,
    formatter: options.Formatter = None,
    dry_run: options.DryRun = False,
    adopt: Annotated[
        bool,
        typer.Option(
            "--adopt",
            help="Adopt a worker generated before cancelgen kept records: derive "
            "its answers from its docstring and show the whole diff.",
        ),
    ] = False,
    yes: options.Yes = False,
    allow_python_floor: options.AllowPythonFloor = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a support module you edited (your copy is kept as "
            "FILE.orig); without it, upgrade refuses to.",
        ),
    ] = False,
) -> None:
    """Merge the installed cancelgen's code into recorded workers, keeping your edits.

    Answer flags (-p, -r, --timeout...) change the named workers' answers;
    -p and -r give the whole list, as with 'cancelgen new'. A conflict is
    written as     then run upgrade again. A shared support module (--support-module) is
    replaced, not merged, with the workers that import it.

    \b
    Examples:
      cancelgen upgrade --dry-run
      cancelgen upgrade sync_orders
      cancelgen upgrade sync_orders -p cleanup -p shield -p timeout
      cancelgen upgrade old_worker --adopt
    """
    from cancelgen.project.answers import flag_answers

    flags = flag_answers(
        options.answer_flags(
            backend,
            patterns,
            resources,
            timeout,
            timeout_style,
            cleanup_timeout,
            commit_timeout,
            checkpoint_every,
            children,
            test_style,
            support_module,
        ),
        no_resources=no_resources,
    )
    run(
        names or [],
        flags,
        dry_run=dry_run,
        adopt=adopt,
        yes=yes,
        force=force,
        allow_python_floor=allow_python_floor,
        formatter=formatter,
    )


def run(
    targets: list[str],
    flags: dict[str, Any],
    *,
    dry_run: bool = False,
    adopt: bool = False,
    yes: bool = False,
    force: bool = False,
    allow_python_floor: bool = False,
    formatter: str | None = None,
) -> None:
    """Upgrade ``targets`` (all records if empty) with answer ``flags``; see the module.

    ``formatter`` (``--formatter``) overrides the detected formatter.
    """
    from cancelgen.project.detect import find_project
    from cancelgen.project.units import SHARED_KINDS, load_records
    from cancelgen.project.upgrade import plan_support, plan_unit
    from cancelgen.project.write import make_plan, unified_diff, write_plan

    if flags and not targets:
        raise UsageError(
            "answer flags change a worker's answers: name the workers, "
            "e.g. cancelgen upgrade NAME -p shield"
        )
    project = find_project().with_formatter(formatter)
    records = load_records(project.root)
    if records or adopt:
        from cancelgen.cli import prompts

        options.check_python_floor(
            project, allow_python_floor, ask=prompts.is_interactive() and not yes
        )
        options.note_ruff_pin(project)

    def plan(record: Any, answers: Any) -> Any:
        if record.kind in SHARED_KINDS:
            return plan_support(project, record, answers, force=force)
        return plan_unit(project, record, answers)

    extra: dict[str, Any] = {}
    if adopt:
        units = [_adopt(project, records, target, flags, extra) for target in targets]
        if not units:
            raise UsageError("--adopt needs the name of the worker to adopt")
        adopted = [(unit.record, None) for unit in units]
        units += [
            plan(record, None)
            for record, _ in _with_support(project, records, adopted)[len(units) :]
        ]
    else:
        if not records and not targets:
            _notice(
                "nothing to upgrade: no recorded workers ('cancelgen status' "
                "lists workers generated before records, to adopt)"
            )
            return
        chosen = select(project.root, records, targets)
        planned = [(record, _answers(record, flags)) for record in chosen]
        units = [
            plan(record, answers)
            for record, answers in _with_support(project, records, planned)
        ]
    user = make_plan(project.root, _merged(u.user_files() for u in units), force=True)
    kept = make_plan(
        project.root,
        _merged([extra, *(u.cancelgen_files(project.root) for u in units)]),
        force=True,
    )
    conflicted = [path for unit in units for path in unit.conflicted]
    outcomes = [item for unit in units for item in unit.files]
    if dry_run or adopt:
        sys.stdout.write(unified_diff(user, color=sys.stdout.isatty()))
        sys.stdout.flush()  # the diff comes before what stderr says about it
    if dry_run:
        counts: dict[str, int] = {}
        for item in outcomes:
            counts[item.action] = counts.get(item.action, 0) + 1
        summary = ", ".join(f"{n} would be {action}" for action, n in counts.items())
        _notice(f"dry run: {summary or 'nothing to upgrade'}; nothing written")
        if conflicted:
            raise CancelgenError(
                f"{_names(conflicted)} would get conflict markers (see the diff)"
            )
        return
    if adopt and not yes and user.to_write:
        from cancelgen.cli import prompts

        if not prompts.is_interactive():
            raise CancelgenError(
                "nothing written: review the diff above, then run again with --yes "
                "to adopt (or --dry-run to only look)"
            )
        if not prompts.confirm("Adopting writes the diff above."):
            raise CancelgenError("not confirmed: nothing written")
    write_plan(user.joined(kept))
    for item in outcomes:
        typer.echo(
            f"{_SHOWN.get(item.action, item.action):<10} {item.path}"
            + _WHY.get(item.action, "")
        )
    if conflicted:
        raise CancelgenError(
            f"conflicts in {_names(conflicted)}: resolve the <<<<<<< ======= >>>>>>> "
            "blocks, then run cancelgen upgrade again; the rest is upgraded"
        )


_SHOWN = {"deleted": "skipped", "left alone": "skipped", "dropped": "skipped"}
_WHY = {
    "replaced": " (--force: your edited copy is kept next to it, as .orig)",
    "kept": " (you edited it; cancelgen has nothing new for it: left as it is)",
    "deleted": " (you deleted it: left deleted)",
    "left alone": " (not recorded as cancelgen's: left alone)",
    "dropped": " (no longer generated: left as it is, no longer recorded)",
}


def _names(paths: list[str]) -> str:
    return ", ".join(paths)


def _merged(parts: Any) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged.update(part)
    return merged


def _answers(record: Any, flags: dict[str, Any]) -> dict[str, Any] | None:
    """The record's answers changed by ``flags`` (validated), or None if unchanged."""
    from cancelgen.core.spec import WorkerSpec
    from cancelgen.project.units import WORKER

    if not flags:
        return None
    if record.kind != WORKER:
        raise UsageError(f"{record.key} is not a worker: answer flags do not apply")
    return WorkerSpec.create(**{**record.answers, **flags}).answers()


def _with_support(
    project: Any, records: list[Any], planned: list[tuple[Any, Any]]
) -> list[tuple[Any, Any]]:
    """``planned`` (``(record, answers or None)``), then the shared modules its
    workers import (the support module, the test support module), then the
    other recorded workers of each that changes.

    A shared module not recorded yet gets a new record (its file is created,
    or recognised). A shared module is replaced whole, so when it changes,
    every worker that imports it is upgraded in the same run: each calls it
    as the new module has it.
    """
    from cancelgen.project.records import Record, read_pristine
    from cancelgen.project.units import (
        SHARED_KINDS,
        imports_of,
        label,
        render_record,
    )

    def imports_from(record: Any, answers: Any) -> list[tuple[str, Any, str]]:
        return imports_of(record.kind, answers or record.answers)

    planned = list(planned)
    keys = {record.key for record, _ in planned}
    for record, answers in list(planned):
        for kind, shared, path in imports_from(record, answers):
            if path in keys:
                continue
            known = [r for r in records if r.key == path]
            planned.append(
                (known[0] if known else Record(path, kind, shared, {}), None)
            )
            keys.add(path)
    for record, _ in list(planned):
        if record.kind not in SHARED_KINDS:
            continue
        (rendered,) = render_record(record, project).values()
        path = record.key
        if (
            path in record.files
            and read_pristine(project.root, record, path) == rendered
        ):
            continue  # unchanged: its workers need nothing
        others = [
            r
            for r in records
            if r.key not in keys
            and any(shared == path for _, _, shared in imports_from(r, None))
        ]
        if others:
            names = ", ".join(label(r) for r in others)
            _notice(
                f"{path} changes, so the other workers that import it are upgraded "
                f"with it: {names}"
            )
        planned += [(r, None) for r in others]
        keys |= {r.key for r in others}
    return planned


def select(root: Path, records: list[Any], targets: list[str]) -> list[Any]:
    """The records ``targets`` name (worker names or module paths); all if none."""
    from cancelgen.project.detect import relative_target
    from cancelgen.project.units import WORKER

    if not targets:
        return records
    chosen = []
    for target in targets:
        path = relative_target(root, target)
        if path is not None:
            found = [r for r in records if r.key == path or path in r.files]
        else:
            found = [
                r for r in records if r.kind == WORKER and r.answers["name"] == target
            ]
        if not found:
            names = sorted(r.answers["name"] for r in records if r.kind == WORKER)
            known = f" (recorded: {', '.join(names)})" if names else ""
            raise UsageError(
                f"no recorded worker {target!r}{known}; a worker generated before "
                f"cancelgen kept records can be adopted: cancelgen upgrade {target} --adopt"
            )
        if len(found) > 1:
            raise UsageError(
                f"{len(found)} recorded workers are named {target!r} "
                f"({', '.join(r.key for r in found)}): give the module path instead"
            )
        if found[0] not in chosen:
            chosen.append(found[0])
    return chosen


def _adopt(
    project: Any,
    records: list[Any],
    target: str,
    flags: dict[str, Any],
    extra: dict[str, Any],
) -> Any:
    """Plan the adoption of ``target``; add the record of its conftest.py, if it
    is exactly cancelgen's, to ``extra``."""
    from cancelgen.project.adopt import adopt
    from cancelgen.project.units import IMPORT_PATH, import_path_writes
    from cancelgen.project.upgrade import plan_unit

    adoption = adopt(project, target, flags)
    if any(r.key == adoption.record.key for r in records):
        raise UsageError(
            f"{adoption.record.key} is recorded already: run cancelgen upgrade "
            "without --adopt"
        )
    for line in adoption.explanation:
        _notice(line)
    spec = adoption.record.answers
    root = project.unimportable_root(
        spec["package_dir"], spec["package_import"], spec["tests_dir"]
    )
    if root is not None and not any(r.kind == IMPORT_PATH for r in records):
        extra.update(import_path_writes(project, spec["tests_dir"], root))
    return plan_unit(project, adoption.record, adopt=True)


def _notice(message: str) -> None:
    typer.echo(f"cancelgen: {message}", err=True)
