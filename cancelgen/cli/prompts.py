"""The interactive questionnaire of ``cancelgen new`` (terminals only).

Asks, in order: the backend (the detected or configured one pre-selected),
the test style (only those the backend offers, when it offers more than one),
patterns (with summaries, the defaults pre-selected), resources, then only the
parameters the chosen patterns need, and finally confirms the files to write.
A question whose answer was given (flag, answers file, replay) is not asked. ``questionary`` is imported only here, so
non-interactive runs never load it. Ctrl-C or EOF raises ``Aborted`` (exit
130), before anything is written.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cancelgen.core.catalog import (
    BACKENDS,
    DEFAULT_PATTERNS,
    PATTERNS,
    RESOURCES,
    TIMEOUT_STYLES,
)
from cancelgen.errors import CancelgenError

ABORT_EXIT_CODE = 130

# WorkerSpec field -> (question, kind) for the parameters patterns declare.
PARAMETER_QUESTIONS: dict[str, tuple[str, str]] = {
    "timeout": ("Timeout for the bounded wait, in seconds?", "seconds"),
    "timeout_style": ("Timeout style?", "choice"),
    "cleanup_timeout": (
        "Time allowed for cleanup when cancelled, in seconds?",
        "seconds",
    ),
    "commit_timeout": ("Time allowed for the shielded commit, in seconds?", "seconds"),
    "checkpoint_every": (
        "Checkpoint (await asyncio.sleep(0)) every N iterations?",
        "count",
    ),
    "children": ("How many child tasks in the task group?", "children"),
}


class Aborted(CancelgenError):
    """The user pressed Ctrl-C or Ctrl-D during the questions."""

    def __init__(self) -> None:
        super().__init__("aborted: nothing written", exit_code=ABORT_EXIT_CODE)


def is_interactive(no_input: bool = False) -> bool:
    """Whether to ask questions: only if allowed and stdin and stdout are terminals.

    A closed stream (``None``, as when started with ``<&-``) is not a terminal.
    """
    return (
        not no_input
        and sys.stdin is not None
        and sys.stdin.isatty()
        and sys.stdout is not None
        and sys.stdout.isatty()
    )


def _abort_on_eof(question: Any) -> Any:
    """Make Ctrl-D abort ``question`` like Ctrl-C.

    questionary's text prompts raise EOFError on Ctrl-D, but its checkbox and
    select prompts ignore the key; one binding makes every question alike.
    """
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    extra = KeyBindings()

    @extra.add("c-d", eager=True)
    def _eof(event: Any) -> None:
        event.app.exit(exception=EOFError, style="class:aborting")

    application = question.application
    existing = application.key_bindings
    application.key_bindings = (
        merge_key_bindings([existing, extra]) if existing is not None else extra
    )
    return question


def _ask(question: Any) -> Any:
    try:
        answer = _abort_on_eof(question).unsafe_ask()
    except (KeyboardInterrupt, EOFError) as error:
        raise Aborted() from error
    if answer is None:
        raise Aborted()
    return answer


def parameters_for(patterns: Sequence[str]) -> list[str]:
    """The ``WorkerSpec`` fields the chosen patterns need, in catalog order."""
    return [
        parameter
        for name in PATTERNS
        if name in patterns
        for parameter in PATTERNS[name].parameters
    ]


def _validator(kind: str) -> Callable[[str], bool | str]:
    def validate(text: str) -> bool | str:
        try:
            value = float(text) if kind == "seconds" else int(text)
        except ValueError:
            return "enter a number" if kind == "seconds" else "enter a whole number"
        minimum = 2 if kind == "children" else 1
        if kind == "seconds":
            # The same bound as WorkerSpec's: finite and > 0 (no inf, no nan).
            positive = math.isfinite(value) and value > 0
            return positive or "enter a positive number of seconds"
        return value >= minimum or f"enter a whole number >= {minimum}"

    return validate


def ask(
    given: Mapping[str, Any],
    defaults: Mapping[str, Any],
    resolve: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """Ask for every answer not in ``given``; return only the new answers.

    ``defaults`` (project config, spec defaults) pre-fill the questions;
    ``resolve`` turns answers into the spec's fields as the project would
    (:meth:`cancelgen.project.detect.Project.values`), so the test style offered
    first is the one detected for the backend just chosen.
    """
    import questionary

    answers: dict[str, Any] = {}
    if "backend" not in given:
        backend = str(defaults.get("backend"))
        # A test style given already narrows the backends to those offering it.
        offering = [
            b for b in BACKENDS.values() if given.get("test_style") in b.test_styles
        ] or list(BACKENDS.values())
        answers["backend"] = _ask(
            questionary.select(
                "Which backend is the code written for?",
                choices=[
                    questionary.Choice(f"{b.name:<8} {b.summary}", value=b.name)
                    for b in offering
                ],
                default=backend if backend in [b.name for b in offering] else None,
            )
        )
    backend = str(answers.get("backend", given.get("backend")))
    offered = BACKENDS[backend].test_styles if backend in BACKENDS else ()
    if "test_style" not in given and len(offered) > 1:
        chosen = {**given, **answers}
        detected = (resolve or dict)(chosen).get("test_style")
        answers["test_style"] = _ask(
            questionary.select(
                f"How do the {backend} worker's tests run?",
                choices=list(offered),
                default=detected if detected in offered else offered[0],
            )
        )
    if "patterns" not in given:
        preselected = set(defaults.get("patterns") or DEFAULT_PATTERNS)
        answers["patterns"] = _ask(
            questionary.checkbox(
                "Which cancellation patterns? (space toggles, enter accepts)",
                choices=[
                    questionary.Choice(
                        f"{p.name:<11} {p.summary}",
                        value=p.name,
                        checked=p.name in preselected,
                    )
                    for p in PATTERNS.values()
                ],
                validate=lambda chosen: bool(chosen) or "choose at least one pattern",
            )
        )
    if "resources" not in given:
        preselected = set(defaults.get("resources") or ())
        answers["resources"] = _ask(
            questionary.checkbox(
                "Which resources does the worker hold? (none is fine)",
                choices=[
                    questionary.Choice(
                        f"{r.name:<11} {r.summary}",
                        value=r.name,
                        checked=r.name in preselected,
                    )
                    for r in RESOURCES.values()
                ],
            )
        )
    patterns = answers.get("patterns", given.get("patterns", ()))
    for parameter in parameters_for(patterns):
        if parameter in given:
            continue
        question, kind = PARAMETER_QUESTIONS[parameter]
        default = defaults.get(parameter)
        if kind == "choice":
            answers[parameter] = _ask(
                questionary.select(
                    question, choices=list(TIMEOUT_STYLES), default=str(default)
                )
            )
            continue
        text = _ask(
            questionary.text(
                question,
                default="" if default is None else _show(default),
                validate=_validator(kind),
            )
        )
        answers[parameter] = float(text) if kind == "seconds" else int(text)
    return answers


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def confirm(
    summary: str, question: str = "Write these files?", *, default: bool = True
) -> bool:
    """Show ``summary`` (the files to write) and ask to go ahead (default yes)."""
    import questionary

    questionary.print(summary)
    return bool(_ask(questionary.confirm(question, default=default)))
