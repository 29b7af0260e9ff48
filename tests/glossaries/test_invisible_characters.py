"""Glossary terms beside and inside zero-width characters (U+200B, U+200C, U+200D, U+2060,
U+FEFF): most UCI YouTube comments end in "\\ufeff", and "song\\ufeff" matched no term."""

from __future__ import annotations

import pytest

from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term, glossary_lf
from labelwright.lfs.core import ABSTAIN
from labelwright.lfs.item import Item
from labelwright.text_form import INVISIBLE

MODES = ["exact", "lowercase", "lemma"]

#: a word with an invisible character after it, before it, inside it, or one beside punctuation
TEXTS = ["nice song\ufeff", "nice so\u200bng", "nice song\u200b", "\u2060nice song",
         "nice song!\ufeff", "nice\u200c song.\ufeff", "nice \u200d song", "nice s\u200bo\u2060ng"]


def _glossary(mode: str, terms: list[Term], exclusions: tuple[str, ...] = ()) -> Glossary:
    return Glossary(name="ham_terms", label="ham", mode=mode, terms=tuple(terms),
                    exclusions=exclusions)


def _bare(text: str) -> str:
    return text.translate(dict.fromkeys(map(ord, INVISIBLE)))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("text", TEXTS)
def test_a_word_beside_or_holding_an_invisible_character_matches_as_the_word(nlp, mode, text):
    """Each of these matched nothing but "nice song" did; the matches point at the text as
    written (the item's own tokens, the characters between them included)."""
    matcher = GlossaryMatcher([_glossary(mode, [Term("nice song")]),
                               Glossary(name="words", label="ham", mode=mode,
                                        terms=(Term("song"),))], nlp)
    doc = nlp(text)
    assert doc.text == text
    matches = matcher.match(doc)
    assert [(m.glossary, m.term) for m in matches] == [("ham_terms", "nice song"),
                                                       ("words", "song")]
    for m in matches:
        assert doc[m.start:m.end].text == m.text
        assert _bare(m.text).replace(" ", "") == m.term.replace(" ", "")
    plain = matcher.match(nlp(_bare(text)))
    assert [(m.glossary, m.term) for m in matches] == [(m.glossary, m.term) for m in plain]


@pytest.mark.parametrize("mode", MODES)
def test_the_glossary_votes_on_the_text_as_written(nlp, mode):
    g = _glossary(mode, [Term("love this song")])
    matcher = GlossaryMatcher([g], nlp)
    lf = glossary_lf(g)
    for text in ("I love this song\ufeff", "I love this song.\ufeff", "I love\u200b this song",
                 "I love this so\u200bng"):
        item = Item("c1", text, doc=nlp(text), matches=matcher.match(nlp(text)))
        assert lf(item) == "ham", text
        assert item.text == text
    item = Item("c2", "I hate it\ufeff", doc=nlp("I hate it\ufeff"),
                matches=matcher.match(nlp("I hate it\ufeff")))
    assert lf(item) == ABSTAIN


@pytest.mark.parametrize("text", ["songs\ufeff", "SONGS\ufeff", "so\u200bngs", "\ufeffSongs!",
                                  "songs.\ufeff"])
def test_lemma_mode_reads_the_lemma_of_the_word_without_them(nlp, text):
    matcher = GlossaryMatcher([_glossary("lemma", [Term("song")])], nlp)
    assert [m.term for m in matcher.match(nlp(text))] == ["song"]


def test_an_exclusion_beside_an_invisible_character_still_cancels(nlp):
    g = _glossary("lowercase", [Term("song")], exclusions=("not",))
    matches = GlossaryMatcher([g], nlp).match(nlp("not\u200b a \ufeff song\ufeff"))
    assert [(m.term, m.excluded_by) for m in matches] == [("song", "not")]


@pytest.mark.parametrize("mode", MODES)
def test_a_term_written_with_an_invisible_character_matches_the_plain_word(nlp, mode):
    """A term copied out of the data ("song\\ufeff") is the word it shows."""
    matcher = GlossaryMatcher([_glossary(mode, [Term("love this song\ufeff")])], nlp)
    assert [m.text for m in matcher.match(nlp("I love this song"))] == ["love this song"]


def test_lfs_see_the_words_the_glossary_sees(nlp):
    """The tokenizer splits the characters off a word's edges, so token.text, token.lower_
    and token.lemma_ are the word; inside a word, the lemma is the word without them."""
    doc = nlp("Great SONGS!\ufeff so\u200bng")
    assert [t.text for t in doc] == ["Great", "SONGS", "!", "\ufeff", "so\u200bng"]
    assert [t.lemma_ for t in doc][1] == "song"
    assert doc[4].lemma_ == "song"
    assert doc.text == "Great SONGS!\ufeff so\u200bng"


def test_explain_shows_the_match_in_the_text_as_written(make_project):
    """`labelwright explain` said "Glossary terms matched: none" for "I love this song\\ufeff";
    an LF still reads the item's text as written."""
    from labelwright.project import run_project
    from labelwright.runs.explain.item import explain_item

    rows = [{"id": "c1", "text": "I love this song\ufeff", "gold": "ham"},
            {"id": "c2", "text": "check out my channel\ufeff", "gold": "spam"},
            {"id": "c3", "text": "nice so\u200bngs", "gold": "ham"}]
    lfs = {"marks": '''
        from labelwright import ABSTAIN, labeling_function

        @labeling_function()
        def ends_in_bom(item):
            return "spam" if item.text.endswith("\\ufeff") else ABSTAIN
    '''}
    glossary = "label: ham\nmode: lemma\nterms:\n  - love this song\n  - song\n"
    root = make_project(labels=("ham", "spam"), rows=rows, lfs=lfs,
                        glossaries={"ham_terms": glossary})
    run_project(root, report=False)
    first = explain_item(root, "c1")
    assert first.text == "I love this song\ufeff"
    assert [(m.term, m.text) for m in first.matches] == [("love this song", "love this song")]
    assert {v.lf: v.vote for v in first.votes} == {"ends_in_bom": "spam",
                                                   "glossary:ham_terms": "ham"}
    third = explain_item(root, "c3")
    assert [(m.term, m.text) for m in third.matches] == [("song", "so\u200bngs")]


#: the direction marks of right-to-left text: LRM, RLM, the Arabic letter mark, embeddings
#: and overrides with their end (PDF), isolates with their end (PDI)
DIRECTION_MARKS = ("\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                   "\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("mark", list(DIRECTION_MARKS))
def test_direction_marks_are_read_as_nothing(arabic, mode, mark):
    """WhatsApp, Twitter and copy-paste put them around Arabic and Hebrew words: "\\u200fبطاقة"
    matched no term "بطاقة", and "ما\\u200f بطاقة" was not cancelled by the exclusion "ما"."""
    card = Glossary(name="card", label="card", mode=mode, terms=(Term("بطاقة"),),
                    exclusions=("ما",))
    matcher = GlossaryMatcher([card], arabic)
    for text in (f"{mark}بطاقة", f"بطاقة{mark}", f"{mark}بطاقة{mark}", f"بط{mark}اقة",
                 f"رقم {mark}بطاقة{mark} جديد"):
        assert [(m.term, m.excluded_by) for m in matcher.match(arabic(text))] == [
            ("بطاقة", None)], ascii(text)
    for text in (f"ما{mark} بطاقة", f"{mark}ما{mark} بطاقة", f"ما {mark}بطاقة"):
        assert [(m.term, m.excluded_by) for m in matcher.match(arabic(text))] == [
            ("بطاقة", "ما")], ascii(text)


def test_direction_marks_are_invisible_characters():
    from labelwright.nlp import match_form
    from labelwright.text_form import same_reading, text_form

    for mark in DIRECTION_MARKS:
        assert mark in INVISIBLE
        assert match_form(f"بط{mark}اقة") == "بطاقة" == text_form(f"{mark}بطاقة{mark}")
        assert same_reading(f"\u2067שלום\u2069 {mark}עולם", "שלום עולם")


@pytest.mark.parametrize("mode", MODES)
def test_a_soft_hyphen_inside_a_word_is_read_as_nothing(nlp, mode):
    """Text taken from PDFs and word processors holds soft hyphens (U+00AD, shown only where
    a line breaks inside the word): "Confi\\u00addential Information" matched no term
    "Confidential Information", and a term pasted with one ("disclos\\u00ading party")
    matched no text."""
    g = _glossary(mode, [Term("Confidential Information"), Term("disclos\u00ading party")],
                  exclusions=("no\u00adn",))
    matcher = GlossaryMatcher([g], nlp)
    for text, term in (("Confi\u00addential Information", "Confidential Information"),
                       ("the disclosing party", "disclos\u00ading party"),
                       ("the dis\u00adclosing par\u00adty", "disclos\u00ading party")):
        matches = matcher.match(nlp(text))
        assert [(m.term, m.excluded_by) for m in matches] == [(term, None)], ascii(text)
        assert matches[0].text in text  # the text as written, soft hyphens and all
    assert [m.excluded_by for m in matcher.match(nlp("non Confidential Information"))] == [
        "no\u00adn"]


def test_a_soft_hyphen_is_an_invisible_character():
    from labelwright.nlp import match_form
    from labelwright.text_form import same_reading

    assert "\u00ad" in INVISIBLE
    assert match_form("govern\u00ading") == "governing"
    assert same_reading("Confi\u00addential Information", "Confidential  Information")


#: the heart with and without variation selectors (U+FE0F asks for the emoji picture,
#: U+FE0E for the text symbol): keyboards and apps write either
HEARTS = ["\u2764", "\u2764\ufe0f", "\u2764\ufe0e"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("term", HEARTS)
def test_an_emoji_matches_with_or_without_a_variation_selector(nlp, mode, term):
    """The term "❤️" (with U+FE0F) missed "❤" typed without it, and "❤" missed "❤️": a
    variation selector is read as nothing on both sides, as the tokenizer already keeps
    a skin tone apart ("👍🏽" holds the term "👍"). The match is the heart's token, as
    "👍" is of "👍🏽"."""
    matcher = GlossaryMatcher([_glossary(mode, [Term(term), Term("\U0001f60d super")],
                                         exclusions=("not",))], nlp)
    for heart in HEARTS:
        for text in (f"love it {heart} really", f"ok{heart}", heart):
            matches = matcher.match(nlp(text))
            assert [(m.term, m.text, m.excluded_by) for m in matches] == [
                (term, "\u2764", None)], (term, text)
        (match,) = matcher.match(nlp(f"not {heart}"))
        assert match.excluded_by == "not"
    (match,) = matcher.match(nlp("\U0001f60d\ufe0f super"))
    assert match.text == "\U0001f60d\ufe0f super"
    assert [m.term for m in matcher.match(nlp("\u2763\ufe0f \U0001f60d"))] == []


def test_an_emoji_with_and_without_a_variation_selector_is_one_phrase(tmp_path):
    """Both would match the same hearts: listed twice, counted twice in the hits."""
    from labelwright.errors import GlossaryError
    from labelwright.glossaries.reading import load_glossary

    path = tmp_path / "g.yaml"
    path.write_text("label: ham\nterms:\n  - \"\u2764\"\n  - \"\u2764\ufe0f\"\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="is listed twice in this glossary"):
        load_glossary(path, ("ham", "spam"))
