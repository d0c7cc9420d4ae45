"""The catalog and the templates agree: adding a pattern or resource is one entry
plus its fragment, and nothing cites a rule we do not explain."""

from __future__ import annotations

import re
from dataclasses import fields

from cancelgen.catalog import BACKENDS, DEFAULT_PATTERNS, PATTERNS, RESOURCES, RULES
from cancelgen.render import is_templates_folder, templates_dir
from cancelgen.spec import WorkerSpec


def test_every_pattern_and_resource_has_its_fragment_in_every_backend() -> None:
    for backend in BACKENDS:
        folder = templates_dir() / backend
        assert (folder / "_backend.py.jinja").is_file()
        for name in PATTERNS:
            assert (folder / "patterns" / f"{name}.py.jinja").is_file()
        for name in RESOURCES:
            assert (folder / "resources" / f"{name}.py.jinja").is_file()
    assert is_templates_folder(templates_dir())


def test_every_rule_cited_is_explained() -> None:
    cited = set()
    for template in templates_dir().rglob("*.jinja"):
        cited |= set(re.findall(r"\bR\d+\b", template.read_text()))
    for entry in [*PATTERNS.values(), *RESOURCES.values()]:
        cited |= set(entry.rules)
    assert cited
    assert cited <= set(RULES), sorted(cited - set(RULES))


def test_pattern_parameters_are_spec_fields() -> None:
    names = {f.name for f in fields(WorkerSpec)}
    for pattern in PATTERNS.values():
        assert set(pattern.parameters) <= names, pattern.name


def test_every_pattern_states_its_common_mistake() -> None:
    for pattern in PATTERNS.values():
        assert pattern.mistake and pattern.summary


def test_defaults_are_known_patterns() -> None:
    assert set(DEFAULT_PATTERNS) <= set(PATTERNS)
