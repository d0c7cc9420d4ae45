"""MkDocs support: a ``cancelgen`` fence for ``pymdownx.superfences``.

In ``mkdocs.yml``::

    markdown_extensions:
      - pymdownx.highlight
      - pymdownx.superfences:
          custom_fences:
            - name: cancelgen
              class: cancelgen-snippet
              format: !!python/name:cancelgen.mkdocs.fence_format

then, in any page::

    ```cancelgen
    patterns: shield timeout
    resources: lock
    backend: trio
    tests: true
    ```

renders at build time what ``cancelgen snippet shield timeout -r lock
--backend trio --with-tests`` prints (``backend`` defaults to asyncio): the generated, black-formatted worker and its demo (and,
with ``tests: true``, its test module; with ``explain: true``, what each pattern
does, its rules and the mistake it avoids), through the same
:func:`cancelgen.docs.snippets.snippet` as the Sphinx directive. Code blocks are
highlighted by the page's own highlighter. A bad fence fails the build: MkDocs
names the page, followed by cancelgen's one-line message.

MkDocs and pymdown-extensions are not dependencies of cancelgen: they are
imported only while a fence is rendered, by the site's own MkDocs.
"""

from __future__ import annotations

import contextlib
import html
import importlib
import re
from dataclasses import dataclass
from typing import Any

from cancelgen.core.catalog import DEFAULT_BACKEND
from cancelgen.errors import CancelgenError, UsageError, did_you_mean

KEYS = ("patterns", "resources", "backend", "tests", "explain", "format")
"""What a fence may say; ``patterns`` is required."""
FENCE_FORMATS = ("md", "py")
_CODE = re.compile(r"^```python\n(.*?)^```\n?", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Fence:
    """What one ``cancelgen`` fence asks for."""

    patterns: tuple[str, ...]
    resources: tuple[str, ...] = ()
    backend: str = DEFAULT_BACKEND
    tests: bool = False
    explain: bool = False
    format: str = "md"


def _names(key: str, value: Any) -> tuple[str, ...]:
    """``shield timeout``, ``shield, timeout`` or ``[shield, timeout]``."""
    if isinstance(value, str):
        return tuple(value.replace(",", " ").split())
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise UsageError(f"{key} must be names, got {value!r}")


def parse_fence(source: str) -> Fence:
    """Read a fence's ``key: value`` lines (YAML); every mistake is a ``UsageError``."""
    yaml: Any = importlib.import_module("yaml")  # PyYAML ships no types

    try:
        data = yaml.safe_load(source) if source.strip() else {}
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or "cannot parse it"
        raise UsageError(f"the fence is not 'key: value' lines: {problem}") from None
    if not isinstance(data, dict):
        raise UsageError("the fence holds 'key: value' lines, e.g. 'patterns: shield'")
    for key in data:
        if key not in KEYS:
            raise UsageError(
                f"unknown key {key!r}{did_you_mean(str(key), KEYS)}; "
                f"known: {', '.join(KEYS)}"
            )
    if "patterns" not in data:
        raise UsageError("the fence needs 'patterns: NAME...', e.g. 'patterns: shield'")
    for key in ("tests", "explain"):
        if not isinstance(data.get(key, False), bool):
            raise UsageError(f"{key} must be true or false, got {data[key]!r}")
    backend = data.get("backend", DEFAULT_BACKEND)
    if not isinstance(backend, str):
        raise UsageError(f"backend must be a name, got {backend!r}")
    fmt = data.get("format", "md")
    if fmt not in FENCE_FORMATS:
        raise UsageError(
            f"unknown format {fmt!r}{did_you_mean(str(fmt), FENCE_FORMATS)}; "
            f"choose from: {', '.join(FENCE_FORMATS)}"
        )
    return Fence(
        patterns=_names("patterns", data["patterns"]),
        resources=_names("resources", data.get("resources", [])),
        backend=backend,
        tests=data.get("tests", False),
        explain=data.get("explain", False),
        format=fmt,
    )


def fence_markdown(source: str) -> str:
    """The Markdown a fence stands for: ``cancelgen snippet``'s output for its keys."""
    from cancelgen.docs.snippets import snippet

    fence = parse_fence(source)
    if fence.format == "py":
        if fence.tests:
            raise UsageError(
                "tests: true needs format: md (plain Python holds one file)"
            )
        code = snippet(
            fence.patterns,
            fence.resources,
            "py",
            explain=fence.explain,
            backend=fence.backend,
        )
        return f"```python\n{code}```\n"
    return snippet(
        fence.patterns,
        fence.resources,
        "md",
        with_tests=fence.tests,
        explain=fence.explain,
        backend=fence.backend,
    )


def _highlight(code: str, md: Any) -> str:
    """A Python block highlighted as the page's own fences are (superfences' formatter)."""
    code = code.rstrip("\n")
    fenced = md.preprocessors["fenced_code_block"] if md is not None else None
    highlight = getattr(fenced, "highlight", None)
    if highlight is None:
        return f'<pre><code class="language-python">{html.escape(code)}</code></pre>'
    result: str = highlight(
        src=code,
        language="python",
        options={},
        md=md,
        classes=[],
        id_value="",
        attrs={},
    )
    return result


def fence_html(source: str, class_name: str, md: Any = None) -> str:
    """The fence as HTML: its prose through Markdown, its code through the highlighter."""
    # Python-Markdown comes with MkDocs, not with cancelgen (and ships no types).
    markdown: Any = importlib.import_module("markdown")
    parts = _CODE.split(fence_markdown(source))
    rendered = [
        _highlight(part, md) if index % 2 else markdown.markdown(part)
        for index, part in enumerate(parts)
        if part.strip()
    ]
    return (
        f'<div class="{html.escape(class_name)}">\n' + "\n".join(rendered) + "\n</div>"
    )


def fence_format(
    source: str,
    language: str,
    class_name: str,
    options: dict[str, Any],
    md: Any,
    **kwargs: Any,
) -> str:
    """The ``format`` function of a superfences custom fence.

    A cancelgen error stops the build on the page that holds the bad fence
    (see :func:`fence_error`).
    """
    try:
        return fence_html(source, class_name, md)
    except CancelgenError as error:
        raise fence_error(f"cancelgen fence: {error.message}") from None


def fence_error(message: str) -> Exception:
    """The exception a bad fence raises.

    It is superfences' own exception, the one kind superfences lets through
    (any other would silently leave the fence as a plain code block), and,
    under MkDocs, also an ``MkDocsException``: MkDocs then logs
    ``Error reading page 'PAGE': MESSAGE`` and exits 1 without a traceback.
    """
    bases: list[type] = [
        importlib.import_module("pymdownx.superfences").SuperFencesException
    ]
    with contextlib.suppress(ImportError):  # Python-Markdown without MkDocs
        bases.append(importlib.import_module("mkdocs.exceptions").MkDocsException)
    error_type = type("CancelgenFenceError", tuple(bases), {})
    error: Exception = error_type(message)
    return error


__all__ = [
    "KEYS",
    "Fence",
    "fence_format",
    "fence_html",
    "fence_markdown",
    "parse_fence",
]
