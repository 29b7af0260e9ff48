"""``runs verify`` re-derives each reviewed row of a run's ``labels.parquet`` from the
ledger decisions the run read, as the run settled them (policy, adjudicators): a reviewed
label edited by hand, with its probabilities and the manifest's hash of the file, passed."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import labelwright
from labelwright.project import run_project
from labelwright.runs.file_names import LABELS_FILE
from labelwright.runs.store import file_sha256, read_manifest
from ledger_rows import decide

ADJUDICATE = '\n[review]\npolicy = "adjudicate"\nadjudicators = ["lead"]\n'


@pytest.fixture
def reviewed(make_project):
    """A run that read four decisions: t1's raters split, settled by adjudicator lead
    (technical); t3 decided by one rater (billing)."""
    root = make_project(extra=ADJUDICATE)
    first = run_project(root, report=False)
    for item, label, rater in (("t1", "billing", "ana"), ("t1", "technical", "ben"),
                               ("t1", "technical", "lead"), ("t3", "billing", "ana")):
        decide(root, item, label, rater, first.run_id)
    return root, run_project(root, report=False)


def _rewrite(run_dir, item, **values) -> None:
    """``item``'s row of the run's labels.parquet with ``values``, and the manifest's hash
    of the file the new one's (so the hash check passes)."""
    path = run_dir / LABELS_FILE
    frame = pd.read_parquet(path)
    row = frame.index[frame["id"] == item][0]
    for column, value in values.items():
        frame.loc[row, column] = value
    frame.to_parquet(path, index=False)
    manifest = read_manifest(run_dir)
    manifest["outputs"][LABELS_FILE] = file_sha256(path)
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_the_runs_reviewed_rows_are_what_its_decisions_settle(reviewed):
    root, run = reviewed
    frame = pd.read_parquet(run.run_dir / LABELS_FILE).set_index("id")
    assert frame.loc["t1", "label"] == "technical"  # the adjudicator's, not ana's
    assert frame.loc["t1", "label_source"] == "review"
    (check,) = labelwright.verify_runs(root, run.run_id)
    assert check.ok, check.failures


def test_an_edited_reviewed_label_is_found(reviewed, cli):
    root, run = reviewed
    _rewrite(run.run_dir, "t1", label="billing", prob_billing=1.0, prob_technical=0.0)
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert ("labels.parquet: 1 reviewed row is not what the 4 ledger decisions the run read "
            "settle under [review] policy \"adjudicate\" (adjudicators: lead) ('t1': label "
            "'billing' from review, but its decisions settle 'technical')") in out, out
    assert "contradicts itself" not in out, out  # the row is consistent: only the ledger tells


def test_a_reviewed_row_passed_off_as_the_models_is_found(reviewed, cli):
    root, run = reviewed
    frame = pd.read_parquet(run.run_dir / LABELS_FILE).set_index("id")
    model = frame.loc["t3", "model_label"]
    _rewrite(run.run_dir, "t3", label=model, label_source="model",
             confidence=frame.loc["t3", f"prob_{model}"])
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert (f"('t3': label {model!r} from model, but its decisions settle 'billing')"
            in out), out


def test_a_ledger_changed_since_is_told_once_not_row_by_row(reviewed, cli):
    """The decisions changed: the ledger's problem says so, and no row is re-derived from
    decisions the run did not read."""
    from ledger_rows import tamper

    root, run = reviewed
    tamper(root, "UPDATE decisions SET label = 'billing' WHERE reviewer = 'lead'")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1 and "are not the ones it read" in out, out
    assert "reviewed row" not in out, out


def test_with_recompute_the_decisions_are_settled_once_and_an_edit_still_found(
        reviewed, monkeypatch):
    """``--recompute`` refits on the decisions the run read: the reviewed rows are checked
    with the refit's settlement, not settled a second time, and an edited row is found the
    same (its problem among the file problems, as plain verify names it)."""
    import sys

    from labelwright.review.feedback import gold

    root, run = reviewed
    _rewrite(run.run_dir, "t1", label="billing", prob_billing=1.0, prob_technical=0.0)
    real, calls = gold.reviewed_labels, []
    labelwright.verify_runs(root, run.run_id)  # imports every module that settles them
    for module in list(sys.modules.values()):
        if getattr(module, "reviewed_labels", None) is real:
            monkeypatch.setattr(module, "reviewed_labels",
                                lambda *a, **k: calls.append(1) or real(*a, **k))
    (check,) = labelwright.verify_runs(root, run.run_id, recompute=True)
    assert len(calls) == 1
    assert check.reviewed_rows == 2
    assert [f.file for f in check.problems] == [LABELS_FILE]
    assert "'t1': label 'billing' from review, but its decisions settle 'technical'" in \
        check.problems[0].message
