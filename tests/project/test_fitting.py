"""Generated files pass the project's own formatter, import-order and lint checks.

Each case of ``tests/cases/fitting.toml`` is a throwaway project with its own
black, ruff or isort setup. ``cancelgen new`` runs in it as a real process;
then the project's own checks run, unchanged, on what was written, and
``status`` and ``upgrade --dry-run`` must agree that nothing differs from what
``new`` recorded. The tools run for real: nothing here mocks a formatter.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest

from cancelgen.project.detect import find_project
from tests.cli_support import cli_env, make_project, snapshot

CASES_FILE = Path(__file__).parent.parent / "cases" / "fitting.toml"
CASES: list[dict[str, Any]] = tomllib.loads(CASES_FILE.read_text())["case"]
PROJECT_TABLE = (
    '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
)
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cancelgen cache for these tests, outside every project."""
    return tmp_path_factory.mktemp("cancelgen-cache")


def cancelgen(
    args: list[str], cwd: Path, cache: Path | None, **env: str
) -> subprocess.CompletedProcess[str]:
    """``python -m cancelgen ARGS`` in ``cwd``, stdin not a terminal."""
    return subprocess.run(
        [sys.executable, "-m", "cancelgen", *args],
        cwd=cwd,
        env={**cli_env(cache), **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def build(root: Path, case: dict[str, Any]) -> Path:
    """The case's project: ``[project]``, its ``pyproject`` text and ``files``."""
    make_project(root, PROJECT_TABLE + case["pyproject"])
    for relative, text in case.get("files", {}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    return root


def tool_command(argv: list[str]) -> list[str]:
    """``argv`` with ``{python}`` and the venv's tools (ruff) resolved."""
    if argv[0] == "{python}":
        return [sys.executable, *argv[1:]]
    script = BIN / argv[0]
    return [str(script) if script.is_file() else argv[0], *argv[1:]]


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_generated_files_pass_the_projects_checks(
    tmp_path: Path, cache: Path, case: dict[str, Any]
) -> None:
    root = build(tmp_path / "project", case)
    written: list[str] = []
    for argv in case.get("runs", [["worker"]]):
        result = cancelgen(["new", *argv, "--no-input"], root, cache)
        assert result.returncode == 0, result.stderr
        notices = [line for line in result.stderr.splitlines() if "detected" in line]
        if case["notice"]:
            assert notices == [
                f"cancelgen: {case['notice']}; --formatter chooses the formatter"
            ]
        else:
            assert notices == []
        written += [line.split()[-1] for line in result.stdout.splitlines()]
    python_files = sorted({path for path in written if path.endswith(".py")})
    assert python_files

    for argv in case["checks"]:
        check = subprocess.run(
            [*tool_command(argv), *python_files],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert check.returncode == 0, f"{argv}:\n{check.stdout}\n{check.stderr}"
    for relative, text in case.get("contains", {}).items():
        assert text in (root / relative).read_text(encoding="utf-8"), relative

    again = case.get("again", [])
    status = cancelgen(["status", "--json", *again], root, cache)
    assert status.returncode == 0, status.stderr
    files = json.loads(status.stdout)["files"]
    assert {f["path"] for f in files} == set(python_files)
    assert all(f["state"] == "unedited" and not f["outdated"] for f in files), files
    before = snapshot(root)
    upgrade = cancelgen(["upgrade", "--dry-run", *again], root, cache)
    assert upgrade.returncode == 0, upgrade.stderr
    assert upgrade.stdout == ""
    assert "would be updated" not in upgrade.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize(
    "case_id", ["black-100-isort-profile", "ruff-format-single-quotes-120"]
)
def test_cache_off_writes_the_same(tmp_path: Path, cache: Path, case_id: str) -> None:
    """The caches (black's; ruff's output, answering the second run) and the
    uncached path give the same files in a black + isort and a ruff project."""
    case = next(case for case in CASES if case["id"] == case_id)
    trees = []
    for index, where in enumerate([cache, cache, None]):
        root = build(tmp_path / f"p{index}", case)
        result = cancelgen(["new", "worker", "--no-input"], root, where)
        assert result.returncode == 0, result.stderr
        trees.append(snapshot(root / "tests"))
    assert trees[0] == trees[1] == trees[2]


def test_ruff_that_cannot_run_is_one_line_and_nothing_written(tmp_path: Path) -> None:
    case = next(c for c in CASES if c["id"] == "ruff-format-single-quotes-120")
    root = build(tmp_path / "project", case)
    before = snapshot(root)
    missing = tmp_path / "no-such-ruff"
    result = cancelgen(
        ["new", "worker", "--no-input"], root, None, CANCELGEN_RUFF=str(missing)
    )
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if "detected" not in line]
    assert errors == [
        f"cancelgen: error: cannot run ruff ({missing}): No such file or directory; "
        "install ruff or set CANCELGEN_RUFF to a ruff executable"
    ]
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before


def test_ruff_configuration_error_is_one_line(tmp_path: Path) -> None:
    root = build(tmp_path / "project", {"pyproject": "", "files": {}})
    (root / "ruff.toml").write_text("line-length = 'wide'\n", encoding="utf-8")
    before = snapshot(root)
    result = cancelgen(["new", "worker", "--no-input"], root, None)
    assert result.returncode == 1
    (error,) = [line for line in result.stderr.splitlines() if "error" in line]
    assert error.startswith(
        "cancelgen: error: ruff check failed on src/demo/worker.py:"
    )
    assert "Traceback" not in result.stderr
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, ("black", "", "")),
        ({"pyproject.toml": "[tool.ruff]\n"}, ("ruff", "ruff", "ruff")),
        ({".ruff.toml": ""}, ("ruff", "ruff", "ruff")),
        (
            {"pyproject.toml": "[tool.ruff]\n[tool.black]\n"},
            ("black", "ruff", "ruff"),
        ),
        ({"pyproject.toml": "[tool.isort]\n"}, ("black", "isort", "")),
        ({".isort.cfg": "[settings]\n"}, ("black", "isort", "")),
        ({"tox.ini": "[isort]\nprofile = black\n"}, ("black", "isort", "")),
        ({"setup.cfg": "[tool:isort]\n"}, ("black", "isort", "")),
        ({"setup.cfg": "[flake8]\n"}, ("black", "", "")),
        (
            {".pre-commit-config.yaml": "repos:\n- hooks:\n  - id: ruff-format\n"},
            ("ruff", "", ""),
        ),
        (
            {".pre-commit-config.yaml": "repos:\n- hooks:\n  - id: ruff-check\n"},
            ("black", "ruff", "ruff"),
        ),
        (
            {
                "pyproject.toml": "[tool.ruff]\n",
                ".pre-commit-config.yaml": "repos:\n- hooks:\n  - id: black\n",
            },
            ("black", "ruff", "ruff"),
        ),
        (
            {
                "ruff.toml": "",
                ".pre-commit-config.yaml": "repos:\n- hooks:\n  - id: isort\n",
            },
            ("ruff", "isort", "ruff"),
        ),
        (
            {"pyproject.toml": '[tool.ruff]\n[tool.cancelgen]\nformatter = "black"\n'},
            ("black", "ruff", "ruff"),
        ),
    ],
)
def test_detection(
    tmp_path: Path, files: dict[str, str], expected: tuple[str, str, str]
) -> None:
    pyproject = PROJECT_TABLE + files.pop("pyproject.toml", "")
    root = make_project(tmp_path / "project", pyproject)
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    assert find_project(root).tools.names() == expected


RUFF_HOOKS = (
    "repos:\n- repo: https://github.com/astral-sh/ruff-pre-commit\n"
    "  rev: v{}\n  hooks:\n  - id: ruff\n  - id: ruff-format\n"
)


@pytest.mark.parametrize(
    ("files", "pin"),
    [
        ({".pre-commit-config.yaml": RUFF_HOOKS.format("0.5.0")}, "0.5.0"),
        (
            {
                "requirements-dev.txt": "pytest==8.2.2\nruff==0.5.0 ; python_version >= '3.8'\n"
            },
            "0.5.0",
        ),
        ({"requirements/lint.in": "ruff == 0.4.10  # the CI's\n"}, "0.4.10"),
        ({"requirements.txt": "ruff>=0.5\n"}, None),  # not a pin
        ({}, None),
    ],
    ids=["pre-commit rev", "requirements file", "requirements folder", "range", "none"],
)
def test_the_ruff_a_project_pins_is_read(
    tmp_path: Path, files: dict[str, str], pin: str | None
) -> None:
    root = make_project(tmp_path / "project", PROJECT_TABLE + "[tool.ruff]\n")
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")
    tools = find_project(root).tools
    assert (tools.ruff_pin or (None, ""))[0] == pin
    if pin is None:
        assert tools.ruff_mismatch("0.17.6") == ""


def test_new_says_when_the_project_pins_another_ruff(
    tmp_path: Path, cache: Path
) -> None:
    """ruff's formatting changes between versions: the project's check runs
    its pinned ruff, cancelgen its own (CANCELGEN_RUFF runs the project's)."""
    from cancelgen.core.format_ruff import bundled_version

    ours = bundled_version()
    assert ours is not None
    root = make_project(tmp_path / "project", PROJECT_TABLE + "[tool.ruff]\n")
    hooks = root / ".pre-commit-config.yaml"
    hooks.write_text(RUFF_HOOKS.format("0.5.0"), encoding="utf-8")
    result = cancelgen(["new", "worker", "--dry-run"], root, cache)
    assert result.returncode == 0, result.stderr
    assert (
        "cancelgen: the project pins ruff 0.5.0 (ruff-pre-commit's rev in "
        f".pre-commit-config.yaml) and cancelgen runs ruff {ours}, whose output "
        "can differ: set CANCELGEN_RUFF=/path/to/ruff (a ruff 0.5.0, such as your "
        "virtual environment's) to run yours\n"
    ) in result.stderr
    hooks.write_text(RUFF_HOOKS.format(ours), encoding="utf-8")
    result = cancelgen(["new", "worker", "--dry-run"], root, cache)
    assert "pins ruff" not in result.stderr
    hooks.write_text(RUFF_HOOKS.format("0.5.0"), encoding="utf-8")
    result = cancelgen(
        ["new", "worker", "--dry-run"], root, cache, CANCELGEN_RUFF=str(BIN / "ruff")
    )
    assert "pins ruff" not in result.stderr  # the user chose the ruff


def test_formatter_flag_wins_over_tool_cancelgen(tmp_path: Path) -> None:
    pyproject = PROJECT_TABLE + '[tool.cancelgen]\nformatter = "ruff"\n'
    project = find_project(make_project(tmp_path / "project", pyproject))
    assert project.tools.formatter.name == "ruff"
    assert project.with_formatter("black").tools.formatter.name == "black"
    assert project.with_formatter(None) == project


def test_upgrade_with_new_answers_keeps_the_projects_format(
    tmp_path: Path, cache: Path
) -> None:
    """An upgrade that changes a worker's answers writes code that still passes
    the project's ruff checks, and records it as the new pristine copy."""
    case = next(c for c in CASES if c["id"] == "ruff-format-single-quotes-120")
    root = build(tmp_path / "project", case)
    assert cancelgen(["new", "worker", "--no-input"], root, cache).returncode == 0
    upgraded = cancelgen(
        ["upgrade", "worker", "-p", "shield", "-r", "queue", "--yes"], root, cache
    )
    assert upgraded.returncode == 0, upgraded.stderr
    assert "shield" in (root / "src/demo/worker.py").read_text(encoding="utf-8")
    files = ["src/demo/worker.py", "tests/test_worker.py", "tests/conftest.py"]
    for argv in case["checks"]:
        check = subprocess.run(
            [*tool_command(argv), *files], cwd=root, capture_output=True, text=True
        )
        assert check.returncode == 0, f"{argv}:\n{check.stdout}\n{check.stderr}"
    status = json.loads(cancelgen(["status", "--json"], root, cache).stdout)
    assert all(
        f["state"] == "unedited" and not f["outdated"] for f in status["files"]
    ), status


@pytest.mark.parametrize("case_id", ["ruff-format-single-quotes-120", "black-default"])
def test_fitted_together_answers_as_one_group_at_a_time(
    tmp_path: Path, case_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``new`` fits a worker's files and the modules they share in one ruff run
    (:func:`fitted_together`): the same texts, in one :func:`run_pipes` call
    where ruff does the work; in a black project it changes nothing."""
    monkeypatch.setenv("CANCELGEN_NO_CACHE", "1")  # ruff runs every time
    from cancelgen.core import format_ruff
    from cancelgen.core.render import render, render_support, render_test_support
    from cancelgen.core.spec import WorkerSpec
    from cancelgen.project.fit import fit_files, fitted_together

    case = next(case for case in CASES if case["id"] == case_id)
    project = find_project(build(tmp_path / "project", case))
    spec = project.placed(WorkerSpec(support_module=True))
    groups = [
        (render(spec), spec),
        (render_support(spec), None),
        (render_test_support(spec), None),
    ]
    alone = [fit_files(files, project, given) for files, given in groups]
    runs: list[list[str]] = []
    run_pipes = format_ruff.run_pipes

    def counted(pipes: Any, files: Any, root: Path, *rest: Any) -> dict[str, str]:
        runs.append(list(pipes))
        return run_pipes(pipes, files, root, *rest)

    monkeypatch.setattr(format_ruff, "run_pipes", counted)
    with fitted_together(groups, project):
        together = [fit_files(files, project, given) for files, given in groups]
    assert together == alone
    every = [path for files, _ in groups for path in files]
    assert runs == ([every] if project.tools.formatter.name == "ruff" else [])


def test_ruff_started_early_gives_what_a_late_start_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``new`` starts ruff before rendering (:func:`started_early`) and hands
    files over as they are rendered (:func:`feed_early`): the same output as
    starting it when fitting, from the same number of processes; a pipe fed
    a text that fitting does not get is started again; what is not used is
    stopped at the end. (With the cache off: with ruff's output cached,
    nothing starts early, see the next test.)"""
    monkeypatch.setenv("CANCELGEN_NO_CACHE", "1")
    from cancelgen.core import format_ruff
    from cancelgen.core.render import render, render_test_support
    from cancelgen.core.spec import WorkerSpec
    from cancelgen.project.fit import (
        feed_early,
        fit_files,
        fitted_together,
        started_early,
    )

    case = next(c for c in CASES if c["id"] == "ruff-format-single-quotes-120")
    project = find_project(build(tmp_path / "project", case))
    spec = project.placed(WorkerSpec())
    files, engine = render(spec), render_test_support(spec)
    groups = [(files, spec), (engine, None)]
    late = [fit_files(given, project, s) for given, s in groups]
    started: list[subprocess.Popen[bytes]] = []
    popen = format_ruff.subprocess.Popen

    def counted(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append(popen(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(format_ruff.subprocess, "Popen", counted)
    test_path = spec.test_path
    paths = [*files, "tests/unused.py"]
    with started_early([(paths, spec), (list(engine), None)], project):
        # check | format for each, before any text (each pipe starts in a
        # thread of its own: wait for them).
        deadline = time.monotonic() + 30
        while len(started) < 2 * 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(started) == 2 * 4
        feed_early(engine, project)
        feed_early({test_path: files[test_path] + "# edited\n"}, project)
        with fitted_together(groups, project):
            early = [fit_files(given, project, s) for given, s in groups]
        assert len(started) == 2 * 5  # the test module's pipe again
        unused = [p for p in started if str(project.root / "tests/unused.py") in p.args]
        assert len(unused) == 2  # never fed, still running
        assert all(process.poll() is None for process in unused)
    assert early == late
    assert all(process.poll() is not None for process in started)


def test_a_text_ruff_was_not_given_whole_is_an_error_not_its_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each pipe's own thread writes its file's text: if writing fails, fitting
    raises what it raised, instead of ruff's output for a part of the text
    (or waiting for a ruff that waits for the rest)."""
    monkeypatch.setenv("CANCELGEN_NO_CACHE", "1")
    from cancelgen.core import format_ruff

    def failing(chain: Any, text: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(format_ruff, "_feed", failing)
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\n")
    with pytest.raises(OSError, match="Input/output error"):
        format_ruff.run_stages([format_ruff.FORMAT], {"a.py": "x = 1\n"}, tmp_path)


def test_a_ruff_that_never_ends_is_stopped_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run_pipes' timer kills a ruff that never answers (a hung binary), and
    fitting says so in one line instead of waiting for it."""
    from cancelgen.core import format_ruff
    from cancelgen.errors import CancelgenError

    hung = tmp_path / "hung-ruff"
    hung.write_text("#!/bin/sh\nexec sleep 60\n")
    hung.chmod(0o755)
    monkeypatch.setenv(format_ruff.RUFF_ENV, str(hung))
    monkeypatch.setattr(format_ruff, "TIMEOUT", 0.5)
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\n")
    with pytest.raises(CancelgenError, match=r"ruff took over 0 s on a\.py: stopped"):
        format_ruff.run_stages([format_ruff.FORMAT], {"a.py": "x = 1\n"}, tmp_path)


def test_warm_new_in_a_ruff_project_starts_no_ruff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ruff_starts: list[str]
) -> None:
    """Once ruff's output for a configuration is cached, ``new`` in another
    project with that configuration starts no ruff, not even early, and writes
    what ruff writes; a new worker there starts ruff once its files are
    rendered, not for the engine."""
    from dataclasses import replace

    from cancelgen.core.spec import WorkerSpec
    from cancelgen.project.new_files import new_worker_files

    monkeypatch.setenv("CANCELGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CANCELGEN_NO_CACHE", raising=False)
    case = next(c for c in CASES if c["id"] == "ruff-format-single-quotes-120")
    started = ruff_starts

    def new(root: Path, spec: WorkerSpec) -> dict[str, str]:
        project = find_project(root)
        return new_worker_files(project.placed(spec), project).files

    cold = new(build(tmp_path / "a", case), WorkerSpec())
    assert len(started) == 4  # the worker, its tests, conftest.py, the engine
    started.clear()
    warm_root = build(tmp_path / "b", case)
    assert new(warm_root, WorkerSpec()) == cold
    assert started == []
    other = replace(WorkerSpec(), name="fetcher", patterns=("shield",))
    warm = new(warm_root, other)
    # conftest.py goes through the worker's commands, which name its module
    # as first-party for the run: another key. The engine is answered.
    assert sorted(started) == [
        "fetcher.py",
        "tests/conftest.py",
        "tests/test_fetcher.py",
    ]
    monkeypatch.setenv("CANCELGEN_NO_CACHE", "1")
    assert new(build(tmp_path / "c", case), other) == warm


def test_new_asks_ruff_for_its_src_folders_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the project sets ``src``, ruff is asked for it (``--show-settings``)
    once per ``new``, though the early start and the fitting both need it."""
    from cancelgen.core import format_ruff
    from cancelgen.core.spec import WorkerSpec
    from cancelgen.project.new_files import new_worker_files

    case = {"pyproject": '\n[tool.ruff]\nsrc = ["src", "tests"]\n', "files": {}}
    project = find_project(build(tmp_path / "project", case))
    spec = project.placed(WorkerSpec())
    asked: list[list[str]] = []
    run = format_ruff.subprocess.run

    def counted(argv: list[str], **kwargs: Any) -> Any:
        if "--show-settings" in argv:
            asked.append(argv)
        return run(argv, **kwargs)

    monkeypatch.setattr(format_ruff.subprocess, "run", counted)
    new_worker_files(spec, project)
    assert len(asked) == 1, asked
    assert format_ruff._src_memo is None  # forgotten after the run


@pytest.mark.parametrize("formatter", ["black", "ruff"])
def test_a_project_pinning_a_mypy_before_1_11_gets_generator_hints_in_full(
    tmp_path: Path, cache: Path, formatter: str
) -> None:
    """mypy 1.10 reads no defaults of Generator's type parameters: the hints
    name every argument there (tests/projects/mypy-1.10-pinned runs that mypy
    under --full), and keep the short form for a mypy that reads them."""
    from cancelgen.core.generator_hints import spell_out

    tool = (
        '[tool.ruff.lint]\nselect = ["E", "F", "UP"]\n' if formatter == "ruff" else ""
    )
    root = make_project(tmp_path / "project", PROJECT_TABLE + tool)
    requirements = root / "requirements-dev.txt"
    requirements.write_text("pytest\nmypy==1.10.1\n", encoding="utf-8")
    args = ["new", "worker", "-r", "queue", "-r", "task", "-p", "task-group"]
    result = cancelgen(args, root, cache)
    assert result.returncode == 0, result.stderr
    assert "mypy 1.10.1, so Generator hints in full (requirements-dev.txt)" in (
        result.stderr
    )

    def short_forms_left() -> bool:
        written = [path.read_text() for path in root.rglob("*.py")]
        return any(spell_out(text) != text for text in written)

    assert not short_forms_left()
    assert (
        "Every recorded file is up to date" in cancelgen(["status"], root, cache).stdout
    )
    # The project moves to a mypy that reads the defaults: upgrade writes them short.
    requirements.write_text("pytest\nmypy==1.11.0\n", encoding="utf-8")
    assert "outdated" in cancelgen(["status"], root, cache).stdout
    result = cancelgen(["upgrade"], root, cache)
    assert result.returncode == 0, result.stderr
    assert short_forms_left()
    assert (
        "Every recorded file is up to date" in cancelgen(["status"], root, cache).stdout
    )


def test_a_shared_module_fitted_to_other_settings_points_to_upgrade(
    tmp_path: Path, cache: Path
) -> None:
    """The project's line length changed after the engine was written: the
    same cancelgen writes it otherwise, and says so (not "another cancelgen")."""
    root = make_project(tmp_path / "project", PROJECT_TABLE)
    assert cancelgen(["new", "worker"], root, cache).returncode == 0
    pyproject = root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + "[tool.black]\nline-length = 79\n", encoding="utf-8"
    )
    before = snapshot(root)
    refused = cancelgen(["new", "other"], root, cache)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1].startswith(
        "cancelgen: error: tests/_cancelgen_asyncio.py was written for other "
        "project settings or templates (cancelgen "
    )
    assert snapshot(root) == before
    assert cancelgen(["upgrade"], root, cache).returncode == 0
    engine = (root / "tests" / "_cancelgen_asyncio.py").read_text()
    assert max(len(line) for line in engine.splitlines()) <= 79
    assert cancelgen(["new", "other"], root, cache).returncode == 0


@pytest.mark.parametrize(
    ("pyproject", "files", "pin"),
    [
        ('[dependency-groups]\ntest = ["flake8~=6.1", "mypy~=1.8.0"]\n', {}, "1.8.0"),
        ('[project.optional-dependencies]\ndev = ["mypy==1.10.1"]\n', {}, "1.10.1"),
        ('[tool.poetry.group.dev.dependencies]\nmypy = "1.9.0"\n', {}, "1.9.0"),
        ('[dependency-groups]\ntest = ["mypy~=1.8"]\n', {}, None),  # up to 2.0
        ('[dependency-groups]\ntest = ["mypy>=1.8"]\n', {}, None),
        (
            "",
            {
                ".pre-commit-config.yaml": (
                    "repos:\n- repo: https://github.com/pre-commit/mirrors-mypy\n"
                    "  rev: v1.10.0\n  hooks:\n  - id: mypy\n"
                )
            },
            "1.10.0",
        ),
    ],
    ids=["~= three parts", "==", "poetry exact", "~= two parts", ">=", "hook rev"],
)
def test_the_mypy_a_project_pins_is_read(
    tmp_path: Path, pyproject: str, files: dict[str, str], pin: str | None
) -> None:
    """MagicStack/asyncpg pins mypy~=1.8.0 in a dependency group."""
    root = make_project(tmp_path / "project", PROJECT_TABLE + pyproject)
    for relative, text in files.items():
        (root / relative).write_text(text, encoding="utf-8")
    tools = find_project(root).tools
    assert (tools.mypy_pin or (None, ""))[0] == pin
    assert tools.spells_out_generators is (pin is not None)
