import ledger


def test_version_is_a_string() -> None:
    assert isinstance(ledger.__version__, str)
