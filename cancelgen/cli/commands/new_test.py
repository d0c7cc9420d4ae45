"""``cancelgen new test MODULE:FUNCTION``: a cancel sweep test for a coroutine you already have.

Imports the target from the project (:mod:`cancelgen.project.target`), then
runs the same pipeline as ``new worker``: render
(:mod:`cancelgen.core.coroutine_test`) -> the project's format stage -> plan
-> diff or write, with the tests folder's test support module (the sweep's
engine) written if missing and everything recorded (kind ``coroutine-test``).
"""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

import sys
from typing import Annotated, Any

import typer

from cancelgen.cli.commands import options
from cancelgen.errors import UsageError


def command(
    target: Annotated[
        str,
        typer.Argument(
            help="The coroutine to sweep: MODULE:FUNCTION or MODULE:Class.method, "
            "imported from the project (e.g. shop.orders:sync_orders).",
            metavar="MODULE:FUNCTION",
            show_default=False,
        ),
    ],
    backend: Annotated[
        str | None,
        typer.Option(
            help="The library the coroutine is written for: asyncio, anyio, trio "
            "(default: the one its module imports, else the project's).",
            metavar="BACKEND",
            show_default=False,
        ),
    ] = None,
    tests_dir: options.TestsDir = None,
    formatter: options.Formatter = None,
    force: options.Force = False,
    skip_existing: options.SkipExisting = False,
    dry_run: options.DryRun = False,
    stdout: Annotated[
        bool,
        typer.Option("--stdout", help="Print the test module instead of writing it."),
    ] = False,
    allow_python_floor: options.AllowPythonFloor = False,
) -> None:
    """Generate a cancel sweep test for a coroutine you already have.

    The test cancels the coroutine at each of its awaits, and again on its
    way out, and checks what is left behind: the cancel reaches the caller,
    no task or child process still running, no error lost, no warning, and
    it still works afterwards. Edit its call() to pass test arguments, and
    add your own invariants to its checks().

    \b
    Examples:
      cancelgen new test shop.orders:sync_orders
      cancelgen new test shop.orders:Orders.sync --backend anyio --dry-run
    """
    from cancelgen.core.coroutine_test import CoroutineTest, split_target
    from cancelgen.project.detect import find_project
    from cancelgen.project.target import inspect_target

    if force and skip_existing:
        raise UsageError("--force and --skip-existing cannot be used together")
    if stdout and (dry_run or force or skip_existing):
        raise UsageError(
            "--stdout cannot be used with --dry-run, --force or --skip-existing"
        )
    split_target(target)
    project = find_project().with_formatter(formatter)
    from cancelgen.cli import prompts

    # Before the target is imported: a refusal runs none of the project's code.
    options.check_python_floor(
        project, allow_python_floor, ask=prompts.is_interactive()
    )
    options.note_ruff_pin(project)
    found = inspect_target(project, target)
    values = project.values({} if tests_dir is None else {"tests_dir": tests_dir})
    chosen = backend or found.library or str(values["backend"])
    if backend is None and found.library:
        module = target.partition(":")[0]
        _notice(
            f"detected backend {chosen} ({module} imports {found.library}); "
            "--backend chooses another"
        )
    from cancelgen.project.units import COROUTINE_TEST, coroutine_test

    test = coroutine_test(
        CoroutineTest(
            target,
            chosen,
            str(values["tests_dir"]),
            found.call,
            found.needs,
            found.init_needs,
        ).answers(),
        project,
    )
    from cancelgen.core.cache import enable_template_cache
    from cancelgen.core.coroutine_test import render_coroutine_test
    from cancelgen.core.render import environment
    from cancelgen.project.fit import fit_files

    enable_template_cache(environment(backend=test.backend))
    if stdout:
        sys.stdout.write(
            fit_files(render_coroutine_test(test), project)[test.test_path]
        )
        return
    _write(project, test, COROUTINE_TEST, (force, skip_existing), dry_run)
    if test.unfilled:
        _notice(
            f"{test.qualname}() needs {', '.join(test.unfilled)}: fill them in "
            f"call() in {test.test_path} (its test fails until then)"
        )


def _write(
    project: Any, test: Any, kind: str, overwrite: tuple[bool, bool], dry_run: bool
) -> None:
    """Plan the test, its test support module and the import-path conftest;
    show the diff (``dry_run``) or write them with their records."""
    from cancelgen.cli.commands.new import echo_written
    from cancelgen.core.coroutine_test import render_coroutine_test
    from cancelgen.project.new_files import with_shared_modules
    from cancelgen.project.units import records_for_new, units_for_new
    from cancelgen.project.write import make_plan, unified_diff, write_plan

    files = render_coroutine_test(test)
    package = (project.package_dir, project.package_import, test.tests_dir)
    files.update(project.support_files(*package))
    units = units_for_new(kind, test.answers())
    new = with_shared_modules(files, units, project)
    for notice in new.notices:
        _notice(notice)
    force, skip_existing = overwrite
    plan = make_plan(project.root, new.files, force=force, skip_existing=skip_existing)
    if dry_run:
        sys.stdout.write(unified_diff(plan, color=sys.stdout.isatty()))
        plan.refuse_conflicts()
        _notice("dry run: nothing written")
        return
    plan.refuse_conflicts()
    import_root = project.unimportable_root(*package)
    records = records_for_new(project, units, plan, test.tests_dir, import_root)
    write_plan(plan.joined(make_plan(project.root, records, force=True)))
    echo_written(plan)


def _notice(message: str) -> None:
    typer.echo(f"cancelgen: {message}", err=True)
