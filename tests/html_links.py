"""Checks the internal links of a built HTML site (Sphinx's or MkDocs')."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    """The ids a page defines and the links it makes."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(str(values[key]))
        attribute = {"a": "href", "link": "href", "script": "src", "img": "src"}
        link = values.get(attribute.get(tag, ""))
        if link:
            self.links.append(link)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def internal_links(site: Path) -> dict[Path, list[str]]:
    """``{page: [link, ...]}``: every relative link of every HTML page of ``site``."""
    result = {}
    for path in sorted(site.rglob("*.html")):
        result[path] = [
            link
            for link in _parse(path).links
            if not urlsplit(link).scheme
            and not urlsplit(link).netloc
            and link not in ("", "#")
        ]
    return result


def broken_links(site: Path) -> list[str]:
    """``"page: link (why)"`` for each relative link (and ``#anchor``) that does not resolve."""
    site = site.resolve()
    pages: dict[Path, _Page] = {}
    broken = []
    for path, links in internal_links(site).items():
        for link in links:
            parts = urlsplit(link)
            # A root-relative link ("/assets/...", as a 404 page has) starts at the site.
            base = site if parts.path.startswith("/") else path.parent
            target = (base / unquote(parts.path.lstrip("/"))).resolve()
            if not parts.path:
                target = path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site)}: {link}"
            if not target.is_relative_to(site) or not target.is_file():
                broken.append(f"{where} (no file {target})")
            elif parts.fragment and target.suffix == ".html":
                if target not in pages:
                    pages[target] = _parse(target)
                if unquote(parts.fragment) not in pages[target].ids:
                    broken.append(f"{where} (no id {parts.fragment!r})")
    return broken
