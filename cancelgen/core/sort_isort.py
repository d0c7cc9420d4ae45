"""Sort generated imports with isort and the project's own isort settings.

isort finds the settings itself, as ``isort`` run from the project root does
(``[tool.isort]``, ``.isort.cfg``, ``setup.cfg``, ``tox.ini``...), and each
file is sorted under its real path, so the project's ``src_paths``,
``known_first_party`` and profile decide which section the worker's own
package goes in. isort is a dependency of cancelgen (small, pure Python),
imported only here, when a project uses it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from cancelgen.errors import CancelgenError


def sort_files(files: Mapping[str, str], root: Path) -> dict[str, str]:
    """Every ``*.py`` file of ``files`` (paths relative to ``root``) isort-ed."""
    try:
        import isort
        from isort.exceptions import ISortError
    except ImportError:
        raise CancelgenError(
            "cannot sort imports as the project does: isort is not installed "
            "(reinstall cancelgen, or pip install isort)"
        ) from None
    try:
        config = isort.Config(settings_path=str(root))
        return {
            path: (
                # disregard_skip: isort skips paths that do not exist yet
                isort.code(
                    text, config=config, file_path=root / path, disregard_skip=True
                )
                if path.endswith(".py")
                else text
            )
            for path, text in files.items()
        }
    except ISortError as error:
        raise CancelgenError(f"isort failed in {root}: {error}") from None
