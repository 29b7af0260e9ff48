"""check's warning of lemma-mode forms that lose their lemma typed without accents."""

import pytest

from labelwright.config import NLPConfig
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.unaccented_checks import forms_without_accents
from labelwright.nlp import load_pipeline


@pytest.fixture(scope="module")
def french():
    return load_pipeline(NLPConfig(lang="fr"))


def test_forms_that_lose_their_lemma_without_accents_are_named_where_listed(french):
    """`livrer` misses "colis livre" ("livre" is the noun typed so) and `prélever`
    "preleve" (no word of the table) where the glossary keeps accents, and check said
    nothing. Given the items' texts, only the forms they hold are named, with counts."""
    terms = (Term("prélever", line=4), Term("livrer", line=5), Term("colis", line=6))
    keep = Glossary("g", "livraison", "lemma", terms)
    (warning,) = forms_without_accents([keep], french)
    assert "lose their lemma typed without their accents" in warning
    assert "'prélever' (terms[0]): 'preleva' (no word of the table)" in warning
    assert "'livrer' (terms[1]): 'livre' (the word 'livre')" in warning
    assert "'colis'" not in warning
    texts = ["colis livre hier", "Colis LIVRE", "on m'a preleve", "un livret"]
    (counted,) = forms_without_accents([keep], french, texts)
    assert "'livrer' (terms[1]): 'livre' (the word 'livre', 2 in the data)" in counted
    assert "'prélever' (terms[0]): 'preleve' (no word of the table, 1 in the data)" in counted
    assert forms_without_accents([keep], french, ["rien"]) == []


def test_under_accents_ignore_only_forms_that_are_another_word_are_named(french):
    """accents: ignore matches "preleve" now; "livre" (a book) it matches as `livrer`
    too: the false hits the warning names."""
    terms = (Term("prélever", line=4), Term("livrer", line=5))
    ignore = Glossary("g", "livraison", "lemma", terms, accents="ignore")
    (warning,) = forms_without_accents([ignore], french, ["colis livre", "preleve"])
    assert warning.endswith(
        "1 lemma-mode phrase has forms that are another word typed without their accents, "
        "which accents: ignore matches as the phrase too: 'livrer' (terms[1]): 'livre' (the "
        "word 'livre', 1 in the data); where that is not meant, list the phrase in a "
        "glossary that keeps accents (README: Writing a glossary, Accents)"), warning
    lowercase = Glossary("g", "livraison", "lowercase", terms)
    assert forms_without_accents([lowercase], french) == []
