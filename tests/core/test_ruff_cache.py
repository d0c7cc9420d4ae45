"""ruff's cached output is what ruff writes (issue 18: a ruff project as fast as a black one).

:mod:`cancelgen.core.cache.ruff_output` answers ``ruff check --fix-only |
ruff format`` from the cache where it can name everything ruff's output
depends on. Each test fits the same files twice, in two projects (or one
project before and after a change): the second answer must be what ruff
itself writes there (a run with the cache off), and must come from the cache
exactly when nothing ruff reads has changed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from cancelgen.core import format_ruff
from cancelgen.core.cache import ruff_output

PYPROJECT = (
    '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
    "\n[tool.ruff]\nline-length = 88\n"
)
SOURCE = """\
import os, sys
from helpers import tools
import pytest
from demo.worker import worker
from shared.util import thing


def test_it():
    assert worker and tools and thing and os and sys and pytest
    return {'a': 1, 'b': [1,
    2]}
"""
"""A test module whose import sorting depends on which modules are the
project's own, and whose quotes and brackets the formatter changes."""
FILES = {"tests/test_it.py": SOURCE, "src/demo/worker.py": "x = [\n    1,2]\n"}
STAGES = [format_ruff.fix_args(sort_imports=True), format_ruff.FORMAT]


def project(root: Path, pyproject: str = PYPROJECT) -> Path:
    """A src-layout project with a ``demo`` package and a tests folder."""
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text("")
    (root / "tests").mkdir()
    (root / "pyproject.toml").write_text(pyproject)
    return root


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache, on; the ruff package's own binary."""
    monkeypatch.setenv("CANCELGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CANCELGEN_NO_CACHE", raising=False)
    monkeypatch.delenv(format_ruff.RUFF_ENV, raising=False)
    return tmp_path / "cache"


def key(
    binary: str, root: Path, stages: Sequence[Sequence[str]], text: str
) -> Path | None:
    """The cache entry of ``text`` as the test module, as ``run_pipes`` asks."""
    src = format_ruff._cache_src(root, "tests/test_it.py")
    return ruff_output.entry(binary, root, "tests/test_it.py", stages, text, src)


def fit(root: Path, files: dict[str, str] = FILES) -> dict[str, str]:
    return format_ruff.run_stages(STAGES, files, root)


def uncached(root: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """What ruff itself writes for :data:`FILES` in ``root`` now."""
    with monkeypatch.context() as patch:
        patch.setenv("CANCELGEN_NO_CACHE", "1")
        return fit(root)


def test_another_project_with_the_same_configuration_is_answered(
    tmp_path: Path, cache: Path, ruff_starts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fit(project(tmp_path / "a"))
    assert sorted(ruff_starts) == sorted(FILES)
    assert first != FILES  # ruff changed them: quotes, imports, brackets
    ruff_starts.clear()
    second = project(tmp_path / "b")
    answered = fit(second)
    assert ruff_starts == []  # from the cache
    assert answered == first == uncached(second, monkeypatch)


def test_a_project_differing_only_where_ruff_does_not_read_is_answered(
    tmp_path: Path, cache: Path, ruff_starts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another project's name, version, dependencies and other tools' tables
    are not ruff's configuration: the same ruff settings hit."""
    first = fit(project(tmp_path / "a"))
    other = (
        PYPROJECT.replace('name = "demo"', 'name = "other"')
        .replace('"0.1.0"', '"2.0"')
        .replace(
            "[tool.ruff]",
            'dependencies = ["anyio"]\n\n[tool.mypy]\nstrict = true\n\n[tool.ruff]',
        )
    )
    ruff_starts.clear()
    second = project(tmp_path / "b", other)
    answered = fit(second)
    assert ruff_starts == []
    assert answered == first == uncached(second, monkeypatch)


def test_only_what_ruff_reads_of_pyproject_is_keyed() -> None:
    part = ruff_output._ruff_part
    assert part(PYPROJECT) == part(PYPROJECT.replace('"demo"', '"other"'))
    assert part(PYPROJECT) != part(PYPROJECT.replace("88", "89"))
    assert part(PYPROJECT) != part(PYPROJECT.replace(">=3.11", ">=3.12"))
    underscore = PYPROJECT.replace("requires-python", "requires_python")
    assert part(PYPROJECT) != part(underscore)
    assert part("[tool\n") is None  # not TOML: ruff says what is wrong


Change = Callable[[Path, pytest.MonkeyPatch], None]


def _write(relative: str, text: str = "") -> Change:
    def change(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text)

    return change


def _mkdir(relative: str) -> Change:
    def change(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        (root / relative).mkdir(parents=True)

    return change


def _setenv(name: str, value: str) -> Change:
    def change(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(name, value)

    return change


def _symlink(relative: str, target: str) -> Change:
    def change(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        os.symlink(target, root / relative)

    return change


CHANGES: dict[str, Change] = {
    "line length": _write("pyproject.toml", PYPROJECT.replace("88", "20")),
    "single quotes": _write(
        "pyproject.toml", PYPROJECT + "\n[tool.ruff.format]\nquote-style = 'single'\n"
    ),
    "target version": _write("pyproject.toml", PYPROJECT.replace(">=3.11", ">=3.13")),
    "target version, spelled requires_python": _write(
        "pyproject.toml",
        PYPROJECT.replace('requires-python = ">=3.11"', 'requires_python = ">=3.13"'),
    ),
    "the tool.ruff table emptied": _write(
        "pyproject.toml", PYPROJECT.replace("line-length = 88\n", "")
    ),
    "a ruff.toml beside": _write("ruff.toml", "line-length = 30\n"),
    "a first-party folder at the root": _mkdir("helpers"),
    "a first-party module in src": _write("src/helpers.py"),
    "a stub in src": _write("src/helpers.pyi"),
    "a first-party subpackage": _mkdir("shared/util"),
    "a module of another case": _mkdir("Helpers"),
    "a broken link where a module would be": _symlink("src/helpers.py", "nowhere"),
    "the tests folder a package": _write("tests/__init__.py"),
    "a RUFF_ variable": _setenv("RUFF_NO_CACHE", "true"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_ruff_reads_is_not_answered_from_before(
    tmp_path: Path,
    cache: Path,
    ruff_starts: list[str],
    monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:
    """After each change the cache misses for the file it may change (the
    test module, or both) and answers what ruff writes now."""
    fit(project(tmp_path / "a"))
    second = project(tmp_path / "b")
    CHANGES[change](second, monkeypatch)
    ruff_starts.clear()
    answered = fit(second)
    assert "tests/test_it.py" in ruff_starts
    assert answered == uncached(second, monkeypatch)


def test_a_change_that_changes_the_output_is_seen(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The facts in the key are ones ruff's output depends on: with each of
    these, ruff writes something else than before (so a stale hit would be
    caught by the test above)."""
    before = fit(project(tmp_path / "a"))["tests/test_it.py"]
    for index, change in enumerate(
        ["line length", "single quotes", "a first-party folder at the root"]
    ):
        root = project(tmp_path / f"b{index}")
        CHANGES[change](root, monkeypatch)
        assert uncached(root, monkeypatch)["tests/test_it.py"] != before, change


def test_an_absolute_path_in_the_configuration_keeps_projects_apart(
    tmp_path: Path, cache: Path, ruff_starts: list[str]
) -> None:
    """ruff matches a pattern such as ``/work/*`` against absolute paths: with
    one in the configuration, another folder is another key."""
    pyproject = PYPROJECT + '\n[tool.ruff.lint]\nper-file-ignores = {"/x/*" = ["E"]}\n'
    fit(project(tmp_path / "a", pyproject))
    ruff_starts.clear()
    fit(project(tmp_path / "b", pyproject))
    assert sorted(ruff_starts) == sorted(FILES)
    ruff_starts.clear()
    fit(tmp_path / "b")
    assert ruff_starts == []


def _extend(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (root.parent / "base.toml").write_text("line-length = 30\n")
    (root / "ruff.toml").write_text('extend = "../base.toml"\n')


UNSURE: dict[str, Change] = {
    "a configuration in the tests folder": _write(
        "tests/ruff.toml", "line-length = 30\n"
    ),
    "a pyproject.toml in the tests folder": _write("tests/pyproject.toml"),
    "extend": _extend,
    "src set": _write("pyproject.toml", PYPROJECT + 'src = ["src", "tests"]\n'),
    "the root a package": _write("__init__.py"),
    "another ruff": _setenv(format_ruff.RUFF_ENV, format_ruff.ruff_binary()),
    "the cache off": _setenv("CANCELGEN_NO_CACHE", "1"),
}


@pytest.mark.parametrize("case", UNSURE)
def test_not_cached_where_it_cannot_be_sure(
    tmp_path: Path,
    cache: Path,
    ruff_starts: list[str],
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    root = project(tmp_path / "a")
    UNSURE[case](root, monkeypatch)
    binary = format_ruff.ruff_binary()
    assert key(binary, root, STAGES, SOURCE) is None
    fit(root)
    ruff_starts.clear()
    fit(root)
    assert "tests/test_it.py" in ruff_starts


def test_another_ruff_binary_is_another_key(tmp_path: Path, cache: Path) -> None:
    binary = tmp_path / "ruff"
    binary.write_text("")
    root = project(tmp_path / "a")
    before = key(str(binary), root, STAGES, SOURCE)
    os.utime(binary, ns=(0, 10**9))
    after = key(str(binary), root, STAGES, SOURCE)
    assert before is not None and after is not None and before != after


def test_the_run_s_known_first_party_is_in_the_key(tmp_path: Path, cache: Path) -> None:
    root = project(tmp_path / "a")
    binary = format_ruff.ruff_binary()
    other = [format_ruff.fix_args(sort_imports=True, first_party=["helpers"])]
    keys = {
        key(binary, root, stages, SOURCE)
        for stages in (STAGES, [*other, format_ruff.FORMAT])
    }
    assert len(keys) == 2


TRICKY = """\
import a.b as c, d; import e
from f import (  # see (below)
    g,
    h as i,
)
from .j import k
"""
"""Import statements a line-by-line reading would get wrong."""


@pytest.mark.parametrize("module", ["a", "a/b", "d", "e", "f", "f/g", "f/h"])
def test_every_imported_module_is_looked_up(
    tmp_path: Path, cache: Path, module: str
) -> None:
    """A folder appearing for any module the text imports (or any name it
    imports from one) changes the key, however the statement is written."""
    root = project(tmp_path / "a")
    (root / "src" / "a").mkdir()  # so a.b is looked up in it
    (root / "src" / "f").mkdir()
    binary = format_ruff.ruff_binary()
    before = key(binary, root, STAGES, TRICKY)
    (root / module).mkdir(parents=True, exist_ok=True)
    (root / "src" / module).mkdir(parents=True, exist_ok=True)
    after = key(binary, root, STAGES, TRICKY)
    assert before is not None and after is not None and before != after


def test_the_absolute_path_scan_agrees_with_its_regular_expression() -> None:
    """``_may_name_an_absolute_path`` scans by hand what this expression
    finds (compiling it cost more than the scan)."""
    import random
    import re

    from cancelgen.core.cache.ruff_output import _may_name_an_absolute_path

    expression = re.compile(r"""["']\s*(?:[/~$\\]|[A-Za-z]:)""")
    pick = random.Random(18)
    alphabet = "\"' /~$\\C:ab \t\n\xa0\x1c\u00e9"
    for _ in range(20000):
        text = "".join(pick.choice(alphabet) for _ in range(pick.randint(0, 12)))
        assert _may_name_an_absolute_path(text) == bool(expression.search(text)), text


def test_the_word_split_agrees_with_its_regular_expression() -> None:
    import random
    import re

    from cancelgen.core.cache.ruff_output import _words

    pick = random.Random(28)
    alphabet = "ab_1 ,()\u00e9\u00b2\u0660\t\n#.x"
    for _ in range(20000):
        text = "".join(pick.choice(alphabet) for _ in range(pick.randint(0, 15)))
        assert _words(text) == re.findall(r"\w+", text), text
