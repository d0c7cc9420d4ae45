"""Whether the shipped table (cancelgen/core/shipped.py) answers here.

It is made with one Jinja and one black. With others installed every entry
misses: cancelgen is then as slow as without it, never wrong, and the tests
that count on its answers skip, saying why.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pytest

from cancelgen.core import shipped
from cancelgen.core.format_ruff import bundled_version

if TYPE_CHECKING:
    from cancelgen.core.spec import WorkerSpec

UPDATE = "pytest --update-golden -p no:xdist tests/core/test_shipped.py"


def installed_versions() -> dict[str, str | None]:
    """The Jinja, black and Python installed here, as the table records its makers."""
    return {
        "jinja": jinja2.__version__,
        "black": shipped.black_version(),
        "python": shipped.PYTHON,
        "ruff": bundled_version(),
    }


def skip_unless_the_table_answers() -> None:
    """Skip the calling test unless the installed Jinja, black and Python made
    the table."""
    shipped.table.cache_clear()
    made, installed = shipped.table().get("versions"), installed_versions()
    if made != installed:
        pytest.skip(
            f"the shipped table was made with {made}, but {installed} is"
            f" installed: its entries miss (cold runs are slow again); run {UPDATE}"
        )


RUFF_PROJECT = """\
[project]
name = "qzqpkg"
version = "0.1.0"
requires-python = ">={floor}"

[tool.ruff]
"""
"""A project that leaves ruff at its defaults (:mod:`cancelgen.project.shipped_ruff`)."""
RUFF_LAYOUTS = {"src": "src/qzqpkg", "flat": "qzqpkg"}
"""Where the placeholder's package lives in the projects the ruff entries are made in."""


def ruff_project(work: Path, layout: str, floor: str = "3.11") -> Path:
    """A fresh project at its ruff defaults, its package in ``layout``."""
    root = work / f"{layout}-{floor}"
    package = root / RUFF_LAYOUTS[layout]
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (root / "pyproject.toml").write_text(RUFF_PROJECT.format(floor=floor))
    return root


def new_worker(root: Path, name: str, backend: str, *options: str) -> dict[str, str]:
    """``cancelgen new NAME --no-input`` in ``root``, in process; the Python
    files it wrote (path relative to ``root``: text)."""
    from typer.testing import CliRunner

    from cancelgen.cli.app import app

    with contextlib.chdir(root):
        made = CliRunner().invoke(
            app, ["new", name, "--no-input", "--backend", backend, *options]
        )
    assert made.exit_code == 0, made.output
    return {
        path.relative_to(root).as_posix(): path.read_text()
        for path in root.rglob("*.py")
        if ".cancelgen" not in path.parts
    }


def ruff_entries(work: Path) -> dict[str, Any]:
    """ruff's output for each backend's default worker under the placeholder
    name and package, in a src and a flat layout, and for the shared modules
    beside them, keyed as :mod:`cancelgen.project.shipped_ruff` looks them up
    (and ruff run, not the table, for each), with the rows to fit; under
    ``WORKERS`` the placeholder workers they are for."""
    from cancelgen.core import format_ruff
    from cancelgen.core.cache.name_free import PLACEHOLDER
    from cancelgen.core.catalog import BACKENDS
    from cancelgen.project import shipped_ruff

    entries: dict[str, Any] = {}
    workers: list[Any] = []

    def recording(
        files: Mapping[str, str],
        spec: WorkerSpec | None,
        pending: Sequence[str],
        stages_of: shipped_ruff.StagesOf,
        root: Path,
    ) -> dict[str, str]:
        found = shipped_ruff.keys(files, spec, pending, stages_of, root)
        pipes = {path: stages_of(pending) for path in found}
        output = format_ruff.run_pipes(pipes, files, root)
        for path, lookup in found.items():
            made = shipped_ruff.entry(lookup, root, path, files[path], output[path])
            entries[lookup.key] = made
        if spec is not None:
            workers.append(shipped_ruff._answers(spec))
        return {path: output[path] for path in found}

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CANCELGEN_NO_CACHE", "1")
        patch.setattr(shipped_ruff, "fitted", recording)
        for layout in RUFF_LAYOUTS:
            for backend in BACKENDS:
                root = ruff_project(work / backend, layout)
                new_worker(root, PLACEHOLDER, backend)
    assert workers, "no ruff project was fitted"
    entries[shipped_ruff.WORKERS] = sorted(workers, key=repr)
    return entries
