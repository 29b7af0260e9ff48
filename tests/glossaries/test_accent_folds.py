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


def test_a_phrase_that_needs_more_patterns_with_marks_than_are_made_is_named(
        tmp_path, spanish):
    """A lemma-mode phrase with a word matched as spelt ("está") gets a pattern for each
    way its other words may be marked, at most 16: `está rota y estaba lenta y ...` needs
    32, so "esta rota y esta lenta y ..." was missed and check said nothing. Check now names
    the phrase with its file and line; a phrase within the cap is not named."""
    from labelwright.glossaries.capped_patterns import capped_pattern_warnings
    from labelwright.glossaries.matching import GlossaryMatcher
    from labelwright.glossaries.respelling import MAX_MARKED_PATTERNS

    long = "está rota y estaba lenta y estaba mal y estaba parada y estaba sola y estaba fría"
    path = tmp_path / "fallos.yaml"
    path.write_text(f"label: a\nmode: lemma\naccents: ignore\nterms:\n  - está rota y estaba "
                    f"lenta\n  - term: {long}\n", encoding="utf-8")
    glossary = load_glossary(path, ("a", "b"))
    needed = 2 ** 5
    assert needed > MAX_MARKED_PATTERNS
    (warning,) = capped_pattern_warnings([glossary], spanish)
    assert warning.startswith(f"{path}: 1 lemma-mode phrase with words accents: ignore "
                              f"matches as spelt needs more patterns than the "
                              f"{MAX_MARKED_PATTERNS} made")
    assert f"'{long}' (line 6) needs {needed}" in warning
    assert "'está rota y estaba lenta'" not in warning
    # the miss the warning speaks of is real: a text with every word marked is not matched
    matcher = GlossaryMatcher([glossary], spanish)
    typed = long.replace("estaba", "esta").replace("á", "a")
    assert [m.term for m in matcher.match(spanish(typed))] == ["está rota y estaba lenta"]
    assert [m.term for m in matcher.match(spanish(long))] == [long]
    # a glossary that keeps accents makes no such patterns, and is not asked
    kept = dataclasses.replace(glossary, accents="keep")
    assert capped_pattern_warnings([kept], spanish) == []
    # a glossary made in Python names the entry
    in_python = Glossary("g", "a", "lemma", (Term(long),), accents="ignore")
    (warning,) = capped_pattern_warnings([in_python], spanish)
    assert f"'{long}' (terms[0]) needs {needed}" in warning
    # an exclusion is cut alike, and named alike
    excluding = Glossary("g", "a", "lemma", (Term("rota"),), accents="ignore",
                         exclusions=(long.replace("fría", "mal"),))
    (warning,) = capped_pattern_warnings([excluding], spanish)
    assert f"the exclusion '{long.replace('fría', 'mal')}' (exclusions[0]) needs {needed}" \
        in warning
    # one made from a dict names its entry, not "(line N)" of a YAML nobody sees
    from labelwright.glossaries.reading import glossary_from_dict

    spec = {"name": "g", "label": "a", "mode": "lemma", "accents": "ignore",
            "terms": ["rota"], "exclusions": ["no", long]}
    made = glossary_from_dict(spec, ("a", "b"))
    assert made.exclusion_lines  # the lines of the YAML it was written out as
    (warning,) = capped_pattern_warnings([made], spanish)
    assert f"the exclusion '{long}' (exclusions[1]) needs {needed}" in warning, warning
    # from a file, its line
    path.write_text(f"label: a\nmode: lemma\naccents: ignore\nterms: [rota]\nexclusions:\n"
                    f"  - nada\n  - {long}\n", encoding="utf-8")
    (warning,) = capped_pattern_warnings([load_glossary(path, ("a", "b"))], spanish)
    assert f"the exclusion '{long}' (line 7) needs {needed}" in warning, warning
