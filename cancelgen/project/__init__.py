"""The user's project: what is there, what cancelgen wrote, and writing to it.

``detect`` finds the project (root, package, tests folder, test style,
``[tool.cancelgen]`` and ``[tool.black]``); ``answers`` keeps the last run's
answers; ``write`` plans and writes files (atomically, all or nothing);
``records`` and ``units`` keep what each generated unit (a worker, the
support module...) was rendered from; ``upgrade``, ``adopt`` and ``merge``
bring a project to a newer cancelgen; ``user_text`` reads the user's files.

May import: :mod:`cancelgen`, :mod:`cancelgen.errors`, :mod:`cancelgen.core`
and its own modules; never the docs, the copier side or the CLI
(``tests/test_layout.py``). This file imports nothing.
"""
