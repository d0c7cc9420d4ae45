"""``cancelgen.cli.typer_hook`` still works with the installed Typer.

The hook leans on Typer's internals (see that module). Should a Typer release
change them, cancelgen would keep working but start ~80 ms slower, which no
other test would notice; these fail instead. If one does: read
``typer/core.py`` (``_TyperParameter.get_runtime_param``), fix
``typer_hook.py`` and say in ``pyproject.toml`` which Typer versions it was
checked against. A new parameter must have a plain type (``str``, ``int``,
``float``, ``bool``, ``Path``, ``list[str]``, or one of them or None).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from cancelgen.cli import app
from cancelgen.cli.typer_hook import PlainCoercion
from tests.cli_support import make_project, run_cancelgen


def commands(command: Any) -> Iterator[Any]:
    """``command`` and all its subcommands, depth first."""
    yield command
    for name in sorted(getattr(command, "commands", {})):
        yield from commands(command.commands[name])


def test_every_parameter_of_every_command_gets_the_hook() -> None:
    root = typer.main.get_command(app)
    # Parsing (only) sets up the options Typer adds late: completion, --help.
    context = root.make_context("cancelgen", ["patterns"])
    seen = []
    for command in commands(root):
        for param in command.get_params(context):
            seen.append(f"{command.name} {param.name}")
            runtime = getattr(param, "_runtime_param", "(no _runtime_param)")
            assert isinstance(runtime, PlainCoercion), (
                f"{command.name} {param.name}: Typer's runtime parameter is "
                f"{runtime!r}, not cancelgen's PlainCoercion: see typer_hook.py"
            )
    assert {"cancelgen version", "worker timeout", "init dest"} <= set(seen)


def test_typer_coerces_every_value_through_the_hook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coerced: dict[str, Any] = {}
    plain_coerce = PlainCoercion.coerce

    def counting(self: PlainCoercion, value: Any, param: Any, ctx: Any) -> Any:
        coerced[param.name] = plain_coerce(self, value, param, ctx)
        return coerced[param.name]

    monkeypatch.setattr(PlainCoercion, "coerce", counting)
    monkeypatch.setenv("CANCELGEN_NO_CACHE", "1")
    monkeypatch.chdir(make_project(tmp_path / "p"))
    args = ["new", "worker", "sync", "--stdout", "--no-input", "-p", "timeout"]
    args += ["-p", "task-group", "--timeout", "2.5", "--children", "4"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert coerced["name"] == "sync"
    assert coerced["patterns"] == ["timeout", "task-group"]
    assert (coerced["timeout"], coerced["children"]) == (2.5, 4)
    # Every value but a flag's (already a bool, so Typer leaves it alone).
    root: Any = typer.main.get_command(app)
    worker = root.commands["new"].commands["worker"]
    values = {p.name for p in worker.params if not getattr(p, "is_flag", False)}
    assert {"timeout", "answers_file"} < values <= set(coerced)
    assert "2.5" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["new", "--help"],
        ["new", "worker", "--stdout", "--no-input", "--timeout", "3", "-p", "timeout"],
        ["patterns", "--json"],
        ["explain", "shield"],
        ["init", "--help"],
    ],
    ids=" ".join,
)
def test_no_command_imports_pydantic(tmp_path: Path, args: list[str]) -> None:
    root = make_project(tmp_path / "p")
    result = run_cancelgen(
        args, root, cache=tmp_path / "cache", extra=["-X", "importtime"]
    )
    assert result.returncode == 0, result.stderr
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "typer" in imported  # the importtime report was read
    assert not {
        name for name in imported if name.split(".")[0] == "pydantic"
    }, "pydantic was imported: Typer coerced a parameter itself (see typer_hook.py)"
