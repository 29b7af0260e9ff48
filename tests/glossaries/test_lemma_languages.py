"""Lemma-mode glossaries on German and Spanish items, as a user labelling support messages
typed them: nouns in lowercase, Swiss "ss" for "ß", spellings the lookup table lacks."""

import pytest

from labelwright.config import NLPConfig
from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term
from labelwright.nlp import load_pipeline


@pytest.fixture(scope="module")
def german():
    return load_pipeline(NLPConfig(lang="de"))


@pytest.fixture(scope="module")
def spanish():
    return load_pipeline(NLPConfig(lang="es"))


def matched(nlp, terms, text):
    """{term: [matched text, ...]} of one lemma-mode glossary per term."""
    glossaries = [Glossary(name=f"t{i}", label="a", mode="lemma", terms=(Term(t),))
                  for i, t in enumerate(terms)]
    found: dict[str, list[str]] = {}
    for m in GlossaryMatcher(glossaries, nlp).match(nlp(text)):
        found.setdefault(m.term, []).append(m.text)
    return found


def test_german_nouns_typed_in_lowercase_find_their_lemma(german):
    """German's table holds nouns capitalised ("Rechnungen"): "rechnungen" and "paketen"
    were looked up as written and kept no lemma, so the term "Rechnung" missed them while
    "Rechnungen" and "RECHNUNGEN" matched. A lowercase word that is itself a lemma of the
    table is that word: the verb "antworten" is not the noun "Antworten" (Antwort)."""
    assert [t.lemma_ for t in german("rechnungen paketen Rechnungen RECHNUNGEN")] == [
        "Rechnung", "Paket", "Rechnung", "Rechnung"]
    terms = ["Rechnung", "Paket", "Antwort"]
    assert matched(german, terms, "zwei rechnungen und drei paketen") == {
        "Rechnung": ["rechnungen"], "Paket": ["paketen"]}
    assert matched(german, terms, "bitte antworten Sie") == {}
    assert [t.lemma_ for t in german("antworten arbeiten gebühren")] == [
        "antworten", "arbeiten", "gebühren"]


def test_lowercase_verbs_adjectives_and_prepositions_are_not_read_as_nouns(german):
    """A lowercase word the table does not know was read in title case whatever it was:
    "brauche" (I need) became "Brauch" (custom), "wegen" (because of) "Weg" (way),
    "schöne" "Schönes", "as" "A", so the term "Weg" matched "Ich schreibe wegen ...". A
    stop word, a word of two letters, or a lowercase lemma's verb or adjective form stays
    as written; nouns typed in lowercase still find their lemma."""
    words = "brauche wegen schöne neue danke letzte as wochen monaten nachbarn bezahlbare"
    assert [t.lemma_ for t in german(words)] == [
        "brauche", "wegen", "schöne", "neue", "danke", "letzte", "as", "Woche", "Monat",
        "Nachbar", "bezahlbar"]
    terms = ["Weg", "Brauch", "Dank", "Woche", "Steuer"]
    assert matched(german, terms, "ich schreibe wegen der steuer, ich brauche sie in "
                   "zwei wochen, danke") == {"Steuer": ["steuer"], "Woche": ["wochen"]}


def test_lowercase_words_keep_their_lemmas_in_languages_that_do_not_capitalise_nouns():
    """Only German (and Luxembourgish) write nouns capitalised: English keeps "americans"
    as written (its table's "Americans" is a name's form), as before."""
    english = load_pipeline(NLPConfig(lang="en"))
    assert [t.lemma_ for t in english("americans refunds")] == ["americans", "refund"]


@pytest.mark.parametrize("text, term", [
    ("Strassen", "Straße"), ("strassen", "Straße"), ("STRASSEN", "Straße"),
    ("Grössen", "Größe"), ("grössen", "Größe"), ("GRÖSSEN", "Größe"),
    ("Passwörter", "Passwort"), ("passwörter", "Passwort"), ("PASSWÖRTER", "Passwort")])
def test_ss_for_sharp_s_finds_the_lemma_in_any_case(german, text, term):
    """Swiss German writes "ss" for "ß", and German's table knows "Passwörter" only as
    "Paßwörter": only words in capitals were read with "ss" as "ß", so "Strassen",
    "Grössen" and "Passwörter" missed "Straße", "Größe" and "Passwort"."""
    assert matched(german, [term], f"die {text} bitte") == {term: [text]}


def test_words_the_table_knows_with_ss_stay_themselves(german):
    """Only a word the table knows in no form is read with "ß": "Masse" (mass) and
    "Busse" (buses) are words of their own, not forms of "Maß" and "Buße"."""
    assert [t.lemma_ for t in german("Masse masse Busse busse")] == [
        "Masse", "masse", "Bus", "Bus"]
    assert matched(german, ["Maß", "Buße"], "Masse und Busse") == {}


def test_a_term_matches_words_whose_lemma_is_the_term_as_written(spanish):
    """Spanish's table makes the noun "envío" a form of the verb "enviar" (I send): the
    term's lemma was "enviar", so "los envíos" (lemma "envío") never matched it. A
    lemma-mode term matches by its lemma and by its written words."""
    assert [t.lemma_ for t in spanish("envío envíos")] == ["enviar", "envío"]
    terms = ["envío", "reembolso", "devolución"]
    for text, words in (("los envíos", {"envío": ["envíos"]}),
                        ("mi envío", {"envío": ["envío"]}),
                        ("LOS ENVÍOS y los reembolsos", {"envío": ["ENVÍOS"],
                                                         "reembolso": ["reembolsos"]}),
                        ("dos devoluciones", {"devolución": ["devoluciones"]})):
        assert matched(spanish, terms, text) == words, text


def test_a_term_matched_by_its_written_form_clashes_with_another_labels_term(spanish):
    """The term "envío" matches "envíos" by its written form: a term "envíos" of another
    label matches the same words, and check says so as it does for shared lemmas."""
    from labelwright.glossaries.checks import lemma_problems

    shipping = Glossary(name="shipping", label="a", mode="lemma", terms=(Term("envío"),))
    other = Glossary(name="other", label="b", mode="lemma", terms=(Term("envíos"),))
    problems = lemma_problems([shipping, other], spanish)
    assert len(problems) == 1 and "'envíos' (label 'b') has the lemmas of 'envío'" in \
        problems[0] and "('envío')" in problems[0], problems
    assert lemma_problems([shipping, Glossary(name="o", label="b", mode="lemma",
                                              terms=(Term("enviar"),))], spanish)


def test_spanish_nos_is_a_pronoun_not_the_negation(spanish):
    """Spanish's lookup table reads the pronoun "nos" (us) as "no" and "os" as "o" (or):
    the exclusion "no" cancelled "nos funciona" (it works for us), and the term `no
    funciona` matched it, the opposite of what it says. They are their own lemma now, in
    any case; "no nos funciona" is still cancelled, by its "no"."""
    assert [t.lemma_ for t in spanish("Nos funciona, NOS llega, os conectáis")] == [
        "nos", "funcionar", ",", "nos", "llegar", ",", "os", "conectar"]
    glossary = Glossary("g", "ok", "lemma", (Term("funciona"),), exclusions=("no",))
    found = {text: [m.excluded_by for m in GlossaryMatcher([glossary], spanish).match(
        spanish(text))] for text in ("nos funciona", "Nos funciona bien", "no nos funciona")}
    assert found == {"nos funciona": [None], "Nos funciona bien": [None],
                     "no nos funciona": ["no"]}
    assert matched(spanish, ["no funciona"], "nos funciona") == {}
    assert matched(spanish, ["no funciona"], "no funciona") == {"no funciona": ["no funciona"]}


def test_spanish_nouns_the_table_misreads_are_read_as_themselves(spanish):
    """Spanish's lookup table read "línea" and "idea" as the non-words "líneo" and "ideo",
    the plurals "redes" and "meses" as rare verbs' subjunctives ("redar", "mesar") though
    their singulars as themselves, and "fallan", "falló" as the archaic "fallir": the term
    `red` missed "redes", `fallar` missed "fallan". Words that are also a common form of
    another word ("factura": "facturar") keep the table's reading."""
    text = ("Dos líneas y una línea, una idea, tres meses, las redes fallan, falló la "
            "conexión, conexiones, direcciones, comisiones, transacciones, un fallo")
    lemmas = {t.text: t.lemma_ for t in spanish(text)}
    assert {w: lemmas[w] for w in ("líneas", "línea", "idea", "meses", "redes", "fallan",
                                   "falló", "conexiones", "direcciones", "comisiones",
                                   "transacciones", "fallo")} == {
        "líneas": "línea", "línea": "línea", "idea": "idea", "meses": "mes", "redes": "red",
        "fallan": "fallar", "falló": "fallar", "conexiones": "conexión",
        "direcciones": "dirección", "comisiones": "comisión",
        "transacciones": "transacción", "fallo": "fallo"}
    assert matched(spanish, ["red", "fallar", "mes"], "las redes fallan desde hace meses") == {
        "red": ["redes"], "fallar": ["fallan"], "mes": ["meses"]}
    assert [t.lemma_ for t in spanish("factura cuenta")] == ["facturar", "contar"]


def test_french_plural_nouns_the_table_reads_as_verbs_are_read_as_nouns():
    """French's table read "lignes" and "agences" as the verbs "ligner" and "agencer"
    while it read "ligne" and "agence" as themselves: the term `ligne` missed "lignes"."""
    french = load_pipeline(NLPConfig(lang="fr"))
    assert [t.lemma_ for t in french("lignes agences ligne")] == ["ligne", "agence", "ligne"]
    assert matched(french, ["ligne"], "deux lignes coupées") == {"ligne": ["lignes"]}
