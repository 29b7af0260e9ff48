"""An LF's key holds its module without the module's LFs: adding, removing, moving or editing
one LF keeps its neighbours' keys, and everything else in the module still counts."""

from __future__ import annotations

import os
import textwrap

import pytest

from labelwright.apply.cache_keys import (
    key_reads_matches,
    lf_cache_key,
    lf_lines_by_file,
    lf_support,
    lf_support_keys,
    module_facts,
)
from labelwright.lfs.discovery import discover
from lf_module_keys import module_lf_keys

LABELS = ("billing", "technical")

HEAD = '''
from labelwright import ABSTAIN, labeling_function

WORD = "refund"


def says(item, word):
    return word in item.text.lower()


@labeling_function()
def refund(item):
    return "billing" if says(item, WORD) else ABSTAIN
'''

CRASH = '''

@labeling_function()
def crash(item):
    return "technical" if "crash" in item.text.lower() else ABSTAIN
'''

ERROR = '''

@labeling_function()
def error(item):
    """A second neighbour."""
    text = item.text.lower()
    return "technical" if "error" in text else ABSTAIN
'''

EDITED_ERROR = '''

@labeling_function()
def error(item):
    """A second neighbour, edited: longer now."""
    text = item.text.lower()
    if "error" in text or "failed" in text:
        return "technical"
    return ABSTAIN
'''


def _keys(folder, source):
    """{LF name: cache key} of the LFs of ``source`` written as ``folder/tickets.py``."""
    return module_lf_keys(folder, source, LABELS)


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "labeling_functions"
    out.mkdir()
    return out


@pytest.mark.parametrize("before, after", [
    (HEAD + CRASH, HEAD + CRASH + ERROR),  # added at the end
    (HEAD + CRASH, HEAD + ERROR + CRASH),  # added between: crash moves down
    (HEAD + ERROR + CRASH, HEAD + CRASH),  # removed
    (HEAD + CRASH + ERROR, HEAD + ERROR + CRASH),  # moved
    (HEAD + CRASH + ERROR, HEAD + CRASH + EDITED_ERROR),  # edited, more lines
    (HEAD + CRASH, HEAD + CRASH + "\n# a comment\n\n\n"),  # comments and blank lines
], ids=["added", "added-between", "removed", "moved", "edited", "comment"])
def test_adding_removing_moving_or_editing_an_lf_keeps_its_neighbours_keys(folder, before,
                                                                          after):
    old, new = _keys(folder, before), _keys(folder, after)
    for name in ("refund", "crash"):
        assert new[name] == old[name], name
    if "error" in old and "error" in new and before != after.replace(EDITED_ERROR, ERROR):
        assert new["error"] == old["error"]  # moved, not edited


@pytest.mark.parametrize("old, new", [
    ('WORD = "refund"', 'WORD = "charge"'),  # a constant
    ("return word in item", "return word not in item"),  # a helper
    (CRASH, CRASH + '\nWORD = WORD.upper()\n'),  # module-level code after the LFs
    ("from labelwright import", "import re\nfrom labelwright import"),  # an import
], ids=["constant", "helper", "code-after", "import"])
def test_edits_outside_the_lfs_change_the_keys(folder, old, new):
    source = HEAD + CRASH
    before, after = _keys(folder, source), _keys(folder, source.replace(old, new))
    assert after["refund"] != before["refund"]
    assert after["crash"] != before["crash"]


CALLED = HEAD.replace('says(item, WORD) else', 'crash(item) == "technical" else') + CRASH


def test_an_lf_another_lf_calls_stays_in_the_key(folder):
    before = _keys(folder, CALLED)
    after = _keys(folder, CALLED.replace('"crash" in', '"crashed" in'))
    assert after["refund"] != before["refund"]


REACHED = {
    # a decorator that is not labeling_function may hand the LF to other code
    "registry": ("RULES = []\n\n\ndef register(lf):\n    RULES.append(lf)\n    return lf\n",
                 "@labeling_function()\ndef crash", "@register\n@labeling_function()\ndef crash"),
    # the module reaches its names by string
    "globals": ("def by_name(name):\n    return globals()[name]\n", "", ""),
    "getattr": ("import sys\n\n\ndef by_name(name):\n    return getattr(sys.modules[__name__], "
                "name)\n", "", ""),
    "string": ('ORDER = ["crash", "refund"]\n', "", ""),
    "attribute": ("import tickets\n\n\ndef crashed(item):\n    return tickets.crash(item)\n",
                  "", ""),
    "star-import": ("from os.path import *\n", "", ""),
    # what the def line evaluates when the module runs may change module state
    "walrus": ("", "@labeling_function()\ndef crash",
               '@labeling_function(name=(NAME := "crash"))\ndef crash'),
    "default-call": ("SEEN = []\n", "def crash(item)", "def crash(item, n=SEEN.append(1))"),
    "global": ("COUNT = 0\n", '    return "technical" if',
               "    global COUNT\n    COUNT += 1\n    return \"technical\" if"),
}


@pytest.mark.parametrize("extra, old, new", REACHED.values(), ids=REACHED.keys())
def test_an_lf_other_code_may_reach_stays_in_the_key(folder, extra, old, new):
    """An LF kept out of the key only where nothing else in the module can reach it."""
    source = (HEAD + "\n\n" + extra + CRASH).replace(old, new, 1) if old else \
        HEAD + "\n\n" + extra + CRASH
    before = _keys(folder, source)
    after = _keys(folder, source.replace('"crash" in', '"crashed" in'))
    assert after["crash"] != before["crash"]
    assert after["refund"] != before["refund"]


def test_words_that_name_dynamic_access_as_strings_leave_the_lfs_out(folder):
    """Cue words such as "stack" or "modules" are data, not a way to reach names."""
    source = HEAD + '\nCUES = ("stack", "modules", "dir")\n' + CRASH
    before = _keys(folder, source)
    after = _keys(folder, source + ERROR)
    assert after["refund"] == before["refund"] and after["crash"] == before["crash"]


def test_library_functions_named_like_builtins_leave_the_lfs_out(folder):
    """A module of patterns (``MONEY = re.compile(...)``, the README's own example) kept all
    its LFs in every key: ``compile`` was taken for the builtin that compiles code, so an
    edit to one LF recomputed the module's every LF. ``np.stack`` and ``df.eval`` too."""
    source = ("import re\n\nimport numpy as np\n" + HEAD
              + '\nMONEY = re.compile(r"\\d+")\nSTACKED = np.stack([[1], [2]])\n' + CRASH)
    before = _keys(folder, source)
    after = _keys(folder, source + ERROR)
    assert after["refund"] == before["refund"] and after["crash"] == before["crash"]
    edited = _keys(folder, source.replace('"crash" in', '"crashed" in'))
    assert edited["refund"] == before["refund"] and edited["crash"] != before["crash"]
    # the builtin itself still keeps them in
    dynamic = source + '\nCODE = compile("crash", "<lf>", "eval")\n'
    assert _keys(folder, dynamic.replace('"crash" in', '"crashed" in'))["refund"] != \
        _keys(folder, dynamic)["refund"]


def test_an_aliased_or_snorkel_decorator_still_leaves_the_lf_out(folder):
    source = HEAD.replace("from labelwright import ABSTAIN, labeling_function",
                          "import labelwright as lw\nfrom labelwright import ABSTAIN") \
        .replace("@labeling_function()", "@lw.labeling_function()") \
        + CRASH.replace("@labeling_function()", "@lw.labeling_function()")
    before = _keys(folder, source)
    after = _keys(folder, source + ERROR.replace("@labeling_function()",
                                                 "@lw.labeling_function(name='err')"))
    assert after["refund"] == before["refund"]
    assert after["crash"] == before["crash"]


def test_a_module_python_cannot_parse_is_hashed_whole(tmp_path):
    path = tmp_path / "broken.py"
    path.write_text("def f(:\n    pass\n")
    sha, reads_matches, reads_doc = module_facts(str(path), frozenset({1}), 1)
    assert (reads_matches, reads_doc) == (True, True)
    path.write_text("def f(:\n    pass\n\n")
    assert module_facts(str(path), frozenset({1}), 1)[0] != sha


MATCHES_LF = '''

@labeling_function()
def billing_terms(item):
    return "billing" if item.matched("billing") else ABSTAIN
'''


def test_an_lf_reading_matches_puts_the_glossaries_in_its_own_key_only(folder):
    """Adding an LF that reads glossary matches kept the module's other LFs' keys as they
    were: the glossaries (and the pipeline) go into the key of the LF that reads them, or
    of every LF when a helper of the module does."""
    before = _keys(folder, HEAD + CRASH)
    after = _keys(folder, HEAD + CRASH + MATCHES_LF)
    assert after["crash"] == before["crash"]
    lfs = {lf.name: lf for lf in discover(folder)}
    lines = frozenset(lf.line for lf in lfs.values())
    assert key_reads_matches(lfs["billing_terms"], None, lines)
    assert not key_reads_matches(lfs["crash"], None, lines)
    helper = HEAD + CRASH + "\n\ndef billed(item):\n    return item.matched('billing')\n"
    _keys(folder, helper)
    lfs = {lf.name: lf for lf in discover(folder)}
    lines = frozenset(lf.line for lf in lfs.values())
    assert key_reads_matches(lfs["crash"], None, lines)


SNORKEL = '''
from snorkel.labeling import labeling_function

ABSTAIN, BILLING, TECHNICAL = -1, 0, 1


@labeling_function()
def refund(x):
    return BILLING if "refund" in x.text.lower() else ABSTAIN
'''

SNORKEL_ADDED = '''

@labeling_function(name="crash")
def crash_kw(x):
    return TECHNICAL if "crash" in x.text.lower() else ABSTAIN
'''


def test_a_snorkel_lf_added_leaves_its_neighbours_keys(folder):
    pytest.importorskip("snorkel")
    before = _keys(folder, SNORKEL)
    after = _keys(folder, SNORKEL + SNORKEL_ADDED)
    assert after["refund"] == before["refund"]


def test_a_list_of_the_lfs_no_code_reads_leaves_them_out(folder):
    """Snorkel users end an LF module with ``LFS = [refund, crash]`` for their applier: the
    list named every LF, so editing one recomputed all of them, though no code of the
    module reads the list."""
    for collector in ("LFS = [refund, crash]\n", "LFS: list = (refund, crash)\n"):
        source = HEAD + CRASH + "\n\n" + collector
        before = _keys(folder, source)
        after = _keys(folder, source.replace('"crash" in', '"crashed" in'))
        assert after["refund"] == before["refund"], collector
        assert after["crash"] != before["crash"]


@pytest.mark.parametrize("reader", [
    "for lf in LFS:\n    print(lf.name)\n",  # module code reads the list
    "LFS.append(refund)\n",
    '__all__ = ["LFS"]\n',  # a string naming it: getattr(module, "LFS") may reach it
])
def test_a_list_of_the_lfs_the_module_reads_keeps_them_in(folder, reader):
    source = HEAD + CRASH + "\n\nLFS = [refund, crash]\n" + reader
    before = _keys(folder, source)
    after = _keys(folder, source.replace('"crash" in', '"crashed" in'))
    assert after["refund"] != before["refund"]


@pytest.mark.parametrize("reader", [
    "if __name__ == '__main__':\n    print(LFS)\n",
    "LFS += [says]\n",  # augmented: the list read and bound again
    "REFUND, CRASH = LFS\n",  # unpacked
], ids=["main-block", "augmented", "unpacked"])
def test_a_list_read_in_other_ways_keeps_them_in(folder, reader):
    source = HEAD + CRASH + "\n\nLFS = [refund, crash]\n" + reader
    before = _keys(folder, source)
    after = _keys(folder, source.replace('"crash" in', '"crashed" in'))
    assert after["refund"] != before["refund"]


def test_a_helper_in_the_list_leaves_the_lfs_out(folder):
    source = HEAD + CRASH + "\n\nLFS = [refund, crash, says]\n"
    before = _keys(folder, source)
    after = _keys(folder, source.replace('"crash" in', '"crashed" in'))
    assert after["refund"] == before["refund"] and after["crash"] != before["crash"]


def _full_keys(folder, files):
    """{LF name: cache key with its support} of the LF modules ``files`` written in
    ``folder``."""
    for name, source in files.items():
        path = folder / name
        before = path.stat().st_mtime_ns if path.exists() else 0
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        os.utime(path, ns=(before + 10**9, before + 10**9))
    lfs = discover(folder)
    supports = lf_support_keys([lf.file for lf in lfs], folder)
    lines = lf_lines_by_file(lfs)
    return {lf.name: lf_cache_key(lf, LABELS, (), "", lines[lf.file],
                                  lf_support(lf, supports)) for lf in lfs}


READ_BY_IMPORT = {
    # the module imports its own list under another name: no name of it says "LFS"
    "itself": {"tickets.py": HEAD.replace("says(item, WORD) else", "second(item) else")
               + CRASH + "\n\nLFS = [refund, crash]\n\n\ndef second(item):\n"
               "    from tickets import LFS as ALL\n"
               "    return ALL[1](item) == \"technical\"\n"},
    # another LF module votes with it
    "another": {"tickets.py": HEAD + CRASH + "\n\nLFS = [refund, crash]\n",
                "combined.py": "from labelwright import ABSTAIN, labeling_function\n"
                "from tickets import LFS as ALL\n\n\n@labeling_function()\n"
                "def both(item):\n    return \"technical\" if ALL[1](item) == \"technical\" "
                "else ABSTAIN\n"},
}


@pytest.mark.parametrize("files", READ_BY_IMPORT.values(), ids=READ_BY_IMPORT.keys())
def test_a_list_imported_elsewhere_recomputes_what_reads_it(folder, files):
    """The list is left out only of its module's own code: an import of it, by the module
    itself or by another, keys the code that reads it by the module whole."""
    before = _full_keys(folder, files)
    after = _full_keys(folder, {name: source.replace('"crash" in', '"crashed" in')
                                for name, source in files.items()})
    readers = {"both"} if "combined.py" in files else {"refund"}
    for name in readers:
        assert after[name] != before[name], name
