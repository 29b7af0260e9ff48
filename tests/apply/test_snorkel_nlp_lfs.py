"""Snorkel's ``@nlp_labeling_function`` LFs parse with snorkel's own spaCy pipeline (their
``language=``): applying one needs no pipeline of labelwright's, and its votes and cache key
are those of its own pipeline."""

from __future__ import annotations

import pandas as pd
import pytest

from labelwright.apply import Applier
from labelwright.config import NLPConfig
from labelwright.data.dataset import dataset_from_frame
from labelwright.nlp import load_pipeline

spacy = pytest.importorskip("spacy")
nlp_lf_module = pytest.importorskip("snorkel.labeling.lf.nlp")

LABELS = ("short", "long")
TEXTS = ["ok thanks", "the app crashed when I opened the settings page again",
         "refund please", "nothing works, not the login, not the export, not the search"]


@pytest.fixture
def nlp_lf(monkeypatch):
    """An ``@nlp_labeling_function`` LF on spaCy's blank English pipeline (snorkel keeps
    one pipeline per process for them: the test starts with none and leaves none)."""
    monkeypatch.setattr(nlp_lf_module.NLPLabelingFunction, "_nlp_config", None, raising=False)
    monkeypatch.delattr(nlp_lf_module.NLPLabelingFunction, "_nlp_config")

    @nlp_lf_module.nlp_labeling_function(language="blank:en")
    def few_tokens(x):
        return 0 if len(x.doc) < 4 else -1

    return few_tokens


def _dataset():
    frame = pd.DataFrame({"id": [f"t{i}" for i in range(len(TEXTS))], "text": TEXTS})
    return dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)


def _expected():
    blank = spacy.blank("en")
    return [0 if len(blank(text)) < 4 else -1 for text in TEXTS]


def test_an_nlp_lf_applies_without_a_pipeline_of_labelwrights(nlp_lf):
    result = Applier([nlp_lf], LABELS).apply(_dataset())
    assert not result.failures
    assert result.matrix.votes[:, 0].tolist() == _expected()
    assert not result.parsed  # its own preprocessor parsed: labelwright parsed nothing


def test_an_nlp_lfs_key_holds_its_own_pipeline(nlp_lf, tmp_path, monkeypatch):
    first = Applier([nlp_lf], LABELS, cache_dir=tmp_path).apply(_dataset())
    assert first.computed == {"few_tokens": len(TEXTS)}
    assert Applier([nlp_lf], LABELS, cache_dir=tmp_path).apply(_dataset()).computed \
        == {"few_tokens": 0}
    # the same LF on another pipeline: one whose tokenizer cuts the short texts' words
    monkeypatch.delattr(nlp_lf_module.NLPLabelingFunction, "_nlp_config")

    @nlp_lf_module.nlp_labeling_function(language="blank:en")
    def few_tokens(x):
        return 0 if len(x.doc) < 4 else -1

    own = few_tokens._pre[0]._nlp
    for word, pieces in (("ok", ["o", "k"]), ("thanks", ["than", "ks"]),
                         ("refund", ["re", "fu", "nd"])):
        own.tokenizer.add_special_case(word, [{"ORTH": piece} for piece in pieces])
    again = Applier([few_tokens], LABELS, cache_dir=tmp_path).apply(_dataset())
    assert again.computed == {"few_tokens": len(TEXTS)}
    assert again.matrix.votes[:, 0].tolist() == [-1, -1, -1, -1]  # 4 tokens or more each


def test_an_nlp_lf_votes_alike_with_and_without_labelwrights_pipeline(nlp_lf):
    given = Applier([nlp_lf], LABELS, nlp=load_pipeline(NLPConfig())).apply(_dataset())
    assert given.matrix.votes[:, 0].tolist() == _expected()
