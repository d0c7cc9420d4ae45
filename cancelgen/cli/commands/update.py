"""``cancelgen update [DEST]``: bring a ``cancelgen init`` project up to this cancelgen's template.

Copier does the work (``run_update``): it re-renders the template version the
project was made from, diffs it against the installed version, and applies the
difference to the project with a three-way merge, so the user's edits stay.
"""

# No `from __future__ import annotations`: typer would then compile and eval
# every annotation string at start-up, which costs more than evaluating them here.

import importlib
import re
from pathlib import Path
from typing import Annotated, Any

import typer

from cancelgen.cli.commands.init import copier_errors
from cancelgen.errors import CancelgenError, UsageError


def recorded_template(project: Path) -> tuple[str, str]:
    """The template source and version (``_src_path``, ``_commit``) a project records."""
    yaml: Any = importlib.import_module("yaml")  # PyYAML ships no types
    from cancelgen.project.detect import COPIER_ANSWERS

    answers = project / COPIER_ANSWERS
    try:
        data: Any = yaml.safe_load(answers.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CancelgenError(
            f"{answers} not found: `cancelgen update` updates projects made by `cancelgen init`"
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CancelgenError(f"cannot read {answers}: {error}") from None
    if not isinstance(data, dict):
        raise CancelgenError(f"{answers} is not a copier answers file")
    return str(data.get("_src_path") or ""), str(data.get("_commit") or "")


def template_version(tag: str) -> tuple[tuple[int, ...], int] | None:
    """``v0.2.1+3`` -> ``((0, 2, 1), 3)``, comparable; None for any other shape.

    Tags are ``v<cancelgen version>``, plus ``+N`` for the N-th changed template
    of the same version (an editable install), see ``template_repo``.
    """
    match = re.fullmatch(r"v(\d+(?:\.\d+)*)(?:\+(\d+))?", tag)
    if match is None:
        return None
    release = tuple(int(part) for part in match.group(1).split("."))
    return release, int(match.group(2) or 0)


def command(
    dest: Annotated[
        Path,
        typer.Argument(help="The project to update (default: the current folder)."),
    ] = Path("."),
    no_input: Annotated[
        bool,
        typer.Option("--no-input", help="Never ask: keep every recorded answer."),
    ] = False,
) -> None:
    """Update a project made by `cancelgen init` to the installed cancelgen's template.

    Copier re-renders the template version the project was made from and merges
    the changes of the new version into the project (a three-way merge): your
    edits stay, and where an edit and a template change touch the same lines,
    conflict markers are left for you to resolve. The project must be a git
    repository with everything committed, so `git diff` shows what changed.
    On a terminal, copier asks the questions again with your answers as defaults.

    \b
    Example:
      cd my-service && cancelgen update --no-input && git diff
    """
    if not dest.is_dir():
        raise UsageError(f"{dest} is not a folder")
    source, version = recorded_template(dest)
    from cancelgen.copier.template_repo import (
        copier_template_root,
        record_template,
        repository,
    )

    repo = repository()
    if not source or Path(source).expanduser().resolve() != repo.resolve():
        raise CancelgenError(
            f"{dest} was made from the template at {source or '(unknown)'}, not by "
            "`cancelgen init` here: update it with `copier update --trust`"
        )
    repo, tag = record_template(copier_template_root())
    if version == tag:
        print(f"{dest} is already at cancelgen template {tag}")
        return
    recorded, installed = template_version(version), template_version(tag)
    if recorded is not None and installed is not None and recorded > installed:
        raise CancelgenError(
            f"{dest} is at cancelgen template {version}, newer than this cancelgen's "
            f"{tag}: upgrade cancelgen to update it (nothing was changed)"
        )
    from cancelgen.cli.prompts import is_interactive

    interactive = is_interactive(no_input)
    with copier_errors():
        import copier

        copier.run_update(
            str(dest),
            vcs_ref=tag,
            defaults=not interactive,
            overwrite=True,
            unsafe=True,  # our own template: it needs the cancelgen Jinja extension
            quiet=not interactive,
        )
    print(
        f"updated {dest} from cancelgen template {version} to {tag}: review it with "
        "`git diff` and resolve any conflict markers"
    )
