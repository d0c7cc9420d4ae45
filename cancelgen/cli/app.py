"""The ``cancelgen`` command line: the Typer app and its wiring, nothing more.

Each command's options and behaviour live in its module of
:mod:`cancelgen.cli.commands`; this module registers them (the end of the file),
and maps errors for all of them: every user error is a ``CancelgenError``,
caught once (in ``CancelgenGroup``) and printed as one line on stderr with exit
code 2 (usage) or 1 (anything else). The commands parse and prompt; the core
(spec -> render -> format -> write) never imports the CLI.

Start-up stays fast: black and Jinja are imported only when ``new`` renders,
questionary only on a terminal, rich only by ``explain`` and ``patterns``,
copier only by ``init`` and ``update``, and pydantic never (see
:mod:`cancelgen.cli.typer_hook`).
"""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from cancelgen import __version__
from cancelgen.cli.commands import (
    docs,
    explain,
    init,
    new,
    patterns,
    status,
    update,
    upgrade,
)
from cancelgen.cli.typer_hook import (
    ClickUsageError,
    NoArgsIsHelpError,
    use_plain_coercion,
)
from cancelgen.errors import CancelgenError

ERROR_PREFIX = "cancelgen: error: "


def _fail(message: str, exit_code: int) -> typer.Exit:
    typer.echo(ERROR_PREFIX + " ".join(message.split()), err=True)
    return typer.Exit(exit_code)


class CancelgenCommand(TyperCommand):
    """A command whose parameters are converted without pydantic (see ``typer_hook``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_plain_coercion(self)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        """Parse the arguments; a usage error points to this command's ``--help``."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except ClickUsageError as error:
            if error.ctx is None:  # click's parser raises some without a context
                prefix = f"{parent.command_path} " if parent is not None else ""
                raise _usage(error, f"{prefix}{info_name}") from None
            raise

    def get_help_option(self, ctx: Any) -> Any:
        """The ``--help`` option, also converted without pydantic."""
        option = super().get_help_option(ctx)
        use_plain_coercion(self, option)
        return option


class CancelgenGroup(TyperGroup):
    """The root command: turns every ``CancelgenError`` and usage error into one line."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the top-level arguments; usage errors become one line, exit 2."""
        use_plain_coercion(self)  # typer adds the completion options late
        try:
            return super().make_context(*args, **kwargs)
        except NoArgsIsHelpError:
            raise
        except ClickUsageError as error:
            raise _usage(error) from None

    def get_help_option(self, ctx: Any) -> Any:
        """The ``--help`` option, also converted without pydantic."""
        option = super().get_help_option(ctx)
        use_plain_coercion(self, option)
        return option

    def invoke(self, ctx: Any) -> Any:
        """Run the command; ``CancelgenError`` is printed as one line, never a traceback."""
        try:
            return super().invoke(ctx)
        except CancelgenError as error:
            raise _fail(error.message, error.exit_code) from None
        except NoArgsIsHelpError:
            raise
        except ClickUsageError as error:
            raise _usage(error) from None


class NewGroup(CancelgenGroup):
    """``cancelgen new``: ``cancelgen new NAME ...`` is short for ``cancelgen new worker NAME ...``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """``cancelgen new --replay ...`` is ``cancelgen new worker --replay ...``."""
        if args and args[0].startswith("-") and args[0] not in ctx.help_option_names:
            args = ["worker", *args]
        result: list[str] = super().parse_args(ctx, args)
        return result

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """The named subcommand, or ``worker`` with the first argument as its name."""
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            return "worker", self.commands["worker"], args
        return super().resolve_command(ctx, args)


def _usage(error: ClickUsageError, command: str = "") -> typer.Exit:
    if not command:
        command = error.ctx.command_path if error.ctx is not None else "cancelgen"
    return _fail(f"{error.format_message()} (see '{command} --help')", 2)


app = typer.Typer(
    cls=CancelgenGroup,
    name="cancelgen",
    help="Generate asyncio coroutines that cancel correctly, with tests that prove it.\n\n"
    "Example: cancelgen new worker -p cleanup -p timeout -r lock",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
new_app = typer.Typer(
    cls=NewGroup,
    name="new",
    help="Generate code into the current project.\n\n"
    "'cancelgen new NAME ...' and 'cancelgen new --OPTION ...' are short for "
    "'cancelgen new worker NAME ...' and 'cancelgen new worker --OPTION ...'.\n\n"
    "Examples: cancelgen new worker; cancelgen new sync_orders -p shield",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(new_app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cancelgen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = None,
) -> None:
    """Generate asyncio coroutines that cancel correctly, with tests that prove it.

    \b
    Examples:
      cancelgen new worker                      # ask (terminal) or use defaults
      cancelgen new worker sync -p shield -r connection --dry-run
      cancelgen patterns
      cancelgen explain shield
    """


# The commands (--help lists them in this order, the group `new` last). Each is a
# function of a module of cancelgen.cli.commands: its parameters are the options,
# its docstring is the help.
new_app.command("worker", cls=CancelgenCommand)(new.command)
app.command("patterns", cls=CancelgenCommand)(patterns.command)
app.command("explain", cls=CancelgenCommand)(explain.command)
app.command(
    "snippet",
    cls=CancelgenCommand,
    epilog="Example: cancelgen snippet shield timeout -r lock --format md",
)(docs.snippet_command)
app.command(
    "gallery",
    cls=CancelgenCommand,
    epilog="Example: cancelgen gallery docs/gallery --format rst",
)(docs.gallery_command)
# init and update show their examples in their docstrings.
app.command("init", cls=CancelgenCommand)(init.command)
app.command("update", cls=CancelgenCommand)(update.command)
app.command("status", cls=CancelgenCommand)(status.command)
app.command("upgrade", cls=CancelgenCommand)(upgrade.command)


def main() -> None:
    """Entry point of the ``cancelgen`` console script and ``python -m cancelgen``."""
    app(prog_name="cancelgen")
