"""An LF's key holds the part of its module it can depend on: a constant or a helper that
nothing the LF reaches names is left out of it, so editing it recomputes the LFs that read
it and no other; code that may act when the module runs counts for every LF."""

from __future__ import annotations

import pytest

from lf_module_keys import lf_folder, module_lf_keys

LABELS = ("ham", "spam")

SOURCE = '''
import re

from labelwright import ABSTAIN, labeling_function

LONG = 300
WORDS = ["subscribe", "channel"]
LINK = re.compile(r"https?://|www[.]", re.I)
PATTERN = re.compile("|".join(map(re.escape, WORDS)))


def words_in(text):
    return text.lower().split()


@labeling_function()
def very_long(item):
    return "spam" if len(item.text) > LONG else ABSTAIN


@labeling_function()
def has_link(item):
    return "spam" if LINK.search(item.text) else ABSTAIN


@labeling_function()
def promo(item):
    return "spam" if PATTERN.search(item.text) else ABSTAIN


@labeling_function()
def short(item):
    return "ham" if len(words_in(item.text)) < 5 else ABSTAIN
'''


def _keys(folder, source):
    return module_lf_keys(folder, source, LABELS, "rules.py")


@pytest.fixture
def folder(tmp_path):
    return lf_folder(tmp_path)


@pytest.mark.parametrize("old, new, changed", [
    ("LONG = 300", "LONG = 400", {"very_long"}),
    ('r"https?://|www[.]"', 'r"https?://|www[.]|bit[.]ly"', {"has_link"}),
    # WORDS reaches promo through PATTERN, which is made of it
    ('"channel"]', '"channel", "follow"]'.replace('"]', '"]'), {"promo"}),
    ("return text.lower().split()", "return text.split()", {"short"}),
], ids=["constant", "regex", "constant-through-another", "helper"])
def test_an_edit_recomputes_only_the_lfs_that_reach_it(folder, old, new, changed):
    before = _keys(folder, SOURCE)
    after = _keys(folder, SOURCE.replace(old, new))
    assert {name for name in before if after[name] != before[name]} == changed


@pytest.mark.parametrize("extra", [
    "WORDS.append('free')\n",  # module code that acts on a constant
    "WORDS2 = [w.upper() for w in WORDS]\n",  # a method called on what may be anything
    "import random\nLONG = random.randint(1, 5)\n",  # a call that is not a plain builtin's
    "class Rules:\n    cut = LONG\n",  # a class body runs when the module does
], ids=["module-code", "method-call", "other-call", "class"])
def test_code_that_may_act_keeps_what_it_names_in_every_key(folder, extra):
    """Such a statement counts for every LF, and so does every constant it names."""
    source = SOURCE.replace("\n\ndef words_in", "\n" + extra + "\n\ndef words_in")
    before = _keys(folder, source)
    after = _keys(folder, source.replace("LONG = 300", "LONG = 400")
                  .replace('"channel"]', '"channel", "follow"]'))
    assert all(after[name] != before[name] for name in before)


def test_a_builtin_bound_again_is_not_taken_for_the_builtin(folder):
    """``sorted`` rebound in the module may be anything: a constant calling it counts."""
    source = SOURCE.replace("LONG = 300", "def sorted(x):\n    return x\n\n\nLONG = sorted(300)")
    before = _keys(folder, source)
    after = _keys(folder, source.replace("sorted(300)", "sorted(400)"))
    assert after["short"] != before["short"]
