"""The questionnaire, for real: ``cancelgen new worker`` in a pseudo-terminal.

Keys are sent as a user types them (arrows, space, enter, Ctrl-C, Ctrl-D);
each test waits for the question's text before answering, so nothing depends
on timing.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pexpect
import pytest

from cancelgen.cli.prompts import is_interactive, parameters_for
from cancelgen.core.catalog import BACKENDS
from tests.cli_support import (
    MINIMAL_PYPROJECT,
    cli_env,
    make_project,
    snapshot,
)

DOWN = "\x1b[B"
SPACE = " "
ENTER = "\r"
CTRL_C = "\x03"
CTRL_D = "\x04"
CLEAR_LINE = "\x15"  # Ctrl-U: empty a text answer before typing


# Most tests are about the questions after the backend's: these flags answer it.
ASYNCIO = ("--backend", "asyncio", "--test-style", "asyncio-run")


def terminal_env(cache: Path) -> dict[str, str]:
    """cancelgen's environment in the pseudo-terminal.

    prompt_toolkit asks a terminal where its cursor is (a CPR request) before
    each question and waits up to a second for an answer that pexpect never
    gives; ``PROMPT_TOOLKIT_NO_CPR`` says the terminal cannot answer, as a
    real terminal without CPR would, so it does not wait (3.7 s to 0.7 s for
    three questions). The questions and keys are the same.
    """
    env = cli_env(cache)
    env["TERM"] = "xterm"
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    return env


def spawn(
    root: Path, cache: Path, *args: str, backend: tuple[str, ...] = ASYNCIO
) -> pexpect.spawn:
    env = terminal_env(cache)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "cancelgen", "new", "worker", *backend, *args],
        cwd=str(root),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )
    return child


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None
    return child.exitstatus


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture
def cache(session_cache_dir: Path) -> Path:
    """The session's cache: these tests are about the questions, and black's
    output for what the answers render is the same in each (a cold cache
    costs about a second a worker)."""
    return session_cache_dir


def test_parameters_follow_the_chosen_patterns() -> None:
    assert parameters_for(["timeout"]) == ["timeout", "timeout_style"]
    assert parameters_for(["task-group", "cleanup"]) == ["cleanup_timeout", "children"]
    assert parameters_for(["exit-stack"]) == []


def test_not_interactive_without_a_terminal_or_with_no_input() -> None:
    # pytest's stdin is not a terminal
    assert not is_interactive()
    assert not is_interactive(no_input=True)


pytestmark = pytest.mark.slow


def test_full_questionnaire_with_arrows_space_and_enter(
    project: Path, cache: Path
) -> None:
    child = spawn(project, cache, "job")
    child.expect("Which cancellation patterns")
    # cleanup and timeout are pre-selected; add checkpoint (2nd) and
    # task-group (6th), and drop timeout (4th).
    child.send(DOWN + SPACE + DOWN + DOWN + SPACE + DOWN + DOWN + SPACE + ENTER)
    child.expect("Which resources")
    child.send(SPACE + DOWN + DOWN + SPACE + ENTER)  # lock, queue
    child.expect("Time allowed for cleanup")
    child.send(CLEAR_LINE + "2.5" + ENTER)
    child.expect(r"every N iterations\?")
    child.send(CLEAR_LINE + "50" + ENTER)
    child.expect("How many child tasks")
    child.send(ENTER)  # keep the default, 3
    child.expect("cancelgen will write:")
    child.expect("created    src/demo/job.py")
    child.expect("Write these files")
    child.send(ENTER)
    assert finish(child) == 0

    module = (project / "src/demo/job.py").read_text()
    assert "asyncio.TaskGroup" in module
    assert "asyncio.Lock" in module and "asyncio.Queue" in module
    recorded = tomllib.loads((project / ".cancelgen/answers.toml").read_text())
    assert recorded["patterns"] == ["cleanup", "checkpoint", "task-group"]
    assert recorded["resources"] == ["lock", "queue"]
    assert recorded["cleanup-timeout"] == 2.5
    assert recorded["checkpoint-every"] == 50
    assert recorded["children"] == 3


def test_flags_skip_their_questions(project: Path, cache: Path) -> None:
    child = spawn(project, cache, "-p", "shield", "-r", "lock", "--commit-timeout", "3")
    # patterns, resources and the shield's only parameter are given: straight
    # to the summary.
    index = child.expect(["Write these files", "Which", r"seconds\?"])
    assert index == 0, child.before
    child.send(ENTER)
    assert finish(child) == 0
    assert "asyncio.shield" in (project / "src/demo/worker.py").read_text()


def test_only_the_chosen_patterns_parameters_are_asked(
    project: Path, cache: Path
) -> None:
    child = spawn(project, cache, "-r", "custom")
    child.expect("Which cancellation patterns")
    child.send(
        SPACE + DOWN + DOWN + DOWN + SPACE + DOWN + SPACE + ENTER
    )  # exit-stack only
    index = child.expect(
        ["Write these files", r"seconds\?", r"iterations\?", r"child tasks\?"]
    )
    assert index == 0
    child.send(ENTER)
    assert finish(child) == 0


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D])
def test_interrupt_during_questions_exits_130_and_writes_nothing(
    project: Path, cache: Path, key: str
) -> None:
    before = snapshot(project)
    child = spawn(project, cache)
    child.expect("Which cancellation patterns")
    child.send(ENTER)
    child.expect("Which resources")
    child.send(ENTER)
    child.expect("Time allowed for cleanup")
    child.send(CLEAR_LINE + key)  # Ctrl-D is EOF on an empty answer
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in output
    assert "aborted: nothing written" in output
    assert snapshot(project) == before


@pytest.mark.parametrize("key", [CTRL_C, CTRL_D])
@pytest.mark.parametrize(
    ("flags", "question"),
    [
        ([], "Which cancellation patterns"),  # a checkbox
        (["-p", "timeout", "-r", "lock", "--timeout", "3"], "Timeout style"),  # select
        (["-p", "cleanup", "--no-resources", "--cleanup-timeout", "1"], "Write these"),
    ],
    ids=["checkbox", "select", "confirm"],
)
def test_ctrl_c_or_ctrl_d_at_any_kind_of_question(
    project: Path, cache: Path, key: str, flags: list[str], question: str
) -> None:
    before = snapshot(project)
    child = spawn(project, cache, *flags)
    child.expect(question)
    child.send(key)
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 130, output
    assert "aborted: nothing written" in output
    assert "Traceback" not in output
    assert snapshot(project) == before


def test_a_seconds_answer_must_be_finite(project: Path, cache: Path) -> None:
    child = spawn(project, cache, "-p", "cleanup", "--no-resources")
    child.expect("Time allowed for cleanup")
    child.send(CLEAR_LINE + "inf" + ENTER)
    child.expect("enter a positive number of seconds")
    child.send(CLEAR_LINE + "2" + ENTER)
    child.expect("Write these files")
    child.send(ENTER)
    assert finish(child) == 0
    assert (
        "cleanup_timeout_s: float = 2.0" in (project / "src/demo/worker.py").read_text()
    )


def test_yes_and_no_resources_answer_the_last_questions(
    project: Path, cache: Path
) -> None:
    child = spawn(project, cache, "-p", "cleanup", "--cleanup-timeout", "1")
    child.expect("Which resources")  # asked: no flag says "none" yet
    child.send(CTRL_C)
    assert finish(child) == 130
    child = spawn(
        project,
        cache,
        "-p",
        "cleanup",
        "--cleanup-timeout",
        "1",
        "--no-resources",
        "-y",
    )
    index = child.expect([pexpect.EOF, "Which", "Write these files"])
    assert index == 0, child.before
    child.close()
    assert child.exitstatus == 0
    assert (project / "src/demo/worker.py").is_file()


def spawn_shell(root: Path, cache: Path, command: str) -> pexpect.spawn:
    """A shell command in a pseudo-terminal, to redirect one of the streams."""
    env = terminal_env(cache)
    return pexpect.spawn(
        "/bin/sh",
        ["-c", command.replace("cancelgen", f"{sys.executable} -m cancelgen")],
        cwd=str(root),
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(50, 200),
    )


@pytest.mark.parametrize(
    "redirect", ["< /dev/null", "| cat", "<&-"], ids=["stdin", "stdout", "closed"]
)
def test_one_stream_off_the_terminal_means_no_questions(
    project: Path, cache: Path, redirect: str
) -> None:
    child = spawn_shell(project, cache, f"cancelgen new worker {redirect}")
    index = child.expect([pexpect.EOF, "Which", r"seconds\?"])
    output = child.before
    child.close()
    assert index == 0, output
    assert child.exitstatus == 0, output
    assert "Traceback" not in output
    assert (project / "src/demo/worker.py").is_file()


def test_dry_run_diff_is_coloured_on_a_terminal_only(
    project: Path, cache: Path
) -> None:
    child = spawn(project, cache, "--no-input", "--dry-run")
    child.expect(pexpect.EOF)
    coloured = child.before
    child.close()
    assert child.exitstatus == 0
    assert "\x1b[32m+async def worker(" in coloured
    child = spawn_shell(project, cache, "cancelgen new worker --dry-run | cat")
    child.expect(pexpect.EOF)
    plain = child.before
    child.close()
    assert "+async def worker(" in plain and "\x1b[32m" not in plain
    assert not (project / "src/demo/worker.py").exists()


def test_declining_the_summary_writes_nothing(project: Path, cache: Path) -> None:
    before = snapshot(project)
    child = spawn(
        project, cache, "-p", "cleanup", "-r", "lock", "--cleanup-timeout", "1"
    )
    child.expect("Write these files")
    child.send("n")
    assert finish(child) == 1
    assert snapshot(project) == before


def test_no_input_on_a_terminal_asks_nothing(project: Path, cache: Path) -> None:
    child = spawn(project, cache, "--no-input")
    index = child.expect([pexpect.EOF, "Which", r"seconds\?"])
    assert index == 0
    child.close()
    assert child.exitstatus == 0
    assert (project / "src/demo/worker.py").is_file()


def test_the_backend_is_asked_first_then_its_test_styles(
    project: Path, cache: Path
) -> None:
    flags = ("-p", "cleanup", "--no-resources", "--cleanup-timeout", "1", "-y")
    child = spawn(project, cache, *flags, backend=())
    child.expect("Which backend is the code written for")
    child.send(ENTER)  # the pointer starts on the detected backend: asyncio
    child.expect("How do the asyncio worker's tests run")
    child.expect("pytest-asyncio")
    child.send(DOWN + ENTER)  # asyncio-run, pytest-asyncio, anyio
    assert finish(child) == 0
    recorded = tomllib.loads((project / ".cancelgen/answers.toml").read_text())
    assert (recorded["backend"], recorded["test-style"]) == (
        "asyncio",
        "pytest-asyncio",
    )
    assert "@pytest_asyncio_test" in (project / "tests/test_worker.py").read_text()


def test_a_detected_backend_is_preselected_and_offers_only_its_test_styles(
    tmp_path: Path, cache: Path
) -> None:
    pyproject = MINIMAL_PYPROJECT + 'dependencies = ["trio"]\n'
    root = make_project(tmp_path / "trio_project", pyproject)
    flags = ("-p", "cleanup", "--no-resources", "--cleanup-timeout", "1", "-y")
    child = spawn(root, cache, *flags, backend=())
    child.expect("Which backend is the code written for")
    child.send(ENTER)  # the detected backend: trio
    child.expect("How do the trio worker's tests run")
    child.send(DOWN + ENTER)  # trio-run, pytest-trio
    assert finish(child) == 0
    shown = child.before or ""
    assert "pytest-asyncio" not in shown and "asyncio-run" not in shown
    recorded = tomllib.loads((root / ".cancelgen/answers.toml").read_text())
    assert (recorded["backend"], recorded["test-style"]) == ("trio", "pytest-trio")
    assert "import trio" in (root / "src/demo/worker.py").read_text()


def test_a_backend_with_one_test_style_asks_no_test_style(
    project: Path, cache: Path
) -> None:
    child = spawn(project, cache, "-p", "cleanup", "--no-resources", backend=())
    child.expect("Which backend is the code written for")
    child.send(DOWN * list(BACKENDS).index("anyio") + ENTER)
    index = child.expect(["Time allowed for cleanup", "worker.s tests run"])
    assert index == 0, child.before
    child.send(ENTER)
    child.expect("Write these files")
    child.send(ENTER)
    assert finish(child) == 0
    assert "import anyio" in (project / "src/demo/worker.py").read_text()


def test_a_given_test_style_offers_only_the_backends_that_run_it(
    tmp_path: Path, cache: Path
) -> None:
    pyproject = MINIMAL_PYPROJECT + 'dependencies = ["trio"]\n'
    root = make_project(tmp_path / "trio_project", pyproject)
    flags = ("--test-style", "pytest-asyncio", "-p", "cleanup", "--no-resources")
    child = spawn(root, cache, *flags, "--cleanup-timeout", "1", "-y", backend=())
    child.expect("Which backend is the code written for")
    child.expect("asyncio")
    child.send(ENTER)
    assert finish(child) == 0
    assert "trio " not in (child.before or "")  # trio runs no pytest-asyncio tests
    assert "import asyncio" in (root / "src/demo/worker.py").read_text()


FLOOR_3_8 = MINIMAL_PYPROJECT + 'requires-python = ">=3.8"\n'
# Flags that answer every question of the questionnaire but the summary's.
ANSWERED = ("-p", "shield", "-r", "lock", "--commit-timeout", "3")


def test_a_low_python_floor_is_asked_about_first_default_no(
    tmp_path: Path, cache: Path
) -> None:
    root = make_project(tmp_path / "project", FLOOR_3_8)
    before = snapshot(root)
    child = spawn(root, cache, *ANSWERED)
    child.expect('requires-python = ">=3.8" admits Python 3.8')
    child.expect(r"Generate it anyway\? \S*\(y/N\)")  # default: No
    child.send(ENTER)
    child.expect("cancelgen: error: .* to generate 3.11 code anyway")
    assert finish(child) == 2
    assert snapshot(root) == before


def test_a_low_python_floor_accepted_on_a_terminal_goes_on(
    tmp_path: Path, cache: Path
) -> None:
    root = make_project(tmp_path / "project", FLOOR_3_8)
    child = spawn(root, cache, *ANSWERED)
    child.expect(r"Generate it anyway\?")
    child.send("y")
    child.expect(r"generating 3.11 code anyway \(your answer\), formatted for py311")
    child.expect("Write these files")
    child.send(ENTER)
    assert finish(child) == 0
    assert (root / "src/demo/worker.py").is_file()


def test_a_low_python_floor_with_yes_is_refused_without_a_question(
    tmp_path: Path, cache: Path
) -> None:
    """--yes confirms the files; accepting the floor takes its own flag."""
    root = make_project(tmp_path / "project", FLOOR_3_8)
    before = snapshot(root)
    child = spawn(root, cache, *ANSWERED, "--yes")
    index = child.expect([pexpect.EOF, "Generate it anyway"])
    assert index == 0
    assert "--allow-python-floor" in str(child.before)
    child.close()
    assert child.exitstatus == 2
    assert snapshot(root) == before
