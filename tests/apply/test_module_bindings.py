"""Module code that only binds names counts, in an LF's key, by the values the LF reads:
editing one regex of a module of regex LFs recomputes the LF reading it, not the module's
other LFs; code that may do more keys them all."""

from __future__ import annotations

import pytest

from lf_module_keys import module_lf_keys

LABELS = ("billing", "technical")
NAMES = ("refund", "charge", "crash", "error", "login", "slow")

SOURCE = '''
import functools
import re

from labelwright import ABSTAIN, labeling_function

MIN_CHARS = 0
REFUND = re.compile(r"\\brefund", re.I)
CHARGE = re.compile(r"\\bcharged?", re.I)
CRASH = re.compile(r"\\bcrash", re.I)
ERROR = re.compile(r"\\berror", re.I)
LOGIN = re.compile(r"\\blog ?in", re.I)
SLOW = re.compile("|".join(map(re.escape, ["sluggish", "lag"])))


def found(pattern, item):
    return pattern.search(item.text) is not None


@functools.lru_cache(maxsize=None)
def lowered(text):
    return text.lower()

'''
LFS = {
    "refund": 'return "billing" if found(REFUND, item) and len(item.text) > MIN_CHARS '
              'else ABSTAIN',
    "charge": 'return "billing" if found(CHARGE, item) and len(item.text) > MIN_CHARS '
              'else ABSTAIN',
    "crash": 'return "technical" if CRASH.search(item.text) and len(item.text) > MIN_CHARS '
             'else ABSTAIN',
    "error": 'return "technical" if ERROR.search(item.text) and len(item.text) > MIN_CHARS '
             'else ABSTAIN',
    "login": 'return "technical" if LOGIN.search(lowered(item.text)) '
             'and len(item.text) > MIN_CHARS else ABSTAIN',
    "slow": 'return "technical" if SLOW.search(item.text) and len(item.text) > MIN_CHARS '
            'else ABSTAIN',
}
MODULE = SOURCE + "".join(f"\n@labeling_function()\ndef {name}(item):\n    {body}\n\n"
                          for name, body in LFS.items())


def _recomputed(folder, old, new, source=MODULE):
    """The LFs whose keys an edit of ``old`` to ``new`` in ``source`` changes."""
    assert old in source
    before = module_lf_keys(folder, source, LABELS, "regexes.py")
    after = module_lf_keys(folder, source.replace(old, new, 1), LABELS, "regexes.py")
    assert set(before) == set(after) == set(NAMES)
    return {name for name in NAMES if before[name] != after[name]}


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "labeling_functions"
    out.mkdir()
    return out


EDITS = {
    # one regex, read by one LF
    "regex": (r'r"\brefund"', r'r"\brefunds?"', {"refund"}),
    "regex-joined": ('["sluggish", "lag"]', '["sluggish", "lag", "laggy"]', {"slow"}),
    # a helper two LFs call
    "helper": ("is not None", "is None", {"refund", "charge"}),
    # a memoised helper one LF calls: a decorated def is module code that runs, so every LF
    # of the module (coarser than need be, never stale)
    "memoised-helper": ("return text.lower()", "return text.casefold()", set(NAMES)),
    # a constant every LF reads
    "constant-all": ("MIN_CHARS = 0", "MIN_CHARS = 5", set(NAMES)),
    # comments and blank lines anywhere
    "comment": ("MIN_CHARS = 0", "# a floor\n\nMIN_CHARS = 0  # none", set()),
    # a name no LF reads
    "unread": ("MIN_CHARS = 0", "MIN_CHARS = 0\nUNUSED = (1, 2)", set()),
}


@pytest.mark.parametrize("old, new, changed", EDITS.values(), ids=EDITS.keys())
def test_a_binding_recomputes_the_lfs_reading_it(folder, old, new, changed):
    assert _recomputed(folder, old, new) == changed


DOES_MORE = {
    # an import runs another module's code, which may change what any LF does
    "import": ("import re\n", "import re\nimport json\n"),
    # calls that may change state outside the value they make
    "call": ("MIN_CHARS = 0", "MIN_CHARS = 0\nprint(MIN_CHARS)"),
    "module-function": ("return text.lower()\n", "return text.lower()\n\n\nA = lowered('A')\n"),
    "method": ("MIN_CHARS = 0", "MIN_CHARS = 0\nNAMES = []\nNAMES.append(1)"),
    "attribute": ("MIN_CHARS = 0", "MIN_CHARS = 0\nre.X = 1"),
    "class": ("MIN_CHARS = 0", "MIN_CHARS = 0\n\n\nclass Rule:\n    cut = 1\n"),
    "global": ("def found(pattern, item):\n",
               "def found(pattern, item):\n    global MIN_CHARS\n"),
    "decorator": ("@functools.lru_cache(maxsize=None)", "@functools.wraps(found)"),
    "rebound-builtin": ("MIN_CHARS = 0", "MIN_CHARS = 0\nlen = len\nX = len('a')"),
}


@pytest.mark.parametrize("old, new", DOES_MORE.values(), ids=DOES_MORE.keys())
def test_code_that_may_do_more_recomputes_every_lf(folder, old, new):
    assert _recomputed(folder, old, new) == set(NAMES)


def test_a_module_reaching_its_names_dynamically_keys_every_lf(folder):
    """An LF may read a name without naming it (``globals()["REFUND"]``), so its values
    read do not hold it: any binding then counts for every LF."""
    source = MODULE.replace("MIN_CHARS = 0", "MIN_CHARS = 0\nHERE = globals")
    assert _recomputed(folder, r'r"\brefund"', r'r"\brefunds?"', source) == set(NAMES)


def test_a_binding_that_code_doing_more_reads_keys_every_lf(folder):
    """``NAME`` read by a call that changes state no LF reads by name
    (``Token.set_extension(NAME, ...)``): its edits reach LFs that never load it."""
    source = MODULE.replace("MIN_CHARS = 0", 'MIN_CHARS = 0\nTAG = "a"\nLOG = []\nLOG.append(TAG)')
    assert _recomputed(folder, 'TAG = "a"', 'TAG = "b"', source) == set(NAMES)
    # a helper that such code calls, the same
    called = MODULE.replace("MIN_CHARS = 0", "MIN_CHARS = 0\nHOOKS = []")
    called += "\nHOOKS.append(found)\n"
    assert _recomputed(folder, "is not None", "is None", called) == set(NAMES)
