"""Everything ``labelwright review stats`` reports, computed from the ledger and a run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from labelwright.config import load_config
from labelwright.data.dataset import read_dataset
from labelwright.matrix import LabelMatrix
from labelwright.review import agreement, ledger
from labelwright.review.anchoring import Anchoring, anchoring
from labelwright.review.feedback import ReviewedLabels, reviewed_labels
from labelwright.runs.store import (
    LABELS_FILE,
    list_runs,
    read_labels_table,
    read_manifest,
    resolve_run,
    run_labels,
)


@dataclass
class ReviewStats:
    run_id: str
    reviewed: ReviewedLabels
    raters: list[str]  # every rater, adjudicators too
    items_reviewed: int
    items_multi: int  # items with two or more raters
    pairs: pd.DataFrame  # Cohen's kappa per rater pair (pairs with an adjudicator too)
    #: Fleiss' kappa, Krippendorff's alpha and the consensus are those of the raters who
    #: rate independently: the adjudicators' decisions settle disagreements, and counted
    #: as ratings they would add agreement where the raters had none
    fleiss: float
    fleiss_items: int
    alpha: float
    consensus: pd.DataFrame
    lfs: pd.DataFrame
    audit: agreement.AuditAccuracy
    #: the run's labels on the reviewed items of its own random sample (items without a
    #: label count as wrong): an estimate of the accuracy of every label the run gave
    sample: agreement.AuditAccuracy
    #: when no audit item of this run has a reviewed label: the runs whose audit items do,
    #: with how many (newest first). Each run draws its own audit sample, and the next run
    #: gives reviewed items their reviewed label, so the reviews measure the run that drew
    #: them: ``review stats RUN`` shows that run's figure
    audits_elsewhere: dict[str, int] = field(default_factory=dict)
    #: the same for the random sample
    samples_elsewhere: dict[str, int] = field(default_factory=dict)
    #: agreement with the run's label, blind and shown decisions apart (every run's
    #: decisions, each against the label of the run it was exported from)
    anchoring: Anchoring = field(default_factory=Anchoring)
    #: the raters in ``[review] adjudicators`` with decisions here, left out of the figures
    #: above but the pairs (each rater against an adjudicator's decisions)
    adjudicators: list[str] = field(default_factory=list)

    @property
    def independent(self) -> list[str]:
        """The raters Fleiss' kappa, alpha and the consensus measure."""
        return [r for r in self.raters if r not in self.adjudicators]


def review_stats(root: str | Path = ".", run: str | None = None, *,
                 policy: str | None = None) -> ReviewStats:
    """Agreement between raters, and LF and accepted-label accuracy on reviewed items.

    ``policy`` settles disagreements (default: the project's ``[review] policy``, the one
    its runs use)."""
    config = load_config(root)
    policy = policy or config.review.policy
    run_dir = resolve_run(config.runs_path, run, project=config)
    # measured against the run's labels as it wrote them (an edited file is refused)
    labels_frame = run_labels(run_dir, read_manifest(run_dir),
                              ["id", "label", "label_source", "reasons"])
    matrix = LabelMatrix.read_parquet(run_dir / "label_matrix.parquet")
    ids = labels_frame["id"].astype(str).tolist()
    dataset = read_dataset(config.data, config.labels)
    text_of = dict(zip(dataset.ids, dataset.texts))
    # as runs do: reviews made on a text an item no longer has are not counted
    reviewed = reviewed_labels(config.root, ids, config.labels, policy=policy,
                               adjudicators=config.review.adjudicators,
                               runs_dir=config.runs_path, texts=[text_of.get(i) for i in ids],
                               data_sha256=dataset.sha256, data_columns=config.data_columns)
    # agreement too: two raters who saw different texts of one item did not disagree.
    # Items that are not the run's are left out of every figure, as the disagreement
    # count leaves them out (the warning about them says so)
    known = set(ids)
    by_item = {item_id: votes for item_id, votes
               in ledger.latest_per_rater(reviewed.decisions).items() if item_id in known}
    ratings = agreement.rating_table(by_item, config.labels)
    counts = agreement.category_counts(ratings)
    adjudicators = [r for r in ratings.raters if r in reviewed.adjudicators]
    # an adjudicator's decision is a settlement, not a rating, on every item they decided:
    # counted only where the raters agreed, it would raise agreement all the same
    raters = agreement.without_raters(ratings, adjudicators)
    rated = agreement.category_counts(raters)
    fleiss, fleiss_items = agreement.fleiss_kappa(rated)
    index = {label: k for k, label in enumerate(config.labels)}
    predicted = np.array([index.get(v, -1) if isinstance(v, str) else -1
                          for v in labels_frame["label"]], dtype=np.int64)
    from_review = np.zeros(len(ids), dtype=bool)
    if "label_source" in labels_frame:  # a reviewed label is not the model's prediction
        from_review = (labels_frame["label_source"] == "review").to_numpy()
        predicted[from_review] = -1
    audited = _audited(labels_frame)
    # every reviewed item of this run's sample, queue items among them: the sample was
    # drawn from all the run's items, so it estimates the accuracy of all its labels
    drawn = {d.item_id for d in reviewed.decisions
             if d.export == "sample" and d.run_id == run_dir.name}
    sampled = np.array([item_id in drawn for item_id in ids], dtype=bool)
    position = {item_id: i for i, item_id in enumerate(matrix.item_ids)}
    votes = matrix.votes[[position[i] for i in ids]] if matrix.item_ids != ids else matrix.votes
    audit = agreement.audit_accuracy(predicted, reviewed.gold, audited)
    sample = agreement.audit_accuracy(predicted, reviewed.gold, sampled & ~from_review)
    gold_ids = {item_id for item_id, g in zip(ids, reviewed.gold.tolist()) if g >= 0}
    return ReviewStats(
        run_id=run_dir.name, reviewed=reviewed, raters=ratings.raters,
        items_reviewed=int((counts.sum(axis=1) >= 1).sum()),
        items_multi=int((counts.sum(axis=1) >= 2).sum()),
        pairs=agreement.cohen_kappa_pairs(ratings), fleiss=fleiss, fleiss_items=fleiss_items,
        alpha=agreement.krippendorff_alpha(rated),
        consensus=agreement.consensus_agreement(raters), adjudicators=adjudicators,
        lfs=agreement.lf_accuracy(votes.astype(np.int64), matrix.lf_names, reviewed.gold),
        audit=audit, sample=sample,
        audits_elsewhere={} if audit.reviewed else _audits_elsewhere(
            config.runs_path, run_dir.name, reviewed.decisions, gold_ids),
        samples_elsewhere={} if sample.reviewed else _elsewhere(
            run_dir.name, [d for d in reviewed.decisions if d.export == "sample"], gold_ids),
        # read each run's exports only where there is a blind decision to compare with
        anchoring=anchoring(reviewed.decisions, config.runs_path)
        if any(d.blind for d in reviewed.decisions) else Anchoring(),
    )


def _audited(labels_frame: pd.DataFrame) -> np.ndarray:
    """Which items of a run's labels are in its audit sample."""
    return labels_frame["reasons"].fillna("").str.split(";").map(
        lambda r: "audit" in r).to_numpy(dtype=bool)


def _items_elsewhere(run_id: str, decisions: Sequence[ledger.Decision], gold_ids: set[str]
                     ) -> dict[str, set[str]]:
    """The items with a reviewed label ``decisions`` hold per run other than ``run_id``
    (the run each was exported from), newest run first."""
    items: dict[str, set[str]] = {}
    for d in decisions:
        if d.run_id != run_id and d.item_id in gold_ids:
            items.setdefault(d.run_id, set()).add(d.item_id)
    return {run: items[run] for run in sorted(items, reverse=True)}


def _elsewhere(run_id: str, decisions: Sequence[ledger.Decision], gold_ids: set[str]
               ) -> dict[str, int]:
    """How many items of :func:`_items_elsewhere` each run has."""
    return {run: len(items) for run, items in _items_elsewhere(run_id, decisions,
                                                                 gold_ids).items()}


def _audits_elsewhere(runs_path: Path, run_id: str, decisions: Sequence[ledger.Decision],
                      gold_ids: set[str]) -> dict[str, int]:
    """How many items of each other run's audit sample have a reviewed label, newest run
    first: the decisions exported from a run (its queue, or its random sample, which may
    have drawn an audit item too), on items that run audited. ``review stats`` of that run
    counts them all in its accepted-label accuracy, so the hint names the same number."""
    found = {}
    runs = set(list_runs(runs_path))
    for other, items in _items_elsewhere(run_id, decisions, gold_ids).items():
        if other not in runs:
            continue
        frame = read_labels_table(runs_path / other / LABELS_FILE, ["id", "reasons"]).to_pandas()
        n = len(items & set(frame["id"].astype(str)[_audited(frame)]))
        if n:
            found[other] = n
    return found
