"""The copier side: cancelgen inside copier templates.

``extension`` is the Jinja extension a copier template lists in
``_jinja_extensions`` (its ``cancelgen_worker``/``cancelgen_tests`` globals
render workers); ``template_repo`` keeps the local, versioned copy of
cancelgen's own copier template that ``cancelgen init`` and ``update`` use.

May import: :mod:`cancelgen`, :mod:`cancelgen.errors`, :mod:`cancelgen.core`,
:mod:`cancelgen.project` and its own modules; never the docs outputs or the
CLI (``tests/test_layout.py``). This file imports nothing (copier and Jinja
load only when used). Absolute imports keep ``import copier`` meaning the
copier library, not this package.
"""
