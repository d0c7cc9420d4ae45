"""The MkDocs fence at the import path users' ``mkdocs.yml`` names.

Kept for users' configs (``format: !!python/name:cancelgen.mkdocs.fence_format``):
the fence lives in :mod:`cancelgen.docs.mkdocs`.
"""

from cancelgen.docs.mkdocs import (
    KEYS,
    Fence,
    fence_error,
    fence_format,
    fence_html,
    fence_markdown,
    parse_fence,
)

__all__ = [
    "KEYS",
    "Fence",
    "fence_error",
    "fence_format",
    "fence_html",
    "fence_markdown",
    "parse_fence",
]
