"""A text holding a typographic apostrophe or a full-width form is matched on a plain copy
(:mod:`labelwright.glossaries.plain_copy`). The copy used to be the plain text parsed again
through the whole pipeline; it is now spliced from the item's Doc, or parsed through only
what matching reads. These tests compare both against that full parse: the same tokens and
lemmas, the same matches, over texts with apostrophes and full-width forms in many places."""

from __future__ import annotations

import random

import pytest
from spacy.attrs import LEMMA, ORTH, SPACY
from spacy.language import Language

from labelwright.config import NLPConfig
from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term
from labelwright.glossaries.plain_copy import PlainCopies
from labelwright.nlp import load_pipeline, plain_forms

#: words that the tokenizer splits at an apostrophe, or that hold one, in several cases
WORDS = ["didn't", "DIDN'T", "Didn't", "won't", "can't", "it's", "IT'S", "party's",
         "Parties'", "'tis", "o'clock", "rock'n'roll", "'quoted'", "l'accord", "y'all",
         "refund", "refunds", "Refunded", "REFUND", "not", "terminated", "terminate", "notice",
         "the", "hold", "harmless", "indemnify", "U.S.", "e.g.", "(a)", "§", "12.3", "$1,000",
         "'", "''", "(it's)", "\"didn't\"", "don't.", "isn't,", "SKU-88231", "iPhone", "15",
         "Mr.", "n't", "'s", "’’", "a'b'c", "x'"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "\n\n", " \t", ". ", ", "]
#: what :func:`plain_forms` writes as "'"; a few full-width letters too
CURLY = ["\u2019", "\u2018", "\u02bc"]


def _writes_otherwise(word: str, rng: random.Random) -> str:
    """``word`` with some of its apostrophes typographic, and sometimes a full-width letter."""
    out = "".join(rng.choice(CURLY) if c == "'" and rng.random() < 0.8 else c for c in word)
    if rng.random() < 0.05:
        at = rng.randrange(len(out))
        if "!" <= out[at] <= "~":
            out = out[:at] + chr(ord(out[at]) - 0x21 + 0xFF01) + out[at + 1:]
    return out


def _texts(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        words = [_writes_otherwise(rng.choice(WORDS), rng) for _ in range(rng.randint(1, 40))]
        text = "".join(w + rng.choice(SEPARATORS) for w in words)
        start = rng.choice(["", " ", "\n", "’", "‘"])
        texts.append(start + text[:len(text) - rng.randint(0, 2)])
    return texts


GLOSSARIES = [
    Glossary(name="exact", label="refund", mode="exact",
             terms=(Term("didn't refund"), Term("it's"), Term("n't"), Term("SKU-88231"),
                    Term("party's notice"))),
    Glossary(name="lower", label="refund", mode="lowercase",
             terms=(Term("didn't"), Term("refund"), Term("won't refund"), Term("'s"),
                    Term("iphone 15")),
             exclusions=("not", "can't")),
    Glossary(name="lemma", label="termination", mode="lemma",
             terms=(Term("terminate"), Term("refund"), Term("hold harmless"),
                    Term("do not refund"), Term("party's")),
             exclusions=("n't",)),
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    """The default pipeline: blank English with lookup lemmas and sentence boundaries."""
    return load_pipeline(NLPConfig(sentencizer=True))


def _arrays(doc, lemmas: bool):
    return doc.to_array([ORTH, SPACY, LEMMA] if lemmas else [ORTH, SPACY]).tolist()


@pytest.mark.parametrize("lemmas", [True, False])
def test_copy_is_the_parse_of_the_plain_text(nlp, lemmas):
    copies = PlainCopies(nlp)
    assert copies.splices
    spliced = 0
    for text in _texts(400):
        plain = plain_forms(text)
        if plain == text:
            continue
        doc = nlp(text)
        spliced += copies._spliced(doc, text, plain, lemmas) is not None
        copy = copies.copy(doc, text, plain, lemmas)
        assert copy.text == plain
        assert _arrays(copy, lemmas) == _arrays(nlp(plain), lemmas), text
    assert spliced > 300  # the splice, not the parse, made most copies


def test_matches_are_those_of_the_full_parse(nlp):
    new = GlossaryMatcher(GLOSSARIES, nlp)
    old = GlossaryMatcher(GLOSSARIES, nlp)
    old._copies.copy = lambda doc, text, plain, lemmas: nlp(plain)  # type: ignore[method-assign]
    matched = 0
    for text in _texts(600, seed=1):
        doc = nlp(text)
        found = new.match(doc, text)
        assert found == old.match(doc, text), text
        matched += bool(found)
    assert matched > 300


def test_an_ideographic_space_is_parsed(nlp):
    """U+3000 becomes " ", which the tokenizer attaches to a word: runs change, and the
    plain text is parsed instead (through the tokenizer and lemmas)."""
    text = "didn’t\u3000refund it’s"
    plain = plain_forms(text)
    copies = PlainCopies(nlp)
    assert copies._spliced(nlp(text), text, plain, True) is None
    assert _arrays(copies.copy(nlp(text), text, plain, True), True) \
        == _arrays(nlp(plain), True)


def test_a_special_case_across_a_space_is_not_spliced():
    """Spanish "EE. UU." is one token made of two runs: runs do not split alone."""
    es = load_pipeline(NLPConfig(lang="es"))
    assert not PlainCopies(es).splices
    text = "los EE. UU. no l’aceptan"
    plain = plain_forms(text)
    assert _arrays(PlainCopies(es).copy(es(text), text, plain, True), True) \
        == _arrays(es(plain), True)


def test_unknown_components_run_on_the_copy(nlp):
    """A component not known to keep the tokens (it may merge them) runs on the copy, as
    before; known ones after the last that sets lemmas do not (nor for exact or lowercase
    glossaries any)."""
    called = []

    @Language.component("lw_test_merges_tokens")
    def merges(doc):
        called.append(doc.text)
        return doc

    pipeline = load_pipeline(NLPConfig(sentencizer=False))
    custom = Language(pipeline.vocab)
    custom.tokenizer = pipeline.tokenizer
    custom.add_pipe("lw_test_merges_tokens")
    text = "didn’t refund"
    copies = PlainCopies(custom)
    assert not copies.splices
    copies.copy(custom(text), text, plain_forms(text), False)
    assert called == [text, plain_forms(text)]
    copies = PlainCopies(nlp)
    assert copies._for_words == []
    assert [name for name, c in nlp.pipeline if any(c is k for k in copies._for_lemmas)] \
        == ["labelwright_lookup_lemmas"]
