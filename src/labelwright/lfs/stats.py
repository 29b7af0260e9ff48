"""LF statistics in the field's vocabulary: polarity, coverage, overlaps, conflicts,
and, where gold labels exist, correct / incorrect / empirical accuracy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from labelwright.config import NO_LABEL
from labelwright.matrix import LabelMatrix

if TYPE_CHECKING:  # annotations only: the glossaries import spaCy, and with it torch
    from labelwright.glossaries.core import Glossary
    from labelwright.lfs.item import GlossaryMatch


def vote_counts(votes: np.ndarray, n_labels: int) -> np.ndarray:
    """(n_items, n_labels) count of votes per label per item."""
    counts = np.zeros((votes.shape[0], n_labels), dtype=np.int32)
    for j in range(votes.shape[1]):
        column = votes[:, j]
        voted = column >= 0
        counts[np.flatnonzero(voted), column[voted]] += 1
    return counts


def lf_summary(
    matrix: LabelMatrix,
    *,
    gold: np.ndarray | None = None,
    failures: Mapping[str, int] | None = None,
    kinds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per LF.

    ``gold`` holds a class index per item or -1 where there is no gold label; rows
    without gold are left out of correct / incorrect / empirical accuracy.
    """
    votes = matrix.votes
    n = max(votes.shape[0], 1)
    counts = vote_counts(votes, len(matrix.labels))
    total = counts.sum(axis=1)
    rows = []
    has_gold = gold is not None and bool((gold >= 0).any())
    for j, name in enumerate(matrix.lf_names):
        column = votes[:, j].astype(np.int64)
        voted = column >= 0
        own = np.zeros(votes.shape[0], dtype=np.int32)
        own[voted] = counts[np.flatnonzero(voted), column[voted]]
        others = total - voted
        different = total - own
        row = {
            "lf": name,
            "polarity": ", ".join(matrix.labels[k] for k in np.unique(column[voted])),
            "coverage": voted.sum() / n,
            "overlaps": (voted & (others > 0)).sum() / n,
            "conflicts": (voted & (different > 0)).sum() / n,
        }
        if kinds is not None:
            row["kind"] = kinds[j]
        if has_gold:
            assert gold is not None
            judged = voted & (gold >= 0)
            correct = int((column[judged] == gold[judged]).sum())
            incorrect = int(judged.sum()) - correct
            row.update(correct=correct, incorrect=incorrect,
                       emp_accuracy=correct / judged.sum() if judged.any() else np.nan)
        if failures is not None:
            row["failures"] = int(failures.get(name, 0))
        rows.append(row)
    return pd.DataFrame(rows)


#: gold votes an LF needs before a run calls it worse than chance
BELOW_CHANCE_VOTES = 5


def below_chance(matrix: LabelMatrix, gold: np.ndarray,
                 assumed: Mapping[str, float] | None = None) -> list[str]:
    """Warnings for the LFs that the gold labels of the data (its gold column: not reviewed
    labels, which come mostly from the review queue, the items the LFs get wrong most) show
    right less often than chance, one in the number of labels: the upper end of a one-sided
    95% Wilson interval of their accuracy on >= :data:`BELOW_CHANCE_VOTES` gold votes is
    below it. Such an LF votes for the wrong label more often than not: a reversed rule, or
    one returning label indices after the labels changed order. ``assumed``: LF -> the
    accuracy the label model reads its votes at instead of the one it learned (a model
    that never reads a vote against its class without reviewed labels showing it, such as
    ``dawid_skene``'s ``monotone``), said too, as it is why those votes still label items."""
    n_labels = len(matrix.labels)
    chance = 1.0 / n_labels
    out = []
    for j, name in enumerate(matrix.lf_names):
        judged = (matrix.votes[:, j] >= 0) & (gold >= 0)
        n = int(judged.sum())
        correct = int((matrix.votes[judged, j] == gold[judged]).sum())
        if n < BELOW_CHANCE_VOTES or correct / n >= chance:
            continue
        from labelwright.review.agreement import wilson_interval  # statsmodels: only here

        if wilson_interval(correct, n, alpha=0.10)[1] >= chance:
            continue
        message = (f"LF {name!r} is right on {correct} of the {n} gold items it voted on "
                   f"({correct / n:.0%}), below chance ({chance:.0%} with {n_labels} labels): "
                   "check the rule, and whether it returns label indices (a change of "
                   "[project] labels' order changes what an index votes for)")
        if assumed and name in assumed:
            message += (f"; without reviewed labels showing it, the label model reads its "
                        f"votes as right {assumed[name]:.0%} of the time, so items it alone "
                        "votes on get its label")
        out.append(message)
    return out


def coverage(matrix: LabelMatrix) -> float:
    """Share of items with at least one vote."""
    if matrix.votes.shape[0] == 0:
        return 0.0
    return float((matrix.votes >= 0).any(axis=1).mean())


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
