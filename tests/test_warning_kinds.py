"""Each warning of a run has a kind (``run --json``'s ``warning_messages``): a stable word a
script reads, where the text changes."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from labelwright import check_project, run_project
from labelwright.warning_kinds import (
    KINDS,
    KindedWarning,
    kinded,
    same_kind,
    warning_kind,
    warning_record,
)

README = Path(__file__).resolve().parents[1] / "README.md"


def test_a_warning_stays_its_text_and_knows_its_kind():
    (said,) = kinded("items_gone", [None, "2 items of run r are gone", ""])
    assert said == "2 items of run r are gone" and isinstance(said, str)
    assert warning_kind(said) == "items_gone" and warning_kind("plain text") == "other"
    assert json.dumps([said]) == '["2 items of run r are gone"]'
    again = pickle.loads(pickle.dumps(said))
    assert again == said and warning_kind(again) == "items_gone"
    assert warning_record(said) == {"kind": "items_gone", "message": said}


def test_an_unknown_kind_is_refused_naming_the_kinds():
    with pytest.raises(ValueError, match="unknown warning kind 'gone'; kinds: data, "):
        KindedWarning("text", "gone")


def test_the_readme_lists_every_kind_as_kinds_says_it():
    """The table's row of each kind is what KINDS says of it: a kind's text changed in one
    place (lf_code gained two kinds of warning) was left as it was in the other."""
    text = README.read_text(encoding="utf-8")
    missing = [kind for kind in KINDS if f"| `{kind}` | {KINDS[kind]} |" not in text]
    assert not missing, missing


def test_a_warning_made_from_another_keeps_its_kind():
    (said,) = kinded("data", ["a.csv: 1 id has spaces"])
    assert warning_kind(same_kind(said + " (the same in b.csv)", said)) == "data"
    assert warning_kind(same_kind("text", "plain")) == "other"


#: an LF whose votes depend on the items before, one raising on one item, one reading
#: part-of-speech tags the default pipeline does not fill
VARIED = """
from labelwright import ABSTAIN, labeling_function

SEEN = []


@labeling_function()
def by_order(item):
    SEEN.append(item.id)
    return ABSTAIN if len(SEEN) % 2 == 0 else "billing"


@labeling_function()
def picky(item):
    if item.id == "t4":
        raise KeyError(item.id)
    return "technical" if "crash" in item.text else ABSTAIN


@labeling_function()
def verb_crash(item):
    return "technical" if any(t.pos_ == "VERB" for t in item.doc) else ABSTAIN
"""

#: a phrase written as a pattern
PATTERNED = "label: billing\nterms:\n  - refund*\n"


def test_check_and_run_give_every_warning_a_kind_of_its_own(make_project):
    """A glossary's phrases and an LF reading what the pipeline does not fill were `other`
    in check and run, and so were check's LF raising on a few items or voting otherwise
    on a second pass: a script filtering on kinds could not tell them from anything."""
    root = make_project(lfs={"varied": VARIED}, glossaries={"refunds": PATTERNED})
    report = check_project(root)

    def kinds(warnings):
        return {what: [warning_kind(w) for w in warnings if what in w]
                for what in ("voted otherwise when applied again", "LF picky",
                             "holds a wildcard", "part-of-speech tags")}

    assert kinds(report.warnings) == {
        "voted otherwise when applied again": ["lf_votes_vary"], "LF picky": ["lf_raised"],
        "holds a wildcard": ["glossary"], "part-of-speech tags": ["pipeline"]}, \
        report.warnings
    assert "other" not in map(warning_kind, report.warnings), report.warnings
    result = run_project(root, report=False)
    said = kinds(result.dataset.warnings)
    assert said["holds a wildcard"] == ["glossary"] and said["part-of-speech tags"] == [
        "pipeline"], result.dataset.warnings
