"""``cancelgen new worker [NAME]``: a worker module and its tests in the current project.

The command gathers the answers (flags, an answers file, ``--replay``,
``[tool.cancelgen]``, the questionnaire on a terminal) into a ``WorkerSpec``,
then runs the core: render -> format (black, through the cache) -> plan ->
diff or write. It imports the core when it runs, so ``--help`` stays light.
"""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from cancelgen.catalog import (
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    TEST_STYLES,
    TIMEOUT_STYLES,
)
from cancelgen.commands.completion import complete
from cancelgen.errors import CancelgenError, UsageError

PATTERN_HELP = (
    f"Cancellation pattern (repeat): {', '.join(PATTERNS)}. "
    f"Default: {', '.join(DEFAULT_PATTERNS)}."
)
RESOURCE_HELP = f"Resource the worker holds (repeat): {', '.join(RESOURCES)}."


def command(
    name: Annotated[
        str | None,
        typer.Argument(
            help="Worker name: snake_case, becomes <name>.py and test_<name>.py. "
            "Default: worker.",
            metavar="NAME",
            show_default=False,
        ),
    ] = None,
    patterns: Annotated[
        list[str] | None,
        typer.Option(
            "--pattern",
            "-p",
            metavar="PATTERN",
            help=PATTERN_HELP,
            autocompletion=complete(PATTERNS),
            show_default=False,
        ),
    ] = None,
    resources: Annotated[
        list[str] | None,
        typer.Option(
            "--resource",
            "-r",
            metavar="RESOURCE",
            help=RESOURCE_HELP,
            autocompletion=complete(RESOURCES),
            show_default=False,
        ),
    ] = None,
    package_dir: Annotated[
        str | None,
        typer.Option(
            help="Folder of the worker module (default: the detected package).",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    tests_dir: Annotated[
        str | None,
        typer.Option(
            help="Folder of the test module (default: tests).",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(
            help="Seconds for the timeout pattern (default 10).",
            metavar="SECONDS",
            show_default=False,
        ),
    ] = None,
    timeout_style: Annotated[
        str | None,
        typer.Option(
            help=f"{' or '.join(TIMEOUT_STYLES)} (default timeout).",
            metavar="STYLE",
            autocompletion=complete(TIMEOUT_STYLES),
            show_default=False,
        ),
    ] = None,
    cleanup_timeout: Annotated[
        float | None,
        typer.Option(
            help="Seconds cleanup may take (default 5).",
            metavar="SECONDS",
            show_default=False,
        ),
    ] = None,
    commit_timeout: Annotated[
        float | None,
        typer.Option(
            help="Seconds the shielded commit may take (default 5).",
            metavar="SECONDS",
            show_default=False,
        ),
    ] = None,
    checkpoint_every: Annotated[
        int | None,
        typer.Option(
            help="Iterations between checkpoints (default 1000).",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    children: Annotated[
        int | None,
        typer.Option(
            help="Child tasks of the task group (default 3).",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    test_style: Annotated[
        str | None,
        typer.Option(
            help=f"{', '.join(TEST_STYLES)} (default: detected from the project).",
            metavar="STYLE",
            autocompletion=complete(TEST_STYLES),
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing files.")
    ] = False,
    skip_existing: Annotated[
        bool,
        typer.Option("--skip-existing", help="Write only files that do not exist yet."),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Print a unified diff of the changes; write nothing."
        ),
    ] = False,
    stdout: Annotated[
        bool,
        typer.Option("--stdout", help="Print the worker module instead of writing it."),
    ] = False,
    with_tests: Annotated[
        bool,
        typer.Option("--with-tests", help="With --stdout: print the test module too."),
    ] = False,
    no_resources: Annotated[
        bool,
        typer.Option(
            "--no-resources",
            help="The worker holds no resources (skips that question).",
        ),
    ] = False,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never ask questions; defaults fill the rest."),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Write without asking to confirm."),
    ] = False,
    answers_file: Annotated[
        Path | None,
        typer.Option(
            help="Read answers from a YAML or TOML file.",
            metavar="FILE",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    replay: Annotated[
        bool,
        typer.Option(
            "--replay", help="Reuse the answers recorded in .cancelgen/answers.toml."
        ),
    ] = False,
) -> None:
    """Generate a worker coroutine and its tests in the current project.

    On a terminal, options not given are asked for; with --no-input or
    without a terminal, defaults (and [tool.cancelgen]) fill them in.

    \b
    Examples:
      cancelgen new worker
      cancelgen new worker sync_orders -p cleanup -p shield -p timeout -r lock
      cancelgen new worker --no-input --dry-run
      cancelgen new worker other --replay
    """
    from cancelgen import answers as answer_files
    from cancelgen.project import find_project, import_name
    from cancelgen.spec import WorkerSpec, validate_name
    from cancelgen.write import make_plan, unified_diff, write_plan

    _check_options(
        force, skip_existing, dry_run, stdout, with_tests, answers_file, replay
    )
    if no_resources and resources:
        raise UsageError("--no-resources and --resource cannot be used together")
    if name is not None:
        validate_name(name)
    project = find_project()

    given: dict[str, Any] = {}
    if replay:
        given.update(answer_files.load_recorded(project.root))
    if answers_file is not None:
        given.update(answer_files.load_answers(answers_file))
    flags = {
        "patterns": patterns or None,
        "resources": [] if no_resources else (resources or None),
        "package_dir": package_dir,
        "tests_dir": tests_dir,
        "timeout": timeout,
        "timeout_style": timeout_style,
        "cleanup_timeout": cleanup_timeout,
        "commit_timeout": commit_timeout,
        "checkpoint_every": checkpoint_every,
        "children": children,
        "test_style": test_style,
    }
    given.update({key: value for key, value in flags.items() if value is not None})
    name = name or str(given.pop("name", "worker"))
    given.pop("name", None)
    validate_name(name)

    settings = project.settings()
    from cancelgen import prompts

    interactive = prompts.is_interactive(no_input)
    if interactive:
        defaults = {**asdict(WorkerSpec()), **settings}
        given.update(prompts.ask(given, defaults))
    values = {**settings, **given}
    if "package_dir" in given:
        values["package_import"] = import_name(str(given["package_dir"]))
    spec = WorkerSpec.from_mapping({**values, "name": name})
    if not project.found:
        _notice(
            f"no pyproject.toml found in {project.root} or above: "
            "generating into the current directory"
        )

    from cancelgen.cache import enable_template_cache, format_worker_files
    from cancelgen.render import environment, render

    enable_template_cache(environment(backend=spec.backend))
    files = render(spec)
    if stdout:
        shown = [spec.module_path, spec.test_path] if with_tests else [spec.module_path]
        formatted = format_worker_files(
            spec, {path: files[path] for path in shown}, project.black
        )
        for index, path in enumerate(shown):
            if index:
                sys.stdout.write(f"\n# {'-' * 20} {path}\n\n")
            sys.stdout.write(formatted[path])
        return

    files.update(
        project.support_files(spec.package_dir, spec.package_import, spec.tests_dir)
    )
    plan = make_plan(
        project.root,
        format_worker_files(spec, files, project.black),
        force=force,
        skip_existing=skip_existing,
    )
    if dry_run:
        sys.stdout.write(unified_diff(plan, color=sys.stdout.isatty()))
        plan.refuse_conflicts()
        _notice("dry run: " + _summary(plan, "would be ") + "; nothing written")
        return
    plan.refuse_conflicts()
    if (
        interactive
        and not yes
        and plan.to_write
        and not prompts.confirm(_summary_lines(plan))
    ):
        raise CancelgenError("not confirmed: nothing written")
    from cancelgen.kinds import records_for_new

    import_root = project.unimportable_root(
        spec.package_dir, spec.package_import, spec.tests_dir
    )
    records = records_for_new(project, spec, plan, import_root)
    write_plan(plan.joined(make_plan(project.root, records, force=True)))
    for item in plan.files:
        typer.echo(f"{_STATUS[item.status]:<10} {item.path}")
    _import_path_notice(project, spec, plan, import_root)
    try:
        answer_files.record(project.root, _recorded(spec), name)
    except OSError as error:
        _notice(f"could not record the answers for --replay: {error}")


def _import_path_notice(project: Any, spec: Any, plan: Any, missing: Any) -> None:
    """Say how the generated tests find the worker, when pytest alone would not."""
    from cancelgen.kinds import recorded_import_root
    from cancelgen.project import conftest_path

    if missing is None:
        return
    conftest = conftest_path(spec.tests_dir)
    if any(item.path == conftest and item.changes for item in plan.files):
        _notice(
            f"added {conftest}: it puts '{missing}' on sys.path for pytest "
            "(the project has no pytest 'pythonpath' setting)"
        )
    elif not any(item.path == conftest for item in plan.files) and (
        recorded_import_root(project.root, spec.tests_dir) != missing
    ):
        _notice(
            f"{conftest} exists, so it was left alone: if pytest cannot import "
            f'{spec.module_import}, add pythonpath = ["{missing}"] under '
            "[tool.pytest.ini_options]"
        )


_STATUS = {
    "create": "created",
    "overwrite": "overwrote",
    "unchanged": "unchanged",
    "skip": "skipped",
}


def _summary(plan: Any, prefix: str = "") -> str:
    counts: dict[str, int] = {}
    for item in plan.files:
        counts[_STATUS[item.status]] = counts.get(_STATUS[item.status], 0) + 1
    return ", ".join(f"{count} {prefix}{status}" for status, count in counts.items())


def _summary_lines(plan: Any) -> str:
    lines = ["cancelgen will write:"]
    lines += [f"  {_STATUS[item.status]:<10} {item.path}" for item in plan.files]
    return "\n".join(lines)


def _recorded(spec: Any) -> dict[str, Any]:
    values = asdict(spec)
    values.pop("name")
    values.pop("package_import")
    return {key: value for key, value in values.items() if value is not None}


def _check_options(
    force: bool,
    skip_existing: bool,
    dry_run: bool,
    stdout: bool,
    with_tests: bool,
    answers_file: Path | None,
    replay: bool,
) -> None:
    pairs = [
        (force and skip_existing, "--force", "--skip-existing"),
        (stdout and dry_run, "--stdout", "--dry-run"),
        (stdout and (force or skip_existing), "--stdout", "--force/--skip-existing"),
        (answers_file is not None and replay, "--answers-file", "--replay"),
    ]
    for clash, first, second in pairs:
        if clash:
            raise UsageError(f"{first} and {second} cannot be used together")
    if with_tests and not stdout:
        raise UsageError("--with-tests only applies with --stdout")


def _notice(message: str) -> None:
    typer.echo(f"cancelgen: {message}", err=True)
