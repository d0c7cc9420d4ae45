from setuptools import find_packages, setup

setup(
    name="trio-websocket",
    version="0.13.0.dev0",
    description="WebSocket library for Trio",
    python_requires=">=3.8",
    packages=find_packages(exclude=["docs", "examples", "tests"]),
    install_requires=[
        'exceptiongroup; python_version<"3.11"',
        "outcome>=1.2.0",
        "trio>=0.11",
        "wsproto>=0.14",
    ],
)
