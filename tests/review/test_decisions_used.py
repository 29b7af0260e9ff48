"""Which of the ledger's decisions a run used (retirements aside), by what its manifest
records: the count it read, its items, the decisions it set aside."""

from __future__ import annotations

from labelwright.review.decisions import ledger
from labelwright.review.decisions.run_reading import decisions_used


def _decision(item, label, run="r1"):
    return ledger.Decision(item, label, "lead", "", "", "now", "f.csv", "s", "row 1", run, "csv")


def test_only_the_decisions_the_run_read_on_its_items():
    decisions = [_decision("a", "spam"), _decision("gone", "spam"), _decision("b", "ham"),
                 _decision("c", "junk"), _decision("d", "old"), _decision("e", "spam")]
    manifest = {"project": {"labels": ["ham", "junk"]},
                "reviews": {"decisions": 5, "renamed": {"spam": "junk"},
                            "set_aside_other_text": [{"run_id": "r1", "id": "b"}]}}
    used = decisions_used(decisions, manifest, ["a", "b", "c", "d", "e"])
    # a: spam read as junk; gone: not an item of the run; b: set aside; c: junk; d: a label
    # the run did not have, read all the same (it keeps d's other raters from settling it);
    # e: imported after the run (the 6th, it read 5)
    assert used == {0, 3, 4}
    assert decisions_used(decisions, {"reviews": {}}, ["a"]) == set()  # it read none
