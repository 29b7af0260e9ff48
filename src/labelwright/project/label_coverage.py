"""Labels the LFs leave to chance: a label no LF votes for, which the label model can give
only from its class balance (equal classes unless set) and reviews can give, a label
the LFs vote for that the label model all but never gives, and items the model gives a
label none of their votes is for.

Either passes every other check quietly: the run fits, the model gives the silent label its
share of the class balance, and the only sign is a class missing from the labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from labelwright.counts import counted
from labelwright.lfs.stats import vote_counts
from labelwright.models.patterns import CHUNK_ROWS
from labelwright.percent import percent

if TYPE_CHECKING:
    import pandas as pd

#: how a label without votes can still be given
WITHOUT_VOTES = ("can be given only by reviews, or by the label model from its class balance "
                 "(equal classes, or with 3 or more labels whose votes are 3:1 apart the "
                 "votes' shares, unless [label_model] class_balance or reviews set it)")
#: what to do about it
WRITE_AN_LF = "write an LF or a glossary for it, or drop it from [project] labels"

#: a label the model gives on fewer than this share of the items with a vote for it, where
#: it wins the majority vote on at least half of them, is warned of
RARELY_GIVEN = 0.10
#: a label the model gives on fewer than this share of the items with a vote for it is
#: warned of, whoever wins their majority vote
ALMOST_NEVER_GIVEN = 0.01
#: ... either, when it has votes on at least this many items (fewer say little)
MIN_VOTED_ITEMS = 20
#: covered items the model gives a label none of their votes is for are warned of when
#: they are at least this share of the covered items and at least MIN_VOTED_ITEMS
UNSUPPORTED_SHARE = 0.01


def votes_per_label(votes: np.ndarray, n_labels: int) -> np.ndarray:
    """(n_labels,) how many votes each label has in the label matrix ``votes``."""
    total = np.zeros(n_labels, dtype=np.int64)
    for column in votes.T:
        total += np.bincount(column[column >= 0].astype(np.int64), minlength=n_labels)
    return total


def unvoted_labels_warnings(votes: np.ndarray, labels: Sequence[str],
                            given: np.ndarray) -> list[str]:
    """One warning per label no LF voted for in a run, with how many items the run gave it
    anyway (``given``: the final label index per item, -1 none)."""
    return _unvoted(votes_per_label(votes, len(labels)), labels, given, len(votes))


def _unvoted(voted: np.ndarray, labels: Sequence[str], given: np.ndarray, n_items: int
             ) -> list[str]:
    counts = np.bincount(given[given >= 0], minlength=len(labels))
    return [f"label {label!r}: no LF votes for it in this run (0 of {n_items:,} items); it "
            f"{WITHOUT_VOTES}, never from a vote ({_given(int(counts[k]))}): {WRITE_AN_LF}"
            for k, label in enumerate(labels) if voted[k] == 0]


def _given(n: int) -> str:
    """How many items a run gave a label without votes: most often none, as an item with
    no vote gets no label and the model gives such a label only where its class balance
    outweighs every vote of an item."""
    return "this run gives it to no item" if n == 0 else \
        f"this run gives it to {counted(n, 'item')}, by reviews or the class balance"


def unvoted_labels_check(labels: Sequence[str], tried: np.ndarray, spelt: set[int],
                         unread: Sequence[str]) -> list[str]:
    """``check``'s warnings of labels no LF voted for on the items tried (``tried``: their
    votes) and no LF can be seen to vote for: ``spelt``, the labels (indices) an LF returns
    as written or a glossary is of; ``unread``, the LFs whose votes are known only when
    they run (or that were not tried), which may yet vote for one on other items."""
    voted = votes_per_label(tried, len(labels))
    silent = [label for k, label in enumerate(labels) if voted[k] == 0 and k not in spelt]
    if unread:
        return [f"label {label!r}: no LF voted for it on the {counted(len(tried), 'item')} "
                f"tried, no LF "
                f"returns it as written (return {label!r}) and no glossary is of it; LF(s) "
                f"{', '.join(unread)} return values known only when they run, so only "
                "`labelwright run` (every item) can tell whether any votes for it. Without "
                f"votes it {WITHOUT_VOTES}" for label in silent]
    return [f"label {label!r}: no LF can vote for it (none returns it, no glossary is of it), "
            f"so it {WITHOUT_VOTES}: {WRITE_AN_LF}" for label in silent]


@dataclass
class Tallies:
    """What the run's warnings of labels count, in one pass over the label matrix: per
    label, the items with a vote for it (``voted``), those where it wins the majority vote
    alone (``won``), those the label model's own label gives it (``given``), and the covered
    items without a reviewed label it gives it with no vote for it (``unsupported``, the
    first such item's row in ``first_row``); ``covered``, the items with a vote, and
    ``open``, those of them without a reviewed label."""

    voted: np.ndarray
    won: np.ndarray
    given: np.ndarray
    unsupported: np.ndarray
    first_row: dict[int, int] = field(default_factory=dict)
    covered: int = 0
    open: int = 0


def tally(votes: np.ndarray, model_label: np.ndarray, n_labels: int, *,
          chunk_rows: int = CHUNK_ROWS, reviewed: np.ndarray | None = None) -> Tallies:
    """:class:`Tallies` of ``votes`` and the label model's own labels (``model_label``, -1
    none), counted ``chunk_rows`` items at a time ((rows, labels) arrays a chunk each).
    ``reviewed`` marks the items with a reviewed label (their own or a copy's): the label
    they end with is the review's, not the model's reading of their votes."""
    k = n_labels
    zeros = [np.zeros(k, dtype=np.int64) for _ in range(4)]
    out = Tallies(voted=zeros[0], won=zeros[1], given=zeros[2], unsupported=zeros[3])
    for start in range(0, len(votes), chunk_rows):
        counts = vote_counts(votes[start:start + chunk_rows], k)
        label = model_label[start:start + chunk_rows]
        has = counts > 0
        best = counts.max(axis=1, keepdims=True)
        alone = (counts == best) & ((counts == best).sum(axis=1, keepdims=True) == 1)
        out.voted += has.sum(axis=0)
        out.won += (has & alone).sum(axis=0)
        out.given += (has & (label[:, None] == np.arange(k))).sum(axis=0)
        covered = has.any(axis=1)
        out.covered += int(covered.sum())
        if reviewed is not None:
            covered &= ~reviewed[start:start + chunk_rows]
        out.open += int(covered.sum())
        rows = np.flatnonzero(covered & (label >= 0))
        unvoted = rows[counts[rows, label[rows]] == 0]
        out.unsupported += np.bincount(label[unvoted], minlength=k)
        found, first = np.unique(label[unvoted], return_index=True)
        for j, row in zip(found.tolist(), unvoted[first].tolist()):
            out.first_row.setdefault(j, start + row)
    return out


def rarely_given_warnings(votes: np.ndarray, model_label: np.ndarray,
                          labels: Sequence[str], *, chunk_rows: int = CHUNK_ROWS,
                          counted: Tallies | None = None) -> list[str]:
    """A warning per label the LFs vote for on at least :data:`MIN_VOTED_ITEMS` items that
    the label model's own labels (``model_label``, -1 none) give to fewer than
    :data:`ALMOST_NEVER_GIVEN` of them, or to fewer than :data:`RARELY_GIVEN` where it wins
    the majority vote (alone) on at least half of them. ``counted``: :func:`tally`'s counts
    of them, when the caller has them.

    A label outvoted on most of its items is still named when the model all but never gives
    it: a fit whose class for it was taken by other items gave ``harassment`` to none of
    the 8,994 items voted for it (1,707 of them won outright) and said nothing."""
    t = counted or tally(votes, model_label, len(labels), chunk_rows=chunk_rows)
    return [_rarely_given(labels[j], int(t.voted[j]), int(t.won[j]), int(t.given[j]))
            for j in range(len(labels)) if t.voted[j] >= MIN_VOTED_ITEMS
            and (t.given[j] < ALMOST_NEVER_GIVEN * t.voted[j]
                 or (2 * t.won[j] >= t.voted[j] and t.given[j] < RARELY_GIVEN * t.voted[j]))]


def _rarely_given(label: str, voted: int, won: int, given: int) -> str:
    """:func:`rarely_given_warnings`' warning for one label."""
    gives = f"only {given:,}" if given else "none"
    advice = ("see its LFs' learned_accuracy in the LF table (the model may read them as "
              "unreliable) and [label_model] class_balance")
    if 2 * won >= voted:
        return (f"label {label!r}: LFs vote for it on {voted:,} items and it wins the "
                f"majority vote on {won:,} of them, but the label model gives it to {gives} "
                f"of them: {advice}")
    outright = (f"it wins the majority vote outright on {won:,}" if won
                else "it wins the majority vote on none")
    return (f"label {label!r}: LFs vote for it on {voted:,} items ({outright}), but the "
            f"label model gives it to {gives} of them: {advice}, and the LFs voting other "
            "labels on the same items (`labelwright explain ID` shows one item's votes)")


def unsupported_labels_warnings(votes: np.ndarray, model_label: np.ndarray,
                                labels: Sequence[str], ids: Sequence[str], *,
                                chunk_rows: int = CHUNK_ROWS,
                                counted: Tallies | None = None,
                                reviewed: np.ndarray | None = None) -> list[str]:
    """A warning when the label model's own labels (``model_label``, -1 none) give
    :data:`UNSUPPORTED_SHARE` or more of the covered items without a reviewed label (and
    at least :data:`MIN_VOTED_ITEMS`) a label that none of their votes is for: the model
    reads their LFs as wrong, or its class balance outweighs them. A model fit with gold on
    a few one-sided LFs can move hundreds of items to a label no LF gave them, quietly.
    An item ``reviewed`` marks (a reviewed label of its own or a copy's) is left out: its
    label is the review's, and it goes to no review. ``counted``: :func:`tally`'s counts of
    them, when the caller has them."""
    t = counted or tally(votes, model_label, len(labels), chunk_rows=chunk_rows,
                         reviewed=reviewed)
    per_label = t.unsupported
    total = int(per_label.sum())
    if total < MIN_VOTED_ITEMS or total < UNSUPPORTED_SHARE * t.open:
        return []
    parts = ", ".join(f"{labels[j]!r} {per_label[j]} (e.g. {ids[t.first_row[j]]!r})"
                      for j in np.argsort(-per_label, kind="stable") if per_label[j])
    items = "items with votes" + (" and no reviewed label" if t.open < t.covered else "")
    return [f"the label model gives {total} of the {t.open} {items} a label none "
            f"of their votes is for: {parts}; it reads their LFs as wrong, or the class "
            "balance outweighs them: see the LFs' learned_accuracy in the LF table and "
            "[label_model] class_balance, and `labelwright explain ID` for one of them (those "
            "without a reviewed label go to review with the reason against_votes)"]


def coverage_warnings(votes: np.ndarray, model_label: np.ndarray, final_label: np.ndarray,
                      labels: Sequence[str], ids: Sequence[str],
                      reviewed: np.ndarray | None = None) -> list[str]:
    """A run's warnings of the labels its LFs leave to chance, counted in one pass:
    labels no LF votes for (``final_label``: the run's labels, reviews applied), labels the
    model all but never gives and items without a reviewed label (``reviewed``: the items
    with one, their own or a copy's) it moves away from every vote."""
    counted = tally(votes, model_label, len(labels), reviewed=reviewed)
    return [*_unvoted(counted.voted, labels, final_label, len(votes)),
            *rarely_given_warnings(votes, model_label, labels, counted=counted),
            *unsupported_labels_warnings(votes, model_label, labels, ids, counted=counted)]


#: with more labels than this, the per-label coverage line names the least covered only
COVERAGE_LABELS_SHOWN = 10


def items_voted_per_label(votes: np.ndarray, n_labels: int, *,
                          chunk_rows: int = CHUNK_ROWS) -> np.ndarray:
    """(n_labels,) how many items of the label matrix ``votes`` (-1 abstain) have at least
    one vote for each label, counted ``chunk_rows`` items at a time."""
    voted = np.zeros(n_labels, dtype=np.int64)
    for start in range(0, len(votes), chunk_rows):
        voted += (vote_counts(votes[start:start + chunk_rows], n_labels) > 0).sum(axis=0)
    return voted


def label_coverage_frame(votes: np.ndarray, labels: Sequence[str], *,
                         chunk_rows: int = CHUNK_ROWS) -> pd.DataFrame:
    """Per label, in the project's order (the index): ``items`` with at least one vote for
    it, their share of all items (``coverage``, as ``run``'s coverage per label line), and
    of those the items where another label has a vote too (``conflicts``, and
    ``conflict_share`` of the label's items, NaN for a label without votes): every label,
    where the line names only the 5 least covered of more than 10."""
    import pandas as pd

    n_labels = len(labels)
    voted = np.zeros(n_labels, dtype=np.int64)
    conflicted = np.zeros(n_labels, dtype=np.int64)
    for start in range(0, len(votes), chunk_rows):
        has = vote_counts(votes[start:start + chunk_rows], n_labels) > 0
        voted += has.sum(axis=0)
        conflicted += has[has.sum(axis=1) > 1].sum(axis=0)
    n = len(votes)
    with np.errstate(divide="ignore", invalid="ignore"):
        frame = pd.DataFrame({
            "items": voted,
            "coverage": voted / n if n else np.full(n_labels, np.nan),
            "conflicts": conflicted,
            "conflict_share": np.where(voted > 0, conflicted / np.maximum(voted, 1), np.nan)},
            index=pd.Index(list(labels), name="label"))
    return frame


def label_coverage_line(votes: np.ndarray, labels: Sequence[str]) -> str | None:
    """The coverage of each label, the share of items with a vote for it, as ``run`` and
    ``analyze`` print it under the total coverage: a label the LFs seldom vote for is one
    the label model can seldom give, however well the total covers. Labels in the
    project's order, the least covered named (each of a tie; none when all are alike);
    with more than :data:`COVERAGE_LABELS_SHOWN` labels only the least covered ones. None
    without items or with one label."""
    n = len(votes)
    if n == 0 or len(labels) < 2:
        return None
    voted = items_voted_per_label(votes, len(labels))

    def said(k: int) -> str:
        return f"{labels[k]} {percent(voted[k] / n)} ({voted[k]:,})"

    if len(labels) <= COVERAGE_LABELS_SHOWN:
        shown = ", ".join(said(k) for k in range(len(labels)))
        least = [labels[int(k)] for k in np.flatnonzero(voted == voted.min())]
        if len(least) == len(labels):  # all alike: none is the least covered
            return f"  coverage per label (items with a vote for it): {shown}"
        return (f"  coverage per label (items with a vote for it): {shown}; least covered: "
                f"{', '.join(least)}")
    fewest = np.argsort(voted, kind="stable")[:5]
    return ("  coverage per label (items with a vote for it), the least covered: "
            + ", ".join(said(int(k)) for k in fewest)
            + f" (and {len(labels) - 5} more labels)")
