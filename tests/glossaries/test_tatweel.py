"""Arabic tatweel (kashida, U+0640), the stroke that stretches a word: "بطـــاقة" is the word
"بطاقة" to a reader, and matched no glossary term "بطاقة"."""

from __future__ import annotations

import pytest

from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term

MODES = ["exact", "lowercase", "lemma"]


def _card(mode: str, term: str = "بطاقة", accents: str = "keep",
          exclusions: tuple[str, ...] = ("ما",)) -> Glossary:
    return Glossary(name="card", label="card", mode=mode, terms=(Term(term),),
                    exclusions=exclusions, accents=accents)


@pytest.mark.parametrize("accents", ["keep", "ignore"])
@pytest.mark.parametrize("mode", MODES)
def test_a_stretched_word_matches_the_term(arabic, mode, accents):
    matcher = GlossaryMatcher([_card(mode, accents=accents)], arabic)
    for text in ("بطـــاقة", "بطـاقة", "بطاقـة", "رقم البطاقة و بطـــــــاقة جديدة",
                 "\u200fبطـاقة\u200f"):
        matches = matcher.match(arabic(text))
        assert [(m.term, m.excluded_by) for m in matches] == [("بطاقة", None)], ascii(text)
        (match,) = matches
        assert match.text in text  # the text as written, tatweel and all
        assert "\u0640" in match.text or "\u0640" not in text


@pytest.mark.parametrize("mode", MODES)
def test_a_stretched_exclusion_cancels(arabic, mode):
    """"مـا بطاقة" (not a card, the negation stretched) was matched, uncancelled."""
    matcher = GlossaryMatcher([_card(mode)], arabic)
    for text in ("مـا بطاقة", "مــــا بطـــاقة", "ما بطـاقة"):
        assert [(m.term, m.excluded_by) for m in matcher.match(arabic(text))] == [
            ("بطاقة", "ما")], ascii(text)


@pytest.mark.parametrize("mode", MODES)
def test_a_term_or_exclusion_written_with_tatweel_matches_the_plain_word(arabic, mode):
    matcher = GlossaryMatcher([_card(mode, term="بطـــاقة", exclusions=("مـا",))], arabic)
    assert [(m.term, m.excluded_by) for m in matcher.match(arabic("بطاقة"))] == [
        ("بطـــاقة", None)]
    assert [(m.term, m.excluded_by) for m in matcher.match(arabic("ما بطاقة"))] == [
        ("بطـــاقة", "مـا")]


def test_a_run_of_tatweel_alone_is_no_word_and_copies_keep_it():
    """Matching reads tatweel as nothing; copies and review import read a text as a reader
    sees it, and a reader sees the stroke: "بطـــاقة" and "بطاقة" are two texts."""
    from labelwright.nlp import match_form
    from labelwright.text_form import same_reading

    assert match_form("بطـــاقة") == "بطاقة"
    assert match_form("ـــ") == ""
    assert not same_reading("بطـــاقة", "بطاقة")


def test_a_word_listed_with_and_without_tatweel_is_listed_twice():
    """They are one phrase now: each would count its hits twice."""
    from labelwright.glossaries.checks import listed_twice

    glossary = Glossary(name="card", label="card", mode="exact",
                        terms=(Term("بطاقة", line=3), Term("بطـــاقة", line=4)))
    ((line, message),) = listed_twice(glossary)
    assert line == 4 and "listed twice" in message and "also at line 3" in message
