"""The package's layout holds: no import cycle, and the core never imports the CLI.

The import graph is read from the source (``ast``), not from a running
interpreter, so it sees every ``import`` and ``from ... import``: at module
level and inside functions (the lazy imports that keep start-up fast),
absolute and relative. Importing ``a.b.c`` also runs the packages ``a`` and
``a.b``, so those count as imported too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The command-line layer of a package: the Typer app, its commands, what leans
# on Typer; and the libraries only that layer may use.
CLI_MODULES = ("cli", "__main__")
CLI_LIBRARIES = ("typer", "click", "rich")


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` (a folder under ``root``) by dotted name."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def imported_names(name: str, path: Path) -> set[str]:
    """Every dotted name module ``name`` (at ``path``) imports, anywhere in it.

    ``from a import b`` yields ``a.b`` (b may be a module) and ``a``.
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = (
                    name if path.name == "__init__.py" else name.rpartition(".")[0]
                )
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph(root: Path, package: str) -> dict[str, set[str]]:
    """Module -> the modules of ``package`` it imports (parent packages included)."""
    modules = module_names(root, package)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        own = _ancestors(name) | {name}
        targets: set[str] = set()
        for imported in imported_names(name, path):
            for target in _ancestors(imported) | {imported}:
                if target in modules and target not in own:
                    targets.add(target)
        # A module's own packages have run (or are running) before it, so its
        # imports of them are no edges: a package may import its submodules.
        graph[name] = targets
    return graph


def _ancestors(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:end]) for end in range(1, len(parts))}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as ``[a, b, ..., a]``, or None if there is none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        for target in sorted(graph.get(node, ())):
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        done.add(node)
        return None

    for start in sorted(graph):
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def is_cli_layer(name: str, package: str) -> bool:
    """Whether module ``name`` belongs to ``package``'s command-line layer."""
    return any(
        name == f"{package}.{module}" or name.startswith(f"{package}.{module}.")
        for module in CLI_MODULES
    )


def core_imports_of_the_cli(root: Path, package: str) -> list[str]:
    """Each ``"core module imports CLI module or library"`` in ``package``."""
    graph = import_graph(root, package)
    paths = module_names(root, package)
    wrong = []
    for name in sorted(graph):
        if is_cli_layer(name, package):
            continue
        wrong += [
            f"{name} imports {target}"
            for target in sorted(graph[name])
            if is_cli_layer(target, package)
        ]
        wrong += [
            f"{name} imports {imported}"
            for imported in sorted(imported_names(name, paths[name]))
            if imported.split(".")[0] in CLI_LIBRARIES
        ]
    return wrong


def test_no_import_cycle_in_cancelgen() -> None:
    cycle = find_cycle(import_graph(ROOT, "cancelgen"))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_core_never_imports_the_cli_layer() -> None:
    """catalog, spec, render, format, write (and the rest of the core) know
    nothing of the command line: neither cancelgen's CLI modules nor Typer."""
    modules = module_names(ROOT, "cancelgen")
    assert {
        "cancelgen.cli",
        "cancelgen.cli.commands.new",
        "cancelgen.core.render",
    } <= set(modules)
    wrong = core_imports_of_the_cli(ROOT, "cancelgen")
    assert not wrong, "\n".join(wrong)


def test_command_modules_keep_their_annotations_evaluated() -> None:
    """Typer reads every command's parameters at each start-up; postponed
    annotations (PEP 563) would make it compile and evaluate each one from a
    string, about 1 ms a command."""
    postponing = [
        name
        for name, path in module_names(ROOT, "cancelgen").items()
        if (name == "cancelgen.cli.app" or name.startswith("cancelgen.cli.commands."))
        and "__future__.annotations" in imported_names(name, path)
    ]
    assert {"cancelgen.cli.app", "cancelgen.cli.commands.new"} <= set(
        module_names(ROOT, "cancelgen")
    )
    assert not postponing, f"drop `from __future__ import annotations` in {postponing}"


def write_package(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def test_a_lazy_relative_cycle_is_found(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.sub import b\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/b.py": "def f():\n    from .. import a\n",
            "pkg/c.py": "import pkg.a\n",
        },
    )
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.c"] == {"pkg.a"}
    assert find_cycle(graph) == ["pkg.a", "pkg.sub.b", "pkg.a"]


def test_importing_a_submodule_runs_its_package(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/cli.py": "from pkg.commands import new\n",
            "pkg/commands/__init__.py": "from pkg import cli\n",
            "pkg/commands/new.py": "from . import other\n",
            "pkg/commands/other.py": "",
        },
    )
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.commands.new"] == {"pkg.commands.other"}
    assert find_cycle(graph) == ["pkg.cli", "pkg.commands", "pkg.cli"]


def test_no_cycle_in_an_acyclic_package(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "from pkg import a\n",
            "pkg/a.py": "from pkg import b\nimport os\n",
            "pkg/b.py": "def f():\n    import pkg\n",
        },
    )
    graph = import_graph(tmp_path, "pkg")
    assert graph["pkg.a"] == {"pkg.b"}
    assert find_cycle(graph) is None


def test_a_core_module_importing_the_cli_is_found(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/cli/__init__.py": "import typer\nfrom pkg.cli.commands import new\n",
            "pkg/cli/commands/__init__.py": "",
            "pkg/cli/commands/new.py": "from rich.console import Console\nfrom pkg import render\n",
            "pkg/render.py": "def f():\n    from .cli.commands import new\n    import typer.core\n",
            "pkg/write.py": "from pkg import render\n",
        },
    )
    assert core_imports_of_the_cli(tmp_path, "pkg") == [
        "pkg.render imports pkg.cli",
        "pkg.render imports pkg.cli.commands",
        "pkg.render imports pkg.cli.commands.new",
        "pkg.render imports typer.core",
    ]
