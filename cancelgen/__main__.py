"""Allow ``python -m cancelgen``."""

from cancelgen.cli import main

main()
