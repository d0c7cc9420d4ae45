"""The docs outputs: cancelgen's code shown in documentation.

``snippets`` renders a pattern's worker, demo and tests as text (``cancelgen
snippet``, the gallery); ``explain`` says what a pattern is for; ``sphinx`` (a
Sphinx directive) and ``mkdocs`` (a ``pymdownx.superfences`` fence) put
snippets into a site at build time; ``rule_sources`` names the primary
documentation behind each rule.

May import: :mod:`cancelgen`, :mod:`cancelgen.errors`, :mod:`cancelgen.core`,
:mod:`cancelgen.project` and its own modules; never the copier side or the
CLI (``tests/test_layout.py``). This file imports nothing: Sphinx, MkDocs and
Markdown are imported only by the module that needs them.
"""
