import tidewater


def test_version() -> None:
    assert tidewater.__version__ == '1.2.0'
