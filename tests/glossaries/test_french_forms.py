"""French glossaries: elided words, ligatures, hyphens, reflexive verbs and forms typed
without their accents (a French customer-care project's walkthrough)."""

import pytest

from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term


@pytest.fixture(scope="module")
def french():
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    return load_pipeline(NLPConfig(lang="fr"))


def terms_found(nlp, glossary, texts):
    """Each text with the terms ``glossary`` finds in it."""
    matcher = GlossaryMatcher([glossary], nlp)
    return {text: [m.term for m in matcher.match(nlp(text))] for text in texts}


def test_an_elided_word_read_as_its_full_word_is_no_lemma_shift(french):
    """'message d'erreur' was named as matching by 'message de erreur', a lemma that is
    another word; "d'" is "de" elided, so it was noise. A real shift beside it is named."""
    from labelwright.glossaries.checks import lemma_shifts

    quiet = Glossary("g", "bug", "lemma", (Term("message d'erreur"), Term("ne s'ouvre plus")))
    assert lemma_shifts([quiet], french) == []
    shifted = Glossary("g", "bug", "lemma", (Term("message d'erreur"), Term("vu")))
    (message,) = lemma_shifts([shifted], french)
    assert "'vu'" in message and "message d'erreur" not in message, message
