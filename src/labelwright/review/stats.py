"""Everything ``labelwright review stats`` reports, computed from the ledger and a run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.config import load_config
from labelwright.data.dataset import read_dataset
from labelwright.matrix import LabelMatrix
from labelwright.review import agreement, ledger
from labelwright.review.feedback import ReviewedLabels, reviewed_labels
from labelwright.runs.store import resolve_run


@dataclass
class ReviewStats:
    run_id: str
    reviewed: ReviewedLabels
    raters: list[str]
    items_reviewed: int
    items_multi: int  # items with two or more raters
    pairs: pd.DataFrame  # Cohen's kappa per rater pair
    fleiss: float
    fleiss_items: int
    alpha: float
    consensus: pd.DataFrame
    lfs: pd.DataFrame
    audit: agreement.AuditAccuracy
    #: the run's labels on the reviewed items of its own random sample (items without a
    #: label count as wrong): an estimate of the accuracy of every label the run gave
    sample: agreement.AuditAccuracy


def review_stats(root: str | Path = ".", run: str | None = None, *,
                 policy: str | None = None) -> ReviewStats:
    """Agreement between raters, and LF and accepted-label accuracy on reviewed items.

    ``policy`` settles disagreements (default: the project's ``[review] policy``, the one
    its runs use)."""
    config = load_config(root)
    policy = policy or config.review.policy
    run_dir = resolve_run(config.runs_path, run)
    labels_frame = pd.read_parquet(run_dir / "labels.parquet")
    matrix = LabelMatrix.read_parquet(run_dir / "label_matrix.parquet")
    ids = labels_frame["id"].astype(str).tolist()
    dataset = read_dataset(config.data, config.labels)
    text_of = dict(zip(dataset.ids, dataset.texts))
    # as runs do: reviews made on a text an item no longer has are not counted
    reviewed = reviewed_labels(config.root, ids, config.labels, policy=policy,
                               adjudicators=config.review.adjudicators,
                               runs_dir=config.runs_path, texts=[text_of.get(i) for i in ids],
                               data_sha256=dataset.sha256, data_columns=config.data_columns)
    # agreement too: two raters who saw different texts of one item did not disagree
    by_item = ledger.latest_per_rater(reviewed.decisions)
    ratings = agreement.rating_table(by_item, config.labels)
    counts = agreement.category_counts(ratings)
    fleiss, fleiss_items = agreement.fleiss_kappa(counts)
    index = {label: k for k, label in enumerate(config.labels)}
    predicted = np.array([index.get(v, -1) if isinstance(v, str) else -1
                          for v in labels_frame["label"]], dtype=np.int64)
    from_review = np.zeros(len(ids), dtype=bool)
    if "label_source" in labels_frame:  # a reviewed label is not the model's prediction
        from_review = (labels_frame["label_source"] == "review").to_numpy()
        predicted[from_review] = -1
    audited = labels_frame["reasons"].fillna("").str.split(";").map(
        lambda r: "audit" in r).to_numpy(dtype=bool)
    # every reviewed item of this run's sample, queue items among them: the sample was
    # drawn from all the run's items, so it estimates the accuracy of all its labels
    drawn = {d.item_id for d in reviewed.decisions
             if d.export == "sample" and d.run_id == run_dir.name}
    sampled = np.array([item_id in drawn for item_id in ids], dtype=bool)
    position = {item_id: i for i, item_id in enumerate(matrix.item_ids)}
    votes = matrix.votes[[position[i] for i in ids]] if matrix.item_ids != ids else matrix.votes
    return ReviewStats(
        run_id=run_dir.name, reviewed=reviewed, raters=ratings.raters,
        items_reviewed=int((counts.sum(axis=1) >= 1).sum()),
        items_multi=int((counts.sum(axis=1) >= 2).sum()),
        pairs=agreement.cohen_kappa_pairs(ratings), fleiss=fleiss, fleiss_items=fleiss_items,
        alpha=agreement.krippendorff_alpha(counts),
        consensus=agreement.consensus_agreement(ratings),
        lfs=agreement.lf_accuracy(votes.astype(np.int64), matrix.lf_names, reviewed.gold),
        audit=agreement.audit_accuracy(predicted, reviewed.gold, audited),
        sample=agreement.audit_accuracy(predicted, reviewed.gold, sampled & ~from_review),
    )
