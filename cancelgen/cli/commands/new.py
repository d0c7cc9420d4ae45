"""``cancelgen new worker [NAME]``: a worker module and its tests in the current project.

The command gathers the answers (flags, an answers file, ``--replay``,
``[tool.cancelgen]``, the questionnaire on a terminal) into a ``WorkerSpec``,
then has the project side render and fit the files
(cancelgen.project.new_files: render -> the project's formatter, import order
and lint fixes, with the shared modules), plans them and shows the diff or
writes them. It imports the core when it runs, so ``--help`` stays light.
"""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

import sys
from collections.abc import Mapping
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from cancelgen.cli.commands import options
from cancelgen.errors import CancelgenError, UsageError


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
    backend: options.Backend = None,
    patterns: options.Patterns = None,
    resources: options.Resources = None,
    package_dir: Annotated[
        str | None,
        typer.Option(
            help="Folder of the worker module (default: the detected package).",
            metavar="DIR",
            show_default=False,
        ),
    ] = None,
    tests_dir: options.TestsDir = None,
    timeout: options.Timeout = None,
    timeout_style: options.TimeoutStyle = None,
    cleanup_timeout: options.CleanupTimeout = None,
    commit_timeout: options.CommitTimeout = None,
    checkpoint_every: options.CheckpointEvery = None,
    children: options.Children = None,
    test_style: options.TestStyle = None,
    support_module: options.SupportModule = None,
    formatter: options.Formatter = None,
    force: options.Force = False,
    skip_existing: options.SkipExisting = False,
    dry_run: options.DryRun = False,
    stdout: Annotated[
        bool,
        typer.Option("--stdout", help="Print the worker module instead of writing it."),
    ] = False,
    with_tests: Annotated[
        bool,
        typer.Option("--with-tests", help="With --stdout: print the test module too."),
    ] = False,
    no_resources: options.NoResources = False,
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never ask questions; defaults fill the rest."),
    ] = False,
    yes: options.Yes = False,
    allow_python_floor: options.AllowPythonFloor = False,
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
    from cancelgen.core.spec import WorkerSpec, validate_name
    from cancelgen.project import answers as answer_files
    from cancelgen.project.detect import find_project, import_name

    _check_options(
        force, skip_existing, dry_run, stdout, with_tests, answers_file, replay
    )
    flags = answer_files.flag_answers(
        {
            **options.answer_flags(
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
            "package_dir": package_dir,
            "tests_dir": tests_dir,
        },
        no_resources=no_resources,
    )
    if name is not None:
        validate_name(name)
    project = find_project().with_formatter(formatter)
    from cancelgen.cli import prompts

    options.check_python_floor(
        project, allow_python_floor, ask=prompts.is_interactive(no_input) and not yes
    )

    given: dict[str, Any] = {}
    if replay:
        given.update(answer_files.load_recorded(project.root))
    if answers_file is not None:
        given.update(answer_files.load_answers(answers_file))
    given.update(flags)
    name = name or str(given.pop("name", "worker"))
    given.pop("name", None)
    validate_name(name)

    settings = project.settings()
    interactive = prompts.is_interactive(no_input)
    if interactive:
        defaults = {**asdict(WorkerSpec()), **settings}
        given.update(prompts.ask(given, defaults, project.values))
    values = project.values(given)
    if "package_dir" in given:
        values["package_import"] = import_name(str(given["package_dir"]))
    _check_fit(values, flags, given, project.defaults)
    spec = project.placed(WorkerSpec.from_mapping({**values, "name": name}))
    detected = project.detection(given)
    if detected:
        _notice(f"{detected}; --backend and --test-style choose others")
    tools = project.tools.describe()
    if tools:
        _notice(f"{tools}; --formatter chooses the formatter")
    options.note_ruff_pin(project)
    if not project.found:
        _notice(
            f"no pyproject.toml found in {project.root} or above: "
            "generating into the current directory"
        )

    if stdout:
        _print_new(spec, project, with_tests)
        return
    _write_new(spec, project, force, skip_existing, dry_run, interactive, yes, name)


def _print_new(spec: Any, project: Any, with_tests: bool) -> None:
    """``--stdout``: print the worker module (and with ``with_tests`` its tests)."""
    from cancelgen.core.cache import enable_template_cache
    from cancelgen.core.render import (
        environment,
        render,
        render_support,
        render_test_support,
    )
    from cancelgen.project.fit import fit_files

    enable_template_cache(environment(backend=spec.backend))
    files = render(spec)
    shown = [spec.module_path, spec.test_path] if with_tests else [spec.module_path]
    formatted = fit_files({path: files[path] for path in shown}, project, spec)
    formatted.update(fit_files(render_support(spec), project))
    if with_tests:
        formatted.update(fit_files(render_test_support(spec), project))
    for index, path in enumerate(formatted):
        if index:
            sys.stdout.write(f"\n# {'-' * 20} {path}\n\n")
        sys.stdout.write(formatted[path])


def _write_new(
    spec: Any,
    project: Any,
    force: bool,
    skip_existing: bool,
    dry_run: bool,
    interactive: bool,
    yes: bool,
    name: str,
) -> None:
    """Plan and write (or show, with ``dry_run``) the new worker's files."""
    from cancelgen.cli import prompts
    from cancelgen.project import answers as answer_files
    from cancelgen.project.new_files import new_worker_files
    from cancelgen.project.units import records_for_new
    from cancelgen.project.write import make_plan, unified_diff, write_plan

    new = new_worker_files(spec, project)
    for notice in new.notices:
        _notice(notice)
    plan = make_plan(project.root, new.files, force=force, skip_existing=skip_existing)
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
    import_root = project.unimportable_root(
        spec.package_dir, spec.package_import, spec.tests_dir
    )
    records = records_for_new(project, new.units, plan, spec.tests_dir, import_root)
    records.update(answer_files.record_writes(_recorded(spec), name))
    write_plan(plan.joined(make_plan(project.root, records, force=True)))
    echo_written(plan)
    _import_path_notice(project, spec, plan, import_root)


def _import_path_notice(project: Any, spec: Any, plan: Any, missing: Any) -> None:
    """Say how the generated tests find the worker, when pytest alone would not."""
    from cancelgen.project.detect import conftest_path
    from cancelgen.project.units import recorded_import_root

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
            f"{spec.module_import}, add {project.pythonpath_setting(missing)}"
        )


STATUS = {
    "create": "created",
    "overwrite": "overwrote",
    "unchanged": "unchanged",
    "skip": "skipped",
}
"""How each status of a plan's file reads (``new`` and ``new test``)."""


def echo_written(plan: Any) -> None:
    """Say what became of each file of ``plan``, once written."""
    for item in plan.files:
        typer.echo(f"{STATUS[item.status]:<10} {item.path}")


def _summary(plan: Any, prefix: str = "") -> str:
    counts: dict[str, int] = {}
    for item in plan.files:
        counts[STATUS[item.status]] = counts.get(STATUS[item.status], 0) + 1
    return ", ".join(f"{count} {prefix}{status}" for status, count in counts.items())


def _summary_lines(plan: Any) -> str:
    lines = ["cancelgen will write:"]
    lines += [f"  {STATUS[item.status]:<10} {item.path}" for item in plan.files]
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


def _check_fit(
    values: dict[str, Any],
    flags: dict[str, Any],
    given: dict[str, Any],
    settings: Mapping[str, Any],
) -> None:
    """Refuse a test style the backend does not offer, saying where each came from."""
    from cancelgen.core.catalog import BACKENDS, TEST_STYLES

    backend, style = values.get("backend"), values.get("test_style")
    offered = BACKENDS[backend].test_styles if backend in BACKENDS else None
    if offered is None or style not in TEST_STYLES or style in offered:
        return  # WorkerSpec words any other problem (an unknown name, say)

    def origin(key: str) -> str:
        dashed = key.replace("_", "-")
        if key in flags:
            return f"--{dashed}"
        if key in given:
            return "the answers"
        if key in settings:
            return f"[tool.cancelgen] {dashed}"
        return "detected"

    raise UsageError(
        f"test style {style!r} ({origin('test_style')}) does not fit the {backend} "
        f"backend ({origin('backend')}); choose --test-style from: {', '.join(offered)}"
    )


def _notice(message: str) -> None:
    typer.echo(f"cancelgen: {message}", err=True)
