"""The catalog and the templates agree: adding a pattern or resource is one entry
plus its fragment, and nothing cites a rule we do not explain."""

from __future__ import annotations

import re
from dataclasses import fields, replace

from cancelgen.catalog import (
    BACKENDS,
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    RULES,
    Idiom,
    backends_of,
)
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


def test_every_pattern_and_resource_has_an_idiom_for_every_backend() -> None:
    """The backend column: one cell per backend in every entry, each with its rules."""
    for entry in [*PATTERNS.values(), *RESOURCES.values()]:
        assert backends_of(entry) == tuple(BACKENDS), entry.name
        for backend in BACKENDS:
            idiom = entry.idiom(backend)
            assert idiom.code.strip(), (entry.name, backend)
            assert idiom.rules and set(idiom.rules) <= set(RULES), (entry.name, backend)


def test_an_idiom_without_its_own_rules_or_mistake_keeps_the_entry_s() -> None:
    asyncio_shield = PATTERNS["shield"].idiom("asyncio")
    assert asyncio_shield.rules == PATTERNS["shield"].rules
    assert asyncio_shield.mistake == PATTERNS["shield"].mistake


def test_idioms_of_a_backend_not_yet_listed_are_not_advertised() -> None:
    """``backends_of`` lists only backends of ``BACKENDS``, in its order."""
    extra = replace(
        PATTERNS["cleanup"], idioms={"later": Idiom("x"), **PATTERNS["cleanup"].idioms}
    )
    assert backends_of(extra) == tuple(BACKENDS)
