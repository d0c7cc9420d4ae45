"""``cancelgen init DEST``: a new project from cancelgen's copier template.

The command runs the template shipped with cancelgen through copier's Python
API, so users need not know where the template lives. Copier is imported only
here, when the command runs.
"""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

import contextlib
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from cancelgen.cli.commands.completion import complete
from cancelgen.cli.commands.options import SupportModule
from cancelgen.core.catalog import BACKENDS
from cancelgen.errors import CancelgenError, UsageError


def _answers(
    project_name: str | None,
    package: str | None,
    workers: list[str] | None,
    patterns: list[str] | None,
    resources: list[str] | None,
    test_style: str | None,
    backend: str | None = None,
    support_module: bool | None = None,
) -> dict[str, Any]:
    """Copier answers for the options given; the rest keep the template's defaults."""
    data: dict[str, Any] = {}
    if backend is not None:
        data["backend"] = backend
    if project_name is not None:
        data["project_name"] = project_name
    if package is not None:
        data["package_name"] = package
    if workers:
        data["worker_names"] = ", ".join(workers)
    if patterns:
        data["patterns"] = patterns
    if resources:
        data["resources"] = resources
    if test_style is not None:
        data["test_style"] = test_style
    if support_module is not None:
        data["support_module"] = support_module
    return data


def _validate(data: dict[str, Any]) -> None:
    """Check the answers given as options the way ``cancelgen new`` does, so bad
    input fails with the same one-line message and exit code, before copier runs."""
    from cancelgen.core.spec import WorkerSpec, validate_package_name

    settings = {
        key: data[key]
        for key in ("backend", "patterns", "resources", "test_style")
        if key in data
    }
    if "package_name" in data:
        validate_package_name(data["package_name"])
    else:
        # The template's default, from the project name (copier.yml).
        default = re.sub(r"[- ]", "_", data.get("project_name", "").lower())
        try:
            validate_package_name(default)
        except UsageError as error:
            raise UsageError(
                f"{error.message} (the default, from the project name): "
                "choose one with --package"
            ) from None
    names = [name.strip() for name in data.get("worker_names", "worker").split(",")]
    if len(names) > 5:
        raise UsageError(
            "at most 5 workers per project; add more later with `cancelgen new`"
        )
    for name in names:
        WorkerSpec.create(name=name, **settings)


def command(
    dest: Annotated[Path, typer.Argument(help="Folder of the new project.")],
    project_name: Annotated[
        str | None, typer.Option("--project-name", help="Project name.")
    ] = None,
    package: Annotated[
        str | None, typer.Option("--package", help="Import name of the package.")
    ] = None,
    workers: Annotated[
        list[str] | None,
        typer.Option("--worker", "-w", help="A worker name (repeatable, up to 5)."),
    ] = None,
    patterns: Annotated[
        list[str] | None,
        typer.Option("--pattern", "-p", help="A pattern of each worker (repeatable)."),
    ] = None,
    resources: Annotated[
        list[str] | None,
        typer.Option(
            "--resource", "-r", help="A resource of each worker (repeatable)."
        ),
    ] = None,
    backend: Annotated[
        str | None,
        typer.Option(
            "--backend",
            help=f"The library the workers are written for: {', '.join(BACKENDS)}.",
            autocompletion=complete(BACKENDS),
        ),
    ] = None,
    test_style: Annotated[
        str | None,
        typer.Option(
            "--test-style",
            help="How the tests run, a style the backend offers (default: its first): "
            + "; ".join(
                f"{b.name}: {', '.join(b.test_styles)}" for b in BACKENDS.values()
            )
            + ".",
        ),
    ] = None,
    support_module: SupportModule = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Never ask: use defaults for the rest.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Generate into a folder that is not empty.")
    ] = False,
) -> None:
    """Create a new project from cancelgen's copier template.

    The project gets one module and one test module per worker, a pyproject with
    pytest, black, ruff (ASYNC rules) and mypy --strict configured, and a
    .copier-answers.yml so `cancelgen update` can bring template changes in.
    On a terminal, copier asks the questions the options did not answer.

    \b
    Examples:
      cancelgen init my-service -w fetcher -w saver -p cleanup -p shield --no-input
      cancelgen init my-service --backend trio -p cleanup -p timeout --no-input
      cancelgen init my-service -w fetcher -w saver --support-module --no-input
    """
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} exists and is not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise CancelgenError(
            f"{dest} is not empty: choose a new folder, or pass --force to generate into it"
        )
    if dest.is_dir():
        _check_folders(dest)
    # The project is named after its folder unless told otherwise.
    name = project_name if project_name is not None else dest.resolve().name
    data = _answers(
        name, package, workers, patterns, resources, test_style, backend, support_module
    )
    _validate(data)
    from cancelgen.cli.prompts import is_interactive

    interactive = is_interactive(no_input)

    from cancelgen.copier.template_repo import (
        GitNotFound,
        copier_template_root,
        record_template,
    )

    source, tag = str(copier_template_root()), None
    try:
        repo, tag = record_template(Path(source))
        source = str(repo)
    except GitNotFound:
        print(
            "cancelgen: git not found: generating from the installed template; "
            "the project cannot be updated with `cancelgen update` later",
            file=sys.stderr,
        )
    with copier_errors(), warnings.catch_warnings():
        # Without git, copier warns that the template is not versioned.
        warnings.simplefilter("ignore")
        import copier

        copier.run_copy(
            source,
            dest,
            data=data,
            vcs_ref=tag,
            defaults=not interactive,
            unsafe=True,  # our own template: it needs the cancelgen Jinja extension
            quiet=not interactive,
        )
    version = f" from cancelgen template {tag}" if tag else ""
    print(
        f"created {dest}{version} — next: cd {dest} && "
        "pip install -e '.[test]' && pytest"
    )
    if tag is not None:
        print(f"cancelgen: {initial_commit(dest, tag)}", file=sys.stderr)


def _check_folders(dest: Path) -> None:
    """Refuse, before copier writes anything, a folder the template writes into
    (``src``, ``src/<package>``, ``tests``) that is a symbolic link out of ``dest``.

    Copier refuses such a path too when its turn comes (``"src/x/worker.py"
    is forbidden``, in the order it walks the template); this line names the
    link and where it leads, before copier starts.
    """
    from cancelgen.project.inside import check_inside

    folders = ["src", "tests"]
    source = dest / "src"
    if source.is_dir() and not source.is_symlink():
        folders += [f"src/{child.name}" for child in sorted(source.iterdir())]
    for folder in folders:
        check_inside(dest.resolve(), folder, verb="generate into", last=True)


def initial_commit(dest: Path, tag: str) -> str:
    """Make ``dest`` a git repository with everything committed, as ``cancelgen
    update`` (copier's three-way merge) needs; return what to tell the user.

    A project created inside an existing repository is left to that repository.
    The commit uses the user's own git identity; without one, the files stay
    staged for the user to commit.
    """

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["git", "-c", "commit.gpgsign=false", *args],
            cwd=dest,
            capture_output=True,
            text=True,
            check=False,
        )

    if git("rev-parse", "--is-inside-work-tree").returncode == 0:
        return (
            f"{dest} is inside a git repository: commit it there before "
            "`cancelgen update`"
        )
    if git("init", "-q").returncode != 0 or git("add", "-A").returncode != 0:
        return f"could not make {dest} a git repository: `cancelgen update` needs one"
    committed = git("commit", "-q", "-m", f"New project from cancelgen template {tag}")
    if committed.returncode != 0:
        return (
            f"made {dest} a git repository but could not commit (is git's user.name "
            "set?): commit the files before `cancelgen update`"
        )
    return f"made {dest} a git repository with one commit, ready for `cancelgen update`"


@contextlib.contextmanager
def copier_errors() -> Iterator[None]:
    """Copier's errors as one-line ``CancelgenError``; Ctrl-C exits 130."""
    from copier.errors import CopierError
    from jinja2 import TemplateError

    try:
        yield
    except (CopierError, TemplateError, ValueError) as error:
        message = " ".join(str(error).split())
        raise CancelgenError(f"copier: {message}") from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
