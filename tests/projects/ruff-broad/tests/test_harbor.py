import harbor


def test_the_package_has_a_docstring() -> None:
    assert harbor.__doc__
