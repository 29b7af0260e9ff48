"""A Doc of a text's keys is made only when a key is some pattern's first word
(:class:`~labelwright.glossaries.first_words.FirstWords`): most items hold no term, and
making that Doc was most of lemma-mode matching. The matches are those of matching every
text's keys."""

import pytest

from labelwright.config import NLPConfig
from labelwright.glossaries import first_words, matching
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.matching import GlossaryMatcher
from labelwright.nlp import load_pipeline


@pytest.fixture(scope="module")
def spanish():
    return load_pipeline(NLPConfig(lang="es"))


def _english():
    return [Glossary("money", "billing", "lemma",
                     (Term("refund", synonyms=("money back",)), Term("charge twice")),
                     exclusions=("not", "n't")),
            Glossary("words", "billing", "lowercase",
                     (Term("opt out", synonyms=("stop",)), Term("größe"), Term("didn't")),
                     exclusions=("never",))]


ENGLISH = ["Refunds please", "I was CHARGED TWICE", "did not get my money  back",
           "Please  OPT\nOUT", "STOP", "Die GRÖSSE", "I DIDN'T stop", "nothing here at all",
           "We never charge twice", "Hello there", ""]
SPANISH = ["la app esta rota", "La app está rota", "no esta rota", "nada que ver", "sé rota"]


def _all_matches(matcher, nlp, texts):
    return [[(m.glossary, m.phrase, m.start, m.end, m.excluded_by)
             for m in matcher.match(nlp(text), text)] for text in texts]


@pytest.mark.parametrize("lang", ["en", "es"])
def test_matches_are_those_of_a_keys_doc_for_every_text(nlp, spanish, monkeypatch, lang):
    """Lemma and lowercase mode, capitals, phrases across a double space or a line break
    (the keys route), a word that folds to more ("GRÖSSE"), exclusions, and (Spanish,
    ``accents: ignore``) patterns with marks that respelling adds: the same matches as
    when every text's keys are matched."""
    if lang == "en":
        pipeline, texts, glossaries = nlp, ENGLISH, _english()
    else:
        pipeline, texts = spanish, SPANISH
        glossaries = [Glossary("rota", "bug", "lemma", (Term("está rota"),),
                               exclusions=("no",), accents="ignore")]
    filtered = _all_matches(GlossaryMatcher(glossaries, pipeline), pipeline, texts)
    monkeypatch.setattr(first_words.FirstWords, "may_match", lambda self, kind, keys: True)
    every = _all_matches(GlossaryMatcher(glossaries, pipeline), pipeline, texts)
    assert filtered == every
    assert sum(map(len, every)) >= len(texts) // 2  # the texts do match


def test_a_keys_doc_is_made_only_for_a_text_that_holds_a_first_word(nlp, monkeypatch):
    matcher = GlossaryMatcher(_english()[:1], nlp)
    made = []
    real = matching.Doc
    monkeypatch.setattr(matching, "Doc", lambda *a, **k: made.append(k) or real(*a, **k))
    assert matcher.match(nlp("Hello, how are you today?")) == []
    assert made == []
    assert [m.phrase for m in matcher.match(nlp("Two refunds"))] == ["refund"]
    assert len(made) == 1


def test_lowercase_kinds_compare_first_words_by_their_lowercase(nlp):
    words = first_words.FirstWords(nlp.vocab)
    words.add("lowercase", [["opt", "out"], ["stop"]])
    words.add("lemma", [["refund"]])
    assert words.may_match("lowercase", ["please", "STOP"])
    assert not words.may_match("lowercase", ["please", "out"])
    assert words.may_match("lemma", ["refund"]) and not words.may_match("lemma", ["REFUND"])
    assert not words.may_match("exact", ["refund"])  # a kind with no pattern
