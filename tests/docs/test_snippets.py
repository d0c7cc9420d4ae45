"""``cancelgen snippet`` / ``gallery`` output, in process (the runs are in test_snippets_run.py)."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES
from cancelgen.core.format import format_source
from cancelgen.core.render import render_module
from cancelgen.docs.snippets import (
    GALLERY,
    code_blocks,
    demo_scenarios,
    example_source,
    gallery_index,
    gallery_page,
    mistake_source,
    snippet,
    snippet_spec,
    worker_tests_source,
    write_gallery,
)
from cancelgen.errors import UsageError
from tests.readme_blocks import DOCS, check_block


def test_md_is_one_fenced_python_block_of_the_example() -> None:
    text = snippet(["shield"], fmt="md")
    assert text.startswith("```python\n") and text.endswith("```\n")
    assert code_blocks(text, "md") == [example_source(snippet_spec(["shield"]))]


def test_rst_is_a_code_block_that_extracts_to_the_same_code() -> None:
    text = snippet(["shield"], ["lock"], fmt="rst", with_tests=True)
    assert text.count(".. code-block:: python\n\n   ") == 2
    spec = snippet_spec(["shield"], ["lock"])
    assert code_blocks(text, "rst") == [example_source(spec), worker_tests_source(spec)]


@pytest.mark.parametrize(
    ("backend", "signature"),
    [
        ("asyncio", "def test_cancel_sweep() -> None:"),
        ("anyio", "def test_cancel_sweep(anyio_backend: str) -> None:"),
        ("trio", "def test_cancel_sweep() -> None:"),
    ],
)
def test_with_tests_carries_the_cancel_sweep(backend: str, signature: str) -> None:
    for fmt in ("md", "rst"):
        text = snippet(
            ["cleanup"], ["queue"], fmt=fmt, with_tests=True, backend=backend
        )
        tests = code_blocks(text, fmt)[1]
        assert f"\n{signature}\n" in tests
        assert "class Watched(WorkerSteps):" in tests


def test_py_is_the_plain_example() -> None:
    text = snippet(["cleanup"], fmt="py")
    assert text == example_source(snippet_spec(["cleanup"]))
    assert "```" not in text and ".. code-block" not in text


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_example_is_the_generated_module_plus_a_runnable_main(pattern: str) -> None:
    spec = snippet_spec([pattern])
    source = example_source(spec)
    # The same templates as `cancelgen new`: the module comes first, unchanged.
    assert source.startswith(format_source(render_module(spec)))
    assert source.rstrip().endswith(
        'if __name__ == "__main__":\n    asyncio.run(main())'
    )
    tree = ast.parse(source)
    names = {node.name for node in tree.body if isinstance(node, ast.AsyncFunctionDef)}
    assert {"worker", "main"} <= names
    assert format_source(source) == source


def test_resources_with_a_pattern_change_the_demo() -> None:
    source = example_source(snippet_spec(["timeout"], ["connection", "queue"]))
    assert 'asyncio.start_server(serve, "127.0.0.1", 0)' in source
    assert 'self.queue.put_nowait("job 1")' in source
    assert "show_resources(steps)" in source


def test_explain_adds_rules_and_the_mistake_marked_wrong_next_to_the_right_code() -> (
    None
):
    text = snippet(["shield", "timeout"], fmt="md", explain=True)
    for name in ("shield", "timeout"):
        for rule in PATTERNS[name].rules:
            assert f"- {rule}: " in text
        assert f"**Wrong ({name}): the common mistake**" in text
        assert f"**Right ({name}): as cancelgen generates it**" in text
        assert PATTERNS[name].mistake in text
    blocks = code_blocks(text, "md")
    wrong = [block for block in blocks if block.startswith("# WRONG")]
    assert len(wrong) == 2
    # The right version sits right after the wrong one and is the generated function.
    right = blocks[blocks.index(wrong[0]) + 1]
    assert right.startswith("async def commit_shielded(")
    assert right in blocks[0]


def test_explain_in_rst_uses_admonitions_and_rst_literals() -> None:
    text = snippet(["exit-stack"], fmt="rst", explain=True)
    assert (
        ".. admonition:: Wrong (exit-stack): the common mistake\n   :class: error"
        in text
    )
    assert ".. rubric:: exit-stack:" in text
    assert "``async with stack.push_async_callback(cb)``" in text


def test_explain_in_py_is_a_leading_comment_and_keeps_the_file_runnable() -> None:
    text = snippet(["checkpoint"], fmt="py", explain=True)
    head, _, _ = text.partition('"""worker:')
    assert all(line.startswith("#") or not line for line in head.splitlines())
    assert "# WRONG, the common mistake:" in head
    assert "R7: " in head
    compile(text, "worker.py", "exec")


@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_every_mistake_is_marked_wrong_and_parses(pattern: str) -> None:
    source = mistake_source(snippet_spec([pattern]), pattern)
    assert source.startswith("# WRONG: ")
    ast.parse(source)
    assert format_source(source) == source


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: snippet(["shild"]),
            "unknown pattern 'shild' (did you mean 'shield'?)",
        ),
        (lambda: snippet(["shield"], ["lok"]), "unknown resource 'lok'"),
        (lambda: snippet([]), "choose at least one pattern"),
        (lambda: snippet(["shield"], fmt="html"), "unknown format 'html'"),
        (lambda: snippet(["shield"], fmt="py", with_tests=True), "--with-tests needs"),
        (lambda: gallery_page(GALLERY[0], "py"), "unknown format 'py'"),
    ],
)
def test_bad_requests_are_one_line_usage_errors(call: object, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        call()  # type: ignore[operator]
    assert message in caught.value.message
    assert "\n" not in caught.value.message


def test_gallery_covers_every_pattern_resource_and_some_combinations() -> None:
    specs = [page.spec for page in GALLERY]
    assert {spec.patterns for spec in specs} >= {(name,) for name in PATTERNS}
    assert {r for spec in specs for r in spec.resources} == set(RESOURCES)
    assert sum(len(spec.patterns) > 1 for spec in specs) >= 4
    assert len({page.slug for page in GALLERY}) == len(GALLERY)


@pytest.mark.parametrize("fmt", ["md", "rst"])
def test_write_gallery_writes_a_page_per_entry_and_an_index(
    tmp_path: Path, fmt: str
) -> None:
    written = write_gallery(tmp_path / "out", fmt)
    assert sorted(p.name for p in written) == sorted(
        [f"{page.slug}.{fmt}" for page in GALLERY] + [f"index.{fmt}"]
    )
    index = (tmp_path / "out" / f"index.{fmt}").read_text()
    for page in GALLERY:
        assert (f"({page.slug}.md)" if fmt == "md" else f":doc:`{page.slug}`") in index
    page = (tmp_path / "out" / f"shield-timeout.{fmt}").read_text()
    for section in ("Example", "Test", "How it works", "Common mistakes"):
        assert section in page
    blocks = code_blocks(page, fmt)
    assert blocks[0].startswith('"""worker:') and "import pytest" in blocks[1]
    assert sum(block.startswith("# WRONG") for block in blocks) == 2


def test_write_gallery_leaves_unchanged_pages_alone(tmp_path: Path) -> None:
    first = write_gallery(tmp_path, "md")
    stamps = {path: path.stat().st_mtime_ns for path in first}
    (tmp_path / "shield.md").write_text("stale")
    write_gallery(tmp_path, "md")
    changed = [path.name for path in first if path.stat().st_mtime_ns != stamps[path]]
    assert changed == ["shield.md"]
    assert (tmp_path / "shield.md").read_text() == gallery_page(GALLERY[2], "md")


def test_gallery_index_md_links_each_page() -> None:
    index = gallery_index("md")
    assert index.startswith("# Cancellation gallery\n")
    assert index.count("](") == len(GALLERY)


def test_snippets_page_shows_the_current_shield_snippet(update_golden: bool) -> None:
    """The docs' snippets page shows what ``cancelgen snippet shield --format rst`` prints."""
    page = DOCS / "snippets.rst"
    printed = snippet(["shield"], fmt="rst") + "\n"  # a blank line ends the block
    check_block("shield-snippet", printed, update_golden, page)


@pytest.mark.parametrize(
    "patterns",
    [
        list(combo)
        for size in (1, 2, 6)
        for combo in itertools.combinations(PATTERNS, size)
    ],
)
@pytest.mark.parametrize("backend", list(BACKENDS))
def test_the_demo_sentence_follows_main(patterns: list[str], backend: str) -> None:
    """The prose says what main() shows in the order main() runs it."""
    resources = ["lock"] if "exit-stack" in patterns else []
    spec = snippet_spec(patterns, resources, backend)
    tree = ast.parse(example_source(spec))
    [main] = [
        n for n in tree.body if isinstance(n, ast.AsyncFunctionDef) and n.name == "main"
    ]
    called = [
        node.func.id
        for node in ast.walk(main)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("show_")
    ]
    assert called == list(demo_scenarios(spec))


def test_the_demo_sentence_names_the_backend_s_timeout_error() -> None:
    sentences = {
        backend: demo_scenarios(snippet_spec(["timeout"], backend=backend))
        for backend in BACKENDS
    }
    assert "`TimeoutError` reaches the caller" in sentences["asyncio"]["show_timeout"]
    assert "`trio.TooSlowError` reaches" in sentences["trio"]["show_timeout"]
