"""Jobs run ahead: once each, several at a time, shared through their folder."""

from __future__ import annotations

import os
import pickle
import threading
from pathlib import Path

import pytest

from tests.ahead import Ahead, Launch, Prepare


def job(
    name: str, calls: list[str], meanwhile: threading.Barrier | None = None
) -> Prepare:
    """A job that reads back what it prepared, and the environment it was given."""

    def prepare(folder: Path) -> Launch:
        calls.append(f"prepare {name}")
        (folder / "input").write_text(name)

        def launch(env: dict[str, str]) -> str:
            if meanwhile is not None:
                meanwhile.wait(timeout=30)  # only passes if the others run too
            return (folder / "input").read_text() + " " + env.get("AHEAD_TEST", "")

        return launch

    return prepare


def test_each_job_runs_once_and_the_next_ones_run_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AHEAD_TEST", "as started")
    calls: list[str] = []
    together = threading.Barrier(3)
    jobs = [(name, job(name, calls, together)) for name in ("a", "b", "c")]
    ahead = Ahead(tmp_path, jobs, threads=3)
    monkeypatch.setenv("AHEAD_TEST", "changed later")
    try:
        assert ahead.result("a") == "a as started"  # b and c had to start too
        assert ahead.result("b") == "b as started"
        assert ahead.result("c") == "c as started"
        assert ahead.result("a") == "a as started"
    finally:
        ahead.stop()
    assert sorted(calls) == ["prepare a", "prepare b", "prepare c"]


def test_a_job_another_worker_claimed_is_waited_for(tmp_path: Path) -> None:
    calls: list[str] = []
    ahead = Ahead(tmp_path, [("x", job("x", calls))], threads=1)
    ahead.job_file("x", ".claim").touch()  # the other worker's

    def other_worker_finishes() -> None:
        partial = ahead.job_file("x", ".partial")
        partial.write_bytes(pickle.dumps(("result", "theirs")))
        os.rename(partial, ahead.job_file("x", ".pickle"))

    threading.Thread(target=other_worker_finishes).start()
    try:
        assert ahead.result("x") == "theirs"
    finally:
        ahead.stop()
    assert calls == []


def test_a_failing_job_fails_the_test_that_asks_for_it(tmp_path: Path) -> None:
    def bad_prepare(folder: Path) -> Launch:
        raise ValueError("no project")

    def bad_launch(folder: Path) -> Launch:
        def launch(env: dict[str, str]) -> None:
            raise OSError("no interpreter")

        return launch

    ahead = Ahead(tmp_path, [("p", bad_prepare), ("l", bad_launch)], threads=1)
    try:
        with pytest.raises(RuntimeError, match="ValueError: no project"):
            ahead.result("p")
        with pytest.raises(RuntimeError, match="OSError: no interpreter"):
            ahead.result("l")
    finally:
        ahead.stop()


def test_a_job_folder_is_a_plain_distinct_name(tmp_path: Path) -> None:
    """pytest refuses to run in a folder named like a parametrised test id."""
    ahead = Ahead(tmp_path, [], threads=1)
    try:
        keys = ["op@case[wait_for]#0", "op@case_wait_for_#0", "a/b#1"]
        folders = [ahead.job_file(key, "") for key in keys]
    finally:
        ahead.stop()
    assert len(set(folders)) == len(keys)
    for folder in folders:
        assert folder.parent == tmp_path
        assert not set("[]/") & set(folder.name)
