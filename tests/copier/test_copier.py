"""cancelgen with the real copier CLI: our project template (copy, update,
recopy), ``cancelgen init``, and the Jinja extension in someone else's template.

Every generated project is then checked the way its users would: its own tests
pass, and black, ruff, flake8-async and mypy --strict are clean on it.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from cancelgen.core.catalog import BACKENDS, TEST_STYLES
from cancelgen.core.format import format_source
from cancelgen.core.render import (
    render_module,
    render_support_module,
    render_test_support_module,
    render_tests,
)
from cancelgen.core.spec import WorkerSpec, validate_name
from tests import budget
from tests.generated import FLAKE8_ASYNC, run, tool

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "copier-service"


def copier(*args: str, cwd: Path) -> str:
    """Run the copier CLI; fail with its output if it fails."""
    result = run([tool("copier"), *args], cwd, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def git(*args: str, cwd: Path) -> None:
    result = run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd
    )
    assert result.returncode == 0, result.stdout + result.stderr


STATIC_AGAIN = budget.full()
"""Whether a project the template made as another test's did (a recopy, the
same template through ``init``, an update another test makes too) is also
checked with the linters and mypy, not only by its tests: with ``--full``;
in CI's sample, the other test's project is."""


def assert_project_is_clean(
    project: Path, backend: str = "asyncio", *, static: bool = True
) -> None:
    """The generated project's own tests pass and its code is lint- and
    type-clean (unless ``static`` is false: the tests only)."""
    tests = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], project
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
    assert " passed" in tests.stdout
    if not static:
        return
    for argv in (
        [tool("black"), "--check", "."],
        [tool("ruff"), "check", "--no-cache", "."],
        [tool("flake8"), *FLAKE8_ASYNC[backend], "src", "tests"],
        [tool("mypy")],  # with the module's cache: see shared_mypy_cache
    ):
        result = run(argv, project)
        assert result.returncode == 0, (argv, result.stdout + result.stderr)


@pytest.fixture(scope="module", autouse=True)
def shared_mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One mypy cache, outside the projects, for all of them: each run then
    checks a project's own files instead of the standard library's stubs again."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MYPY_CACHE_DIR", str(tmp_path_factory.mktemp("mypy-cache")))
        yield


@pytest.fixture(scope="module")
def template_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Our copier template as a git repo with tags v1 and v2.

    v2 changes one fragment (how a cancel is logged), as a template release
    that improves a fragment would.
    """
    repo = tmp_path_factory.mktemp("template")
    shutil.copy(ROOT / "copier.yml", repo / "copier.yml")
    shutil.copytree(ROOT / "templates", repo / "templates")
    git("init", "-q", "-b", "main", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "v1", cwd=repo)
    git("tag", "v1", cwd=repo)
    cleanup = repo / "templates" / "asyncio" / "patterns" / "cleanup.py.jinja"
    text = cleanup.read_text()
    assert 'logger.info("{{ spec.name }} cancelled")' in text
    cleanup.write_text(
        text.replace(
            'logger.info("{{ spec.name }} cancelled")',
            'logger.warning("{{ spec.name }} was cancelled")',
        )
    )
    git("commit", "-qam", "v2: log cancels as warnings", cwd=repo)
    git("tag", "v2", cwd=repo)
    return repo


def copy_v1(template_repo: Path, dest: Path, *data: str) -> None:
    """``copier copy`` of v1 with the cleanup, shield, timeout and exit-stack
    patterns, a lock and a connection, and ``data`` (``key=value``) on top."""
    copier(
        "copy",
        "--trust",
        "--defaults",
        "--vcs-ref",
        "v1",
        "--data",
        'patterns=["cleanup", "shield", "timeout", "exit-stack"]',
        "--data",
        'resources=["lock", "connection"]',
        *(f"--data={item}" for item in data),
        str(template_repo),
        str(dest),
        cwd=dest.parent,
    )


@pytest.fixture(scope="module")
def project(template_repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project copied from v1 of the template, committed to git."""
    dest = tmp_path_factory.mktemp("service") / "my-service"
    copy_v1(template_repo, dest, "worker_names=fetcher, saver")
    git("init", "-q", "-b", "main", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-qm", "generated", cwd=dest)
    return dest


def test_copy_generates_a_clean_project_whose_tests_pass(project: Path) -> None:
    package = project / "src" / "my_service"
    assert sorted(p.name for p in package.glob("*.py")) == [
        "__init__.py",
        "fetcher.py",
        "saver.py",
    ]
    assert (project / "tests" / "test_fetcher.py").is_file()
    answers = (project / ".copier-answers.yml").read_text()
    assert "_commit: v1" in answers and "worker_names: fetcher, saver" in answers
    assert "async def fetcher(" in (package / "fetcher.py").read_text()
    tests = (project / "tests" / "test_fetcher.py").read_text()
    assert "\ndef test_cancel_sweep() -> None:\n" in tests, "no cancel sweep"
    assert_project_is_clean(project)


@pytest.mark.parametrize(
    "backend",
    [name for name in BACKENDS if name != "asyncio"] if budget.full() else ["trio"],
)  # asyncio: the test above; CI's sample: one of the others (pytest --full: both)
def test_a_copy_for_each_backend_passes_its_own_tests(
    template_repo: Path, tmp_path: Path, backend: str
) -> None:
    dest = tmp_path / "svc"
    copy_v1(template_repo, dest, f"backend={backend}")
    pyproject = tomllib.loads((dest / "pyproject.toml").read_text())
    assert any(d.startswith(backend) for d in pyproject["project"]["dependencies"])
    assert pyproject["tool"]["cancelgen"]["backend"] == backend
    style = BACKENDS[backend].test_styles[0]
    assert pyproject["tool"]["cancelgen"]["test-style"] == style
    worker = (dest / "src" / "my_service" / "worker.py").read_text()
    assert f"import {backend}" in worker and "import asyncio" not in worker
    readme = (dest / "README.md").read_text()
    assert f"flake8 {' '.join(FLAKE8_ASYNC[backend])} src tests" in readme
    assert_project_is_clean(dest, backend)


def test_copier_offers_only_the_test_styles_the_backend_has(
    template_repo: Path, tmp_path: Path
) -> None:
    wrong = next(s for s in TEST_STYLES if s not in BACKENDS["asyncio"].test_styles)
    stderr = refused_copy(
        template_repo, tmp_path, "backend=asyncio", f"test_style={wrong}"
    )
    assert f"Invalid choice for 'test_style': {wrong!r} is not in" in stderr


def test_update_applies_the_new_fragment_and_keeps_user_edits(
    project: Path, template_repo: Path
) -> None:
    worker = project / "src" / "my_service" / "fetcher.py"
    original = worker.read_text()
    edited = original.replace("return list(range(100))", "return list(range(42))")
    assert edited != original
    worker.write_text(edited)
    git("commit", "-qam", "my own fetch", cwd=project)

    # As the README says it: no --vcs-ref, so the newest tag.
    copier("update", "--trust", "--defaults", cwd=project)

    updated = worker.read_text()
    assert 'logger.warning("fetcher was cancelled")' in updated  # the template's change
    assert "return list(range(42))" in updated  # the user's edit
    assert "<<<<<<<" not in updated
    assert "_commit: v2" in (project / ".copier-answers.yml").read_text()
    assert_project_is_clean(project)


def test_recopy_regenerates_from_the_recorded_answers(
    template_repo: Path, tmp_path: Path
) -> None:
    dest = tmp_path / "again"
    copier("copy", "--trust", "--defaults", str(template_repo), str(dest), cwd=tmp_path)
    git("init", "-q", "-b", "main", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-qm", "generated", cwd=dest)
    (dest / "src" / "my_service" / "worker.py").unlink()
    copier("recopy", "--trust", "--defaults", "--overwrite", cwd=dest)
    assert (dest / "src" / "my_service" / "worker.py").is_file()
    assert_project_is_clean(dest, static=STATIC_AGAIN)


BAD_NAMES = ["class", "9lives", "my-worker", "list", "FetchWorker", "test_x"]


def refused_copy(template_repo: Path, tmp_path: Path, *answers: str) -> str:
    """``copier copy`` with a bad ``--data`` answer: it fails, writes no
    package, and its stderr is returned."""
    result = run(
        [
            tool("copier"),
            "copy",
            "--trust",
            "--defaults",
            *(f"--data={answer}" for answer in answers),
            str(template_repo),
            str(tmp_path / "out"),
        ],
        tmp_path,
    )
    assert result.returncode != 0
    assert not (tmp_path / "out" / "src").exists()
    return result.stderr


@pytest.mark.parametrize("name", BAD_NAMES)
def test_copier_refuses_bad_names_with_the_cli_message(
    template_repo: Path, tmp_path: Path, name: str
) -> None:
    with pytest.raises(Exception) as expected:
        validate_name(name)
    stderr = refused_copy(template_repo, tmp_path, f"worker_names={name}")
    assert str(expected.value) in stderr


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (
            "worker_names=fetch orders",
            "worker name 'fetch orders' is not a valid Python identifier",
        ),
        ("package_name=class", "package name 'class' is a Python keyword"),
        ("package_name=asyncio", "would shadow the standard-library module 'asyncio'"),
    ],
)
def test_copier_validators_use_the_cli_messages(
    template_repo: Path, tmp_path: Path, answer: str, message: str
) -> None:
    assert message in refused_copy(template_repo, tmp_path, answer)


def test_a_users_own_templates_folder_is_not_taken_for_ours(tmp_path: Path) -> None:
    """A template with its own ``templates/worker.py.jinja`` still renders with
    the fragments installed with cancelgen."""
    template = tmp_path / "theirs"
    (template / "templates").mkdir(parents=True)
    (template / "copier.yml").write_text(
        "_subdirectory: templates\n"
        "_jinja_extensions:\n  - cancelgen.jinja.CancelgenExtension\n"
    )
    (template / "templates" / "worker.py.jinja").write_text(
        '{{ cancelgen_worker("worker", patterns=["cleanup"]) }}'
    )
    dest = tmp_path / "out"
    copier("copy", "--trust", "--defaults", str(template), str(dest), cwd=tmp_path)
    assert "async def worker(" in (dest / "worker.py").read_text()


def test_cancelgen_init_runs_the_packaged_template(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    result = run(
        [
            # No --no-input and stdin closed: no terminal, so no question, no traceback
            "sh",
            "-c",
            'exec "$0" "$@" <&-',
            sys.executable,
            "-m",
            "cancelgen",
            "init",
            str(dest),
            *("-w", "poller", "-p", "cleanup", "-p", "checkpoint", "-p", "task-group"),
            *("-r", "queue", "--backend", "asyncio", "--test-style", "pytest-asyncio"),
        ],
        tmp_path,
        timeout=300,
        env={"CANCELGEN_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    assert (dest / "src" / "svc" / "poller.py").is_file()  # named after the folder
    assert (dest / ".copier-answers.yml").is_file()
    assert "pytest-asyncio" in (dest / "pyproject.toml").read_text()
    assert "backend: asyncio" in (dest / ".copier-answers.yml").read_text()
    assert_project_is_clean(dest)


def test_init_passes_the_backend_through(tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    argv = ["init", str(dest), "--backend", "trio", "-p", "cleanup", "--no-input"]
    result = run(
        [sys.executable, "-m", "cancelgen", *argv],
        tmp_path,
        timeout=300,
        env={"CANCELGEN_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    assert "backend: trio" in (dest / ".copier-answers.yml").read_text()
    pyproject = tomllib.loads((dest / "pyproject.toml").read_text())
    assert pyproject["project"]["dependencies"] == ["trio>=0.27"]
    assert pyproject["tool"]["cancelgen"]["test-style"] == "trio-run"
    assert_project_is_clean(dest, "trio", static=STATIC_AGAIN)


def test_init_with_a_support_module_shares_the_helpers(tmp_path: Path) -> None:
    """--support-module: one _cancellation_<backend>.py in the package, imported
    by every worker, and [tool.cancelgen] says so for later `cancelgen new`."""
    dest = tmp_path / "svc"
    argv = ["init", str(dest), "-w", "fetcher", "-w", "saver", "-r", "lock"]
    result = run(
        [sys.executable, "-m", "cancelgen", *argv, "--support-module", "--no-input"],
        tmp_path,
        timeout=300,
        env={"CANCELGEN_DATA_DIR": str(tmp_path / "data")},
    )
    assert result.returncode == 0, result.stderr
    package = dest / "src" / "svc"
    support = package / "_cancellation_asyncio.py"
    spec = WorkerSpec.create(
        name="fetcher",
        resources=["lock"],
        package_dir="src/svc",
        package_import="svc",
        support_module=True,
    )
    assert support.read_text() == format_source(render_support_module(spec))
    for name in ("fetcher", "saver"):
        assert (
            "from svc._cancellation_asyncio import"
            in (package / f"{name}.py").read_text()
        )
    assert "support_module: true" in (dest / ".copier-answers.yml").read_text()
    pyproject = tomllib.loads((dest / "pyproject.toml").read_text())
    assert pyproject["tool"]["cancelgen"]["support-module"] is True
    assert (
        "_cancellation_asyncio.py`: the cancellation helpers"
        in (dest / "README.md").read_text()
    )
    assert_project_is_clean(dest)


def test_a_copy_is_single_file_by_default(project: Path) -> None:
    assert not list(project.rglob("_cancellation_*.py"))
    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    assert pyproject["tool"]["cancelgen"]["support-module"] is False


def test_init_then_update_merges_a_new_template_version_and_keeps_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cancelgen init` records the template as a git tag; after the installed
    template changes, `cancelgen update` brings the change in with copier's
    three-way merge, keeping the user's edit."""
    from typer.testing import CliRunner

    from cancelgen import __version__
    from cancelgen.cli import app
    from cancelgen.copier import template_repo
    from cancelgen.copier.template_repo import copier_template_root

    monkeypatch.setenv("CANCELGEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    made = runner.invoke(
        app, ["init", "svc", "-w", "fetcher", "-p", "cleanup", "--no-input"]
    )
    assert made.exit_code == 0, made.output
    dest = tmp_path / "svc"
    answers = (dest / ".copier-answers.yml").read_text()
    assert f"_commit: v{__version__}\n" in answers
    assert f"_src_path: {tmp_path / 'data' / 'template'}\n" in answers
    # init made the project a git repository with everything committed.
    assert "made svc a git repository with one commit" in made.stderr
    log = run(["git", "log", "--oneline"], dest)
    assert f"New project from cancelgen template v{__version__}" in log.stdout
    assert run(["git", "status", "--porcelain"], dest).stdout == ""

    same = runner.invoke(app, ["update", "svc", "--no-input"])
    assert same.exit_code == 0, same.output
    assert f"already at cancelgen template v{__version__}" in same.stdout

    worker = dest / "src" / "svc" / "fetcher.py"
    edited = worker.read_text().replace(
        "return list(range(100))", "return list(range(42))"
    )
    worker.write_text(edited)
    newer = tmp_path / "newer-template"
    newer.mkdir()
    shutil.copy(copier_template_root() / "copier.yml", newer / "copier.yml")
    shutil.copytree(copier_template_root() / "templates", newer / "templates")
    cleanup = newer / "templates" / "asyncio" / "patterns" / "cleanup.py.jinja"
    cleanup.write_text(
        cleanup.read_text().replace(
            'logger.info("{{ spec.name }} cancelled")',
            'logger.warning("{{ spec.name }} was cancelled")',
        )
    )
    monkeypatch.setattr(template_repo, "copier_template_root", lambda: newer)
    dirty = runner.invoke(app, ["update", "svc", "--no-input"])
    assert dirty.exit_code == 1
    assert "dirty" in dirty.stderr and "Traceback" not in dirty.output
    git("commit", "-qam", "my own fetch", cwd=dest)
    updated = runner.invoke(app, ["update", "svc", "--no-input"])
    assert updated.exit_code == 0, updated.output
    assert f"to v{__version__}+1" in updated.stdout

    text = worker.read_text()
    assert 'logger.warning("fetcher was cancelled")' in text  # the template's change
    assert "return list(range(42))" in text  # the user's edit
    assert "<<<<<<<" not in text
    assert f"_commit: v{__version__}+1" in (dest / ".copier-answers.yml").read_text()
    assert_project_is_clean(dest, static=STATIC_AGAIN)

    # Back on the older template, update refuses to go back a version.
    git("commit", "-qam", "updated", cwd=dest)
    monkeypatch.setattr(template_repo, "copier_template_root", copier_template_root)
    older = runner.invoke(app, ["update", "svc", "--no-input"])
    assert older.exit_code == 1
    assert f"newer than this cancelgen's v{__version__}" in older.stderr
    assert 'logger.warning("fetcher was cancelled")' in worker.read_text()


def test_init_without_git_still_generates_and_says_it_cannot_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cancelgen.cli import app

    no_git = tmp_path / "bin"
    no_git.mkdir()
    monkeypatch.setenv("PATH", str(no_git))
    monkeypatch.setenv("CANCELGEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    made = CliRunner().invoke(app, ["init", "svc", "-w", "poller", "--no-input"])
    assert made.exit_code == 0, made.output
    assert "git not found" in made.stderr
    assert (tmp_path / "svc" / "src" / "svc" / "poller.py").is_file()
    answers = (tmp_path / "svc" / ".copier-answers.yml").read_text()
    assert str(tmp_path / "data") not in answers  # not from a recorded template
    assert not (tmp_path / "data" / "template" / ".git").exists()


def test_update_refuses_projects_not_made_by_init(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from cancelgen.cli import app

    monkeypatch.setenv("CANCELGEN_DATA_DIR", str(tmp_path / "data"))
    runner = CliRunner()
    other = runner.invoke(app, ["update", str(project), "--no-input"])
    assert other.exit_code == 1
    assert "update it with `copier update --trust`" in other.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    missing = runner.invoke(app, ["update", str(plain), "--no-input"])
    assert missing.exit_code == 1
    assert ".copier-answers.yml not found" in missing.stderr


def test_example_template_renders_a_worker_with_the_extension(tmp_path: Path) -> None:
    dest = tmp_path / "my-app"
    copier("copy", "--trust", "--defaults", str(EXAMPLE), str(dest), cwd=tmp_path)
    assert "async def sync_orders(" in (dest / "app" / "sync_orders.py").read_text()
    tests = run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], dest)
    assert tests.returncode == 0, tests.stdout[-3000:]
    main = run([sys.executable, "-m", "app.main"], dest)
    assert main.stdout.strip() == "sync_orders handled 100 items"
    black = run([tool("black"), "--check", "app", "tests"], dest)
    assert black.returncode == 0, black.stderr


def test_extension_errors_name_the_bad_value(tmp_path: Path) -> None:
    template = tmp_path / "bad-template"
    template.mkdir()
    (template / "copier.yml").write_text(
        "_jinja_extensions:\n  - cancelgen.jinja.CancelgenExtension\n"
    )
    (template / "worker.py.jinja").write_text(
        '{{ cancelgen_worker("sync", patterns=["cleanup", "sheild"]) }}'
    )
    result = run(
        [
            tool("copier"),
            "copy",
            "--trust",
            "--defaults",
            str(template),
            str(tmp_path / "o"),
        ],
        tmp_path,
    )
    assert result.returncode != 0
    assert "unknown pattern 'sheild' (did you mean 'shield'?)" in result.stderr


def test_extension_renders_in_plain_jinja() -> None:
    environment = jinja2.Environment(extensions=["cancelgen.jinja.CancelgenExtension"])
    source = environment.from_string(
        "{{ cancelgen_worker('pump', 'cleanup, timeout', 'lock') }}"
    ).render()
    assert "async def pump(steps: PumpSteps | None = None) -> int:" in source
    assert "hold_lock" in source
    with pytest.raises(jinja2.TemplateRuntimeError, match="'9lives'"):
        environment.from_string("{{ cancelgen_worker('9lives') }}").render()
    slots = environment.from_string(
        "{{ cancelgen_slot('a, b', 1) }}|{{ cancelgen_slot('a, b', 1, 'test') }}|"
        "{{ cancelgen_slot('a, b', 2) }}"
    ).render()
    assert slots == "b.py|test_b.py|"


# CI's sample: one backend (black formats each backend's 1,500-line test
# modules twice here); pytest --full: all of them.
@pytest.mark.parametrize("backend", list(BACKENDS) if budget.full() else ["anyio"])
def test_extension_takes_the_backend_like_any_setting(backend: str) -> None:
    environment = jinja2.Environment(extensions=["cancelgen.jinja.CancelgenExtension"])
    source = environment.from_string(
        "{{ cancelgen_worker('pump', 'cleanup', backend=b) }}"
    ).render(b=backend)
    spec = WorkerSpec.create(name="pump", patterns=["cleanup"], backend=backend)
    assert source == format_source(render_module(spec))
    # A test module carries its engine unless the template shares it.
    tests = environment.from_string(
        "{{ cancelgen_tests('pump', 'cleanup', backend=b) }}"
    ).render(b=backend)
    alone = dataclasses.replace(spec, shared_tests=False)
    assert tests == format_source(render_tests(alone))
    shared = environment.from_string(
        "{{ cancelgen_tests('pump', 'cleanup', backend=b, shared_tests=True) }}"
        "{{ cancelgen_test_support(b) }}"
    ).render(b=backend)
    engine = render_test_support_module(spec)
    assert shared == format_source(render_tests(spec)) + format_source(engine)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("cancelgen_worker(5)", "cancelgen: worker name must be a string, got 5"),
        (
            "cancelgen_worker('pump', patterns=5)",
            "cancelgen: patterns must be a list of names, got 5",
        ),
        (
            "cancelgen_worker('pump', timeout=-1)",
            "cancelgen: timeout must be a positive number of seconds, got -1",
        ),
        (
            "cancelgen_tests('pump', cleanup_timeout='soon')",
            "cancelgen: cleanup_timeout must be a number, got 'soon'",
        ),
        (
            "cancelgen_worker('pump', backend='gevent')",
            "cancelgen: unknown backend 'gevent'; choose from: " + ", ".join(BACKENDS),
        ),
    ],
)
def test_extension_argument_errors_name_the_bad_value(call: str, message: str) -> None:
    environment = jinja2.Environment(extensions=["cancelgen.jinja.CancelgenExtension"])
    with pytest.raises(jinja2.TemplateRuntimeError) as raised:
        environment.from_string("{{ " + call + " }}").render()
    assert str(raised.value) == message


def test_validator_globals_give_the_cli_messages() -> None:
    environment = jinja2.Environment(extensions=["cancelgen.jinja.CancelgenExtension"])

    def render(source: str) -> str:
        return environment.from_string(source).render()

    assert render("{{ cancelgen_name_error('fetch, save') }}") == ""
    assert "'fetch orders' is not a valid" in render(
        "{{ cancelgen_name_error('fetch orders') }}"
    )
    assert render("{{ cancelgen_names('a, b') }}") == "['a', 'b']"
    assert render("{{ cancelgen_package_error('shop') }}") == ""
    assert render("{{ cancelgen_package_error('Shop') }}") == (
        "package name 'Shop' must be a lowercase Python identifier "
        "(did you mean 'shop'?)"
    )


def test_copier_choices_match_the_catalog() -> None:
    import yaml

    from cancelgen.core.catalog import DEFAULT_PATTERNS, PATTERNS, RESOURCES

    questions = yaml.safe_load((ROOT / "copier.yml").read_text())
    assert questions["patterns"]["choices"] == list(PATTERNS)
    assert questions["patterns"]["default"] == list(DEFAULT_PATTERNS)
    assert questions["resources"]["choices"] == list(RESOURCES)
    assert questions["backend"]["choices"] == list(BACKENDS)
    # The test styles are rendered from the backend's, with our extension.
    environment = jinja2.Environment(extensions=["cancelgen.jinja.CancelgenExtension"])
    for backend in BACKENDS.values():
        offered = environment.from_string(questions["test_style"]["choices"])
        assert yaml.safe_load(offered.render(backend=backend.name)) == list(
            backend.test_styles
        )
        default = environment.from_string(questions["test_style"]["default"])
        assert default.render(backend=backend.name) == backend.test_styles[0]
