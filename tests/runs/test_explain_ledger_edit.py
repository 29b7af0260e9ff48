"""``explain ITEM`` after the ledger was edited by hand (its append-only triggers dropped,
a decision the run read updated): it showed the edited decision beside the run's reviewed
label with a warning about the ledger as a whole; it now names the item's decision that
changed, by the same check ``runs verify`` makes (the run's reviews.json)."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.runs.explain.item import explain_item
from ledger_rows import decide, tamper


def _reviewed(make_project):
    root = make_project()
    first = run_project(root, report=False)
    for item, label, rater in (("t1", "billing", "ana"), ("t2", "technical", "ana"),
                               ("t3", "billing", "ben")):
        decide(root, item, label, rater, first.run_id)
    return root, run_project(root, report=False)


def test_explain_names_the_items_decision_that_changed(make_project, cli):
    root, run = _reviewed(make_project)
    tamper(root, "UPDATE decisions SET label = 'billing' WHERE item_id = 't2'")
    e = explain_item(root, "t2", run.run_id)
    assert e.label == "technical"  # the run's
    said = [w for w in e.warnings if "by the run's reviews.json" in w]
    assert len(said) == 1, e.warnings
    assert ("item 't2' by ana: 'technical' when the run read it, now 'billing'"
            in said[0]), said
    assert "the reviews and how they settle below are the ledger's now" in said[0], said
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))  # the same words
    assert code == 1 and "item 't2' by ana: 'technical' when the run read it, now " \
        "'billing'" in out, out


def test_another_items_explain_keeps_the_ledger_wide_warning(make_project):
    root, run = _reviewed(make_project)
    tamper(root, "UPDATE decisions SET label = 'billing' WHERE item_id = 't2'")
    e = explain_item(root, "t1", run.run_id)
    assert any("not the ones it read" in w for w in e.warnings), e.warnings
    assert not any("item 't2'" in w for w in e.warnings), e.warnings


def test_an_unchanged_ledger_gives_no_warning(make_project):
    root, run = _reviewed(make_project)
    e = explain_item(root, "t2", run.run_id)
    assert not any("reviews.json" in w or "not the ones it read" in w for w in e.warnings)
