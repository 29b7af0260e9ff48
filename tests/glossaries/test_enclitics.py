"""Spanish reflexive verbs and words with their pronouns written on ("conectarse",
"conéctate", "conectándome"): what a lemma-mode glossary matches."""

import pytest

from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term


@pytest.fixture(scope="module")
def spanish():
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    return load_pipeline(NLPConfig(lang="es"))


def terms_found(nlp, glossary, texts):
    """Each text with the terms ``glossary`` finds in it."""
    matcher = GlossaryMatcher([glossary], nlp)
    return {text: [m.term for m in matcher.match(nlp(text))] for text in texts}


#: what a Spanish speaker writes for "to log in", and what is no such thing
REFLEXIVE_FORMS = [
    "me conecto", "no me he conectado", "conéctate", "conectate", "conectándose",
    "conectandose", "para conectarse", "no puedo conectarme", "no me puedo conectar",
    "se conecta", "nos conectamos", "os conectáis", "conéctese", "conectémonos",
    "me estoy conectando", "estoy conectándome", "me voy a conectar",
    "no nos vamos a conectar hoy"]
NOT_REFLEXIVE = ["conectar el cable", "no conecto el cable", "conectamos el router",
                 "no conectamos",
                 "el conector", "la clase", "me conocen", "se conoce",
                 "voy a conectar el cable", "se va a la casa a conectar"]


@pytest.mark.parametrize("accents", ["keep", "ignore"])
def test_a_reflexive_term_matches_its_persons_and_its_pronouns_written_on(spanish, accents):
    """`conectarse` matched only "conectarse": the table knows no word with a pronoun
    written on, and "me conecto" has the pronoun of another person. Every person's
    pronoun, before the verb, its auxiliary or its modal ("me voy a conectar" too: "me
    voy a" missed), or written on, now matches; "no"
    before a verb does not, nor a verb without a pronoun."""
    glossary = Glossary("g", "cuenta", "lemma", (Term("conectarse"),), accents=accents)
    found = terms_found(spanish, glossary, REFLEXIVE_FORMS + NOT_REFLEXIVE)
    assert found == {**{text: ["conectarse"] for text in REFLEXIVE_FORMS},
                     **{text: [] for text in NOT_REFLEXIVE}}


def test_a_verb_matches_its_forms_with_pronouns_written_on(spanish):
    """The term `conectar` (what the README advised instead of `conectarse`) missed "no
    puedo conectarme" and "conéctate el cable"; `enviar` missed "enviármelo". A word the
    table does not know that is a term verb's form with pronouns written on matches it;
    a word that only ends as a pronoun does not ("parte" is no "par" + "te")."""
    glossary = Glossary("g", "cuenta", "lemma", (Term("conectar"), Term("enviar"), Term("par")))
    assert terms_found(spanish, glossary, [
        "no puedo conectarme", "conéctate el cable", "enviármelo", "conecto", "parte"]) == {
        "no puedo conectarme": ["conectar"], "conéctate el cable": ["conectar"],
        "enviármelo": ["enviar"], "conecto": ["conectar"], "parte": []}
    (match,) = GlossaryMatcher([glossary], spanish).match(spanish("quiero conectarme ya"))
    assert match.text == "conectarme"


def test_reading_a_word_with_pronouns_written_on():
    from labelwright.config import NLPConfig
    from labelwright.glossaries.enclitics import Enclitics, without_acute
    from labelwright.nlp import LemmaKeys, load_pipeline

    enclitics = Enclitics(LemmaKeys(load_pipeline(NLPConfig(lang="es"))))
    assert enclitics.read("conectarse") == ("se", "conectar")
    assert enclitics.read("conectémonos") == ("nos", "conectar")
    assert enclitics.read("dármelo") == ("me", "dar")
    assert enclitics.read("conectarlo") == ("", "conectar")
    assert enclitics.read("conecta") is None  # a word the table knows
    assert enclitics.read("paquete") is None  # "paque" is no verb
    assert enclitics.split_phrase(["para", "conectarse"]) == ["para", "se", "conectar"]
    assert enclitics.split_phrase(["conectarlo"]) is None  # no reflexive pronoun
    assert without_acute("conéctate") == "conectate" and without_acute("año") == "año"


def test_check_does_not_call_a_reflexive_term_a_word_without_forms(spanish):
    """`check` named `conectarse` among the terms the table knows no other form of,
    advising to list its forms as synonyms: it is `se` and `conectar` now."""
    from labelwright.glossaries.table_forms import terms_without_forms

    glossary = Glossary("g", "cuenta", "lemma",
                        (Term("conectarse"), Term("registrarse"), Term("wifi")))
    (message,) = terms_without_forms([glossary], spanish)
    assert "1 of 3" in message and "'wifi'" in message and "conectarse" not in message


def test_starting_afresh_does_not_forget_a_texts_words_halfway(monkeypatch):
    """The words remembered were cleared when their number passed the bound, also in the
    middle of a text's words: those read before were forgotten, and a word with its
    pronoun written on among them went unread. The bound is kept before a text's words."""
    from labelwright.config import NLPConfig
    from labelwright.glossaries import enclitics as module
    from labelwright.nlp import LemmaKeys, load_pipeline

    enclitics = module.Enclitics(LemmaKeys(load_pipeline(NLPConfig(lang="es"))))
    monkeypatch.setattr(module, "MAX_REMEMBERED", 3)
    words = ["conectarme", *(f"palabra{n}" for n in range(20))]
    for _ in range(3):
        reading = enclitics.text_keys(words, "keep", frozenset({"conectar"}))
        assert reading is not None and reading[0][:2] == ["me", "conectar"]


def test_a_table_that_reads_nos_as_no_still_reads_the_written_pronoun():
    """The blank pipeline's table reads "nos" as itself; a pipeline whose table still reads
    it as "no" (one of the user's) has "nos conectamos" matched by `conectarse` through
    the pronoun as written, and "no conectamos" not."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline
    from labelwright.nlp.lemma_tables import lemma_table

    nlp = load_pipeline(NLPConfig(lang="es"), shared=False)
    lemma_table(nlp)["nos"] = "no"
    assert [t.lemma_ for t in nlp("nos conectamos")] == ["no", "conectar"]
    glossary = Glossary("g", "cuenta", "lemma", (Term("conectarse"),))
    assert terms_found(nlp, glossary, ["nos conectamos", "no conectamos"]) == {
        "nos conectamos": ["conectarse"], "no conectamos": []}


@pytest.mark.parametrize("listed", [("conectar", "conectarse"), ("conectarse", "conectar")])
def test_the_longer_term_is_credited_with_a_word_with_its_pronoun_written_on(spanish, listed):
    """`conectar` and `conectarse` both match "conectarme" (one word, read as "me" +
    `conectar`): the credit went to the term the glossary lists first, so with `conectar`
    first the reflexive term was reported as never matching "no puedo conectarme". The
    term that matched more words, the more specific, is credited, in either order; a
    word without a reflexive pronoun is still `conectar`'s."""
    glossary = Glossary("g", "cuenta", "lemma", tuple(Term(t) for t in listed))
    assert terms_found(spanish, glossary, [
        "no puedo conectarme", "conéctate ya", "conectarse", "no puedo conectarlo",
        "conectar el cable"]) == {
        "no puedo conectarme": ["conectarse"], "conéctate ya": ["conectarse"],
        "conectarse": ["conectarse"], "no puedo conectarlo": ["conectar"],
        "conectar el cable": ["conectar"]}
