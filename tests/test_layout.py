"""The package's layout holds: its groups import one way, with no import cycle.

cancelgen/ is grouped by stage, in layers from the bottom (``LAYERS``): the
package itself and ``errors``, then ``core``, ``project``, ``docs`` and
``copier`` (side by side: neither imports the other), ``cli``, and on top the
entry points (``__main__`` and the old import paths users' configs name). A
module imports only its own group and the groups below it; the core never
imports the CLI or Typer.

The import graph is read from the source (``ast``), not from a running
interpreter, so it sees every ``import`` and ``from ... import``: at module
level and inside functions (the lazy imports that keep start-up fast),
absolute and relative. Importing ``a.b.c`` also runs the packages ``a`` and
``a.b``, so those count as imported too.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import jinja2
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent

# The command-line layer of a package: the Typer app, its commands, what leans
# on Typer; and the libraries only that layer may use.
CLI_MODULES = ("cli", "__main__")
CLI_LIBRARIES = ("typer", "click", "rich")

# cancelgen's groups, bottom layer first; "" is the package itself (its
# __version__). Groups on one layer do not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("",),
    ("errors",),
    ("core",),
    ("project",),
    ("docs", "copier"),
    ("cli",),
    ("__main__", "jinja", "sphinx", "mkdocs"),
)

# The old import paths users' configs name -> the module that now holds them.
SHIMS = {
    "jinja": "copier.extension",  # copier.yml: _jinja_extensions
    "sphinx": "docs.sphinx",  # conf.py: extensions
    "mkdocs": "docs.mkdocs",  # mkdocs.yml: custom_fences format
}


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


def group_of(name: str) -> str:
    """The group of module ``name``: ``core`` for ``pkg.core.cache.folder``,
    ``""`` for the package itself."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def layering_errors(
    root: Path, package: str, layers: tuple[tuple[str, ...], ...]
) -> list[str]:
    """Each import in ``package`` that goes up a layer or sideways to another
    group of its layer, and each module whose group no layer names."""
    rank = {group: index for index, groups in enumerate(layers) for group in groups}
    graph = import_graph(root, package)
    wrong = [
        f"{name} is in no layer (add {group_of(name)!r} to LAYERS)"
        for name in sorted(graph)
        if group_of(name) not in rank
    ]
    for name in sorted(graph):
        mine = group_of(name)
        for target in sorted(graph[name]):
            theirs = group_of(target)
            if mine in rank and theirs != mine and rank[theirs] >= rank[mine]:
                wrong.append(f"{name} imports {target}")
    return wrong


def test_groups_import_only_the_layers_below_them() -> None:
    groups = {group_of(name) for name in module_names(ROOT, "cancelgen")}
    assert {"core", "project", "docs", "copier", "cli"} <= groups
    wrong = layering_errors(ROOT, "cancelgen", LAYERS)
    assert not wrong, "\n".join(wrong)
    # The catalog is the bottom of the core: every other stage reads it.
    catalog = import_graph(ROOT, "cancelgen")["cancelgen.core.catalog"]
    assert catalog <= {"cancelgen.errors"}, catalog


def test_each_group_says_what_it_may_import() -> None:
    for group in ("core", "project", "docs", "copier", "cli"):
        init = ROOT / "cancelgen" / group / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and "May import" in doc, f"{init}: say what the group may import"


@pytest.mark.parametrize(("old", "new"), sorted(SHIMS.items()))
def test_each_old_import_path_re_exports_the_same_objects(old: str, new: str) -> None:
    shim = importlib.import_module(f"cancelgen.{old}")
    module = importlib.import_module(f"cancelgen.{new}")
    defined = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
    }
    public = defined | set(getattr(module, "__all__", ()))
    assert public, f"cancelgen.{new} defines nothing public"
    assert public <= set(shim.__all__), f"cancelgen.{old} misses some"
    for name in shim.__all__:
        assert getattr(shim, name) is getattr(module, name), name


def test_the_copier_config_path_loads_the_extension() -> None:
    import cancelgen.jinja
    from cancelgen.copier.extension import CancelgenExtension

    assert cancelgen.jinja.CancelgenExtension is CancelgenExtension
    environment = jinja2.Environment(extensions=["cancelgen.jinja.CancelgenExtension"])
    assert isinstance(
        environment.extensions[CancelgenExtension.identifier], CancelgenExtension
    )


def test_the_sphinx_config_path_has_the_setup() -> None:
    import cancelgen.docs.sphinx

    # What Sphinx does with each name in ``extensions``.
    assert importlib.import_module("cancelgen.sphinx").setup is (
        cancelgen.docs.sphinx.setup
    )


def test_the_mkdocs_config_path_names_the_fence_functions() -> None:
    from cancelgen.docs import mkdocs

    # mkdocs.yml's tag, resolved the way MkDocs' YAML loader does.
    fence = yaml.load(
        "!!python/name:cancelgen.mkdocs.fence_format", Loader=yaml.UnsafeLoader
    )
    assert fence is mkdocs.fence_format
    import cancelgen.mkdocs

    assert cancelgen.mkdocs.fence_html is mkdocs.fence_html
    assert cancelgen.mkdocs.fence_markdown is mkdocs.fence_markdown


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


def test_an_upward_or_sideways_import_is_found(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/errors.py": "",
            "pkg/core/__init__.py": "",
            "pkg/core/spec.py": "from pkg import errors\n",
            "pkg/core/render.py": "def f():\n    from pkg.project import write\n",
            "pkg/project/__init__.py": "",
            "pkg/project/write.py": "from ..core import spec\n",
            "pkg/docs/__init__.py": "",
            "pkg/docs/sphinx.py": "from pkg.copier.extension import X\n",
            "pkg/copier/__init__.py": "",
            "pkg/copier/extension.py": "from pkg.project import write\n",
            "pkg/cli.py": "from pkg.docs import sphinx\n",
            "pkg/stray.py": "",
        },
    )
    layers = (("",), ("errors",), ("core",), ("project",), ("docs", "copier"), ("cli",))
    assert layering_errors(tmp_path, "pkg", layers) == [
        "pkg.stray is in no layer (add 'stray' to LAYERS)",
        "pkg.core.render imports pkg.project",
        "pkg.core.render imports pkg.project.write",
        "pkg.docs.sphinx imports pkg.copier",
        "pkg.docs.sphinx imports pkg.copier.extension",
    ]
