"""Sphinx configuration of cancelgen's docs.

Build with one command from the repository root::

    python -m sphinx -W -b html docs docs/_build/html

What is generated, so it cannot drift from the code:

- ``gallery/``: regenerated from the templates on every build (not committed),
  and ``.. cancelgen::`` directives render snippets at build time, so the docs
  always show the code the installed cancelgen generates;
- ``reference/cli``: from the Typer app itself (``_ext/cli_reference.py``);
- ``reference/rules`` and ``reference/patterns``: from the catalog and the
  rules' sources (``_ext/catalog_reference.py``);
- the generated blocks of ``troubleshooting.rst``, ``upgrading.rst``,
  ``snippets.rst`` and ``sweep.rst`` (between ``.. generated: NAME`` and
  ``.. /generated``): tests check each against what cancelgen does now, and
  ``--update-golden`` rewrites it (``testing.rst`` lists which test checks which).

To add a page, see the comment above the toctrees in ``index.rst``.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
# A source checkout builds without installing cancelgen first.
sys.path.insert(0, str(DOCS.parent))
# Our own extensions for this site (the CLI reference, the catalog pages).
sys.path.insert(0, str(DOCS / "_ext"))

import cancelgen  # noqa: E402
from cancelgen.docs.snippets import write_gallery  # noqa: E402

write_gallery(DOCS / "gallery", "rst")

project = "cancelgen"
author = "cancelgen developers"
copyright = "cancelgen developers"
release = version = cancelgen.__version__
extensions = ["cancelgen.sphinx", "cli_reference", "catalog_reference"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = f"cancelgen {release}"
pygments_style = "sphinx"
# Command lines stay as typed: no "--" turned into a dash, no curly quotes.
smartquotes = False
# Every cross-reference must resolve (the suite builds with -W).
nitpicky = True
