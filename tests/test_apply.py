import logging
import re

import numpy as np
import pandas as pd
import pytest
from snorkel.labeling import labeling_function as snorkel_lf

from labelwright import ABSTAIN, labeling_function
from labelwright.apply import Applier
from labelwright.data.dataset import dataset_from_frame
from labelwright.errors import GlossaryError, LFError, LFFailure
from labelwright.glossaries.core import Glossary, Term, glossary_lf
from labelwright.project import apply_project, load_project, run_project
from ticket_data import TICKET_LFS

LABELS = ("billing", "technical")


def dataset(texts, **fields):
    frame = pd.DataFrame({"id": [f"i{k}" for k in range(len(texts))], "text": texts, **fields})
    return dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)


@labeling_function()
def refund(item):
    return "billing" if "refund" in item.text else ABSTAIN


@labeling_function()
def crash(item):
    return 1 if "crash" in item.text else None


@labeling_function()
def lemma_charge(item):
    return "billing" if any(t.lemma_ == "charge" for t in item.doc) else ABSTAIN


class CountingPipe:
    """Wraps a pipeline and counts the texts parsed through pipe() and __call__."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.piped = []
        self.called = []

    def pipe(self, texts, **kw):
        for doc in self.nlp.pipe(texts, **kw):
            self.piped.append(doc.text)
            yield doc

    def __call__(self, text):
        self.called.append(text)
        return self.nlp(text)

    def __getattr__(self, name):
        return getattr(self.nlp, name)


def test_matrix_values_shape_dtype():
    result = Applier([refund, crash], LABELS).apply(
        dataset(["refund now", "crash", "refund after crash", "hello"]))
    m = result.matrix
    assert m.shape == (4, 2)
    assert m.votes.dtype == np.int8
    assert m.votes.tolist() == [[0, -1], [-1, 1], [0, 1], [-1, -1]]
    assert m.lf_names == ["refund", "crash"]
    assert m.item_ids == ["i0", "i1", "i2", "i3"]
    assert m.labels == LABELS
    assert result.failures == {} and result.parsed is False


def test_batches_give_same_matrix():
    texts = [f"refund {k}" if k % 3 else f"crash {k}" for k in range(10)]
    whole = Applier([refund, crash], LABELS, batch_size=256).apply(dataset(texts))
    small = Applier([refund, crash], LABELS, batch_size=3).apply(dataset(texts))
    np.testing.assert_array_equal(whole.matrix.votes, small.matrix.votes)


def test_doc_parsed_once_per_item_for_all_lfs(nlp):
    @labeling_function()
    def lemma_refund(item):
        return "billing" if any(t.lemma_ == "refund" for t in item.doc) else ABSTAIN

    texts = ["they charged me", "Refunded?", "nothing", "charges and refunds"]
    counter = CountingPipe(nlp)
    g = Glossary("money", "billing", "lemma", (Term("invoice"),))
    applier = Applier([lemma_charge, lemma_refund, glossary_lf(g)], LABELS, nlp=counter,
                      glossaries=[g], batch_size=2)
    counter.piped.clear()  # the matcher parsed its terms while being built
    result = applier.apply(dataset(texts))
    assert counter.piped == texts
    assert counter.called == []
    assert result.parsed is True
    assert result.matrix.votes.tolist() == [[0, -1, -1], [-1, 0, -1], [-1, -1, -1], [0, 0, -1]]


def test_no_parse_when_nothing_needs_a_doc(nlp):
    counter = CountingPipe(nlp)
    result = Applier([refund, crash], LABELS, nlp=counter).apply(dataset(["refund", "x"]))
    assert counter.piped == [] and counter.called == []
    assert result.parsed is False


def test_undeclared_doc_reader_still_gets_a_doc(nlp):
    @labeling_function(doc=False)
    def sneaky(item):
        return "billing" if item.doc[0].lemma_ == "charge" else ABSTAIN

    result = Applier([sneaky], LABELS, nlp=nlp).apply(dataset(["charged", "no"]))
    assert result.matrix.votes[:, 0].tolist() == [0, -1]


def test_doc_needed_without_pipeline():
    with pytest.raises(ValueError, match=r"no spaCy pipeline was given \(nlp=\), but LF "
                                         r"lemma_charge \(.*\) reads item.doc"):
        Applier([lemma_charge], LABELS)


def test_no_lfs():
    with pytest.raises(ValueError, match="no labeling functions"):
        Applier([], LABELS)


@labeling_function()
def fragile(item):
    if "boom" in item.text:
        raise KeyError("kaboom")
    return "technical"


def test_raising_lf_is_counted_and_run_goes_on():
    texts = [f"boom {k}" if k % 2 else f"fine {k}" for k in range(16)]
    result = Applier([fragile, refund], LABELS).apply(dataset(texts))
    failure = result.failures["fragile"]
    assert failure.count == 8
    assert failure.item_ids == ["i1", "i3", "i5", "i7", "i9"]
    assert "KeyError: 'kaboom'" in failure.traceback
    assert 'raise KeyError("kaboom")' in failure.traceback
    assert list(result.failures) == ["fragile"]
    assert result.matrix.votes[:, 0].tolist() == [1, -1] * 8


def test_fail_fast_names_lf_and_item():
    applier = Applier([fragile], LABELS, fail_fast=True)
    with pytest.raises(LFFailure) as info:
        applier.apply(dataset(["ok", "boom"]))
    message = str(info.value)
    assert "'fragile'" in message and "'i1'" in message and "KeyError" in message
    assert isinstance(info.value.__cause__, KeyError)


def test_non_label_vote_stops_the_run():
    @labeling_function()
    def wrong(item):
        return "sales" if item.id == "i1" else ABSTAIN

    with pytest.raises(LFError) as info:
        Applier([wrong], LABELS).apply(dataset(["a", "b"]))
    message = str(info.value)
    assert "'wrong'" in message and "'i1'" in message and "returned 'sales'" in message


def test_fields_reach_lfs():
    @labeling_function()
    def by_plan(item):
        assert item["plan"] == item.plan == item.fields["plan"]
        return "billing" if item.plan == "pro" and item.seats > 1 else ABSTAIN

    result = Applier([by_plan], LABELS).apply(
        dataset(["a", "b", "c"], plan=["pro", "free", "pro"], seats=[2, 5, 1]))
    assert result.failures == {}
    assert result.matrix.votes[:, 0].tolist() == [0, -1, -1]


def test_unknown_attribute_lists_fields():
    @labeling_function()
    def typo(item):
        return item.plann

    result = Applier([typo], LABELS).apply(dataset(["a"], plan=["pro"], seats=[1]))
    tb = result.failures["typo"].traceback
    assert ("item 'i0' has no field 'plann'; did you mean 'plan'? available: id, text, doc, "
            "matches, plan, seats") in tb


def test_a_field_in_another_case_is_suggested():
    """``item.Plan`` listed the fields, but did not point at ``plan``."""
    @labeling_function()
    def capital(item):
        return item.Plan

    result = Applier([capital], LABELS).apply(dataset(["a"], plan=["pro"], seats=[1]))
    assert "has no field 'Plan'; did you mean 'plan'? available:" in \
        result.failures["capital"].traceback


def test_glossary_matches_kept_per_item(nlp):
    g = Glossary("money", "billing", "lowercase", (Term("refund", note="n"),),
                 exclusions=("no",))
    result = Applier([glossary_lf(g)], LABELS, nlp=nlp, glossaries=[g]).apply(
        dataset(["refund", "no refund", "hello"]))
    assert [[m.excluded_by for m in ms] for ms in result.matches] == [[None], ["no"], []]
    assert result.matrix.votes[:, 0].tolist() == [0, -1, -1]


@pytest.mark.parametrize("value", [1.0, 0.0, np.float64(1.0), np.bool_(True), np.bool_(False),
                                   True, False])
def test_float_or_bool_vote_stops_the_run(value):
    # 1.0 == 1 and hash(np.True_) == hash(1): the runner's dict lookup must not take them
    @labeling_function()
    def floaty(item):
        return value if item.id == "i1" else ABSTAIN

    with pytest.raises(LFError) as info:
        Applier([floaty], LABELS).apply(dataset(["a", "b"]))
    # at its return, two lines below the decorator
    assert f"'floaty' ({floaty.file}:{floaty.line + 2}) returned {value!r} for item 'i1', " \
           "which is not a label" in str(info.value)


def test_matched_takes_a_name_in_another_unicode_normal_form(nlp):
    """A decomposed "café" (an editor's, or an LF file's) was "not a project label" though
    the config's composed "café" is the same label, as everywhere else."""
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    labels = (composed, "other")
    g = Glossary(f"th{composed}", composed, "lowercase", (Term("espresso"),))

    @labeling_function()
    def by_label(item):
        return composed if item.matched(label=decomposed) else ABSTAIN

    @labeling_function()
    def by_glossary(item):
        return composed if item.matched(f"th{decomposed}") else ABSTAIN

    frame = pd.DataFrame({"id": ["i0", "i1"], "text": ["an espresso", "tea"]})
    data = dataset_from_frame(frame, id_column="id", text_column="text", labels=labels)
    result = Applier([by_label, by_glossary], labels, nlp=nlp, glossaries=[g]).apply(data)
    assert not result.failures
    assert result.matrix.votes.tolist() == [[0, 0], [-1, -1]]


def test_numpy_int_and_str_votes_are_labels():
    @labeling_function()
    def numpy_votes(item):
        return {"i0": np.int64(1), "i1": np.str_("billing"), "i2": np.int8(-1)}[item.id]

    result = Applier([numpy_votes], LABELS).apply(dataset(["a", "b", "c"]))
    assert result.matrix.votes[:, 0].tolist() == [1, 0, -1]


def test_matched_with_unknown_glossary_or_label_raises_listing_valid_ones(nlp):
    g = Glossary("money", "billing", "lowercase", (Term("refund"),))

    @labeling_function()
    def good(item):
        return "billing" if item.matched("money") and item.matched(label="billing") else ABSTAIN

    @labeling_function()
    def typo_glossary(item):
        return "billing" if item.matched("mony") else ABSTAIN

    @labeling_function()
    def typo_label(item):
        return "billing" if item.matched(label="biling") else ABSTAIN

    @labeling_function()
    def label_as_glossary(item):
        return "billing" if item.matched("billing") else ABSTAIN

    result = Applier([good, typo_glossary, typo_label, label_as_glossary], LABELS, nlp=nlp,
                     glossaries=[g]).apply(dataset(["refund", "hello"]))
    assert result.matrix.votes[:, 0].tolist() == [0, -1]
    assert list(result.failures) == ["typo_glossary", "typo_label", "label_as_glossary"]
    assert all(f.count == 2 for f in result.failures.values())
    assert ("item.matched('mony'): no glossary is named 'mony'; did you mean 'money'? "
            "glossaries: money" in result.failures["typo_glossary"].traceback)
    assert ("item.matched(label='biling'): 'biling' is not a project label; did you mean "
            "'billing'? labels: billing, technical" in result.failures["typo_label"].traceback)
    assert ("to filter by label, use item.matched(label='billing')"
            in result.failures["label_as_glossary"].traceback)
    with pytest.raises(LFFailure, match="no glossary is named 'mony'"):
        Applier([typo_glossary], LABELS, nlp=nlp, glossaries=[g],
                fail_fast=True).apply(dataset(["refund"]))


def test_a_missing_field_is_none_for_lfs_in_every_format(tmp_path):
    """Missing values reached LFs as NaN, which is truthy: `if item.note:` fired on every
    item without a note."""
    import json

    from labelwright import ABSTAIN, labeling_function
    from labelwright.apply import Applier
    from labelwright.config import DataConfig
    from labelwright.data.dataset import read_dataset

    @labeling_function()
    def noted(item):
        return "a" if item.note else ABSTAIN

    rows = [{"id": "1", "text": "x", "note": "urgent", "n": 1},
            {"id": "2", "text": "y", "note": None, "n": None}]
    csv_path = tmp_path / "d.csv"
    csv_path.write_text("id,text,note,n\n1,x,urgent,1\n2,y,,\n")
    jsonl_path = tmp_path / "d.jsonl"
    jsonl_path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    parquet_path = tmp_path / "d.parquet"
    pd.DataFrame(rows).to_parquet(parquet_path)
    seen = []

    @labeling_function()
    def record(item):
        seen.append((item.note, item.n))
        return ABSTAIN

    for path in (csv_path, jsonl_path, parquet_path):
        data = read_dataset(DataConfig(path=path, gold_column=None), ("a", "b"))
        applied = Applier([noted, record], ("a", "b")).apply(data)
        assert applied.matrix.column("noted").tolist() == [0, -1], path
    assert [pair for pair in seen if pair[0] is None] == [(None, None)] * 3


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_a_text_past_a_named_pipelines_max_length_is_named(engine):
    """A pipeline named in [nlp] pipeline keeps spaCy's max_length: a longer text stopped
    the run with spaCy's E088 traceback, naming no item."""
    import spacy

    from labelwright.errors import DataError

    nlp = spacy.blank("en")
    nlp.max_length = 20  # as spacy.load gives it, 1,000,000, in miniature
    applier = Applier([lemma_charge], LABELS, nlp=nlp, engine=engine, chunk_size=2)
    with pytest.raises(DataError, match=r"item 'i2' \(row 3\): its text has 21 characters, "
                                        r"more than the spaCy pipeline's max_length \(20"):
        applier.apply(dataset(["a charge", "b", "x" * 21, "c"]))
    plain = Applier([refund], LABELS, nlp=nlp, engine=engine)  # no Doc needed: no limit
    assert plain.apply(dataset(["refund " * 5])).matrix.votes.tolist() == [[0]]


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_a_text_past_max_length_after_a_skipped_row_names_the_files_row(engine):
    """After a row skipped under bad_rows = "skip" (the file's 2nd), the item at the third
    position is the file's 4th row, as skipped_rows.jsonl counts rows."""
    import spacy

    from labelwright.data.bad_rows import SkippedRow
    from labelwright.errors import DataError

    nlp = spacy.blank("en")
    nlp.max_length = 20
    frame = pd.DataFrame({"id": ["i0", "i1", "i2"], "text": ["a charge", "b", "x" * 21]})
    data = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS,
                              bad_rows="skip", skipped_rows=[SkippedRow(2, 2, "i9", "bad")])
    applier = Applier([lemma_charge], LABELS, nlp=nlp, engine=engine, chunk_size=2)
    with pytest.raises(DataError, match=r"item 'i2' \(row 4\): its text has 21 characters"):
        applier.apply(data)


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_a_text_past_max_length_in_a_folder_of_parts_names_the_part(engine, tmp_path):
    """"item 'b2' (row 1)" named no part of a folder of parts."""
    import spacy

    from labelwright.config import DataConfig
    from labelwright.data.dataset import read_dataset
    from labelwright.errors import DataError

    nlp = spacy.blank("en")
    nlp.max_length = 20
    folder = tmp_path / "parts"
    folder.mkdir()
    pd.DataFrame({"id": ["a1", "a2"], "text": ["a charge", "b"]}).to_csv(
        folder / "p1.csv", index=False)
    pd.DataFrame({"id": ["b1", "b2"], "text": ["c", "x" * 21]}).to_csv(
        folder / "p2.csv", index=False)
    data = read_dataset(DataConfig(path=folder, gold_column=None), LABELS)
    applier = Applier([lemma_charge], LABELS, nlp=nlp, engine=engine, chunk_size=3)
    with pytest.raises(DataError, match=r"item 'b2' \(p2\.csv: row 2\): its text has 21 "):
        applier.apply(data)


def test_an_applier_without_a_pipeline_names_what_needs_one_and_how_to_give_it():
    """It said only "some LF or glossary needs a Doc", naming neither."""
    @labeling_function()
    def has_doc(x):
        return "billing" if x.doc else ABSTAIN

    with pytest.raises(ValueError, match=r"LF has_doc \(.*test_apply.py:\d+\) reads item.doc: "
                                         r"pass nlp=labelwright.nlp.load_pipeline\("):
        Applier([has_doc], LABELS)
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    result = Applier([has_doc], LABELS, nlp=load_pipeline(NLPConfig())).apply(
        dataset(["any words"]))
    assert result.matrix.votes.tolist() == [[LABELS.index("billing")]]


def test_chunk_hits_name_the_glossary_term_and_phrase_by_index(nlp, monkeypatch):
    from labelwright.apply.core import Chunk, ChunkRunner
    from labelwright.lfs.item import GlossaryMatch

    money = Glossary("money", "billing", "lowercase",
                     (Term("refund", synonyms=("chargeback", "money back")), Term("invoice")))
    tech = Glossary("tech", "technical", "lowercase", (Term("crash", synonyms=("freeze",)),))
    runner = ChunkRunner([glossary_lf(money), glossary_lf(tech)], LABELS, nlp=nlp,
                         glossaries=[money, tech])
    texts = ["a chargeback on my invoice", "a crash, then a freeze", "money back", "hello"]
    chunk = Chunk(0, [f"i{k}" for k in range(len(texts))], texts)
    hits = sorted(tuple(hit) for hit in runner.run(chunk).hits.tolist())
    assert hits == [(0, 0, 0, 1, False), (0, 0, 1, 0, False), (1, 1, 0, 0, False),
                    (1, 1, 0, 1, False), (2, 0, 0, 2, False)]

    # a match whose phrase its term does not list (one made by hand: phrase "") counts as
    # the term's own phrase, and the run goes on
    match = runner.matcher.match

    def with_a_bare_match(doc, text):
        found = match(doc, text)
        if text == "hello":
            found = [*found, GlossaryMatch("tech", "technical", "crash", "hello", 0, 1)]
        return found

    monkeypatch.setattr(runner.matcher, "match", with_a_bare_match)
    result = runner.run(chunk)
    assert sorted(tuple(hit) for hit in result.hits.tolist()) == [*hits, (3, 1, 0, 0, False)]
    assert result.votes[:, 1].tolist() == [-1, 1, -1, 1]


def test_a_hand_made_glossary_with_terms_as_text_is_matched(nlp):
    """Terms given as text, as a glossary file writes them, to the low-level Applier."""
    g = Glossary(name="money", label="billing", mode="lowercase", terms=["refund"])
    result = Applier([glossary_lf(g)], LABELS, nlp=nlp, glossaries=[g]).apply(
        dataset(["a refund", "hello"]))
    assert result.matrix.votes[:, 0].tolist() == [0, -1]
    assert result.term_hits[["term", "hits"]].values.tolist() == [["refund", 1]]


@pytest.mark.parametrize(("field", "value", "said"), [
    ("mode", "fuzzy", "mode 'fuzzy'; valid modes: exact, lowercase, lemma"),
    ("label", "biling", "label 'biling' is not a project label; did you mean 'billing'?"),
    ("terms", (), "the glossary has no terms"),
])
def test_a_hand_made_glossary_is_checked_where_the_applier_takes_it(nlp, field, value, said):
    spec = {"name": "money", "label": "billing", "mode": "lowercase",
            "terms": (Term("refund"),), field: value}
    g = Glossary(**spec)
    with pytest.raises(GlossaryError, match=r"<glossary 'money'>: " + re.escape(said)):
        Applier([glossary_lf(g)], LABELS, nlp=nlp, glossaries=[g])


@snorkel_lf()
def snorkel_refund(x):
    return 0 if "refund" in x.text else -1


@snorkel_lf(pre=[])
def snorkel_crash(x):
    return 1 if "crash" in x.text else -1


def test_snorkels_lfs_given_to_the_applier_run_as_labelwrights_do():
    """Applier(snorkel_lfs, labels) met their objects as labelwright's and failed on
    `lf.uses_doc`; the applier adapts them where it takes them."""
    items = dataset(["refund now", "crash", "refund after crash", "hello"])
    theirs = Applier([snorkel_refund, snorkel_crash], LABELS)
    ours = Applier([refund, crash], LABELS).apply(items)
    result = theirs.apply(items)
    assert [lf.kind for lf in theirs.lfs] == ["snorkel", "snorkel"]
    assert result.matrix.lf_names == ["snorkel_refund", "snorkel_crash"]
    np.testing.assert_array_equal(result.matrix.votes, ours.matrix.votes)


def test_an_applier_given_no_lf_names_its_place_in_the_list():
    def plain(item):
        return "billing"

    with pytest.raises(TypeError, match=r"Applier: lfs item 2 \(<function .*plain.*\) is no "
                                        r"labeling function; decorate it"):
        Applier([refund, plain], LABELS)


def test_a_dataframe_given_to_apply_says_how_to_make_a_dataset():
    """PandasLFApplier's habit, apply(df), failed on `'DataFrame' object has no attribute
    'fields'`."""
    frame = pd.DataFrame({"text": ["refund now"], "gold": ["billing"]})
    applier = Applier([refund], LABELS)
    with pytest.raises(TypeError, match=re.escape(
            "Applier.apply: dataset must be a labelwright Dataset, got pandas."
            "DataFrame (columns: text, gold); make one with labelwright.data."
            "dataset_from_frame(df, id_column=..., text_column=..., labels=['billing', "
            "'technical'])")) as raised:
        applier.apply(frame)
    assert "df.reset_index(names='id')" in str(raised.value)
    with pytest.raises(TypeError, match=r"got list; make one from a pandas DataFrame"):
        applier.apply(["refund now"])


def test_apply_project_given_a_dataframe_says_how_to_make_a_dataset(make_project):
    project = load_project(make_project())
    frame = pd.DataFrame({"id": ["a"], "text": ["refund now"]})
    with pytest.raises(TypeError, match=r"^apply_project: dataset must be a labelwright "
                                        r"Dataset, got pandas\.DataFrame \(columns: id, text\)"):
        apply_project(project, frame)


FAILING_LFS = '''
from labelwright import ABSTAIN, labeling_function

@labeling_function()
def always_raises(item):
    return {"billing": "billing"}[item.text]

@labeling_function()
def raises_on_crashes(item):
    if "crash" in item.text:
        raise ValueError("no crashes here")
    return ABSTAIN
'''


def _apply_logs(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "labelwright.project.apply"]


def test_an_lf_raising_on_every_item_is_a_logged_warning(make_project, caplog):
    """apply_project returned quietly: the failures were in applied.failures alone."""
    root = make_project(lfs={"tickets": TICKET_LFS, "failing": FAILING_LFS})
    project = load_project(root)
    with caplog.at_level(logging.WARNING, logger="labelwright.project.apply"):
        dataset, applied = apply_project(project)
    assert set(applied.failures) == {"always_raises", "raises_on_crashes"}
    location = next(lf.location for lf in project.lfs if lf.name == "always_raises")
    (said,) = _apply_logs(caplog)  # raises_on_crashes raised on some items only
    assert said.startswith(f"LF always_raises ({location}) raised on every one of the "
                           f"{len(dataset)} items, so its votes are all abstains; first error "
                           f"(item {dataset.ids[0]!r}, raised at ")
    assert "KeyError: 'Please refund my order, I was charged twice'" in said
    assert "applied.failures['always_raises'].traceback" in said
    # the same from run_project, which applies the LFs the same way
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="labelwright.project.apply"):
        run_project(project=project, report=False)
    assert [line.split(";")[0] for line in _apply_logs(caplog)] == [said.split(";")[0]]
    caplog.clear()
    with pytest.raises(LFFailure):  # fail_fast raises; nothing is logged besides
        apply_project(project, fail_fast=True)
    assert _apply_logs(caplog) == []


@pytest.mark.parametrize("command", ["analyze", "run"])
def test_the_cli_prints_a_failing_lf_once(make_project, cli, caplog, command):
    root = make_project(lfs={"tickets": TICKET_LFS, "failing": FAILING_LFS})
    with caplog.at_level(logging.WARNING, logger="labelwright.project.apply"):
        code, out = cli(command, "-p", str(root))
    assert code == 1, out  # an LF raising on every item
    assert out.count("LF 'always_raises' raised on 6 items") == 1
    assert _apply_logs(caplog) == []  # printed by the command, not logged as well
