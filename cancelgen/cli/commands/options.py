"""Options that several commands share: the answer flags of ``new`` and ``upgrade``.

Each is an ``Annotated`` type to put on a command's parameter, so both
commands parse (and document) a flag the same way; :func:`answer_flags`
gathers their values for :func:`cancelgen.project.answers.flag_answers`.
"""

# No `from __future__ import annotations`: typer evaluates these annotations.

from typing import Annotated, Any

import typer

from cancelgen.cli.commands.completion import complete
from cancelgen.core.catalog import (
    BACKENDS,
    DEFAULT_BACKEND,
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    TEST_STYLES,
    TIMEOUT_STYLES,
)

PATTERN_HELP = (
    f"Cancellation pattern (repeat): {', '.join(PATTERNS)}. "
    f"Default: {', '.join(DEFAULT_PATTERNS)}."
)
RESOURCE_HELP = f"Resource the worker holds (repeat): {', '.join(RESOURCES)}."

Backend = Annotated[
    str | None,
    typer.Option(
        help=f"The library the code is written for: {', '.join(BACKENDS)} "
        f"(default: detected from the project's dependencies, else "
        f"{DEFAULT_BACKEND}).",
        metavar="BACKEND",
        autocompletion=complete(BACKENDS),
        show_default=False,
    ),
]
Patterns = Annotated[
    list[str] | None,
    typer.Option(
        "--pattern",
        "-p",
        metavar="PATTERN",
        help=PATTERN_HELP,
        autocompletion=complete(PATTERNS),
        show_default=False,
    ),
]
Resources = Annotated[
    list[str] | None,
    typer.Option(
        "--resource",
        "-r",
        metavar="RESOURCE",
        help=RESOURCE_HELP,
        autocompletion=complete(RESOURCES),
        show_default=False,
    ),
]
Timeout = Annotated[
    float | None,
    typer.Option(
        help="Seconds for the timeout pattern (default 10).",
        metavar="SECONDS",
        show_default=False,
    ),
]
TimeoutStyle = Annotated[
    str | None,
    typer.Option(
        help=f"{' or '.join(TIMEOUT_STYLES)} (default timeout).",
        metavar="STYLE",
        autocompletion=complete(TIMEOUT_STYLES),
        show_default=False,
    ),
]
CleanupTimeout = Annotated[
    float | None,
    typer.Option(
        help="Seconds cleanup may take (default 5).",
        metavar="SECONDS",
        show_default=False,
    ),
]
CommitTimeout = Annotated[
    float | None,
    typer.Option(
        help="Seconds the shielded commit may take (default 5).",
        metavar="SECONDS",
        show_default=False,
    ),
]
CheckpointEvery = Annotated[
    int | None,
    typer.Option(
        help="Iterations between checkpoints (default 1000).",
        metavar="N",
        show_default=False,
    ),
]
Children = Annotated[
    int | None,
    typer.Option(
        help="Child tasks of the task group (default 3).",
        metavar="N",
        show_default=False,
    ),
]
TestStyle = Annotated[
    str | None,
    typer.Option(
        help="How the generated tests run, by backend: "
        + "; ".join(f"{b.name}: {', '.join(b.test_styles)}" for b in BACKENDS.values())
        + " (default: detected from the project).",
        metavar="STYLE",
        autocompletion=complete(TEST_STYLES),
        show_default=False,
    ),
]
SupportModule = Annotated[
    bool | None,
    typer.Option(
        "--support-module/--single-file",
        help="Import the cancellation helpers from one module the package's "
        "workers share (_cancellation_<backend>.py, replaced by 'cancelgen "
        "upgrade'), or (--single-file) keep everything in the worker's two "
        "files: its helpers in its module, the test harness and the sweep's "
        "engine in its test module. Default: the helpers in the worker module, "
        "the tests' engine in the tests folder's _cancelgen_<backend>.py.",
        show_default=False,
    ),
]
NoResources = Annotated[
    bool,
    typer.Option(
        "--no-resources",
        help="The worker holds no resources (skips that question).",
    ),
]
TestsDir = Annotated[
    str | None,
    typer.Option(
        help="Folder of the test module (default: tests).",
        metavar="DIR",
        show_default=False,
    ),
]
Force = Annotated[bool, typer.Option("--force", help="Overwrite existing files.")]
SkipExisting = Annotated[
    bool,
    typer.Option("--skip-existing", help="Write only files that do not exist yet."),
]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run", help="Print a unified diff of the changes; write nothing."
    ),
]
Yes = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Write without asking to confirm."),
]
AllowPythonFloor = Annotated[
    bool,
    typer.Option(
        "--allow-python-floor",
        help="Write into a project whose requires-python admits Pythons older "
        "than the 3.11 the generated code needs (refused otherwise; asked on a "
        "terminal). Also [tool.cancelgen] allow-python-floor = true.",
    ),
]


def check_python_floor(project: Any, flag: bool, *, ask: bool) -> None:
    """Refuse (or, if ``ask``, ask about) a project floor below what the code
    needs, unless ``flag`` or ``[tool.cancelgen]`` accepts it; see
    :mod:`cancelgen.project.floor`."""
    from cancelgen.project.floor import CONFIG_KEY, FLAG, check_floor

    allowed = FLAG if flag else ""
    if not allowed and project.allow_python_floor:
        allowed = f"{CONFIG_KEY} in [tool.cancelgen]"

    def question(text: str) -> bool:
        from cancelgen.cli import prompts

        return prompts.confirm(text, "Generate it anyway?", default=False)

    check_floor(
        project.declared_floor,
        allowed=allowed,
        ask=question if ask else None,
        notice=lambda message: typer.echo(f"cancelgen: {message}", err=True),
    )


def note_ruff_pin(project: Any) -> None:
    """Say so when the project pins another ruff than the one cancelgen runs
    (see :meth:`cancelgen.project.tools.Tools.ruff_mismatch`)."""
    if project.tools.ruff_pin is None:
        return  # nothing to compare: format_ruff is not imported
    from cancelgen.core.format_ruff import RUFF_ENV, bundled_version

    mismatch = project.tools.ruff_mismatch(bundled_version())
    if mismatch:
        pinned = project.tools.ruff_pin[0]
        typer.echo(
            f"cancelgen: {mismatch}: set {RUFF_ENV}=/path/to/ruff (a ruff "
            f"{pinned}, such as your virtual environment's) to run yours",
            err=True,
        )


def answer_flags(
    backend: str | None,
    patterns: list[str] | None,
    resources: list[str] | None,
    timeout: float | None,
    timeout_style: str | None,
    cleanup_timeout: float | None,
    commit_timeout: float | None,
    checkpoint_every: int | None,
    children: int | None,
    test_style: str | None,
    support_module: bool | None,
) -> dict[str, Any]:
    """The answer flags' values by ``WorkerSpec`` field (None: not given)."""
    return {
        "backend": backend,
        "patterns": patterns,
        "resources": resources,
        "timeout": timeout,
        "timeout_style": timeout_style,
        "cleanup_timeout": cleanup_timeout,
        "commit_timeout": commit_timeout,
        "checkpoint_every": checkpoint_every,
        "children": children,
        "test_style": test_style,
        "support_module": support_module,
        # --single-file: the test module carries its engine too.
        "shared_tests": False if support_module is False else None,
    }


Formatter = Annotated[
    str | None,
    typer.Option(
        help="Format with black or ruff (default: the project's formatter, "
        "detected; see the 'Fitting your project' docs).",
        metavar="FORMATTER",
        autocompletion=complete(("black", "ruff")),
        show_default=False,
    ),
]
