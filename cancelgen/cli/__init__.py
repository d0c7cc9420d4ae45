"""The command line, the top layer: the ``cancelgen`` Typer app and its commands.

``app`` (the Typer app and its wiring, :mod:`cancelgen.cli.app`) registers one
module per command (:mod:`cancelgen.cli.commands`); ``prompts`` asks on a
terminal; ``typer_hook`` converts parameters without pydantic. The console
script ``cancelgen = "cancelgen.cli:main"`` and ``python -m cancelgen`` run
:func:`main`.

May import every other group (:mod:`cancelgen.core`, :mod:`cancelgen.project`,
:mod:`cancelgen.docs`, :mod:`cancelgen.copier`) and Typer; nothing below it
imports it (``tests/test_layout.py``). Start-up stays fast: what a command
needs beyond the catalog is imported inside the command (see :mod:`cancelgen.cli.app`).
"""

from cancelgen.cli.app import app, main

__all__ = ["app", "main"]
