"""check's warning of lemma-mode terms the lookup table knows no other form of."""

import pytest

from labelwright.config import NLPConfig
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.table_forms import terms_without_forms
from labelwright.nlp import load_pipeline


@pytest.fixture(scope="module")
def german():
    return load_pipeline(NLPConfig(lang="de"))


def glossary(*terms: Term, mode: str = "lemma", accents: str = "keep") -> Glossary:
    return Glossary(name="g", label="a", mode=mode, terms=terms, accents=accents)


def test_terms_the_table_knows_no_form_of_are_named_in_one_warning(german):
    """German's table lists no form of "Impfung" nor "Steuerbescheid": the term matched
    only as written and missed "Impfungen" and "Steuerbescheids", silently. Terms the table
    knows forms of ("Rechnung", "impfen") are not named, nor one whose synonyms list its
    forms."""
    terms = (Term("Impfung"), Term("Steuerbescheid"), Term("Rechnung"), Term("impfen"),
             Term("Parkausweis", synonyms=("Parkausweise",)))
    (warning,) = terms_without_forms([glossary(*terms)], german)
    assert "2 of 5 lemma-mode terms" in warning
    assert "'Impfung' (terms[0]), 'Steuerbescheid' (terms[1]);" in warning
    assert "'Rechnung'" not in warning and "'Parkausweis'" not in warning
    assert "as synonyms" in warning
    assert "only as written (ignoring case):" in warning


def test_the_warning_says_what_the_glossary_folds(german):
    """The warning said "(ignoring case)" of a glossary whose matches ignore accents too."""
    (ignore,) = terms_without_forms([glossary(Term("Impfung"), accents="ignore")], german)
    assert "only as written (ignoring case and accents):" in ignore
    (umlauts,) = terms_without_forms([glossary(Term("Impfung"), accents="umlauts")], german)
    assert "only as written (ignoring case, umlauts also spelt out):" in umlauts


def test_no_warning_outside_lemma_mode_nor_without_a_table(german, nlp):
    """A lowercase glossary matches only as written anyway; English's table knows "refund"
    ("refunds"); "log in" is read by "log", and three-letter words are names ("sso")."""
    assert terms_without_forms([glossary(Term("Impfung"), mode="lowercase")], german) == []
    assert terms_without_forms([glossary(Term("refund"), Term("log in"), Term("sso"))],
                               nlp) == []
    blank = load_pipeline(NLPConfig(lang="de", lemmatizer=False))
    assert terms_without_forms([glossary(Term("Impfung"))], blank) == []


def test_check_says_it(make_project):
    """English's table lists "crashes", not "glitches": check names "glitch" and its line."""
    from labelwright.project.check import check_project

    root = make_project(glossaries={"bugs": "label: technical\nmode: lemma\n"
                                            "terms:\n  - crash\n  - glitch\n"})
    report = check_project(root)
    assert report.ok, report.problems
    (warning,) = [w for w in report.warnings if "knows no other form" in w]
    assert warning.startswith(f"{root / 'glossaries' / 'bugs.yaml'}: 1 of 2 lemma-mode terms")
    assert "'glitch' (line 5)" in warning


def test_terms_of_another_language_say_lang_may_be_wrong():
    """Spanish glossaries under lang = "en" were told, term by term, to list their forms as
    synonyms: most of their terms are unknown to English's table, and many hold letters
    English words seldom do. The warning names [nlp] lang and its value."""
    english = load_pipeline(NLPConfig())
    spanish = glossary(Term("devolución"), Term("decepcionante"), Term("malísimo"),
                       Term("reembolso"), Term("fácil de usar"), Term("pantalla"))
    warnings = terms_without_forms([spanish], english)
    hint = warnings[-1]
    assert hint.startswith("[nlp] lang is 'en', but 6 of the 6 lemma-mode terms are words "
                           "its lookup table knows no other form of, 3 of them with letters "
                           "its words seldom hold (á, í, ó); did you mean lang = 'es'? (the "
                           "glossaries' phrases hold á, í, ó, Spanish letters): ")
    assert "set [nlp] lang in labelwright.toml to its code" in hint
    assert "labelwright init --lang CODE" in hint
    # English terms the table does not know, with no such letters: no hint
    unknown = glossary(Term("glitch"), Term("bluescreen"), Term("refund"))
    assert not any("[nlp] lang" in w for w in terms_without_forms([unknown], english))
    # the same Spanish terms under "es": no hint
    es = load_pipeline(NLPConfig(lang="es"))
    assert not any("[nlp] lang" in w for w in terms_without_forms([spanish], es))


def test_mostly_unaccented_spanish_terms_still_get_the_hint():
    """The walkthrough's Spanish glossaries under lang = "en": 19 of 22 lemma-mode terms
    unknown to English's table, but only 4 accented (Spanish words are mostly written
    without accents), under the third the hint asked for: no hint. Most terms unknown,
    some accented, and Spanish letters in the phrases (the ñ of another glossary's) now
    give it, with the language guessed."""
    english = load_pipeline(NLPConfig())
    verbs = glossary(*(Term(word) for word in (
        "precio", "pagar", "cobrar", "cerrar", "colgar", "fallar", "pantalla", "reembolso",
        "suscripción", "útil")))
    lowercase = Glossary(name="h", label="a", mode="lowercase", terms=(Term("añadir"),))
    hint = terms_without_forms([verbs, lowercase], english)[-1]
    assert hint.startswith("[nlp] lang is 'en', but ")
    assert "did you mean lang = 'es'? (the glossaries' phrases hold ñ, ó, ú, Spanish " \
        "letters)" in hint
    # too few terms to tell a language from names and jargon: no hint on the share alone
    few = glossary(*(Term(word) for word in ("precio", "pagar", "cobrar", "suscripción")))
    assert not any("[nlp] lang" in w for w in terms_without_forms([few, lowercase], english))


def test_english_jargon_with_a_few_foreign_words_gets_no_hint():
    """English terms the table does not know (names, jargon), with a few loanwords: their
    letters are no other language's, so no hint."""
    english = load_pipeline(NLPConfig())
    jargon = glossary(*(Term(word) for word in (
        "paywall", "bluescreen", "webhook", "captcha", "dropdown", "signup", "popup",
        "café", "résumé", "touché")))
    assert not any("[nlp] lang" in w for w in terms_without_forms([jargon], english))


def test_a_glossary_made_in_python_names_the_term_by_its_entry(german):
    """As the other glossary warnings name a dict's phrase: by its entry, not a line."""
    from labelwright.glossaries import glossary_from_dict

    made = glossary_from_dict({"name": "steuer", "label": "a", "mode": "lemma",
                               "terms": ["Rechnung", "Steuerbescheid"]}, ["a", "b"])
    (warning,) = terms_without_forms([made], german)
    assert "'Steuerbescheid' (terms[1])" in warning and "(line" not in warning
