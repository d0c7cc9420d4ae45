"""The templates ship in the wheel, and the installed CLI generates working code.

Builds the wheel (once per run), installs it with pip in a fresh venv on each
supported interpreter (the way users get cancelgen), runs ``cancelgen new`` and
``cancelgen init`` there, and runs the generated tests with that interpreter.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cancelgen.core.render import WORKER_TEMPLATE, templates_dir
from tests import budget
from tests.generated import (
    PYTHONS,
    built_once,
    interpreters,
    run,
    venv_with_test_deps,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def test_source_checkout_uses_the_repository_templates() -> None:
    assert templates_dir() == ROOT / "templates"
    assert (templates_dir() / WORKER_TEMPLATE).is_file()


def build_wheel(out: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built once per run for every xdist worker."""
    (built,) = built_once(tmp_path_factory, "dist", build_wheel).glob("cancelgen-*.whl")
    return built


def test_wheel_contains_every_template(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "cancelgen/copier.yml" in names
    assert "cancelgen/core/shipped.json.z" in names  # what a cold run answers from
    assert "cancelgen/core/shipped.cpython-311.marshal.z" in names  # its code, for 3.11
    for template in (ROOT / "templates").rglob("*"):
        if template.is_dir():
            continue
        relative = template.relative_to(ROOT / "templates").as_posix()
        assert f"cancelgen/templates/{relative}" in names


# The CI sample installs on the oldest supported Python (the combinations suite
# runs the generated tests on every one); --full on each.
@pytest.mark.parametrize("version", PYTHONS if budget.full() else PYTHONS[:1])
def test_installed_wheel_generates_a_worker_whose_tests_pass(
    wheel: Path, tmp_path: Path, version: str
) -> None:
    """On each supported interpreter: install the wheel, generate, run the tests."""
    interpreter = interpreters().get(version)
    if interpreter is None:
        pytest.skip(f"Python {version} is not installed here")
    env_dir = tmp_path / "venv"
    # Our pip installs into the venv (`pip --python`), resolving for its
    # interpreter: the same install as the venv's own pip would do, without
    # bootstrapping pip into each venv; the installed code is not byte-compiled.
    subprocess.run(
        [interpreter, "-m", "venv", "--without-pip", str(env_dir)], check=True
    )
    python = env_dir / "bin" / "python"
    subprocess.run(
        [
            sys.executable,
            *("-m", "pip", "--python", str(python), "install"),
            *("-q", "--no-compile", str(wheel)),
        ],
        check=True,
    )

    project = tmp_path / "project"
    (project / "src" / "demo").mkdir(parents=True)
    (project / "src" / "demo" / "__init__.py").write_text("")
    (project / "pyproject.toml").write_text(
        '[project]\nname = "demo"\nversion = "0.1.0"\n'
    )
    result = run(
        [
            str(env_dir / "bin" / "cancelgen"),
            "new",
            "worker",
            *("-p", "cleanup", "-p", "shield", "-p", "timeout", "-p", "exit-stack"),
            *("-r", "lock", "-r", "connection"),
        ],
        project,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (project / "src" / "demo" / "worker.py").is_file()
    assert (project / "tests" / "test_worker.py").is_file()

    # The wheel's own templates were used, not this checkout's.
    located = run(
        [
            str(python),
            "-c",
            "from cancelgen.core.render import templates_dir; print(templates_dir())",
        ],
        tmp_path,
    )
    assert str(env_dir) in located.stdout

    with_pytest = venv_with_test_deps(interpreter, version)
    tests = run(
        [str(with_pytest), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert "passed" in tests.stdout

    # `cancelgen init` runs the copier template shipped in the wheel, recorded
    # as a tagged git repository so the project can later be updated.
    data = tmp_path / "data"
    made = run(
        [
            str(env_dir / "bin" / "cancelgen"),
            "init",
            "svc",
            "-w",
            "poller",
            "--no-input",
        ],
        tmp_path,
        timeout=300,
        env={"CANCELGEN_DATA_DIR": str(data)},
    )
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "svc" / "src" / "svc" / "poller.py").is_file()
    answers = (tmp_path / "svc" / ".copier-answers.yml").read_text()
    assert f"_src_path: {data / 'template'}" in answers
    assert "_commit: v" in answers
    tagged = run(["git", "show", "HEAD:templates/worker.py.jinja"], data / "template")
    assert tagged.stdout == (templates_dir() / WORKER_TEMPLATE).read_text()
