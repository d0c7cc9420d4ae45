import courier


def test_version(server_url: str) -> None:
    assert courier.__version__ == "0.5.2"
    assert server_url.startswith("http://")
