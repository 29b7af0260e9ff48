"""Hits per phrase: a term's hits in glossary_hits.csv count its synonyms' too ("opening
hours | 767 hits" were mostly its synonyms'), and the report said every term matched while
most phrases occur in no item. glossary_phrase_hits.csv counts each phrase; the report
names the phrases that never matched."""

from __future__ import annotations

import pandas as pd

from labelwright import run_project
from labelwright.glossaries.core import Glossary, Term
from labelwright.glossaries.matching import GlossaryMatcher
from ticket_data import TICKETS_WITH_NEGATION

MONEY = """\
label: billing
mode: lowercase
exclusions: ["no"]
terms:
  - term: refund
    synonyms: [refunded, money back]
  - term: charge
    synonyms: [charged]
"""


def _read(path):
    return pd.read_csv(path, keep_default_na=False, dtype={"glossary": str, "term": str,
                                                           "phrase": str, "label": str})


def test_each_match_names_the_phrase_that_matched(nlp):
    glossary = Glossary("money", "billing", "lowercase",
                        (Term("refund", synonyms=("refunded", "money back")),))
    matcher = GlossaryMatcher([glossary], nlp)
    doc = nlp("Refunded yet? I want my MONEY BACK or a refund")
    assert [(m.term, m.phrase, m.text) for m in matcher.match(doc)] == [
        ("refund", "refunded", "Refunded"), ("refund", "money back", "MONEY BACK"),
        ("refund", "refund", "refund")]


def test_a_run_counts_hits_per_phrase_beside_hits_per_term(make_project):
    root = make_project(rows=TICKETS_WITH_NEGATION, glossaries={"money": MONEY})
    result = run_project(root)
    run_dir = result.run_dir
    terms = _read(run_dir / "glossary_hits.csv")
    # the file scripts read keeps its columns and its meaning: items per term
    assert list(terms.columns) == ["glossary", "term", "label", "hits", "cancelled"]
    assert terms[["term", "hits", "cancelled"]].values.tolist() == [["refund", 2, 0],
                                                                   ["charge", 2, 1]]
    phrases = _read(run_dir / "glossary_phrase_hits.csv")
    assert list(phrases.columns) == ["glossary", "term", "phrase", "label", "hits",
                                     "cancelled"]
    # t1 "refund ... charged", t3 "Refunded ... the charge", t6 "... no charge" (cancelled)
    assert phrases[["term", "phrase", "hits", "cancelled"]].values.tolist() == [
        ["refund", "refund", 1, 0], ["refund", "refunded", 1, 0], ["refund", "money back", 0, 0],
        ["charge", "charge", 1, 1], ["charge", "charged", 1, 0]]
    page = (run_dir / "report.html").read_text(encoding="utf-8")
    assert "Phrases that never matched (1 of 5)" in page
    assert ('<b><bdi>money</bdi></b> (1 of 5): <span class="chip"><bdi>money back</bdi></span>'
            in page)
    # a run that reads every vote and hit from the vote cache counts the same
    again = run_project(root, report=False)
    assert again.run_dir != run_dir
    assert _read(again.run_dir / "glossary_phrase_hits.csv").equals(phrases)


def test_run_and_analyze_say_how_many_phrases_matched_no_item(make_project, cli):
    """Only the report said it: a glossary-heavy user reading the terminal saw hits on every
    term and nothing of the 1,195 phrases that occur nowhere."""
    root = make_project(rows=TICKETS_WITH_NEGATION, glossaries={"money": MONEY})
    code, out = cli("run", "--no-report", "-p", str(root))
    assert code == 0, out
    assert ("glossaries: 1 of 5 phrases (terms and their synonyms) matched no item "
            "(money: 'money back'; each phrase's hits are in the run's "
            "glossary_phrase_hits.csv; the report names them)") in out
    code, out = cli("analyze", "-p", str(root))
    assert code == 0, out
    assert ("glossaries: 1 of 5 phrases (terms and their synonyms) matched no item "
            "(money: 'money back'; `labelwright run` writes each phrase's hits)") in out
    (root / "glossaries" / "money.yaml").write_text(
        MONEY.replace("[refunded, money back]", "[refunded]"), encoding="utf-8")
    code, out = cli("run", "--no-report", "-p", str(root))
    assert code == 0 and "matched no item" not in out, out


def test_the_phrases_that_matched_no_item_are_named_up_to_five():
    """"2 of 56 phrases ... matched no item" sent the user to a CSV to learn which two."""
    from labelwright.apply.hit_tables import PHRASE_HIT_COLUMNS, unmatched_phrases_line

    rows = [("bug", "pantalla en blanco", "pantalla en blanco", "bug", 0, 0),
            ("bug", "fallar", "fallar", "bug", 9, 0),
            ("elogio", "genial", "genial", "elogio", 0, 2),  # cancelled: it matched
            *(("elogio", f"t{k}", f"frase {k}", "elogio", 0, 0) for k in range(6))]
    line = unmatched_phrases_line(pd.DataFrame(rows, columns=PHRASE_HIT_COLUMNS),
                                  written=False)
    assert line == ("glossaries: 7 of 9 phrases (terms and their synonyms) matched no item "
                    "(bug: 'pantalla en blanco'; elogio: 'frase 0', 'frase 1', 'frase 2', "
                    "'frase 3' and 2 more; `labelwright run` writes each phrase's hits)")


def _spanish():
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    return load_pipeline(NLPConfig(lang="es"))


def test_a_span_phrases_share_by_lemma_is_credited_to_the_phrase_written_as_the_text():
    """In lemma mode "avería" and its synonym "averiado" share the lemma "averiar", so both
    match the same words: "Tengo una avería" was credited to "averiado" (0 hits for
    "avería"), and which phrase won followed the hashes of the matcher's ids."""
    nlp = _spanish()
    faults = Glossary("g", "averia", "lemma", (Term("avería", synonyms=("averiado",)),
                                               Term("cancelar", synonyms=("cancelé",))))
    other = Glossary("h", "otro", "exact", (Term("señal"),))
    cases = [("Tengo una avería", "avería"), ("TENGO UNA AVERÍA", "avería"),
             ("El equipo está averiado", "averiado"), ("Quiero cancelar", "cancelar"),
             ("Ya cancelé el plan", "cancelé"),
             # written as neither: the phrase the glossary lists first
             ("Hay averías en la zona", "avería"), ("Cancelamos ayer", "cancelar")]
    # the same whatever other glossaries are matched beside it (their number changes the
    # ids of this one's phrases)
    for glossaries in ([faults], [other, faults], [other, other, faults]):
        matcher = GlossaryMatcher(glossaries, nlp)
        for text, phrase in cases:
            matches = [m for m in matcher.match(nlp(text)) if m.glossary == "g"]
            assert [m.phrase for m in matches] == [phrase], (text, len(glossaries))


def test_a_span_phrases_share_by_lemma_in_english():
    glossary = Glossary("g", "technical", "lemma", (Term("break", synonyms=("broken",)),))
    from labelwright.config import NLPConfig
    from labelwright.nlp import load_pipeline

    nlp = load_pipeline(NLPConfig())
    for names in (["g"], ["a", "g"], ["a", "b", "g"]):
        glossaries = [Glossary(n, "billing", "exact", (Term("zzz"),)) for n in names[:-1]]
        matcher = GlossaryMatcher([*glossaries, glossary], nlp)
        found = matcher.match(nlp("It is broken, it broke, it breaks"))
        assert [(m.text, m.phrase) for m in found] == [
            ("broken", "broken"), ("broke", "break"), ("breaks", "break")], names


def test_a_longer_span_of_a_phrase_not_written_as_the_text_yields_to_one_that_is():
    """Term "roto", synonyms "rompió" and "se rompe": "se rompió" was credited to "se rompe"
    (the longer span, by lemma) though "rompió" is written there word for word, and the
    report listed "rompió" among the phrases that never matched, with 151 texts holding
    it. Where spans overlap, the phrase written as the text is takes the credit."""
    nlp = _spanish()
    broken = Glossary("g", "roto", "lemma", (Term("roto", synonyms=("rompió", "se rompe")),))
    matcher = GlossaryMatcher([broken], nlp)
    cases = [("La pantalla se rompió ayer", [("rompió", "rompió")]),
             ("La pantalla se rompe sola", [("se rompe", "se rompe")]),
             ("Está roto", [("roto", "roto")]),
             # written as none of them: the longer span, as before
             ("Se rompieron dos", [("Se rompieron", "se rompe")])]
    for text, expected in cases:
        found = matcher.match(nlp(text))
        assert [(m.text, m.phrase) for m in found] == expected, text


def test_the_spans_left_out_are_those_a_written_span_of_their_glossary_overlaps():
    """_overlapping and _yielded, asked by runs and bisection, against pairwise reading on
    random spans of two glossaries."""
    import random

    from labelwright.glossaries.crediting import _overlapping, _yielded

    rng = random.Random(0)
    for _ in range(300):
        spans = []
        for match_id in range(rng.randint(2, 9)):
            start = rng.randint(0, 12)
            spans.append((match_id, start, start + rng.randint(1, 4)))
        spans.sort(key=lambda m: (m[1], m[1] - m[2]))
        order = {m[0]: (rng.randint(0, 1), 0, 0) for m in spans}
        written = {m[0] for m in spans if rng.random() < 0.4}

        def meets(a, b, order=order):
            return a is not b and order[a[0]][0] == order[b[0]][0] \
                and a[1] < b[2] and b[1] < a[2]

        assert _overlapping(spans, order) == {
            (m[1], m[2]) for m in spans if any(meets(m, o) for o in spans)}
        kept = _yielded(spans, lambda m, written=written: m[0] in written, order)
        assert kept == [m for m in spans if m[0] in written or not any(
            meets(m, o) and o[0] in written for o in spans)]


def test_a_word_only_the_left_out_span_covered_is_in_no_match():
    """"se rompe" (not written so) over tokens 0-1, "rompió" (written so) over token 1:
    only "rompió" is kept, and token 0 ("se") is left out of the glossary's matches."""
    from labelwright.glossaries.crediting import _yielded

    order = {0: (0, 0, 0), 1: (0, 1, 0)}
    kept = _yielded([(0, 0, 2), (1, 1, 2)], lambda m: m[0] == 1, order)
    assert kept == [(1, 1, 2)]
    assert not any(start <= 0 < end for _, start, end in kept)
    # a span of another glossary over the same words is not left out
    order[0] = (1, 0, 0)
    assert _yielded([(0, 0, 2), (1, 1, 2)], lambda m: m[0] == 1, order) == [(0, 0, 2),
                                                                          (1, 1, 2)]


def test_a_phrase_inside_a_longer_one_written_as_the_text_is_gives_it_the_credit(nlp):
    """What README's crediting section says of a phrase held word for word that still
    never matched: where a longer phrase of its glossary, written so too, holds it, the
    longer span takes the words, in every mode that folds case."""
    for mode in ("lowercase", "lemma"):
        refund = Glossary("g", "billing", mode, (Term("refund", synonyms=("refund request",)),))
        found = GlossaryMatcher([refund], nlp).match(nlp("my refund request please"))
        assert [(m.text, m.phrase) for m in found] == [("refund request", "refund request")]
