"""The project's own tests (a stand-in)."""

import lockbox


def test_the_package_imports() -> None:
    assert lockbox.__doc__
