"""``cancelgen new test MODULE:FUNCTION`` (issue 20): what it refuses, what it
writes and records, and how ``status`` and ``upgrade`` then see the file.

Runs the command in-process (Typer's runner) in a throwaway project; the
sweep tests it writes are run by tests/test_coroutine_sweep.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cancelgen.cli.app import app
from tests.cli_support import make_project, snapshot

MODULE = """\
import asyncio


async def sync_orders() -> int:
    await asyncio.sleep(0)
    return 1


async def needs_args(since: int, limit: int = 3, *rest: int) -> None:
    await asyncio.sleep(0)


class Orders:
    def __init__(self, db: object) -> None:
        self.db = db

    async def sync(self, since: int) -> None:
        await asyncio.sleep(0)

    @staticmethod
    async def ping() -> None:
        await asyncio.sleep(0)


async def feed():
    yield 1


def plain() -> None:
    pass
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A src-layout project ``demo`` with a module of coroutines, as the cwd.
    Each test gets its own package name: imports are cached per process."""
    root = make_project(tmp_path / "proj")
    package = f"demo_{abs(hash(tmp_path)) % 10**8}"
    (root / "src/demo").rename(root / "src" / package)
    (root / "src" / package / "orders.py").write_text(MODULE)
    monkeypatch.chdir(root)
    yield root


def new_test(*args: str) -> Result:
    return CliRunner().invoke(app, ["new", "test", *args])


def package(root: Path) -> str:
    (found,) = [p.name for p in (root / "src").iterdir() if p.name.startswith("demo")]
    return found


@pytest.mark.parametrize(
    ("target", "says"),
    [
        ("{pkg}.orders:feed", "is an async generator, not a coroutine function"),
        ("{pkg}.orders:plain", "is not a coroutine function (async def)"),
        ("{pkg}.orders:nothing", "has no 'nothing'"),
        ("{pkg}.orders:Orders", "is a class, not a coroutine function"),
        ("{pkg}.orders:Orders.nothing", "has no 'nothing'"),
        ("{pkg}.missing:sync_orders", "cannot import"),
        ("{pkg}.orders", "is not MODULE:FUNCTION or MODULE:Class.method"),
    ],
)
def test_refusals_are_one_line_exit_2_nothing_written(
    project: Path, target: str, says: str
) -> None:
    """Anything but a coroutine function is refused with one line, exit 2,
    and nothing is written."""
    before = snapshot(project)
    made = new_test(target.format(pkg=package(project)))
    assert made.exit_code == 2, made.output
    lines = [line for line in made.output.splitlines() if line]
    assert len(lines) == 1 and says in lines[0], made.output
    assert snapshot(project) == before


def test_an_import_error_is_named_by_its_first_line(project: Path) -> None:
    """A module that fails to import: its error's type and first line."""
    broken = project / "src" / package(project) / "broken.py"
    broken.write_text("raise RuntimeError('no database\\nsecond line')\n")
    made = new_test(f"{package(project)}.broken:anything")
    assert made.exit_code == 2
    assert "RuntimeError: no database" in made.output
    assert "second line" not in made.output


def test_writes_the_test_the_support_module_and_their_records(project: Path) -> None:
    """created <path>, the shared test support module with it, both recorded;
    status lists the test by its target."""
    target = f"{package(project)}.orders:sync_orders"
    made = new_test(target)
    assert made.exit_code == 0, made.output
    assert "created    tests/test_sync_orders_sweep.py" in made.stdout
    assert "tests/_cancelgen_asyncio.py" in made.stdout
    text = (project / "tests/test_sync_orders_sweep.py").read_text()
    assert "return sync_orders()" in text and "pytest.fail" not in text
    record = json.loads(
        (
            project / ".cancelgen/records/tests/test_sync_orders_sweep.py.json"
        ).read_text()
    )
    assert record["kind"] == "coroutine-test"
    assert record["answers"]["target"] == target
    assert (project / ".cancelgen/records/tests/_cancelgen_asyncio.py.json").is_file()
    status = CliRunner().invoke(app, ["status"])
    assert target in status.stdout and "unedited" in status.stdout
    again = new_test(target)
    assert again.exit_code == 0 and "unchanged" in again.stdout


def test_a_signature_with_parameters_makes_a_test_that_fails_naming_them(
    project: Path,
) -> None:
    """Parameters without a default are named, for the class's too; a default
    and *rest are not."""
    made = new_test(f"{package(project)}.orders:needs_args")
    assert made.exit_code == 0, made.output
    text = (project / "tests/test_needs_args_sweep.py").read_text()
    assert (
        "needs_args() needs since" in text and "limit" not in text.split("def call")[1]
    )
    made = new_test(f"{package(project)}.orders:Orders.sync")
    text = (project / "tests/test_orders_sync_sweep.py").read_text()
    assert "Orders.sync() needs Orders(db), since" in text
    assert "return Orders(db=...).sync(since=...)" in text


def test_a_static_method_is_called_on_its_class(project: Path) -> None:
    made = new_test(f"{package(project)}.orders:Orders.ping")
    assert made.exit_code == 0, made.output
    assert (
        "return Orders.ping()"
        in (project / "tests/test_orders_ping_sweep.py").read_text()
    )


def test_the_backend_comes_from_the_module_then_the_flag(project: Path) -> None:
    """The module imports asyncio: asyncio, said so; --backend wins."""
    made = new_test(f"{package(project)}.orders:sync_orders")
    assert "detected backend asyncio" in made.output
    made = new_test(
        f"{package(project)}.orders:sync_orders", "--backend", "trio", "--force"
    )
    assert made.exit_code == 0, made.output
    text = (project / "tests/test_sync_orders_sweep.py").read_text()
    assert "from _cancelgen_trio import" in text
    assert (project / "tests/_cancelgen_trio.py").is_file()


def test_dry_run_and_stdout_write_nothing(project: Path) -> None:
    before = snapshot(project)
    target = f"{package(project)}.orders:sync_orders"
    dry = new_test(target, "--dry-run")
    assert dry.exit_code == 0 and "+++ b/tests/test_sync_orders_sweep.py" in dry.stdout
    shown = new_test(target, "--stdout")
    assert shown.exit_code == 0 and shown.stdout.startswith('"""The cancel sweep of')
    assert snapshot(project) == before


def test_an_edited_test_is_kept_unless_forced(project: Path) -> None:
    target = f"{package(project)}.orders:sync_orders"
    new_test(target)
    path = project / "tests/test_sync_orders_sweep.py"
    path.write_text(path.read_text() + "# mine\n")
    refused = new_test(target)
    assert refused.exit_code != 0 and path.read_text().endswith("# mine\n")
    forced = new_test(target, "--force")
    assert forced.exit_code == 0 and not path.read_text().endswith("# mine\n")


def test_test_is_the_subcommand_and_worker_names_still_work(project: Path) -> None:
    """'cancelgen new NAME' is still 'new worker NAME'; 'new test' with no
    target is a usage error, not a worker named test."""
    made = CliRunner().invoke(app, ["new", "test"])
    assert made.exit_code == 2 and "MODULE:FUNCTION" in made.output
    made = CliRunner().invoke(app, ["new", "poller", "--no-input", "--dry-run"])
    assert made.exit_code == 0 and "poller.py" in made.stdout


def test_upgrade_merges_a_template_change_into_an_edited_test(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written by an 'older cancelgen' whose template said one line
    differently, then edited: status says edited and outdated, upgrade brings
    the new line and keeps the edit."""
    import shutil

    from cancelgen.core import render

    older = tmp_path / "older-templates"
    shutil.copytree(render.templates_dir(), older)
    template = older / "test_coroutine.py.jinja"
    today = "# ---- Your invariants go here ----"
    text = template.read_text()
    assert text.count(today) == 1
    template.write_text(text.replace(today, "# ---- Your checks go here ----"))
    target = f"{package(project)}.orders:sync_orders"
    with monkeypatch.context() as patch:
        patch.setattr(render, "templates_dir", lambda: older)
        assert new_test(target).exit_code == 0
    path = project / "tests/test_sync_orders_sweep.py"
    mine = "        # mine: the rows are checked in test_orders.py\n"
    text = path.read_text()
    path.write_text(
        text.replace("        return found\n", mine + "        return found\n")
    )
    status = CliRunner().invoke(app, ["status"])
    assert "edited" in status.stdout and "outdated" in status.stdout
    upgraded = CliRunner().invoke(app, ["upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "merged     tests/test_sync_orders_sweep.py" in upgraded.stdout
    text = path.read_text()
    assert today in text and mine in text and "Your checks go here" not in text


def _venv_with_package(root: Path, name: str) -> Path:
    """``root/.venv``, a virtual environment (no pip) holding package ``name``."""
    import subprocess
    import sys

    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root / ".venv")],
        check=True,
    )
    python = root / ".venv" / "bin" / "python"
    purelib = subprocess.run(
        [
            str(python),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / name).mkdir(parents=True)
    (Path(purelib) / name / "__init__.py").write_text("LIMIT = 3\n")
    return python


def test_a_dependency_only_the_projects_venv_has_is_imported_there(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cancelgen installed apart from the project (pipx): its interpreter
    lacks what the target's module imports, the project's .venv has it."""
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    dependency = f"fakedep_{package(project)}"
    module = project / "src" / package(project) / "remote.py"
    module.write_text(
        f"import asyncio\n\nimport {dependency}\n\n\n"
        "async def pull(since: int) -> None:\n    await asyncio.sleep(0)\n\n\n"
        "def plain() -> None:\n    pass\n"
    )
    target = f"{package(project)}.remote:pull"
    refused = new_test(target)
    assert refused.exit_code == 2
    lines = [line for line in refused.output.splitlines() if line]
    assert len(lines) == 1, refused.output
    assert f"No module named '{dependency}' (cancelgen runs in" in lines[0]

    _venv_with_package(project, dependency)
    made = new_test(target)
    assert made.exit_code == 0, made.output
    written = (project / "tests" / "test_pull_sweep.py").read_text()
    assert "pull() needs since" in written  # its signature, read over there
    plain = new_test(f"{package(project)}.remote:plain")
    assert plain.exit_code == 2
    assert "is not a coroutine function (async def)" in plain.output
    assert "(with " in plain.output
