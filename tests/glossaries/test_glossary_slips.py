"""Slips a hurried glossary writer makes, each named with its file and line: a list item
indented one space too far (YAML joins it to the term above), a mode in another case,
phrases written as patterns, a phrase listed by two glossaries of one label."""

from __future__ import annotations

import textwrap

import pytest
import yaml

from labelwright import check_project, run_project
from labelwright.errors import GlossaryError
from labelwright.glossaries.reading import load_glossary
from labelwright.glossaries.yaml_file import tab_problem
from ticket_data import TICKETS


def _write(tmp_path, text, name="bugs.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_list_item_indented_under_a_term_is_named_not_joined_to_it(tmp_path):
    """'- broken' above '   - freeze' read as the one term 'broken - freeze', and check
    said ok."""
    path = _write(tmp_path, """\
        label: technical
        terms:
          - broken
           - freeze
          - term: hang
            synonyms:
              - stuck
                frozen
          - "a phrase
            on purpose"
        """)
    with pytest.raises(GlossaryError) as raised:
        load_glossary(path, ["billing", "technical"])
    lines = str(raised.value).splitlines()
    assert any(line.startswith(f"{path}:3: 'broken - freeze' is one phrase written over "
                               "lines 3-4: YAML joins a line indented under a list item to "
                               "it") for line in lines), lines
    assert any(f"{path}:7: 'stuck frozen' is one phrase written over lines 7-8" in line
               for line in lines), lines
    assert not any("on purpose" in line for line in lines)  # quoted: meant so


def test_a_mode_in_another_case_gets_a_guess_and_broken_yaml_a_hint(tmp_path):
    path = _write(tmp_path, "label: technical\nmode: Lemma\nterms: [crash]\n")
    with pytest.raises(GlossaryError, match=r"bugs.yaml:2: mode 'Lemma'; did you mean "
                                            r"'lemma'\? valid modes: exact, lowercase, lemma"):
        load_glossary(path, ["billing", "technical"])
    path = _write(tmp_path, "label: technical\nterms:\n  - crash\n ? weird\n")
    with pytest.raises(GlossaryError, match=r"bugs.yaml:4: invalid YAML: .*most often a line "
                                            r"indented more or less than the lines of its "
                                            r"list"):
        load_glossary(path, ["billing", "technical"])


def test_patterns_and_phrases_two_glossaries_of_one_label_list_are_warned_of(make_project):
    root = make_project(glossaries={
        "money": "label: billing\nterms:\n  - refund\n  - charge*\n  - \"(charged\"\n",
        "invoices": "label: billing\nterms:\n  - invoice\n  - Refund\n  - e-mail\n",
    })
    warnings = check_project(root).warnings
    money, invoices = root / "glossaries" / "money.yaml", root / "glossaries" / "invoices.yaml"
    assert any(w.startswith(f"{money}:4: 'charge*' holds a wildcard '*', but glossary "
                            "phrases are matched word for word") for w in warnings), warnings
    assert any(w.startswith(f"{money}:5: '(charged' holds a bracket that is not closed")
               for w in warnings), warnings
    assert not any("'e-mail'" in w or "'invoice'" in w for w in warnings)
    (twice,) = [w for w in warnings if "another glossary of the label" in w]
    assert f"'refund' is also listed by {invoices}:4, another glossary of the label " \
           "'billing'" in twice or f"'Refund' is also listed by {money}:3" in twice
    result = run_project(root, report=False)
    assert any("another glossary of the label 'billing'" in w for w in result.dataset.warnings)
    assert any("holds a wildcard" in w for w in result.dataset.warnings)
    assert len(TICKETS) == len(result.labels)


def test_check_says_the_warnings_of_glossaries_beside_a_glossary_error(make_project):
    """A glossary error hid every glossary warning until it was fixed: two rounds of check
    where the README promises one."""
    root = make_project(glossaries={
        "money": "label: billing\nterms:\n  - refund\n  - charge*\n",
        "broken": "label: billing\nmode: Lemma\nterms: [invoice]\n",
    })
    report = check_project(root)
    assert any("broken.yaml:2: mode 'Lemma'; did you mean 'lemma'?" in p
               for p in report.problems), report.problems
    money = root / "glossaries" / "money.yaml"
    assert any(w.startswith(f"{money}:4: 'charge*' holds a wildcard '*'")
               for w in report.warnings), report.warnings


def test_a_pattern_phrase_is_shown_as_written(make_project):
    r"""'CLM-\d+' was shown as its repr, 'CLM-\\d+': a doubled backslash the file does not
    hold."""
    root = make_project(glossaries={
        "claims": "label: billing\nterms:\n  - refund\n  - 'CLM-\\d+'\n"})
    warnings = check_project(root).warnings
    claims = root / "glossaries" / "claims.yaml"
    assert any(w.startswith(f"{claims}:4: 'CLM-\\d+' holds regular-expression syntax")
               for w in warnings), warnings


def test_a_phrase_two_labels_claim_says_what_to_write_instead(tmp_path):
    """The rule stays; the error said only the rule, and left the writer to find that a
    longer phrase or a Python LF reading both glossaries' matches is the way."""
    from labelwright.glossaries.reading import load_glossaries

    _write(tmp_path, "label: technical\nterms:\n  - cancel\n", name="cancelling.yaml")
    _write(tmp_path, "label: billing\nterms:\n  - refund\n  - cancel\n", name="refunds.yaml")
    with pytest.raises(GlossaryError) as raised:
        load_glossaries(tmp_path, ["billing", "technical"])
    assert str(raised.value) == (
        f"{tmp_path / 'refunds.yaml'}:4: 'cancel' (label 'billing') is also claimed by "
        f"{tmp_path / 'cancelling.yaml'}:3 (label 'technical'); a phrase may vote for one "
        "label only: keep it in one glossary and give the other a longer phrase that says its "
        "label, or read both glossaries' matches in a Python LF (item.matched('refunds') and "
        "item.matched('cancelling'); see the README, \"Writing a glossary\")")


def test_an_emoticon_is_a_literal_not_a_pattern(tmp_path):
    """':(' was warned of as holding a bracket not closed, but an emoticon is the literal a
    sentiment glossary wants. A word of two or more characters with no letter or digit is
    read as such a symbol and not checked for patterns; the phrase's other words are."""
    from labelwright.glossaries.checks import glossary_warnings

    path = _write(tmp_path, """\
        label: technical
        terms:
          - ":("
          - "):"
          - ":-("
          - ":*"
          - "so sad :("
          - "(sad :("
          - "*"
        """)
    warnings = glossary_warnings([load_glossary(path, ["billing", "technical"])])
    assert [w.split(": ", 1)[0] for w in warnings] == [f"{path}:8", f"{path}:9"], warnings
    assert "'(sad :(' holds a bracket that is not closed" in warnings[0]
    assert "'*' holds a wildcard '*'" in warnings[1]


def test_a_tab_in_a_glossary_is_named_with_its_line(tmp_path):
    """YAML's "found character '\\t' that cannot start any token" was all it said."""
    path = _write(tmp_path, "label: technical\nterms:\n  - crash\n\t- freeze\n")
    with pytest.raises(GlossaryError) as raised:
        load_glossary(path, ["billing", "technical"])
    said = str(raised.value)
    assert "bugs.yaml:4: invalid YAML: a tab at line 4: indent with spaces" in said, said
    assert "cannot start any token" not in said
    # a tab after the indentation, where the pure-Python reader stops at one
    mark = yaml.Mark("bugs.yaml", 0, 2, 9, None, None)
    assert tab_problem(mark, "label: technical\nterms:\n  - crash\t# a note\n") == \
        "a tab at line 3, column 10: write spaces (YAML does not read a tab there)"
    assert tab_problem(mark, "label: technical\nterms:\n  - crash # a note\n") == ""
