"""Reviewer agreement and audit accuracy, from ``reviews.json`` in the run folder (the
reviews the run read, as it wrote them).

Each review is compared with the label the reviewer was shown: the label of the run it was
exported from (its ``run_id``), not this run's, where a reviewed item already carries the
review.

The shape read (one object; ``reviews`` may also be the whole file as a list)::

    {"reviews": [
        {"id": "r01", "reviewer": "ana", "label": "positive"},
        {"id": "r01", "reviewer": "ben", "label": "negative", "reason": "audit"}
    ]}

``id`` (item id) and ``label`` (a label name, or null for "cannot tell", which is
skipped) are required; ``reviewer`` defaults to ``"?"``. The model's label and the
queue reasons come from ``labels.parquet`` (a record's own ``reason`` is ignored).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd

from labelwright.errors import RunError
from labelwright.report.data import NONE, read_labels
from labelwright.runs.store import changed_output, read_manifest

REVIEWS = "reviews.json"


@dataclass
class ReviewStats:
    reviews: int
    items: int
    reviewers: dict[str, int]  # reviewer -> reviews
    multi_reviewed: int  # items with two or more reviewers
    pair_agreement: float | None  # share of reviewer pairs on one item that agree
    # queue reason (or "random sample") -> (reviews agreeing with the label the reviewer was
    # shown, reviews); "all" too
    model_agreement: dict[str, tuple[int, int]]
    left_out: int = 0  # reviews not compared (their run is gone, or unreadable)
    notes: list[str] = field(default_factory=list)

    def accuracy(self, reason: str) -> float | None:
        agree, total = self.model_agreement.get(reason, (0, 0))
        return agree / total if total else None


def read_reviews(path: Path) -> pd.DataFrame:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RunError(f"{path}: cannot read the reviews: {exc}") from None
    records: Any = doc.get("reviews") if isinstance(doc, dict) else doc
    if not isinstance(records, list):
        raise RunError(f"{path}: expected {{\"reviews\": [...]}} or a list of reviews")
    rows = []
    for k, r in enumerate(records):
        if not isinstance(r, dict) or "id" not in r or "label" not in r:
            raise RunError(f"{path}: review #{k + 1} needs an \"id\" and a \"label\" "
                           f"(null for 'cannot tell'); got {r!r:.80}")
        if r["label"] is not None:
            rows.append({"id": str(r["id"]), "reviewer": str(r.get("reviewer") or "?"),
                         "label": str(r["label"]), "run_id": str(r.get("run_id") or ""),
                         "export": str(r.get("export") or "")})
    return pd.DataFrame(rows, columns=["id", "reviewer", "label", "run_id", "export"])


def _shown(run_dir: Path, reviews: pd.DataFrame) -> tuple[pd.DataFrame, int, list[str]]:
    """Each review with the label and queue reasons of the run it was exported from: what
    the reviewer was shown; and how many reviews could not be compared, with why.

    A review that names no run, or a run no longer in ``runs/`` (or unreadable), is compared
    with this run's label only where that label is not itself a review's."""
    parts, left_out, notes = [], 0, []
    own_labels = None  # this run's, read once if some reviews need them
    for run_id, group in reviews.groupby("run_id", sort=False):
        source = run_dir.parent / str(run_id) / "labels.parquet"
        if run_id and source.is_file() and source.parent != run_dir:
            try:
                labels = read_labels(source, ["id", "label", "reasons"])
            except RunError as exc:
                notes.append(f"{len(group)} reviews of run {run_id} not compared: {exc}")
                left_out += len(group)
                continue
            parts.append(group.merge(labels, on="id", how="inner", suffixes=("", "_model")))
            continue
        if own_labels is None:
            own_labels = read_labels(run_dir / "labels.parquet",
                                     ["id", "label", "reasons", "label_source"])
        joined = group.merge(own_labels, on="id", how="inner", suffixes=("", "_model"))
        own = joined["label_source"].astype(str) == "review" if "label_source" in joined \
            else pd.Series(False, index=joined.index)
        if own.any():
            left_out += int(own.sum())
            notes.append(f"{int(own.sum())} reviews not compared: the run they were exported "
                         f"from ({run_id or 'not recorded'}) is not in runs/, and this run's "
                         "label for those items is the review itself")
        parts.append(joined[~own].drop(columns=["label_source"], errors="ignore"))
    columns = [*reviews.columns, "label_model", "reasons"]
    shown = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return shown, left_out, notes


def review_stats(run_dir: Path, manifest: dict[str, Any] | None = None) -> ReviewStats | None:
    """Statistics of ``reviews.json``, or None when the run has no reviews.

    Only a ``reviews.json`` the run wrote (an output its manifest, read when not given,
    hashes) and left unchanged is read: one put in the folder by hand, in a run that read no
    reviews, or edited since, is not the reviews the run read -- a :class:`RunError`."""
    path = run_dir / REVIEWS
    if not path.is_file():
        return None
    problem = changed_output(run_dir, read_manifest(run_dir) if manifest is None else manifest,
                             REVIEWS)
    if problem is not None:
        raise RunError(f"{run_dir / problem}; it is not taken for the reviews the run read "
                       "(`labelwright runs verify` checks a run)")
    reviews = read_reviews(path)
    pairs = agreeing = 0
    for _, group in reviews.groupby("id"):
        for a, b in combinations(group["label"].tolist(), 2):
            pairs += 1
            agreeing += a == b
    joined, left_out, notes = _shown(run_dir, reviews)
    agree = joined["label"] == joined["label_model"].astype(object).fillna(NONE)
    model: dict[str, tuple[int, int]] = {"all": (int(agree.sum()), len(joined))}
    for reason in ("conflict", "low_confidence", "uncovered", "audit"):
        mask = joined["reasons"].fillna("").str.split(";").apply(lambda r, x=reason: x in r)
        if mask.any():
            model[reason] = (int(agree[mask].sum()), int(mask.sum()))
    sampled = (joined["export"] == "sample").to_numpy()
    if sampled.any():  # drawn at random from all items: an estimate of label accuracy
        model["random sample"] = (int(agree[sampled].sum()), int(sampled.sum()))
    per_item = reviews.groupby("id")["reviewer"].nunique()
    return ReviewStats(
        reviews=len(reviews), items=int(reviews["id"].nunique()),
        reviewers={str(k): int(v) for k, v in reviews["reviewer"].value_counts().items()},
        multi_reviewed=int((per_item >= 2).sum()),
        pair_agreement=agreeing / pairs if pairs else None, model_agreement=model,
        left_out=left_out, notes=notes,
    )
