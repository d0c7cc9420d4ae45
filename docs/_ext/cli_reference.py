"""Sphinx extension: ``.. cli-reference:: module:attribute`` documents a Typer app.

The reference is built from the app itself, so it can never drift from
``--help``: ``typer.main.get_command`` turns the app into its click command
tree, and each command gets a section with its usage line, its help text,
its arguments and options (with the same help records ``--help`` prints),
and links to its subcommands. Each section has a label, ``cli-`` followed by
the command path with dashes (``cli-cancelgen-new-worker``), for ``:ref:``.

Typer vendors click (``typer._click``), so sphinx-click, which checks for
click's own ``Command`` class, does not recognise its commands; the click
API used here (contexts, ``get_usage``, ``get_help_record``,
``list_commands``) is the same in both.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import typer
import typer.main
from docutils import nodes  # type: ignore[import-untyped]
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

_VERBATIM = "\b"
"""click's marker: the paragraph it starts is printed as written, not rewrapped."""


def load_app(target: str) -> Any:
    """The object named by ``module:attribute``; a Typer app becomes its click command."""
    module_name, _, attribute = target.partition(":")
    if not attribute:
        raise ValueError(f"expected module:attribute, got {target!r}")
    found = getattr(importlib.import_module(module_name), attribute)
    return typer.main.get_command(found) if isinstance(found, typer.Typer) else found


def walk(command: Any, name: str, parent: Any = None) -> Iterator[tuple[Any, Any]]:
    """``(command, context)`` for ``command`` and every visible subcommand, depth first.

    Each context carries the command's own ``context_settings`` (``-h``
    among the help options, for instance), as when the command runs.
    """
    ctx = command.context_class(
        command, info_name=name, parent=parent, **command.context_settings
    )
    yield command, ctx
    for sub_name in getattr(command, "list_commands", lambda ctx: [])(ctx):
        sub = command.get_command(ctx, sub_name)
        if sub is not None and not sub.hidden:
            yield from walk(sub, sub_name, ctx)


def label(ctx: Any) -> str:
    """The ``:ref:`` label of a command's section: ``cli-cancelgen-new-worker``."""
    return "cli-" + "-".join(ctx.command_path.split())


def help_records(command: Any, ctx: Any) -> tuple[list[Any], list[Any]]:
    """The (arguments, options) help records ``--help`` prints, in its order."""
    arguments: list[Any] = []
    options: list[Any] = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is not None:
            (arguments if param.param_type_name == "argument" else options).append(
                record
            )
    return arguments, options


def _inline(text: str) -> list[Any]:
    """Plain text, with `backquoted` words as literals (as our help texts write code)."""
    parts = re.split(r"`([^`]+)`", text)
    return [
        nodes.literal(part, part) if index % 2 else nodes.Text(part)
        for index, part in enumerate(parts)
        if part
    ]


def _help_nodes(text: str) -> list[Any]:
    """click's help paragraphs: rewrapped prose, or verbatim after ``\\b``."""
    result: list[Any] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if block.startswith(_VERBATIM):
            verbatim = block[len(_VERBATIM) :].strip("\n")
            result.append(nodes.literal_block(verbatim, verbatim, language="text"))
        else:
            paragraph = nodes.paragraph()
            paragraph.extend(_inline(" ".join(block.split())))
            result.append(paragraph)
    return result


def _records_nodes(title: str, records: list[Any]) -> list[Any]:
    if not records:
        return []
    rubric = nodes.rubric(title, title)
    terms = nodes.definition_list(classes=["cli-options"])
    for declaration, help_text in records:
        item = nodes.definition_list_item()
        item += nodes.term("", "", nodes.literal(declaration, declaration))
        definition = nodes.definition()
        definition.extend(_help_nodes(help_text or ""))
        item += definition
        terms += item
    return [rubric, terms]


class CliReference(SphinxDirective):
    """``.. cli-reference:: cancelgen.cli:app`` with ``:prog:`` (the program name)."""

    required_arguments = 1
    option_spec = {"prog": lambda value: value.strip()}  # noqa: RUF012

    def run(self) -> list[Any]:
        """One section per command: usage, help, arguments, options, subcommands."""
        try:
            root = load_app(self.arguments[0])
        except (ImportError, AttributeError, ValueError) as error:
            raise self.error(f"cli-reference: {error}") from error
        prog = self.options.get("prog") or root.name
        return [self._section(command, ctx) for command, ctx in walk(root, prog)]

    def _section(self, command: Any, ctx: Any) -> Any:
        path = ctx.command_path
        section = nodes.section(ids=[label(ctx)], names=[label(ctx)])
        section += nodes.title(path, "", nodes.literal(path, path))
        self.state.document.note_explicit_target(section)
        usage = command.get_usage(ctx)
        section += nodes.literal_block(usage, usage, language="text")
        section.extend(_help_nodes(command.help or ""))
        arguments, options = help_records(command, ctx)
        section.extend(_records_nodes("Arguments", arguments))
        section.extend(_records_nodes("Options", options))
        subcommands = [
            (name, command.get_command(ctx, name))
            for name in getattr(command, "list_commands", lambda ctx: [])(ctx)
        ]
        visible = [(name, sub) for name, sub in subcommands if sub and not sub.hidden]
        if visible:
            section += nodes.rubric("Commands", "Commands")
            items = nodes.bullet_list()
            for name, sub in visible:
                target = f"{label(ctx)}-{name}"
                reference = nodes.reference("", "", internal=True, refid=target)
                reference += nodes.literal(f"{path} {name}", f"{path} {name}")
                paragraph = nodes.paragraph("", "", reference)
                paragraph += nodes.Text(": ")
                paragraph.extend(_inline(sub.get_short_help_str(limit=200)))
                items += nodes.list_item("", paragraph)
            section += items
        if command.epilog:
            section.extend(_help_nodes(command.epilog))
        return section


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``cli-reference`` directive."""
    app.add_directive("cli-reference", CliReference)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
