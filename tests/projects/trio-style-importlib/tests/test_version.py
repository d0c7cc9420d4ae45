import lantern


def test_version() -> None:
    assert lantern.__version__ == "0.4.0"
