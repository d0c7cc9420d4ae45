"""Golden files: what users get for a handful of representative specs.

Each ``tests/golden/<case>/spec.toml`` holds a spec; next to it sit the worker
module and its tests (and, in the support-module form, the support module) as
the current templates render them. The test support module their tests import
(the harness and the sweep's engine) is the same for every worker of a
backend: ``tests/golden/engines/`` holds one per backend. A template change
shows up in review as a diff of these files. Regenerate them on purpose with
``pytest tests/test_golden.py --update-golden``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cancelgen.core.format import format_files
from cancelgen.core.render import render, render_support, render_test_support
from cancelgen.core.spec import WorkerSpec
from tests.generated import black_once

GOLDEN = Path(__file__).parent / "golden"
ENGINES = GOLDEN / "engines"
CASES = sorted(path.name for path in GOLDEN.iterdir() if (path / "spec.toml").is_file())


def spec_of(case: str) -> WorkerSpec:
    """The case's spec."""
    return WorkerSpec.from_mapping(
        tomllib.loads((GOLDEN / case / "spec.toml").read_text())
    )


def rendered(case: str) -> dict[str, str]:
    """``{file name: formatted text}`` for the case's spec."""
    spec = spec_of(case)
    files = {**render(spec), **render_support(spec)}
    return {Path(path).name: text for path, text in format_files(files).items()}


@pytest.mark.parametrize("case", CASES)
def test_engine_matches_golden(case: str, update_golden: bool) -> None:
    """The test support module a case's tests import is its backend's golden one."""
    files = render_test_support(spec_of(case))
    for path, source in files.items():
        text = black_once(source)  # the cases share a few engines
        golden = ENGINES / Path(path).name
        if update_golden:
            ENGINES.mkdir(exist_ok=True)
            golden.write_text(text, encoding="utf-8")
        assert (
            golden.read_text(encoding="utf-8") == text
        ), f"{golden.name} differs; review, then --update-golden"


@pytest.mark.parametrize("case", CASES)
def test_render_matches_golden(case: str, update_golden: bool) -> None:
    folder = GOLDEN / case
    files = rendered(case)
    if update_golden:
        for stale in folder.glob("*.py"):
            stale.unlink()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    on_disk = {
        path.name: path.read_text(encoding="utf-8") for path in folder.glob("*.py")
    }
    assert sorted(on_disk) == sorted(
        files
    ), "run pytest --update-golden to add the files"
    for name, text in files.items():
        assert (
            on_disk[name] == text
        ), f"{case}/{name} differs; review, then --update-golden"


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 5
