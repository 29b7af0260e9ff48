import re
import textwrap

import pytest

from labelwright.errors import GlossaryError
from labelwright.glossaries.core import (
    Glossary,
    GlossaryMatcher,
    Term,
    glossary_lf,
)
from labelwright.glossaries.reading import load_glossaries, load_glossary
from labelwright.lfs.core import ABSTAIN
from labelwright.lfs.item import Item

LABELS = ("billing", "technical")


def write(folder, name, text):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def glossary(mode="lowercase", terms=None, exclusions=(), window=3, name="g", label="billing"):
    terms = terms if terms is not None else [Term("refund")]
    return Glossary(name=name, label=label, mode=mode, terms=tuple(terms),
                    exclusions=tuple(exclusions), window=window)


def found(nlp, glossaries, text):
    return GlossaryMatcher(glossaries, nlp).match(nlp(text))


# --- loading --------------------------------------------------------------------------------


def test_load_full_glossary(tmp_path):
    path = write(tmp_path, "billing_terms.yaml", """\
        # comment
        label: billing
        mode: lemma
        window: 2
        description: Money matters
        exclusions: ["no", "not"]
        terms:
          - refund
          - term: charge
            synonyms: [overcharge, double charge]
            note: "Check the invoice."
    """)
    g = load_glossary(path, LABELS)
    assert g.name == "billing_terms"
    assert g.lf_name == "glossary:billing_terms"
    assert g.label == "billing" and g.mode == "lemma" and g.window == 2
    assert g.description == "Money matters"
    assert g.exclusions == ("no", "not")
    assert g.terms == (
        Term("refund", line=8),
        Term("charge", ("overcharge", "double charge"), "Check the invoice.", line=9),
    )
    assert g.terms[1].phrases == ("charge", "overcharge", "double charge")
    import hashlib

    assert g.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_defaults_and_explicit_name(tmp_path):
    g = load_glossary(write(tmp_path, "x.yml", "name: money\nlabel: billing\nterms: [fee]\n"),
                      LABELS)
    assert (g.name, g.mode, g.window, g.exclusions) == ("money", "lowercase", 3, ())


def test_template_glossaries_load():
    from importlib import resources

    folder = resources.files("labelwright") / "templates/project/glossaries"
    glossaries = load_glossaries(folder, ("negative", "positive"))
    assert sorted(g.name for g in glossaries) == ["complaints", "praise"]


@pytest.mark.parametrize(("text", "expected"), [
    ("label: billing\nterms: [a, b\nmode: exact\n", r"x\.yaml:\d+: invalid YAML"),
    ("label: sales\nterms: [fee]\n",
     r"x\.yaml:1: label 'sales' is not a project label; valid labels: billing, technical"),
    ("label: Biling\nterms: [fee]\n",
     r"x\.yaml:1: label 'Biling' is not a project label; did you mean 'billing'\? valid "
     r"labels: billing, technical"),
    ("label: billing\nterm: [fee]\n", r"x\.yaml:2: unknown key 'term'; did you mean 'terms'\? "),
    # it said "label None is not a project label"
    ("terms: [fee]\n", r"x\.yaml:1: no label: a glossary names the label its terms vote "
                       r"for \(label: billing\); valid labels: billing, technical"),
    ("label: billing\nmode: fuzzy\nterms: [fee]\n",
     r"x\.yaml:2: mode 'fuzzy'; valid modes: exact, lowercase, lemma"),
    ("label: billing\nterms: []\n", r"x\.yaml:2: the glossary has no terms"),
    ("label: billing\n", r"x\.yaml:1: the glossary has no terms"),
    ("label: billing\nterms: fee\n", r"x\.yaml:2: `terms` must be a list"),
    ("label: billing\nterms: [fee]\nexclude: [no]\n",
     r"x\.yaml:3: unknown key 'exclude'; valid keys: accents, description, exclusions, "
     r"exclusions_after, label, mode, name,"),
    ("label: billing\nterms:\n  - fee\n  - term: tax\n    synonym: [vat]\n",
     r"x\.yaml:4: unknown key 'synonym' in a term; did you mean 'synonyms'\? valid keys: "
     r"note, synonyms, term"),
    ("label: billing\nterms:\n  - fee\n  - {note: x}\n", r"x\.yaml:4: a term is a string"),
    ("label: billing\nterms:\n  - term: tax\n    synonyms: [vat, '']\n",
     r"x\.yaml:3: expected a list of non-empty strings"),
    ("label: billing\nwindow: -1\nterms: [fee]\n", r"x\.yaml:2: window must be a whole number"),
    ("- a\n- b\n", r"x\.yaml: a glossary is a YAML mapping .*not a list"),
    ("", r"x\.yaml: the file is empty; a glossary is a YAML mapping"),
    ("# only a comment\n", r"x\.yaml: the file is empty"),
    # YAML keeps the last of two equal keys: the first list, label or note was dropped
    ("label: billing\nterms: [fee, tax]\nmode: exact\nterms: [refund]\n",
     r"x\.yaml:4: key 'terms' is given twice \(first on line 2\); YAML would keep only"),
    ("label: billing\nterms: [fee]\nlabel: technical\n", r"x\.yaml:3: key 'label' is given"),
    ("label: billing\nterms:\n  - term: tax\n    note: a\n    note: b\n",
     r"x\.yaml:5: key 'note' is given twice \(first on line 4\)"),
    # turned into text: name "['x']", a note "['a', 'b']"
    ("name: [x]\nlabel: billing\nterms: [fee]\n", r"x\.yaml:1: name must be a non-empty string"),
    ("label: billing\nterms:\n  - term: tax\n    note: [a, b]\n",
     r"x\.yaml:3: a note is a line of text, got \['a', 'b'\]"),
    ("label: billing\ndescription: {a: 1}\nterms: [fee]\n", r"x\.yaml:2: description must"),
])
def test_load_errors(tmp_path, text, expected):
    path = write(tmp_path, "x.yaml", text)
    with pytest.raises(GlossaryError, match=expected):
        load_glossary(path, LABELS)


def test_yaml_syntax_error_line(tmp_path):
    path = write(tmp_path, "x.yaml", "label: billing\nterms:\n  - fee\n  - [oops\n")
    with pytest.raises(GlossaryError) as info:
        load_glossary(path, LABELS)
    assert str(info.value).startswith(f"{path}:5: invalid YAML")


def test_phrase_claimed_by_two_labels(tmp_path):
    first = write(tmp_path, "a.yaml", "label: billing\nterms:\n  - fee\n  - Login Page\n")
    second = write(tmp_path, "b.yaml", "label: technical\nterms:\n  - crash\n"
                                       "  - term: bug\n    synonyms: [login  page]\n")
    with pytest.raises(GlossaryError) as info:
        load_glossaries(tmp_path, LABELS)
    message = str(info.value)
    # the synonym's line, not its term's (4)
    assert f"{second}:5" in message and f"{first}:4" in message
    assert "'login  page'" in message and "(label 'billing')" in message


def test_same_phrase_same_label_is_fine(tmp_path):
    write(tmp_path, "a.yaml", "label: billing\nterms: [fee]\n")
    write(tmp_path, "b.yaml", "label: billing\nterms: [fee]\n")
    assert [g.name for g in load_glossaries(tmp_path, LABELS)] == ["a", "b"]


def test_a_phrase_listed_twice_in_one_glossary(tmp_path):
    """It counted twice in glossary_hits.csv and nothing said so."""
    path = write(tmp_path, "a.yaml", "label: billing\nterms:\n  - fee\n  - term: charge\n"
                                     "    synonyms: [FEE]\n")
    with pytest.raises(GlossaryError, match=rf"{path}:5: 'FEE' is listed twice in this glossary "
                                            r"\(also at line 3, as 'fee'\)"):
        load_glossaries(tmp_path, LABELS)


def test_a_phrase_listed_twice_in_another_case_names_the_other_spelling(tmp_path):
    """"Kfz-Steuer" and "KFZ-Steuer" differ in case only: the message said "also at line 3"
    and not which spelling is there, so the writer had to look for it."""
    path = write(tmp_path, "a.yaml", "label: billing\nmode: lemma\nterms:\n  - term: Steuer\n"
                                     "    synonyms: [Kfz-Steuer, KFZ-Steuer]\n")
    with pytest.raises(GlossaryError, match=re.escape(
            f"{path}:5: 'KFZ-Steuer' is listed twice in this glossary (also at line 5, as "
            "'Kfz-Steuer')")):
        load_glossaries(tmp_path, LABELS)


def test_a_misspelt_mode_does_not_hide_a_phrase_listed_twice(tmp_path):
    """``mode: lema`` read the terms as exact mode does, where "genial" and "Genial" are
    two phrases: the duplicate was said only after the mode was fixed, a second check.
    The mode it most likely means compares them, so both are said in one pass."""
    path = write(tmp_path, "a.yaml", "label: billing\nmode: lema\nterms:\n  - genial\n"
                                     "  - Genial\n")
    with pytest.raises(GlossaryError) as caught:
        load_glossaries(tmp_path, LABELS)
    lines = str(caught.value).splitlines()
    assert lines[0].startswith(f"{path}:2: mode 'lema'; did you mean 'lemma'?")
    assert lines[1] == (f"{path}:5: 'Genial' is listed twice in this glossary (also at line 4, "
                        "as 'genial'); list each phrase once")
    # a mode that is like none still reads the terms as exact mode does: no duplicate
    write(tmp_path, "a.yaml", "label: billing\nmode: 42\nterms:\n  - genial\n  - Genial\n")
    with pytest.raises(GlossaryError) as caught:
        load_glossaries(tmp_path, LABELS)
    assert "listed twice" not in str(caught.value)


def test_duplicate_glossary_names(tmp_path):
    write(tmp_path, "a.yaml", "name: money\nlabel: billing\nterms: [fee]\n")
    second = write(tmp_path, "b.yml", "name: money\nlabel: billing\nterms: [tax]\n")
    with pytest.raises(GlossaryError, match=rf"{second}: glossary name 'money' is also used by"):
        load_glossaries(tmp_path, LABELS)


def test_all_problems_reported_together(tmp_path):
    write(tmp_path, "a.yaml", "label: sales\nterms: [fee]\n")
    write(tmp_path, "b.yaml", "label: billing\nmode: fuzzy\nterms: [fee]\n")
    with pytest.raises(GlossaryError) as info:
        load_glossaries(tmp_path, LABELS)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert "a.yaml:1" in lines[0] and "b.yaml:2" in lines[1]


def test_missing_folder_means_no_glossaries(tmp_path):
    assert load_glossaries(tmp_path / "glossaries", LABELS) == []


# --- matching -------------------------------------------------------------------------------


def test_exact_mode(nlp):
    g = glossary("exact", [Term("Refund")])
    assert [m.text for m in found(nlp, [g], "Refund please, refund now")] == ["Refund"]


def test_lowercase_mode(nlp):
    g = glossary("lowercase", [Term("refund")])
    assert [m.text for m in found(nlp, [g], "REFUND please, refund now, refunds")] == [
        "REFUND", "refund"]


def test_lemma_mode(nlp):
    g = glossary("lemma", [Term("refund")])
    matches = found(nlp, [g], "Refunded twice. No refunds? I refund.")
    assert [m.text for m in matches] == ["Refunded", "refunds", "refund"]
    assert {m.term for m in matches} == {"refund"}


def test_lemma_mode_term_is_lemmatized_too(nlp):
    g = glossary("lemma", [Term("refunds")])
    assert [m.text for m in found(nlp, [g], "it was refunded")] == ["refunded"]


def test_synonyms_and_multiword_terms(nlp):
    g = glossary("lowercase", [Term("invoice", ("bill", "billing statement")),
                               Term("credit card")])
    matches = found(nlp, [g], "My Billing Statement and credit card; the bill too")
    assert [(m.text, m.term, m.start, m.end) for m in matches] == [
        ("Billing Statement", "invoice", 1, 3),
        ("credit card", "credit card", 4, 6),
        ("bill", "invoice", 8, 9),
    ]


def test_longest_match_wins_within_a_glossary(nlp):
    g = glossary("lowercase", [Term("card"), Term("credit card")])
    assert [m.text for m in found(nlp, [g], "my credit card")] == ["credit card"]


def test_exclusion_within_window(nlp):
    g = glossary("lowercase", [Term("refund")], exclusions=["not", "no longer"], window=3)
    near = found(nlp, [g], "I do not want a refund")
    assert [(m.text, m.excluded_by, m.active) for m in near] == [("refund", "not", False)]
    phrase = found(nlp, [g], "no longer need refund")
    assert phrase[0].excluded_by == "no longer"


def test_exclusion_outside_window_does_not_cancel(nlp):
    g = glossary("lowercase", [Term("refund")], exclusions=["not"], window=2)
    far = found(nlp, [g], "not sure but a quick refund")
    assert [(m.text, m.excluded_by) for m in far] == [("refund", None)]


def test_exclusion_after_term_does_not_cancel(nlp):
    g = glossary("lowercase", [Term("refund")], exclusions=["not"], window=3)
    assert found(nlp, [g], "refund not received")[0].excluded_by is None


def test_the_exclusion_window_counts_words_and_stops_at_a_sentence_or_clause_end(nlp):
    """The window counted punctuation as words and ran across sentences: "No, I want a
    refund" and "Not yet. Refund me" were cancelled by "no" and "not", and "not (really) a
    refund" was not."""
    g = glossary("lowercase", [Term("refund")], exclusions=["no", "not"], window=3)
    cases = {"No, I want a refund": None, "Not yet. Refund me": None,
             "not? refund": None, "Did it work? No! Refund me": None, "no; refund": None,
             "no: refund": None, "no… refund": None, "Not sure, but refund it": None,
             # punctuation and symbols between the words are not words of the window
             "not (really) a refund": "not", "no -- refund": "no", "no 😡 refund": "no",
             '"not" a refund': "not",
             # an emoticon the tokenizer keeps whole is a symbol, not a clause end
             "no :) refund": "no", "not ;) refund": "not", "not :-( refund": "not",
             # an exclusion after the comma is in the term's clause
             "no, no refund": "no", "Well, not a refund": "not"}
    for text, excluded_by in cases.items():
        (match,) = found(nlp, [g], text)
        assert match.excluded_by == excluded_by, text


def test_the_exclusion_window_stops_at_spanish_and_other_scripts_marks():
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="es"))
    g = glossary("lemma", [Term("me doy de baja"), Term("darme de baja")],
                 exclusions=["no"], window=3)
    cases = {"No, me doy de baja": None, "¿Seguir? No. Me doy de baja": None,
             "¡¡No!! Me doy de baja 😡": None, "no sé, me doy de baja": None,
             "Si no arreglan esto, me doy de baja": None, "No ¿me doy de baja?": None,
             "no。 me doy de baja": None, "no？ me doy de baja": None,
             "No me doy de baja": "no", "NO ME DOY DE BAJA": "no",
             "No quiero darme de baja todavía": "no", "no, no quiero darme de baja": "no",
             "¡No me doy de baja!": "no"}
    for text, excluded_by in cases.items():
        (match,) = found(nlp, [g], text)
        assert match.excluded_by == excluded_by, text


def test_lemma_exclusions(nlp):
    g = glossary("lemma", [Term("refund")], exclusions=["cancel"])
    assert found(nlp, [g], "Cancelled the refunds")[0].excluded_by == "cancel"


def test_notes_reach_matches(nlp):
    g = glossary("lemma", [Term("charge", note="Money taken")], name="billing_terms")
    (match,) = found(nlp, [g], "They charged me")
    assert (match.glossary, match.label, match.term, match.note) == (
        "billing_terms", "billing", "charge", "Money taken")


def test_several_glossaries_and_modes(nlp):
    money = glossary("lemma", [Term("refund")], name="money")
    tech = glossary("exact", [Term("API")], name="tech", label="technical")
    matches = found(nlp, [money, tech], "The API refunds failed, api")
    assert [(m.glossary, m.label, m.text) for m in matches] == [
        ("tech", "technical", "API"), ("money", "billing", "refunds")]


@pytest.mark.parametrize("mode", ["exact", "lowercase", "lemma"])
def test_an_english_hyphen_is_read_as_written(nlp, mode):
    """A hyphen joining two words reads as a space only in a language that opts in
    (French: `chef-d'œuvre`, "chef d'œuvre"). In English `follow-up` (a noun) matched
    "please follow up today" (a verb), `log in` "the log-in page", and `e-mail` missed
    "e - mail", whose hyphen has a space beside it."""
    terms = [Term("follow-up"), Term("log in"), Term("e-mail")]
    texts = {"please follow up today": [], "a follow-up call": ["follow-up"],
             "the log-in page": [], "log in again": ["log in"], "e - mail": ["e-mail"],
             "send an e-mail": ["e-mail"]}
    assert {text: [m.term for m in found(nlp, [glossary(mode, terms)], text)]
            for text in texts} == texts


# --- glossary LFs and Item.matched ----------------------------------------------------------


def test_glossary_lf_votes(nlp):
    g = glossary("lemma", [Term("refund")], exclusions=["not"], name="money")
    lf = glossary_lf(g, "fp")
    assert (lf.name, lf.kind, lf.uses_doc) == ("glossary:money", "glossary", True)
    matcher = GlossaryMatcher([g], nlp)

    def vote(text):
        doc = nlp(text)
        return lf(Item("1", text, doc=doc, matches=matcher.match(doc)))

    assert vote("refunds please") == "billing"
    assert vote("I did not get a refund") == ABSTAIN
    assert vote("nothing here") == ABSTAIN


def test_glossary_lf_hash_depends_on_pipeline():
    g = glossary()
    assert glossary_lf(g, "a").source_hash != glossary_lf(g, "b").source_hash


def test_item_matched_filters(nlp):
    money = glossary("lowercase", [Term("refund")], exclusions=["no"], name="money")
    tech = glossary("lowercase", [Term("crash")], name="tech", label="technical")
    doc = nlp("no refund after the crash, refund")
    item = Item("1", doc.text, doc=doc, matches=GlossaryMatcher([money, tech], nlp).match(doc))
    assert len(item.all_matches) == 3
    assert [m.text for m in item.matches] == ["crash", "refund"]
    assert [m.text for m in item.matched("money")] == ["refund"]
    assert [m.text for m in item.matched(label="technical")] == ["crash"]
    assert item.matched("tech", label="billing") == []
    assert item.matched("nope") == []


def test_an_item_made_without_a_project_matches_names_in_another_normal_form(nlp):
    """Such an item knows only its matches' names: a decomposed "café" is the composed
    one of a match (it found nothing), and a name no match has finds nothing."""
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    g = glossary("lowercase", [Term("espresso")], name=f"th{composed}", label=composed)
    doc = nlp("an espresso")
    item = Item("1", doc.text, doc=doc, matches=GlossaryMatcher([g], nlp).match(doc))
    assert [m.text for m in item.matched(label=decomposed)] == ["espresso"]
    assert [m.text for m in item.matched(f"th{decomposed}")] == ["espresso"]
    assert item.matched(label="other") == []


def test_in_exact_mode_case_makes_another_phrase(tmp_path):
    write(tmp_path, "fmt.yaml", "label: billing\nmode: exact\nterms:\n  - PDF\n  - pdf\n")
    assert [t.phrases for t in load_glossaries(tmp_path, LABELS)[0].terms] == [("PDF",),
                                                                             ("pdf",)]


def test_phrases_a_lemma_glossary_matches_on_the_same_words_are_one_claim(tmp_path, nlp):
    """"breaks" (technical) beside "break" (billing, lemma mode): check said ok, and "it
    broke" voted for both."""
    from labelwright.glossaries.checks import lemma_problems

    first = write(tmp_path, "a.yaml", "label: billing\nmode: lemma\nterms:\n  - break\n")
    second = write(tmp_path, "b.yaml", "label: technical\nterms:\n  - fee\n  - breaks\n")
    problems = lemma_problems(load_glossaries(tmp_path, LABELS), nlp)
    assert problems == [
        f"{second}:4: 'breaks' (label 'technical') has the lemmas of 'break' in {first}:4 "
        "(label 'billing'), and lemma mode matches both on the same words ('break'); a "
        "phrase may vote for one label only: keep it in one glossary and give the other a "
        "longer phrase that says its label, or read both glossaries' matches in a Python LF "
        "(item.matched('b') and item.matched('a'); see the README, \"Writing a glossary\")"]
    second.write_text("label: billing\nterms:\n  - breaks\n")  # the same label: fine
    assert lemma_problems(load_glossaries(tmp_path, LABELS), nlp) == []


def test_a_lemma_clash_is_found_past_a_third_glossary_that_listed_the_words_first(tmp_path,
                                                                                   nlp):
    """Each phrase was compared only with the first glossary that had its lemmas: a.yaml
    (billing, lowercase) "breaks" hid the clash of b.yaml (billing, lemma) "break" with
    c.yaml (technical) "broken", though both vote on "it is broken"."""
    from labelwright.glossaries.checks import lemma_problems

    write(tmp_path, "a.yaml", "label: billing\nterms:\n  - breaks\n")
    write(tmp_path, "b.yaml", "label: billing\nmode: lemma\nterms:\n  - break\n")
    third = write(tmp_path, "c.yaml", "label: technical\nterms:\n  - broken\n")
    problems = lemma_problems(load_glossaries(tmp_path, LABELS), nlp)
    assert len(problems) == 1 and problems[0].startswith(f"{third}:3: 'broken'")
    assert "has the lemmas of 'break'" in problems[0]


@pytest.mark.parametrize("mode", ["exact", "lowercase", "lemma"])
@pytest.mark.parametrize("text", ["my credit\ncard was charged", "my credit  card was charged",
                                  "my credit\r\n  card was charged"])
def test_a_term_matches_across_a_line_break_or_a_double_space(nlp, mode, text):
    """spaCy makes extra whitespace a token of its own, which the phrase matcher compared
    as a word: text wrapped over two lines never matched a multi-word term."""
    g = glossary(mode, [Term("credit card"), Term("was  charged")])
    doc = nlp(text)
    matches = GlossaryMatcher([g], nlp).match(doc)
    assert [m.term for m in matches] == ["credit card", "was  charged"]
    first = matches[0]
    assert doc[first.start:first.end].text == first.text
    assert first.text.startswith("credit") and first.text.endswith("card")
    assert doc[matches[1].start].text == "was"


@pytest.mark.parametrize("mode", ["lowercase", "lemma"])
def test_typographic_apostrophes_and_decomposed_accents_match(nlp, mode):
    """"didn’t" was not cancelled by the exclusion "n't", "don’t know" missed the term
    "don't know", and a decomposed "café" missed the term "café"."""
    g = glossary(mode, [Term("refund"), Term("don't know"), Term("café")], exclusions=["n't"])
    matches = found(nlp, [g], "They didn’t refund me")
    assert [(m.term, m.excluded_by) for m in matches] == [("refund", "n't")]
    assert [m.text for m in found(nlp, [g], "I don’t know why")] == ["don’t know"]
    assert [m.term for m in found(nlp, [g], "the cafe\u0301 was closed")] == ["café"]
    g = glossary(mode, [Term("refund")], exclusions=["didn’t"])
    assert found(nlp, [g], "They didn't refund me")[0].excluded_by == "didn’t"


def test_french_lemmas_of_capitalised_words_match():
    """French lookup tables hold lists of lemmas: a capitalised word's key was the text
    "['rembourser']", so "Remboursé" and "Pannes" matched nothing in lemma mode."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="fr"))
    g = glossary("lemma", [Term("rembourser"), Term("panne")])
    for text in ("Remboursé hier", "remboursé hier", "Pannes fréquentes", "des pannes"):
        assert len(found(nlp, [g], text)) == 1, text


def test_german_nouns_keep_their_lemma():
    """Case folding looked every capitalised word up in lowercase: in German "Garten"
    became "garen" (to cook), so the term "Garten" matched "gegart" and not "Gärten"."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="de"))
    g = glossary("lemma", [Term("Garten")])
    assert [m.text for m in found(nlp, [g], "Wir haben zwei Gärten und einen Garten")] == [
        "Gärten", "Garten"]
    assert found(nlp, [g], "Das Fleisch ist gegart") == []
    # a dictionary form keeps its case in any position, also in capitals
    for text in ("Garten und Haus.", "Das ist gut. Garten gibt es.", "EIN GARTEN"):
        assert len(found(nlp, [g], text)) == 1, text
    assert found(nlp, [glossary("lemma", [Term("garen")])], "Garten und Haus.") == []
    # a capitalised word that is no dictionary form is still looked up in lowercase
    assert [t.lemma_ for t in nlp("Gegessen. Gegessen")] == ["essen", ".", "essen"]


def test_words_in_capitals_find_the_lemma_of_their_title_case():
    """German's table holds nouns as written ("Gewinne", "Rechnungen"): in capitals they were
    looked up as written and in lowercase, found neither, and kept no lemma, so the term
    "Gewinn" missed "GEWINNE" in a shouted spam message."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="de"))
    assert [t.lemma_ for t in nlp("GEWINNE GÄRTEN RECHNUNGEN")] == [
        "Gewinn", "Garten", "Rechnung"]
    g = glossary("lemma", [Term("Gewinn"), Term("Rechnung")])
    assert [m.text for m in found(nlp, [g], "JETZT GEWINNE ABHOLEN! Ihre RECHNUNGEN")] == [
        "GEWINNE", "RECHNUNGEN"]
    # lowercase still comes first where the table knows it (English: "REFUNDS" -> refund)
    english = load_pipeline(NLPConfig(lang="en"))
    assert [t.lemma_ for t in english("REFUNDS REFUNDED I")] == ["refund", "refund", "I"]


def test_words_in_capitals_read_ss_as_sharp_s_where_the_table_knows_only_that():
    """In capitals German writes "ß" as "SS": "GRÜSSE" (Grüße) and "FÜSSE" (Füße) were
    looked up as "Grüsse" and "Füsse", which the table does not know, and kept no lemma, so
    the lemma-mode term "Gruß" missed "VIELE GRÜSSE". A word the table knows with "ss"
    stays that word: "MASSE" is "Masse" (mass), not a form of "Maß"."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="de"))
    assert [t.lemma_ for t in nlp("GRÜSSE FÜSSE STRASSEN MASSE BUSSE KLASSE")] == [
        "Gruß", "Fuß", "Straße", "MASSE", "Bus", "KLASSE"]
    g = glossary("lemma", [Term("Gruß"), Term("Straße"), Term("Maße")])
    assert [m.text for m in found(nlp, [g], "VIELE GRÜSSE AUS DEN STRASSEN")] == [
        "GRÜSSE", "STRASSEN"]
    assert found(nlp, [g], "BITTE MASSE ANGEBEN") == []
    masse = glossary("lemma", [Term("Masse")])
    assert [m.text for m in found(nlp, [masse], "BITTE MASSE ANGEBEN")] == ["MASSE"]
    # English's table writes no "ß": its words in capitals are looked up as before
    english = load_pipeline(NLPConfig(lang="en"))
    assert [t.lemma_ for t in english("CLASSES PASSWORDS KISSED")] == [
        "class", "password", "kiss"]


@pytest.mark.parametrize("mode", ["lowercase", "lemma"])
def test_modes_that_ignore_case_read_ss_in_capitals_as_sharp_s(mode):
    """German writes "ß" as "SS" in capitals, but "GRÖSSE" lowercases to "grösse" and
    "Größe" to "größe": a shouting customer's "GRÖSSE" missed the term "Größe", and
    "AUSSER" escaped the exclusion "außer". The modes that ignore case compare caseless
    forms, on every path: the Doc as it is, its keys (a line break, a text whose caseless
    form is not its lowercase), as an exclusion."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="de"))
    g = glossary(mode, [Term("Größe"), Term("Spaß gemacht")], exclusions=["außer"], window=2)
    for text, words in (("HABT IHR DAS IN GRÖSSE M", ["GRÖSSE"]),
                        ("Welche Größe?", ["Größe"]), ("DIE GRÖẞE", ["GRÖẞE"]),
                        ("HAT SPASS GEMACHT, DIE GRÖSSE", ["SPASS GEMACHT", "GRÖSSE"]),
                        ("hat Spaß\ngemacht", ["Spaß\ngemacht"]),
                        ("HAT SPASS\nGEMACHT", ["SPASS\nGEMACHT"])):
        assert [m.text for m in found(nlp, [g], text)] == words, text
    for text in ("ALLES AUSSER DER GRÖSSE", "alles außer der Größe", "Alles AUẞER der GRÖSSE"):
        assert [m.excluded_by for m in found(nlp, [g], text)] == ["außer"], text
    # a term and an exclusion written in capitals, a text in lowercase
    shouted = glossary(mode, [Term("GRÖSSE")], exclusions=["AUSSER"], window=2)
    assert [(m.text, m.excluded_by) for m in found(nlp, [shouted], "außer der größe")] == [
        ("größe", "AUSSER")]
    # exact mode still tells them apart
    assert found(nlp, [glossary("exact", [Term("Größe")])], "GRÖSSE Grösse") == []


@pytest.mark.parametrize("mode", ["lowercase", "lemma"])
def test_caseless_matching_agrees_on_the_copies_a_text_is_matched_on(nlp, mode):
    """A text that splits otherwise in lowercase ("DIDN'T") or holds a typographic
    apostrophe is matched on a copy: ligatures, long s and capital sharp s fold there too."""
    g = glossary(mode, [Term("fine print"), Term("Größe")], exclusions=["n't"])
    for text in ("WE DIDN'T READ THE FINE PRINT", "we didn’t read the ﬁne print",
                 "WE DIDN'T ASK THE GRÖẞE", "we didn’t ask the GRÖSSE"):
        (match,) = found(nlp, [g], text)
        assert match.excluded_by == "n't", text
    assert [m.text for m in found(nlp, [g], "ﬁne\nprint, GRÖSSE")] == ["ﬁne\nprint", "GRÖSSE"]


def test_lowercase_mode_finds_the_same_in_any_case_on_every_path():
    """Whatever path a text takes (as it is, through its keys, split as its lowercase, the
    apostrophe copy), a text and the same text in capitals or in lowercase match alike."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="de"))
    g = glossary("lowercase", [Term("Größe"), Term("weiße Socken"), Term("Fuß"),
                               Term("Straße gesperrt")], exclusions=["außer", "nicht"], window=2)
    matcher = GlossaryMatcher([g], nlp)
    for text in ("Weiße Socken in Größe 40, außer Größe 42", "Der Fuß, die Straße gesperrt",
                 "Viele Grüße: nicht weiße\nSocken", "Geht’s in Größe M? Die Straße\ngesperrt"):
        expected = [(m.term, m.excluded_by) for m in matcher.match(nlp(text))]
        assert expected, text
        for variant in (text.upper(), text.lower(), text.replace("ß", "ẞ").upper()):
            assert [(m.term, m.excluded_by) for m in matcher.match(nlp(variant))] == expected, \
                variant


def test_a_text_whose_caseless_form_is_its_lowercase_is_matched_as_it_is(monkeypatch):
    """Only a text where folding is more than lowercase ("ß", "ﬁ") in a word of some
    phrase needs a Doc of its keys: one in capitals ("GRÖSSE") is matched as it is, as
    ASCII text is, and so is one whose "ß" is in no phrase ("Viele Grüße")."""
    from labelwright.config import NLPConfig
    from labelwright.glossaries import matching
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="de"))
    matcher = GlossaryMatcher([glossary("lowercase", [Term("Größe")])], nlp)
    calls = []
    real = matching.match_keys
    monkeypatch.setattr(matching, "match_keys",
                        lambda doc, *args: calls.append(doc.text) or real(doc, *args))
    for text in ("HABT IHR DAS IN GRÖSSE M", "Welche Größe?", "refund please",
                 "Größe M. Viele Grüße", "Viele Grüße"):
        assert len(matcher.match(nlp(text))) == text.count("Größe") + text.count("GRÖSSE")
    assert calls == ["Welche Größe?", "Größe M. Viele Grüße"]


def test_phrases_that_fold_alike_are_one_phrase_where_case_is_ignored(tmp_path):
    """"Maße" and "MASSE" match the same texts in a lowercase glossary: listed in one they
    counted twice, listed in two of different labels they voted both."""
    path = write(tmp_path, "a.yaml", "label: billing\nterms:\n  - Maße\n  - MASSE\n")
    with pytest.raises(GlossaryError, match=re.escape(
            f"{path}:4: 'MASSE' is listed twice in this glossary (also at line 3, as 'Maße')")):
        load_glossaries(tmp_path, LABELS)
    path.write_text("label: billing\nterms:\n  - Größe\n")
    other = write(tmp_path, "b.yaml", "label: technical\nterms:\n  - GRÖSSE\n")
    with pytest.raises(GlossaryError, match=re.escape(
            f"{other}:3: 'GRÖSSE' (label 'technical') is also claimed by {path}:3")):
        load_glossaries(tmp_path, LABELS)
    other.write_text("label: technical\nmode: exact\nterms:\n  - GRÖSSE\n")
    path.write_text("label: billing\nmode: exact\nterms:\n  - Größe\n")
    assert len(load_glossaries(tmp_path, LABELS)) == 2


def test_glossary_votes_are_keyed_by_the_matching_code(monkeypatch):
    """The vote cache kept glossary votes across a labelwright whose matching changed."""
    import labelwright.glossaries.core as glossaries

    before = glossary_lf(glossary(), "pipe").source_hash
    monkeypatch.setattr(glossaries, "MATCHER_SHA256", "other")
    assert glossary_lf(glossary(), "pipe").source_hash != before


@pytest.mark.parametrize("mode", ["exact", "lowercase", "lemma"])
def test_the_exclusion_window_counts_words_not_line_breaks(nlp, mode):
    """A glossary of one-word terms matches the Doc as it is; its exclusion window must
    still count words, as it does where a text goes through its keys."""
    g = glossary(mode, [Term("refund")], exclusions=["not"], window=1)
    doc = nlp("I did not\n\n  refund it")
    (match,) = GlossaryMatcher([g], nlp).match(doc)
    assert match.excluded_by == "not"
    assert doc[match.start:match.end].text == "refund" == match.text
    g = glossary(mode, [Term("refund"), Term("money back")], exclusions=["not"], window=1)
    (match,) = GlossaryMatcher([g], nlp).match(doc, doc.text)
    assert match.excluded_by == "not" and doc[match.start].text == "refund"


@pytest.mark.parametrize("written, labels", [("1", ("1", "5")), ("yes", ("yes", "no")),
                                             ("1.5", ("1.5", "2"))])
def test_an_unquoted_label_yaml_reads_as_a_number_says_to_quote_it(tmp_path, written, labels):
    """label: 1 gave "label 1 is not a project label; valid labels: 1, 5"."""
    path = write(tmp_path, "g.yaml", f"label: {written}\nterms: [refund]\n")
    with pytest.raises(GlossaryError, match=rf"g.yaml:1: label .* is not a project label "
                                            rf"\(YAML read the unquoted value as .*: write "
                                            rf'label: "{re.escape(written)}"\)'):
        load_glossary(path, labels)


def test_a_label_in_another_unicode_form_is_the_projects_label(tmp_path):
    """label: "négatif" decomposed was "not a project label; valid labels: négatif"; the
    glossary now votes the label as the config spells it."""
    import unicodedata

    composed, decomposed = (unicodedata.normalize(f, "négatif") for f in ("NFC", "NFD"))
    path = write(tmp_path, "g.yaml", f"label: {decomposed}\nterms: [mauvais]\n")
    assert load_glossary(path, (composed, "positif")).label == composed


def test_exact_phrases_that_differ_in_case_are_no_clash(tmp_path):
    """Exact-mode "US" (billing) and "us" (technical) can never match the same text, but
    were reported as one phrase claimed by two labels."""
    from labelwright.glossaries.checks import consistency_problems

    write(tmp_path, "a.yaml", "label: billing\nmode: exact\nterms:\n  - US\n")
    write(tmp_path, "b.yaml", "label: technical\nmode: exact\nterms:\n  - us\n")
    assert consistency_problems(load_glossaries(tmp_path, LABELS)) == []
    # a lowercase-mode "us" matches "US" too: that is a clash
    write(tmp_path, "b.yaml", "label: technical\nterms:\n  - us\n")
    with pytest.raises(GlossaryError, match=r"'us' \(label 'technical'\) is also claimed by"):
        load_glossaries(tmp_path, LABELS)


def test_exclusions_that_can_never_cancel_are_said(tmp_path, nlp):
    """window: 0, or an exclusion longer than the window, loaded without a word."""
    from labelwright.glossaries.checks import exclusion_problems

    path = write(tmp_path, "g.yaml", 'label: billing\nwindow: 0\nexclusions: ["not"]\n'
                                     "terms: [refund]\n")
    with pytest.raises(GlossaryError, match=r"g.yaml:2: window: 0 leaves no word before or "
                                            r"after a term for the exclusions"):
        load_glossary(path, LABELS)
    g = glossary(exclusions=["no longer", "not"], window=1)
    (problem,) = exclusion_problems([g], nlp)
    assert "exclusion 'no longer' is 2 words, longer than window 1" in problem
    # the window holds words only, and a clause end stops it
    g = glossary(exclusions=["!", "no, thanks", "not!"], window=3)
    problems = exclusion_problems([g], nlp)
    assert [p.split(": ", 1)[1].split(",")[0] for p in problems] == [
        "exclusion '!' has no word", "exclusion 'no", "exclusion 'not!' holds punctuation"]
    assert "so it never cancels a match" in problems[0]
    assert "cancels only where the text reads 'no thanks'" in problems[1]
    # punctuation that ends no clause is skipped in the text as in the exclusion: no warning
    g = glossary(exclusions=["wi-fi", "e-mail", "24/7"], window=3)
    assert exclusion_problems([g], nlp) == []


@pytest.mark.parametrize("text", ["I didnʼt get a refund", "I didn‘t get a refund",
                                  "I didn’t get a refund"])
def test_every_apostrophe_form_is_split_as_a_plain_one(nlp, text):
    """The tokenizer keeps "didnʼt" (and "didn‘t") whole but splits "didn't": the
    exclusion "n't" missed them, and a term "didn't get" did not match."""
    g = glossary("lemma", [Term("refund")], exclusions=["n't"], window=3)
    doc = nlp(text)
    (match,) = GlossaryMatcher([g], nlp).match(doc)
    assert match.excluded_by == "n't" and doc[match.start:match.end].text == "refund"
    g = glossary("lowercase", [Term("didn't get")])
    (match,) = GlossaryMatcher([g], nlp).match(doc, text)
    assert match.text == text[2:12] and match.text == doc[match.start:match.end].text


def test_german_apostrophes_are_split_as_plain_ones():
    """German splits "geht’s" otherwise than "geht's": the term never matched it."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="de"))
    g = glossary("lowercase", [Term("geht's")])
    assert [m.text for m in found(nlp, [g], "Wie geht’s dir?")] == ["geht’s"]


def test_a_lowercase_that_composes_otherwise_matches(nlp):
    """"J̌" (J + combining caron) lowercases to j + caron, which NFC composes to "ǰ": the
    fast path compared the uncomposed lowercase and missed the term."""
    text = "J\u030cay paid"
    g = glossary("lowercase", [Term("J\u030cay")])
    assert [m.text for m in found(nlp, [g], text)] == ["J\u030cay"]


def test_the_matcher_key_covers_the_match_forms_in_nlp_and_how_items_read_matches():
    """Editing the apostrophe map or the lemma keys (labelwright.nlp) kept cached glossary
    votes when no labelwright component was in the pipeline (lemmatizer = false); a change
    to item.matched() (a name it now takes in another normal form) kept the failures of
    LFs that read matches. The zero-width characters match forms leave out are
    labelwright.text_form's. Every module of the glossaries package counts: a list of
    them had left out plain_copy.py, whose edits changed matches."""
    import hashlib
    from pathlib import Path

    import labelwright.glossaries.core as glossaries
    import labelwright.lfs.item as item_module
    import labelwright.nlp as nlp_module
    import labelwright.text_form as text_form

    package = sorted(Path(glossaries.__file__).parent.glob("*.py"))
    assert {f.name for f in package} >= {"matching.py", "plain_copy.py", "words.py",
                                          "reading.py", "yaml_file.py", "core.py"}
    nlp_files = sorted(Path(nlp_module.__file__).parent.glob("*.py"))
    assert {f.name for f in nlp_files} >= {"word_forms.py", "lemma_keys.py", "__init__.py"}
    files = [*package, *nlp_files, Path(text_form.__file__), Path(item_module.__file__)]
    code = b"".join(f.read_bytes() for f in files)
    assert glossaries.MATCHER_SHA256 == hashlib.sha256(code).hexdigest()


def test_what_the_hashed_matching_code_imports_is_hashed_or_decides_no_match():
    """MATCHER_SHA256 covers the glossaries package, labelwright.nlp, text_form and
    lfs.item. What that code imports from the rest of labelwright is either hashed too or
    listed here as deciding no match (messages, errors, hashing, the LF class, settings
    the pipeline fingerprint covers): a module the matcher came to import without joining
    the hash (as plain_copy.py had, before the whole package counted) changes matches
    and recomputes nothing; here it fails until it is hashed or listed."""
    import ast
    from pathlib import Path

    import labelwright

    root = Path(labelwright.__file__).parent
    hashed = {*root.joinpath("glossaries").glob("*.py"), *root.joinpath("nlp").glob("*.py"),
              root / "text_form.py", root / "lfs" / "item.py"}
    decides_no_match = {
        "labelwright.caches": "hashing (sources_sha256)",
        "labelwright.lfs": "the package of lfs.item",
        "labelwright.lfs.core": "the LF class a glossary LF is, and ABSTAIN",
        "labelwright.errors": "error classes",
        "labelwright.spelling": "did-you-mean in messages",
        "labelwright.counts": "lists in messages (some_of)",
        "labelwright.data.text_checks": "errors naming an unreadable glossary file",
        "labelwright.config.languages": "the message for a [nlp] lang spaCy has not",
        "labelwright.lfs.lemma_reads": "whether the pipeline gives lemmas, for warnings "
                                       "(a pipeline not built yet: nlp.lazy's facts)",
        "labelwright.lfs.pipeline_reads": "the annotations the pipeline leaves unfilled, for "
                                          "warnings (nlp.lazy's facts)",
        "labelwright.config": "label names (find_label; the labels key the votes) and the "
                              "pipeline's settings (NLPConfig; the fingerprint covers them)",
    }

    def module_file(name):
        parts = name.split(".")[1:]
        package = root.joinpath(*parts) / "__init__.py"
        return package if package.exists() else root.joinpath(*parts).with_suffix(".py")

    outside = set()
    for file in hashed:
        tree = ast.parse(file.read_text(encoding="utf-8"))
        typing_only = {id(n) for block in ast.walk(tree) if isinstance(block, ast.If)
                       and ast.unparse(block.test) == "TYPE_CHECKING"
                       for n in ast.walk(block)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.ImportFrom) and id(node) not in typing_only
                    and (node.module or "").startswith("labelwright")
                    and module_file(node.module) not in hashed):
                outside.add(node.module)
    assert outside, "the walk found no import at all"
    assert outside <= {"labelwright", *decides_no_match}, sorted(outside - set(decides_no_match))


@pytest.mark.parametrize("separator", ["\x1c", "\x1d", "\x1e", "\x1f", "\t"])
def test_ascii_separators_spacy_makes_space_tokens_do_not_split_a_term(nlp, separator):
    """The ASCII space-token test missed \\x1c-\\x1f, which spaCy makes space tokens: the
    Doc was matched as it was, and "credit\\x1ccard" missed "credit card"."""
    g = glossary("lowercase", [Term("credit card")])
    assert [m.term for m in found(nlp, [g], f"my credit{separator}card")] == ["credit card"]


def test_matches_of_the_apostrophe_copy_do_not_overlap_on_one_token(nlp):
    """"it" and "'s" matched separately in the copy land on the one token "it‘s": both
    were returned, at the same place."""
    g = glossary("lowercase", [Term("it"), Term("'s")])
    matches = found(nlp, [g], "it‘s fine")
    assert [(m.start, m.end, m.text) for m in matches] == [(0, 1, "it‘s")]


@pytest.mark.parametrize(("body", "expected"), [
    # half of an emoji from an escape: check crashed in lemma_problems on encoding it
    ('label: billing\nterms:\n  - fee\n  - "\\ud83d"\n',
     r"x.yaml:4: '\\ud83d' holds half of a character"),
    ('label: billing\nterms:\n  - term: fee\n    synonyms: ["a \\udc00"]\n',
     r"x.yaml:4: 'a \\udc00' holds half of a character"),
    ('label: billing\nterms:\n  - fee\nexclusions: ["\\ud83d"]\n',
     r"x.yaml:4: '\\ud83d' holds half of a character"),
    # a control character: PyYAML names a character offset, not a line
    ('label: billing\nterms:\n  - fee\n  - "wo\x1brse"\n',
     r"x.yaml:4: invalid YAML: character U\+001B \(special characters are not allowed\)"),
    # an unquoted no / 404: "got False" gave no hint, while a synonym got one
    ("label: billing\nterms:\n  - fee\n  - no\n",
     r'x.yaml:4: YAML reads an unquoted no / yes / on / off as true or false; quote it'),
    ("label: billing\nterms:\n  - term: off\n",
     r'x.yaml:3: YAML reads an unquoted no / yes / on / off as true or false; quote it'),
    ("label: billing\nterms:\n  - fee\n  - 404\n",
     r'x.yaml:4: YAML reads an unquoted 404 as a number; a term is text: quote it, "404"'),
])
def test_a_glossary_value_that_cannot_be_a_term_names_its_line(tmp_path, body, expected):
    path = tmp_path / "x.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(GlossaryError, match=expected):
        load_glossary(path, LABELS)


@pytest.mark.parametrize(("raw", "expected"), [
    (b"label: billing\nterms:\n  - fee\n  - caf\xe9\n", "x.yaml:4: not valid UTF-8 (byte "
     "0xe9 at offset 37; the file may be Latin-1"),
    (b"\xff\xfel\x00a\x00", "x.yaml:1: not valid UTF-8 (byte 0xff at offset 0; it starts with "
     "a UTF-16 byte order mark: the file is UTF-16"),
    # lines that end in \r alone (old Mac editors) were all counted as line 1
    (b"label: billing\rterms:\r  - fee\r  - caf\xe9\r", "x.yaml:4: not valid UTF-8"),
])
def test_a_glossary_that_is_not_utf8_names_the_line(tmp_path, raw, expected):
    """It said "x.yaml: not valid UTF-8", with no line, no byte and no guess."""
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    with pytest.raises(GlossaryError, match=re.escape(expected)):
        load_glossary(path, LABELS)


@pytest.mark.parametrize("mode", ["lowercase", "lemma"])
def test_case_does_not_change_how_terms_and_exclusions_split(nlp, mode):
    """The tokenizer's exceptions depend on case: "DIDN'T" stays one token where "didn't"
    is "did" + "n't", "U.S." one token where "u.s." is two. The exclusion "n't" did not
    cancel "refund" in shouted text, and the terms "U.S." and "dr. who" missed texts in
    other cases, in the modes that ignore case."""
    g = glossary(mode, [Term("refund"), Term("U.S."), Term("dr. who"), Term("gonna cancel")],
                 exclusions=["n't"])
    for text in ("I didn't get a refund", "I DIDN'T GET A REFUND",
                 "IT DOESN'T NEED A REFUND", "I Didn't Get A Refund"):
        doc = nlp(text)
        (match,) = GlossaryMatcher([g], nlp).match(doc)
        assert match.excluded_by == "n't", text
        assert doc[match.start:match.end].text.lower() == "refund"
    for text, words in (("the u.s. office", "u.s."), ("the U.S. office", "U.S."),
                        ("Dr. Who is here", "Dr. Who"), ("DR. WHO", "DR. WHO"),
                        ("I'M GONNA CANCEL", "GONNA CANCEL")):
        doc = nlp(text)
        (match,) = GlossaryMatcher([g], nlp).match(doc)
        assert match.text == words and doc[match.start:match.end].text == words
    # exact mode compares the text as written, its own tokens too
    exact = glossary("exact", [Term("refund")], exclusions=["n't"], name="e")
    assert found(nlp, [exact, g], "I DIDN'T GET A refund")[0].excluded_by is None


def test_a_word_that_splits_by_case_is_parsed_again_only_when_it_can_change_a_match(
        nlp, monkeypatch):
    """Every text with "Mr.", "Dr." or "Jan." (one token; "mr." is two) was parsed a second
    time, 40x the matching time, though no phrase had a word of them."""
    from labelwright.glossaries import matching

    calls = []
    real = matching.case_folded_docs
    monkeypatch.setattr(matching, "case_folded_docs",
                        lambda nlp, texts: calls.append(list(texts)) or real(nlp, texts))
    for mode in ("lowercase", "lemma"):
        g = glossary(mode, [Term("refund")], exclusions=["n't"])
        matcher = GlossaryMatcher([g], nlp)
        calls.clear()
        for text in ("Mr. Smith wants a refund", "Dr. Who, Jan. 3: refund"):
            assert [m.term for m in matcher.match(nlp(text))] == ["refund"]
        texts = [t for call in calls for t in call if " " in t]  # not the words asked of
        assert texts == []
        (match,) = matcher.match(nlp("I DIDN'T GET A REFUND"))
        assert match.excluded_by == "n't"
        assert [t for call in calls for t in call if " " in t] == ["I DIDN'T GET A REFUND"]
        doctor = GlossaryMatcher([glossary(mode, [Term("dr. who")])], nlp)
        assert [m.text for m in doctor.match(nlp("Dr. Who called"))] == ["Dr. Who"]


# --- every problem of a file ----------------------------------------------------------------


def test_every_problem_of_a_glossary_file_is_listed_with_its_line(tmp_path):
    """A file with five problems took five rounds of check: each read stopped at the first
    (the unknown key showed only once it was the only problem left)."""
    path = write(tmp_path, "hardware.yaml", """\
        label: biling
        mode: lemma
        exclusions: [no, not]
        terms:
          - printer
          - on
          - term: laptop
            synonym: [notebook]
          - printer
    """)
    with pytest.raises(GlossaryError) as info:
        load_glossaries(tmp_path, LABELS)
    lines = str(info.value).splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == [
        f"{path}:{n}" for n in (1, 3, 6, 7, 9)]
    assert "label 'biling' is not a project label; did you mean 'billing'?" in lines[0]
    assert lines[1].endswith('quote it: "no"') and lines[2].endswith('quote it: "on"')
    assert "unknown key 'synonym' in a term; did you mean 'synonyms'?" in lines[3]
    assert "'printer' is listed twice in this glossary (also at line 5)" in lines[4]
    with pytest.raises(GlossaryError) as alone:  # one file read alone says the same
        load_glossary(path, LABELS)
    assert str(alone.value).splitlines() == lines


def test_the_phrases_of_a_glossary_with_problems_are_compared_with_other_glossaries(tmp_path):
    """The phrase claimed by two labels showed only once the rest of the file was fixed."""
    first = write(tmp_path, "a.yaml", "label: billing\nmode: fuzzy\nterms: [fee]\n")
    write(tmp_path, "b.yaml", "label: technical\nterms: [crash, fee]\n")
    write(tmp_path, "c.yaml", "label: sales\nterms: [crash]\n")  # no label: claims nothing
    with pytest.raises(GlossaryError) as info:
        load_glossaries(tmp_path, LABELS)
    lines = str(info.value).splitlines()
    assert lines[0].startswith(f"{first}:2: mode 'fuzzy'")
    assert any(f"'fee' (label 'technical') is also claimed by {first}:3" in line
               for line in lines)
    assert not any("'crash'" in line for line in lines)
    assert len(lines) == 3


@pytest.mark.parametrize("text", ["label: billing\nterm: [fee]\n",
                                  "label: billing\nterms:\n  - trem: fee\n",
                                  "lable: billing\nterms: [fee]\n"])
def test_a_misspelt_key_is_not_also_said_missing(tmp_path, text):
    """``term:`` for ``terms:`` is one mistake: "unknown key 'term'; did you mean 'terms'?"
    says it, without "the glossary has no terms" beside it."""
    path = write(tmp_path, "x.yaml", text)
    with pytest.raises(GlossaryError) as info:
        load_glossary(path, LABELS)
    (line,) = str(info.value).splitlines()
    assert "unknown key" in line and "did you mean" in line


@pytest.mark.parametrize("written", ["on", "On", "OFF", "yes", "No", "TRUE", "false"])
@pytest.mark.parametrize(("body", "line"), [
    ("terms:\n  - fee\n  - {w}\n", 4),
    ("terms:\n  - term: {w}\n", 3),
    ("terms:\n  - term: fee\n    synonyms: [tax, {w}]\n", 4),
    ("terms:\n  - term: fee\n    synonyms:\n      - tax\n      - {w}\n", 6),
    ("terms: [fee]\nexclusions: [not, {w}]\n", 3),
    ("terms: [fee]\nexclusions: {w}\n", 3),
])
def test_an_unquoted_boolean_is_to_be_quoted_as_written(tmp_path, written, body, line):
    """An unquoted `on` said `quote it: "no"`, naming another word than the one written."""
    path = write(tmp_path, "x.yaml", "label: billing\n" + body.format(w=written))
    with pytest.raises(GlossaryError) as info:
        load_glossary(path, LABELS)
    assert str(info.value) == (f"{path}:{line}: YAML reads an unquoted no / yes / on / off as "
                               f'true or false; quote it: "{written}"')


def _spanish():
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    return load_pipeline(NLPConfig(lang="es"))


@pytest.mark.parametrize("mode", ["exact", "lowercase", "lemma"])
def test_accents_umlauts_spells_umlauts_out_on_both_sides(mode):
    """German is typed without umlauts as "ae", "oe", "ue" ("Fuehrerschein", "Gebuehr"), and
    ``accents: ignore`` reads "ü" as "u": the term "Führerschein" missed "Fuehrerschein".
    ``accents: umlauts`` spells them out on both sides, exclusions too."""
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig(lang="de"))
    terms = (Term("Führerschein"), Term("Gebuehr"))
    umlauts = Glossary("g", "billing", mode, terms, ("für",), accents="umlauts")
    ignore = Glossary("g", "billing", mode, terms, ("für",), accents="ignore")
    for text, term in {"Mein Fuehrerschein": "Führerschein",
                       "Mein Führerschein": "Führerschein", "die Gebühr": "Gebuehr",
                       "die Gebuehr": "Gebuehr"}.items():
        assert [m.term for m in found(nlp, [umlauts], text)] == [term], text
    assert found(nlp, [ignore], "Mein Fuehrerschein") == []
    assert found(nlp, [umlauts], "Mein Fuhrerschein") == []  # "u" is not "ü" here
    (match,) = found(nlp, [umlauts], "fuer Gebühr")
    assert match.excluded_by == "für"
    if mode != "exact":
        assert [m.text for m in found(nlp, [umlauts], "FUEHRERSCHEIN")] == ["FUEHRERSCHEIN"]
    if mode == "lemma":  # a form the table knows, by its lemma
        assert [m.term for m in found(nlp, [umlauts], "die Gebühren")] == ["Gebuehr"]


def test_umlauts_spelt_out_keep_capitals():
    """"ÜBER" is "UEBER", as typed in capitals, so exact mode matches it."""
    from labelwright.glossaries.words import without_umlauts

    assert [without_umlauts(w) for w in ("Gebühr", "ÜBER", "Ärger", "Ü", "grün",
                                         "gru\u0308n")] == [
        "Gebuehr", "UEBER", "Aerger", "Ue", "gruen", "gruen"]


def test_spelt_out_umlauts_are_one_phrase(tmp_path):
    """In a glossary with ``accents: umlauts`` "Gebühr" and "Gebuehr" are one phrase."""
    path = write(tmp_path, "a.yaml", "label: billing\naccents: umlauts\nterms:\n  - Gebühr\n"
                                     "  - Gebuehr\n")
    with pytest.raises(GlossaryError, match=re.escape(
            f"{path}:5: 'Gebuehr' is listed twice in this glossary (also at line 4, as "
            "'Gebühr')")):
        load_glossaries(tmp_path, LABELS)


@pytest.mark.parametrize("mode", ["exact", "lowercase", "lemma"])
def test_accents_ignore_matches_without_accents_on_both_sides(mode):
    """The term "facturacion" missed "facturación", and "avería" missed "averia", in every
    mode; ``accents: ignore`` matches them, and the default still tells them apart."""
    nlp = _spanish()
    terms = [Term("avería"), Term("facturacion"), Term("año")]
    texts = {"tengo una averia": "avería", "Tengo una avería": "avería",
             "la facturación": "facturacion", "facturacion": "facturacion",
             "el ano": "año", "el año": "año"}
    keep = glossary(mode, terms, exclusions=["no"])
    ignore = Glossary("g", "billing", mode, tuple(terms), ("no",), accents="ignore")
    for text, term in texts.items():
        assert [m.term for m in found(nlp, [ignore], text)] == [term], text
        written = [m.text for m in found(nlp, [keep], text)]
        assert written == ([] if text in ("tengo una averia", "la facturación", "el ano")
                           else [text.split()[-1]]), text
    # the exclusion is compared without accents too, and in lemma mode the forms the
    # table knows still match
    (match,) = found(nlp, [ignore], "no averia")
    assert match.excluded_by == "no"
    if mode == "lemma":
        assert [m.term for m in found(nlp, [ignore], "hay averías")] == ["avería"]


def test_accents_is_read_from_the_glossary_file(tmp_path):
    path = write(tmp_path, "g.yaml", "label: billing\naccents: ignore\nterms: [avería]\n")
    assert load_glossary(path, LABELS).accents == "ignore"
    path = write(tmp_path, "g.yaml", "label: billing\nterms: [avería]\n")
    assert load_glossary(path, LABELS).accents == "keep"
    path = write(tmp_path, "g.yaml", "label: billing\naccents: ignored\nterms: [avería]\n")
    with pytest.raises(GlossaryError, match=r"g.yaml:2: accents 'ignored'; did you mean "
                                            r"'ignore'\?.*valid values: keep, ignore"):
        load_glossary(path, LABELS)


def test_check_names_lemma_mode_phrases_whose_lemma_is_another_word(tmp_path):
    """Spanish's table reads the nouns "cargo", "factura" and "señales" as the verbs
    "cargar", "facturar" and "señalar", so a lemma-mode "cargo" also matched "carga"; no
    message said so."""
    from labelwright.glossaries.checks import lemma_shifts

    nlp = _spanish()
    terms = [Term("cargo", line=4), Term("factura", synonyms=("facturas",), line=5),
             Term("señal", line=6), Term("router", line=7)]
    g = Glossary("g", "billing", "lemma", tuple(terms), path=tmp_path / "g.yaml")
    (message,) = lemma_shifts([g], nlp)
    assert message.startswith(f"{tmp_path / 'g.yaml'}: 3 of 5 lemma-mode phrases match by "
                              "a lemma that is another word")
    assert ("'cargo' (line 4) by 'cargar', 'factura' (line 5) by 'facturar', 'facturas' "
            "(line 5) by 'facturar'; where") in message
    # a long glossary: the count and the first few
    many = Glossary("g", "billing", "lemma", tuple(
        Term(word, line=i) for i, word in enumerate(
            ["cargo", "factura", "recibo", "importe", "cobro", "recargo", "señales"], 2)))
    (message,) = lemma_shifts([many], nlp)
    assert "7 of 7 lemma-mode phrases" in message and "' and 2 more; where" in message
    assert "'señales'" not in message
    # other modes, and phrases whose lemmas are their words, are not named
    assert lemma_shifts([Glossary("g", "billing", "lowercase", tuple(terms))], nlp) == []
    assert lemma_shifts([Glossary("g", "billing", "lemma", (Term("señal"),))], nlp) == []


def test_verb_forms_and_function_words_read_as_their_base_are_not_named(monkeypatch):
    """A Spanish complaints glossary had 11 of 12 phrases named, most for a verb form read
    as its infinitive ('no tengo internet' as 'no tener internet', 'la fibra no funciona'
    as 'lo fibra no funcionar') or an article as its base ('la' as 'lo'): what lemma mode
    is for. A noun of the dictionary read as another word is still named, in the plural
    too ('facturas' as 'facturar'), as is one the table knows only by its plural
    ('recargo': "recargos" reads as it)."""
    from labelwright.glossaries.checks import lemma_shifts

    nlp = _spanish()
    quiet = ["no tengo internet", "la fibra no funciona", "no hay señal",
             "el router no enciende", "me cobran de más", "sin conexión"]
    assert lemma_shifts([Glossary("g", "queja", "lemma", tuple(
        Term(p) for p in quiet))], nlp) == []
    named = ["factura", "facturas", "cobro indebido", "dar de baja", "recargo",
             "hay una avería"]
    glossary = Glossary("g", "queja", "lemma", tuple(Term(p) for p in quiet + named))
    monkeypatch.setattr("labelwright.glossaries.lemma_shifts.SHOWN_SHIFTS", 100)
    (message,) = lemma_shifts([glossary], nlp)
    assert message.startswith("<memory>: 6 of 12 lemma-mode phrases"), message
    for phrase, read in [("factura", "facturar"), ("facturas", "facturar"),
                         ("cobro indebido", "cobrar indebido"), ("dar de baja", "dar de bajo"),
                         ("recargo", "recargar"), ("hay una avería", "haber uno averiar")]:
        assert f"'{phrase}' (terms[" in message and f") by '{read}'" in message, phrase
    for phrase in quiet:
        assert f"'{phrase}'" not in message, phrase
    # in a phrase of several words, the word read as another is said
    assert "by 'haber uno averiar' ('avería' as 'averiar')" in message, message
    assert "by 'dar de bajo' ('baja' as 'bajo')" in message, message


def test_check_warns_of_lemma_shifts(make_project):
    from labelwright.project.check import check_project

    root = make_project(glossaries={"money": "label: billing\nmode: lemma\n"
                                             "terms: [refund, charges, tax id, left]\n"})
    report = check_project(root)
    assert report.ok, report.problems
    (warning,) = [w for w in report.warnings if "lemma-mode phrases" in w]
    assert ("2 of 4 lemma-mode phrases" in warning and "'tax id' (line 3) by 'tax i have'"
            in warning and "'left' (line 3) by 'leave'" in warning), warning


def test_inflections_read_as_their_base_form_are_not_named(make_project):
    """What lemma mode is for: the example's glossaries had 13 such phrases named on every
    `check` and `run` ('locked' by 'lock', 'something went wrong' by 'something go
    wrong'), which taught their readers to skip the warning."""
    from labelwright.project.check import check_project

    root = make_project(glossaries={"money": "label: billing\nmode: lemma\nterms: [charges, "
                                             "account locked, something went wrong, broken, "
                                             "not working, sales tax]\n"})
    report = check_project(root)
    assert report.ok, report.problems
    assert [w for w in report.warnings if "lemma-mode phrases" in w] == []


def test_phrases_that_differ_only_in_accents_are_listed_twice_where_accents_are_ignored(
        tmp_path):
    text = "label: billing\n{}terms:\n  - avería\n  - averia\n"
    assert load_glossary(write(tmp_path, "g.yaml", text.format("")), LABELS).n_phrases == 2
    with pytest.raises(GlossaryError, match=r"g.yaml:5: 'averia' is listed twice in this "
                                            r"glossary \(also at line 4, as 'avería'\)"):
        load_glossary(write(tmp_path, "g.yaml", text.format("accents: ignore\n")), LABELS)


@pytest.mark.parametrize("mode", ["lowercase", "lemma"])
def test_codes_and_numbers_with_units_in_capitals_match(nlp, mode):
    """English's suffix rules split a unit off a number or a code in lowercase only
    ("t2dm" is "t2" + "dm", "500mg" is "500" + "mg"; "T2DM" and "500MG" stay whole): a
    clinical note's "T2DM" and "METFORMIN 500MG" matched no term in the modes that ignore
    case, while "t2dm" and "metformin 500mg" did."""
    code = glossary(mode, [Term("t2dm")], name="a", label="diabetes")
    dose = glossary(mode, [Term("metformin 500 mg")], name="b", label="diabetes")
    rows = ["T2DM w/ hyperglycemia", "t2dm noted", "T2dm noted", "METFORMIN 500MG BID",
            "metformin 500mg bid", "METFORMIN 500 MG BID"]
    assert [[m.text for m in found(nlp, [code, dose], row)] for row in rows] == [
        ["T2DM"], ["t2dm"], ["T2dm"], ["METFORMIN 500MG"], ["metformin 500mg"],
        ["METFORMIN 500 MG"]]
    # and as an exclusion
    ruled = glossary(mode, [Term("neuropathy")], exclusions=["no t2dm"], window=3)
    assert [m.excluded_by for m in found(nlp, [ruled], "NO T2DM NEUROPATHY")] == ["no t2dm"]


@pytest.mark.parametrize("mode", ["exact", "lowercase", "lemma"])
def test_exclusions_ignore_case_in_every_mode(nlp, mode):
    """An exclusion is a negation cue, not a term: in an exact glossary "no CHF" was
    cancelled but "NO CHF", "No CHF" and "FATHER HAD CHF" were not. The terms of an exact
    glossary keep their case."""
    chf = glossary(mode, [Term("CHF")], exclusions=["no", "father"], label="chf")
    for text in ("no CHF", "NO CHF", "No CHF", "FATHER HAD CHF", "Father had CHF"):
        assert [m.excluded_by for m in found(nlp, [chf], text)] != [None], text
    assert [m.excluded_by for m in found(nlp, [chf], "NO CHF")] == ["no"]
    shouted = glossary(mode, [Term("CHF")], exclusions=["NO"], label="chf")
    assert [m.excluded_by for m in found(nlp, [shouted], "no CHF")] == ["NO"]
    assert [m.excluded_by for m in found(nlp, [chf], "CHF, no")] == [None]


def test_an_exact_glossary_with_exclusions_keeps_its_terms_case(nlp):
    chf = glossary("exact", [Term("CHF")], exclusions=["no"], label="chf")
    assert found(nlp, [chf], "no chf") == []
    accentless = Glossary(name="g", label="chf", mode="exact", terms=(Term("CHF"),),
                          exclusions=("SIN",), accents="ignore")
    assert [m.excluded_by for m in found(nlp, [accentless], "sín CHF")] == ["SIN"]


@pytest.mark.parametrize("mode", ["exact", "lowercase", "lemma"])
def test_the_period_of_an_abbreviation_does_not_stop_the_exclusion_window(nlp, mode):
    """spaCy splits "h.o." into "h.o" + ".", and that "." stopped the window as a sentence
    end: "no h.o. COPD" voted COPD. A "." after a plain word ("hx.") still ends a
    sentence: it cannot be told from one."""
    copd = glossary(mode, [Term("COPD")], exclusions=["no", "denies"], label="copd")
    for text in ("no h.o. COPD", "No e.o. COPD", "denies s.o.b. or COPD",
                 "NO H.O. COPD", "not p.r.n. no e.g. COPD"):
        assert [m.excluded_by for m in found(nlp, [copd], text)] != [None], text
    for text in ("no hx. COPD", "no. COPD", "No. H.o. COPD"):
        assert [m.excluded_by for m in found(nlp, [copd], text)] == [None], text


def test_a_message_about_a_synonym_names_the_synonym_s_line(tmp_path, nlp):
    """The lemma-shift warning named the term's line (line 3 for a synonym on line 5), as
    did the pattern, listed-twice and claimed-by-two-labels messages."""
    from labelwright.glossaries.checks import glossary_warnings, lemma_shifts

    path = write(tmp_path, "money.yaml", """\
        label: billing
        mode: lemma
        terms:
          - term: vat
            synonyms:
              - sales tax
              - tax id
              - refund*
        """)
    [money] = load_glossaries(tmp_path, LABELS)
    (shift,) = lemma_shifts([money], nlp)
    assert "'tax id' (line 7) by 'tax i have'" in shift, shift
    (pattern,) = glossary_warnings([money])
    assert pattern.startswith(f"{path}:8: 'refund*' holds a wildcard '*'"), pattern
    path.write_text(path.read_text(encoding="utf-8") + "      - tax  ID\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=re.escape(
            f"{path}:9: 'tax  ID' is listed twice in this glossary (also at line 7, as "
            "'tax id')")):
        load_glossaries(tmp_path, LABELS)


def test_an_exclusion_that_never_cancels_names_its_line(tmp_path, nlp):
    """Exclusion warnings named the file only."""
    from labelwright.glossaries.checks import exclusion_problems

    path = write(tmp_path, "g.yaml", """\
        label: billing
        window: 1
        exclusions:
          - not
          - no longer
        exclusions_after: ["!"]
        terms: [refund]
        """)
    [g] = load_glossaries(tmp_path, LABELS)
    problems = exclusion_problems([g], nlp)
    assert [p.split(": exclusion")[0] for p in problems] == [f"{path}:5", f"{path}:6"], problems
    assert "'no longer' is 2 words, longer than window 1" in problems[0]
    assert "exclusion after a term '!' has no word" in problems[1]


def test_a_synonym_listed_twice_names_the_line_of_each(tmp_path):
    """A phrase's line was found by its text, so both listings named the first line."""
    path = write(tmp_path, "a.yaml", """\
        label: billing
        terms:
          - term: refund
            synonyms:
              - money back
              - cash
              - money back
        """)
    with pytest.raises(GlossaryError, match=re.escape(
            f"{path}:7: 'money back' is listed twice in this glossary (also at line 5)")):
        load_glossaries(tmp_path, LABELS)


def test_a_term_that_is_its_own_synonym_names_the_synonyms_line(tmp_path):
    """The term's line was named for a synonym written as the term."""
    path = write(tmp_path, "a.yaml", """\
        label: billing
        terms:
          - term: invoice
            synonyms:
              - invoice
        """)
    with pytest.raises(GlossaryError, match=re.escape(
            f"{path}:5: 'invoice' is listed twice in this glossary (also at line 3)")):
        load_glossaries(tmp_path, LABELS)


def test_one_phrase_before_and_after_a_term_names_each_exclusions_line(tmp_path, nlp):
    """The exclusions' lines were one mapping of phrase to line over both sides: the same
    phrase on both named the line of the one after a term twice."""
    from labelwright.glossaries.checks import exclusion_problems

    path = write(tmp_path, "g.yaml", """\
        label: billing
        window: 1
        exclusions:
          - not at all
        exclusions_after:
          - not at all
        terms: [refund]
        """)
    [g] = load_glossaries(tmp_path, LABELS)
    problems = exclusion_problems([g], nlp)
    assert [p.split(": exclusion")[0] for p in problems] == [f"{path}:4", f"{path}:6"], problems


@pytest.mark.parametrize("first, second", [
    ("mode: lemma\naccents: ignore\n", ""), ("", "accents: ignore\n"),
    ("accents: ignore\n", "mode: exact\naccents: ignore\n")])
def test_phrases_claimed_by_two_labels_are_compared_as_their_accents_setting_reads_them(
        tmp_path, first, second):
    """`actualización` (billing, accents: ignore) and `actualizacion` (technical) passed
    check, but both matched "actualizacion" and voted for two labels."""
    a = write(tmp_path, "a.yaml", f"label: billing\n{first}terms:\n  - actualización\n")
    b = write(tmp_path, "b.yaml", f"label: technical\n{second}terms:\n  - actualizacion\n")
    folds = "a" if "ignore" in first else "b"
    with pytest.raises(GlossaryError, match=re.escape(
            f"{b}:{3 + second.count(chr(10))}: 'actualizacion' (label 'technical') is also "
            f"claimed by {a}:{3 + first.count(chr(10))} (label 'billing'), as "
            f"{folds}.yaml's accents: ignore reads them; ")):
        load_glossaries(tmp_path, LABELS)


def test_phrases_that_differ_in_accents_are_no_clash_where_both_keep_them(tmp_path):
    """Neither glossary folds accents: "añadan" and "anadan" never match one text."""
    from labelwright.glossaries.checks import consistency_problems

    write(tmp_path, "a.yaml", "label: billing\nterms:\n  - añadan\n")
    write(tmp_path, "b.yaml", "label: technical\nterms:\n  - anadan\n")
    assert consistency_problems(load_glossaries(tmp_path, LABELS)) == []
    # umlauts spelt out: "Gebühr" is "Gebuehr" to the glossary that says so
    write(tmp_path, "a.yaml", "label: billing\naccents: umlauts\nterms:\n  - Gebühr\n")
    write(tmp_path, "b.yaml", "label: technical\nterms:\n  - gebuehr\n")
    with pytest.raises(GlossaryError, match="as a.yaml's accents: umlauts reads them"):
        load_glossaries(tmp_path, LABELS)


def test_accents_ignore_in_lemma_mode_matches_a_word_spelt_as_another_words_form():
    """Without its accent "está" is "esta", which the table reads as a form of "este", and
    "sé" (a slip for "se") is a form of "ser": "la app esta rota" missed the term `está
    rota` and "no sé conecta" missed `no se conecta`, though the glossary ignores accents.
    A text word now also matches a term's word spelt as it is without accents; a word
    spelt otherwise matches too where, accents put back, it is a form of the term word's
    lemma ("estas" is "estás", a form of `estar`: the price of accents: ignore,
    test_french_forms); a word that is none keeps its lemma ("este" is no "está")."""
    nlp = _spanish()
    terms = (Term("está rota"), Term("no se conecta"), Term("esta semana"), Term("ser"),
             Term("se está cerrando"))
    ignore = Glossary("g", "billing", "lemma", terms, accents="ignore")
    keep = Glossary("g", "billing", "lemma", terms)
    cases = {"la app esta rota": ["está rota"], "LA APP ESTA ROTA": ["está rota"],
             "la app está rota": ["está rota"], "esta rotas": ["está rota"],
             "no sé conecta": ["no se conecta"], "no se conecta": ["no se conecta"],
             "esta semana": ["esta semana"], "estas semanas": ["esta semana"],
             "está semana": ["esta semana"], "yo sé": ["ser"], "estas rotas": ["está rota"],
             "estos rotos": [], "es": ["ser"],
             # "se" as its term word reads it, "esta" not: both marked where one must be
             "se esta cerrando": ["se está cerrando"], "sé está cerrando": ["se está cerrando"]}
    matcher = GlossaryMatcher([ignore], nlp)
    for text, terms_found in cases.items():
        assert [m.term for m in matcher.match(nlp(text))] == terms_found, text
    # matches point at the text's words, and a glossary that keeps accents is as before
    (match,) = matcher.match(nlp("hoy la app esta rota."))
    assert match.text == "esta rota"
    kept = GlossaryMatcher([keep], nlp)
    assert [m.term for m in kept.match(nlp("la app esta rota"))] == []
    assert [m.term for m in kept.match(nlp("no sé conecta"))] == ["ser"]


def test_a_phrase_two_glossaries_of_one_label_read_alike_is_named_as_their_accents_read_it(
        tmp_path):
    """`actualización` (accents: ignore) and `actualizacion` in another glossary of the
    same label both vote on "actualizacion", but the warning of a phrase listed by two
    glossaries of one label compared them as written and said nothing; two exact-mode
    glossaries' "US" and "us" never match one text and were named."""
    from labelwright.glossaries.checks import glossary_warnings

    a = write(tmp_path, "a.yaml", "label: billing\naccents: ignore\nterms:\n  - actualización\n")
    b = write(tmp_path, "b.yaml", "label: billing\nterms:\n  - actualizacion\n")
    (warning,) = glossary_warnings(load_glossaries(tmp_path, LABELS))
    assert warning.startswith(
        f"{b}:3: 'actualizacion' is also listed by {a}:4, as a.yaml's accents: ignore reads "
        "them, another glossary of the label 'billing'"), warning
    write(tmp_path, "a.yaml", "label: billing\nmode: exact\nterms:\n  - US\n")
    write(tmp_path, "b.yaml", "label: billing\nmode: exact\nterms:\n  - us\n")
    assert glossary_warnings(load_glossaries(tmp_path, LABELS)) == []


def test_accents_ignore_in_lemma_mode_reads_an_exclusion_as_spelt_as_its_terms_are():
    """The term `rota` with the exclusion "no está": "no está rota" was cancelled, but
    "no esta rota" (typed without the accent, "esta" a form of "este") was not, though the
    glossary ignores accents and its term `está rota` matched "esta rota". An exclusion's
    word is read as spelt as a term's is; a word spelt otherwise keeps its lemma."""
    import dataclasses

    nlp = _spanish()
    glossary = Glossary("g", "billing", "lemma", (Term("rota"),), accents="ignore",
                        exclusions=("no está",), exclusions_after=("sé",))
    matcher = GlossaryMatcher([glossary], nlp)
    cases = {"no está rota": "no está", "no esta rota": "no está", "NO ESTA ROTA": "no está",
             "no estaba rota": "no está", "no estas rota": None, "rota no sé": "sé",
             "rota no se": "sé", "rota es": "sé", "esta rota": None}
    for text, excluded_by in cases.items():
        assert [m.excluded_by for m in matcher.match(nlp(text))] == [excluded_by], text
    kept = GlossaryMatcher([dataclasses.replace(glossary, accents="keep")], nlp)
    assert [m.excluded_by for m in kept.match(nlp("no esta rota"))] == [None]


def test_a_word_read_as_spelt_still_matches_by_lemma_beside_one_that_must_be():
    """With `está rota` in the glossary "está" is read as spelt too, so in "sé está
    cerrando" both words were marked and `se estaba cerrando` ("sé" as spelt, "está" by
    its lemma, as "estaba") missed, though each word alone matched."""
    nlp = _spanish()
    terms = (Term("se estaba cerrando"), Term("está rota"), Term("se está cayendo"))
    matcher = GlossaryMatcher([Glossary("g", "billing", "lemma", terms, accents="ignore")], nlp)
    cases = {"sé está cerrando": ["se estaba cerrando"], "sé estaba cerrando":
             ["se estaba cerrando"], "se está cerrando": ["se estaba cerrando"],
             "sé esta cayendo": ["se está cayendo"], "sé estás cerrando": ["se estaba cerrando"],
             "sé estas rotas": ["está rota"], "sé estos rotos": []}
    for text, found in cases.items():
        assert [m.term for m in matcher.match(nlp(text))] == found, text


def test_a_phrase_read_as_another_phrase_the_glossary_lists_is_not_named(make_project):
    """'won' is read as 'win'; with 'win' listed too, the glossary matches every word read
    as 'win' anyway, so the warning named a phrase that changes nothing (an SMS spam
    glossary listing 'win' and 'won')."""
    from labelwright.project.check import check_project

    root = make_project(glossaries={"lure": "label: billing\nmode: lemma\n"
                                            "terms:\n  - term: winner\n    synonyms: [won]\n"
                                            "  - left\n"})
    (warning,) = [w for w in check_project(root).warnings if "lemma-mode phrases" in w]
    assert "'won' (line 5) by 'win'" in warning and "'left'" in warning, warning
    (root / "glossaries" / "lure.yaml").write_text(
        "label: billing\nmode: lemma\nterms:\n  - term: winner\n    synonyms: [won, win]\n"
        "  - left\n  - leave\n", encoding="utf-8")
    report = check_project(root)
    assert [w for w in report.warnings if "lemma-mode phrases" in w] == [], report.warnings
