"""Project awareness: root, package, tests folder, test style, config tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from cancelgen.core.catalog import BACKENDS
from cancelgen.core.format import BlackSettings
from cancelgen.errors import CancelgenError
from cancelgen.project.detect import (
    Detected,
    find_project,
    find_root,
    import_name,
    import_root,
)
from tests.cli_support import MINIMAL_PYPROJECT, make_project


def test_root_is_the_nearest_pyproject_upwards(tmp_path: Path) -> None:
    outer = make_project(tmp_path / "outer")
    inner = make_project(outer / "packages" / "inner", layout="flat")
    assert find_root(inner / "demo") == inner
    assert find_root(outer / "src" / "demo") == outer
    assert find_root(tmp_path) is None


def test_src_layout(tmp_path: Path) -> None:
    project = find_project(make_project(tmp_path / "p"))
    assert project.found
    assert (project.package_dir, project.package_import) == ("src/demo", "demo")
    assert project.tests_dir == "tests"


def test_flat_layout_ignores_tests_and_docs_packages(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", layout="flat")
    for name in ("tests", "docs"):
        (root / name).mkdir()
        (root / name / "__init__.py").write_text("")
    project = find_project(root)
    assert (project.package_dir, project.package_import) == ("demo", "demo")


def test_package_named_after_the_project_wins(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", '[project]\nname = "my-app"\n', layout="none")
    for name in ("aaa", "my_app"):
        (root / "src" / name).mkdir(parents=True)
        (root / "src" / name / "__init__.py").write_text("")
    assert find_project(root).package_dir == "src/my_app"


def test_no_package_means_the_root(tmp_path: Path) -> None:
    project = find_project(make_project(tmp_path / "p", layout="none"))
    assert (project.package_dir, project.package_import) == ("", "")


def test_existing_test_folder_is_used(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "test").mkdir()
    assert find_project(root).tests_dir == "test"


def test_no_pyproject_means_cwd_not_found(tmp_path: Path) -> None:
    project = find_project(tmp_path)
    assert not project.found
    assert project.root == tmp_path.resolve()
    assert project.package_dir == ""


@pytest.mark.parametrize(
    ("extra", "style", "mode"),
    [
        ("", "asyncio-run", None),
        (
            '[project.optional-dependencies]\ntest = ["pytest-asyncio>=0.23"]\n',
            "pytest-asyncio",
            "strict",
        ),
        (
            '[tool.pytest.ini_options]\nasyncio_mode = "auto"\n',
            "pytest-asyncio",
            "auto",
        ),
        ('[dependency-groups]\ndev = ["pytest_asyncio"]\n', "pytest-asyncio", "strict"),
        (
            '[tool.poetry.group.dev.dependencies]\npytest-asyncio = "*"\n',
            "pytest-asyncio",
            "strict",
        ),
        ('[project.optional-dependencies]\ntest = ["anyio[trio]>=4"]\n', "anyio", None),
        ('[tool.pytest.ini_options]\naddopts = "-p anyio"\n', "anyio", None),
        # Packaging tables of the wrong shape are skipped, not a traceback.
        ("dependencies = 5\n", "asyncio-run", None),
        ("[project.optional-dependencies]\ntest = 5\n", "asyncio-run", None),
        ("[tool.poetry]\ngroup = 5\n", "asyncio-run", None),
        ("[tool.poetry.group.dev]\ndependencies = 5\n", "asyncio-run", None),
        ('dependencies = 5\n[dependency-groups]\ndev = ["anyio"]\n', "anyio", None),
    ],
)
def test_test_style_detection(
    tmp_path: Path, extra: str, style: str, mode: str | None
) -> None:
    project = find_project(make_project(tmp_path / "p", MINIMAL_PYPROJECT + extra))
    assert (project.test_style, project.asyncio_mode) == (style, mode)


def test_pytest_ini_is_read(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "pytest.ini").write_text(
        "[pytest]\nasyncio_mode = auto\npythonpath = src\n"
    )
    project = find_project(root)
    assert (project.test_style, project.asyncio_mode) == ("pytest-asyncio", "auto")
    assert project.pytest_pythonpath == ("src",)


@pytest.mark.parametrize(
    ("name", "text", "style", "mode"),
    [
        # aiohttp's: its pytest settings in setup.cfg.
        ("setup.cfg", "[tool:pytest]\nasyncio_mode = auto\n", "pytest-asyncio", "auto"),
        ("tox.ini", "[pytest]\nasyncio_mode = strict\n", "pytest-asyncio", "strict"),
        # AnyIO's: pytest 9's native table, addopts a list.
        (
            "pyproject.toml",
            '[tool.pytest]\naddopts = ["-p", "anyio", "-p", "no:asyncio"]\n',
            "anyio",
            None,
        ),
        # pytest reads the first file that has its section, as here.
        ("setup.cfg", "[flake8]\nmax-line-length = 88\n", "asyncio-run", None),
    ],
)
def test_pytest_settings_are_read_where_pytest_reads_them(
    tmp_path: Path, name: str, text: str, style: str, mode: str | None
) -> None:
    root = make_project(tmp_path / "p")
    with (root / name).open("a", encoding="utf-8") as config:
        config.write("\n" + text)
    project = find_project(root)
    assert (project.test_style, project.asyncio_mode) == (style, mode)


def test_pytest_ini_wins_over_setup_cfg(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "pytest.ini").write_text("[pytest]\npythonpath = src\n")
    (root / "setup.cfg").write_text("[tool:pytest]\nasyncio_mode = auto\n")
    project = find_project(root)
    assert (project.test_style, project.pytest_pythonpath) == ("asyncio-run", ("src",))


@pytest.mark.parametrize(
    ("addopts", "package", "chosen", "shared"),
    [
        # Trio's: a test module imports nothing beside it, so it carries its engine.
        ('["--strict-config", "--import-mode=importlib"]', False, "", False),
        ('"--import-mode importlib -ra"', False, "", False),
        # A tests package imports its engine relatively: it can.
        ('"--import-mode=importlib"', True, "", None),
        ('"--import-mode=prepend"', False, "", None),
        ('"--import-mode=importlib"', False, "shared-tests = true\n", True),
    ],
)
def test_importlib_import_mode_gets_single_file_tests(
    tmp_path: Path, addopts: str, package: bool, chosen: str, shared: bool | None
) -> None:
    pyproject = MINIMAL_PYPROJECT + f"[tool.pytest.ini_options]\naddopts = {addopts}\n"
    if chosen:
        pyproject += "[tool.cancelgen]\n" + chosen
    root = make_project(tmp_path / "p", pyproject)
    if package:
        (root / "tests").mkdir()
        (root / "tests" / "__init__.py").write_text("")
    project = find_project(root)
    assert project.settings().get("shared_tests") is shared
    assert ("single-file tests" in project.detection({})) is (
        shared is False and not chosen
    )


def test_tool_cancelgen_defaults_override_detection(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + (
        "[tool.cancelgen]\n"
        'patterns = ["shield"]\npackage-dir = "src/demo/jobs"\n'
        'test_style = "anyio"\ntimeout = 3\n'
    )
    project = find_project(make_project(tmp_path / "p", pyproject))
    settings = project.settings()
    assert settings["patterns"] == ["shield"]
    assert settings["package_dir"] == "src/demo/jobs"
    assert settings["package_import"] == "demo.jobs"
    assert settings["test_style"] == "anyio"
    assert settings["timeout"] == 3


def test_tool_black_settings(tmp_path: Path) -> None:
    pyproject = (
        MINIMAL_PYPROJECT
        + '[tool.black]\nline-length = 100\ntarget-version = ["py312"]\n'
    )
    project = find_project(make_project(tmp_path / "p", pyproject))
    assert project.black == BlackSettings(line_length=100, target_versions=("py312",))


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ("[project\n", "is not valid TOML"),
        ('tool = "x"\n', "[tool] in"),
        ("[tool]\ncancelgen = 3\n", "[tool.cancelgen] in"),
        ('[tool.cancelgen]\ntest-stile = "anyio"\n', "(did you mean 'test-style'?)"),
    ],
)
def test_bad_pyproject_is_one_line_error(
    tmp_path: Path, pyproject: str, message: str
) -> None:
    root = make_project(tmp_path / "p", pyproject)
    with pytest.raises(CancelgenError) as caught:
        find_project(root)
    assert message in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    ("folder", "name", "root"),
    [
        ("src/demo", "demo", "src"),
        ("src/demo/jobs", "demo.jobs", "src"),
        ("demo", "demo", ""),
        ("lib/demo", "lib.demo", ""),
        ("", "", ""),
    ],
)
def test_import_name_and_root(folder: str, name: str, root: str) -> None:
    assert import_name(folder) == name
    assert import_root(folder, name) == root


def test_support_conftest_only_when_needed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    project = find_project(root)
    files = project.support_files("src/demo", "demo", "tests")
    assert list(files) == ["tests/conftest.py"]
    compile(files["tests/conftest.py"], "conftest.py", "exec")
    flat = project.support_files("demo", "demo", "tests")["tests/conftest.py"]
    assert "str(Path(__file__).resolve().parent.parent)\n" in flat
    assert project.support_files("demo", "demo", "") == {}  # tests at the root
    nested = project.support_files("src/demo", "demo", "tests/unit")
    assert 'parent.parent.parent / "src"' in nested["tests/unit/conftest.py"]
    (root / "tests").mkdir()
    (root / "tests" / "conftest.py").write_text("")
    assert project.support_files("src/demo", "demo", "tests") == {}
    assert project.unimportable_root("src/demo", "demo", "tests") == "src"


def test_pytest_puts_the_root_on_sys_path_for_a_root_conftest_or_tests_package(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path / "p", layout="flat")
    project = find_project(root)
    assert project.unimportable_root("demo", "demo", "tests/unit") == "."
    (root / "tests/unit").mkdir(parents=True)
    (root / "tests/__init__.py").write_text("")
    assert project.unimportable_root("demo", "demo", "tests/unit") == "."
    (root / "tests/unit/__init__.py").write_text("")
    assert project.unimportable_root("demo", "demo", "tests/unit") is None
    (root / "tests/__init__.py").unlink()
    (root / "conftest.py").write_text("")
    assert project.unimportable_root("demo", "demo", "tests/unit") is None


def pyproject_with(dependencies: str = "", extra: str = "") -> str:
    """A pyproject whose [project] lists ``dependencies`` (TOML array items)."""
    return MINIMAL_PYPROJECT + f"dependencies = [{dependencies}]\n" + extra


@pytest.mark.parametrize(
    ("dependencies", "extra"),
    [
        ("", ""),
        ('"httpx>=0.27"', ""),  # anyio only through another package
        ("", '[dependency-groups]\ndev = ["anyio[trio]", "trio"]\n'),  # tests only
        ("", '[project.optional-dependencies]\ntest = ["trio"]\n'),
    ],
    ids=["none", "through-httpx", "dev-group", "test-extra"],
)
def test_the_backend_is_asyncio_unless_the_code_depends_on_anyio_or_trio(
    tmp_path: Path, dependencies: str, extra: str
) -> None:
    root = make_project(tmp_path / "p", pyproject_with(dependencies, extra))
    project = find_project(root)
    assert project.backend == Detected("asyncio")
    assert "backend" not in project.detection({})


@pytest.mark.parametrize(
    ("pyproject", "backend"),
    [
        (pyproject_with('"trio>=0.25"'), "trio"),
        (pyproject_with('"anyio>=4"'), "anyio"),
        (pyproject_with('"anyio[trio]>=4", "httpx"'), "anyio"),
        (pyproject_with('"anyio", "trio"'), "trio"),  # trio first, as the issue says
        (
            MINIMAL_PYPROJECT
            + '[tool.poetry.dependencies]\npython = "^3.11"\nanyio = "^4"\n',
            "anyio",
        ),
    ],
    ids=["trio", "anyio", "anyio-extra", "both", "poetry"],
)
def test_the_backend_is_detected_from_the_code_s_own_dependencies(
    tmp_path: Path, pyproject: str, backend: str
) -> None:
    project = find_project(make_project(tmp_path / "p", pyproject))
    assert project.backend.value == backend
    assert project.detection({}).startswith(
        f"detected backend {backend} ({backend} is a dependency of the project)"
    )
    assert project.settings()["backend"] == backend
    # What was chosen is not reported as detected.
    assert "backend" not in project.detection({"backend": "asyncio"})


SETUPTOOLS_PYPROJECT = '[build-system]\nrequires = ["setuptools"]\n'


@pytest.mark.parametrize(
    ("files", "backend"),
    [
        pytest.param(
            {
                "setup.py": "from setuptools import setup\n\n"
                "setup(name='demo', install_requires=['trio>=0.11', 'wsproto'])\n"
            },
            "trio",
            id="setup.py install_requires",
        ),
        pytest.param(
            {
                "setup.cfg": "[options]\ninstall_requires =\n    anyio >= 4\n"
                "    typing-extensions; python_version < '3.13'\n"
            },
            "anyio",
            id="setup.cfg install_requires",
        ),
        pytest.param(
            {
                "pyproject.toml": SETUPTOOLS_PYPROJECT
                + '[project]\nname = "demo"\nversion = "1"\n'
                'dynamic = ["dependencies"]\n',
                "setup.cfg": "[options]\ninstall_requires = trio\n",
            },
            "trio",
            id="dependencies dynamic",
        ),
        pytest.param(
            {
                "setup.py": "from setuptools import setup\n\n"
                "setup(name='demo', extras_require={'test': ['trio']},"
                " tests_require=['anyio'])\n"
            },
            "asyncio",
            id="only for the tests",
        ),
        pytest.param(
            {
                "pyproject.toml": SETUPTOOLS_PYPROJECT
                + '[project]\nname = "demo"\nversion = "1"\n',
                "setup.cfg": "[options]\ninstall_requires = trio\n",
            },
            "asyncio",
            id="[project] without dynamic: setup.cfg ignored",
        ),
        pytest.param(
            {
                "setup.py": "print 'a Python 2 setup.py'\n",
                "setup.cfg": "[options]\ninstall_requires = trio\n",
            },
            "trio",
            id="a setup.py that does not parse names nothing",
        ),
    ],
)
def test_a_setuptools_project_s_dependencies_choose_the_backend_too(
    tmp_path: Path, files: dict[str, str], backend: str
) -> None:
    """Where setuptools reads them when pyproject.toml does not say: a
    literal ``install_requires`` in setup.py, setup.cfg's ``[options]``."""
    root = make_project(
        tmp_path / "p", files.pop("pyproject.toml", SETUPTOOLS_PYPROJECT)
    )
    for name, text in files.items():
        (root / name).write_text(text)
    assert find_project(root).backend.value == backend


def test_setuptools_test_requirements_choose_the_test_style(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p", SETUPTOOLS_PYPROJECT)
    (root / "setup.cfg").write_text(
        "[options]\ninstall_requires = trio\n\n"
        "[options.extras_require]\ntest =\n    pytest\n    pytest-trio\n"
    )
    project = find_project(root)
    assert project.backend.value == "trio"
    assert project.test_style_for("trio").value == "pytest-trio"


@pytest.mark.parametrize(
    ("extra", "trio_style"),
    [
        ("", "trio-run"),
        ('[dependency-groups]\ntest = ["pytest-trio"]\n', "pytest-trio"),
        ("[tool.pytest.ini_options]\ntrio_mode = true\n", "pytest-trio"),
    ],
)
def test_each_backend_gets_its_own_detected_test_style(
    tmp_path: Path, extra: str, trio_style: str
) -> None:
    pyproject = pyproject_with('"trio"', extra)
    project = find_project(make_project(tmp_path / "p", pyproject))
    assert project.test_style == trio_style
    assert project.test_style_for("anyio").value == "anyio"
    assert project.test_style_for("asyncio").value == "asyncio-run"
    # A flag choosing another backend brings that backend's style along.
    assert project.values({"backend": "asyncio"})["test_style"] == "asyncio-run"
    assert project.values({"backend": "trio"})["test_style"] == trio_style


def test_a_detected_test_style_follows_the_chosen_backend(tmp_path: Path) -> None:
    pyproject = pyproject_with("", '[dependency-groups]\ntest = ["pytest-asyncio"]\n')
    project = find_project(make_project(tmp_path / "p", pyproject))
    assert project.values({})["test_style"] == "pytest-asyncio"
    assert project.detection({}) == (
        "detected test style pytest-asyncio (the project uses pytest-asyncio)"
    )
    # An explicit test style (flag or [tool.cancelgen]) is kept as it is.
    assert project.values({"test_style": "anyio"})["test_style"] == "anyio"
    assert project.detection({"test_style": "anyio"}) == ""
    assert project.test_style_for("no-such-backend") == Detected("")


def test_tool_cancelgen_backend_is_a_setting(tmp_path: Path) -> None:
    pyproject = MINIMAL_PYPROJECT + '[tool.cancelgen]\nbackend = "asyncio"\n'
    project = find_project(make_project(tmp_path / "p", pyproject))
    assert project.defaults == {"backend": "asyncio"}
    assert project.values({})["backend"] == "asyncio"
    bad = MINIMAL_PYPROJECT + '[tool.cancelgen]\nbackend = "gevent"\n'
    with pytest.raises(CancelgenError) as caught:
        find_project(make_project(tmp_path / "q", bad))
    assert caught.value.message.endswith(
        "pyproject.toml: unknown backend 'gevent'; choose from: " + ", ".join(BACKENDS)
    )


def test_an_explicit_test_style_wins_over_the_detected_backend(tmp_path: Path) -> None:
    """A project on anyio whose tests are pytest-asyncio's keeps asyncio workers."""
    pyproject = pyproject_with(
        '"anyio>=4"', '[tool.cancelgen]\ntest-style = "pytest-asyncio"\n'
    )
    project = find_project(make_project(tmp_path / "p", pyproject))
    assert project.values({})["backend"] == "asyncio"
    assert project.detection({}) == (
        "detected backend asyncio (the test style pytest-asyncio is asyncio's)"
    )
    # A style both backends offer keeps the detected one; a flag still wins.
    assert project.values({"test_style": "anyio"})["backend"] == "anyio"
    assert project.values({"backend": "anyio"})["backend"] == "anyio"
