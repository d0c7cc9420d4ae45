"""The generator core, the bottom layer: answers in, black-formatted source out.

``catalog`` (the patterns, resources, backends and rules, at the very bottom)
-> ``spec`` (``WorkerSpec``: validated answers) -> ``render`` (Jinja over
``templates/``; ``support_module`` links a worker to its package's shared
support module) -> ``format`` (black) and its ``cache``.

May import: :mod:`cancelgen` (the version) and :mod:`cancelgen.errors`, and its
own modules; never the project side, the docs, the copier side or the CLI
(``tests/test_layout.py``). This file imports nothing, so importing
``cancelgen.core.catalog`` stays as cheap as before.
"""
