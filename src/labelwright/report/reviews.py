"""Reviewer agreement, how often reviewers confirmed the run's label, and the accuracy
of earlier runs' labels, from ``reviews.json`` in the run folder (the reviews the run read,
as it wrote them).

Each review is compared with the label the run it was exported from (its ``run_id``) gave
the item, not this run's, where a reviewed item already carries the review; the count is
the one ``labelwright review stats`` makes
(:func:`~labelwright.review.stats.run_agreement.agreement_with_runs`): a review of an item that
run gave no label has nothing to agree with and is left out, as is one whose run is gone.
The table has a row per kind of decision: the random sample's and the audit's (drawn at
random), the queue's (the hard items) and per queue reason, the adjudicators', and all of
them; counted per decision, so an item two raters reviewed counts twice. A reviewer of a
blind export did not see the label: with blind reviews, the table has rows per export for
blind and shown reviews apart, as ``review stats`` does.

The accuracy of a run's labels is another figure: per run whose audit or random sample
was reviewed, the figures ``labelwright review stats RUN`` prints
(:func:`~labelwright.review.stats.run_accuracy.run_accuracy`, with this run's reviewed labels as
the truth), where an item of the random sample the run gave no label counts as wrong.

The shape read (one object; ``reviews`` may also be the whole file as a list)::

    {"reviews": [
        {"id": "r01", "reviewer": "ana", "label": "positive", "run_id": "...",
         "export": "queue", "blind": false},
        {"id": "r01", "reviewer": "ben", "label": "negative", "run_id": "...",
         "export": "sample", "blind": true}
    ]}

``id`` (item id) and ``label`` (a label name, or null for "cannot tell", which is
skipped) are required; ``reviewer`` defaults to ``"?"``; a review without ``run_id``
cannot be compared; ``blind`` is null (not known) when missing, as in runs from before it
was written. The queue reasons come from the exporting run's ``labels.parquet``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from labelwright.errors import RunError
from labelwright.review.stats.agreement import alpha_interval, fleiss_kappa, krippendorff_alpha
from labelwright.review.stats.overrides import count_overrides
from labelwright.review.stats.run_accuracy import NO_REVIEWED_LABEL, RunAccuracy, accuracy_of_runs
from labelwright.review.stats.run_agreement import RunAgreement, RunLabel, agreement_with_runs
from labelwright.runs.file_names import LABELS_FILE, REVIEWS_FILE
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.manifest import recorded_renamed
from labelwright.runs.store import changed_output, read_labels_table, read_manifest
from labelwright.triage.reasons import REASONS

RANDOM_SAMPLE = "random sample"
AUDIT = "audit"
#: decisions exported with the queue, on items there for a reason other than the audit:
#: the hard items, ranked by how likely their label is wrong
QUEUE = "queue"
ADJUDICATORS = "adjudicators"
#: the start of a round's row: the decisions exported from one run, blind ones aside
ROUND = "round: run "
#: the queue reasons with a row of their own under the queue's (the audit has its own row:
#: its items are accepted labels drawn at random, not hard ones)
AGREEMENT_REASONS = tuple(reason for reason in REASONS if reason != AUDIT)
_SEEN = {True: "blind", False: "shown the label", None: "blind or shown not recorded"}


@dataclass
class ReviewStats:
    reviews: int
    items: int
    reviewers: dict[str, int]  # reviewer -> reviews
    multi_reviewed: int  # items with two or more reviewers, adjudicators aside
    pair_agreement: float | None  # share of reviewer pairs on one item that agree (ditto)
    # row -> (decisions agreeing with the label the run they were exported from gave the
    # item, decisions compared), each row with decisions: "random sample" (exported with
    # the random sample), "audit" (on audit items), "queue" (exported with the queue, on an
    # item there for another reason than the audit) and under it each of its reasons, per
    # round "round: run <id>" (the decisions exported from that run, blind ones aside:
    # shown no label), "adjudicators" (the adjudicators' decisions), "all"; and with blind
    # reviews "<export>, blind" / "<export>, shown the label". Counted per decision: an
    # item two raters reviewed counts twice, and an adjudicator's decision on it once more
    model_agreement: dict[str, tuple[int, int]]
    #: row of :attr:`model_agreement` -> (labels changed, labels shown): the override rate,
    #: counted as ``review stats`` counts it
    #: (:func:`~labelwright.review.stats.overrides.count_overrides`: blind decisions and
    #: the adjudicators' aside, a random sample's decision under that row alone); no entry
    #: for the rows of blind decisions and the adjudicators'
    overridden: dict[str, tuple[int, int]] = field(default_factory=dict)
    left_out: int = 0  # reviews not compared: see notes
    notes: list[str] = field(default_factory=list)
    #: reviewers among the run's ``[review] adjudicators`` (its manifest's): their decisions
    #: settle disagreements, so the two figures between reviewers leave them out, as
    #: ``review stats`` does
    adjudicators: list[str] = field(default_factory=list)
    #: per earlier run whose audit or random sample has reviewed items (newest first), the
    #: accuracy of its labels as ``review stats RUN`` gives it
    run_accuracy: list[RunAccuracy] = field(default_factory=list)
    #: why a run's accuracy is not shown (its labels cannot be used)
    accuracy_notes: list[str] = field(default_factory=list)
    #: Fleiss' kappa (on the items with the most common number of ratings: ``fleiss_items``)
    #: and Krippendorff's alpha (every item rated twice or more), the adjudicators aside,
    #: as ``review stats`` gives them; ``alpha_ci``: alpha's 95% bootstrap interval
    fleiss: float = float("nan")
    fleiss_items: int = 0
    alpha: float = float("nan")
    alpha_ci: tuple[float, float] = (float("nan"), float("nan"))
    #: per label, the raters' agreement on it, as ``review stats`` gives it (specific
    #: agreement, one-vs-rest alpha and its interval:
    #: :func:`~labelwright.review.stats.label_agreement.label_agreement`), the run's labels
    #: in its order; None without an item rated twice
    per_label: pd.DataFrame | None = None
    #: the pairs of labels the raters split on, with how many items each, most first, as
    #: ``review stats`` gives them (:func:`~labelwright.review.stats.label_agreement.label_splits`)
    splits: list[tuple[str, str, int]] = field(default_factory=list)

    def accuracy(self, reason: str) -> float | None:
        agree, total = self.model_agreement.get(reason, (0, 0))
        return agree / total if total else None


@dataclass(frozen=True)
class Review:
    """One row of ``reviews.json``, as :func:`agreement_with_runs` compares it."""

    item_id: str
    run_id: str
    label: str
    export: str
    blind: bool | None
    reviewer: str = "?"


def read_reviews(path: Path) -> pd.DataFrame:
    """One row per review: id, reviewer, label, run_id, export, blind."""
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
            blind = r.get("blind")
            rows.append({"id": str(r["id"]), "reviewer": str(r.get("reviewer") or "?"),
                         "label": str(r["label"]), "run_id": str(r.get("run_id") or ""),
                         "export": str(r.get("export") or ""),
                         "blind": blind if isinstance(blind, bool) else None})
    return pd.DataFrame(rows, columns=["id", "reviewer", "label", "run_id", "export", "blind"])


def _groups(split_blind: bool, adjudicators: Collection[str]
            ) -> Callable[[Review, RunLabel], Iterable[Hashable]]:
    """The rows of the table a review counts in (see :attr:`ReviewStats.model_agreement`)."""
    def groups(review: Review, run: RunLabel) -> Iterable[Hashable]:
        sampled = review.export == "sample"
        export = RANDOM_SAMPLE if sampled else QUEUE
        yield "all"
        if sampled:
            yield RANDOM_SAMPLE
        if AUDIT in run.reasons:
            yield AUDIT
        hard = [reason for reason in AGREEMENT_REASONS if reason in run.reasons]
        if hard and not sampled:  # a sample item in the queue too was reviewed as drawn
            yield QUEUE
            yield from hard
        if review.reviewer in adjudicators:
            yield ADJUDICATORS
        if split_blind:
            yield f"{export}, {_SEEN[review.blind]}"
        if review.blind is not True:  # a round's override rate: of the labels shown
            yield f"{ROUND}{review.run_id}"
    return groups


def _rows(result: RunAgreement, split_blind: bool) -> dict[str, tuple[int, int]]:
    """The table's rows in order, each with decisions (every decision's row always)."""
    rounds = sorted(g for g in result.decisions if isinstance(g, str) and g.startswith(ROUND))
    names = [RANDOM_SAMPLE, AUDIT, QUEUE, *AGREEMENT_REASONS, *rounds, ADJUDICATORS, "all"]
    if split_blind:
        names += [f"{export}, {seen}" for export in (RANDOM_SAMPLE, QUEUE)
                  for seen in _SEEN.values()]
    return {name: result.pair(name) for name in names
            if name == "all" or result.decisions[name]}


def _overridden(rows: Collection[str], counted: RunAgreement) -> dict[str, tuple[int, int]]:
    """(changed, shown) of each of the table's ``rows`` the override rate has a figure for
    (:func:`~labelwright.review.stats.overrides.override_groups`' groups by row name)."""
    out = {}
    for row in rows:
        if row.startswith(ROUND):
            group: Hashable = ("run", row[len(ROUND):])
        elif row in (RANDOM_SAMPLE, AUDIT, *AGREEMENT_REASONS):
            group = ("reason", row)
        elif row in (QUEUE, "all"):
            group = row
        else:
            continue
        agreed, shown = counted.pair(group)
        out[row] = (shown - agreed, shown)
    return out


def _left_out_notes(result: RunAgreement, reviews: list[Review]) -> list[str]:
    """Why reviews were not compared, and how many each time."""
    notes = []
    if result.unlabelled:
        notes.append(f"left out: {result.unlabelled} review(s) of items their run gave no "
                     "label (nothing to agree with; not counted as disagreements)")
    for run_id, why in result.runs_gone.items():
        n = sum(1 for r in reviews if r.run_id == run_id)
        notes.append(f"{n} review(s) of run {run_id or '(not recorded)'} not compared: {why}")
    rest = result.unmatched - sum(1 for r in reviews if r.run_id in result.runs_gone)
    if rest:
        notes.append(f"{rest} review(s) not compared: their run's labels hold no label of its "
                     "own for the item (not there, or a review's)")
    return notes


def review_stats(run_dir: Path, manifest: dict[str, Any] | None = None) -> ReviewStats | None:
    """Statistics of ``reviews.json``, or None when the run has no reviews.

    Only a ``reviews.json`` the run wrote (an output its manifest, read when not given,
    hashes) and left unchanged is read: one put in the folder by hand, in a run that read no
    reviews, or edited since, is not the reviews the run read -- a :class:`RunError`."""
    path = run_dir / REVIEWS_FILE
    if not path.is_file():
        return None
    manifest = read_manifest(run_dir) if manifest is None else manifest
    problem = changed_output(run_dir, manifest, REVIEWS_FILE)
    if problem is not None:
        raise RunError(f"{run_dir / problem}; it is not taken for the reviews the run read "
                       "(`labelwright runs verify` checks a run)")
    reviews = read_reviews(path)
    named = set((manifest.get("reviews") or {}).get("adjudicators") or ())
    adjudicators = sorted(named & set(reviews["reviewer"]))
    raters = reviews[~reviews["reviewer"].isin(adjudicators)]
    pairs = agreeing = 0
    for _, group in raters.groupby("id"):
        for a, b in combinations(group["label"].tolist(), 2):
            pairs += 1
            agreeing += a == b
    compared = [Review(str(r.id), str(r.run_id), str(r.label), str(r.export),
                       None if pd.isna(r.blind) else bool(r.blind), str(r.reviewer))
                for r in reviews.itertuples(index=False)]
    split_blind = any(r.blind for r in compared)  # as review stats: only with blind reviews
    # the run read the reviews through its [project] renamed: a run made before a rename
    # gave the label its old name
    renamed = recorded_renamed(manifest)
    result = agreement_with_runs(compared, run_dir.parent,
                                 _groups(split_blind, set(adjudicators)), renamed=renamed)
    rows = _rows(result, split_blind)
    counted = count_overrides(compared, run_dir.parent, adjudicators=set(adjudicators),
                              renamed=renamed).compared
    per_item = raters.groupby("id")["reviewer"].nunique()
    counts = _rating_counts(raters)
    seed = manifest.get("seed")
    per_label, splits = None, []
    if int((per_item >= 2).sum()):
        from labelwright.review.stats.label_agreement import label_agreement, label_splits

        labels = [*(manifest_labels(manifest) or ())]
        labels += sorted(set(raters["label"]) - set(labels))
        by_label = _rating_counts(raters, labels)
        per_label = label_agreement(by_label, labels, seed=seed if isinstance(seed, int) else 0)
        splits = label_splits(by_label, labels)
    fleiss, fleiss_items = fleiss_kappa(counts) if len(counts) else (float("nan"), 0)
    figures, accuracy_notes = _accuracy_per_run(run_dir, compared, result.runs_gone, renamed)
    return ReviewStats(
        reviews=len(reviews), items=int(reviews["id"].nunique()),
        reviewers={str(k): int(v) for k, v in reviews["reviewer"].value_counts().items()},
        multi_reviewed=int((per_item >= 2).sum()),
        pair_agreement=agreeing / pairs if pairs else None,
        fleiss=fleiss, fleiss_items=fleiss_items, alpha=krippendorff_alpha(counts),
        alpha_ci=alpha_interval(counts, seed=seed if isinstance(seed, int) else 0),
        model_agreement=rows, overridden=_overridden(rows, counted),
        left_out=result.left_out,
        notes=_left_out_notes(result, compared), adjudicators=adjudicators,
        run_accuracy=figures, accuracy_notes=accuracy_notes, per_label=per_label,
        splits=splits,
    )


def _rating_counts(raters: pd.DataFrame, labels: Sequence[str] = ()) -> np.ndarray:
    """(items, labels): how many raters chose each label for each item, from the rows of
    ``reviews.json`` (each rater's latest decision per item); the columns ``labels``, in
    their order (one no rater chose all 0), when given (every label reviewed among them),
    else the labels reviewed, by name."""
    if raters.empty:
        return np.zeros((0, len(labels)), dtype=np.int64)
    table = pd.crosstab(raters["id"], raters["label"])
    if not labels:
        return table.to_numpy(dtype=np.int64)
    return table.reindex(columns=list(labels), fill_value=0).to_numpy(dtype=np.int64)


def _reviewed_labels(run_dir: Path) -> dict[str, str]:
    """``{item id: label}`` of the items whose label in this run is a review's: the reviewed
    labels the run read, settled as its ``[review]`` policy and adjudicators settle them."""
    table = read_labels_table(run_dir / LABELS_FILE, ("id", "label", "label_source"))
    if "label_source" not in table.column_names:
        return {}
    # only the reviewed rows become Python objects: a run may hold millions of items
    table = table.filter(pc.fill_null(pc.equal(table["label_source"], "review"), False))
    return {str(item): str(label) for item, label
            in zip(table["id"].to_pylist(), table["label"].to_pylist()) if label is not None}


def _accuracy_per_run(run_dir: Path, reviews: list[Review], gone: dict[str, str],
                      renamed: dict[str, str] | None = None
                      ) -> tuple[list[RunAccuracy], list[str]]:
    """The accuracy figures of each run the reviews were exported from (newest first) with
    a reviewed item in its audit or random sample, as ``review stats RUN`` computes them,
    and a note per run whose labels cannot be used (one whose folder is gone is named by
    the notes of the agreement already, in ``gone``). ``renamed``: this run's ``[project]
    renamed``: a run made before a label was renamed is measured with its old name."""
    runs = sorted({r.run_id for r in reviews} - {"", run_dir.name}, reverse=True)
    if not runs:
        return [], []
    # as review stats, which refuses labels edited since their run wrote them
    gold = _reviewed_labels(run_dir)
    # the items this run read reviews of and took no reviewed label from: said beside
    # each figure as left out, as review stats says them
    unsettled = {r.item_id: NO_REVIEWED_LABEL for r in reviews if r.item_id not in gold}
    measured, problems = accuracy_of_runs(run_dir.parent, runs, gold, refuse_edited=True,
                                          renamed=renamed, unsettled=unsettled)
    notes = [f"no accuracy figures for run {run_id}: {problem}"
             for run_id, problem in sorted(problems.items(), reverse=True) if run_id not in gone]
    return [m for m in measured if m.audit.reviewed or m.sample.reviewed], notes
