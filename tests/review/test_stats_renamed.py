"""``review stats`` and the report's accuracy of earlier runs, of a run made before a
label was renamed (``[project] renamed``) and the labels reordered: the reviews, read
under the current names, are compared with the run's labels under its own names and
with its votes in its own order."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from label_sets import change_labels
from labelwright import run_project
from labelwright.report.reviews import review_stats as report_review_stats
from labelwright.review.decisions import ledger
from labelwright.review.stats.summary import review_stats
from ledger_rows import decide


def _confirm_every_label(root, run, rater="ann"):
    """Every labelled item of ``run`` reviewed with the label the run gave it."""
    frame = pd.read_parquet(run / "labels.parquet")
    for item_id, label in zip(frame["id"].astype(str), frame["label"]):
        if isinstance(label, str):
            decide(root, item_id, label, rater, run.name)


def _blind(root):
    """Every decision in the ledger made blind (from the item alone)."""
    decisions = ledger.read_decisions(ledger.ledger_path(root))
    ledger.ledger_path(root).unlink()
    for d in decisions:
        ledger.append(ledger.ledger_path(root), [replace(d, blind=True)],
                      sha256=d.source_sha256, reviewer=d.reviewer, source_file=d.source_file,
                      fmt=d.format, imported_at=d.imported_at)


def _rename_technical(root):
    """technical -> tech, and the labels reordered; the LFs return the new name."""
    change_labels(root, ["tech", "billing"], gold={}, renamed={"technical": "tech"})
    lfs = root / "labeling_functions" / "tickets.py"
    lfs.write_text(lfs.read_text(encoding="utf-8").replace('"technical"', '"tech"'),
                   encoding="utf-8")


def test_review_stats_of_a_run_made_before_a_rename_and_reorder(make_project):
    """The run's labels were compared with reviews under the current names (its audit item
    `technical` against `tech`: wrong) and its votes (indices of billing, technical) with
    the reviews' indices of tech, billing: every LF 0% where it is 100%."""
    root = make_project(gold=None)
    run = run_project(root, report=False).run_dir
    _confirm_every_label(root, run)
    before = review_stats(root, run.name)
    assert before.audit.reviewed == 1 and before.audit.correct == 1
    assert (before.lfs["correct"] == before.lfs["reviewed"]).all()
    assert before.lfs["reviewed"].sum() > 0
    _rename_technical(root)
    after = review_stats(root, run.name)
    assert (after.audit.reviewed, after.audit.correct) == (1, 1)
    for table in ("lfs", "lfs_sample", "lfs_queue"):
        pd.testing.assert_frame_equal(getattr(after, table), getattr(before, table))


def test_a_reviewed_label_the_run_did_not_have_counts_as_wrong(make_project):
    """A label added since the run, at the index the run's `technical` had: the run could
    not give it, so its label and every LF vote on an item reviewed as it are wrong (the
    vote for `technical` is not read as a vote for the label now at its index)."""
    root = make_project(gold=None)
    run = run_project(root, report=False).run_dir
    frame = pd.read_parquet(run / "labels.parquet")
    item_id = str(frame[frame["label"] == "technical"]["id"].iloc[0])
    change_labels(root, ["billing", "other", "tech"], gold={}, renamed={"technical": "tech"})
    decide(root, item_id, "other", "ann", run.name)
    stats = review_stats(root, run.name)
    assert stats.reviewed.n_gold == 1
    assert stats.lfs["reviewed"].sum() >= 1
    assert stats.lfs["correct"].sum() == 0


def test_the_report_measures_a_run_made_before_a_rename_with_its_old_name(make_project):
    """The report of a run after the rename compared its reviewed labels (`tech`) with the
    labels of the run the reviews measure (`technical`): every reviewed item wrong."""
    root = make_project(gold=None)
    first = run_project(root, report=False).run_dir
    _confirm_every_label(root, first)
    _rename_technical(root)
    second = run_project(root, report=False).run_dir
    stats = report_review_stats(second)
    assert stats is not None
    [figure] = [f for f in stats.run_accuracy if f.run_id == first.name]
    assert figure.audit.reviewed == 1 and figure.audit.correct == 1
    # and every review confirmed the label its run gave the item
    agreed, decisions = stats.model_agreement["all"]
    assert decisions > 0 and agreed == decisions
    # review stats of the first run says the same
    own = review_stats(root, first.name)
    assert (own.audit.reviewed, own.audit.correct) == (1, 1)


def test_review_stats_agreement_with_a_run_made_before_a_rename(make_project):
    """Blind and shown agreement with the run's label compared a decision read as `tech`
    with the run's `technical`: a disagreement where the reviewer took the run's label."""
    root = make_project(gold=None)
    run = run_project(root, report=False).run_dir
    _confirm_every_label(root, run)
    _blind(root)
    _confirm_every_label(root, run, rater="ben")  # shown (not known to be blind)
    before = review_stats(root, run.name).anchoring
    assert before.groups and all(g.agreed == g.decisions for g in before.groups)
    _rename_technical(root)
    assert review_stats(root, run.name).anchoring == before
