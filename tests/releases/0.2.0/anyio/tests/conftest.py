"""Put the "src" folder on ``sys.path`` for pytest (written by cancelgen).

The project has no ``pythonpath`` setting for pytest, so without this file the
tests could only import the code once it is installed (or under
``python -m pytest``). Delete this file if you add
``[tool.pytest.ini_options] pythonpath = ["src"]`` or install the project
in your environment.
"""

import sys
from pathlib import Path

_IMPORT_ROOT = str(Path(__file__).resolve().parent.parent / "src")
if _IMPORT_ROOT not in sys.path:
    sys.path.insert(0, _IMPORT_ROOT)
