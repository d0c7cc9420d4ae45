"""The three-way merge settles what git takes for a conflict only because two
edits touch; a line both sides edited stays a conflict."""

from __future__ import annotations

import pytest

from cancelgen.project.merge import has_markers, merge

LABELS = ("yours", "old", "new")

# (base, ours, theirs, merged text or None for a conflict)
CASES = {
    "appended after a rewritten end": (
        "a\nsweep1\nsweep2\n",
        "a\nsweep1\nsweep2\nmine\n",
        "a\nnew sweep\n",
        "a\nnew sweep\nmine\n",
    ),
    "inserted above a rewritten line": (
        "a\n@old\ndef t(): ...\n",
        "a\nmine\n@old\ndef t(): ...\n",
        "a\n@new\ndef t(): ...\n",
        "a\nmine\n@new\ndef t(): ...\n",
    ),
    "a setting next to rewritten lines": (
        "# knob\nSKIP = ''\n# cap\nCAP = 40\n",
        "# knob\nSKIP = 'io'\n# cap\nCAP = 40\n",
        "# knob, why\nSKIP = ''\n",
        "# knob, why\nSKIP = 'io'\n",
    ),
    # The sweep's body moved to the engine, its SKIP setting below the class
    # that followed it: git's one conflict is the whole old sweep.
    "a setting that moved while its block was rewritten": (
        "def t():\n    assert (\n        a\n    )\n\n# sweep\n# note1\n# note2\n"
        "SKIP = ''\n# note3\nbody1()\nbody2()\n\n\nclass Recorded:\n    pass\n",
        "def t():\n    assert (\n        a\n    )\n\n# sweep\n# note1\n# note2\n"
        "SKIP = 'io'\n# note3\nbody1()\nbody2()\n\n\nclass Recorded:\n    pass\n",
        "def t():\n    assert a\n\n\nclass Recorded:\n    pass\n\n\n# knobs\n"
        "SKIP = ''\n",
        "def t():\n    assert a\n\n\nclass Recorded:\n    pass\n\n\n# knobs\n"
        "SKIP = 'io'\n",
    ),
    "a setting cancelgen dropped": (
        "def t():\n    assert (\n        a\n    )\n\nSKIP = ''\nbody()\n\n\nx = 1\n",
        "def t():\n    assert (\n        a\n    )\n\nSKIP = 'io'\nbody()\n\n\nx = 1\n",
        "def t():\n    assert a\n\n\nx = 1\n",
        None,
    ),
    "the same line edited by both": ("a\nb\nc\n", "a\nB\nc\n", "a\nb2\nc\n", None),
    "two insertions at one place": ("a\nc\n", "a\nmine\nc\n", "a\nnew\nc\n", None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_touching_edits_merge_and_overlapping_ones_conflict(case: str) -> None:
    base, ours, theirs, wanted = CASES[case]
    merged = merge(base, ours, theirs, labels=LABELS, path="x.py")
    if wanted is None:
        assert merged.conflicts == 1
        assert has_markers(merged.text)
        assert "|||||||" not in merged.text  # the plain merge style
    else:
        assert (merged.conflicts, merged.text) == (0, wanted)
