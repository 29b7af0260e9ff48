"""Decisions against the label their run gave the item: what is compared, what is left out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from labelwright.review.stats.run_agreement import agreement_with_runs


@dataclass(frozen=True)
class Said:
    item_id: str
    run_id: str
    label: str


def test_only_items_the_run_labelled_itself_are_compared(tmp_path):
    """A decision on an item its run gave no label is no disagreement: it is left out and
    counted apart from decisions with no run, or no model label, to compare with."""
    (tmp_path / "r1").mkdir()
    pd.DataFrame({"id": ["a", "b", "c", "d"],
                  "label": pd.array(["billing", "technical", None, "billing"], dtype="string"),
                  "reasons": ["conflict;audit", "", "uncovered", ""],
                  "label_source": ["model", "model", "none", "review"]}
                 ).to_parquet(tmp_path / "r1" / "labels.parquet", index=False)
    (tmp_path / "r2").mkdir()
    (tmp_path / "r2" / "labels.parquet").write_text("not parquet")
    decisions = [Said("a", "r1", "billing"), Said("b", "r1", "billing"),
                 Said("c", "r1", "billing"),  # the run gave no label
                 Said("d", "r1", "billing"),  # its label there was a review's
                 Said("x", "r1", "billing"),  # not in the run
                 Said("a", "r2", "billing"), Said("a", "gone", "billing")]
    result = agreement_with_runs(decisions, tmp_path,
                                 lambda d, run: ["all", *run.reasons])
    assert result.pair("all") == (1, 2)
    assert (result.pair("conflict"), result.pair("audit")) == ((1, 1), (1, 1))
    assert (result.unlabelled, result.unmatched, result.left_out) == (1, 4, 5)
    assert "cannot read the labels" in result.runs_gone["r2"]
    assert result.runs_gone["gone"] == f"its folder {tmp_path / 'gone'} is gone"


def test_a_pruned_run_is_said_pruned_not_gone(tmp_path):
    """`runs prune` records what it removed; the report's and review stats' notes still
    called such a run's folder gone, as if deleted by hand."""
    from labelwright.runs.pruned import PrunedRun, append_pruned

    append_pruned(tmp_path, PrunedRun("old", "ab" * 32, "2026-12-04T16:00:00+00:00",
                                      "labelwright runs prune --keep 1", 10))
    result = agreement_with_runs([Said("a", "old", "billing"), Said("a", "gone", "billing")],
                                 tmp_path, lambda d, run: ["all"])
    assert result.runs_gone["old"] == ("that run was pruned on 2026-12-04 by `labelwright runs "
                                       "prune --keep 1`, so its labels are not there to compare "
                                       "with")
    assert result.runs_gone["gone"] == f"its folder {tmp_path / 'gone'} is gone"
