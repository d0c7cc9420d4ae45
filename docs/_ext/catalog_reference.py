"""Sphinx extension: the rules and patterns reference, generated from the catalog.

``.. cancelgen-rules::`` writes one section per rule of ``cancelgen.core.catalog.RULES``:
its wording, the patterns and resources that follow it, and its sources
(``cancelgen.docs.rule_sources``). ``.. cancelgen-patterns::`` writes one section per
pattern (summary, what it is for from ``cancelgen.docs.explain``, its rules, the
mistake it avoids, its settings, a link to its gallery page with the generated
code and tests) and the table of resources. ``.. cancelgen-backends::`` writes
the catalog's backend column: per pattern and resource, how each backend's code
does it. Labels: ``rule-r1``, ``pattern-cleanup``, ``resource-lock``. On the
gallery pages, each rule id is linked to its section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from docutils import nodes  # type: ignore[import-untyped]
from docutils.statemachine import StringList  # type: ignore[import-untyped]
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

from cancelgen.core import catalog
from cancelgen.core.catalog import (
    BACKENDS,
    PATTERNS,
    RESOURCES,
    RULES,
    Pattern,
    Resource,
    backends_of,
)
from cancelgen.docs import explain
from cancelgen.docs import rule_sources as sources
from cancelgen.docs.explain import PURPOSE
from cancelgen.docs.rule_sources import SOURCES
from cancelgen.docs.snippets import rst_inline as rst


def rule_ref(rule: str) -> str:
    return f":ref:`{rule} <rule-{rule.lower()}>`"


def heading(title: str, underline: str) -> list[str]:
    return [title, underline * len(title), ""]


def rules_lines() -> list[str]:
    """Every rule: wording, who follows it, sources."""
    lines: list[str] = []
    for rule, text in RULES.items():
        lines += [f".. _rule-{rule.lower()}:", ""]
        lines += heading(rule, "-")
        lines += [rst(text), ""]
        patterns = [p for p in PATTERNS.values() if _follows(p, rule)]
        resources = [r for r in RESOURCES.values() if _follows(r, rule)]
        if patterns:
            names = ", ".join(f":ref:`{p.name} <pattern-{p.name}>`" for p in patterns)
            lines += [f"Patterns that follow it: {names}.", ""]
        if resources:
            names = ", ".join(f":ref:`{r.name} <resource-{r.name}>`" for r in resources)
            lines += [f"Resources that follow it: {names}.", ""]
        lines += ["Sources:", ""]
        lines += [f"- `{source.title} <{source.url}>`__" for source in SOURCES[rule]]
        lines.append("")
    return lines


def _follows(entry: catalog.Pattern | catalog.Resource, rule: str) -> bool:
    """Whether some backend's code of ``entry`` follows ``rule``."""
    return any(rule in entry.idiom(backend).rules for backend in backends_of(entry))


def backends_lines() -> list[str]:
    """The backend column: a table of each pattern's and resource's idiom per backend."""
    lines = [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: auto",
        "",
        "   * - ",
        *(f"     - ``{backend}``" for backend in BACKENDS),
    ]
    entries: list[tuple[str, Pattern | Resource]] = [
        *((f":ref:`{n} <pattern-{n}>`", p) for n, p in PATTERNS.items()),
        *((f":ref:`{n} <resource-{n}>`", r) for n, r in RESOURCES.items()),
    ]
    for label, entry in entries:
        lines.append(f"   * - {label}")
        for backend in BACKENDS:
            idiom = entry.idiom(backend) if backend in entry.idioms else None
            lines.append(f"     - {rst(idiom.code) if idiom else '-'}")
    lines.append("")
    items = []
    for name, pattern in PATTERNS.items():
        told: dict[str, list[str]] = {}  # one item per different text
        for backend in backends_of(pattern):
            if pattern.idioms[backend].instead:
                told.setdefault(pattern.idioms[backend].instead, []).append(backend)
        for text, backends in told.items():
            items += [f"- **{name}** in {', '.join(backends)}: {rst(text)}"]
    if items:
        lines += ["Where a backend does otherwise than asyncio's shape, and why:", ""]
    return [*lines, *items, ""]


def patterns_lines() -> list[str]:
    """Every pattern, then the resources table."""
    lines: list[str] = []
    for name, pattern in PATTERNS.items():
        lines += [f".. _pattern-{name}:", ""]
        lines += heading(name, "-")
        lines += [f"**{rst(pattern.summary)}.**", "", rst(PURPOSE[name]), ""]
        lines += ["Rules: " + ", ".join(rule_ref(rule) for rule in pattern.rules), ""]
        if pattern.mistake:
            lines += [f"The common mistake it avoids: {rst(pattern.mistake)}", ""]
        if pattern.parameters:
            options = ", ".join(
                f"``--{parameter.replace('_', '-')}``"
                for parameter in pattern.parameters
            )
            lines += [
                f"Settings: {options} (see :ref:`cli-cancelgen-new-worker`).",
                "",
            ]
        lines += [
            f"Generated code, demo and tests: :doc:`the {name} gallery page "
            f"</gallery/{name}>`; in a terminal, "
            f"``cancelgen explain {name}`` and ``cancelgen new worker -p {name} --stdout``.",
            "",
        ]
    lines += [".. _resources:", ""]
    lines += heading("Resources", "-")
    lines += [
        "Choose them with ``-r/--resource``. Each is acquired through an async "
        "context manager that releases it however the worker ends; with "
        "``exit-stack`` they are entered on an ``AsyncExitStack``.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "",
        "   * - resource",
        "     - what the worker does with it",
        "     - rules",
    ]
    for name, resource in RESOURCES.items():
        lines += [
            f"   * - .. _resource-{name}:",
            "",
            f"       ``{name}``",
            f"     - {rst(resource.summary)}",
            "     - " + ", ".join(rule_ref(rule) for rule in resource.rules),
        ]
    lines.append("")
    return lines


class _Generated(SphinxDirective):
    """Parses generated reStructuredText, sections included, in place."""

    has_content = False

    def lines(self) -> Iterable[str]:
        raise NotImplementedError

    def run(self) -> list[Any]:
        for module in (catalog, explain, sources):
            self.env.note_dependency(str(module.__file__))
        container = nodes.section()  # a throwaway parent: its children are returned
        content = StringList(list(self.lines()), source=self.get_source_info()[0])
        nested_parse_with_titles(self.state, content, container)
        return list(container.children)


class RulesDirective(_Generated):
    """``.. cancelgen-rules::``: every rule of the catalog, with its sources."""

    def lines(self) -> Iterable[str]:
        return rules_lines()


class PatternsDirective(_Generated):
    """``.. cancelgen-patterns::``: every pattern, then the resources."""

    def lines(self) -> Iterable[str]:
        return patterns_lines()


class BackendsDirective(_Generated):
    """``.. cancelgen-backends::``: each pattern's and resource's idiom per backend."""

    def lines(self) -> Iterable[str]:
        return backends_lines()


class GalleryRuleLinks(SphinxTransform):
    """Links the rule ids of the gallery pages (``- R10: ...`` items) to the rules page.

    The gallery is written by ``cancelgen gallery``, for any site; only on this
    one is there a rules page to link to, so the links are added here.
    """

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        if not self.env.docname.startswith("gallery/"):
            return
        for text in list(self.document.findall(nodes.Text)):
            paragraph = text.parent
            found = re.match(r"(R\d+)(: .*)", str(text), re.DOTALL)
            if (
                found is None
                or found.group(1) not in RULES
                or not isinstance(paragraph, nodes.paragraph)
                or not isinstance(paragraph.parent, nodes.list_item)
                or paragraph.index(text) != 0
            ):
                continue
            rule = found.group(1)
            reference = addnodes.pending_xref(
                "",
                nodes.inline(rule, rule),
                refdomain="std",
                reftype="ref",
                reftarget=f"rule-{rule.lower()}",
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
            paragraph.replace(text, [reference, nodes.Text(found.group(2))])


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directives and the gallery's rule links."""
    app.add_directive("cancelgen-rules", RulesDirective)
    app.add_directive("cancelgen-patterns", PatternsDirective)
    app.add_directive("cancelgen-backends", BackendsDirective)
    app.add_transform(GalleryRuleLinks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
