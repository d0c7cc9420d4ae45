"""Find the target project and what it says about itself.

From the current directory up to the nearest ``pyproject.toml``: the project
root, its package (``src/<pkg>/`` or flat ``<pkg>/``; the root if there is
none), its tests folder, the test style its tests use, ``[tool.cancelgen]``
defaults, ``[tool.black]`` settings and its formatter, import sorter and
linter (:mod:`cancelgen.project.tools`). Without a ``pyproject.toml`` the
current directory is the project, with a notice for the user.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from cancelgen.core.catalog import BACKENDS, DEFAULT_BACKEND
from cancelgen.core.format import BlackSettings
from cancelgen.core.spec import WorkerSpec, check_settings
from cancelgen.errors import CancelgenError, UsageError, did_you_mean
from cancelgen.project.declared import (
    DeclaredFloor,
    declared_floor,
    setuptools_requirements,
)
from cancelgen.project.tools import Tools, detect_tools

PYPROJECT = "pyproject.toml"
PYTEST_TABLE = "[tool.pytest.ini_options]"
COPIER_ANSWERS = ".copier-answers.yml"
"""Where a project made by ``cancelgen init`` records its copier answers."""

# Keys of [tool.cancelgen], dashed as in TOML, mapped to WorkerSpec fields.
CONFIG_KEYS: dict[str, str] = {
    "backend": "backend",
    "patterns": "patterns",
    "resources": "resources",
    "package-dir": "package_dir",
    "tests-dir": "tests_dir",
    "test-style": "test_style",
    "timeout": "timeout",
    "timeout-style": "timeout_style",
    "cleanup-timeout": "cleanup_timeout",
    "commit-timeout": "commit_timeout",
    "checkpoint-every": "checkpoint_every",
    "children": "children",
    "support-module": "support_module",
    "shared-tests": "shared_tests",
}
PROJECT_KEYS = ("formatter",)
"""Keys of [tool.cancelgen] that are facts of the project (``Project.tools``),
not answers: answers files and ``--replay`` do not take them."""

# Top-level folders that hold a package but are never *the* package.
_NOT_PACKAGES = frozenset(
    {"tests", "test", "docs", "doc", "examples", "benchmarks", "scripts", "build"}
)

_REQUIREMENT_NAME = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")

IMPORT_PATH_CONFTEST = '''\
"""Put {where} on ``sys.path`` for pytest (written by cancelgen).

The project has no ``pythonpath`` setting for pytest, so without this file the
tests could only import the code once it is installed (or under
``python -m pytest``). Delete this file if you add
``[tool.pytest.ini_options] pythonpath = ["{import_root}"]`` or install the project
in your environment.
"""

import sys
from pathlib import Path

_IMPORT_ROOT = str({location})
if _IMPORT_ROOT not in sys.path:
    sys.path.insert(0, _IMPORT_ROOT)
'''


@dataclass(frozen=True)
class Detected:
    """A setting read off the project itself, and what in the project says so."""

    value: str
    reason: str = ""
    """Why, in a few words ("" when nothing said so: the default)."""


@dataclass(frozen=True)
class Project:
    """What cancelgen knows about the project it generates into."""

    root: Path
    """The folder holding ``pyproject.toml`` (or the current directory)."""
    found: bool
    """Whether a ``pyproject.toml`` was found; if not, ``root`` is the cwd."""
    package_dir: str = ""
    """Detected package folder relative to ``root``, POSIX style ("" = root)."""
    package_import: str = ""
    """Import name of ``package_dir`` ("" = importable from the root)."""
    tests_dir: str = "tests"
    backend: Detected = Detected(DEFAULT_BACKEND)
    """The backend the dependencies point to (trio, else anyio, else asyncio)."""
    test_styles: Mapping[str, Detected] = field(default_factory=dict)
    """Per backend, the test style its tests would use here (absent: its default)."""
    asyncio_mode: str | None = None
    """pytest-asyncio's ``asyncio_mode`` if set ("strict" or "auto")."""
    pytest_pythonpath: tuple[str, ...] = ()
    """Folders pytest puts on ``sys.path`` (its ``pythonpath`` setting)."""
    pytest_import_mode: str = ""
    """pytest's ``--import-mode`` in its ``addopts`` ("" if not set there)."""
    pytest_settings_in: str = f"{PYTEST_TABLE} in {PYPROJECT}"
    """Where pytest's settings are (or would go): a table and its file."""
    defaults: Mapping[str, Any] = field(default_factory=dict)
    """``[tool.cancelgen]`` as ``WorkerSpec`` field names."""
    black: BlackSettings = field(default_factory=BlackSettings)
    declared_floor: DeclaredFloor | None = None
    """The Python requirement the project declares, as written and where
    (None if it declares none): :mod:`cancelgen.project.declared`."""
    allow_python_floor: bool = False
    """``allow-python-floor`` of ``[tool.cancelgen]``: accept a floor below 3.11."""

    @property
    def python_floor(self) -> tuple[int, int] | None:
        """The oldest ``(major, minor)`` Python the declared requirement admits
        (None if absent or unreadable); see :mod:`cancelgen.project.floor`."""
        from cancelgen.project.floor import python_floor

        return python_floor(self.declared_floor)

    tools: Tools = field(default_factory=Tools)
    """The formatter, import sorter and linter the project uses."""

    @property
    def pyproject(self) -> Path:
        """Path of the project's ``pyproject.toml`` (may not exist)."""
        return self.root / PYPROJECT

    def with_formatter(self, name: str | None) -> Project:
        """This project with ``--formatter name`` chosen (itself if None)."""
        return replace(self, tools=self.tools.with_formatter(name, "--formatter"))

    @property
    def test_style(self) -> str:
        """The test style detected for the detected backend."""
        return self.test_style_for(self.backend.value).value

    def test_style_for(self, backend: str) -> Detected:
        """The test style ``backend``'s tests would use in this project.

        An unknown backend gets "" (``WorkerSpec`` refuses the backend itself).
        """
        if backend not in BACKENDS:
            return Detected("")
        return self.test_styles.get(backend) or Detected(
            BACKENDS[backend].test_styles[0]
        )

    def backend_for(self, chosen: Mapping[str, Any]) -> Detected:
        """The backend detected for answers ``chosen`` that name no backend.

        A test style chosen explicitly wins over the dependencies: with
        ``test-style = "pytest-asyncio"`` a project that depends on anyio
        still gets asyncio workers, the only ones pytest-asyncio runs.
        """
        style = chosen.get("test_style")
        offered = BACKENDS.get(self.backend.value)
        if not style or offered is None or style in offered.test_styles:
            return self.backend
        for backend in BACKENDS.values():
            if style in backend.test_styles:
                return Detected(
                    backend.name, f"the test style {style} is {backend.name}'s"
                )
        return self.backend  # an unknown style: WorkerSpec says so

    def settings(self) -> dict[str, Any]:
        """Detected layout, backend and test style, overridden by ``[tool.cancelgen]``.

        Returned as ``WorkerSpec`` fields; flags and answers override these
        (see :meth:`values`).
        """
        return self.values({})

    def values(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The spec's fields: detected < ``[tool.cancelgen]`` < ``given``.

        A detected test style is the chosen backend's: ``--backend trio`` in a
        project that uses pytest-trio gets pytest-trio, not the asyncio style
        detected for asyncio.
        """
        values: dict[str, Any] = {
            "package_dir": self.package_dir,
            "package_import": self.package_import,
            "tests_dir": self.tests_dir,
            "backend": self.backend_for({**self.defaults, **given}).value,
        }
        values.update(self.defaults)
        if "package_dir" in self.defaults:
            values["package_import"] = import_name(str(self.defaults["package_dir"]))
        values.update(given)
        if "test_style" not in values:
            values["test_style"] = self.test_style_for(str(values["backend"])).value
        if "shared_tests" not in values and self.imports_no_siblings(
            str(values["tests_dir"])
        ):
            values["shared_tests"] = False
        return values

    def pythonpath_setting(self, folder: str) -> str:
        """How to add ``folder`` to pytest's ``pythonpath``, where the project
        keeps pytest's settings."""
        if self.pytest_settings_in.endswith(PYPROJECT):
            return f'pythonpath = ["{folder}"] under {self.pytest_settings_in}'
        return f"pythonpath = {folder} under {self.pytest_settings_in}"

    def imports_no_siblings(self, tests_dir: str) -> bool:
        """Whether pytest's ``--import-mode=importlib`` keeps a test module in
        ``tests_dir`` from importing the module beside it (the shared engine,
        ``_cancelgen_<backend>.py``): it puts no test folder on ``sys.path``,
        and the folder is no package. Its tests then carry their engine."""
        init = self.root / (tests_dir or ".") / "__init__.py"
        return self.pytest_import_mode == "importlib" and not init.is_file()

    def detection(self, given: Mapping[str, Any]) -> str:
        """What was detected from the dependencies and used, in one line ("" if nothing).

        ``given`` are the answers from flags, files and the questionnaire; a
        setting they or ``[tool.cancelgen]`` chose was not detected.
        """
        chosen = {**self.defaults, **given}
        detected = self.backend_for(chosen)
        backend = str(chosen.get("backend", detected.value))
        found = []
        if "backend" not in chosen and detected.reason:
            found.append(f"backend {backend} ({detected.reason})")
        style = self.test_style_for(backend)
        if "test_style" not in chosen and style.reason:
            found.append(f"test style {style.value} ({style.reason})")
        tests_dir = str(chosen.get("tests_dir", self.tests_dir))
        if "shared_tests" not in chosen and self.imports_no_siblings(tests_dir):
            found.append(
                "single-file tests (pytest's --import-mode=importlib: a test "
                "module imports no module beside it; [tool.cancelgen] "
                "shared-tests = true keeps the shared engine)"
            )
        return "detected " + " and ".join(found) if found else ""

    def placed(self, spec: WorkerSpec) -> WorkerSpec:
        """``spec`` as it fits this project: its tests import the test support
        module relatively when their folder is a package; else, where the
        project's flake8-requirements would report that import, with
        ``# noqa: I900`` (:attr:`WorkerSpec.engine_noqa`)."""
        package = (self.root / (spec.tests_dir or "."), "__init__.py")
        tests_package = (package[0] / package[1]).is_file()
        engine = PurePosixPath(spec.test_support_path).stem
        engine_noqa = (
            spec.shared_tests
            and not tests_package
            and self.tools.reports_import(engine)
        )
        if (spec.tests_package, spec.engine_noqa) == (tests_package, engine_noqa):
            return spec
        return replace(spec, tests_package=tests_package, engine_noqa=engine_noqa)

    def unimportable_root(
        self, package_dir: str, package_import: str, tests_dir: str
    ) -> str | None:
        """The folder plain ``pytest`` would not put on ``sys.path``, or None.

        The generated tests import the worker from its import root (``src``
        for a src layout, ``.`` for a flat layout or no package). pytest adds
        it only if its ``pythonpath`` setting names it, or, for the project
        root, if a root ``conftest.py`` or a package chain of test folders
        (or tests at the root) make its default import mode insert the root.
        """
        root = import_root(package_dir, package_import) or "."
        if root in self.pytest_pythonpath:
            return None
        if root == "." and self._pytest_inserts_root(tests_dir):
            return None
        return root

    def _pytest_inserts_root(self, tests_dir: str) -> bool:
        if (self.root / "conftest.py").is_file():
            return True
        # A test module's first folder upwards without an __init__.py goes on
        # sys.path: the root itself for tests at the root or in a package chain.
        parts = PurePosixPath(tests_dir).parts if tests_dir else ()
        folders = [self.root.joinpath(*parts[: i + 1]) for i in range(len(parts))]
        return all((folder / "__init__.py").is_file() for folder in folders)

    def support_files(
        self, package_dir: str, package_import: str, tests_dir: str
    ) -> dict[str, str]:
        """Extra files the generated tests need to import the worker.

        If plain ``pytest`` would not find the worker's import root (see
        :meth:`unimportable_root`), a ``conftest.py`` in the tests folder puts
        it on ``sys.path`` -- unless that ``conftest.py`` already exists,
        which is then left alone.
        """
        root = self.unimportable_root(package_dir, package_import, tests_dir)
        if root is None or (self.root / conftest_path(tests_dir)).exists():
            return {}
        return import_path_conftest(tests_dir, root)


def relative_target(root: Path, target: str) -> str | None:
    """``target`` (a command's argument) as a path relative to the project
    ``root`` if it names a file (ends in ``.py`` or holds a ``/``), else None.
    """
    if not (target.endswith(".py") or "/" in target):
        return None
    try:
        return (Path.cwd() / target).resolve().relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{target} is not inside the project {root}") from None


def import_path_conftest(tests_dir: str, import_root: str) -> dict[str, str]:
    """``{path: text}`` of the ``conftest.py`` in ``tests_dir`` that puts
    ``import_root`` (relative to the project root, ``.`` for the root) on ``sys.path``.
    """
    depth = len(PurePosixPath(tests_dir).parts) if tests_dir else 0
    location = "Path(__file__).resolve().parent" + ".parent" * depth
    if import_root != ".":
        location += f' / "{import_root}"'
    where = "the project root" if import_root == "." else f'the "{import_root}" folder'
    text = IMPORT_PATH_CONFTEST.format(
        where=where, import_root=import_root, location=location
    )
    return {conftest_path(tests_dir): text}


def conftest_path(tests_dir: str) -> str:
    """Path of the ``conftest.py`` of ``tests_dir``, relative to the project root."""
    return str(PurePosixPath(tests_dir or ".", "conftest.py"))


def import_name(package_dir: str) -> str:
    """``src/demo`` -> ``demo``, ``lib/demo/sub`` -> ``lib.demo.sub``, root -> ``""``."""
    parts = PurePosixPath(package_dir.replace("\\", "/")).parts
    if ".." in parts or package_dir.startswith(("/", "\\")):
        return ""  # not a folder inside the project: WorkerSpec refuses it
    if parts and parts[0] == "src":
        parts = parts[1:]
    return ".".join(part for part in parts if part != ".")


def import_root(package_dir: str, package_import: str) -> str:
    """The folder that must be on ``sys.path`` to import ``package_import``.

    ``("src/demo", "demo")`` -> ``"src"``; ``("demo", "demo")`` -> ``""``.
    """
    parts = PurePosixPath(package_dir).parts if package_dir else ()
    depth = len(package_import.split(".")) if package_import else 0
    head = parts[: len(parts) - depth] if depth <= len(parts) else ()
    return PurePosixPath(*head).as_posix() if head else ""


def find_root(start: Path) -> Path | None:
    """The nearest folder from ``start`` upwards that has a ``pyproject.toml``."""
    for folder in (start, *start.parents):
        if (folder / PYPROJECT).is_file():
            return folder
    return None


def load_pyproject(path: Path) -> dict[str, Any]:
    """Parse ``path`` as TOML; a malformed file is a one-line ``CancelgenError``."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CancelgenError(
            f"{path} is not valid TOML: {error}; fix it or run outside this project"
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise CancelgenError(f"cannot read {path}: {error}") from error


def find_project(cwd: Path | None = None) -> Project:
    """Detect the project around ``cwd`` (default: the current directory)."""
    start = (cwd or Path.cwd()).resolve()
    root = find_root(start)
    if root is None:
        tools = detect_tools(start, {})
        return Project(
            root=start,
            found=False,
            tests_dir=_tests_dir(start),
            tools=tools,
            black=BlackSettings.from_table(dict(tools.black_options)),
            declared_floor=declared_floor(start, {}),
        )
    data = load_pyproject(root / PYPROJECT)
    tool = _table(data.get("tool", {}), "tool", root)
    cancelgen = _table(tool.get("cancelgen", {}), "tool.cancelgen", root)
    pytest_config, pytest_settings_in = _pytest_config(root, tool)
    package_dir, package_import = _package(root, data)
    requirements = _requirements(data, root)
    names = _distribution_names(requirements)
    asyncio_style, mode = _test_style(names, pytest_config)
    cancelgen = dict(_table(tool.get("cancelgen", {}), "tool.cancelgen", root))
    allow_floor = _allow_python_floor(cancelgen, root)
    tools = detect_tools(
        root,
        tool,
        cancelgen.get("formatter"),
        f"[tool.cancelgen] formatter in {root / PYPROJECT}",
        names,
        requirements,
    )
    black_table = _table(tool.get("black", {}), "tool.black", root)
    return Project(
        root=root,
        found=True,
        package_dir=package_dir,
        package_import=package_import,
        tests_dir=_tests_dir(root),
        backend=_backend(data, root),
        test_styles={
            "asyncio": asyncio_style,
            "trio": _trio_test_style(names, pytest_config),
        },
        asyncio_mode=mode,
        pytest_pythonpath=_pythonpath(pytest_config),
        pytest_import_mode=_import_mode(pytest_config),
        pytest_settings_in=pytest_settings_in,
        defaults=_cancelgen_defaults(cancelgen, root),
        black=BlackSettings.from_table(
            {**black_table, **dict(tools.black_options)}, source=root / PYPROJECT
        ),
        declared_floor=declared_floor(root, data),
        allow_python_floor=allow_floor,
        tools=tools,
    )


def _table(value: object, name: str, root: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CancelgenError(f"[{name}] in {root / PYPROJECT} must be a table")
    return value


def _allow_python_floor(table: dict[str, Any], root: Path) -> bool:
    """Take ``allow-python-floor`` out of ``table`` (it is not a worker answer)."""
    from cancelgen.project.floor import CONFIG_KEY

    value = table.pop(CONFIG_KEY, table.pop(CONFIG_KEY.replace("-", "_"), False))
    if not isinstance(value, bool):
        raise CancelgenError(
            f"[tool.cancelgen] in {root / PYPROJECT}: {CONFIG_KEY} must be true or "
            f"false, got {value!r}"
        )
    return value


def _cancelgen_defaults(value: object, root: Path) -> dict[str, Any]:
    table = _table(value, "tool.cancelgen", root)
    defaults: dict[str, Any] = {}
    for key, item in table.items():
        dashed = key.replace("_", "-")
        if dashed in PROJECT_KEYS:
            continue  # read by detect_tools
        if dashed not in CONFIG_KEYS:
            known = [*CONFIG_KEYS, *PROJECT_KEYS]
            raise CancelgenError(
                f"unknown key {key!r} in [tool.cancelgen] of {root / PYPROJECT}"
                f"{did_you_mean(dashed, known)}; known: {', '.join(known)}"
            )
        defaults[CONFIG_KEYS[dashed]] = item
    check_settings(defaults, f"[tool.cancelgen] in {root / PYPROJECT}")
    return defaults


def _package(root: Path, data: Mapping[str, Any]) -> tuple[str, str]:
    """(package folder, import name): ``src/<pkg>``, flat ``<pkg>``, or the root."""
    project = data.get("project", {})
    wanted = ""
    if isinstance(project, dict) and isinstance(project.get("name"), str):
        wanted = re.sub(r"[-.]+", "_", project["name"]).lower()
    for base in ("src", ""):
        folder = root / base if base else root
        if not folder.is_dir():
            continue
        candidates = sorted(
            child.name
            for child in folder.iterdir()
            if child.is_dir()
            and child.name.isidentifier()
            and (child / "__init__.py").is_file()
            and (base or child.name not in _NOT_PACKAGES)
        )
        if not candidates:
            continue
        name = wanted if wanted in candidates else candidates[0]
        return (f"{base}/{name}" if base else name), name
    return "", ""


def _tests_dir(root: Path) -> str:
    for name in ("tests", "test"):
        if (root / name).is_dir():
            return name
    return "tests"


def _pytest_config(root: Path, tool: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """pytest's settings, from the file pytest itself reads: the first of
    ``pytest.ini``, ``.pytest.ini``, ``pyproject.toml`` (``[tool.pytest]``,
    pytest 9's native table, or ``[tool.pytest.ini_options]``), ``tox.ini``
    (``[pytest]``) and ``setup.cfg`` (``[tool:pytest]``) that holds them; and
    where they are (the table and file), pyproject's ini table if nowhere."""
    for name, section in (("pytest.ini", "pytest"), (".pytest.ini", "pytest")):
        if (root / name).is_file():
            return _ini_section(root / name, section) or {}, f"[{section}] in {name}"
    pytest_table = tool.get("pytest")
    if isinstance(pytest_table, dict) and pytest_table:
        options = pytest_table.get("ini_options")
        if isinstance(options, dict):
            return options, f"{PYTEST_TABLE} in {PYPROJECT}"
        return dict(pytest_table), f"[tool.pytest] in {PYPROJECT}"
    for name, section in (("tox.ini", "pytest"), ("setup.cfg", "tool:pytest")):
        found = _ini_section(root / name, section) if (root / name).is_file() else None
        if found is not None:
            return found, f"[{section}] in {name}"
    return {}, f"{PYTEST_TABLE} in {PYPROJECT}"


def _ini_section(path: Path, section: str) -> dict[str, Any] | None:
    """``[section]`` of the ini file ``path``, or None if it has none."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as error:
        raise CancelgenError(f"cannot read {path}: {error}") from error
    return dict(parser[section]) if parser.has_section(section) else None


def _import_mode(config: Mapping[str, Any]) -> str:
    """The ``--import-mode`` of pytest's ``addopts`` ("" if none; the last wins)."""
    addopts = config.get("addopts", "")
    text = " ".join(map(str, addopts)) if isinstance(addopts, list) else str(addopts)
    found = re.findall(r"--import-mode(?:=|\s+)(\w+)", text)
    return str(found[-1]) if found else ""


def _pythonpath(config: Mapping[str, Any]) -> tuple[str, ...]:
    value = config.get("pythonpath", ())
    items = value.split() if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        return ()
    return tuple(
        PurePosixPath(str(item).replace("\\", "/")).as_posix() for item in items
    )


def _requirement_names(
    data: Mapping[str, Any], root: Path, *, runtime: bool = False
) -> set[str]:
    """Distribution names in the project's dependencies and dependency groups.

    ``runtime`` keeps only what the code itself needs (``[project]
    dependencies``, poetry's ``dependencies``, setuptools'
    ``install_requires``), not extras, groups or dev dependencies. Tables of
    the wrong shape are skipped: detecting a backend or a test plugin is a
    hint, and validating the user's packaging metadata is not cancelgen's
    job. A setuptools project configured the old way (no ``[project]``
    table, or ``dependencies`` in its ``dynamic``) declares them in
    ``setup.py`` or ``setup.cfg`` (:func:`setuptools_requirements`).
    """
    return _distribution_names(_requirements(data, root, runtime=runtime))


def _distribution_names(requirements: list[str]) -> set[str]:
    """The distribution names of ``requirements``, normalized."""
    names = set()
    for requirement in requirements:
        match = _REQUIREMENT_NAME.match(requirement)
        if match:
            names.add(re.sub(r"[-_.]+", "-", match.group(1)).lower())
    return names


def _requirements(
    data: Mapping[str, Any], root: Path, *, runtime: bool = False
) -> list[str]:
    """The requirements :func:`_requirement_names` reads, as written (PEP
    508); Poetry's ``name = "version"`` entries as ``name==version`` where
    the version is exact, else the bare name."""
    found: list[object] = []
    project = _mapping(data.get("project"))
    found.extend(_sequence(project.get("dependencies")))
    if "project" not in data or "dependencies" in _sequence(project.get("dynamic")):
        found.extend(setuptools_requirements(root, runtime=runtime))
    poetry = _mapping(_mapping(data.get("tool")).get("poetry"))
    found.extend(_poetry_entries(poetry.get("dependencies")))
    if not runtime:
        for group in _mapping(project.get("optional-dependencies")).values():
            found.extend(_sequence(group))
        for group in _mapping(data.get("dependency-groups")).values():
            found.extend(_sequence(group))
        found.extend(_poetry_entries(poetry.get("dev-dependencies")))
        for group in _mapping(poetry.get("group")).values():
            found.extend(_poetry_entries(_mapping(group).get("dependencies")))
    return [requirement for requirement in found if isinstance(requirement, str)]


def _poetry_entries(table: object) -> list[str]:
    """Poetry's ``{name: version}`` dependencies as requirement strings."""
    entries = []
    for name, version in _mapping(table).items():
        exact = isinstance(version, str) and re.fullmatch(r"=?=?\d[\w.]*", version)
        entries.append(f"{name}=={version.lstrip('=')}" if exact else str(name))
    return entries


def _backend(data: Mapping[str, Any], root: Path) -> Detected:
    """trio if the code depends on trio, else anyio if it depends on anyio itself.

    Only the project's own runtime dependencies count: anyio that comes in
    through another package (httpx, starlette...) is not listed there, and
    anyio or trio in a test group serves the tests, not the code.
    """
    names = _requirement_names(data, root, runtime=True)
    for backend in ("trio", "anyio"):
        if backend in names and backend in BACKENDS:
            return Detected(backend, f"{backend} is a dependency of the project")
    return Detected(DEFAULT_BACKEND)


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _sequence(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _test_style(
    names: set[str], pytest_config: Mapping[str, Any]
) -> tuple[Detected, str | None]:
    """(asyncio workers' test style, pytest-asyncio mode) from dependencies and config.

    The generated pytest-asyncio tests carry ``@pytest.mark.asyncio``, so they
    work in both ``strict`` and ``auto`` mode.
    """
    mode = pytest_config.get("asyncio_mode")
    mode = str(mode) if mode is not None else None
    addopts = pytest_config.get("addopts", "")
    addopts = " ".join(addopts) if isinstance(addopts, list) else str(addopts)
    if "pytest-asyncio" in names or mode is not None:
        reason = (
            "the project uses pytest-asyncio"
            if "pytest-asyncio" in names
            else "pytest's asyncio_mode is set"
        )
        return Detected("pytest-asyncio", reason), mode or "strict"
    # AnyIO registers its pytest plugin whenever it is installed.
    if "anyio" in names or re.search(r"-p\s*anyio", addopts):
        return Detected("anyio", "the project uses AnyIO's pytest plugin"), None
    return Detected("asyncio-run"), None


def _trio_test_style(names: set[str], pytest_config: Mapping[str, Any]) -> Detected:
    """pytest-trio if the project uses it (a dependency, or its ``trio_mode``)."""
    if "pytest-trio" in names or "trio_mode" in pytest_config:
        return Detected("pytest-trio", "the project uses pytest-trio")
    return Detected("trio-run")
