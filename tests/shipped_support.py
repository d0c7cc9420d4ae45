"""Whether the shipped table (cancelgen/core/shipped.py) answers here.

It is made with one Jinja and one black. With others installed every entry
misses: cancelgen is then as slow as without it, never wrong, and the tests
that count on its answers skip, saying why.
"""

from __future__ import annotations

import jinja2
import pytest

from cancelgen.core import shipped

UPDATE = "pytest --update-golden -p no:xdist tests/core/test_shipped.py"


def installed_versions() -> dict[str, str | None]:
    """The Jinja, black and Python installed here, as the table records its makers."""
    return {
        "jinja": jinja2.__version__,
        "black": shipped.black_version(),
        "python": shipped.PYTHON,
    }


def skip_unless_the_table_answers() -> None:
    """Skip the calling test unless the installed Jinja, black and Python made
    the table."""
    shipped._table.cache_clear()
    made, installed = shipped._table().get("versions"), installed_versions()
    if made != installed:
        pytest.skip(
            f"the shipped table was made with {made}, but {installed} is"
            f" installed: its entries miss (cold runs are slow again); run {UPDATE}"
        )
