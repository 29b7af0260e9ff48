"""The vote cache key covers the values an LF reads when it runs, wherever they live: the
globals of its preprocessors and of the helpers they call, a snorkel LF's resources, and the
globals of an LF imported from a module of the user's that the session changes. A value
changed in the process between two applies never gives back the old votes."""

from __future__ import annotations

import importlib

import pytest

from labelwright.apply import Applier
from labelwright.project import apply_project, load_project
from notebook_cells import LABELS, TEXTS, apply_cells, cell_dataset, run_cell, votes_of

snorkel_labeling = pytest.importorskip("snorkel.labeling")
snorkel_preprocess = pytest.importorskip("snorkel.preprocess")

def _cell(code: str, **names):
    """Run ``code`` as a notebook cell does, with snorkel's decorators at hand."""
    return run_cell(code, "<ipython-input-3-77aa>",
                    snorkel_lf=snorkel_labeling.labeling_function,
                    LabelingFunction=snorkel_labeling.LabelingFunction,
                    preprocessor=snorkel_preprocess.preprocessor, **names)


def _fresh(lfs, name):
    """The LF's votes without the cache: what the cached ones must equal."""
    return votes_of(Applier(lfs, LABELS).apply(cell_dataset()), name)


def test_a_global_read_by_a_snorkel_preprocessor_is_in_the_key(tmp_path):
    session = _cell('''
        @preprocessor()
        def head(x):
            x.head = x.text[:CUT]
            return x

        @snorkel_lf(pre=[head])
        def early_refund(x):
            return 0 if "refund" in x.head else -1
    ''', CUT=6)
    lf = session["early_refund"]
    assert votes_of(apply_cells([lf], tmp_path), "early_refund") == [0, -1, 0, -1]
    session["CUT"] = 3  # the cell that sets it is run again
    again = apply_cells([lf], tmp_path)
    assert again.computed == {"early_refund": len(TEXTS)}
    assert votes_of(again, "early_refund") == _fresh([lf], "early_refund") == [-1, -1, -1, -1]


def test_a_helper_the_preprocessor_calls_counts_with_what_it_reads(tmp_path):
    session = _cell('''
        def cut(text):
            return text[:CUT]

        @preprocessor()
        def head(x):
            x.head = cut(x.text)
            return x

        @snorkel_lf(pre=[head])
        def early_refund(x):
            return 0 if "refund" in x.head else -1
    ''', CUT=6)
    lf = session["early_refund"]
    apply_cells([lf], tmp_path)
    session["CUT"] = 3
    again = apply_cells([lf], tmp_path)
    assert again.computed == {"early_refund": len(TEXTS)}
    assert votes_of(again, "early_refund") == _fresh([lf], "early_refund")


def test_the_contents_of_a_snorkel_lfs_resources_are_in_the_key(tmp_path):
    words = {"refund"}
    session = _cell('''
        def says_word(x, words):
            return 0 if any(w in x.text for w in words) else -1

        lf = LabelingFunction("says_word", f=says_word, resources={"words": WORDS})
    ''', WORDS=words)
    applier = Applier([session["lf"]], LABELS, cache_dir=tmp_path)  # one, applied twice
    assert votes_of(applier.apply(cell_dataset()), "says_word") == [0, -1, 0, -1]
    words.add("hello")  # the same set, one word more
    again = applier.apply(cell_dataset())
    assert again.computed == {"says_word": len(TEXTS)}
    assert votes_of(again, "says_word") == [0, -1, 0, 0]


WORD_MODULE = '''
from labelwright import ABSTAIN, labeling_function

WORDS = {"refund"}


def found(text):
    return any(word in text for word in WORDS)


@labeling_function()
def says_word(item):
    return "billing" if found(item.text) else ABSTAIN
'''


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    """A module of the user's, outside any LF folder, imported as a notebook imports it."""
    name = f"nbwords_{tmp_path.name.replace('-', '_')}"
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / f"{name}.py").write_text(WORD_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path / "code"))
    module = importlib.import_module(name)
    yield module
    monkeypatch.delitem(__import__("sys").modules, name, raising=False)


def test_an_imported_lfs_module_global_mutated_or_rebound_is_in_the_key(tmp_path,
                                                                         user_module):
    lf = user_module.says_word
    cache = tmp_path / "cache"
    assert votes_of(apply_cells([lf], cache), "says_word") == [0, -1, 0, -1]
    user_module.WORDS.add("hello")  # read by the helper the LF calls
    mutated = apply_cells([lf], cache)
    assert mutated.computed == {"says_word": len(TEXTS)}
    assert votes_of(mutated, "says_word") == [0, -1, 0, 0]
    user_module.WORDS = {"crash"}  # bound again
    rebound = apply_cells([lf], cache)
    assert rebound.computed == {"says_word": len(TEXTS)}
    assert votes_of(rebound, "says_word") == _fresh([lf], "says_word") == [-1, 0, 0, -1]
    assert apply_cells([lf], cache).computed == {"says_word": 0}  # unchanged: from the cache


def test_a_session_lf_reading_a_modules_attribute_follows_its_value(tmp_path, user_module):
    session = _cell('''
        @labeling_function()
        def by_module(item):
            return "billing" if any(w in item.text for w in words.WORDS) else ABSTAIN
    ''', words=user_module)
    lf = session["by_module"]
    apply_cells([lf], tmp_path)
    user_module.WORDS.add("hello")
    again = apply_cells([lf], tmp_path)
    assert again.computed == {"by_module": len(TEXTS)}
    assert votes_of(again, "by_module") == [0, -1, 0, 0]


HELPER = 'WORDS = {"refund"}\n'
FOLDER_LF = '''
from labelwright import ABSTAIN, labeling_function
import _words


class Matcher:
    """An object with no digest, made by the module's code when it is imported."""

    def __init__(self, word):
        self.word = word


MATCHER = Matcher("crash")


@labeling_function()
def says_word(item):
    return "billing" if any(w in item.text for w in _words.WORDS) else ABSTAIN


@labeling_function()
def by_matcher(item):
    return "technical" if MATCHER.word in item.text else ABSTAIN
'''


def test_an_lf_folder_lf_follows_a_global_another_module_changes(make_project):
    root = make_project(lfs={"words": FOLDER_LF})
    (root / "labeling_functions" / "_words.py").write_text(HELPER)
    project = load_project(root)
    data, first = apply_project(project)
    assert first.uncached == {}  # an object its module's code made counts by that code
    said = [0 if "refund" in t else -1 for t in data.texts]
    assert votes_of(first, "says_word") == said
    says = next(lf for lf in project.lfs if lf.name == "says_word")
    says.func.__globals__["_words"].WORDS.add("crash")  # set by other code, after import
    _, again = apply_project(project)
    assert again.computed["says_word"] == len(data.texts)
    assert again.computed["by_matcher"] == 0
    assert votes_of(again, "says_word") == [0 if "refund" in t or "crash" in t else -1
                                          for t in data.texts]


SET_LF = '''
from labelwright import ABSTAIN, labeling_function

WORDS = {"refund", "invoice", "charge", "crash", "login", "export"}


def cue(text):
    return any(w in text.lower() for w in WORDS) and text[:1] not in {"x", "y", "z"}


@labeling_function()
def cued(item):
    return "billing" if cue(item.text) else ABSTAIN
'''


def test_an_lf_folder_lfs_key_is_the_same_in_another_process(make_project):
    """A set's order, a set literal's too, changes with the process's string hashes: the
    keys must not, or every run computes every LF again."""
    import os
    import subprocess
    import sys

    root = make_project(lfs={"sets": SET_LF})
    code = ("from labelwright.project import apply_project, load_project; "
            f"_, r = apply_project(load_project({str(root)!r})); print(r.computed['cued'])")
    computed = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                               check=True, env={**os.environ, "PYTHONHASHSEED": seed}
                               ).stdout.strip() for seed in ("1", "2", "3")]
    assert computed[0] != "0" and computed[1:] == ["0", "0"]
