"""Matching under a tokenizer that splits words into characters (spaCy's Chinese with its
default ``char`` segmenter, ``[nlp] lang = "zh"``): every letter of "nonrefundable" is a
token, so the term "refund" matched inside it, and "1234" inside "12345". A match now
neither starts nor ends inside a word of a script written with spaces; under a tokenizer
that keeps words whole nothing changes."""

from __future__ import annotations

import pytest

from labelwright.config import NLPConfig
from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term
from labelwright.glossaries.words import inside_word, splits_words_into_characters
from labelwright.nlp import load_pipeline

MODES = ["exact", "lowercase", "lemma"]


@pytest.fixture(scope="module")
def zh():
    return load_pipeline(NLPConfig(lang="zh", lemmatizer=False))


def _glossary(mode: str, *terms: str, exclusions: tuple[str, ...] = ()) -> Glossary:
    return Glossary(name="refund", label="refund", mode=mode,
                    terms=tuple(Term(t) for t in terms), exclusions=exclusions)


def _found(nlp, glossary: Glossary, text: str) -> list[str]:
    return [m.text for m in GlossaryMatcher([glossary], nlp).match(nlp(text), text)]


def test_which_tokenizers_split_words_into_characters(zh, nlp):
    assert splits_words_into_characters(zh)
    assert not splits_words_into_characters(nlp)


def test_inside_a_word_is_between_two_letters_or_digits_of_a_spaced_script():
    assert inside_word("nonrefundable", 3) and inside_word("12345", 4)
    assert inside_word("cafe\u0301s", 4)  # a combining accent belongs to its letter
    assert inside_word("возврат", 2) and inside_word("επιστροφή", 3)
    assert not any(inside_word("退款refund了", at) for at in (2, 8))
    assert not inside_word("refund", 0) and not inside_word("refund", 6)
    assert not inside_word("no-refund", 3) and not inside_word("退款退款", 2)


@pytest.mark.parametrize("mode", MODES)
def test_a_latin_term_matches_whole_words_only(zh, mode):
    glossary = _glossary(mode, "refund")
    for text in ("this is nonrefundable", "refunded already", "prefund", "ｎｏｎｒｅｆｕｎｄ",
                 "refund2"):
        assert _found(zh, glossary, text) == [], text
    for text, written in (("退款refund了", "refund"), ("please refund me", "refund"),
                          ("refund!", "refund"), ("no-refund", "refund"),
                          ("要ｒｅｆｕｎｄ", "ｒｅｆｕｎｄ")):
        assert _found(zh, glossary, text) == [written], text


@pytest.mark.parametrize("mode", MODES)
def test_a_number_matches_whole_numbers_only(zh, mode):
    glossary = _glossary(mode, "1234", "SKU-88231")
    assert _found(zh, glossary, "金额12345元") == []
    assert _found(zh, glossary, "金额01234元") == []
    assert _found(zh, glossary, "SKU-882310坏了") == []
    assert _found(zh, glossary, "金额1234元") == ["1234"]
    # a decimal point or thousands separator between digits is inside the number
    assert _found(zh, glossary, "金额1234.5元") == []
    assert _found(zh, glossary, "金额1,1234元") == []
    assert _found(zh, glossary, "金额１２３４．５元") == []
    assert _found(zh, glossary, "编号1234。谢谢") == ["1234"]  # a full stop after it
    assert _found(zh, glossary, "编号1234.谢谢") == ["1234"]
    assert _found(zh, glossary, "金额１２３４元，SKU-88231坏了") == ["１２３４", "SKU-88231"]


@pytest.mark.parametrize("mode", MODES)
def test_chinese_terms_still_match_inside_chinese_text(zh, mode):
    glossary = _glossary(mode, "退款", exclusions=("不需要",))
    assert _found(zh, glossary, "我要退款了") == ["退款"]
    assert _found(zh, glossary, "refund退款") == ["退款"]
    matches = GlossaryMatcher([glossary], zh).match(zh("不需要退款"))
    assert [(m.text, m.excluded_by) for m in matches] == [("退款", "不需要")]


@pytest.mark.parametrize("mode", MODES)
def test_an_exclusion_inside_a_word_does_not_cancel(zh, mode):
    """Every letter a token, the exclusion "no" cancelled from inside "know"."""
    glossary = _glossary(mode, "退款", exclusions=("no",))
    for text, excluded_by in (("know退款", None), ("no退款", "no"), ("退no退款", "no"),
                              ("ｎｏ退款", "no"), ("nono退款", None)):
        matches = GlossaryMatcher([glossary], zh).match(zh(text), text)
        assert [(m.text, m.excluded_by) for m in matches] == [("退款", excluded_by)], text


def test_a_longer_match_rejected_inside_a_word_leaves_room_for_a_shorter_one(zh):
    """A match dropped for starting inside a word ("refund card" in "xrefund card") takes
    no place from a shorter one of the same glossary ("card")."""
    glossary = _glossary("lowercase", "refund card", "card")
    assert _found(zh, glossary, "xrefund card") == ["card"]
    assert _found(zh, glossary, "a refund card") == ["refund card"]


@pytest.mark.parametrize("mode", MODES)
def test_a_tokenizer_that_keeps_words_whole_matches_as_before(nlp, mode):
    """English splits "cannot" into "can" + "not" itself: the exclusion "not" still
    cancels there, and the term "not" still matches there."""
    glossary = _glossary(mode, "refund", exclusions=("not",))
    matches = GlossaryMatcher([glossary], nlp).match(nlp("I cannot get a refund"))
    assert [(m.text, m.excluded_by) for m in matches] == [("refund", "not")]
    assert _found(nlp, _glossary(mode, "not"), "I cannot say") == ["not"]
    assert _found(nlp, _glossary(mode, "refund"), "nonrefundable") == []
