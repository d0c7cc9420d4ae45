"""Comments and docstrings rewrapped to a line limit (cancelgen.core.rewrap)."""

from __future__ import annotations

import ast
import textwrap

import black
import pytest

from cancelgen.core.rewrap import rewrap

SOURCE = '''\
"""Module summary.

The module's body: a paragraph long enough to need two lines at sixty columns, and more.

- A list item long enough to need a second line at sixty columns, it goes on
  and is continued here, under its text.
- A short item.

Example::

    literal = "a literal block is never rewrapped, however long it is: it is code"
"""


def work(seconds: float) -> None:
    """A summary line stays one line, even when it is longer than the limit is."""
    # R5: every await on the way out is bounded: a second cancel can land there.
    #
    # A second paragraph of the same comment block, which is also long enough.
    value = seconds  # a trailing comment is not rewrapped, however long it is here
    # noqa: the pragma-like line stays as it is, however long it is, since tools read it
    del value
'''


def words(text: str) -> list[str]:
    """The words of ``text``, without the comment signs a rewrap adds."""
    return [word for word in text.split() if word != "#"]


def lines_over(text: str, limit: int) -> list[str]:
    return [line for line in text.splitlines() if len(line) > limit]


def test_paragraphs_over_the_limit_fit_and_the_rest_is_left_alone() -> None:
    out = rewrap(SOURCE, 60)
    assert lines_over(out, 60) == [
        '    literal = "a literal block is never rewrapped, however long it is: it is code"',
        '    """A summary line stays one line, even when it is longer than the limit is."""',
        "    value = seconds  # a trailing comment is not rewrapped, however long it is here",
        "    # noqa: the pragma-like line stays as it is, however long it is, since tools read it",
    ]
    assert "- A list item long enough to need a second line at sixty\n  columns," in out
    assert "    # R5: every await on the way out is bounded: a second\n" in out
    assert "    #\n    # A second paragraph" in out


def test_the_words_and_the_code_are_unchanged() -> None:
    out = rewrap(SOURCE, 60)
    assert words(out) == words(SOURCE)
    without_docstrings = [
        ast.dump(node)
        for node in ast.walk(ast.parse(out))
        if isinstance(node, ast.Name | ast.Call | ast.Assign)
    ]
    assert without_docstrings == [
        ast.dump(node)
        for node in ast.walk(ast.parse(SOURCE))
        if isinstance(node, ast.Name | ast.Call | ast.Assign)
    ]


@pytest.mark.parametrize("limit", [60, 72, 79])
def test_black_then_rewrap_is_stable_under_both(limit: int) -> None:
    mode = black.Mode(line_length=limit)
    out = rewrap(black.format_str(SOURCE, mode=mode), limit)
    assert rewrap(out, limit) == out
    assert black.format_str(out, mode=mode) == out


def test_nothing_over_the_limit_is_the_same_text() -> None:
    assert rewrap(SOURCE, 200) is SOURCE


def test_a_word_longer_than_the_limit_stays_whole() -> None:
    url = "https://docs.python.org/3/library/asyncio-task.html#asyncio.Task.cancel"
    source = f"# See {url} for what a cancel does to a task that is running.\n"
    out = rewrap(source, 50)
    assert f"# {url}\n" in out or f"# See {url}\n" in out
    assert words(out) == words(source)


def test_no_rewrapped_line_starts_with_a_pragma() -> None:
    source = (
        "# aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll noqa: reads it\n"
    )
    for limit in range(40, 76):
        out = rewrap(source, limit)
        assert not any(
            line.startswith("# noqa") for line in out.splitlines()
        ), f"at {limit}: {out}"


def test_a_docstring_closing_quotes_count_in_the_last_line() -> None:
    source = textwrap.dedent('''\
        def f() -> None:
            """Summary.

            One two three four five six seven eight nine ten eleven twelve."""
        ''')
    out = rewrap(source, 40)
    assert lines_over(out, 40) == []
    assert out.rstrip().endswith('twelve."""')
