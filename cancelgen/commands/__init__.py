"""The behaviour of each ``cancelgen`` command, one module per command.

Each module holds a command's Typer function, ``command`` (``docs`` holds two:
``snippet_command`` and ``gallery_command``): its annotated parameters are
the command's options, its docstring is the ``--help`` text. ``cancelgen.cli``
registers them; they parse and prompt, and leave rendering and writing to the
core (spec, render, format, write), which never imports this package.
"""
