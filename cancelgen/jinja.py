"""The copier Jinja extension at the import path users' ``copier.yml`` names.

Kept for users' configs (``_jinja_extensions: [cancelgen.jinja.CancelgenExtension]``):
the extension lives in :mod:`cancelgen.copier.extension`.
"""

from cancelgen.copier.extension import CancelgenExtension

__all__ = ["CancelgenExtension"]
