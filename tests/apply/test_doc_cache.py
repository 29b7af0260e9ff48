"""The Doc cache: Docs read back are the Docs a parse gives, and never stale."""

from __future__ import annotations

import importlib.util
import logging
import pickle
import random
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import spacy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span, Token

from labelwright.apply import Applier, doc_shards, engines
from labelwright.apply.doc_cache import (
    DocCache,
    doc_cache_wanted,
    pipeline_key,
    text_hashes,
)
from labelwright.config import NLPConfig, parse_config
from labelwright.data.dataset import dataset_from_frame, read_dataset
from labelwright.errors import ConfigError
from labelwright.glossaries.core import GlossaryMatcher
from labelwright.nlp import LOOKUP_LEMMAS, LemmaKeys, invisible_affixes, load_pipeline
from labelwright.project import load_project
from ticket_data import BILLING_GLOSSARY, TICKETS

TEXTS = [
    "Please refund my order, I was charged twice",
    "Refunded yet? I still see the Charges",
    "REFUNDS are slow.  Two spaces, a tab\tand a newline\n",
    "Überweisung fehlgeschlagen 😡 the app CRASHES",
    "",
    "   ",
    "Invoices, invoices, INVOICES!",
    "no charge was made, not an overcharge",
]

DOC_LFS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def lemma_refund(item):
    return "billing" if any(t.lemma_ == "refund" for t in item.doc) else ABSTAIN


@labeling_function()
def lower_crash(item):
    return "technical" if any(t.lower_ in ("crash", "crashes") for t in item.doc) else ABSTAIN


@labeling_function()
def billing_matches(item):
    return "billing" if item.matched(label="billing") else ABSTAIN
'''

CRASH_GLOSSARY = """\
label: technical
mode: lowercase
terms:
  - term: crash
    synonyms: [crashes, "error 500"]
"""

LOGIN_GLOSSARY = """\
label: technical
mode: exact
terms:
  - Login
  - log in
"""

ROWS = [*TICKETS,
        {"id": "t7", "text": "Refunded yet? I still see the Charges", "plan": "pro",
         "gold": "billing"},
        {"id": "t8", "text": "INVOICES are wrong; the app Crashes at Login", "plan": "free",
         "gold": "technical"},
        {"id": "t9", "text": "There is no charge, but an Error 500", "plan": "free",
         "gold": "technical"}]


def _json(doc: Doc) -> dict:
    return doc.to_json()


def _same(a: Doc, b: Doc) -> None:
    """Everything an LF or the glossary matcher reads from a Doc is the same."""
    assert _json(a) == _json(b)
    assert a.text == b.text and a.text_with_ws == b.text_with_ws
    for x, y in zip(a, b, strict=True):
        assert (x.orth_, x.lemma_, x.norm_, x.lower_, x.whitespace_, x.idx, x.is_stop,
                x.like_num, x.shape_) == (y.orth_, y.lemma_, y.norm_, y.lower_, y.whitespace_,
                                          y.idx, y.is_stop, y.like_num, y.shape_)


@pytest.fixture
def cache(tmp_path, nlp):
    return DocCache(tmp_path / "docs", pipeline_key(nlp))


# -- Docs read back --------------------------------------------------------------------

def test_docs_read_back_equal_parsed_docs_of_the_default_pipeline(cache, nlp):
    parsed = list(cache.docs(nlp, TEXTS))
    assert (cache.parsed, cache.read) == (len(TEXTS), 0)
    again = list(cache.docs(nlp, TEXTS))
    assert (cache.parsed, cache.read) == (len(TEXTS), len(TEXTS))
    keys = LemmaKeys(nlp)
    for a, b, fresh in zip(parsed, again, nlp.pipe(TEXTS), strict=True):
        _same(b, fresh)
        _same(a, fresh)
        assert keys.keys(b) == keys.keys(fresh)
    assert [t.lemma_ for t in again[1]][0] == "refund"  # the case-folded lemma is kept


def test_docs_read_back_in_a_fresh_vocab_know_their_strings(tmp_path, nlp):
    """A worker that never saw a word still reads its text, lemma and norm."""
    word = "Zqxwvutsrefunds"
    cache = DocCache(tmp_path / "docs", pipeline_key(nlp))
    list(cache.docs(nlp, [f"{word} and Invoices"]))
    other = spacy.blank("en")
    other.add_pipe("lemmatizer", config={"mode": "lookup"})
    other.add_pipe(LOOKUP_LEMMAS)
    other.initialize()
    reader = DocCache(tmp_path / "docs", pipeline_key(nlp))
    doc = next(reader.docs(other, [f"{word} and Invoices"]))
    assert reader.read == 1
    assert [t.text for t in doc] == [word, "and", "Invoices"]
    assert [t.lemma_ for t in doc] == [t.lemma_ for t in nlp(f"{word} and Invoices")]


def test_a_shard_is_a_standard_docbin(cache, nlp, tmp_path):
    list(cache.docs(nlp, TEXTS))
    (shard,) = cache.folder.glob("*.npz")
    with np.load(shard) as entry:
        docs = list(DocBin().from_bytes(entry["docbin"].tobytes()).get_docs(nlp.vocab))
        assert entry["hashes"].tolist() == text_hashes(TEXTS).tolist()
    for doc, fresh in zip(docs, nlp.pipe(TEXTS), strict=True):
        _same(doc, fresh)


def test_docs_are_read_back_in_item_order_from_many_shards(cache, nlp):
    """Rows spread over more shards than a chunk holds open at once, in shuffled order."""
    texts = [f"Item {i}: refunds for Invoice {i}" for i in range(30)]
    for start in range(0, 30, 5):
        list(cache.docs(nlp, texts[start:start + 5]))
    assert len(list(cache.folder.glob("*.npz"))) == 6
    order = list(range(30))
    random.Random(0).shuffle(order)
    wanted = [texts[i] for i in order] + ["a new text"]
    docs = list(cache.docs(nlp, wanted))
    assert cache.read == 30 and cache.parsed == 31
    for doc, fresh in zip(docs, nlp.pipe(wanted), strict=True):
        _same(doc, fresh)
    few = list(cache.docs(nlp, [texts[3], texts[1], texts[2]]))  # one shard, out of order
    assert [d.text for d in few] == [texts[3], texts[1], texts[2]]


def test_a_shard_is_not_loaded_for_a_few_of_its_texts(cache, nlp, monkeypatch):
    """A text is stored in the shard of the chunk that first parsed it: a later chunk that
    repeats a few texts of each of many earlier chunks parses those few again instead of
    loading every shard (which made a re-run at 1M rows cost as much as a cold one)."""
    earlier = [f"order {i}: refund for invoice {i}" for i in range(200)]
    list(cache.docs(nlp, earlier))  # one shard of 200 Docs
    (big,) = cache.folder.glob("*.npz")
    own = [f"ticket {i}: login fails again" for i in range(20)]
    list(cache.docs(nlp, own))  # the later chunk's own shard
    loaded: list[str] = []
    real = doc_shards.ShardReader

    def counting(path, nlp):
        loaded.append(Path(path).name)
        return real(path, nlp)

    monkeypatch.setattr(doc_shards, "ShardReader", counting)  # as the cache imports it
    reader = DocCache(cache.folder.parent, pipeline_key(nlp))  # a new process's costs
    wanted = [*own[:10], earlier[7], *own[10:], earlier[150]]
    docs = list(reader.docs(nlp, wanted))
    assert big.name not in loaded and len(loaded) == 1
    assert (reader.read, reader.parsed) == (20, 2)
    for doc, fresh in zip(docs, nlp.pipe(wanted), strict=True):
        _same(doc, fresh)
    assert len(list(cache.folder.glob("*.npz"))) == 2  # parsed again, not stored again
    many = list(reader.docs(nlp, earlier[:150]))  # most of a shard: worth loading
    assert big.name in loaded and reader.read == 170
    assert [d.text for d in many] == earlier[:150]


# -- pipelines with more annotations -----------------------------------------------------

if not Token.has_extension("lw_test_flag"):
    Token.set_extension("lw_test_flag", default=False)
if not Doc.has_extension("lw_test_source"):
    Doc.set_extension("lw_test_source", default=None)


@Language.component("lw_test_annotate")
def _annotate(doc: Doc) -> Doc:
    """Sets what a trained pipeline would: tags, POS, entities, span groups, cats, ._ data."""
    for token in doc:
        token.tag_ = "NN" if token.is_alpha else "SYM"
        token.pos_ = "NOUN" if token.is_alpha else "PUNCT"
        token._.lw_test_flag = token.lower_.startswith("refund")
    if len(doc) > 1:
        doc.ents = [Span(doc, 0, 1, label="ORG")]
        doc.spans["terms"] = [Span(doc, 0, 2, label="TERM")]
    doc.cats = {"billing": float(len(doc) % 2)}
    doc._.lw_test_source = "unit"
    return doc


@Language.component("lw_test_tensor")
def _tensor(doc: Doc) -> Doc:
    doc.tensor = np.ones((len(doc), 4), dtype="float32")
    return doc


@Language.component("lw_test_parse")
def _parse(doc: Doc) -> Doc:
    """A dependency parse: every token attached to the first, which is the root."""
    if len(doc):
        heads = [0] + [-i for i in range(1, len(doc))]  # relative, as to_array gives them
        deps = [doc.vocab.strings.add("ROOT")] + [doc.vocab.strings.add("dep")] * (len(doc) - 1)
        doc.from_array([HEAD, DEP], np.array([heads, deps], dtype=np.int64).T.astype(np.uint64))
    return doc


def _rich_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lw_test_annotate")
    return nlp


def _parsing_pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lw_test_parse")
    nlp.add_pipe("lw_test_annotate")
    return nlp


@pytest.mark.parametrize("texts", [TEXTS, ["Refund", "crash", "", "Invoice"]])
@pytest.mark.parametrize("make", [_rich_pipeline, _parsing_pipeline])
def test_tags_entities_spans_cats_sentences_parses_and_extensions_are_kept(tmp_path, make,
                                                                           texts):
    nlp = make()
    cache = DocCache(tmp_path / "docs", pipeline_key(nlp))
    list(cache.docs(nlp, texts))
    docs = list(cache.docs(nlp, texts))
    assert cache.read == len(texts)
    for doc, fresh in zip(docs, nlp.pipe(texts), strict=True):
        _same(doc, fresh)
        assert [(t.head.i, t.dep_, t.is_sent_start) for t in doc] == \
            [(t.head.i, t.dep_, t.is_sent_start) for t in fresh]
        assert doc.has_annotation("DEP") == fresh.has_annotation("DEP")
        assert [t.tag_ for t in doc] == [t.tag_ for t in fresh]
        assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in fresh.ents]
        assert [s.text for s in doc.sents] == [s.text for s in fresh.sents]
        assert [[s.label_ for s in g] for g in doc.spans.values()] == \
            [[s.label_ for s in g] for g in fresh.spans.values()]
        assert doc.cats == fresh.cats
        assert [t._.lw_test_flag for t in doc] == [t._.lw_test_flag for t in fresh]
        assert doc._.lw_test_source == fresh._.lw_test_source == "unit"


def test_auto_never_caches_docs_with_a_tensor_and_true_caches_them_without(tmp_path, caplog):
    nlp = spacy.blank("en")
    nlp.add_pipe("lw_test_tensor")
    key = pipeline_key(nlp)
    auto = DocCache(tmp_path / "docs", key)
    with caplog.at_level(logging.INFO, logger="labelwright.apply.doc_cache"):
        list(auto.docs(nlp, TEXTS))
    assert "doc.tensor" in caplog.text and not list(auto.folder.glob("*.npz"))
    forced = DocCache(tmp_path / "docs", key, keep_lossy=True)
    list(forced.docs(nlp, TEXTS))
    assert next(forced.docs(nlp, TEXTS[:1])).tensor.size == 0  # read back, tensor dropped
    assert forced.read == 1
    list(auto.docs(nlp, TEXTS))  # auto ignores the shard that lost the tensor
    assert auto.read == 0


@Language.component("lw_test_object")
def _object(doc: Doc) -> Doc:
    doc._.lw_test_source = object()  # user data msgpack cannot hold
    return doc


def _parsed_without_a_shard(tmp_path, caplog, component: str) -> list[Doc]:
    """Docs of TEXTS through a fresh cache whose pipeline ends in ``component``, after
    checking that the cache warned and wrote no shard."""
    nlp = spacy.blank("en")
    nlp.add_pipe(component)
    cache = DocCache(tmp_path / "docs", pipeline_key(nlp))
    with caplog.at_level(logging.WARNING, logger="labelwright.apply.doc_cache"):
        docs = list(cache.docs(nlp, TEXTS))
    assert "cannot store these Docs" in caplog.text
    assert not list(cache.folder.glob("*.npz"))
    return docs


def test_docs_whose_user_data_cannot_be_stored_are_parsed_every_time(tmp_path, caplog):
    docs = _parsed_without_a_shard(tmp_path, caplog, "lw_test_object")
    assert [d.text for d in docs] == TEXTS and docs[0]._.lw_test_source is not None


@Language.component("lw_test_list")
def _list_value(doc: Doc) -> Doc:
    doc._.lw_test_source = [t.lower_ for t in doc[:2]]  # a list, with a nested dict after
    doc.user_data[("lw", "nested")] = {"words": [t.text for t in doc[:1]], "n": len(doc)}
    return doc


@Language.component("lw_test_tuple")
def _tuple_value(doc: Doc) -> Doc:
    doc._.lw_test_source = tuple(t.lower_ for t in doc[:2])  # msgpack would give a list
    return doc


def test_list_values_in_user_data_read_back_equal(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("lw_test_list")
    cache = DocCache(tmp_path / "docs", pipeline_key(nlp))
    list(cache.docs(nlp, TEXTS))
    docs = list(cache.docs(nlp, TEXTS))
    assert cache.read == len(TEXTS)
    for doc, fresh in zip(docs, nlp.pipe(TEXTS), strict=True):
        assert doc.user_data == fresh.user_data
        assert doc._.lw_test_source == fresh._.lw_test_source
        assert isinstance(doc._.lw_test_source, list)


def test_docs_with_tuple_values_are_parsed_every_time(tmp_path, caplog):
    docs = _parsed_without_a_shard(tmp_path, caplog, "lw_test_tuple")
    assert "tuple" in caplog.text
    assert docs[0]._.lw_test_source == tuple(t.lower_ for t in docs[0][:2])


# -- never stale -------------------------------------------------------------------------

def test_the_pipeline_key_changes_with_components_lookups_and_settings(nlp):
    base = pipeline_key(nlp)
    assert base == pipeline_key(nlp)
    plain = load_pipeline(NLPConfig(lemmatizer=False))
    assert pipeline_key(plain) != base
    extra = spacy.blank("en")
    extra.add_pipe("lemmatizer", config={"mode": "lookup"})
    extra.add_pipe(LOOKUP_LEMMAS)
    extra.initialize()
    extra.disable_pipe("lemmatizer")
    assert pipeline_key(extra) != base  # its tokenizer keeps "song\ufeff" one token
    same = pipeline_key(invisible_affixes(extra))
    assert same == base  # built the same way: the same key
    extra.add_pipe("sentencizer")
    with_sentencizer = pipeline_key(extra)
    assert with_sentencizer != base
    table = extra.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    table["refunds"] = "something else"  # e.g. a new spacy-lookups-data
    assert pipeline_key(extra) != with_sentencizer


def test_the_pipeline_key_changes_with_the_source_of_a_project_component(tmp_path):
    """A component's code is not in the pipeline config: its module's source is hashed."""
    module = tmp_path / "lw_test_component_module.py"
    module.write_text(
        "from spacy.language import Language\n\n"
        "@Language.component('lw_test_from_file')\n"
        "def upper_norms(doc):\n"
        "    for token in doc:\n"
        "        token.norm_ = token.text.upper()\n"
        "    return doc\n")
    spec = importlib.util.spec_from_file_location("lw_test_component_module", module)
    loaded = importlib.util.module_from_spec(spec)
    sys.modules["lw_test_component_module"] = loaded
    try:
        spec.loader.exec_module(loaded)
        nlp = spacy.blank("en")
        nlp.add_pipe("lw_test_from_file")
        before = pipeline_key(nlp)
        module.write_text(module.read_text().replace(".upper()", ".lower()"))
        assert pipeline_key(nlp) != before
    finally:
        del sys.modules["lw_test_component_module"]


def test_a_changed_pipeline_misses(tmp_path, nlp):
    folder = tmp_path / "docs"
    list(DocCache(folder, pipeline_key(nlp)).docs(nlp, TEXTS))
    other = _rich_pipeline()
    cache = DocCache(folder, pipeline_key(other))
    docs = list(cache.docs(other, TEXTS))
    assert (cache.read, cache.parsed) == (0, len(TEXTS))
    assert docs[0][0].tag_ == "NN"


def test_a_changed_text_misses_for_that_text_only(cache, nlp):
    list(cache.docs(nlp, TEXTS))
    changed = list(TEXTS)
    changed[2] = changed[2].replace("slow", "fast")
    docs = list(cache.docs(nlp, changed))
    assert (cache.read, cache.parsed) == (len(TEXTS) - 1, len(TEXTS) + 1)
    assert docs[2].text == changed[2]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "bad docbin", "count mismatch"])
def test_a_damaged_shard_is_ignored_logged_and_recomputed(tmp_path, nlp, caplog, damage):
    folder = tmp_path / "docs"
    list(DocCache(folder, pipeline_key(nlp)).docs(nlp, TEXTS))
    (shard,) = (folder / pipeline_key(nlp)[:32]).glob("*.npz")
    raw = shard.read_bytes()
    if damage == "garbage":
        shard.write_bytes(b"not a shard")
    elif damage == "truncated":
        shard.write_bytes(raw[: len(raw) // 2])
    else:
        with np.load(shard) as entry:
            parts = dict(entry)
        if damage == "bad docbin":
            parts["docbin"] = parts["docbin"][:-20]
        else:
            parts["hashes"] = parts["hashes"][:-1]
            parts["chars"] = parts["chars"][:-1]
        with open(shard, "wb") as out:
            np.savez(out, **parts)
    (shard.parent / ".leftover.tmp").write_bytes(b"a writer died here")
    cache = DocCache(folder, pipeline_key(nlp))
    with caplog.at_level(logging.WARNING, logger="labelwright.apply.doc_cache"):
        docs = list(cache.docs(nlp, TEXTS))
    assert "ignoring damaged shard" in caplog.text and shard.name in caplog.text
    assert (cache.read, cache.parsed) == (0, len(TEXTS))
    for doc, fresh in zip(docs, nlp.pipe(TEXTS), strict=True):
        _same(doc, fresh)
    again = DocCache(folder, pipeline_key(nlp))  # the rewritten shard is whole again
    list(again.docs(nlp, TEXTS))
    assert again.read == len(TEXTS)


def test_two_writers_of_the_same_chunk_leave_one_whole_shard(tmp_path, nlp):
    """Two processes that both miss a chunk both write it: same name, atomic rename."""
    key = pipeline_key(nlp)
    first, second = DocCache(tmp_path / "docs", key), DocCache(tmp_path / "docs", key)
    a, b = first.docs(nlp, TEXTS), second.docs(nlp, TEXTS)
    next(a), next(b)  # both looked the chunk up before either wrote it
    list(a), list(b)
    assert (first.parsed, second.parsed) == (len(TEXTS), len(TEXTS))
    assert len(list(first.folder.glob("*.npz"))) == 1
    list(first.docs(nlp, ["one new text"]))
    list(second.docs(nlp, ["another text"]))
    assert len(list(first.folder.glob("*.npz"))) == 3
    assert not list(first.folder.glob(".*"))  # no temp file left behind
    reader = DocCache(tmp_path / "docs", key)
    list(reader.docs(nlp, [*TEXTS, "one new text", "another text"]))
    assert (reader.read, reader.parsed) == (len(TEXTS) + 2, 0)


def test_shards_added_one_by_one_stay_found_in_a_few_merged_runs(cache, nlp):
    """Each chunk adds a shard; the index merges runs instead of re-sorting everything."""
    texts = [f"ticket {i}: refund order {i * 7}" for i in range(40)]
    for start in range(0, 40, 2):  # 20 shards, one per call
        list(cache.docs(nlp, texts[start:start + 2]))
        assert cache._runs is not None and len(cache._runs) <= 5  # log2(20) + 1
    assert len(list(cache.folder.glob("*.npz"))) == 20
    docs = list(cache.docs(nlp, texts[::-1]))
    assert cache.read == 40 and [d.text for d in docs] == texts[::-1]
    fresh = DocCache(cache.folder.parent, pipeline_key(nlp))  # a new process: one build
    assert sum(1 for _ in fresh.docs(nlp, texts)) == 40 and fresh.read == 40


def test_the_cache_pickles_without_its_index(cache, nlp):
    list(cache.docs(nlp, TEXTS))
    copy = pickle.loads(pickle.dumps(cache))
    assert copy._runs is None and copy.folder == cache.folder
    list(copy.docs(nlp, TEXTS))
    assert copy.read == cache.read + len(TEXTS)


# -- the applier -------------------------------------------------------------------------

@pytest.fixture
def root(make_project):
    return make_project(rows=ROWS, lfs={"doc_lfs": DOC_LFS},
                        glossaries={"billing": BILLING_GLOSSARY, "crash": CRASH_GLOSSARY,
                                    "login": LOGIN_GLOSSARY})


def _apply(root: Path, *, doc_cache: str | bool = "auto", cache: bool = True,
           engine: str = "local", dataset=None, **kw):
    project = load_project(root)
    data = dataset if dataset is not None else read_dataset(project.config.data, project.labels)
    applier = Applier(project.lfs, project.labels, nlp=project.nlp,
                      glossaries=project.glossaries, engine=engine, root=root,
                      cache_dir=root / ".labelwright" / "cache" if cache else None,
                      doc_cache=doc_cache, **kw)
    return data, applier, applier.apply(data)


def _matches(result, n):
    return [[(m.glossary, m.term, m.start, m.end, m.excluded_by) for m in result.matches[i]]
            for i in range(n)]


def _edit_doc_lf(root: Path) -> None:
    path = root / "labeling_functions" / "doc_lfs.py"
    path.write_text(path.read_text().replace('"crash", "crashes"', '"crash", "crashes", "error"'))


@pytest.mark.parametrize("engine", ["local", "processes", "spawned processes"])
def test_re_apply_after_editing_a_doc_lf_reads_docs_and_gives_the_same_matrix(root, engine,
                                                                              monkeypatch):
    if engine == "spawned processes":  # as on macOS and Windows: workers reload the project
        monkeypatch.setattr(engines.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
        engine = "processes"
    data, applier, first = _apply(root, engine=engine, workers=2, chunk_size=4)
    assert applier.doc_cache is not None and first.docs_read == 0
    assert len(list(applier.doc_cache.folder.glob("*.npz"))) == 3  # one shard per chunk
    _edit_doc_lf(root)
    _, _, second = _apply(root, engine=engine, workers=2, chunk_size=4)
    assert second.computed["lower_crash"] == len(data)
    assert second.docs_read == len(data)
    _, _, fresh = _apply(root, cache=False)
    assert (second.matrix.votes == fresh.matrix.votes).all()
    assert second.term_hits.equals(fresh.term_hits)
    assert (second.matrix.column("lower_crash") >= 0).sum() > \
        (first.matrix.column("lower_crash") >= 0).sum()  # "error" votes too now


@pytest.mark.parametrize("edited", ["lower_crash", "billing_matches"])
def test_a_re_apply_matches_only_items_whose_hits_the_cache_lacks(root, edited, monkeypatch):
    """Editing an LF that reads Docs but no matches matches no item again (every item's
    hits are in the vote cache); one that reads matches has them matched before it runs. Votes, hit
    tables and the review's matches stay those of a fresh apply."""
    data, _, _ = _apply(root, chunk_size=4)
    path = root / "labeling_functions" / "doc_lfs.py"
    if edited == "lower_crash":
        _edit_doc_lf(root)
    else:
        path.write_text(path.read_text().replace('item.matched(label="billing")',
                                                 'item.matched(label="billing") or False'))
    calls = []
    real = GlossaryMatcher.match

    def counting(self, doc, text=None):
        calls.append(doc.text)
        return real(self, doc, text)

    monkeypatch.setattr(GlossaryMatcher, "match", counting)
    _, _, second = _apply(root, chunk_size=4)
    assert second.computed[edited] == len(data)
    assert len(calls) == (0 if edited == "lower_crash" else len(data))
    monkeypatch.undo()
    _, _, fresh = _apply(root, cache=False)
    assert (second.matrix.votes == fresh.matrix.votes).all()
    assert second.term_hits.equals(fresh.term_hits)
    assert second.phrase_hits.equals(fresh.phrase_hits)
    assert _matches(second, len(data)) == _matches(fresh, len(data))
    _, applier, third = _apply(root, chunk_size=4)  # every item's matches, asked in turn
    batches = []
    real_texts = applier.runner.match_texts
    monkeypatch.setattr(applier.runner, "match_texts",
                        lambda texts: batches.append(len(texts)) or real_texts(texts))
    assert list(third.matches) == list(fresh.matches)
    assert batches == [len(data)]  # the items not kept, in one batch: not one by one


def test_votes_matches_and_term_hits_are_the_same_with_and_without_the_doc_cache(root):
    """Glossaries in lemma, lowercase and exact mode, and LFs reading lemmas and lower."""
    data, _, plain = _apply(root, cache=False)
    _, _, stored = _apply(root, doc_cache=True)
    # votes come from the vote cache now; drop it so every column is computed from Docs
    votes = root / ".labelwright" / "cache" / "votes"
    for path in votes.rglob("*"):
        if path.is_file():
            path.unlink()
    _, _, read = _apply(root, doc_cache=True)
    assert read.docs_read == len(data) and set(read.computed.values()) == {len(data)}
    for result in (stored, read):
        assert (result.matrix.votes == plain.matrix.votes).all()
        assert result.term_hits.equals(plain.term_hits)
        assert _matches(result, len(data)) == _matches(plain, len(data))
    hits = plain.term_hits.set_index("term")["hits"]
    assert hits["invoice"] >= 2 and hits["crash"] >= 2 and hits["Login"] == 1
    assert plain.matrix.column("lemma_refund").tolist().count(0) == 3  # refund, Refunded x2


def test_match_texts_reads_cached_docs(root):
    data, applier, _ = _apply(root)
    runner = applier.runner
    before = runner.doc_cache.read
    found = runner.match_texts(list(data.texts))
    assert runner.doc_cache.read - before == len(data)
    matcher = GlossaryMatcher(applier.glossaries, applier.nlp)
    assert found == [matcher.match(doc) for doc in applier.nlp.pipe(data.texts)]


def test_a_changed_text_is_parsed_and_the_others_read(root):
    _apply(root)
    _edit_doc_lf(root)
    rows = [dict(r) for r in ROWS]
    rows[1]["text"] = "The app crashes when I log in, error 500"
    data = dataset_from_frame(pd.DataFrame(rows), id_column="id", text_column="text",
                              gold_column="gold", labels=("billing", "technical"))
    _, _, result = _apply(root, dataset=data)
    assert result.docs_read == len(data) - 1
    _, _, fresh = _apply(root, cache=False, dataset=data)
    assert (result.matrix.votes == fresh.matrix.votes).all()


def test_no_vote_cache_no_doc_cache_and_dask_uses_none(root):
    project = load_project(root)
    assert _apply(root, cache=False)[1].doc_cache is None
    assert _apply(root, doc_cache=False)[1].doc_cache is None
    dask = Applier(project.lfs, project.labels, nlp=project.nlp, glossaries=project.glossaries,
                   engine="dask", cache_dir=root / ".labelwright" / "cache")
    assert dask.doc_cache is None and dask.runner.doc_cache is None
    with pytest.raises(ConfigError, match="doc_cache 'yes'; valid: \"auto\""):
        _apply(root, doc_cache="yes")


def test_the_project_config_switch_reaches_the_applier(make_project):
    for value, on in (('"auto"', True), ("true", True), ("false", False)):
        root = make_project(lfs={"doc_lfs": DOC_LFS}, extra=f"\n[apply]\ndoc_cache = {value}\n")
        project = load_project(root)
        assert project.config.apply.doc_cache == {"true": True, "false": False}.get(value, "auto")
        assert (project.applier(engine="local").doc_cache is not None) is on
        assert project.applier(engine="local", cache=False).doc_cache is None  # --no-cache


def test_auto_needs_components_beyond_the_tokenizer(nlp):
    tokenizer_only = load_pipeline(NLPConfig(lemmatizer=False))
    assert doc_cache_wanted("auto", nlp) is True
    assert doc_cache_wanted("auto", tokenizer_only) is False
    assert doc_cache_wanted(True, tokenizer_only) is True
    assert doc_cache_wanted(False, nlp) is False


@pytest.mark.parametrize("value", ["yes", 1, "on"])
def test_a_bad_doc_cache_setting_names_the_valid_ones(value):
    raw = {"project": {"labels": ["a", "b"]}, "data": {"path": "items.csv"},
           "apply": {"doc_cache": value}}
    with pytest.raises(ConfigError, match=r'/p/labelwright.toml: \[apply\] doc_cache .*valid: '
                                          r'"auto" .*true, false'):
        parse_config(raw, root=Path("/p"), file=Path("/p/labelwright.toml"))


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_a_streamed_file_leaves_no_docs_in_the_cache(make_project, tmp_path, engine):
    """apply_file used the project's Doc cache: a file streamed because it is larger than
    memory left ~160 bytes a row of parsed Docs on disk, which nothing reads again."""
    from labelwright.apply import apply_file

    root = make_project(lfs={"doc_lfs": DOC_LFS})
    applier = load_project(root).applier(engine=engine)
    assert applier.doc_cache is not None
    path = tmp_path / "big.csv"
    path.write_text("id,text\n" + "".join(f"{i},ticket number {i} about billing\n"
                                          for i in range(50)), encoding="utf-8")
    result = apply_file(applier, path, tmp_path / "matrix.parquet")
    assert result.rows == 50
    assert not list(applier.doc_cache.folder.rglob("*.npz"))
