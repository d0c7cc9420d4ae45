"""A Jinja extension that renders cancelgen workers inside any Jinja template.

Add it to a copier template with::

    _jinja_extensions:
      - cancelgen.jinja.CancelgenExtension

and call the globals it provides from any templated file::

    {{ cancelgen_worker("sync_orders", patterns=["cleanup", "timeout"]) }}
    {{ cancelgen_tests("sync_orders", patterns=["cleanup", "timeout"], package="shop") }}
    {{ cancelgen_worker("pump", patterns=["shield"], backend="trio") }}
    {{ cancelgen_worker("pump", package="shop", support_module=True) }}
    {{ cancelgen_support_module(backend="asyncio", package="shop") }}
    {{ cancelgen_tests("pump", package="shop", shared_tests=True) }}
    {{ cancelgen_test_support(backend="asyncio") }}

Each returns black-formatted source, built from the same templates and the same
validation as ``cancelgen new``: a worker with ``support_module=True`` imports
its helpers from ``<package>._cancellation_<backend>``, which
``cancelgen_support_module`` renders. A test module carries its harness and
the sweep's engine unless ``shared_tests=True``: then it imports them from
``_cancelgen_<backend>`` in its folder, which ``cancelgen_test_support``
renders (cancelgen's own project template does so). A bad argument raises a Jinja
``TemplateRuntimeError`` whose message names the bad value, which copier shows.

Fragments come from the ``templates/`` folder of the template being rendered
when it has cancelgen's ``worker.py.jinja`` (our own copier template does, so
``copier update`` applies a newer version's fragments); otherwise from the
templates installed with cancelgen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2.ext import Extension

from cancelgen.core.catalog import BACKENDS
from cancelgen.core.format import format_source
from cancelgen.core.render import (
    is_templates_folder,
    render_module,
    render_support_module,
    render_test_support_module,
    render_tests,
)
from cancelgen.core.spec import (
    SettingError,
    WorkerSpec,
    validate_name,
    validate_package_name,
)
from cancelgen.errors import CancelgenError


def _listed(value: object) -> object:
    """Pattern or resource names from a list, or a comma/space separated string,
    as copier answers may be; anything else is left for ``WorkerSpec`` to refuse."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in re.split(r"[,\s]+", value) if part]
    if isinstance(value, list | tuple):
        return list(value)
    return value


def _names(value: object) -> list[str]:
    """Worker names from a list or a comma-separated answer (spaces stay in a name,
    so ``fetch orders`` is refused as one bad name, not split into two)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return [str(part).strip() for part in value]
    return [str(value)]


def _arguments(
    name: str,
    patterns: str | Sequence[str] | None = None,
    resources: str | Sequence[str] | None = None,
    package: str = "",
    **settings: Any,
) -> tuple[
    str, str | Sequence[str] | None, str | Sequence[str] | None, str, dict[str, Any]
]:
    """Bind ``cancelgen_tests`` arguments the way ``cancelgen_worker`` binds them."""
    return name, patterns, resources, package, settings


class CancelgenExtension(Extension):
    """Adds ``cancelgen_worker``, ``cancelgen_tests``, ``cancelgen_support_module``,
    ``cancelgen_names``, ``cancelgen_slot``, ``cancelgen_name_error``,
    ``cancelgen_package_error`` and ``cancelgen_test_styles`` to the
    environment's globals."""

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.globals.update(
            cancelgen_worker=self.worker,
            cancelgen_tests=self.tests,
            cancelgen_support_module=self.support_module,
            cancelgen_test_support=self.test_support,
            cancelgen_names=self.names,
            cancelgen_slot=self.slot,
            cancelgen_name_error=self.name_error,
            cancelgen_package_error=self.package_error,
            cancelgen_test_styles=self.test_styles,
        )

    def _templates(self) -> Path | None:
        """The rendered template's own ``templates/`` folder, if it has our fragments."""
        for root in getattr(self.environment.loader, "searchpath", []):
            candidate = Path(root) / "templates"
            if is_templates_folder(candidate):
                return candidate
        return None

    def _spec(
        self,
        name: str,
        patterns: str | Sequence[str] | None,
        resources: str | Sequence[str] | None,
        package: str,
        settings: dict[str, Any],
    ) -> WorkerSpec:
        values: dict[str, Any] = {"name": name, "resources": _listed(resources)}
        if patterns is not None:
            values["patterns"] = _listed(patterns)
        if package:
            values["package_import"] = package
            values["package_dir"] = settings.pop("package_dir", f"src/{package}")
        values.update(settings)
        try:
            return WorkerSpec.from_mapping(values)
        except SettingError as error:
            # Worded as the keyword argument the template passed, not as a flag.
            setting = error.setting.replace("-", "_")
            raise jinja2.TemplateRuntimeError(
                f"cancelgen: {setting} {error.problem}"
            ) from None
        except CancelgenError as error:
            raise jinja2.TemplateRuntimeError(f"cancelgen: {error.message}") from None

    def worker(self, *args: Any, **kwargs: Any) -> str:
        """The formatted worker module: ``(name, patterns=None, resources=None,
        package="", **settings)``, settings being ``WorkerSpec`` fields."""
        spec = self._spec(*_arguments(*args, **kwargs))
        return format_source(render_module(spec, self._templates()))

    def tests(self, *args: Any, **kwargs: Any) -> str:
        """The formatted test module of a worker; same arguments as :meth:`worker`.

        Self-contained unless ``shared_tests=True`` (see :meth:`test_support`).
        """
        name, patterns, resources, package, settings = _arguments(*args, **kwargs)
        settings.setdefault("shared_tests", False)
        spec = self._spec(name, patterns, resources, package, settings)
        return format_source(render_tests(spec, self._templates()))

    def test_support(self, backend: str = "asyncio") -> str:
        """The formatted test support module (the harness and the sweep's
        engine) that test modules of ``backend`` rendered with
        ``shared_tests=True`` import from their folder."""
        spec = self._spec("worker", None, None, "", {"backend": backend})
        return format_source(render_test_support_module(spec, self._templates()))

    def support_module(self, backend: str = "asyncio", package: str = "") -> str:
        """The formatted support module that the workers of ``package`` (an
        import name, "" for none) and ``backend`` import with ``support_module=True``.
        """
        spec = self._spec("worker", None, None, package, {"backend": backend})
        return format_source(render_support_module(spec, self._templates()))

    @staticmethod
    def names(value: object) -> list[str]:
        """Worker names from a list or a comma-separated answer (not validated)."""
        return _names(value)

    @staticmethod
    def slot(value: object, index: int, kind: str = "module") -> str:
        """``<name>.py`` (or ``test_<name>.py`` for ``kind="test"``) of the
        ``index``-th worker name, or ``""`` if there is none.

        Copier skips a file whose rendered path is empty, so a template can hold
        a fixed number of worker "slots" named with this function.
        """
        names = _names(value)
        if index >= len(names):
            return ""
        return f"test_{names[index]}.py" if kind == "test" else f"{names[index]}.py"

    @staticmethod
    def name_error(value: object, limit: int = 0) -> str:
        """The CLI's message for the first bad worker name in ``value``, else ``""``.

        Meant for copier ``validator:`` fields, so copier and the CLI refuse the
        same names with the same words.
        """
        names = _names(value)
        if not names:
            return "give at least one worker name"
        if limit and len(names) > limit:
            return f"at most {limit} workers per project; add more later with `cancelgen new`"
        if len(set(names)) != len(names):
            return "worker names must be different"
        for name in names:
            try:
                validate_name(name)
            except CancelgenError as error:
                return error.message
        return ""

    @staticmethod
    def test_styles(backend: object) -> list[str]:
        """The test styles ``backend`` offers, its default first (``[]`` for an
        unknown backend), so a copier question offers only those that fit."""
        found = BACKENDS.get(backend) if isinstance(backend, str) else None
        return list(found.test_styles) if found is not None else []

    @staticmethod
    def package_error(value: object) -> str:
        """The CLI's message for a bad package name, else ``""`` (for ``validator:``)."""
        try:
            validate_package_name(value)
        except CancelgenError as error:
            return error.message
        return ""
