"""Run the slow, mostly idle processes of a series of tests a few at a time.

A mutant's run waits most of its time (a mutant that hangs costs each test its
guard), and an xdist worker that waits does nothing else. While a test waits
for its job's result from ``Ahead``, the jobs of the next tests are prepared and
their processes started in background threads, so the tests that follow find
their results ready or running: the verdicts stay in the tests, only the
waiting overlaps.

A job has two parts. ``prepare(folder)`` runs in the test's own thread (it may
use black, whose compiled code must not run in two threads at once) and writes
what the job needs into an empty folder of its own; it returns ``launch(env)``,
which runs the processes (in a background thread) and returns a picklable
result. ``env`` is the environment as it was when ``Ahead`` started: a test that
monkeypatches ``PATH`` meanwhile does not reach the job.

Jobs are shared by the xdist workers of a run: a job is claimed by creating its
claim file (one worker wins), its result is pickled next to it, and a test
whose job another worker claimed waits for that result.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import queue
import re
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Launch = Callable[[dict[str, str]], Any]
Prepare = Callable[[Path], Launch]

WAIT_LIMIT_S = 900
"""How long a test waits for a job another worker claimed (its processes are
bounded far below this); past it, that worker is taken for dead."""


class Ahead:
    """Jobs keyed by test id, each run once per run, up to ``threads`` at a time."""

    def __init__(
        self, folder: Path, jobs: Sequence[tuple[str, Prepare]], threads: int
    ) -> None:
        self.folder = folder
        self.jobs = dict(jobs)
        self.order = [key for key, _ in jobs]
        self.env = dict(os.environ)
        self.capacity = threads
        self.running = 0
        self.lock = threading.Lock()
        self.launches: queue.Queue[tuple[str, Launch] | None] = queue.Queue()
        self.threads = [
            threading.Thread(target=self._work, daemon=True) for _ in range(threads)
        ]
        for thread in self.threads:
            thread.start()

    def result(self, key: str) -> Any:
        """The result of ``key``'s job. While it runs, the jobs after it are
        prepared and started, as threads become free."""
        order = self.order if key in self.order else [key]
        upcoming = iter(order[order.index(key) + 1 :])
        if self._claim(key):
            self._prepare(key)
        done = self.job_file(key, ".pickle")
        deadline = time.monotonic() + WAIT_LIMIT_S
        while not done.exists():
            if time.monotonic() > deadline:
                raise TimeoutError(f"{key}: claimed, but no result in {WAIT_LIMIT_S} s")
            with self.lock:
                free = self.running < self.capacity
            claimed = free and next((k for k in upcoming if self._claim(k)), None)
            if claimed:
                self._prepare(claimed)
            else:
                time.sleep(0.05)
        kind, value = pickle.loads(done.read_bytes())
        if kind == "error":
            raise RuntimeError(f"{key} failed:\n{value}")
        return value

    def stop(self) -> None:
        """Start nothing more; wait for the jobs started (others may wait on them)."""
        for _ in self.threads:
            self.launches.put(None)
        for thread in self.threads:
            thread.join()

    def job_file(self, key: str, suffix: str) -> Path:
        """Where job ``key``'s file with ``suffix`` lives (its folder: no suffix)."""
        # A job's folder is a project that pytest runs in: no "/" and no
        # "[...]" (pytest takes a path holding one for a parametrised test id).
        # The digest keeps keys that differ only there apart.
        safe = re.sub(r"[^\w@#.-]", "_", key)
        digest = hashlib.sha256(key.encode()).hexdigest()[:8]
        return self.folder / f"{safe}-{digest}{suffix}"

    def _claim(self, key: str) -> bool:
        try:
            os.close(os.open(self.job_file(key, ".claim"), os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return False
        return True

    def _prepare(self, key: str) -> None:
        work = self.job_file(key, "")
        work.mkdir()
        try:
            launch = self.jobs[key](work)
        except Exception:  # noqa: BLE001 -- the test that asks for it raises it
            self._save(key, ("error", traceback.format_exc()))
            return
        with self.lock:
            self.running += 1
        self.launches.put((key, launch))

    def _work(self) -> None:
        while (job := self.launches.get()) is not None:
            key, launch = job
            try:
                outcome: tuple[str, Any] = ("result", launch(self.env))
            except Exception:  # noqa: BLE001 -- the test that asks for it raises it
                outcome = ("error", traceback.format_exc())
            self._save(key, outcome)
            with self.lock:
                self.running -= 1

    def _save(self, key: str, outcome: tuple[str, Any]) -> None:
        partial = self.job_file(key, ".partial")
        partial.write_bytes(pickle.dumps(outcome))
        partial.rename(self.job_file(key, ".pickle"))
