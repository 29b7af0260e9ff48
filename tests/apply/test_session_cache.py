"""The vote cache of LFs written in the session (a notebook cell, a script, ``exec()``) and
of glossaries made in Python: their keys follow what no file holds, so an edit of a global
or of a glossary's terms never gives back old votes."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import textwrap

import pytest

from labelwright import ABSTAIN, labeling_function
from labelwright.apply import Applier
from labelwright.config import NLPConfig
from labelwright.glossaries import Glossary, Term, glossary_lf
from labelwright.lfs.session_globals import NOT_SESSION, session_globals
from labelwright.nlp import load_pipeline
from labelwright.project import load_project
from notebook_cells import LABELS, TEXTS, apply_cells, cell_dataset, run_cell, votes_of

CELL = '''
@labeling_function()
def says_word(item):
    return "billing" if WORDS.search(item.text) else ABSTAIN
'''


def test_a_session_lf_is_recomputed_when_a_global_it_reads_is_edited(tmp_path):
    session = run_cell(CELL, WORDS=re.compile(r"refund"))
    lf = session["says_word"]
    first = apply_cells([lf], tmp_path)
    assert votes_of(first, "says_word") == [0, -1, 0, -1]
    assert apply_cells([lf], tmp_path).computed == {"says_word": 0}  # unchanged: from the cache
    session["WORDS"] = re.compile(r"crash")  # the user edits the cell that defines it
    edited = apply_cells([lf], tmp_path)
    assert edited.computed == {"says_word": len(TEXTS)}
    assert votes_of(edited, "says_word") == [-1, 0, 0, -1]
    session["WORDS"] = re.compile(r"crash", re.I)  # a flag is part of the pattern
    assert apply_cells([lf], tmp_path).computed == {"says_word": len(TEXTS)}


def test_the_apply_result_shown_says_which_lfs_were_computed_again(tmp_path):
    """A notebook's edit-and-apply loop showed ``ApplyResult(items=4, lfs=2, ...)`` alike
    whether the edit was noticed or not; the repr names the LFs computed again."""
    session = run_cell(CELL, WORDS=re.compile(r"refund"))
    other = run_cell(CELL.replace("says_word", "says_other"), WORDS=re.compile(r"crash"))
    lfs = [session["says_word"], other["says_other"]]
    first = apply_cells(lfs, tmp_path)
    assert "computed=['says_word', 'says_other'], from_cache=0" in repr(first)
    session["WORDS"] = re.compile(r"hello")
    edited = apply_cells(lfs, tmp_path)
    assert "computed=['says_word'], from_cache=1" in repr(edited)
    assert "<th style='text-align:left'>computed</th>" in edited._repr_html_()
    uncached = Applier(lfs, LABELS).apply(cell_dataset())  # no vote cache: nothing to say
    assert "computed" not in repr(uncached)


def test_what_a_session_helper_reads_counts_too(tmp_path):
    session = run_cell('''
        def found(text):
            return any(word in text for word in WORDS)

        @labeling_function()
        def says_word(item):
            return "billing" if found(item.text) else ABSTAIN
    ''', WORDS={"refund"})
    lf = session["says_word"]
    assert votes_of(apply_cells([lf], tmp_path), "says_word") == [0, -1, 0, -1]
    session["WORDS"] = {"hello"}  # a global of the helper, not of the LF
    again = apply_cells([lf], tmp_path)
    assert again.computed == {"says_word": len(TEXTS)}
    assert votes_of(again, "says_word") == [-1, -1, -1, 0]


def test_code_made_by_exec_with_no_main_module_counts_its_globals(tmp_path):
    namespace = {"labeling_function": labeling_function, "ABSTAIN": ABSTAIN,
                 "LIMIT": 5}
    exec(compile("@labeling_function()\ndef short(item):\n"
                 "    return 'billing' if len(item.text) < LIMIT else ABSTAIN\n",
                 "<string>", "exec"), namespace)
    lf = namespace["short"]
    assert apply_cells([lf], tmp_path).computed == {"short": len(TEXTS)}
    namespace["LIMIT"] = 14
    again = apply_cells([lf], tmp_path)
    assert again.computed == {"short": len(TEXTS)}
    assert votes_of(again, "short") == [0, -1, -1, 0]



@pytest.mark.parametrize("old, new", [("< 5", "< 14"), ("'billing'", "'technical'"),
                                      ("len(item.text)", "len(item.text.split())")],
                         ids=["number", "string", "name"])
def test_code_made_by_exec_is_keyed_by_its_constants_and_names(tmp_path, old, new):
    """Code with no source was keyed by its bytecode alone, which ``< 5`` and ``< 14``
    share: the LF made again with another constant got the first one's votes back."""
    source = ("@labeling_function()\ndef short(item):\n"
              "    return 'billing' if len(item.text) < 5 else ABSTAIN\n")
    votes = []
    for code in (source, source.replace(old, new)):
        namespace = {"labeling_function": labeling_function, "ABSTAIN": ABSTAIN}
        exec(compile(code, "<string>", "exec"), namespace)
        applied = apply_cells([namespace["short"]], tmp_path)
        assert applied.computed == {"short": len(TEXTS)}
        votes.append(votes_of(applied, "short"))
    fresh = Applier([namespace["short"]], LABELS).apply(cell_dataset())
    assert votes[1] == votes_of(fresh, "short")

class Model:
    """An object the cache cannot hash: its votes depend on what it holds."""

    def __init__(self, word: str) -> None:
        self.word = word


def test_an_lf_reading_an_object_is_computed_every_run_with_one_warning(tmp_path, caplog):
    session = run_cell('''
        @labeling_function()
        def by_model(item):
            return "billing" if MODEL.word in item.text else ABSTAIN

        @labeling_function()
        def plain(item):
            return "technical" if "crash" in item.text else ABSTAIN
    ''', MODEL=Model("refund"))
    lfs = [session["by_model"], session["plain"]]
    with caplog.at_level(logging.WARNING, logger="labelwright.apply.applier"):
        first = apply_cells(lfs, tmp_path)
        session["MODEL"].word = "hello"  # the object changed inside
        second = apply_cells(lfs, tmp_path)
    assert first.uncached == second.uncached == {"by_model": ("MODEL",)}
    assert second.computed == {"by_model": len(TEXTS), "plain": 0}
    assert votes_of(second, "by_model") == [-1, -1, -1, 0]  # the object as it is now
    said = [r.getMessage() for r in caplog.records if "cannot be hashed" in r.getMessage()]
    assert len(said) == 1 and "by_model (MODEL)" in said[0] and len(said[0]) < 200
    assert not list((tmp_path / "votes").glob("*by_model*"))  # nothing kept under it
    assert len(list((tmp_path / "votes").glob("*.npz"))) == 1  # plain's entry only


def test_a_fresh_process_with_another_global_value_computes_again(tmp_path):
    script = tmp_path / "explore.py"  # a script run as __main__, as a notebook's kernel
    script.write_text(textwrap.dedent(f'''
        import re, sys
        import pandas as pd
        from labelwright import ABSTAIN, labeling_function
        from labelwright.apply import Applier
        from labelwright.data.dataset import dataset_from_frame

        WORDS = re.compile(sys.argv[1])

        @labeling_function()
        def says_word(item):
            return "billing" if WORDS.search(item.text) else ABSTAIN

        texts = {TEXTS!r}
        frame = pd.DataFrame({{"id": [f"t{{i}}" for i in range(len(texts))], "text": texts}})
        data = dataset_from_frame(frame, id_column="id", text_column="text",
                                  labels={LABELS!r})
        result = Applier([says_word], {LABELS!r}, cache_dir=sys.argv[2]).apply(data)
        print(result.computed["says_word"], result.matrix.votes[:, 0].tolist())
    '''))

    def session(words: str) -> str:
        done = subprocess.run([sys.executable, str(script), words, str(tmp_path / "cache")],
                              capture_output=True, text=True, check=True)
        return done.stdout.strip()

    assert session("refund") == "4 [0, -1, 0, -1]"
    assert session("crash") == "4 [-1, 0, 0, -1]"  # not the first session's votes
    assert session("refund") == "0 [0, -1, 0, -1]"  # the first one's, from the cache


def test_an_lf_of_the_lf_folder_is_keyed_by_what_it_reads_but_records_none(make_project):
    """Its module's values can be changed by code the process runs, as a session's can;
    but the run keeps its module, so its manifest lists no globals read."""
    root = make_project()
    project = load_project(root)
    read = [session_globals(lf) for lf in project.lfs]
    assert project.lfs and not any(r.session for r in read)
    assert all(r.digest and not r.unhashable for r in read)
    assert session_globals(glossary_lf(Glossary("money", "billing", "lowercase",
                                                (Term("refund"),)))) is NOT_SESSION


def test_an_in_memory_glossary_is_recomputed_when_its_terms_change(tmp_path):
    nlp = load_pipeline(NLPConfig())

    def covered(glossary):
        result = apply_cells([glossary_lf(glossary)], tmp_path, nlp=nlp, glossaries=[glossary])
        return result.computed[glossary.lf_name], votes_of(result, glossary.lf_name)

    refunds = Glossary("money", "billing", "lowercase", (Term("refund"),))
    crashes = Glossary("money", "billing", "lowercase", (Term("crashed"),))
    assert refunds.sha256 and refunds.sha256 != crashes.sha256
    assert covered(refunds) == (len(TEXTS), [0, -1, 0, -1])
    assert covered(crashes) == (len(TEXTS), [-1, 0, -1, -1])
    assert covered(Glossary("money", "billing", "lowercase", (Term("refund"),))) \
        == (0, [0, -1, 0, -1])  # the same terms again: the same key


@pytest.mark.parametrize("change", [
    {"terms": (Term("refund", synonyms=("refunds",)),)}, {"exclusions": ("no",)},
    {"window": 5}, {"mode": "exact"}, {"label": "technical"}, {"accents": "ignore"}])
def test_an_in_memory_glossarys_hash_follows_what_it_matches(change):
    import dataclasses

    base = Glossary("money", "billing", "lowercase", (Term("refund"),))
    # replace copies the old hash along: a glossary with no file takes its content's
    assert dataclasses.replace(base, **change).sha256 != base.sha256
    assert dataclasses.replace(base).sha256 == base.sha256
