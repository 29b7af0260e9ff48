"""Module constants named for one label that hold another's index (``HAM = 0; SPAM = 1``
under labels ["spam", "ham"]): check lists them, run refuses to start."""

import textwrap

import pytest

from labelwright.errors import LFError
from labelwright.lfs.discovery import discover
from labelwright.lfs.label_constants import crossed_label_constants, named_label

SNORKEL_TUTORIAL = '''
from snorkel.labeling import LabelingFunction, labeling_function

ABSTAIN = -1
HAM = 0
SPAM = 1


@labeling_function()
def free(x):
    return SPAM if "free" in x.text.lower() else ABSTAIN


@labeling_function()
def short(x):
    return HAM if len(x.text.split()) < 4 else ABSTAIN


def lookup(x, keywords, label):
    return label if any(word in x.text.lower() for word in keywords) else ABSTAIN


def make_keyword_lf(keywords, label=SPAM):
    return LabelingFunction(name=f"keyword_{keywords[0]}", f=lookup,
                            resources=dict(keywords=keywords, label=label))


keyword_call = make_keyword_lf(["call now"])
keyword_lol = make_keyword_lf(["lol"], label=HAM)
'''


def crossed(tmp_path, source, labels):
    """``{name: (value, label, lines used)}`` of the crossed constants of one LF module."""
    folder = tmp_path / "lfs"
    folder.mkdir(exist_ok=True)
    (folder / "rules.py").write_text(textwrap.dedent(source), encoding="utf-8")
    found = crossed_label_constants(discover(folder), labels)
    assert all(c.file == str(folder / "rules.py") for c in found)
    return {c.name: (c.value, c.label, list(c.used_at)) for c in found}


def test_snorkels_constants_under_the_other_label_order_are_found(tmp_path):
    """The migration walkthrough's module: every vote flipped, and check said ok."""
    found = crossed(tmp_path, SNORKEL_TUTORIAL, ("spam", "ham"))
    # returned by an LF; a factory's default; a factory's keyword argument
    assert found == {"HAM": (0, "ham", [16, 29]), "SPAM": (1, "spam", [11, 23])}
    assert crossed(tmp_path, SNORKEL_TUTORIAL, ("ham", "spam")) == {}


def test_the_message_names_the_place_the_value_the_label_and_both_fixes(tmp_path):
    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "rules.py").write_text(SNORKEL_TUTORIAL, encoding="utf-8")
    first = crossed_label_constants(discover(folder), ("spam", "ham"), "labelwright.toml:3")[0]
    assert str(first) == (
        f"{folder / 'rules.py'}:5: HAM = 0 is named for the label 'ham', but index 0 is the "
        "label 'spam' in [project] labels = [\"spam\", \"ham\"] (labelwright.toml:3), so every "
        "vote given by HAM (lines 16, 29) counts for 'spam'; set HAM = \"ham\", the label's "
        "name, which keeps its meaning whatever the labels' order, or reorder [project] "
        "labels to put \"ham\" at index 0")


@pytest.mark.parametrize(("name", "label"), [
    ("SPAM", "spam"), ("Spam", "spam"), ("spam", "spam"), ("LABEL_SPAM", "spam"),
    ("SPAM_LABEL", "spam"), ("label_spam", "spam"), ("NOT_SPAM", "not spam"),
    ("HOW_TO", "how-to"), ("CAFÉ", "café"),
    ("SPAMMY", None), ("MAX_LEN", None), ("LABEL", None), ("SPAM_HAM", None), ("ABSTAIN", None),
])
def test_which_names_name_a_label(name, label):
    assert named_label(name, ("spam", "not spam", "how-to", "café", "ham")) == label


USES = '''
from labelwright import ABSTAIN, labeling_function

SHORT = 1        # compared with: no vote
LONG = 0         # indexed by and counted with: no vote
MAX_LEN = 0      # names no label
SPAM = 1         # votes through DEFAULT, and as a dict key
DEFAULT = SPAM
HAM = 0          # only compared: no vote


@labeling_function()
def long_one(item):
    words = item.text.split()
    if len(words) < SHORT or words[LONG] == "x" or LONG + 1 > 3 or MAX_LEN:
        return ABSTAIN
    return DEFAULT if "free" in item.text else ABSTAIN


@labeling_function()
def compared(item):
    return "ham" if len(item.text) in (HAM, 2) else ABSTAIN


WORDS = {SPAM: ["win"]}


@labeling_function()
def shadowed(item, HAM=5):
    return HAM
'''


def test_only_a_constant_given_as_a_vote_is_refused(tmp_path):
    """A constant named like a label but only compared, counted with or indexed by is no
    vote: it is no error, whatever its value."""
    # SHORT is "spam"'s index, LONG "ham"'s: neither is given as a vote
    assert crossed(tmp_path, USES, ("ham", "spam", "long", "short")) == {}
    # HAM is only compared, and shadowed's HAM is its own parameter
    assert crossed(tmp_path, USES, ("spam", "ham", "long", "short")) == {
        "SPAM": (1, "spam", [17, 25])}


MORE_USES = '''
from labelwright import ABSTAIN, labeling_function

SPAM = 1


def vote():
    return SPAM


def lf(keywords):
    return labeling_function(name=keywords[0])(lambda item: SPAM)


PAIRS = [(["free"], SPAM)]
no_vote = SPAM + 1
'''


def test_returned_by_a_helper_or_a_lambda_and_kept_in_a_list_are_votes(tmp_path):
    assert crossed(tmp_path, MORE_USES + "\nruns = lf(['x'])\n", ("spam", "ham")) == {
        "SPAM": (1, "spam", [8, 12, 15])}


def test_check_lists_them_and_run_refuses_to_start(make_project):
    from labelwright.project import run_project
    from labelwright.project.check import check_project

    lfs = '''
        from labelwright import ABSTAIN, labeling_function

        BILLING = 1
        TECHNICAL = 0


        @labeling_function()
        def refund(item):
            return BILLING if "refund" in item.text.lower() else ABSTAIN


        @labeling_function()
        def crash(item):
            return TECHNICAL if "crash" in item.text.lower() else ABSTAIN
        '''
    root = make_project(labels=("billing", "technical"), lfs={"tickets": lfs})
    path = root / "labeling_functions" / "tickets.py"
    report = check_project(root)
    assert not report.ok
    crossed_ = [p for p in report.problems if "is named for the label" in p]
    assert [p.split(" is named")[0] for p in crossed_] == [f"{path}:4: BILLING = 1",
                                                          f"{path}:5: TECHNICAL = 0"]
    assert f"({root / 'labelwright.toml'}:3)" in crossed_[0]
    with pytest.raises(LFError) as raised:
        run_project(root, report=False)
    assert raised.value.errors == tuple(crossed_)
    assert not list((root / "runs").glob("*/manifest.json"))  # no run written
    # the labels in the constants' order: both fine
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace('["billing", "technical"]',
                                             '["technical", "billing"]'))
    assert check_project(root).ok
    result = run_project(root, report=False)
    assert "refund" in result.applied.matrix.lf_names


def test_the_module_a_factory_is_called_from_is_read_too(tmp_path):
    """An LF made by a helper module's factory has the helper's file; the constant that
    gives its vote is in the module that called the factory."""
    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "_helpers.py").write_text(textwrap.dedent('''
        from labelwright import ABSTAIN, labeling_function


        def keyword(word, label):
            @labeling_function(name=f"kw_{word}")
            def lf(item):
                return label if word in item.text else ABSTAIN
            return lf
        '''), encoding="utf-8")
    (folder / "rules.py").write_text("from _helpers import keyword\n\nHAM = 0\n\n"
                                     "kw_lol = keyword('lol', HAM)\n", encoding="utf-8")
    lfs = discover(folder)
    assert [lf.file for lf in lfs] == [str(folder / "_helpers.py")]
    (found,) = crossed_label_constants(lfs, ("spam", "ham"))
    assert (found.file, found.line, found.name, found.used_at) == (
        str(folder / "rules.py"), 3, "HAM", (5,))
    assert crossed_label_constants(lfs, ("ham", "spam")) == []


NAME_MAP = '''
import logging

from labelwright import ABSTAIN, labeling_function

HAM = 0
SPAM = 1
NAMES = {HAM: "ham", SPAM: "spam"}   # index -> name: the names are the votes
print("ham is", HAM)
logging.getLogger(__name__).info("spam is %s", f"{SPAM}")


@labeling_function()
def free(item):
    return NAMES[SPAM] if "free" in item.text else ABSTAIN


@labeling_function()
def short(item):
    logging.debug("short item", extra={"label": HAM})
    return NAMES[HAM] if len(item.text) < 10 else ABSTAIN
'''


def test_a_map_of_indices_to_names_and_what_is_printed_give_no_vote(tmp_path):
    """Such a module was refused by check and run: its LFs return names, and HAM, SPAM
    only index the map, are printed or logged."""
    assert crossed(tmp_path, NAME_MAP, ("spam", "ham")) == {}
    # the map's values given as the votes: still a vote each
    as_votes = NAME_MAP.replace('NAMES = {HAM: "ham", SPAM: "spam"}',
                                'NAMES = {"ham": HAM, "spam": SPAM}')
    assert crossed(tmp_path, as_votes, ("spam", "ham")) == {
        "HAM": (0, "ham", [8]), "SPAM": (1, "spam", [8])}


PASSED = '''
from labelwright import ABSTAIN, labeling_function

HAM = 0


def matches(item, label):
    return len(item.text) > 3


@labeling_function()
def several(item):
    votes = []
    if matches(item, HAM):
        votes.append(HAM)
    return votes[0] if votes else ABSTAIN


@labeling_function()
def picked(item):
    return "ham" if matches(item, HAM) else ABSTAIN
'''


def test_passed_to_a_call_whose_value_is_not_given_on_is_a_warning(tmp_path):
    """``matches(item, HAM)`` tested, ``votes.append(HAM)`` dropped: they may be votes or
    not, so check warns and the run is not stopped; a call whose value is returned gives
    its arguments as votes (``max`` returns one)."""
    folder = tmp_path / "lfs"
    folder.mkdir()
    (folder / "rules.py").write_text(PASSED, encoding="utf-8")
    (found,) = crossed_label_constants(discover(folder), ("spam", "ham"))
    assert not found.refused
    assert (found.name, found.used_at, found.passed_at) == ("HAM", (), (14, 15, 21))
    assert "so where a call it is passed to (lines 14, 15, 21) takes it as a vote, the " \
           "vote counts for 'spam'; set HAM = \"ham\"" in str(found)
    returned = PASSED.replace('return "ham" if matches(item, HAM) else ABSTAIN',
                              "return max(matches(item, HAM), ABSTAIN)")
    (folder / "rules.py").write_text(returned, encoding="utf-8")
    (found,) = crossed_label_constants(discover(folder), ("spam", "ham"))
    assert found.refused and (found.used_at, found.passed_at) == ((21,), (14, 15))


def test_check_warns_of_a_constant_only_passed_and_run_starts(make_project):
    from labelwright.project import run_project
    from labelwright.project.check import check_project

    root = make_project(labels=("spam", "ham"), gold=None, lfs={"rules": NAME_MAP + PASSED.replace(
        "from labelwright import ABSTAIN, labeling_function\n\nHAM = 0\n", "")})
    report = check_project(root)
    assert not [p for p in report.problems if "is named for the label" in p]
    (warning,) = [w for w in report.warnings if "is named for the label" in w]
    assert warning.startswith(f"{root / 'labeling_functions' / 'rules.py'}:6: HAM = 0 ")
    result = run_project(root, report=False)
    assert warning in result.warnings


def test_a_constant_set_to_it_in_a_module_level_try_votes_for_it(tmp_path):
    """``DEFAULT = SPAM`` inside a module-level ``try`` is the module's constant as at its
    top: a vote given by DEFAULT is SPAM's (the top level alone was read)."""
    source = '''
        from labelwright import labeling_function

        SPAM = 1
        try:
            DEFAULT = SPAM
        except ImportError:
            pass


        @labeling_function()
        def vote(item):
            return DEFAULT
        '''
    assert crossed(tmp_path, source, ("spam", "ham")) == {"SPAM": (1, "spam", [13])}
