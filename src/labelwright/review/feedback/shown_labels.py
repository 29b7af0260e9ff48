"""The label each reviewed item had before its review: the suggestion its run exported.

The review ranking learns its weights from reviewed items (:mod:`labelwright.review.ranking.
weights`): which signals mark a label that turns out wrong. The label to judge is the one the
item had when it was queued, the one its reviewer was shown (or, blind, would have been),
not this run's: a label model re-fit on the reviews has already learned them, and on the
reviewed items most of its labels agree with the reviews whatever the signals said (UCI
YouTube, two rounds of 195 reviews: reviewers changed 188 suggestions, the re-fit model's
label differed from 54 reviews). The ledger keeps each decision's run; that run's
``review.jsonl`` (or ``sample.jsonl``) holds the suggestion, the probabilities it was shown
with and the LFs' votes then (:func:`shown_labels`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.review.decisions import ledger
from labelwright.review.imports.shown_text import run_exported_records

#: :attr:`ShownLabels.label` of an item whose earlier label is not known (not reviewed, its
#: run's records are gone, or they suggest a label the project no longer has)
NOT_KNOWN = -2
#: ... of an item its run exported without a label (no LF voted, or an unbroken tie)
NO_LABEL = -1


@dataclass(frozen=True)
class ShownLabels:
    """Per item, the label its run exported it with before review, and the probabilities."""

    label: np.ndarray  # class index; NO_LABEL; NOT_KNOWN
    probs: np.ndarray  # (items x labels); NaN where ``label`` is NOT_KNOWN
    #: the vote signals (``no_vote``, ``conflict``) of the votes the run exported the item
    #: with (its LFs then, not now); NaN where not known (a record without votes)
    votes: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def known(self) -> np.ndarray:
        """Items whose earlier label (or that it had none) is known."""
        return self.label != NOT_KNOWN


def not_known(n: int, k: int) -> ShownLabels:
    """:class:`ShownLabels` of ``n`` items, none known."""
    return ShownLabels(np.full(n, NOT_KNOWN, dtype=np.int64), np.full((n, k), np.nan),
                       {name: np.full(n, np.nan) for name in ("no_vote", "conflict")})


def _vote_signals(record: Mapping[str, Any]) -> tuple[float, float] | None:
    """``(no_vote, conflict)`` of the votes a review record holds (``{LF: label name}``), as
    :func:`~labelwright.review.ranking.signals.vote_signals` computes them from a label
    matrix; None when the record holds no votes (a blind one)."""
    votes = record.get("votes")
    if not isinstance(votes, Mapping):
        return None
    counts = Counter(str(label) for label in votes.values())
    n = sum(counts.values())
    return float(n == 0), (1 - max(counts.values()) / n) if n else 0.0


def first_runs(decisions: Sequence[ledger.Decision], wanted: set[str]) -> dict[str, str]:
    """``{item id: run id}``: the run each of the ``wanted`` items was first exported for
    review from, as the ledger's oldest decision on it names it (a later decision on the
    same item may come from a run that already held the first review)."""
    runs: dict[str, str] = {}
    for d in decisions:
        if d.item_id in wanted and d.run_id and d.item_id not in runs:
            runs[d.item_id] = d.run_id
    return runs


def _label_index(labels: Sequence[str], renamed: Mapping[str, str]) -> dict[str, int]:
    """Each label name a run may have written, the old names of ``renamed`` too, with its
    class index now."""
    index = {name: i for i, name in enumerate(labels)}
    index.update({old: index[new] for old, new in renamed.items() if new in index})
    return index


def _record_row(record: Mapping[str, Any], index: Mapping[str, int], k: int
                ) -> tuple[int, np.ndarray] | None:
    """``(label index, probabilities)`` a review record holds (``index``:
    :func:`_label_index`); None when it suggests a label the project no longer has or a
    probability is not a number.

    The project's label set may have changed since the run: a label added since has
    probability 0 there (the run could not give it), and the probabilities of the labels
    it still has are scaled to sum to 1 once a label is removed."""
    suggested = record.get("suggested_label")
    probs = record.get("probabilities")
    if not isinstance(probs, Mapping):
        return None
    row, removed = np.zeros(k), False
    for name, value in probs.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool) \
                or not np.isfinite(value):
            return None
        if name in index:
            row[index[name]] = float(value)
        else:
            removed = True
    if removed:
        if row.sum() <= 0:  # all its probability was on labels removed since
            return None
        row /= row.sum()
    if suggested is None:
        return NO_LABEL, row
    return (index[suggested], row) if suggested in index else None


def shown_labels(decisions: Sequence[ledger.Decision], ids: Sequence[str],
                 labels: Sequence[str], runs_dir: Path, reviewed: np.ndarray, *,
                 renamed: Mapping[str, str] | None = None) -> ShownLabels:
    """The label (and probabilities) each ``reviewed`` item (bool per item of ``ids``) was
    exported with by the run of its first decision (:func:`first_runs`), from that run's
    ``review.jsonl`` / ``sample.jsonl``. ``renamed``: ``[project] renamed`` (a run made
    before a rename named the label by its old name)."""
    out = not_known(len(ids), len(labels))
    position = {item_id: i for i, item_id in enumerate(ids)}
    wanted = {ids[int(i)] for i in np.flatnonzero(reviewed)}
    by_run: dict[str, set[str]] = {}
    for item_id, run_id in first_runs(decisions, wanted).items():
        by_run.setdefault(run_id, set()).add(item_id)
    index = _label_index(labels, renamed or {})
    for run_id, items in sorted(by_run.items()):
        for record in run_exported_records(Path(runs_dir) / run_id, items):
            i = position[str(record["id"])]
            read = _record_row(record, index, len(labels))
            if read is not None and out.label[i] == NOT_KNOWN:
                out.label[i], out.probs[i] = read
                votes = _vote_signals(record)
                if votes is not None:
                    out.votes["no_vote"][i], out.votes["conflict"][i] = votes
    return out
