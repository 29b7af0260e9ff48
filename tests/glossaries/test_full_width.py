"""Full-width forms of ASCII (U+FF01-U+FF5E) and the ideographic space (U+3000), which
Chinese and Japanese input methods type in full-width mode: "ＳＫＵ－８８２３１" matched no
term "SKU-88231", in any mode, under the blank English or Chinese pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelwright.config import NLPConfig
from labelwright.glossaries.checks import listed_twice
from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term
from labelwright.nlp import load_pipeline, plain_forms

MODES = ["exact", "lowercase", "lemma"]
PIPELINES = ["en", "zh"]

#: (term, text written in full-width, where the text writes the term)
CASES = [
    ("SKU-88231", "ＳＫＵ－８８２３１ broke", "ＳＫＵ－８８２３１"),
    ("iPhone 15", "my ｉＰｈｏｎｅ　１５ broke", "ｉＰｈｏｎｅ　１５"),
    ("iPhone 15", "my ｉＰｈｏｎｅ １５ broke", "ｉＰｈｏｎｅ １５"),
    ("1234", "paid １２３４ yuan", "１２３４"),
    ("refund", "ｒｅｆｕｎｄ！", "ｒｅｆｕｎｄ"),
]


@pytest.fixture(scope="module")
def pipelines():
    """The blank English pipeline (lemmas) and the blank Chinese one (every character a
    token), as a project's ``[nlp] lang`` builds them."""
    return {"en": load_pipeline(NLPConfig()),
            "zh": load_pipeline(NLPConfig(lang="zh", lemmatizer=False))}


def _glossary(mode: str, *terms: str, exclusions: tuple[str, ...] = ()) -> Glossary:
    return Glossary(name="product", label="product", mode=mode,
                    terms=tuple(Term(t) for t in terms), exclusions=exclusions)


def test_full_width_forms_read_as_ascii_one_character_for_one():
    assert plain_forms("ＳＫＵ－８８２３１　ｉＰｈｏｎｅ～！") == "SKU-88231 iPhone~!"
    assert plain_forms("退款，谢谢。") == "退款,谢谢。"  # 。 (U+3002) is no ASCII form
    text = "".join(map(chr, range(0xFF01, 0xFF5F))) + "\u3000"
    assert plain_forms(text) == "".join(map(chr, range(0x21, 0x7F))) + " "


@pytest.mark.parametrize("lang", PIPELINES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("term", "text", "written"), CASES)
def test_a_term_matches_its_full_width_form(pipelines, lang, mode, term, text, written):
    """The match points at the text as written (what explain and review exports show)."""
    nlp = pipelines[lang]
    doc = nlp(text)
    matches = GlossaryMatcher([_glossary(mode, term)], nlp).match(doc, text)
    assert [(m.term, m.text) for m in matches] == [(term, written)]
    assert doc[matches[0].start:matches[0].end].text == written


@pytest.mark.parametrize("lang", PIPELINES)
@pytest.mark.parametrize("mode", MODES)
def test_a_term_written_in_full_width_matches_the_ascii_text(pipelines, lang, mode):
    nlp = pipelines[lang]
    matcher = GlossaryMatcher([_glossary(mode, "ＳＫＵ－８８２３１", "ｉＰｈｏｎｅ　１５")], nlp)
    text = "SKU-88231 and iPhone 15 broke"
    assert [(m.term, m.text) for m in matcher.match(nlp(text), text)] == [
        ("ＳＫＵ－８８２３１", "SKU-88231"), ("ｉＰｈｏｎｅ　１５", "iPhone 15")]


@pytest.mark.parametrize("lang", PIPELINES)
def test_exact_mode_still_tells_case_apart(pipelines, lang):
    nlp = pipelines[lang]
    text = "ｓｋｕ－８８２３１ broke"
    assert GlossaryMatcher([_glossary("exact", "SKU-88231")], nlp).match(nlp(text)) == []
    assert [m.text for m in GlossaryMatcher([_glossary("lowercase", "SKU-88231")],
                                            nlp).match(nlp(text))] == ["ｓｋｕ－８８２３１"]


@pytest.mark.parametrize("mode", MODES)
def test_a_full_width_exclusion_cancels(pipelines, mode):
    nlp = pipelines["en"]
    matcher = GlossaryMatcher([_glossary(mode, "refund", exclusions=("not",))], nlp)
    for text in ("ｎｏｔ a refund", "not a ｒｅｆｕｎｄ"):
        assert [(m.term, m.excluded_by) for m in matcher.match(nlp(text))] == [
            ("refund", "not")], text


@pytest.mark.parametrize("mode", MODES)
def test_a_phrase_listed_in_both_widths_is_listed_twice(mode):
    glossary = Glossary(name="product", label="product", mode=mode,
                        terms=(Term("SKU-88231", line=3), Term("ＳＫＵ－８８２３１", line=4)),
                        path=Path("glossaries/product.yaml"))
    assert [message for _, message in listed_twice(glossary)] == [
        "glossaries/product.yaml:4: 'ＳＫＵ－８８２３１' is listed twice in this glossary "
        "(also at line 3, as 'SKU-88231'); list each phrase once"]
