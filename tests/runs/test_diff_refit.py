"""``runs diff`` put flips after an erasure down to "label model (same text and votes)":
the reviewed labels the model fit on had changed (three reviewed items erased), and that is
the cause it now names."""

from __future__ import annotations

import pandas as pd

from labelwright.project import run_project
from labelwright.runs.diff.flip_causes import (
    MODEL,
    REFIT,
    flip_causes,
    refit_on_reviews,
    reviewed_fit_changed,
)
from labelwright.runs.store import read_manifest
from ledger_rows import decide


def _runs(make_project, model):
    """Two runs of one project, t1 reviewed between them."""
    root = make_project(model=model)
    first = run_project(root, report=False)
    decide(root, "t1", "billing", "ana", first.run_id)
    return first, run_project(root, report=False)


def _labels(run):
    return pd.read_parquet(run.run_dir / "labels.parquet")


def _one_flip(a: pd.DataFrame, b: pd.DataFrame, item: str) -> pd.DataFrame:
    """The row of ``item`` joined across two runs, its label in b made another: a flip on
    the same text and votes, no review on it."""
    joined = a.merge(b, on="id", suffixes=("_a", "_b"))
    row = joined[joined["id"] == item].copy()
    row["label_b"] = "technical" if row["label_a"].iloc[0] != "technical" else "billing"
    return row


def test_a_flip_on_the_same_votes_is_put_down_to_the_refit(make_project):
    first, second = _runs(make_project, "dawid_skene")
    a, b = _labels(first), _labels(second)
    assert reviewed_fit_changed(a, b) and not reviewed_fit_changed(b, b)
    manifests = (read_manifest(first.run_dir), read_manifest(second.run_dir))
    assert refit_on_reviews(manifests, (a, b))
    flips = _one_flip(a, b, "t4")
    kwargs = {"texts_compared": True, "lf_renames": [], "label_renames": {}}
    runs = (first.run_dir, second.run_dir)
    assert flip_causes(flips, runs, manifests, refit=True, **kwargs).causes == [REFIT]
    assert flip_causes(flips, runs, manifests, **kwargs).causes == [MODEL]


def test_majority_reads_no_reviewed_label(make_project):
    first, second = _runs(make_project, "majority")
    manifests = (read_manifest(first.run_dir), read_manifest(second.run_dir))
    assert not refit_on_reviews(manifests, (_labels(first), _labels(second)))


def test_a_changed_setting_is_not_put_down_to_the_refit(make_project):
    first, second = _runs(make_project, "dawid_skene")
    a, b = read_manifest(first.run_dir), read_manifest(second.run_dir)
    b["label_model"]["tie_break"] = "abstain"
    assert not refit_on_reviews((a, b), (_labels(first), _labels(second)))


def test_a_flip_under_a_reused_model_names_the_run_it_came_from(make_project):
    """Run b read the votes with run a's predecessor's model (``--label-model-from``): the
    flip was put down to a refit (or a fit) in run b, which fit nothing."""
    first, second = _runs(make_project, "dawid_skene")
    third = run_project(first.run_dir.parent.parent, report=False,
                        label_model_from=first.run_id)
    a, c = _labels(second), _labels(third)
    manifests = (read_manifest(second.run_dir), read_manifest(third.run_dir))
    flips = _one_flip(a, c, "t4")
    kwargs = {"texts_compared": True, "lf_renames": [], "label_renames": {}}
    runs = (second.run_dir, third.run_dir)
    assert flip_causes(flips, runs, manifests, refit=True, **kwargs).causes == [
        f"label model reused by run b: reused from run {first.run_id} (same text and votes)"]
    back = flip_causes(_one_flip(c, a, "t4"), runs[::-1], manifests[::-1], **kwargs)
    assert back.causes == [f"label model reused by run a: reused from run {first.run_id} "
                           "(same text and votes)"]
    kwargs["texts_compared"] = False
    assert flip_causes(flips, runs, manifests, **kwargs).causes[0].endswith("(same votes)")
