"""CONTRIBUTING.md names only what exists: every path it cites, every function,
class or table it names in a module, every template macro."""

from __future__ import annotations

import importlib
import itertools
import re
from pathlib import Path
from types import ModuleType

from cancelgen.core.catalog import BACKENDS, PATTERNS, RESOURCES

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")

PATH = re.compile(
    r"(?<![\w/.])((?:cancelgen|templates|tests|docs|benchmarks|examples|\.ci)/[\w./<>-]*"
    r"|copier\.yml|README\.md|pyproject\.toml)"
)
PLACEHOLDERS = {"<backend>": BACKENDS, "<pattern>": PATTERNS, "<resource>": RESOURCES}


def expansions(path: str) -> list[str]:
    """``path`` with each known placeholder replaced by every value it stands for."""
    keys = [key for key in PLACEHOLDERS if key in path]
    found = []
    for values in itertools.product(*(PLACEHOLDERS[key] for key in keys)):
        expanded = path
        for key, value in zip(keys, values, strict=True):
            expanded = expanded.replace(key, value)
        found.append(expanded)
    return found


def test_every_path_it_cites_exists() -> None:
    # What a docs build writes is not in the repository.
    built = ("docs/_build", "docs/gallery")
    paths = {path for path in PATH.findall(TEXT) if not path.startswith(built)}
    assert len(paths) > 40  # the pattern saw them
    for path in sorted(paths):
        # An unknown placeholder (<case>): the folder before it must exist.
        for expanded in expansions(path.rstrip(".")):
            known = expanded.split("<")[0]
            assert (ROOT / known).exists(), f"CONTRIBUTING.md cites {path}: no {known}"


def module(path: str) -> ModuleType:
    return importlib.import_module(path.removesuffix(".py").replace("/", "."))


def has(path: str, dotted: str) -> bool:
    """Whether the module at ``path`` defines ``dotted``.

    A test module is read, not imported (some render every example as they load).
    """
    if path.startswith("tests/"):
        source = (ROOT / path).read_text(encoding="utf-8")
        first = dotted.split(".")[0]
        return bool(
            re.search(rf"^(?:{first}\b.*=|(?:def|class) {first}\b)", source, re.M)
        )
    owner: object = module(path)
    for part in dotted.split("."):
        if not hasattr(owner, part):
            return False
        owner = getattr(owner, part)
    return True


def test_every_name_it_gives_a_module_is_there() -> None:
    # "cancelgen/core/spec.py: WorkerSpec.from_mapping", "cancelgen/copier/extension.py (CancelgenExtension)"
    plain = re.findall(
        r"((?:cancelgen|tests)/[\w/]+\.py)(?::| \()\s*([A-Za-z_][\w.]*)", TEXT
    )
    # "`cancelgen/docs/snippets.py` (`EXPLANATIONS`, `DEMO_OUTPUT`)"
    marked = [
        (path, name)
        for path, names in re.findall(
            r"`((?:cancelgen|tests)/[\w/]+\.py)` \(((?:`\w+`,?\s*)+)\)", TEXT
        )
        for name in re.findall(r"`(\w+)`", names)
    ]
    assert len(plain) >= 8 and len(marked) >= 5
    for path, name in plain + marked:
        assert has(path, name), f"CONTRIBUTING.md: {path} has no {name}"


def test_every_class_or_table_it_names_is_in_a_module_it_cites() -> None:
    paths = set(re.findall(r"(?:cancelgen|tests)/[\w/]+\.py", TEXT))
    names = set(re.findall(r"`([A-Z][A-Za-z]*[a-z][A-Za-z]*|[A-Z][A-Z_]+)`", TEXT))
    assert {"Pattern", "Idiom", "PATTERNS", "BACKENDS"} <= names
    for name in sorted(names):
        assert any(has(path, name) for path in paths), f"CONTRIBUTING.md: no {name}"


def test_every_template_macro_it_names_is_defined() -> None:
    macros = set(re.findall(r"`(sweep_\w+)`", TEXT))
    assert macros
    defined = "".join(
        path.read_text(encoding="utf-8")
        for path in (ROOT / "templates").rglob("*.jinja")
    )
    for macro in macros:
        assert f"macro {macro}(" in defined, macro
