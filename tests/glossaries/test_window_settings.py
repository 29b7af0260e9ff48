"""A clinical team's notes: negations after a term ("pneumonia ruled out") cancel it with
``exclusions_after``, and ``window_stops_at: line`` ends the windows at a line break, so
"ROS: no fever\\nCHF exacerbation" is not cancelled by the "no" of the line before. A
Markdown heading ("## Plan") opens a list item, whose start ends a window already."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from labelwright.errors import GlossaryError
from labelwright.glossaries import glossary_from_dict
from labelwright.glossaries.checks import exclusion_problems
from labelwright.glossaries.core import Glossary, GlossaryMatcher, Term, glossary_lf
from labelwright.glossaries.reading import glossary_yaml, load_glossary
from labelwright.review.queue.terms import match_text

MODES = ["exact", "lowercase", "lemma"]
LABELS = ("chf", "none")


def _chf(mode: str, **settings) -> Glossary:
    return Glossary(name="chf", label="chf", mode=mode,
                    terms=(Term("CHF"), Term("COPD"), Term("pneumonia")), **settings)


def _cancelled_by(nlp, glossary: Glossary, text: str) -> list[str | None]:
    return [m.excluded_by for m in GlossaryMatcher([glossary], nlp).match(nlp(text))]


@pytest.mark.parametrize("mode", MODES)
def test_window_stops_at_line_ends_the_window_at_a_line_break(nlp, mode):
    line = _chf(mode, exclusions=("no",), window_stops_at="line")
    clause = _chf(mode, exclusions=("no",))
    for text in ("ROS: no fever\nCHF exacerbation", "Smoking: no\nCOPD exacerbation",
                 "Smoking: no\r\nCOPD", "no\n\n  CHF"):
        assert _cancelled_by(nlp, line, text) == [None], text
        assert _cancelled_by(nlp, clause, text) == ["no"], text  # the default, as before
    for text in ("no CHF", "ROS:\nno fever or CHF", "- no\n- x\nno  CHF"):
        assert _cancelled_by(nlp, line, text) == ["no"], text


@pytest.mark.parametrize("mode", MODES)
def test_a_markdown_heading_opens_a_list_item(nlp, mode):
    clause = _chf(mode, exclusions=("no",))
    for text in ("no fever\n# Plan CHF", "no fever\n## Plan\nCHF", "no\n###### CHF"):
        assert _cancelled_by(nlp, clause, text) == [None], text
    # a hashtag or a number sign is no heading
    for text in ("no\n#CHF", "no\n#1 CHF", "no\n####### CHF"):
        assert _cancelled_by(nlp, clause, text) == ["no"], text


@pytest.mark.parametrize("mode", MODES)
def test_exclusions_after_cancel_a_match_they_follow(nlp, mode):
    g = _chf(mode, exclusions=("no",), exclusions_after=("ruled out", "negative"))
    for text in ("pneumonia ruled out", "CHF ruled out, BNP 45", "COPD ruled out by PFTs",
                 "CHF (ruled out)", "CHF RULED OUT", "CHF was ruled out"):
        assert _cancelled_by(nlp, g, text) != [None], text
    assert _cancelled_by(nlp, g, "CHF ruled out, BNP 45") == ["ruled out"]
    assert _cancelled_by(nlp, g, "no CHF ruled out") == ["no"]  # the window before first
    for text in ("CHF, ruled out MI", "CHF. Ruled out later", "CHF exacerbation, troponin "
                 "negative", "CHF seen by the team today ruled out", "CHF\n- ruled out MI"):
        assert _cancelled_by(nlp, g, text) == [None], text
    # a line break: crossed by default, a stop with window_stops_at: line
    assert _cancelled_by(nlp, g, "CHF\nruled out") == ["ruled out"]
    line = dataclasses.replace(g, window_stops_at="line")
    assert _cancelled_by(nlp, line, "CHF\nruled out") == [None]
    assert _cancelled_by(nlp, line, "CHF ruled\nout") == [None]
    assert _cancelled_by(nlp, line, "CHF  ruled out\nok") == ["ruled out"]
    # the period of an abbreviation does not stop it
    assert _cancelled_by(nlp, dataclasses.replace(g, exclusions_after=("neg",)),
                         "COPD s.o.b. neg") == ["neg"]


@pytest.mark.parametrize("mode", MODES)
def test_exclusions_after_in_a_text_with_several_matches_and_line_breaks(nlp, mode):
    g = _chf(mode, exclusions_after=("ruled out",), window=2)
    text = "CHF ruled out\nCOPD stable  and  well\npneumonia\n\nruled  out"
    assert _cancelled_by(nlp, g, text) == ["ruled out", None, "ruled out"]
    line = dataclasses.replace(g, window_stops_at="line")
    assert _cancelled_by(nlp, line, text) == ["ruled out", None, None]


def test_the_yaml_keys_read_and_check(tmp_path):
    path = tmp_path / "chf.yaml"
    path.write_text('label: chf\nmode: lowercase\nexclusions: ["no"]\n'
                    'exclusions_after: ["ruled out"]\nwindow_stops_at: line\n'
                    "terms: [chf]\n", encoding="utf-8")
    g = load_glossary(path, LABELS)
    assert (g.exclusions, g.exclusions_after, g.window_stops_at) == (
        ("no",), ("ruled out",), "line")
    path.write_text("label: chf\nwindow_stops_at: lines\nterms: [chf]\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"chf.yaml:2: window_stops_at 'lines'; did you "
                                            r"mean 'line'\? valid values: clause, line"):
        load_glossary(path, LABELS)
    path.write_text('label: chf\nwindow: 0\nexclusions_after: ["ruled out"]\nterms: [chf]\n',
                    encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"chf.yaml:2: window: 0 leaves no word"):
        load_glossary(path, LABELS)
    path.write_text("label: chf\nexclusions_after: [no]\nterms: [chf]\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"chf.yaml:2: .*quote"):
        load_glossary(path, LABELS)


def test_glossaries_made_in_python_keep_the_keys_and_their_hashes(nlp):
    spec = {"name": "chf", "label": "chf", "terms": ["chf"], "exclusions": ["no"]}
    plain = glossary_from_dict(spec, LABELS)
    assert "exclusions_after" not in glossary_yaml(plain)
    assert "window_stops_at" not in glossary_yaml(plain)  # the YAML, and its hash, as before
    made = glossary_from_dict({**spec, "exclusions_after": ["ruled out"],
                               "window_stops_at": "line"}, LABELS)
    assert (made.exclusions_after, made.window_stops_at) == (("ruled out",), "line")
    assert glossary_from_dict(made, LABELS).sha256 == made.sha256 != plain.sha256
    assert _cancelled_by(nlp, made, "chf ruled out") == ["ruled out"]
    # a Glossary with no file: its content hash, by the README's recipe when the new keys
    # are unset (so an existing one keeps its cache keys), and otherwise with them
    g = Glossary(name="g", label="chf", mode="lowercase", terms=(Term("chf"),),
                 exclusions=("no",))
    fields = {"name": g.name, "label": g.label, "mode": g.mode,
              "terms": [[t.term, list(t.synonyms), t.note] for t in g.terms],
              "exclusions": list(g.exclusions), "window": g.window,
              "description": g.description, "accents": g.accents}
    recipe = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert g.sha256 == hashlib.sha256(recipe.encode("utf-8")).hexdigest()
    after = dataclasses.replace(g, exclusions_after=("ruled out",))
    stops = dataclasses.replace(g, window_stops_at="line")
    assert len({g.sha256, after.sha256, stops.sha256}) == 3
    assert len({glossary_lf(x).source_hash for x in (g, after, stops)}) == 3


def test_check_says_which_exclusions_after_can_never_cancel(nlp):
    g = _chf("lowercase", exclusions_after=("!", "ruled out, again", "was ruled out"),
             window=2)
    problems = exclusion_problems([g], nlp)
    assert [p.split(": ", 1)[1].split(",")[0] for p in problems] == [
        "exclusion after a term '!' has no word", "exclusion after a term 'ruled out",
        "exclusion after a term 'ruled out", "exclusion after a term 'was ruled out' is 3 words"]
    assert "the window after a term counts only words" in problems[0]
    assert "never fits after a term" in problems[-1]


def test_a_match_an_exclusion_after_cancelled_shows_it(nlp):
    g = _chf("lowercase", exclusions_after=("ruled out",))
    (match,) = GlossaryMatcher([g], nlp).match(nlp("CHF ruled out"))
    assert match_text(dataclasses.asdict(match)) == "CHF [chf → chf] (cancelled by 'ruled out')"


def test_check_says_an_exclusion_listed_twice_as_it_is_compared(nlp):
    """Exclusions ignore case in every mode now: a glossary listing "no", "No" and "NO"
    (as exact glossaries had to) lists one exclusion three times."""
    g = _chf("exact", exclusions=("no", "No", "NO", "denies"), exclusions_after=("no",))
    problems = exclusion_problems([g], nlp)
    assert [p.split(": ", 1)[1] for p in problems] == [
        "exclusion 'No' is 'no' again, as the window compares them (ignoring case, in every "
        "mode): list it once",
        "exclusion 'NO' is 'no' again, as the window compares them (ignoring case, in every "
        "mode): list it once"]
