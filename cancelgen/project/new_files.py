"""What ``cancelgen new worker`` and ``cancelgen new test`` write: the unit's
files, fitted to the project, and the shared modules it needs (the support
module, the sweep engine, ``conftest.py``), with what to tell the user about
them.

The CLI gathers the answers and shows or writes the result; this module
renders and fits. In a project that ruff formats, every file's ruff pipe starts
before the files are rendered and gets each file as soon as it is (see
:func:`cancelgen.project.fit.started_early`), so ruff's start-up runs beside the
rendering.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cancelgen.core.spec import WorkerSpec
from cancelgen.project.detect import Project
from cancelgen.project.units import Unit


@dataclass(frozen=True)
class NewFiles:
    """The files ``new`` writes (path relative to the root -> text), the units
    they come from (for the records) and the notices about shared modules."""

    files: dict[str, str]
    units: list[Unit]
    notices: list[str]


def new_worker_files(spec: WorkerSpec, project: Project) -> NewFiles:
    """Render ``spec``'s worker, its tests and the shared modules it needs,
    fitted to ``project`` (its formatter, import order and lint fixes)."""
    from cancelgen.core.cache import enable_template_cache
    from cancelgen.core.render import environment, render
    from cancelgen.project.fit import feed_early, started_early
    from cancelgen.project.units import WORKER, shared_sources, units_for_new

    units = units_for_new(WORKER, spec.answers())
    support = project.support_files(
        spec.package_dir, spec.package_import, spec.tests_dir
    )
    # The files fitted together below, known before any is rendered.
    paths = [spec.module_path, spec.test_path, *support]
    shared_paths = [([path], None) for _, _, path in units[1:]]
    with started_early([(paths, spec), *shared_paths], project):
        feed_early(support, project)  # conftest.py: known already
        enable_template_cache(environment(backend=spec.backend))
        # The shared modules next (the sweep engine is the largest file):
        # ruff works on them while the worker renders.
        sources = shared_sources(units)
        for source in sources:
            feed_early(source, project)
        files = render(spec)
        files.update(support)
        feed_early(files, project)
        return _with_shared(files, spec, units, sources, project)


def with_shared_modules(
    files: Mapping[str, str], units: list[Unit], project: Project
) -> NewFiles:
    """``files`` (a unit's, rendered: ``units[0]``), fitted to ``project``,
    with the shared modules the other ``units`` are (``new test``'s)."""
    from cancelgen.project.units import shared_sources

    return _with_shared(files, None, units, shared_sources(units), project)


def _with_shared(
    files: Mapping[str, str],
    spec: WorkerSpec | None,
    units: list[Unit],
    sources: list[dict[str, str]],
    project: Project,
) -> NewFiles:
    """``files`` and the shared modules of ``units`` (their ``sources``, before
    fitting) fitted in one run, and what to tell the user about the shared
    ones (:func:`cancelgen.project.units.shared_for_new`)."""
    from cancelgen.project.fit import fit_files, fitted_together
    from cancelgen.project.units import shared_for_new

    # The shared modules' files too, so that all go through ruff at once.
    together = [(files, spec), *((shared, None) for shared in sources)]
    with fitted_together(together, project):
        formatted = fit_files(files, project, spec)
        shared, notices = shared_for_new(project, units)
    formatted.update(shared)
    return NewFiles(formatted, units, notices)
