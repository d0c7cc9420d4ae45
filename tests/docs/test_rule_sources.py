"""Every rule the catalog states names where it comes from."""

from __future__ import annotations

from urllib.parse import urlsplit

from cancelgen.core.catalog import RULES
from cancelgen.docs.rule_sources import SOURCES


def test_every_rule_has_sources_and_no_source_names_an_unknown_rule() -> None:
    assert set(SOURCES) == set(RULES)
    assert all(SOURCES[rule] for rule in RULES)


def test_sources_are_https_links_with_titles() -> None:
    for rule, sources in SOURCES.items():
        for source in sources:
            parts = urlsplit(source.url)
            assert parts.scheme == "https" and parts.netloc, (rule, source)
            assert source.title.strip(), (rule, source)
        assert len({source.url for source in sources}) == len(sources), rule
