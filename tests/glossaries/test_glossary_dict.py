"""A glossary made in Python from a dict (or a Glossary made by hand): checked as a file
is, with the same messages, and matched by a project it is added to."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from labelwright.errors import GlossaryError, LFError
from labelwright.glossaries import Glossary, Term, glossary_from_dict, glossary_lf
from labelwright.glossaries.reading import read_glossary
from labelwright.project import load_project, run_project
from ticket_data import BILLING_GLOSSARY

LABELS = ("billing", "technical")


def test_a_dict_reads_as_the_same_file_would(tmp_path):
    spec = yaml.safe_load(BILLING_GLOSSARY)
    path = tmp_path / "money.yaml"
    path.write_text(BILLING_GLOSSARY, encoding="utf-8")
    from_file, problems = read_glossary(path, LABELS)
    assert not problems
    made = glossary_from_dict(spec, LABELS, name="money")
    for field in ("name", "label", "mode", "exclusions", "window", "accents"):
        assert getattr(made, field) == getattr(from_file, field)
    assert [(t.term, t.synonyms, t.note) for t in made.terms] == [
        (t.term, t.synonyms, t.note) for t in from_file.terms]
    assert str(made.path) == "<glossary 'money'>"
    # its hash follows its content
    assert glossary_from_dict(spec, LABELS, name="money").sha256 == made.sha256
    other = {**spec, "terms": [*spec["terms"], "refund"]}
    assert glossary_from_dict(other, LABELS, name="money").sha256 != made.sha256


def test_the_files_checks_name_the_key_and_the_valid_values(tmp_path):
    spec = {"name": "p", "label": "biling", "mode": "fuzzy", "terms": ["fee", "fee"],
            "exclusion": ["no"]}
    with pytest.raises(GlossaryError) as caught:
        glossary_from_dict(spec, LABELS)
    lines = str(caught.value).splitlines()
    assert "<glossary 'p'>: label 'biling' is not a project label; did you mean 'billing'? " \
           "valid labels: billing, technical" in lines
    assert "<glossary 'p'>: mode 'fuzzy'; valid modes: exact, lowercase, lemma" in lines
    assert any("unknown key 'exclusion'; did you mean 'exclusions'?" in x for x in lines)
    assert any("'fee' is listed twice in this glossary (also earlier in its terms" in x
               for x in lines)
    # the same words as the file's messages, after the file:line
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    _, problems = read_glossary(path, LABELS)
    assert "mode 'fuzzy'; valid modes: exact, lowercase, lemma" in "\n".join(problems)
    with pytest.raises(GlossaryError, match="the glossary has no name"):
        glossary_from_dict({"label": "billing", "terms": ["fee"]}, LABELS)
    with pytest.raises(GlossaryError, match="a glossary is a dict"):
        glossary_from_dict(["fee"], LABELS)


def test_a_glossary_made_by_hand_is_checked_too():
    """Glossary(**spec) took text terms and a mode that is none, then failed inside the
    Applier (AttributeError: 'str' object has no attribute 'phrases'; KeyError: 'fuzzy')."""
    made = glossary_from_dict(Glossary(name="g", label="billing", mode="lemma",
                                       terms=("fee", Term("charge", synonyms=("bill",)))),
                              LABELS)
    assert [t.phrases for t in made.terms] == [("fee",), ("charge", "bill")]
    with pytest.raises(GlossaryError, match="mode 'fuzzy'; valid modes"):
        glossary_from_dict(Glossary(name="g", label="billing", mode="fuzzy",
                                    terms=(Term("fee"),)), LABELS)


def test_with_glossaries_matches_it_and_the_run_keeps_it(make_project):
    root = make_project()
    project = load_project(root)
    spec = {"name": "money", "label": "billing", "terms": ["invoice", "charged"]}
    with pytest.raises(LFError, match="a glossary the project does not match.*"
                                      r"with_glossaries"):
        project.with_lfs(glossary_lf(glossary_from_dict(spec, LABELS)))
    added = project.with_glossaries(spec)
    assert [lf.name for lf in added.lfs][-1] == "glossary:money"
    assert [g.name for g in added.glossaries] == ["money"] and not project.glossaries
    result = run_project(project=added, report=False)
    votes = result.applied.matrix.votes[:, -1]
    assert (votes >= 0).sum() > 0  # it votes
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    (kept,) = [f for f in manifest["sources"]["files"] if f["kind"] == "session glossary"]
    text = (result.run_dir / kept["copy"]).read_text(encoding="utf-8")
    (entry,) = manifest["glossaries"]
    assert entry["path"] == "<glossary 'money'>" and kept["sha256"] == entry["sha256"]
    assert yaml.safe_load(text)["terms"][0]["term"] == "invoice"
    assert any("made in the Python session" in w and "money" in w for w in result.warnings)
    # a cell run again replaces it; another label claiming its phrase is refused
    again = added.with_glossaries({**spec, "terms": ["invoice"]})
    assert [g.n_phrases for g in again.glossaries] == [1]
    assert [lf.name for lf in again.lfs] == [lf.name for lf in added.lfs]
    with pytest.raises(GlossaryError, match="invoice"):
        added.with_glossaries({"name": "tech", "label": "technical", "terms": ["invoice"]})


def test_a_glossary_added_again_after_its_lf_was_left_out_votes_again(make_project):
    """with_glossaries, without_lfs('glossary:praise'), then with_glossaries of the edited
    glossary: the glossary was replaced, but its LF, no longer there, was not added back,
    so it never voted and nothing said so."""
    project = load_project(make_project())
    spec = {"name": "money", "label": "billing", "terms": ["invoice"]}
    left_out = project.with_glossaries(spec).without_lfs("glossary:money")
    assert "glossary:money" not in [lf.name for lf in left_out.lfs]
    again = left_out.with_glossaries({**spec, "terms": ["invoice", "charged"]})
    assert [lf.name for lf in again.lfs].count("glossary:money") == 1
    assert [g.n_phrases for g in again.glossaries] == [2]


def test_with_glossaries_refuses_the_name_of_a_file_glossary(make_project):
    root = make_project(glossaries={"money": BILLING_GLOSSARY})
    with pytest.raises(GlossaryError, match=r"glossary name 'money' is also used by .*"
                                            r"money.yaml"):
        load_project(root).with_glossaries({"name": "money", "label": "billing",
                                            "terms": ["fee"]})


def test_a_clash_between_dict_glossaries_names_their_entries_not_lines(make_project):
    """A dict has no lines: the clash named `<glossary 'b'>:5`, a line of the YAML it was
    written out as, which the user never saw."""
    project = load_project(make_project())
    a = {"name": "a", "label": "billing", "terms": ["fee", {"term": "bill",
                                                            "synonyms": ["invoice"]}]}
    b = {"name": "b", "label": "technical", "mode": "lowercase", "terms": ["crash", "Invoice"]}
    with pytest.raises(GlossaryError) as raised:
        project.with_glossaries(a, b)
    said = str(raised.value)
    assert said.startswith("<glossary 'b'> terms[1]: 'Invoice' (label 'technical') is also "
                           "claimed by <glossary 'a'> terms[1].synonyms[0] (label 'billing')")
    assert not re.search(r"<glossary '\w'>:\d", said)


def test_a_clash_of_a_dict_with_a_file_names_the_files_line(make_project):
    project = load_project(make_project(glossaries={"money": BILLING_GLOSSARY}))
    with pytest.raises(GlossaryError, match=r"<glossary 'tech'> terms\[0\]: 'invoice' .* also "
                                            r"claimed by .*money\.yaml:5 "):
        project.with_glossaries({"name": "tech", "label": "technical", "terms": ["invoice"]})


def test_a_phrase_two_dicts_of_one_label_list_names_their_entries(make_project):
    from labelwright.glossaries.checks import glossary_warnings

    spec = {"label": "billing", "terms": ["fee", "refund"]}
    first, second = (glossary_from_dict({**spec, "name": n}, LABELS) for n in ("one", "two"))
    assert glossary_warnings([first, second])[0].startswith(
        "<glossary 'two'> terms[0]: 'fee' is also listed by <glossary 'one'> terms[0], ")


def test_a_dicts_exclusion_is_named_by_its_entry(nlp):
    from labelwright.glossaries.checks import exclusion_problems

    made = glossary_from_dict({"name": "g", "label": "billing", "window": 1,
                               "terms": ["fee"], "exclusions": ["no", "not at all"]}, LABELS)
    [said] = exclusion_problems([made], nlp)
    assert said.startswith("<glossary 'g'> exclusions[1]: "), said
