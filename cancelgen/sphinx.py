"""The Sphinx extension at the import path users' ``conf.py`` names.

Kept for users' configs (``extensions = ["cancelgen.sphinx"]``): the
``.. cancelgen::`` directive lives in :mod:`cancelgen.docs.sphinx`.
"""

from cancelgen.docs.sphinx import CancelgenDirective, setup

__all__ = ["CancelgenDirective", "setup"]
