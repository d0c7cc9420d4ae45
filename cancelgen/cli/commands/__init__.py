"""The behaviour of each ``cancelgen`` command, one module per command.

Each module holds a command's Typer function, ``command`` (``docs`` holds two:
``snippet_command`` and ``gallery_command``): its annotated parameters are
the command's options, its docstring is the ``--help`` text; ``completion``
completes option values. :mod:`cancelgen.cli.app` registers the commands. They
parse and prompt, and leave rendering and writing to the core (spec, render,
format, write), which never imports this package (``tests/test_layout.py``).

A new command: a module here with ``command``, and one line in ``app.py``. A
new option: a parameter of ``command``, with a plain type (see
:mod:`cancelgen.cli.typer_hook`).
"""
