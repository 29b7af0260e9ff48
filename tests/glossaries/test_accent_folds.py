"""check's warning of phrases that ``accents: ignore`` reads as other words ("año": "ano")."""

import dataclasses

import pytest

from labelwright.config import NLPConfig
from labelwright.glossaries.accent_folds import other_words_without_accents
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.reading import load_glossary
from labelwright.nlp import load_pipeline


@pytest.fixture(scope="module")
def spanish():
    return load_pipeline(NLPConfig(lang="es"))


@pytest.mark.parametrize("mode", ["lowercase", "lemma"])
def test_a_phrase_that_is_another_word_without_accents_is_named_with_its_line(
        tmp_path, spanish, mode):
    """`año` under accents: ignore also matched "ano", `sí` every "si", and check said
    nothing. Words whose spelling without accents is no word of the table
    ("actualización") or another form of the same word ("compré": "compre") are not
    named, nor is a glossary that keeps accents."""
    path = tmp_path / "precio.yaml"
    path.write_text(f"label: a\nmode: {mode}\naccents: ignore\nterms:\n  - actualización\n"
                    "  - term: año\n    synonyms: [cada año]\n  - compré\n  - sí\n  - también\n",
                    encoding="utf-8")
    glossary = load_glossary(path, ("a", "b"))
    (warning,) = other_words_without_accents([glossary], spanish)
    assert warning.startswith(f"{path}: 3 phrases read as other words without their accents")
    assert "'año' (line 6) as 'ano' (read as 'ano'), 'cada año' (line 7) as 'cada ano' " \
           "(read as 'ano'), 'sí' (line 9) as 'si' (read as 'si')" in warning
    assert "compré" not in warning and "actualización" not in warning
    assert "también" not in warning
    assert "accents: keep" in warning
    kept = dataclasses.replace(glossary, accents="keep")
    assert other_words_without_accents([kept], spanish) == []


def test_nothing_is_asked_without_a_lookup_table(spanish):
    """A pipeline without a lookup table (blank "xx"): nothing to ask, and no error."""
    import spacy

    glossary = Glossary("g", "a", "lowercase", (Term("año"),), accents="ignore")
    assert other_words_without_accents([glossary], spacy.blank("xx")) == []
    # a glossary made in Python names its entry
    (warning,) = other_words_without_accents([glossary], spanish)
    assert "'año' (terms[0]) as 'ano' (read as 'ano')" in warning
