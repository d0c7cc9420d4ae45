"""Sphinx extension: ``.. cancelgen:: PATTERN [PATTERN...]`` renders a snippet at build time.

Add ``"cancelgen.sphinx"`` to ``extensions`` in ``conf.py``, then write::

    .. cancelgen:: shield timeout
       :resources: lock, queue
       :backend: anyio
       :with-tests:
       :explain:

The directive inserts what ``cancelgen snippet shield timeout -r lock -r queue
--backend anyio --format rst --with-tests --explain`` prints (``:backend:``
defaults to asyncio), rendered from the installed
templates, so the docs show exactly the code ``cancelgen new`` generates.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes  # type: ignore[import-untyped]
from docutils.parsers.rst import directives  # type: ignore[import-untyped]
from docutils.statemachine import StringList  # type: ignore[import-untyped]
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import cancelgen
from cancelgen.core.catalog import DEFAULT_BACKEND
from cancelgen.core.render import templates_dir
from cancelgen.docs.snippets import snippet
from cancelgen.errors import CancelgenError


class CancelgenDirective(SphinxDirective):
    """``.. cancelgen:: PATTERN...`` with ``:resources:``, ``:backend:``,
    ``:with-tests:``, ``:explain:``."""

    required_arguments = 1
    optional_arguments = 100
    final_argument_whitespace = False
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "resources": directives.unchanged,
        "backend": directives.unchanged_required,
        "with-tests": directives.flag,
        "explain": directives.flag,
    }

    def run(self) -> list[Any]:
        """Render the snippet as reStructuredText and parse it in place."""
        resources = self.options.get("resources", "") or ""
        try:
            text = snippet(
                self.arguments,
                resources.replace(",", " ").split(),
                fmt="rst",
                with_tests="with-tests" in self.options,
                explain="explain" in self.options,
                backend=self.options.get("backend", DEFAULT_BACKEND),
            )
        except CancelgenError as error:
            raise self.error(f"cancelgen: {error.message}") from error
        # Rebuild this page when a template changes (an incremental build
        # would otherwise keep showing the old code).
        for template in _templates():
            self.env.note_dependency(str(template))
        container = nodes.container(classes=["cancelgen-snippet"])
        self.state.nested_parse(
            StringList(text.splitlines(), source=self.get_source_info()[0]),
            self.content_offset,
            container,
        )
        return [container]


def _templates() -> list[Path]:
    """The template files a snippet is rendered from (not the copier project's)."""
    folder = templates_dir()
    return sorted(
        path for path in folder.rglob("*.jinja") if "project" not in path.parts
    )


def _templates_version() -> int:
    """A number that changes with the templates, so a new cancelgen (or an edited
    template) makes Sphinx re-read every page instead of reusing its cache."""
    digest = hashlib.sha256(cancelgen.__version__.encode())
    for path in _templates():
        digest.update(path.read_bytes())
    return int(digest.hexdigest()[:12], 16)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``cancelgen`` directive."""
    app.add_directive("cancelgen", CancelgenDirective)
    return {
        "version": cancelgen.__version__,
        "env_version": _templates_version(),
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
