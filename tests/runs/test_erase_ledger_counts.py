"""The counts of first ledger decisions a note erasure records digests for: each run's and
each end model's, so `runs verify` still finds the decisions `train` read after an erasure."""

from __future__ import annotations

import json

from labelwright.review.decisions import ledger
from labelwright.review.decisions.ledger_digests import ledger_changes, ledger_digest
from labelwright.review.decisions.ledger_reading import read_decisions
from labelwright.review.decisions.note_erasures import erase_notes
from labelwright.runs.erase.kept import end_model_files
from labelwright.runs.erase.ledger_notes import ledger_counts


def _decided(path, items, sha):
    ledger.append(path, [ledger.Decision(item, "billing", "erin", "", "", "now", "f", sha,
                                         f"row {k}", "r1", "csv", note=note)
                         for k, (item, note) in enumerate(items)],
                  sha256=sha, reviewer="erin", source_file="f", fmt="csv", imported_at="now")


def _model(path, count):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"training": {"ledger_decisions": count}}), encoding="utf-8")


def test_the_decisions_an_end_model_was_trained_on_still_verify_after_a_note_erasure(
        tmp_path):
    """run read 2 decisions, train 4 (end_model.json), a later run 5; erase took out a note
    among the first 2, and `runs verify` said train's 4 were edited."""
    path, runs = tmp_path / "reviews.sqlite", tmp_path / "runs"
    _decided(path, [("t1", "Ann Smith rang"), ("t2", None)], "a")
    _decided(path, [("t3", None), ("t4", None)], "b")
    trained = (4, ledger_digest(read_decisions(path)))
    _model(runs / "r1" / "end_model.json", 4)
    _model(runs / "r1" / "replaced" / "x" / "end_model.json", 3)
    _model(runs / "r2" / "end_model.json", None)  # no count recorded: nothing to add
    _decided(path, [("t5", None)], "c")
    models = [m for _, m in end_model_files(runs, ["r1", "r2"])]
    counts = ledger_counts([{"reviews": {"decisions": 2}}], models)
    assert counts == {2, 3, 4}
    erase_notes(path, ["t1"], erased_at="2026-12-06T10:00:00+00:00", reviewer="dana",
                reason="request", counts=counts)
    assert ledger_changes(path, *trained, reader="train") is None
