"""The shared support module, and how a worker module imports from it.

With ``--support-module`` the cancellation helpers of a package's workers of
one backend live in one module, ``<package>/_cancellation_<backend>.py``
(:attr:`WorkerSpec.support_path`). It is rendered from the same fragment
macros as a worker module's own helpers, for :func:`support_spec` (every
pattern and resource), so it holds every helper of the backend exactly as a
single-file worker carries it. A worker in the support form is rendered
without its helpers; :func:`link` then imports the ones it calls. Both
modules' import blocks are written for the single-file form, so
:func:`prune_imports` drops what each no longer uses.

Both work on the rendered source's syntax tree, before black formats it.
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from cancelgen.core.catalog import PATTERNS, RESOURCES
from cancelgen.core.spec import WorkerSpec


def support_spec(spec: WorkerSpec) -> WorkerSpec:
    """The spec the support module of ``spec``'s package and backend renders.

    It holds every pattern and resource, so its helpers are every helper of
    the backend; only the backend and the package come from ``spec``.
    """
    return WorkerSpec(
        patterns=tuple(PATTERNS),
        resources=tuple(RESOURCES),
        backend=spec.backend,
        package_dir=spec.package_dir,
        package_import=spec.package_import,
        support_module=True,
    )


@dataclass(frozen=True)
class _Uses:
    """The names a module reads, and the dotted chains (``a.b.c``) it reads."""

    names: frozenset[str]
    chains: frozenset[str]


def _uses(tree: ast.Module) -> _Uses:
    names: set[str] = set()
    chains: set[str] = set()
    for node in ast.walk(tree):
        quoted = _cast_type(node)
        if quoted is not None:
            inner = _uses(quoted)
            names |= inner.names
            chains |= inner.chains
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            chain = dotted(node)
            if chain:
                chains.add(chain)
    return _Uses(frozenset(names), frozenset(chains))


def _cast_type(node: ast.AST) -> ast.Module | None:
    """The type ``cast("...", value)`` names in a string (ruff's TC006 wants
    it quoted), parsed: its names are read too."""
    if not (isinstance(node, ast.Call) and dotted(node.func).split(".")[-1] == "cast"):
        return None
    first = node.args[0] if node.args else None
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    try:
        return ast.parse(first.value)
    except SyntaxError:
        return None


def dotted(node: ast.AST) -> str:
    """``a.b.c`` for a chain of names and attributes, "" for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _import_used(alias: ast.alias, uses: _Uses) -> bool:
    """Whether ``import alias`` is needed: its name is read (``import a``), or
    a chain through it (``import a.b`` for ``a.b.c``)."""
    if alias.asname or "." not in alias.name:
        return (alias.asname or alias.name) in uses.names
    return alias.name in uses.chains


def _replace_lines(source: str, edits: dict[ast.stmt, str]) -> str:
    """``source`` with each top-level statement of ``edits`` replaced by its text."""
    lines = source.splitlines(keepends=True)
    for node in sorted(edits, key=lambda node: node.lineno, reverse=True):
        end = node.end_lineno or node.lineno
        lines[node.lineno - 1 : end] = [edits[node]]
    return "".join(lines)


def _is_type_checking_block(node: ast.stmt) -> TypeGuard[ast.If]:
    """Whether ``node`` is ``if TYPE_CHECKING:`` (imports for annotations only)."""
    return (
        isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
        and not node.orelse
    )


def _pruned(node: ast.stmt, uses: _Uses) -> tuple[ast.stmt, int, int] | None:
    """``node`` without the names ``uses`` never reads, with how many names it
    had and kept; None for a statement that is not a prunable import."""
    if isinstance(node, ast.Import):
        kept = [alias for alias in node.names if _import_used(alias, uses)]
        return ast.Import(kept), len(node.names), len(kept)
    if isinstance(node, ast.ImportFrom) and node.module != "__future__":
        kept = [a for a in node.names if (a.asname or a.name) in uses.names]
        return ast.ImportFrom(node.module, kept, node.level), len(node.names), len(kept)
    return None


def _pruned_block(block: ast.If, uses: _Uses, lines: list[str]) -> str | None:
    """The ``if TYPE_CHECKING:`` block (of source ``lines``) without its unread
    names ("" once none is left), or None when it keeps every name. A kept
    import keeps its text, and the blank line between sections before it."""
    imports = [_pruned(node, uses) for node in block.body]
    if all(found is not None and found[1] == found[2] for found in imports):
        return None
    text, previous = ["if TYPE_CHECKING:\n"], None
    for node, found in zip(block.body, imports, strict=True):
        if found is not None and not found[2]:
            continue
        if previous is not None and node.lineno > (previous.end_lineno or 0) + 1:
            text.append("\n")
        if found is not None and found[2] < found[1]:
            text.append(f"    {ast.unparse(found[0])}\n")
        else:
            text += lines[node.lineno - 1 : node.end_lineno]
        previous = node
    return "".join(text) if previous is not None else ""


def prune_imports(source: str) -> str:
    """``source`` without the names its top-level imports bring in but it never reads.

    ``from __future__`` imports are kept; an import left with no name goes. The
    imports of an ``if TYPE_CHECKING:`` block are pruned first (the block goes
    when none is left), then the top-level ones, ``TYPE_CHECKING`` among them.

    The shipped table answers for each backend's sweep engine
    (:func:`cancelgen.core.shipped.step_output`).
    """
    found = _shipped("prune", source)
    return found if isinstance(found, str) else pruned_imports(source)


def defines(source: str) -> list[str]:
    """The names the module ``source`` binds at its top level, its imports
    aside, sorted (the shipped table answers for each backend's engine)."""
    found = _shipped("defines", source)
    if isinstance(found, list) and all(isinstance(name, str) for name in found):
        return found
    return sorted(_defined(ast.parse(source), imports=False))


def _shipped(step: str, source: str) -> object:
    """What the shipped table holds for ``step`` of ``source``, else None.

    Its key holds this module's own source and the Python version as well
    as ``source``, so an entry answers only what this code computes here.
    """
    from cancelgen.core.shipped import step_output

    return step_output(step, Path(__file__), source)


def pruned_imports(source: str) -> str:
    """:func:`prune_imports`, always worked out (not asked of the shipped table)."""
    tree = ast.parse(source)
    uses = _uses(tree)
    blocks: dict[ast.stmt, str] = {}
    for node in tree.body:
        if _is_type_checking_block(node):
            text = _pruned_block(node, uses, source.splitlines(keepends=True))
            if text is not None:
                blocks[node] = text
    if blocks:
        source = _replace_lines(source, blocks)
        tree = ast.parse(source)
        uses = _uses(tree)
    edits: dict[ast.stmt, str] = {}
    for node in tree.body:
        found = _pruned(node, uses)
        if found is not None and found[2] < found[1]:
            edits[node] = ast.unparse(found[0]) + "\n" if found[2] else ""
    return checked_imports(
        _one_blank_line_between_imports(_replace_lines(source, edits))
    )


def _runtime_and_typed_uses(tree: ast.Module) -> tuple[_Uses, _Uses]:
    """What ``tree`` reads at run time, and what in its annotations (which
    ``from __future__ import annotations`` leaves unevaluated) and the types
    its casts name in strings."""
    annotations: list[ast.expr] = []
    quoted: list[ast.stmt] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.arg | ast.AnnAssign) and node.annotation:
            annotations.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            annotations.append(node.returns)
        cast_type = _cast_type(node)
        if cast_type is not None:
            quoted += cast_type.body
    typed = _uses(
        ast.Module(body=[*map(ast.Expr, annotations), *quoted], type_ignores=[])
    )
    skipped = {id(node) for a in annotations for node in ast.walk(a)}
    names: set[str] = set()
    chains: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and dotted(node):
            chains.add(dotted(node))
    return _Uses(frozenset(names), frozenset(chains)), typed


def _typed_only(node: ast.stmt, runtime: _Uses, typed: _Uses) -> list[ast.alias]:
    """The names standard library import ``node`` brings in that the module
    reads in annotations only (``typing``'s stay: ruff exempts them)."""
    if isinstance(node, ast.Import):
        return [
            alias
            for alias in node.names
            if _is_stdlib(alias.name)
            and alias.name.split(".")[0] != "typing"
            and _import_used(alias, typed)
            and not _import_used(alias, runtime)
        ]
    if (
        isinstance(node, ast.ImportFrom)
        and node.module
        and not node.level
        and node.module not in ("__future__", "typing")
        and _is_stdlib(node.module)
    ):
        return [
            alias
            for alias in node.names
            if (alias.asname or alias.name) in typed.names
            and (alias.asname or alias.name) not in runtime.names
        ]
    return []


def checked_imports(source: str) -> str:
    """``source`` with the standard library names it reads in annotations
    only imported under ``if TYPE_CHECKING:``, as ruff's TC003 wants.

    Only with ``from __future__ import annotations`` (nothing evaluates the
    annotations then) and a ``from typing import`` to add ``TYPE_CHECKING``
    to. The moved imports join the module's block (one of the standard
    library only), or make one after its last import, in isort's order.
    """
    tree = ast.parse(source)
    body = tree.body
    future = any(
        isinstance(n, ast.ImportFrom)
        and n.module == "__future__"
        and any(a.name == "annotations" for a in n.names)
        for n in body
    )
    typing = [n for n in body if isinstance(n, ast.ImportFrom) and n.module == "typing"]
    blocks = [n for n in body if _is_type_checking_block(n)]
    if not future or not typing or len(blocks) > 1:
        return source
    runtime, typed = _runtime_and_typed_uses(tree)
    edits: dict[ast.stmt, str] = {}
    moved: list[ast.stmt] = []
    for node in body:
        only = _typed_only(node, runtime, typed)
        if not only or not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        kept = [alias for alias in node.names if alias not in only]
        if isinstance(node, ast.Import):
            moved.append(ast.Import(only))
            edits[node] = ast.unparse(ast.Import(kept)) + "\n" if kept else ""
        else:
            moved.append(ast.ImportFrom(node.module, only, 0))
            text = ast.unparse(ast.ImportFrom(node.module, kept, 0)) + "\n"
            edits[node] = text if kept else ""
    if not moved:
        return source
    first = typing[0]
    if "TYPE_CHECKING" not in {alias.name for alias in first.names}:
        aliases = [*first.names, ast.alias("TYPE_CHECKING")]
        aliases.sort(key=lambda alias: _by_type(alias.name))
        edits[first] = ast.unparse(ast.ImportFrom("typing", aliases, 0)) + "\n"
    if blocks:
        if not all(_is_stdlib_import(n) for n in blocks[0].body):
            return source
        edits[blocks[0]] = _checking_block([*blocks[0].body, *moved])
    else:
        last = [n for n in body if isinstance(n, ast.Import | ast.ImportFrom)][-1]
        end = last.end_lineno or last.lineno
        kept_text = edits.get(
            last, "".join(source.splitlines(keepends=True)[last.lineno - 1 : end])
        )
        edits[last] = kept_text + "\n" + _checking_block(moved)
    return _replace_lines(source, edits)


def _is_stdlib(module: str) -> bool:
    return module.split(".")[0] in sys.stdlib_module_names


def _is_stdlib_import(node: ast.stmt) -> bool:
    if isinstance(node, ast.Import):
        return all(_is_stdlib(alias.name) for alias in node.names)
    return (
        isinstance(node, ast.ImportFrom)
        and not node.level
        and _is_stdlib(node.module or "")
    )


def _checking_block(imports: list[ast.stmt]) -> str:
    """``if TYPE_CHECKING:`` importing ``imports`` (all of the standard
    library), in isort's order: plain imports, then ``from`` imports, each
    by module, names by type."""
    plain = [alias for n in imports if isinstance(n, ast.Import) for alias in n.names]
    froms: dict[str, dict[str, ast.alias]] = {}
    for n in imports:
        if isinstance(n, ast.ImportFrom) and n.module:
            for alias in n.names:
                froms.setdefault(n.module, {})[ast.unparse(alias)] = alias
    lines = {
        f"    {ast.unparse(ast.Import([alias]))}\n": alias.name.lower()
        for alias in plain
    }
    text = "".join(sorted(lines, key=lines.__getitem__))
    for module in sorted(froms, key=str.lower):
        aliases = sorted(froms[module].values(), key=lambda alias: _by_type(alias.name))
        text += f"    {ast.unparse(ast.ImportFrom(module, aliases, 0))}\n"
    return "if TYPE_CHECKING:\n" + text


def _one_blank_line_between_imports(source: str) -> str:
    """``source`` with no run of blank lines inside its import block (an
    import section pruned away leaves its blank lines behind)."""
    imports = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    if not imports:
        return source
    lines = source.splitlines(keepends=True)
    first, last = imports[0].lineno - 1, imports[-1].end_lineno or imports[-1].lineno
    block = lines[first:last]
    kept = [
        line
        for index, line in enumerate(block)
        if line.strip() or index == 0 or block[index - 1].strip()
    ]
    return "".join(lines[:first] + kept + lines[last:])


def _defined(tree: ast.Module, *, imports: bool = True) -> set[str]:
    """The names a module's top-level statements bind (its imports' too, unless
    ``imports`` is false)."""
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound |= {t.id for t in targets if isinstance(t, ast.Name)}
        elif imports and isinstance(node, ast.Import | ast.ImportFrom):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return bound


def link(
    worker: str,
    support: str,
    support_import: str,
    *,
    beside: bool = False,
) -> str:
    """``worker`` (rendered without helpers) importing the helpers it calls.

    It imports from ``support_import`` each name it reads but does not bind
    that the support module (source ``support``) defines, after its other
    imports, having dropped those it never reads. The import is a section of
    its own (a package's support module, or a module imported relatively),
    or, with ``beside`` (a module in the test module's own folder, which
    ruff's isort rules take for first-party), the first import of the
    worker's own section, which is the module's last import. Names are in
    isort's default order (constants, classes, functions).
    """
    worker = prune_imports(worker)
    tree = ast.parse(worker)
    offered = set(defines(support))
    used = _uses(tree).names
    wanted = sorted((used & offered) - _defined(tree), key=_by_type)
    if not wanted:
        return worker
    statement = f"from {support_import} import {', '.join(wanted)}\n"
    imports = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    lines = worker.splitlines(keepends=True)
    if beside:
        lines.insert(imports[-1].lineno - 1, statement)
    else:
        lines.insert(imports[-1].end_lineno or imports[-1].lineno, "\n" + statement)
    return "".join(lines)


def _by_type(name: str) -> tuple[int, str]:
    """isort's ``order_by_type``: CONSTANTS, then Classes, then the rest."""
    if name.isupper():
        return 0, name
    return (1 if name[:1].isupper() else 2), name.lower()
