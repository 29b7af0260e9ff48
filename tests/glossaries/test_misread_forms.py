"""check's warning of lemma-mode terms with forms the lookup table reads as another word's:
Spanish's reads "recomiendo" as `recomer`, so the term `recomendar` missed "Lo recomiendo"
and nothing said so."""

import pytest

from labelwright.config import NLPConfig
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.matching import GlossaryMatcher
from labelwright.glossaries.misread_forms import _Neighbours, misread_forms
from labelwright.nlp import load_pipeline


@pytest.fixture(scope="module")
def spanish():
    return load_pipeline(NLPConfig(lang="es"))


def glossary(*terms: Term) -> Glossary:
    return Glossary(name="g", label="a", mode="lemma", terms=terms)


def test_a_form_the_table_reads_as_another_lemma_is_named_with_its_term(spanish):
    terms = (Term("recomendar", line=3), Term("pantalla", line=4))
    matcher = GlossaryMatcher([glossary(*terms)], spanish)
    assert not matcher.match(spanish("Lo recomiendo"))  # what the warning is about
    assert matcher.match(spanish("Lo recomienda"))
    (warning,) = misread_forms([glossary(*terms)], spanish)
    assert "1 of 2 lemma-mode terms have forms the 'es' lookup table reads as another " \
           "word's" in warning
    # a Glossary made in Python has no file: its term is named by its entry, as the other
    # glossary warnings name it
    assert "'recomendar' (terms[0]) misses 'recomiendo' (read as 'recomer')" in warning
    assert "'pantalla'" not in warning and "as synonyms of their term" in warning
    # listed as a synonym: found, and not named again
    listed = glossary(Term("recomendar", synonyms=("recomiendo",)))
    assert GlossaryMatcher([listed], spanish).match(spanish("Lo recomiendo"))
    assert misread_forms([listed], spanish) == []


def test_terms_read_as_another_word_and_other_modes_are_left_to_other_checks(spanish):
    """"funda" is `fundir` to the table: lemma_shifts names it; a lowercase glossary
    matches words as written."""
    assert misread_forms([glossary(Term("funda"))], spanish) == []
    lowercase = Glossary(name="g", label="a", mode="lowercase", terms=(Term("recomendar"),))
    assert misread_forms([lowercase], spanish) == []


def test_in_english_leaves_is_leave_not_leaf():
    english = load_pipeline(NLPConfig())
    (warning,) = misread_forms([glossary(Term("leaf"), Term("refund"))], english)
    assert "'leaf' (terms[0]) misses 'leaves' (read as 'leave')" in warning
    assert "'refund'" not in warning


def test_the_forms_a_word_should_have_come_from_lemmas_that_end_as_it_does():
    """A made-up table: three verbs in -endar whose first person ends in -iendo show the
    form recomendar should have; a change one neighbour makes is not enough."""
    words = {"encomiendo": "encomendar", "encomienda": "encomendar",
             "enmiendo": "enmendar", "enmienda": "enmendar", "enmendamos": "enmendar",
             "remiendo": "remendar", "remienda": "remendar",
             "recomienda": "recomendar", "recomiendo": "recomer"}
    neighbours = _Neighbours(words, ["recomendar"])
    assert neighbours.forms_of("recomendar") == ["recomienda", "recomiendo"]
    assert neighbours.forms_of("Recomendar") == ["Recomienda", "Recomiendo"]  # its case
    assert neighbours.forms_of("xyz") == []


def test_the_word_file_is_read_only_when_there_is_something_to_ask(monkeypatch):
    """Nothing to ask without the pipeline's lookup table (a trained pipeline's rule
    lemmatizer), nor of terms whose word is too short or not its own lemma: the table's
    words, a second to read for Spanish, are not read for them."""
    from spacy.lookups import Lookups

    import labelwright.glossaries.misread_forms as module

    read = []
    monkeypatch.setattr(module, "table_words", lambda lang: read.append(lang) or {})
    spanish = load_pipeline(NLPConfig(lang="es"))
    assert misread_forms([glossary(Term("sso"), Term("funda"))], spanish) == []
    assert read == []
    assert misread_forms([glossary(Term("recomendar"))], spanish) == []
    assert read == ["es"]  # asked: the (stand-in) words then say nothing
    # the pipeline is shared (load_pipeline keeps it): its table is put back after the test
    monkeypatch.setattr(spanish.get_pipe("lemmatizer"), "lookups", Lookups())
    assert misread_forms([glossary(Term("recomendar"))], spanish) == []
    assert read == ["es"]


def test_a_form_read_as_a_word_of_its_own_is_named_and_forms_rank_by_the_data():
    """French's table reads "plante" as the noun `plante`, itself: the warning for
    `planter` left it out as a word the table does not know, and named the rare
    "plantons" while the project's data held "plante" 83 times. A form the table knows
    as itself is named; given the items' texts, the forms come most frequent first, each
    with its count."""
    french = load_pipeline(NLPConfig(lang="fr"))
    terms = glossary(Term("planter", line=7))
    (warning,) = misread_forms([terms], french)
    assert "'plante' (read as 'plante')" in warning
    texts = ["ça plante encore", "l'appli PLANTE", "nous plantons", "plante, plante"]
    (counted,) = misread_forms([terms], french, texts)
    assert "misses 'plante' (read as 'plante', 4 in the data), 'plantons' (read as " \
           "'planton', 1 in the data)" in counted, counted
    # a word the table does not know is not named: it keeps itself as its lemma
    assert "'plantez'" not in warning


def test_form_counts_count_caseless_words_of_letters_only():
    from labelwright.glossaries.misread_forms import form_counts

    counts = form_counts(["Plante! plantes replante", "PLANTE"], {"plante"})
    assert counts["plante"] == 2 and set(counts) == {"plante"}
    assert form_counts(["plante"], set()) == {}


def test_a_glossary_made_in_python_names_the_term_by_its_entry(spanish):
    """A dict has no lines: the term is named by its place in the dict's terms, as the
    other glossary warnings name it, not by a line of a YAML no one sees."""
    from labelwright.glossaries import glossary_from_dict

    made = glossary_from_dict({"name": "baja", "label": "a", "mode": "lemma",
                               "terms": ["pantalla", "recomendar"]}, ["a", "b"])
    (warning,) = misread_forms([made], spanish)
    assert "'recomendar' (terms[1]) misses 'recomiendo'" in warning
    assert "(line" not in warning
