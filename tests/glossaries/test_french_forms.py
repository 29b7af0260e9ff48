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
    shifted = Glossary("g", "bug", "lemma", (Term("message d'erreur"), Term("répartie")))
    (message,) = lemma_shifts([shifted], french)
    assert "'répartie' (terms[1]) by 'répartir'" in message, message
    assert "message d'erreur" not in message, message


def test_verb_forms_and_articles_read_as_their_base_are_no_lemma_shift(french):
    """A French complaints glossary had 6 of 12 phrases named: "ai" as "avoir", "la" as
    "le", "vu" and "facturé" as their infinitives. Each is its lemma's own form, and
    matching the lemma's other forms is what lemma mode is for; a noun of the dictionary
    read as a verb is still named."""
    from labelwright.glossaries.checks import lemma_shifts

    phrases = ["je n'ai plus internet", "la fibre ne marche pas", "il y a une panne", "vu",
               "la ligne est coupée", "on m'a facturé", "facture"]
    quiet = Glossary("g", "bug", "lemma", tuple(Term(p) for p in phrases))
    assert lemma_shifts([quiet], french) == []
    (message,) = lemma_shifts([Glossary("g", "bug", "lemma", (*quiet.terms, Term(
        "répartie")))], french)
    assert message.startswith("<memory>: 1 of 8 lemma-mode phrases"), message


def test_accents_ignore_spells_ligatures_out_on_both_sides(french):
    """"coeur" never matched `cœur`, nor "oeuvre" `œuvre`, even with accents: ignore: no
    Unicode form splits a ligature. They are read as their two letters on both sides;
    a glossary that keeps accents still tells them apart."""
    terms = (Term("cœur"), Term("oeuvre"), Term("ex æquo"))
    ignore = Glossary("g", "compliment", "lemma", terms, accents="ignore")
    assert terms_found(french, ignore, ["coeur", "COEUR", "œuvre", "Œuvre", "ex aequo",
                                        "EX ÆQUO", "cour"]) == {
        "coeur": ["cœur"], "COEUR": ["cœur"], "œuvre": ["oeuvre"], "Œuvre": ["oeuvre"],
        "ex aequo": ["ex æquo"], "EX ÆQUO": ["ex æquo"], "cour": []}
    keep = Glossary("g", "compliment", "lemma", terms)
    assert terms_found(french, keep, ["coeur", "œuvre"]) == {"coeur": [], "œuvre": []}


@pytest.mark.parametrize("mode", ["exact", "lowercase", "lemma"])
def test_a_hyphen_that_joins_two_words_is_read_as_the_space_between_them(french, mode):
    """`chef-d'œuvre` missed "chef d'œuvre" and `chef d'œuvre` "chef-d'œuvre": the
    tokenizer splits the hyphen off as a word of its own. A hyphen with no space on either
    side is left out, as a space is; one with a space beside it is kept."""
    glossary = Glossary("g", "compliment", mode, (Term("chef-d'œuvre"), Term("wi fi")))
    assert terms_found(french, glossary, [
        "un chef d'œuvre", "un chef-d'œuvre", "le wi-fi", "le wi fi", "chef - d'œuvre"]) == {
        "un chef d'œuvre": ["chef-d'œuvre"], "un chef-d'œuvre": ["chef-d'œuvre"],
        "le wi-fi": ["wi fi"], "le wi fi": ["wi fi"], "chef - d'œuvre": []}


def test_accents_ignore_matches_a_form_typed_without_its_accents(french):
    """Under accents: ignore the terms `prélever`, `résilier`, `débiter`, `génial` and
    `livrer` missed "preleve", "resilie", "debite", "geniale" (no word of the table
    without their accents) and "livre" (the noun: a book), while "prélevé" matched. A text
    word whose spelling with its accents put back is a form of a term word's lemma now
    matches it; a glossary that keeps accents misses them as before."""
    terms = (Term("prélever"), Term("résilier"), Term("facturer"), Term("débiter"),
             Term("génial"), Term("livrer"))
    ignore = Glossary("g", "facturation", "lemma", terms, accents="ignore")
    texts = ["on m'a preleve 2 fois", "PRELEVE", "j'ai resilie", "il a facture",
             "j'ai ete debite", "trop geniale", "colis livre a la mauvaise adresse",
             "prélevé", "une prelevure", "un livret"]
    assert terms_found(french, ignore, texts) == {
        "on m'a preleve 2 fois": ["prélever"], "PRELEVE": ["prélever"],
        "j'ai resilie": ["résilier"], "il a facture": ["facturer"],
        "j'ai ete debite": ["débiter"], "trop geniale": ["génial"],
        "colis livre a la mauvaise adresse": ["livrer"], "prélevé": ["prélever"],
        "une prelevure": [], "un livret": []}
    # the match points at the text's own word
    (match,) = GlossaryMatcher([ignore], french).match(french("on m'a preleve 2 fois"))
    assert match.text == "preleve"
    keep = Glossary("g", "facturation", "lemma", terms)
    assert terms_found(french, keep, ["preleve", "colis livre", "prélevé"]) == {
        "preleve": [], "colis livre": [], "prélevé": ["prélever"]}


def test_accented_spellings_put_back_the_fewest_marks_first():
    from labelwright.glossaries.unaccented_forms import MOST_MARKS, accented_spellings

    spelt = accented_spellings("ete", frozenset("éèê"))
    assert spelt[:6] == ["ète", "éte", "ête", "etè", "eté", "etê"]
    assert "été" in spelt and len(spelt) == 15
    assert all(sum(c != "e" and c != "t" for c in s) <= MOST_MARKS for s in spelt)
    assert accented_spellings("xyz", frozenset("é")) == []


def test_a_reflexive_verb_matches_with_any_persons_pronoun(french):
    """The lemma-mode term `se connecter` matched none of "me connecter", "je me connecte
    pas", "on s'est connecté": the dictionary's pronoun is the third person's. The other
    reflexive pronouns (elided too) stand in its place, the auxiliary `être` may follow
    them; "nous" and "vous" count only after themselves, being subjects too."""
    glossary = Glossary("g", "compte", "lemma", (Term("se connecter"), Term("s'inscrire")))
    assert terms_found(french, glossary, [
        "me connecter", "je me connecte pas", "on s'est connecté", "je me suis connecté",
        "vous vous êtes connectés", "nous nous connectons", "je m'inscris",
        "nous connectons le câble", "il connecte le câble", "je me déconnecte"]) == {
        "me connecter": ["se connecter"], "je me connecte pas": ["se connecter"],
        "on s'est connecté": ["se connecter"], "je me suis connecté": ["se connecter"],
        "vous vous êtes connectés": ["se connecter"],
        "nous nous connectons": ["se connecter"], "je m'inscris": ["s'inscrire"],
        "nous connectons le câble": [], "il connecte le câble": [], "je me déconnecte": []}
    # lowercase mode compares the words as written
    written = Glossary("g", "compte", "lowercase", (Term("se connecter"),))
    assert terms_found(french, written, ["me connecter"]) == {"me connecter": []}


def test_a_reflexive_verb_matches_across_the_negation_and_after_an_imperative(french):
    """`se connecter` missed "je ne me suis pas connecté", "elle ne s'est jamais
    connectée" (the negation between the auxiliary and the verb), "connecte-toi" and
    "connectez-vous" (the pronoun after the verb) and "ne vous connectez pas". They match
    now, in capitals and with accents: ignore too; a pronoun far from the verb, or one
    that is the subject, does not."""
    texts = ["je ne me suis pas connecté", "elle ne s'est jamais connectée",
             "il ne s'est toujours pas vraiment connecté", "je m'y connecte",
             "connecte-toi", "Connectez-vous", "connectons-nous", "ne te connecte pas",
             "ne vous connectez pas", "s'est-il connecté", "JE NE ME SUIS PAS CONNECTÉ",
             "il me connait", "il se fâche. Connecter le câble", "se demander comment connecter",
             "vous êtes pas connecté", "vous connectez le câble", "connecte-le",
             "je me suis pas déconnecté", "je ne suis pas connecté"]
    missed = {"il me connait", "il se fâche. Connecter le câble", "je ne suis pas connecté",
              "se demander comment connecter", "vous êtes pas connecté",
              "vous connectez le câble", "connecte-le", "je me suis pas déconnecté"}
    for accents in ("keep", "ignore"):
        glossary = Glossary("g", "compte", "lemma", (Term("se connecter"),), accents=accents)
        assert terms_found(french, glossary, texts) == {
            text: [] if text in missed else ["se connecter"] for text in texts}, accents
    ignore = Glossary("g", "compte", "lemma", (Term("se connecter"),), accents="ignore")
    assert terms_found(french, ignore, ["elle ne s'est jamais connectee"]) == {
        "elle ne s'est jamais connectee": ["se connecter"]}
    # the match spans the pronoun to the verb, the words between included
    (match,) = GlossaryMatcher([ignore], french).match(french("je ne me suis pas connecté"))
    assert match.text == "me suis pas connecté"


def test_only_a_reflexive_phrase_matches_across_the_words_it_skips(french):
    """A phrase not read as reflexive keeps its words together: `suis connecté` does not
    match "je me suis pas connecté" on the reading without "pas"."""
    glossary = Glossary("g", "compte", "lemma", (Term("suis connecté"),))
    assert terms_found(french, glossary, ["je me suis pas connecté", "je suis connecté"]) == {
        "je me suis pas connecté": [], "je suis connecté": ["suis connecté"]}


def test_an_exclusion_among_the_skipped_words_cancels_the_match(french):
    """The glossary's exclusion "pas" cancelled "je n'arrive pas à me connecter" but
    would not have seen the "pas" inside "je ne me suis pas connecté": the skipped words
    are read by the exclusions before and after the match alike."""
    for side in ("exclusions", "exclusions_after"):
        glossary = Glossary("g", "compte", "lemma", (Term("se connecter"),),
                            **{side: ("pas",)})
        (match,) = GlossaryMatcher([glossary], french).match(
            french("je ne me suis pas connecté"))
        assert match.excluded_by == "pas", side
        (kept,) = GlossaryMatcher([glossary], french).match(
            french("elle ne s'est jamais connectée"))
        assert kept.excluded_by is None, side


def test_a_reflexive_pronoun_alone_or_in_a_language_without_the_data_is_as_written():
    from labelwright.config import NLPConfig
    from labelwright.glossaries.reflexive import ReflexivePhrases
    from labelwright.nlp import LemmaKeys, load_pipeline

    english = load_pipeline(NLPConfig(lang="en"))
    assert ReflexivePhrases(english, LemmaKeys(english)).variants(["se", "connect"]) == []
    french = load_pipeline(NLPConfig(lang="fr"))
    reflexive = ReflexivePhrases(french, LemmaKeys(french))
    assert reflexive.variants(["se"]) == [] and reflexive.variants(["le", "compte"]) == []
    assert ["me", "connecter"] in reflexive.variants(["se", "connecter"])


def test_a_word_with_a_ligature_is_looked_up_as_the_table_spells_it(french):
    """French's table writes "oeuvres", "coeurs", never "œ": "œuvres" and "cœurs" kept
    themselves as lemmas, so `œuvre` and `cœur` missed their plurals, and check said the
    table knew no other form of them. They are looked up spelt out and keep their
    ligature in the lemma; a glossary keeping accents still tells "oeuvre" apart."""
    from labelwright.glossaries.table_forms import terms_without_forms

    assert [t.lemma_ for t in french("les œuvres, des Cœurs et des manœuvres")] == [
        "le", "œuvre", ",", "un", "cœur", "et", "un", "manœuvre"]
    glossary = Glossary("g", "art", "lemma", (Term("œuvre"), Term("cœur"), Term("oeuvre")))
    assert terms_found(french, glossary, ["les œuvres", "ŒUVRES", "les cœurs", "oeuvres"]) == {
        "les œuvres": ["œuvre"], "ŒUVRES": ["œuvre"], "les cœurs": ["cœur"],
        "oeuvres": ["oeuvre"]}
    named = Glossary("g", "art", "lemma", (Term("œuvre"), Term("cœur"), Term("zorglub")))
    (message,) = terms_without_forms([named], french)
    assert "'zorglub'" in message and "œuvre" not in message and "cœur" not in message


def test_a_participle_read_as_an_adjective_is_its_verb_after_an_auxiliary(french):
    """French's table reads "inscrite(s)" and "inscrits" as the adjective `inscrit`, "fait"
    as `fait`, "produit" as `produit`: `inscrire`, `s'inscrire`, `faire` and `produire`
    missed "je suis inscrite", "je me suis pas encore inscrite", "j'ai fait", "il a
    produit". After an auxiliary they are the verb's; elsewhere they keep the table's
    lemma ("le produit" is the product, "en fait" no form of `faire`)."""
    glossary = Glossary("g", "compte", "lemma", (
        Term("s'inscrire"), Term("inscrire"), Term("faire"), Term("produire")))
    assert terms_found(french, glossary, [
        "je suis inscrite", "ils sont inscrits", "je me suis pas encore inscrite",
        "elle s'est inscrite hier", "j'ai fait", "il a produit", "le produit", "en fait",
        "une personne inscrite"]) == {
        "je suis inscrite": ["inscrire"], "ils sont inscrits": ["inscrire"],
        "je me suis pas encore inscrite": ["s'inscrire"],
        "elle s'est inscrite hier": ["s'inscrire"], "j'ai fait": ["faire"],
        "il a produit": ["produire"], "le produit": [], "en fait": [],
        "une personne inscrite": []}


def test_the_verb_exceptions_are_read_only_for_a_glossary_with_an_infinitive(french):
    """Every French lemma-mode matcher read spacy-lookups-data's verb exceptions (114,327
    words) for the participles, though a glossary of nouns has no verb to read them for.
    They are read once a term word is spelt as an infinitive, and give the same
    matches."""
    from labelwright.glossaries import participles

    participles.verb_exceptions.cache_clear()
    nouns = Glossary("g", "compte", "lemma", (Term("compte"), Term("remboursement")))
    assert terms_found(french, nouns, ["mon compte est bloqué"]) == {
        "mon compte est bloqué": ["compte"]}
    assert participles.verb_exceptions.cache_info().misses == 0
    verbs = Glossary("g", "compte", "lemma", (Term("compte"), Term("inscrire")))
    assert terms_found(french, verbs, ["je suis inscrite"]) == {
        "je suis inscrite": ["inscrire"]}
    assert participles.verb_exceptions.cache_info().misses == 1
    assert participles.needs_exceptions("fr", frozenset({"haïr"}))
    assert not participles.needs_exceptions("fr", frozenset({"compte", "mot", "passe"}))


def test_a_verb_form_read_as_a_noun_is_the_verb_after_a_pronoun_or_tout(french):
    """French's table reads "fait", "faites" and "produit" as the noun (`fait`,
    `produit`): `faire` matched "j'ai fait" (after the auxiliary) but missed "il a tout
    fait" ("tout" between them), "ça se fait", "il ne le fait pas", "vous faites quoi"
    and "il fait beau", which are all `faire`. Such a word is the verb after a word only a
    verb follows (a subject or reflexive pronoun, "ne"; "le", "en" after one of those) and
    after an auxiliary with "tout" between; the noun stays the noun ("le fait que", "en
    fait", "les faits", "son produit")."""
    verbs = ["il a tout fait", "ils ont tous fait", "ça se fait", "ça ne se fait pas",
             "il ne le fait pas", "il s'en fait", "vous faites quoi", "il fait beau",
             "il produit", "l'as-tu fait"]
    nouns = ["le fait que", "en fait il part", "les faits", "son produit", "y compris",
             "tout fait"]
    for accents in ("keep", "ignore"):
        glossary = Glossary("g", "x", "lemma", (Term("faire"), Term("produire")),
                            accents=accents)
        found = terms_found(french, glossary, verbs + nouns)
        assert found == {**{text: ["produire" if "produit" in text else "faire"]
                            for text in verbs},
                         **{text: [] for text in nouns}}, accents


def test_se_faire_is_credited_where_the_text_has_the_pronoun(french):
    """With the terms `faire` and `se faire`, "ça se fait" is the longer `se faire`'s,
    "il a tout fait" `faire`'s."""
    glossary = Glossary("g", "x", "lemma", (Term("faire"), Term("se faire")))
    assert terms_found(french, glossary, ["ça se fait", "il a tout fait"]) == {
        "ça se fait": ["se faire"], "il a tout fait": ["faire"]}


def test_an_inverted_reflexive_question_in_a_compound_tense_matches(french):
    """`se connecter` missed "vous êtes-vous connecté" (the reflexive "vous" before the
    auxiliary, the subject "-vous" after it: the first "vous" was read as the subject),
    "nous sommes-nous connectés" and "t'es-tu connecté" (the tokenizer splits "es-tu" at
    the hyphen); "êtes-vous connecté", with no reflexive pronoun, is not reflexive."""
    glossary = Glossary("g", "compte", "lemma", (Term("se connecter"),), exclusions=("pas",))
    texts = ["vous êtes-vous connecté", "Vous êtes-vous connectés ?",
             "nous sommes-nous connectés", "t'es-tu connecté", "se sont-elles connectées",
             "êtes-vous connecté"]
    assert terms_found(french, glossary, texts) == {
        **{text: ["se connecter"] for text in texts[:-1]}, "êtes-vous connecté": []}
    (match,) = GlossaryMatcher([glossary], french).match(
        french("ne vous êtes-vous pas connecté"))
    assert match.excluded_by == "pas"


def test_tu_is_the_participle_of_taire_where_a_term_asks_for_it(french):
    """"tu" stands between an auxiliary and its participle as the inverted subject ("t'es-tu
    connecté"), and is also the participle of `taire`: skipped, "il s'est tu hier" lost
    `se taire` (the reading went on to "hier"); only at the text's end did it match. A
    word the reading takes as a term verb's form is not skipped."""
    glossary = Glossary("g", "x", "lemma", (Term("se taire"),))
    texts = ["il s'est tu hier", "il s'est tu", "tu t'es tu pendant la réunion",
             "je me suis tu, puis je suis parti"]
    assert terms_found(french, glossary, texts) == {text: ["se taire"] for text in texts}
    connecter = Glossary("g", "x", "lemma", (Term("se connecter"),))
    assert terms_found(french, connecter, ["t'es-tu connecté hier"]) == {
        "t'es-tu connecté hier": ["se connecter"]}
