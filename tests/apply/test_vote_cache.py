"""The vote cache never returns stale votes, and recomputes only what changed."""

from __future__ import annotations

import json
import re
import sys

import pandas as pd
import pytest

from labelwright.apply import Applier
from labelwright.config import NLPConfig
from labelwright.data.dataset import dataset_from_frame, read_dataset
from labelwright.errors import LabelwrightError, LFFailure
from labelwright.nlp import _blank_pipeline, load_pipeline
from labelwright.project import load_project
from ticket_data import BILLING_GLOSSARY
from ticket_data import TICKETS_WITH_NEGATION as TICKETS

LFS = '''
from labelwright import ABSTAIN, labeling_function

WORD = "refund"


def mentions(item, word):
    return word in item.text.lower()


@labeling_function()
def mentions_refund(item):
    return "billing" if mentions(item, WORD) else ABSTAIN


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text.lower() else ABSTAIN
'''

MATCH_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def billing_terms(item):
    return "billing" if item.matched("billing") else ABSTAIN
'''


def _run(root, dataset=None, nlp=None):
    project = load_project(root)
    data = dataset if dataset is not None else read_dataset(project.config.data, project.labels)
    applier = Applier(project.lfs, project.labels, nlp=nlp or project.nlp,
                      glossaries=project.glossaries, cache_dir=root / ".labelwright" / "cache",
                      lf_folder=project.config.lf_path)
    return data, applier.apply(data)


def _rerun_after(root, path, old, new):
    """Edit ``path`` (``old`` -> ``new``) and run again, checking that the votes are those
    of a run without the cache; returns (dataset, result)."""
    path.write_text(path.read_text().replace(old, new))
    data, result = _run(root)
    assert (result.matrix.votes == _fresh(root, data).matrix.votes).all()
    return data, result


def _fresh(root, data, nlp=None):
    project = load_project(root)
    return Applier(project.lfs, project.labels, nlp=nlp or project.nlp,
                   glossaries=project.glossaries).apply(data)


@pytest.fixture
def root(make_project):
    return make_project(rows=TICKETS, lfs={"tickets": LFS, "terms": MATCH_LFS},
                        glossaries={"billing": BILLING_GLOSSARY})


def test_second_run_computes_nothing_and_matches(root):
    data, first = _run(root)
    assert all(n == len(data) for n in first.computed.values())
    _, second = _run(root)
    assert set(second.computed.values()) == {0}
    assert (second.matrix.votes == first.matrix.votes).all()
    assert second.term_hits.equals(first.term_hits)


def test_editing_one_lf_recomputes_only_its_column(root):
    _run(root)
    path = root / "labeling_functions" / "tickets.py"
    data, result = _rerun_after(root, path, '"crash" in', '"error" in')
    assert [k for k, n in result.computed.items() if n] == ["crashes"]


def test_a_changed_helper_or_constant_invalidates_the_lfs_of_its_module(root):
    _run(root)
    path = root / "labeling_functions" / "tickets.py"
    data, result = _rerun_after(root, path, 'WORD = "refund"', 'WORD = "charge"')
    assert result.computed["mentions_refund"] == len(data)
    assert result.matrix.column("mentions_refund").tolist() != [-1] * len(data)


WORD_ABOVE_LF = '''
from labelwright import ABSTAIN, labeling_function
{extra}
WORD = "refund"
@labeling_function()
def says_word(item):
    return "billing" if WORD in item.text.lower() else ABSTAIN
'''


@pytest.mark.parametrize("extra", [
    "\x0c",  # a form feed on a line of its own: PEP 8's page break
    *(f"# part one{c}part two" for c in ("\x0b", "\x1c", "\x85", "\u2028", "\u2029")),
])
def test_characters_python_does_not_break_lines_at_keep_a_constant_in_the_key(make_project,
                                                                            extra):
    """str.splitlines breaks lines at these, ast does not: the lines blanked as the LF's own
    were one line too early, so they took the constant above it out of the key, and its
    edits left the cached votes in place."""
    root = make_project(rows=TICKETS, lfs={"words": WORD_ABOVE_LF.format(extra=extra)})
    _run(root)
    path = root / "labeling_functions" / "words.py"
    data, result = _rerun_after(root, path, 'WORD = "refund"', 'WORD = "charge"')
    assert result.computed["says_word"] == len(data)


WORDS_LFS = '''
from pathlib import Path

from labelwright import ABSTAIN, labeling_function
from _words import CRASH_WORD

WORDS = Path(__file__).with_name("words.txt").read_text().split()


@labeling_function()
def listed_word(item):
    return "billing" if any(w in item.text.lower() for w in WORDS) else ABSTAIN


@labeling_function()
def crash_word(item):
    return "technical" if CRASH_WORD in item.text.lower() else ABSTAIN
'''

USES_TICKETS = '''
from labelwright import ABSTAIN, labeling_function
from tickets import WORD


@labeling_function()
def refund_again(item):
    return "billing" if WORD in item.text.lower() else ABSTAIN
'''


EVERY_PYTHON_LF = {"mentions_refund", "crashes", "listed_word", "crash_word", "refund_again"}


@pytest.mark.parametrize(("changed", "old", "new", "recomputed"), [
    # any other file of the folder may be read by any LF: all of them are recomputed
    ("words.txt", "refund", "charge", EVERY_PYTHON_LF),
    ("_words.py", '"crash"', '"error"', EVERY_PYTHON_LF),
    # an LF module's constant: its own LFs that read it (not crashes, which names nothing
    # WORD is part of), and the LFs of the modules that import the module
    ("tickets.py", 'WORD = "refund"', 'WORD = "charge"', {"mentions_refund",
                                                          "refund_again"}),
    # a helper: the LFs that call it
    ("tickets.py", "return word in", "return word not in", {"mentions_refund",
                                                            "refund_again"}),
    # a comment in a helper or in an imported LF module changes no code: nothing recomputed
    # (a comment in tickets.py recomputed refund_again, whose module imports it)
    ("_words.py", 'CRASH_WORD = "crash"', 'CRASH_WORD = "crash"  # the word', set()),
    ("tickets.py", 'WORD = "refund"', 'WORD = "refund"  # as users spell it', set()),
])
def test_files_an_lf_reads_or_imports_from_its_folder_invalidate_it(
        make_project, monkeypatch, changed, old, new, recomputed):
    """A word list read at import, a helper module, or another LF module imported: the
    votes had stayed cached when they changed, and runs diff said 'inputs: unchanged'."""
    root = make_project(rows=TICKETS, lfs={"tickets": LFS, "words": WORDS_LFS,
                                           "uses_tickets": USES_TICKETS})
    folder = root / "labeling_functions"
    (folder / "words.txt").write_text("refund invoice\n")
    (folder / "_words.py").write_text('CRASH_WORD = "crash"\n')
    monkeypatch.syspath_prepend(str(folder))  # how LF modules import their neighbours
    _run(root)
    path = folder / changed
    path.write_text(path.read_text().replace(old, new))
    for name in ("_words", "tickets"):  # a new process would import them afresh
        monkeypatch.delitem(sys.modules, name, raising=False)
    data, result = _run(root)
    assert {name for name, n in result.computed.items() if n} == recomputed
    assert (result.matrix.votes == _fresh(root, data).matrix.votes).all()


def test_the_lf_folder_listing_leaves_out_backups_and_the_projects_own_files(make_project,
                                                                            tmp_path):
    from labelwright.apply.cache_keys import lf_folder_files
    from labelwright.config import load_config

    root = make_project(rows=TICKETS, lfs={"tickets": LFS})
    folder = root / "labeling_functions"
    (folder / "tickets.py~").write_text("old\n")  # an editor backup
    (folder / "#tickets.py#").write_text("autosave\n")
    shared = tmp_path / "shared_words"
    shared.mkdir()
    (shared / "stop.txt").write_text("the\n")
    (folder / "words").symlink_to(shared, target_is_directory=True)
    (folder / "words" / "loop").symlink_to(shared, target_is_directory=True)
    listed = lf_folder_files(folder)
    assert set(listed) == {"words/stop.txt"}  # followed once; the loop is not walked again
    # the project folder as LF folder: its runs, caches, ledger, data and config are not LF
    # inputs, or every run would change every key
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[project]", '[project]\nlabeling_functions = "."',
                                             1))
    config = load_config(root)
    for extra in ("runs/r1/labels.parquet", ".labelwright/cache/x.npz", "reviews.sqlite-wal",
                  "runs_helper.txt"):
        (root / extra).parent.mkdir(parents=True, exist_ok=True)
        (root / extra).write_text("x")
    listed = lf_folder_files(config.lf_path, config.lf_folder_ignore)
    assert "runs_helper.txt" in listed and "labeling_functions/tickets.py" in listed
    assert not [name for name in listed if name.startswith(("runs/", ".labelwright", "reviews",
                                                           "data/", "labelwright.toml"))]


def test_runs_diff_names_a_changed_file_of_the_lf_folder(make_project, monkeypatch):
    from labelwright.project import run_project
    from labelwright.runs.diff.compare import diff_runs
    from labelwright.runs.diff.lines import input_changes

    root = make_project(rows=TICKETS, lfs={"tickets": LFS, "words": WORDS_LFS})
    folder = root / "labeling_functions"
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "_words", raising=False)
    (folder / "words.txt").write_text("refund invoice\n")
    (folder / "_words.py").write_text('CRASH_WORD = "crash"\n')
    first = run_project(root, report=False)
    (folder / "words.txt").write_text("error\n")
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.lf_files.edited == ["words.txt"] and not d.lfs
    assert "LF folder files edited: words.txt" in input_changes(d)
    assert second.applied.computed["listed_word"] == len(TICKETS)
    assert (second.applied.matrix.column("listed_word")
            != first.applied.matrix.column("listed_word")).any()


def test_a_changed_glossary_recomputes_its_lf_and_lfs_reading_matches(root):
    """LFs of a module that reads glossary matches depend on the glossaries; others do not."""
    _run(root)
    path = root / "glossaries" / "billing.yaml"
    path.write_text(path.read_text().replace("term: invoice", "term: login"))
    data, result = _run(root)
    assert result.computed["glossary:billing"] == len(data)
    assert result.computed["billing_terms"] == len(data)
    assert result.computed["crashes"] == 0
    fresh = _fresh(root, data)
    assert (result.matrix.votes == fresh.matrix.votes).all()
    assert result.term_hits.equals(fresh.term_hits)


def _with_helpers(make_project, monkeypatch, helpers, **project):
    """A project whose LF folder also holds the helper modules ``helpers`` (name -> code),
    importable as LF modules import them; returns (root, LF folder)."""
    root = make_project(rows=TICKETS, **project)
    folder = root / "labeling_functions"
    for name, code in helpers.items():
        (folder / name).write_text(code)
    monkeypatch.syspath_prepend(str(folder))
    return root, folder


HELPER_READS = {
    "_matching.py": 'def billed(item):\n    return bool(item.matched("billing"))\n',
    "_lemmas.py": 'def lemmas(item):\n    return {t.lemma_ for t in item.doc}\n',
}
HELPER_LFS = '''
from labelwright import ABSTAIN, labeling_function
from _matching import billed
from _lemmas import lemmas


@labeling_function()
def billed_by_helper(item):
    return "billing" if billed(item) else ABSTAIN


@labeling_function()
def lemma_by_helper(item):
    return "technical" if "crash" in lemmas(item) else ABSTAIN
'''


def test_a_helper_reading_matches_or_the_doc_puts_glossaries_and_pipeline_in_the_key(
        make_project, monkeypatch):
    """The key held glossaries and pipeline only when the LF module itself read them: a
    helper in _helpers.py that did kept stale votes (87 cached votes where 92 were due)."""
    root, folder = _with_helpers(make_project, monkeypatch, HELPER_READS,
                                 lfs={"helped": HELPER_LFS},
                                 glossaries={"billing": BILLING_GLOSSARY})
    data, _ = _run(root)
    path = root / "glossaries" / "billing.yaml"
    path.write_text(path.read_text().replace("term: invoice", "term: login"))
    _, result = _run(root)
    assert result.computed["billed_by_helper"] == len(data)
    assert (result.matrix.votes == _fresh(root, data).matrix.votes).all()
    other = load_pipeline(NLPConfig(lemmatizer=False))
    _, result = _run(root, nlp=other)
    assert result.computed["lemma_by_helper"] == len(data)
    assert (result.matrix.votes == _fresh(root, data, nlp=other).matrix.votes).all()


SAME_MODULE_HELPER = '''
from labelwright import ABSTAIN, labeling_function


def _lemmas(item):
    return {t.lemma_ for t in item.doc}


@labeling_function()
def lemma_via_helper(item):
    return "technical" if "crash" in _lemmas(item) else ABSTAIN
'''


def test_a_helper_of_the_lfs_own_module_reading_the_doc_puts_the_pipeline_in_the_key(
        make_project):
    """Only the LF's own code and imported helpers were searched for `.doc`: an LF calling
    a helper beside it kept its votes after the pipeline changed."""
    root = make_project(rows=TICKETS, lfs={"helped": SAME_MODULE_HELPER})
    data, first = _run(root)
    other = load_pipeline(NLPConfig(lemmatizer=False))
    _, result = _run(root, nlp=other)
    assert result.computed["lemma_via_helper"] == len(data)
    fresh = _fresh(root, data, nlp=other).matrix.votes
    assert (result.matrix.votes == fresh).all() and (fresh != first.matrix.votes).any()


SET_RESOURCES = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function(resources={"words": {"refund", "invoice", "charged", "billing", "plan"}})
def has_word(item, words):
    return "billing" if words & set(item.text.lower().split()) else ABSTAIN
'''


def test_resources_holding_a_set_reuse_the_cache_in_a_new_process(make_project):
    """The key held repr(resources): a set's order changes with each process's string
    hashing, so such an LF was computed again on every run."""
    import os
    import subprocess
    import textwrap

    root = make_project(rows=TICKETS, lfs={"words": SET_RESOURCES})
    code = textwrap.dedent(f"""
        from labelwright.project import load_project, apply_project
        _, result = apply_project(load_project({str(root)!r}), cache=True, engine="local")
        print(result.computed["has_word"])
    """)
    computed = [subprocess.run([sys.executable, "-c", code], check=True, text=True,
                               capture_output=True, cwd=root,
                               env={**os.environ, "PYTHONHASHSEED": seed}).stdout.split()[-1]
                for seed in ("1", "2", "3")]
    assert computed == [str(len(TICKETS)), "0", "0"]


def test_a_damaged_cache_file_is_a_miss(root):
    """A cut .npz raised zipfile.BadZipFile out of the run, on every run until the cache
    was deleted."""
    data, first = _run(root)
    for path in (root / ".labelwright" / "cache" / "votes").glob("*.npz"):
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    _, again = _run(root)
    assert all(n == len(data) for n in again.computed.values())
    assert (again.matrix.votes == first.matrix.votes).all()


def test_an_lf_recomputed_alone_gets_the_matches_it_reads_through_a_helper(make_project,
                                                                           monkeypatch):
    """Recomputing only such an LF's column (after an edit to it) skipped the parse, as its
    own module reads no matches: it voted on no item, and those votes were cached."""
    root, folder = _with_helpers(make_project, monkeypatch, HELPER_READS,
                                 lfs={"helped": HELPER_LFS},
                                 glossaries={"billing": BILLING_GLOSSARY})
    data, first = _run(root)
    path = folder / "helped.py"
    path.write_text(path.read_text().replace('"billing" if billed(item) else',
                                             '"billing" if billed(item) is True else'))
    _, result = _run(root)
    assert [k for k, n in result.computed.items() if n] == ["billed_by_helper"]
    assert (result.matrix.column("billed_by_helper") >= 0).any()
    assert (result.matrix.votes == first.matrix.votes).all()


def test_an_lf_reading_matches_through_code_outside_the_project_gets_them(make_project,
                                                                          monkeypatch,
                                                                          tmp_path):
    """A helper outside the project (an installed package) is not looked at, so a column
    recomputed alone skipped the parse and its item had no matches: the LF voted on no
    item after an edit to it, and with --no-cache it voted again."""
    outside = tmp_path / "team_helpers"
    outside.mkdir()
    (outside / "team_matching.py").write_text(
        'def billed(item):\n    return any(m.label == "billing" for m in item.matches)\n')
    monkeypatch.syspath_prepend(str(outside))
    monkeypatch.delitem(sys.modules, "team_matching", raising=False)
    lfs = ("from labelwright import ABSTAIN, labeling_function\n"
           "from team_matching import billed\n\n\n"
           "@labeling_function()\n"
           "def billed_by_helper(item):\n"
           '    return "billing" if billed(item) else ABSTAIN\n')
    root, folder = _with_helpers(make_project, monkeypatch, {}, lfs={"helped": lfs},
                                 glossaries={"billing": BILLING_GLOSSARY})
    data, first = _run(root)
    assert (first.matrix.column("billed_by_helper") >= 0).any()
    path = folder / "helped.py"
    path.write_text(path.read_text().replace('"billing" if billed(item) else',
                                             '"billing" if billed(item) is True else'))
    _, result = _run(root)
    assert [k for k, n in result.computed.items() if n] == ["billed_by_helper"]
    assert (result.matrix.votes == first.matrix.votes).all()
    # its key holds no glossary (the helper is not looked at), so it is seen reading matches
    # as it runs and its votes are not cached: a glossary edit served the old ones
    glossary = root / "glossaries" / "billing.yaml"
    glossary.write_text(glossary.read_text().replace("term: invoice", "term: refund"))
    data, result = _run(root)
    assert result.computed["billed_by_helper"] == len(data)
    fresh = _fresh(root, data)
    assert (result.matrix.votes == fresh.matrix.votes).all()
    assert (result.matrix.column("billed_by_helper")
            != first.matrix.column("billed_by_helper")).any()
    monkeypatch.delitem(sys.modules, "team_matching", raising=False)


FACTORY = """
from labelwright import ABSTAIN, labeling_function


def keyword(word, label):
    @labeling_function(name=f"kw_{word}")
    def lf(item):
        return label if word in item.text.lower() else ABSTAIN
    return lf
"""


def test_new_arguments_to_a_factory_recompute_the_lfs_it_makes(make_project, monkeypatch):
    """The key held the factory's module, not the module calling it: keyword("crash",
    "technical") -> keyword("crash", "billing") kept serving the "technical" votes."""
    root, folder = _with_helpers(make_project, monkeypatch, {"_factories.py": FACTORY},
                                 lfs={"kw": 'from _factories import keyword\n\n'
                                            'LFS = [keyword("crash", "technical")]\n'})
    data, first = _run(root)
    assert set(first.matrix.column("kw_crash").tolist()) >= {1}  # "technical" is label 1
    path = folder / "kw.py"
    path.write_text(path.read_text().replace('"technical"', '"billing"'))
    _, result = _run(root)
    assert result.computed["kw_crash"] == len(data)
    assert (result.matrix.votes == _fresh(root, data).matrix.votes).all()


CALLING_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def says_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def refund_again(item):
    return says_refund(item)
'''


def test_an_lf_calling_another_lf_of_its_module_follows_its_edits(make_project):
    """Each LF's key leaves the other LFs of its module out, so an edit to says_refund
    left refund_again's cached votes as they were."""
    root = make_project(rows=TICKETS, lfs={"calls": CALLING_LFS})
    _run(root)
    path = root / "labeling_functions" / "calls.py"
    data, result = _rerun_after(root, path, '"refund" in', '"crash" in')
    assert result.computed["refund_again"] == len(data)


MATCH_FACTORY = """
from labelwright import ABSTAIN, labeling_function


def make_lf(name, label, predicate):
    @labeling_function(name=name)
    def lf(item):
        return label if predicate(item) else ABSTAIN
    return lf
"""


def test_a_factory_lf_reading_matches_through_its_call_gets_them_when_recomputed(
        make_project, monkeypatch):
    """The predicate reading glossary matches lives in the module calling the factory:
    recomputed alone (after an edit there), the LF got no parse and voted on nothing."""
    made = ('from _factories import make_lf\n\n'
            'BILLED = make_lf("billed", "billing", lambda item: bool(item.matched("billing")))\n')
    root, folder = _with_helpers(make_project, monkeypatch, {"_factories.py": MATCH_FACTORY},
                                 lfs={"made": made}, glossaries={"billing": BILLING_GLOSSARY})
    _, first = _run(root)
    assert (first.matrix.column("billed") >= 0).any()
    (folder / "made.py").write_text(made + "EDITED = True\n")  # code: a comment is no edit
    data, result = _run(root)
    assert result.computed["billed"] == len(data)
    assert (result.matrix.votes == first.matrix.votes).all()


REACHING_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def says_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


def is_billing(item):
    return says_refund(item) == "billing"


RULES = [says_refund]


@labeling_function()
def through_helper(item):
    return "billing" if is_billing(item) else ABSTAIN


@labeling_function()
def through_list(item):
    return RULES[0](item)
'''


def test_lfs_reached_through_a_helper_or_a_list_count_in_the_key(make_project):
    root = make_project(rows=TICKETS, lfs={"reach": REACHING_LFS})
    _run(root)
    path = root / "labeling_functions" / "reach.py"
    data, result = _rerun_after(root, path, '"refund" in', '"crash" in')
    assert result.computed["through_helper"] == len(data)
    assert result.computed["through_list"] == len(data)


SNORKEL_CALLS = '''
from snorkel.labeling import labeling_function

ABSTAIN, BILLING = -1, 0


@labeling_function()
def refund_kw(x):
    return BILLING if "refund" in x.text.lower() else ABSTAIN


@labeling_function()
def combo(x):
    return refund_kw(x)
'''


def test_a_snorkel_lf_calling_another_follows_its_edits(make_project):
    root = make_project(rows=TICKETS, lfs={"snork": SNORKEL_CALLS})
    _run(root)
    path = root / "labeling_functions" / "snork.py"
    data, result = _rerun_after(root, path, '"refund" in', '"crash" in')
    assert result.computed["combo"] == len(data)


def test_a_factory_lfs_arguments_from_a_sibling_module_count(make_project, monkeypatch):
    made = ('from _factories import make_lf\nfrom words import WORDS\n\n'
            'LISTED = make_lf("listed", "billing",\n'
            '                 lambda item: any(w in item.text.lower() for w in WORDS))\n')
    root, folder = _with_helpers(make_project, monkeypatch, {"_factories.py": MATCH_FACTORY},
                                 lfs={"made": made, "words": 'WORDS = ["refund"]\n'})
    _run(root)
    (folder / "words.py").write_text('WORDS = ["crash"]\n')
    data, result = _run(root)
    assert result.computed["listed"] == len(data)
    assert (result.matrix.votes == _fresh(root, data).matrix.votes).all()


def test_a_categorical_field_column_hashes(tmp_path):
    """A Parquet category column crashed every cached run (the hash mapped its values)."""
    from labelwright.apply.cache_keys import row_hashes

    fields = pd.DataFrame({"plan": pd.Categorical(["pro", "free", "pro"]),
                           "n": pd.Categorical([1, 2, 1])})
    hashes = row_hashes(["a", "b", "c"], ["x", "y", "x"], fields)
    plain = row_hashes(["a", "b", "c"], ["x", "y", "x"], fields.astype(object))
    assert (hashes == plain).all()


def test_runs_diff_names_an_lf_module_edited_outside_its_lfs(make_project, monkeypatch):
    """A constant beside the LFs, or a module with no LF that others import: labels
    flipped while runs diff said 'inputs: unchanged'."""
    from labelwright.project import run_project
    from labelwright.runs.diff.compare import diff_runs
    from labelwright.runs.diff.lines import input_changes

    root = make_project(rows=TICKETS, lfs={"tickets": LFS, "uses_tickets": USES_TICKETS})
    folder = root / "labeling_functions"
    (folder / "wordlist.py").write_text('EXTRA = ["refund"]\n')  # defines no LF
    monkeypatch.syspath_prepend(str(folder))
    first = run_project(root, report=False)
    manifest = json.loads((first.run_dir / "manifest.json").read_text())
    assert [m["name"] for m in manifest["lf_modules"]] == ["tickets.py", "uses_tickets.py",
                                                          "wordlist.py"]
    path = folder / "tickets.py"
    path.write_text(path.read_text().replace('WORD = "refund"', 'WORD = "charge"'))
    (folder / "wordlist.py").write_text('EXTRA = ["charge"]\n')
    monkeypatch.delitem(sys.modules, "tickets", raising=False)
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert not d.lfs  # the LFs' own source is unchanged
    assert d.lf_modules.edited == ["tickets.py", "wordlist.py"] and d.inputs_changed
    assert "LF modules edited: tickets.py, wordlist.py" in input_changes(d)
    assert d.flipped > 0


def test_a_changed_pipeline_recomputes_lfs_that_parse(root):
    data, first = _run(root)
    other = load_pipeline(NLPConfig(lemmatizer=False))
    _, result = _run(root, nlp=other)
    assert result.computed["glossary:billing"] == len(data)
    assert result.computed["crashes"] == 0
    assert (result.matrix.votes == _fresh(root, data, nlp=other).matrix.votes).all()
    assert (result.matrix.votes != first.matrix.votes).any()  # lemma matches are gone


def test_a_changed_lookup_table_recomputes_lfs_that_parse(root):
    """The config does not show a lookup table's contents (spacy-lookups-data may change
    under the same config); the pipeline fingerprint does."""
    data, _ = _run(root)
    other = _blank_pipeline.__wrapped__("en", True)  # a pipeline of its own, not the cached one
    table = other.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    table["charged"] = "charged"
    _, result = _run(root, nlp=other)
    assert result.computed["glossary:billing"] == len(data)
    assert result.computed["crashes"] == 0


def test_changed_and_appended_rows_are_the_only_rows_computed(root):
    _run(root)
    rows = [dict(r) for r in TICKETS]
    rows[1]["text"] = "Please refund the crash"
    rows.append({"id": "t7", "text": "Refund please", "plan": "pro", "gold": "billing"})
    frame = pd.DataFrame(rows)
    data = dataset_from_frame(frame, id_column="id", text_column="text", gold_column="gold",
                              labels=("billing", "technical"))
    _, result = _run(root, dataset=data)
    assert set(result.computed.values()) == {2}
    assert (result.matrix.votes == _fresh(root, data).matrix.votes).all()


def test_an_lf_edited_while_rows_were_added_runs_alone_on_the_old_rows(make_project):
    """A daily stream adds rows every day: an LF edited on such a day ran every LF on
    every row (the rows any LF missed times the LFs that missed any of them), not the
    edited LF on all rows and the others on the new rows. Failures the cache holds for
    rows not computed are still reported."""
    root = make_project(rows=TICKETS, lfs={"tickets": FRAGILE_LFS, "terms": MATCH_LFS},
                        glossaries={"billing": BILLING_GLOSSARY})
    _, first = _run(root)
    path = root / "labeling_functions" / "tickets.py"
    path.write_text(path.read_text().replace('"crash" in', '"error" in'))
    rows = [dict(r) for r in TICKETS] + [
        {"id": "t7", "text": "Refund please, the app shows an error", "plan": "free",
         "gold": "billing"},
        {"id": "t8", "text": "Crash on start", "plan": "pro", "gold": "technical"}]
    data = dataset_from_frame(pd.DataFrame(rows), id_column="id", text_column="text",
                              gold_column="gold", labels=("billing", "technical"))
    _, result = _run(root, dataset=data)
    assert result.computed["crashes"] == len(rows)  # edited: every row
    assert {name: n for name, n in result.computed.items() if name != "crashes"} == {
        "mentions_refund": 2, "fragile": 2, "billing_terms": 2, "glossary:billing": 2}
    fresh = _fresh(root, data)
    assert (result.matrix.votes == fresh.matrix.votes).all()
    assert result.failures["fragile"].count == fresh.failures["fragile"].count == 4
    assert result.failures["fragile"].item_ids == fresh.failures["fragile"].item_ids
    _, again = _run(root, dataset=data)  # what was computed went into the cache
    assert set(again.computed.values()) == {0}
    assert (again.matrix.votes == fresh.matrix.votes).all()


#: LFS and an LF that raises on the tickets of the free plan
FRAGILE_LFS = LFS + '''

@labeling_function()
def fragile(item):
    if item.plan == "free":
        raise ValueError("boom")
    return ABSTAIN
'''


#: an LF that raises naming the item
NAMES_ITS_ITEM_LFS = LFS + '''

@labeling_function()
def fragile(item):
    if item.plan == "free":
        raise ValueError(f"bad item {item.id}")
    return ABSTAIN
'''


def test_resumed_failures_show_the_traceback_of_the_first_item_they_list(make_project):
    """A run resumed after a crash listed failures from the first item, a cached one, but
    showed the traceback of the first item it computed itself (a later one): the computed
    chunks' failures were merged first, and the cached rows only added their ids."""
    root = make_project(rows=TICKETS, lfs={"tickets": NAMES_ITS_ITEM_LFS})

    def dataset(rows):
        return dataset_from_frame(pd.DataFrame(rows), id_column="id", text_column="text",
                                  gold_column="gold", labels=("billing", "technical"))

    data = dataset(TICKETS)
    _run(root, dataset=dataset(TICKETS[:3]))  # the rows a crashed run had stored
    _, resumed = _run(root, dataset=data)
    _, clean = _run(make_project(rows=TICKETS, lfs={"tickets": NAMES_ITS_ITEM_LFS},
                                 root=root.parent / "clean"), dataset=data)
    assert 0 < resumed.computed["fragile"] < len(data)
    fragile = resumed.failures["fragile"]
    assert fragile.item_ids == clean.failures["fragile"].item_ids == ["t2", "t4", "t6"]
    assert fragile.traceback.startswith("(from the vote cache")  # t2's, kept with its vote
    assert "ValueError: bad item t2" in fragile.traceback
    assert "ValueError: bad item t2" in clean.failures["fragile"].traceback


def test_failures_on_cached_rows_are_still_reported(make_project):
    root = make_project(rows=TICKETS, lfs={"tickets": FRAGILE_LFS, "terms": MATCH_LFS},
                        glossaries={"billing": BILLING_GLOSSARY})
    _, first = _run(root)
    _, second = _run(root)
    assert second.computed["fragile"] == 0
    assert second.failures["fragile"].count == first.failures["fragile"].count == 3
    assert second.failures["fragile"].item_ids == first.failures["fragile"].item_ids
    # ... with the error: the first run's traceback was kept with the votes
    assert "ValueError: boom" in first.failures["fragile"].traceback
    assert "ValueError: boom" in second.failures["fragile"].traceback
    assert second.failures["fragile"].traceback.startswith("(from the vote cache")

    # --fail-fast stops at a failure the cache holds, with the LF's own error
    project = load_project(root)
    data = read_dataset(project.config.data, project.labels)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp,
                      glossaries=project.glossaries, cache_dir=root / ".labelwright" / "cache",
                      fail_fast=True)
    with pytest.raises(LFFailure, match=r"'fragile' .* raised on item .*ValueError: boom"):
        applier.apply(data)


def test_failures_of_a_partly_cached_run_list_the_first_items_in_item_order(make_project):
    """Fresh failures came first, cached ones after them: with the last failing row edited,
    the "first" ids were [last, first, second]."""
    root = make_project(rows=TICKETS, lfs={"tickets": FRAGILE_LFS}, glossaries={})
    data, first = _run(root)
    frame = pd.DataFrame([dict(r) for r in TICKETS])
    last = frame.index[frame["plan"] == "free"][-1]
    frame.loc[last, "text"] = frame.loc[last, "text"] + " (edited)"
    edited = dataset_from_frame(frame, id_column="id", text_column="text", gold_column="gold",
                                labels=("billing", "technical"))
    _, second = _run(root, dataset=edited)
    assert second.computed["fragile"] == 1
    assert second.failures["fragile"].item_ids == first.failures["fragile"].item_ids
    assert second.failures["fragile"].count == first.failures["fragile"].count


def test_columns_with_different_rows_each_get_their_own_votes(tmp_path):
    """Lookups reuse the previous column's hash positions only when its rows are the same."""
    import numpy as np

    from labelwright.apply.cache import VoteCache

    cache = VoteCache(tmp_path)
    hashes = np.array([5, 1, 9, 3], dtype=np.uint64)
    cache.store("a", hashes, np.array([0, 1, 0, 1]), np.zeros(4, bool))
    cache.store("b", hashes, np.array([1, 1, 1, 0]), np.array([0, 0, 1, 0], bool))
    cache.store("c", hashes[:2], np.array([0, 0]), np.zeros(2, bool))  # fewer rows
    query = np.array([9, 5, 7, 1], dtype=np.uint64)
    for key, votes, found, failed in (
        ("a", [0, 0, -1, 1], [1, 1, 0, 1], [0, 0, 0, 0]),
        ("b", [1, 1, -1, 1], [1, 1, 0, 1], [1, 0, 0, 0]),
        ("c", [-1, 0, -1, 0], [0, 1, 0, 1], [0, 0, 0, 0]),
        ("a", [0, 0, -1, 1], [1, 1, 0, 1], [0, 0, 0, 0]),
    ):
        got = cache.lookup(key, query)
        assert got[0].tolist() == votes and got[1].astype(int).tolist() == found
        assert got[2].astype(int).tolist() == failed
    other = np.array([3, 4], dtype=np.uint64)  # the same entry, other rows asked for
    assert cache.lookup("a", other)[0].tolist() == [1, -1]


def test_a_value_that_changes_type_but_not_text_changes_the_row_hash():
    """JSONL ``true`` became ``"True"``: the same text, so the row kept its cached votes,
    and an LF testing ``item.vip is True`` kept voting."""
    from labelwright.apply.cache_keys import row_hashes

    before = pd.DataFrame({"vip": [True, False, "no"], "plan": ["pro", "free", "pro"]})
    after = before.copy()
    after.loc[0, "vip"] = "True"
    a = row_hashes(["r1", "r2", "r3"], ["x", "y", "z"], before)
    b = row_hashes(["r1", "r2", "r3"], ["x", "y", "z"], after)
    assert a[0] != b[0] and (a[1:] == b[1:]).all()
    # a row of another type joining a column leaves the others' hashes alone
    plain = pd.DataFrame({"plan": ["pro", "free"]})
    joined = pd.DataFrame({"plan": ["pro", "free", 3]})
    assert (row_hashes(["r1", "r2"], ["x", "y"], plain)
            == row_hashes(["r1", "r2", "r3"], ["x", "y", "z"], joined)[:2]).all()
    ints = pd.DataFrame({"n": [1, 2]})  # int64, then object once a string joins
    mixed = pd.DataFrame({"n": [1, 2, "two"]})
    assert (row_hashes(["r1", "r2"], ["x", "y"], ints)
            == row_hashes(["r1", "r2", "r3"], ["x", "y", "z"], mixed)[:2]).all()
    # missing is not the text "None" or "nan"
    gaps = pd.DataFrame({"plan": [None, "None", float("nan"), "nan"]})
    hashes = row_hashes(["r"] * 4, ["x"] * 4, gaps)
    assert hashes[0] == hashes[2] and len({hashes[0], hashes[1], hashes[3]}) == 3


def test_renamed_columns_and_exact_array_values_change_the_row_hash():
    """Swapping two column names kept every row's hash (values were hashed without names);
    a Parquet list of floats was hashed by its printed, 8-digit and '...'-cut text."""
    import numpy as np

    from labelwright.apply.cache_keys import row_hashes

    ids, texts = ["r1", "r2"], ["x", "y"]
    named = pd.DataFrame({"channel": ["web", "phone"], "plan": ["pro", "free"]})
    swapped = named.rename(columns={"channel": "plan", "plan": "channel"})
    assert (row_hashes(ids, texts, named) != row_hashes(ids, texts, swapped)).all()
    big = np.arange(2000.0)
    nudged = big.copy()
    nudged[1000] += 1e-9
    before = pd.DataFrame({"scores": [np.array([0.1, 0.500000001]), big]})
    after = pd.DataFrame({"scores": [np.array([0.1, 0.499999999]), nudged]})
    assert (row_hashes(ids, texts, before) != row_hashes(ids, texts, after)).all()
    again = pd.DataFrame({"scores": [np.array([0.1, 0.500000001]), big.copy()]})
    assert (row_hashes(ids, texts, before) == row_hashes(ids, texts, again)).all()
    lists = pd.DataFrame({"tags": [[1.0000000001, "a"], {"k": 1}]})
    other = pd.DataFrame({"tags": [[1.0000000002, "a"], {"k": 1}]})
    a, b = row_hashes(ids, texts, lists), row_hashes(ids, texts, other)
    assert a[0] != b[0] and a[1] == b[1]


def test_progress_counts_the_cached_items_first_and_reaches_every_item(root):
    """After a resume or an edit, only the computed rows were reported: the bar stopped at
    the share computed (2 of 7 items here) and never finished."""
    _run(root)
    rows = [dict(r) for r in TICKETS]
    rows[1]["text"] = "Please refund the crash"
    rows.append({"id": "t7", "text": "Refund please", "plan": "pro", "gold": "billing"})
    data = dataset_from_frame(pd.DataFrame(rows), id_column="id", text_column="text",
                              gold_column="gold", labels=("billing", "technical"))
    project = load_project(root)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp,
                      glossaries=project.glossaries, cache_dir=root / ".labelwright" / "cache",
                      lf_folder=project.config.lf_path, chunk_size=1)
    steps: list[int] = []
    applier.apply(data, progress=steps.append)
    assert steps == [len(rows) - 2, 1, 1]
    steps.clear()
    applier.apply(data, progress=steps.append)  # everything cached
    assert steps == [len(rows)]


INDIRECT_LFS = '''
import functools

from labelwright import ABSTAIN, labeling_function


@labeling_function()
def says_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


class Rules:
    def check(self, item):
        return says_refund(item)


NESTED = {"billing": [says_refund]}
CACHED = functools.lru_cache(maxsize=None)(lambda text: "refund" in text.lower())


@labeling_function()
def via_class(item):
    return Rules().check(item)


@labeling_function()
def via_nested(item):
    return NESTED["billing"][0](item)


@labeling_function()
def via_partial(item):
    return functools.partial(says_refund)(item)


@labeling_function()
def via_default(item, rule=says_refund):
    return rule(item)
'''


def test_an_lf_reached_in_any_way_by_name_counts_for_its_users(make_project):
    """Methods, nested containers, partials and default arguments reached an LF without
    a global name the key followed: its edits left their users' cached votes stale."""
    root = make_project(rows=TICKETS, lfs={"indirect": INDIRECT_LFS})
    _run(root)
    _, again = _run(root)
    assert set(again.computed.values()) == {0}  # two runs in a row: nothing to compute
    path = root / "labeling_functions" / "indirect.py"
    data, result = _rerun_after(root, path, '"refund" in item', '"crash" in item')
    for name in ("via_class", "via_nested", "via_partial", "via_default"):
        assert result.computed[name] == len(data), name


def test_module_constants_holding_dict_subclasses_and_big_sets_cost_nothing(make_project):
    """The key's walk over globals read every element of module-level containers (24 s for
    50 LFs over a million-word set) and crashed on a dict whose __getattr__ raises KeyError."""
    lfs = '''
from labelwright import ABSTAIN, labeling_function


class AttrDict(dict):
    __getattr__ = dict.__getitem__


RULES = [AttrDict(word="refund", label="billing")]
WORDS = set(str(i) for i in range(200_000))


@labeling_function()
def by_rules(item):
    for rule in RULES:
        if rule.word in item.text.lower() and item.text not in WORDS:
            return rule.label
    return ABSTAIN
'''
    root = make_project(rows=TICKETS, lfs={"attr": lfs})
    data, first = _run(root)
    assert (first.matrix.column("by_rules") >= 0).any()
    _, second = _run(root)
    assert set(second.computed.values()) == {0}


def test_an_lf_file_saved_while_a_run_starts_or_applies_is_an_error_not_a_stale_cache(root):
    """A module saved after the project imported it, before the keys were built: the old
    code's votes were cached under the new file's key, and every later cached run reused
    them (120 labels off on the example) while runs diff said "inputs unchanged"."""
    module = root / "labeling_functions" / "tickets.py"
    original = module.read_text()
    project = load_project(root)
    data = read_dataset(project.config.data, project.labels)
    module.write_text(original.replace('WORD = "refund"', 'WORD = "crash"'))
    applier = project.applier(cache=True)
    # a notebook's edit after load_project: not "while the run was starting"
    with pytest.raises(LabelwrightError, match=r"tickets\.py changed after the LFs were loaded "
                                               r"\(before the LFs were applied\): "):
        applier.apply(data)
    cache = root / ".labelwright" / "cache" / "votes"
    assert not cache.exists() or not any(cache.iterdir())

    # saved while the LFs are applied (between two chunks): nothing of that apply is kept
    project = load_project(root)
    applier = project.applier(cache=True)
    applier.chunk_size = 2

    def save_again(_: int) -> None:
        module.write_text(original)

    with pytest.raises(LabelwrightError, match=r"changed after the LFs were loaded \(while the "
                                               r"LFs were applied\)"):
        applier.apply(data, progress=save_again)
    assert not any(p.suffix == ".npz" or p.name.endswith(".parts")
                   for p in cache.iterdir()) if cache.exists() else True
    _, cached = _run(root)
    assert (cached.matrix.votes == _fresh(root, data).matrix.votes).all()


TWO_STEPS = '''
from labelwright import ABSTAIN, labeling_function
from middle import GOOD


@labeling_function()
def two_steps_away(item):
    return "billing" if any(w in item.text.lower() for w in GOOD) else ABSTAIN
'''

THROUGH_PACKAGE = '''
from labelwright import ABSTAIN, labeling_function
import labeling_functions.base as base


@labeling_function()
def through_package(item):
    return "billing" if base.WORD in item.text.lower() else ABSTAIN
'''


@pytest.mark.parametrize(("modules", "edited", "lf"), [
    # an LF module importing an LF module that imports a third: the third's edit was missed
    ({"top": TWO_STEPS, "middle": "from base import BASE\nGOOD = set(BASE)\n",
      "base": 'BASE = {"refund"}\nWORD = "refund"\n'}, "base", "two_steps_away"),
    # the same through a helper: _middle.py imports the LF module base.py
    ({"top": TWO_STEPS.replace("from middle", "from _middle"),
      "base": 'BASE = {"refund"}\nWORD = "refund"\n'}, "base", "two_steps_away"),
    # a sibling imported through its package (the README supports it)
    ({"top": THROUGH_PACKAGE, "base": 'BASE = {"refund"}\nWORD = "refund"\n'}, "base",
     "through_package"),
])
def test_an_lf_module_reached_by_any_import_path_invalidates_the_lf(make_project, monkeypatch,
                                                                    modules, edited, lf):
    """The key held only the LF modules a module imports itself, by their plain name: an
    edit two imports away, or to a module imported as labeling_functions.x, left the votes
    cached (0 rows computed; --no-cache gave others)."""
    root = make_project(rows=TICKETS, lfs=modules)
    folder = root / "labeling_functions"
    if "middle" not in modules:
        (folder / "_middle.py").write_text("from base import BASE\nGOOD = set(BASE)\n")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.syspath_prepend(str(root))  # `import labeling_functions.base`
    names = ("middle", "_middle", "base", "labeling_functions", "labeling_functions.base")
    try:
        _run(root)
        path = folder / f"{edited}.py"
        path.write_text(path.read_text().replace('"refund"', '"crash"'))
        for name in names:  # a new process would import them afresh
            sys.modules.pop(name, None)
        data, result = _run(root)
        assert result.computed[lf] == len(data)
        assert (result.matrix.votes == _fresh(root, data).matrix.votes).all()
    finally:  # this project's package must not answer the next test's imports
        for name in names:
            sys.modules.pop(name, None)


DIRECT_LF = '''
from labelwright import ABSTAIN, LabelingFunction


def good(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


lf_direct = LabelingFunction(name="lf_direct", func=good)
'''


def test_an_lf_made_without_the_decorator_follows_its_edits(make_project):
    """LabelingFunction(name=..., func=...) had no file and no source hash: its key was its
    name alone, so an edit of its function kept the old votes, and errors named
    '<unknown>:0'."""
    root = make_project(rows=TICKETS, lfs={"direct": DIRECT_LF})
    project = load_project(root)
    (lf,) = project.lfs
    assert lf.file.endswith("direct.py") and lf.line == 5 and lf.source_hash
    _run(root)
    path = root / "labeling_functions" / "direct.py"
    data, result = _rerun_after(root, path, '"refund"', '"crash"')
    assert result.computed["lf_direct"] == len(data)


SNORKEL_FACTORY = '''
from snorkel.labeling import LabelingFunction


class Rule:
    def __init__(self, words):
        self.words = words


def _match(x, rule, label):
    return label if any(w in x.text.lower() for w in rule.words) else -1


def make(name, rule, label):
    return LabelingFunction(name, f=_match, resources={"rule": rule, "label": label})
'''


def test_a_snorkel_lf_made_by_a_helper_factory_follows_the_calling_module(make_project,
                                                                         monkeypatch):
    """A snorkel LF made by a factory in _helpers.py (its resources an object) kept its
    votes when the module calling the factory changed the object's words."""
    root = make_project(rows=TICKETS, lfs={"rules": 'from _helpers import Rule, make\n'
                                                    'kw = make("kw", Rule(["refund"]), 0)\n'})
    folder = root / "labeling_functions"
    (folder / "_helpers.py").write_text(SNORKEL_FACTORY)
    monkeypatch.syspath_prepend(str(folder))
    _run(root)
    path = folder / "rules.py"
    data, result = _rerun_after(root, path, '"refund"', '"crash"')
    assert result.computed["kw"] == len(data)


def test_the_names_of_the_id_and_text_columns_change_the_row_hash(make_project):
    """LFs read the id and text columns under their own names too (item.message): a
    renamed text column is another field, and an LF reading the old name must not get its
    cached votes."""
    from labelwright.apply.cache_keys import row_hashes

    ids, texts = ["r1", "r2"], ["x", "y"]
    default = row_hashes(ids, texts, None)
    assert (row_hashes(ids, texts, None, ("id", "text")) == default).all()  # caches kept
    named = row_hashes(ids, texts, None, ("msg_id", "message"))
    assert (named != default).all()
    assert (row_hashes(ids, texts, None, ("msg_id", "body")) != named).all()

    rows = [{"msg_id": r["id"], "message": r["text"]} for r in TICKETS]
    root = make_project(rows=rows, gold=None, lfs={"message": SNORKEL_STYLE_LF})
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace(
        "[data]\n", '[data]\nid_column = "msg_id"\ntext_column = "message"\n'))
    _, first = _run(root)
    assert first.failures == {} and (first.matrix.votes >= 0).any()
    csv = root / "data" / "items.csv"
    csv.write_text(csv.read_text().replace("msg_id,message", "msg_id,body", 1))
    config.write_text(config.read_text().replace('"message"', '"body"'))
    _, second = _run(root)
    assert second.failures["by_message"].count == len(rows)  # not the cached votes


SNORKEL_STYLE_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def by_message(x):
    return "billing" if "refund" in x.message.lower() else ABSTAIN
'''


NEW_LF = '''

@labeling_function()
def says_charge(item):
    """An LF added to the module: the others' votes stay cached."""
    text = item.text.lower()
    return "billing" if "charge" in text else ABSTAIN
'''


def test_adding_or_removing_an_lf_computes_only_the_new_one(root):
    """The module's other LFs were blanked, not removed, from its key: the lines an LF
    added shifted what followed, and every LF of the module was computed again."""
    _run(root)
    path = root / "labeling_functions" / "tickets.py"
    path.write_text(path.read_text().replace("\n\n@labeling_function()\ndef crashes",
                                             NEW_LF + "\n\n@labeling_function()\ndef crashes"))
    data, added = _run(root)
    assert {name for name, n in added.computed.items() if n} == {"says_charge"}
    assert (added.matrix.votes == _fresh(root, data).matrix.votes).all()
    path.write_text(path.read_text().replace(NEW_LF, ""))
    _, removed = _run(root)
    assert set(removed.computed.values()) == {0}


SELF_REACHING = '''
from labelwright import ABSTAIN, labeling_function
from _rules import first_vote


@labeling_function()
def says_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def through_helper(item):
    return first_vote(item)
'''


def test_an_lf_a_helper_reaches_through_the_module_follows_its_edits(make_project,
                                                                      monkeypatch):
    """The helper imports the LF module and calls its LF by attribute: nothing in the
    module names it, so the module's part of the key leaves it out; the helper's import
    of the module puts the whole module in the key instead."""
    helper = "import reach\n\n\ndef first_vote(item):\n    return reach.says_refund(item)\n"
    root, folder = _with_helpers(make_project, monkeypatch, {"_rules.py": helper},
                                 lfs={"reach": SELF_REACHING})
    _run(root)
    data, result = _rerun_after(root, folder / "reach.py", '"refund" in', '"crash" in')
    assert result.computed["through_helper"] == len(data)


FILE_LF = '''
from pathlib import Path

from labelwright import ABSTAIN, labeling_function

WORDS = Path(__file__).parent.parent / "words.txt"


@labeling_function()
def listed_word(item):  # reads the file as it runs: no value the key sees holds the words
    return "billing" if any(w in item.text.lower() for w in WORDS.read_text().split()) \
        else ABSTAIN
'''


def test_a_refresh_recomputes_and_replaces_what_the_cache_held(make_project):
    """A word list outside the LF folder changed: `run --no-cache` recomputed, but kept
    nothing, so the next plain run read the old votes back (89, 89, 169, 89 votes)."""
    root = make_project(rows=TICKETS, lfs={"words": FILE_LF}, glossaries={})
    (root / "words.txt").write_text("refund\n")
    _, first = _run(root)
    (root / "words.txt").write_text("refund invoice\n")
    data, stale = _run(root)  # the keys cannot see the file: the old votes, as documented
    assert (stale.matrix.votes == first.matrix.votes).all()
    project = load_project(root)
    refreshed = Applier(project.lfs, project.labels, nlp=project.nlp,
                        cache_dir=root / ".labelwright" / "cache",
                        lf_folder=project.config.lf_path, refresh=True).apply(data)
    assert refreshed.computed["listed_word"] == len(data)
    fresh = _fresh(root, data)
    assert (refreshed.matrix.votes == fresh.matrix.votes).all()
    assert (fresh.matrix.votes != first.matrix.votes).any()  # the word list moved a vote
    _, after = _run(root)
    assert set(after.computed.values()) == {0}  # from the cache, and the new votes
    assert (after.matrix.votes == fresh.matrix.votes).all()


SLOW_LF = '''
import time

from labelwright import ABSTAIN, labeling_function


@labeling_function()
def sleepy(item):
    time.sleep(0.05)
    return ABSTAIN


@labeling_function()
def quick(item):
    return "billing" if "refund" in item.text else ABSTAIN
'''


def test_each_lfs_time_is_measured_and_the_slowest_named(make_project):
    """Among 35 LFs, nothing said which one made a run take twice as long."""
    from labelwright.runs.apply_record import apply_record, slowest_lfs_text

    root = make_project(rows=TICKETS, lfs={"slow": SLOW_LF}, glossaries={})
    project = load_project(root)
    data = dataset_from_frame(pd.DataFrame([{**row, "id": f"{row['id']}-{k}"} for k in range(5)
                                            for row in TICKETS]),
                              id_column="id", text_column="text", labels=project.labels)
    applier = Applier(project.lfs, project.labels, cache_dir=root / ".labelwright" / "cache",
                      lf_folder=project.config.lf_path)
    applied = applier.apply(data)
    seconds = applied.lf_seconds
    assert 0.05 * len(data) * 0.8 <= seconds["sleepy"] <= 0.05 * len(data) * 3
    assert seconds["quick"] < 0.01
    assert applied.refreshed is False
    line = slowest_lfs_text(applied)
    assert line is not None
    assert re.match(r"slowest LFs: sleepy \d+\.\d s \((99|100)% of the LFs' time\), quick ",
                    line), line
    assert apply_record(applier, applied, requested=None)["lf_seconds"]["sleepy"] > 1.0
    again = applier.apply(data)  # every vote from the cache: no LF ran, none is slow
    assert slowest_lfs_text(again) is None
    assert apply_record(applier, again, requested=None)["lf_seconds"] == {}


def test_run_no_cache_leaves_the_new_votes_for_the_next_run(make_project, cli):
    """`run --no-cache` after editing a word list an LF reads: the next plain run brought
    the old votes back (from_file: 89, 89, 169 with --no-cache, 89 again)."""
    root = make_project(rows=TICKETS, lfs={"words": FILE_LF}, glossaries={})
    (root / "words.txt").write_text("refund\n")
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0, out
    first = pd.read_parquet(sorted((root / "runs").glob("2*"))[-1] / "label_matrix.parquet")
    assert (first["listed_word"] >= 0).sum() == 2
    (root / "words.txt").write_text("refund invoice\n")
    code, out = cli("run", "-p", str(root), "--no-report", "--no-cache")
    assert code == 0, out
    assert ("votes: 1 LF computed, none read from the vote cache, which now holds them "
            "(--no-cache)") in out
    refreshed = pd.read_parquet(sorted((root / "runs").glob("2*"))[-1] / "label_matrix.parquet")
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0 and "all from the vote cache" in out, out
    after = pd.read_parquet(sorted((root / "runs").glob("2*"))[-1] / "label_matrix.parquet")
    assert after.equals(refreshed)
    assert (after["listed_word"] >= 0).sum() == 3  # two with "refund", one "invoice"


MODE_LFS = '''
from pathlib import Path

from labelwright import ABSTAIN, labeling_function

HERE = Path(__file__).parent.parent


@labeling_function()
def listed_word(item):
    words = (HERE / "words.txt").read_text().split()
    if "fail" in words and item.id == "t1":
        raise KeyError(" ".join(words))
    return "billing" if any(w in item.text.lower() for w in words) else ABSTAIN


@labeling_function()
def stopper(item):
    if item.id == "t5" and (HERE / "stop.txt").exists():
        raise KeyboardInterrupt  # Ctrl-C half-way through the run
    return ABSTAIN
'''


def test_a_refresh_stopped_half_way_leaves_no_old_votes_or_traceback(make_project):
    """A refresh killed after some chunks left the old entry beside the new shards, and the
    next run read 'all from the vote cache': new votes for some items, old for the rest;
    and the first traceback kept was the old code's."""
    root = make_project(rows=TICKETS, lfs={"words": MODE_LFS}, glossaries={})
    project = load_project(root)
    data = read_dataset(project.config.data, project.labels)

    def applier(**options):
        return Applier(project.lfs, project.labels, cache_dir=root / ".labelwright" / "cache",
                       lf_folder=project.config.lf_path, chunk_size=2, **options)

    (root / "words.txt").write_text("fail refund\n")
    old = applier().apply(data)
    assert "KeyError: 'fail refund'" in old.failures["listed_word"].traceback
    (root / "words.txt").write_text("fail invoice\n")
    (root / "stop.txt").write_text("")
    with pytest.raises(KeyboardInterrupt):
        applier(refresh=True).apply(data)  # after the first two chunks
    (root / "stop.txt").unlink()
    after = applier().apply(data)
    assert 0 < after.computed["listed_word"] < len(data)  # the stored chunks were kept
    fresh = _fresh(root, data)
    assert (after.matrix.votes == fresh.matrix.votes).all()
    assert (after.matrix.votes != old.matrix.votes).any()
    assert "fail invoice" in after.failures["listed_word"].traceback
    assert "fail refund" not in after.failures["listed_word"].traceback


STOPS_FIRST_LFS = '''
from pathlib import Path

from labelwright import ABSTAIN, labeling_function

HERE = Path(__file__).parent.parent


@labeling_function()
def billing_terms(item):
    return "billing" if item.matched("billing") else ABSTAIN


@labeling_function()
def stops_first(item):
    mode = HERE / "mode.txt"
    if mode.exists() and mode.read_text() == "stop":
        raise KeyboardInterrupt  # Ctrl-C on the first item: no chunk finished
    if mode.exists() and mode.read_text() == "fail":
        raise ValueError("the LF's own bug")
    return "technical" if "crash" in item.text.lower() else ABSTAIN
'''


def _cache_files(root):
    """Every file of the vote cache, by path, with its bytes."""
    folder = root / ".labelwright" / "cache" / "votes"
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file()}


def test_a_refresh_that_computes_no_vote_leaves_the_cache_whole(make_project, monkeypatch,
                                                               tmp_path):
    """`run --no-cache` with a scheduler it could not reach dropped the vote cache first,
    so the next run computed every LF again though no vote had been computed (21 entries,
    then 12). Nothing goes before the first new votes are stored: an engine that fails to
    start, an LF that fails fast and a run stopped in the first chunk keep it whole."""
    from labelwright.apply import apply_file
    from labelwright.apply.engines import ProcessEngine
    from labelwright.errors import ConfigError

    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    root = make_project(rows=TICKETS, lfs={"stops": STOPS_FIRST_LFS},
                        glossaries={"billing": BILLING_GLOSSARY})
    project = load_project(root)
    data = read_dataset(project.config.data, project.labels)
    first = project.applier(engine="local").apply(data)
    kept = _cache_files(root)
    assert sum(name.startswith("hits-") for name in kept) == 1  # the glossary's hits too
    assert len(kept) >= 3

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        for scheduler in ("tcp://127.0.0.1:1", "tcp://bob:secret@127.0.0.1:1"):
            refresh = project.applier(engine="dask", scheduler=scheduler, cache="refresh")
            with pytest.raises(ConfigError, match="cannot reach|cannot connect"):
                refresh.apply(data)
            assert _cache_files(root) == kept, scheduler
            with pytest.raises(ConfigError, match="cannot reach|cannot connect"):
                apply_file(refresh, root / "data" / "items.csv", tmp_path / "votes.parquet")
            assert _cache_files(root) == kept, scheduler

    def no_pool(*args, **kwargs):
        raise OSError(24, "Too many open files")  # the pool cannot start its workers

    with monkeypatch.context() as patched:
        patched.setattr(ProcessEngine, "__init__", no_pool)
        with pytest.raises(OSError, match="Too many open files"):
            project.applier(engine="processes", cache="refresh").apply(data)
    assert _cache_files(root) == kept

    (root / "mode.txt").write_text("fail")  # a file the keys cannot see: --no-cache's case
    with pytest.raises(LFFailure, match="the LF's own bug"):
        project.applier(engine="local", fail_fast=True, cache="refresh").apply(data)
    assert _cache_files(root) == kept
    (root / "mode.txt").write_text("stop")
    with pytest.raises(KeyboardInterrupt):
        project.applier(engine="local", cache="refresh").apply(data)
    assert _cache_files(root) == kept

    (root / "mode.txt").unlink()
    again = project.applier(engine="local").apply(data)
    assert set(again.computed.values()) == {0}  # every vote from the cache, as before
    assert (again.matrix.votes == first.matrix.votes).all()
    refreshed = project.applier(engine="local", cache="refresh").apply(data)
    assert set(refreshed.computed.values()) == {len(data)}
    assert (refreshed.term_hits == first.term_hits).all().all()  # hits matched again
    assert _cache_files(root).keys() == kept.keys()  # stored over what the cache held


WARM_UP_LF = '''
import time

from labelwright import ABSTAIN, labeling_function

LOADED = []


@labeling_function()
def loads_once(item):
    if not LOADED:
        time.sleep(0.5)  # a word list or a model, read on the first call
        LOADED.append(True)
    return ABSTAIN


@labeling_function()
def steady(item):
    time.sleep(0.01)
    return ABSTAIN
'''


def test_an_lf_that_loads_once_on_its_first_call_is_not_taken_for_the_slowest(make_project):
    """The first item of each chunk was timed, so a one-off 0.5 s load counted 16 times:
    'slowest LFs: lazy_init 8.0 s' in an apply of 2.2 s. Every call is timed now: the load
    counts once, as what it cost."""
    root = make_project(rows=TICKETS, lfs={"slow": WARM_UP_LF}, glossaries={})
    project = load_project(root)
    data = dataset_from_frame(pd.DataFrame([{**row, "id": f"{row['id']}-{k}"} for k in range(8)
                                            for row in TICKETS]),
                              id_column="id", text_column="text", labels=project.labels)
    applied = Applier(project.lfs, project.labels).apply(data)
    seconds = applied.lf_seconds
    assert 0.5 <= seconds["loads_once"] < 0.5 * 16, seconds  # scaled by 16 it was 8 s
    assert 0.01 * len(data) * 0.8 <= seconds["steady"] <= 0.01 * len(data) * 3, seconds
