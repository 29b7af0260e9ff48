"""LFs that read tags, the parse, sentences or entities the pipeline does not fill: check
and run name each one, where it is, what it reads and what fills it."""

import re

import pytest
import spacy

from labelwright import check_project, run_project

FIELD_LFS = """\
from labelwright import ABSTAIN, labeling_function


def _entities(doc):
    return [e.label_ for e in doc.ents]


@labeling_function()
def verb_crash(item):
    return "technical" if any(t.pos_ == "VERB" for t in item.doc) else ABSTAIN


@labeling_function()
def questions(item):
    return "billing" if any(s.text.endswith("?") for s in item.doc.sents) else ABSTAIN


@labeling_function()
def money(item):
    return "billing" if "MONEY" in _entities(item.doc) else ABSTAIN


@labeling_function()
def chunks(item):
    return "billing" if any("refund" in c.text for c in item.doc.noun_chunks) else ABSTAIN


@labeling_function()
def plain_words(item):
    return "technical" if any(t.lower_ == "crash" for t in item.doc) else ABSTAIN
"""


def _field_warnings(warnings):
    return [w for w in warnings if w.startswith("LF(s) ") and " read " in w
            and "read token.lemma_" not in w]


def test_check_and_run_name_lfs_reading_fields_the_default_pipeline_leaves_empty(
        make_project):
    """With spacy.blank + lookup lemmas, LFs reading pos_, doc.ents or doc.sents never
    voted (or raised) and check said ok."""
    root = make_project(lfs={"fields": FIELD_LFS})
    warned = _field_warnings(check_project(root).warnings)
    by_kind = {kind: [w for w in warned if f"read {kind}," in w]
               for kind in ("part-of-speech tags", "sentence boundaries", "named entities",
                            "a dependency parse")}
    assert all(len(found) == 1 for found in by_kind.values()), warned
    pos = by_kind["part-of-speech tags"][0]
    assert re.search(r"verb_crash \(\S+fields\.py:\d+: token\.pos_\)", pos), pos
    assert "the default pipeline (spacy.blank('en') with lookup lemmas)" in pos
    assert '[nlp] pipeline (e.g. pipeline = "en_core_web_sm"' in pos
    sents = by_kind["sentence boundaries"][0]
    assert "questions (" in sents and "doc.sents)" in sents
    assert "set [nlp] sentencizer = true" in sents
    assert "money (" in by_kind["named entities"][0]  # read in a helper
    assert "chunks (" in by_kind["a dependency parse"][0]
    assert not [w for w in warned if "plain_words" in w]
    result = run_project(root, report=False)
    assert _field_warnings(result.dataset.warnings) == warned


def test_no_warning_for_fields_a_named_pipeline_fills(make_project, tmp_path):
    """A pipeline folder with a sentencizer and an entity_ruler fills sentences and
    entities: only the tags it lacks are warned of."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "MONEY", "pattern": "$20"}])
    nlp.to_disk(tmp_path / "pipe")
    root = make_project(lfs={"fields": FIELD_LFS},
                        extra=f'\n[nlp]\npipeline = "{tmp_path / "pipe"}"\n')
    warned = _field_warnings(check_project(root).warnings)
    assert [w.split(" read ")[1].split(",")[0] for w in warned] == [
        "part-of-speech tags", "a dependency parse"], warned
    assert "components: sentencizer, entity_ruler" in warned[0]


def test_the_sentencizer_setting_gives_sentences(make_project):
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline, pipeline_fingerprint

    with_it = load_pipeline(NLPConfig(sentencizer=True))
    assert "sentencizer" in with_it.pipe_names
    assert [s.text for s in with_it("It broke. Why? Fix it!").sents] == ["It broke.", "Why?",
                                                                          "Fix it!"]
    # another pipeline: the vote and Doc caches keyed by it do not mix the two
    assert pipeline_fingerprint(with_it) != pipeline_fingerprint(load_pipeline(NLPConfig()))
    root = make_project(lfs={"fields": FIELD_LFS}, extra="\n[nlp]\nsentencizer = true\n")
    report = check_project(root)
    assert not [w for w in report.warnings if "questions" in w], report.warnings
    assert [w for w in _field_warnings(report.warnings) if "read sentence boundaries" in w] == []


def test_the_sentencizer_setting_is_read_and_typed(make_project):
    from labelwright.config import load_config
    from labelwright.errors import ConfigError

    assert load_config(make_project(extra="\n[nlp]\nsentencizer = true\n")).nlp.sentencizer
    assert not load_config(make_project()).nlp.sentencizer
    with pytest.raises(ConfigError, match="sentencizer"):
        load_config(make_project(extra='\n[nlp]\nsentencizer = "yes"\n'))


NOT_PIPELINE_LFS = """\
from labelwright import ABSTAIN, labeling_function


class Node:
    def __init__(self):
        self.children = []


class Table:
    def head(self, n):
        return ["refund", "charged"][:n]


_TABLE = Table()


@labeling_function()
def column_tag(item):
    return "billing" if item.tag == "promo" and len(item.doc) else ABSTAIN


@labeling_function()
def column_sent(item):
    return "billing" if item.sent and len(item.doc) > 3 else ABSTAIN


@labeling_function()
def own_tree(item):
    return "billing" if len(Node().children) + len(item.doc) > 3 else ABSTAIN


@labeling_function()
def table_words(item):
    return "billing" if set(_TABLE.head(2)) & {t.lower_ for t in item.doc} else ABSTAIN


@labeling_function()
def guarded(item):
    doc = item.doc
    if doc.has_annotation("SENT_START"):
        return "billing" if len(list(doc.sents)) > 1 else ABSTAIN
    return "billing" if "?" in doc.text else ABSTAIN


@labeling_function()
def tag_or_words(item):
    if any(t.tag_ == "NN" for t in item.doc):
        return "technical"
    return "billing" if "refund" in item.text.lower() else ABSTAIN
"""


def test_item_fields_methods_and_guarded_lfs_are_not_pipeline_readers(make_project):
    """A data column named tag or sent, an object's own .children, a table's .head(...) and
    an LF asking doc.has_annotation first were each said to "never vote" though they voted;
    an LF reading tag_ that votes otherwise only may read it (as own_tree, whose .children
    could be a token's for all its code says)."""
    rows = [{"id": f"t{i}", "text": text, "tag": "promo", "sent": "2024-01-01", "gold": ""}
            for i, text in enumerate(["Please refund my order now?", "I was charged twice.",
                                      "Refund it. Fast."])]
    root = make_project(lfs={"mixed": NOT_PIPELINE_LFS}, rows=rows)
    report = check_project(root)
    warned = _field_warnings(report.warnings)
    for name in ("column_tag", "column_sent", "table_words", "guarded"):
        assert not [w for w in warned if f"{name} (" in w], warned
    assert not [w for w in warned if "never vote" in w], warned
    assert [w.split(" (")[0] for w in warned] == ["LF(s) tag_or_words", "LF(s) own_tree"]
    assert " may read fine-grained tags, which the default pipeline" in warned[0]
    assert "token.children) may read a dependency parse, which" in warned[1]
    run_warned = _field_warnings(run_project(root, report=False).dataset.warnings)
    assert run_warned == warned


SNORKEL_NLP_LFS = """\
from snorkel.labeling import labeling_function
from snorkel.labeling.lf.nlp import nlp_labeling_function


@nlp_labeling_function(language="blank:en")
def person(x):
    return 0 if any(e.label_ == "PERSON" for e in x.doc.ents) else -1


@nlp_labeling_function(language="blank:en")
def url_token(x):
    return 1 if any(t.like_url for t in x.doc) else -1


@labeling_function()
def plain_entities(x):
    return 0 if x.doc.ents else -1
"""


def test_snorkel_lfs_reading_fields_their_pipeline_leaves_empty_are_named(make_project,
                                                                          monkeypatch):
    """A snorkel LF was checked by labelwright's adapter's code, which reads nothing, so
    one reading doc.ents under a blank pipeline got no warning; an nlp_labeling_function's
    Doc is snorkel's own pipeline's, which is the one to check."""
    from snorkel.labeling.lf.nlp import NLPLabelingFunction

    # snorkel keeps one pipeline per process for its nlp LFs: start with none (set first
    # so that the teardown restores what was there, or nothing)
    monkeypatch.setattr(NLPLabelingFunction, "_nlp_config", None, raising=False)
    monkeypatch.delattr(NLPLabelingFunction, "_nlp_config")
    root = make_project(lfs={"snk": SNORKEL_NLP_LFS})
    warned = _field_warnings(check_project(root).warnings)
    ours, theirs = sorted(warned, key=lambda w: "snorkel's pipeline" in w)
    assert re.search(r"^LF\(s\) plain_entities \(\S+snk\.py:\d+: doc\.ents\) read named "
                     r"entities, but the default pipeline \(spacy\.blank\('en'\)", ours), ours
    assert re.search(r"^LF\(s\) person \(\S+snk\.py:5: doc\.ents\) read named entities, but "
                     r"snorkel's pipeline for nlp_labeling_function \(language='blank:en', "
                     r"components: none\) has no ner or entity_ruler", theirs), theirs
    assert "pass nlp_labeling_function(language=...) an installed pipeline that has one " \
           '(e.g. language="en_core_web_sm"' in theirs
    assert "url_token" not in " ".join(warned)


SNORKEL_SENTENCE_LF = """\
from pathlib import Path

from snorkel.labeling.lf.nlp import nlp_labeling_function


@nlp_labeling_function(language=LANGUAGE)
def many_sentences(x):
    return 0 if len(list(x.doc.sents)) > 1 else -1
"""


def test_a_snorkel_lf_reading_sentences_is_told_the_way_with_no_download(make_project,
                                                                        monkeypatch,
                                                                        tmp_path):
    """The warning said only to download en_core_web_sm, which a machine without
    internet access cannot: it names the saved blank pipeline with the sentencizer, in
    the module's folder, too, and following it silences the warning."""
    from snorkel.labeling.lf.nlp import NLPLabelingFunction

    monkeypatch.setattr(NLPLabelingFunction, "_nlp_config", None, raising=False)
    monkeypatch.delattr(NLPLabelingFunction, "_nlp_config")
    root = make_project(lfs={"sents": SNORKEL_SENTENCE_LF.replace("LANGUAGE", "'blank:en'")})
    [said] = _field_warnings(check_project(root).warnings)
    assert "read sentence boundaries" in said and "en_core_web_sm" in said, said
    assert ("or, with no download, save spacy.blank('en') with nlp.add_pipe(\"sentencizer\") "
            "to a folder beside the module and pass language=str(Path(__file__).parent / "
            "\"en_sents\") (README, \"Writing a labeling function\"") in said, said
    # as the warning says: the module names the saved folder, and sentences are there
    monkeypatch.delattr(NLPLabelingFunction, "_nlp_config")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    root = make_project(lfs={"sents": SNORKEL_SENTENCE_LF.replace(
        "LANGUAGE", 'str(Path(__file__).parent / "en_sents")')})
    nlp.to_disk(root / "labeling_functions" / "en_sents")
    checked = check_project(root)
    assert not checked.problems and not checked.mostly_failing, checked.problems
    assert not _field_warnings(checked.warnings), checked.warnings


SPACY_PREPROCESSOR_LFS = """\
from snorkel.labeling import labeling_function
from snorkel.preprocess.nlp import SpacyPreprocessor

spacy = SpacyPreprocessor(text_field="text", doc_field="doc", language="blank:en")


@labeling_function(pre=[spacy])
def person(x):
    return 0 if any(e.label_ == "PERSON" for e in x.doc.ents) else -1
"""


def test_an_lf_given_snorkels_spacy_preprocessor_is_told_to_pass_it_language(make_project):
    """An LF given a SpacyPreprocessor in pre= was said to read the pipeline of
    nlp_labeling_function, with language='None', and told to pass that decorator a
    language=: the SpacyPreprocessor is the one that takes it."""
    root = make_project(lfs={"pre": SPACY_PREPROCESSOR_LFS})
    [said] = _field_warnings(check_project(root).warnings)
    assert "read named entities, but snorkel's pipeline for SpacyPreprocessor (components: " \
           "none) has no ner or entity_ruler" in said, said
    assert "pass SpacyPreprocessor(language=...) an installed pipeline" in said, said
    assert "None" not in said and "nlp_labeling_function" not in said, said


def test_the_pipeline_checks_take_a_snorkel_lfs_own_pipeline_only_where_it_parses_its_doc():
    """One test says an LF parses its own Doc: a preprocessor with a pipeline that fills
    another field leaves the LF to the project's pipeline, for its checks as for what
    labelwright parses for it."""
    import types

    from labelwright.lfs.core import LabelingFunction, parses_its_own_doc
    from labelwright.lfs.pipeline_reads import snorkel_pipeline

    blank = spacy.blank("en")

    def lf_with(field):
        pre = types.SimpleNamespace(_nlp=blank, mapped_field_names={field: field})
        return LabelingFunction("own", lambda item: None,
                                snorkel=types.SimpleNamespace(_pre=[pre]))

    parsing = lf_with("doc")
    assert parses_its_own_doc(parsing) and snorkel_pipeline(parsing)[0] is blank
    other = lf_with("parsed")
    assert not parses_its_own_doc(other) and snorkel_pipeline(other) is None
