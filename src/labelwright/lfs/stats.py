"""LF statistics in the field's vocabulary: polarity, coverage, overlaps, conflicts,
and, where gold labels exist, correct / incorrect / empirical accuracy.

Which labels count: ``correct`` / ``incorrect`` / ``emp_accuracy`` are over labels that
picture an LF's votes, the data's gold column and reviews of a run's random sample; the
review queue's and audit's reviewed labels are items picked *because* LFs conflict, the
model is unsure or (the audit) the label was accepted, so they are counted apart, in
``queue_correct`` / ``queue_incorrect`` / ``queue_accuracy``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from labelwright.config import NO_LABEL
from labelwright.lfs.stats_inputs import checked_matrix, class_indices
from labelwright.matrix import LabelMatrix
from labelwright.moved_names import moved_names

if TYPE_CHECKING:  # annotations only: the glossaries import spaCy, and with it torch
    from labelwright.config import ProjectConfig
    from labelwright.data.dataset import Dataset
    from labelwright.glossaries.core import Glossary
    from labelwright.lfs.item import GlossaryMatch
    from labelwright.lfs.lf_warnings import BELOW_CHANCE_VOTES as BELOW_CHANCE_VOTES
    from labelwright.lfs.lf_warnings import MISREAD_GAP as MISREAD_GAP
    from labelwright.lfs.lf_warnings import MISREAD_SHOWN as MISREAD_SHOWN
    from labelwright.lfs.lf_warnings import MISREAD_WIDTH as MISREAD_WIDTH
    from labelwright.lfs.lf_warnings import SILENT_SHOWN as SILENT_SHOWN
    from labelwright.lfs.lf_warnings import below_chance as below_chance
    from labelwright.lfs.lf_warnings import misread as misread
    from labelwright.lfs.lf_warnings import never_voted as never_voted
    from labelwright.review.feedback.gold import ReviewedLabels

#: the warnings a run gives of LFs' statistics moved to :mod:`labelwright.lfs.lf_warnings`;
#: their names still import from here (that module imports this one)
__getattr__ = moved_names(__name__, dict.fromkeys(
    ("BELOW_CHANCE_VOTES", "MISREAD_GAP", "MISREAD_SHOWN", "MISREAD_WIDTH", "SILENT_SHOWN",
     "below_chance", "misread", "never_voted"), "labelwright.lfs.lf_warnings"))


def vote_counts(votes: np.ndarray, n_labels: int) -> np.ndarray:
    """(n_items, n_labels) count of votes per label per item."""
    counts = np.zeros((votes.shape[0], n_labels), dtype=np.int32)
    for j in range(votes.shape[1]):
        column = votes[:, j]
        voted = column >= 0
        counts[np.flatnonzero(voted), column[voted]] += 1
    return counts


def known_labels(config: ProjectConfig, dataset: Dataset, reviewed: ReviewedLabels
                 ) -> tuple[np.ndarray, list[str]]:
    """The labels the LF table's correct / incorrect / emp_accuracy count, and a warning
    where they clash: labels that picture an LF's votes, the data's gold and reviews of a
    run's random sample (on a gold item a review wins where they disagree: it is the newer
    decision). The review queue's and audit's reviewed labels are :func:`queue_labels`.
    ``run`` and ``analyze`` count the same."""
    sampled = reviewed.sampled if reviewed.sampled is not None \
        else np.zeros(len(reviewed.gold), dtype=bool)
    drawn = (dataset.gold >= 0) | (sampled & (reviewed.gold >= 0))
    known = np.where(drawn, np.where(reviewed.gold >= 0, reviewed.gold, dataset.gold), -1)
    clash = np.flatnonzero((reviewed.gold >= 0) & (dataset.gold >= 0)
                           & (reviewed.gold != dataset.gold))
    if not clash.size:
        return known, []
    shown = ", ".join(repr(dataset.ids[i]) for i in clash[:5])
    return known, [
        f"{clash.size} item(s) have a reviewed label that differs from their gold label "
        f"in {config.data.path} (e.g. {shown}); LF accuracies count the reviewed label, "
        "and the label model's accuracy on gold leaves reviewed items out: check the "
        "gold file or the reviews"]


def queue_labels(reviewed: ReviewedLabels) -> np.ndarray:
    """The reviewed labels of the items reviewed from a run's review queue or audit (every
    review but a random sample's; -1 elsewhere): items picked because LFs conflict, the
    model is unsure or no LF voted (the audit: accepted labels only), so the LF table counts
    them apart from the labels that picture an LF's votes (:func:`known_labels`)."""
    if reviewed.sampled is None:
        return reviewed.gold.copy()
    return np.where(reviewed.sampled, -1, reviewed.gold)


def lf_summary(
    matrix: LabelMatrix,
    *,
    gold: np.ndarray | None = None,
    failures: Mapping[str, int] | None = None,
    kinds: Sequence[str] | None = None,
    queue: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per LF of ``matrix`` (a :class:`LabelMatrix`, e.g. ``applied.matrix``).

    ``gold`` (keyword only) holds one value per item, in ``matrix.item_ids`` order: a class
    index (-1 where there is no gold label, as ``dataset.gold``) or a label name of
    ``matrix.labels`` (``None``, NaN or ``""`` where there is none, as a DataFrame's gold
    column); rows without gold are left out of correct / incorrect / empirical accuracy.
    Give it labels that picture the LF's votes: the data's gold, reviews of a random sample.
    ``queue`` (the same form): the reviewed labels of the review queue and audit, counted
    apart as ``queue_correct`` / ``queue_incorrect`` / ``queue_accuracy`` (the columns are
    there when some item has one). Another matrix, a ``gold`` of another length, an index
    out of range or a name that is no label is an error saying what is expected
    (:mod:`~labelwright.lfs.stats_inputs`).
    """
    matrix = checked_matrix(matrix)
    gold = class_indices(gold, matrix, "gold")
    queue = class_indices(queue, matrix, "queue")
    votes = matrix.votes
    n = max(votes.shape[0], 1)
    counts = vote_counts(votes, len(matrix.labels))
    total = counts.sum(axis=1)
    rows = []
    has_gold = gold is not None and bool((gold >= 0).any())
    has_queue = queue is not None and bool((queue >= 0).any())
    for j, name in enumerate(matrix.lf_names):
        column = votes[:, j].astype(np.int64)
        voted = column >= 0
        own = np.zeros(votes.shape[0], dtype=np.int32)
        own[voted] = counts[np.flatnonzero(voted), column[voted]]
        others = total - voted
        different = total - own
        # in the printed table's order (kind after the name), so the CSV reads as it does
        row = {"lf": name, **({"kind": kinds[j]} if kinds is not None else {}),
               "polarity": ", ".join(matrix.labels[k] for k in np.unique(column[voted])),
               "coverage": voted.sum() / n,
               "overlaps": (voted & (others > 0)).sum() / n,
               "conflicts": (voted & (different > 0)).sum() / n}
        if has_gold:
            assert gold is not None
            correct, incorrect = right_wrong(column, voted, gold)
            row.update(correct=correct, incorrect=incorrect,
                       emp_accuracy=_share(correct, incorrect))
        if has_queue:
            assert queue is not None
            correct, incorrect = right_wrong(column, voted, queue)
            row.update(queue_correct=correct, queue_incorrect=incorrect,
                       queue_accuracy=_share(correct, incorrect))
        if failures is not None:
            row["failures"] = int(failures.get(name, 0))
        rows.append(row)
    return pd.DataFrame(rows)


def right_wrong(column: np.ndarray, voted: np.ndarray, known: np.ndarray) -> tuple[int, int]:
    """(right, wrong) votes of an LF's ``column`` on the items with a ``known`` label."""
    judged = voted & (known >= 0)
    right = int((column[judged] == known[judged]).sum())
    return right, int(judged.sum()) - right


def _share(right: int, wrong: int) -> float:
    return right / (right + wrong) if right + wrong else np.nan


def coverage(matrix: LabelMatrix) -> float:
    """Share of items with at least one vote."""
    return vote_coverage(matrix.votes)


def vote_coverage(votes: np.ndarray) -> float:
    """:func:`coverage` of a label matrix's votes (items by LFs, -1 abstain): what a run
    records as its ``coverage``, and what ``runs verify`` derives again from its files."""
    if votes.shape[0] == 0:
        return 0.0
    return float((votes >= 0).any(axis=1).mean())


def label_distribution(labels: Sequence[str], predicted: Sequence[str | None]) -> pd.Series:
    series = pd.Series([p if p else NO_LABEL for p in predicted], dtype=object)
    counts = series.value_counts()
    order = [label for label in labels if label in counts.index]
    if NO_LABEL in counts.index:
        order.append(NO_LABEL)
    return counts.reindex(order)


def glossary_hits(glossaries: Sequence[Glossary], matches: Sequence[Sequence[GlossaryMatch]]
                  ) -> pd.DataFrame:
    """Hits per glossary term, including terms that never matched.

    ``hits`` counts items where the term matched and no exclusion cancelled it;
    ``cancelled`` counts items where every match of the term was cancelled.
    """
    hits: dict[tuple[str, str], int] = {}
    cancelled: dict[tuple[str, str], int] = {}
    for found in matches:
        active = {(m.glossary, m.term) for m in found if m.excluded_by is None}
        for key in active:
            hits[key] = hits.get(key, 0) + 1
        for key in {(m.glossary, m.term) for m in found} - active:
            cancelled[key] = cancelled.get(key, 0) + 1
    rows = [
        {"glossary": g.name, "term": t.term, "label": g.label,
         "hits": hits.get((g.name, t.term), 0), "cancelled": cancelled.get((g.name, t.term), 0)}
        for g in glossaries for t in g.terms
    ]
    return pd.DataFrame(rows, columns=["glossary", "term", "label", "hits", "cancelled"])
