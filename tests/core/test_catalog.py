"""The catalog and the templates agree: adding a pattern or resource is one entry
plus its fragment, and nothing cites a rule we do not explain."""

from __future__ import annotations

import re
import shutil
from dataclasses import fields, replace
from pathlib import Path

from cancelgen.core.catalog import (
    BACKENDS,
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    RULES,
    TEST_STYLES,
    Idiom,
    backends_of,
)
from cancelgen.core.render import is_templates_folder, templates_dir
from cancelgen.core.spec import WorkerSpec


def test_every_pattern_and_resource_has_its_fragment_in_every_backend() -> None:
    for backend in BACKENDS.values():
        assert backend.folders[0] == backend.name, "a backend's own folder comes first"
        folders = [templates_dir() / folder for folder in backend.folders]
        assert (folders[0] / "_backend.py.jinja").is_file()
        for kind, names in (("patterns", PATTERNS), ("resources", RESOURCES)):
            for name in names:
                fragment = f"{kind}/{name}.py.jinja"
                assert any(
                    (folder / fragment).is_file() for folder in folders
                ), f"{backend.name} has no {fragment}"
    assert is_templates_folder(templates_dir())


def test_a_backend_without_a_fragment_is_not_a_templates_folder(
    tmp_path: Path,
) -> None:
    """is_templates_folder looks along each backend's folders, not just its own."""
    shutil.copytree(templates_dir(), tmp_path / "templates")
    assert is_templates_folder(tmp_path / "templates")
    (tmp_path / "templates" / "scopes" / "patterns" / "shield.py.jinja").unlink()
    assert not is_templates_folder(tmp_path / "templates")


def test_every_backend_offers_its_default_styles() -> None:
    for backend in BACKENDS.values():
        assert backend.test_styles and set(backend.test_styles) <= set(TEST_STYLES)
        assert "timeout" in backend.timeout_styles
        spec = WorkerSpec.create(backend=backend.name)
        assert spec.test_style == backend.test_styles[0]


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
