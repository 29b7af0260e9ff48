"""Copies whose label rests on one reviewer's decision against all other evidence.

Under ``[review] copies = "one"`` a reviewed text's label carries to its copies
(:mod:`~labelwright.review.feedback.copy_reviews`). When that label rests on a **lone decision** —
every reviewed item of the text was decided by one rater, who is not one of ``[review]
adjudicators`` — and the decision goes against the label model's label and every LF vote
on the item (some LF voted, none for it), one slip labels every copy: a report of abuse
("Reporting user jake for saying "kill yourself" to me") marked ``self_harm`` by one
reviewer took 247 copies with it, all ``reviewed``, none back in the queue.

A team that answers for its labels asks a second pair of eyes before one person's word
against the rules labels many items. So the copies still take the decision (it is a
human's, and may be the one thing the rules miss), but they are not ``reviewed``: they
stay in the queue with the reason ``second_opinion`` (one item per text, as every text),
and a run and ``review import`` say which decision it is, how many copies it reaches and
who made it. A second reviewer's decision on a copy ends the wait: the same label and the
text has two raters; another label and the text's reviewed items disagree, which the
review policy or an adjudicator settles (``copies_disagree``). An adjudicator's decision
is final and waits for no one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from labelwright.copies import find_copies
from labelwright.counts import some_of
from labelwright.review.decisions.decision_times import latest_decisions
from labelwright.review.decisions.ledger import Decision
from labelwright.triage.core import Triage
from labelwright.triage.reasons import REVIEW

#: the reason of a copy waiting for a second reviewer (:data:`labelwright.triage.reasons.REASONS`)
SECOND_OPINION = "second_opinion"


@dataclass(frozen=True)
class LoneDecision:
    """A reviewed item whose label its copies took on one rater's word against the model
    and every LF vote: its id, how many copies took the label, the rater, the label, the
    model's label (None: none) and the labels the LFs voted for."""

    item: str
    copies: int
    rater: str
    label: str
    model_label: str | None
    voted: tuple[str, ...]

    def words(self) -> str:
        """``'p25570' (247 copies, alice: self_harm; model: ok; LFs: ok, harassment)``."""
        return (f"{self.item!r} ({self.copies:,} cop{'y' if self.copies == 1 else 'ies'}, "
                f"{self.rater}: {self.label}; model: {self.model_label or '(none)'}; "
                f"LFs: {', '.join(self.voted)})")


def against_evidence(label: int, model_label: int, votes: np.ndarray) -> bool:
    """Whether ``label`` (a reviewed one) goes against the model's ``model_label`` and every
    LF vote in ``votes`` (one item's row, -1 abstain): some LF voted, none for it."""
    voted = votes[votes >= 0]
    return label != model_label and voted.size > 0 and not (voted == label).any()


def lone_rater(raters: Collection[str], adjudicators: Collection[str]) -> str | None:
    """The one rater behind a text's reviewed items, when there is one and it is not an
    adjudicator (whose decision is final); else None."""
    return next(iter(raters)) if len(raters) == 1 and not set(raters) & set(adjudicators) \
        else None


def lone_decisions(copy_of: Sequence[str | None], gold: np.ndarray,
                   reviewers: Sequence[Sequence[str]], group: np.ndarray,
                   adjudicators: Collection[str], model_label: np.ndarray,
                   votes: np.ndarray, ids: Sequence[str], labels: Sequence[str]
                   ) -> list[LoneDecision]:
    """The reviewed items whose label their copies took (``copy_of``: per item, the
    reviewed item's id) on a lone decision against the model and every vote (module
    docstring), most copies first. ``gold`` is each item's reviewed label before copies
    took one, ``reviewers`` its raters, ``group`` its text (:class:`~labelwright.copies.
    Copies`), ``model_label`` the label model's label."""
    taken = Counter(c for c in copy_of if c is not None)
    if not taken:
        return []
    position = {str(ids[i]): i for i in np.flatnonzero(gold >= 0).tolist()}
    raters_of_text: dict[int, set[str]] = {}
    for k in position.values():
        if group[k] >= 0:
            raters_of_text.setdefault(int(group[k]), set()).update(reviewers[k])
    out = []
    for item, n in taken.items():
        i = position.get(item)
        if i is None or group[i] < 0:
            continue
        rater = lone_rater(raters_of_text[int(group[i])], adjudicators)
        if rater is None or not against_evidence(int(gold[i]), int(model_label[i]), votes[i]):
            continue
        voted = sorted({int(v) for v in votes[i] if v >= 0})
        out.append(LoneDecision(item, n, rater, labels[int(gold[i])],
                                labels[int(model_label[i])] if model_label[i] >= 0 else None,
                                tuple(labels[v] for v in voted)))
    return sorted(out, key=lambda d: (-d.copies, d.item))


def waiting_copies(copy_of: Sequence[str | None], lone: Sequence[LoneDecision]) -> np.ndarray:
    """Per item, whether it took its label from one of the ``lone`` decisions."""
    items = {d.item for d in lone}
    return np.array([c is not None and c in items for c in copy_of], dtype=bool)


def await_second_opinion(tri: Triage, waiting: np.ndarray) -> Triage:
    """``tri`` (reviews applied) with the ``waiting`` copies back in review with the reason
    ``second_opinion``, first in the queue (they keep the label they took)."""
    waiting = np.asarray(waiting, dtype=bool)
    if not waiting.any():
        return tri
    status = np.where(waiting, REVIEW, tri.status)
    reasons = [(SECOND_OPINION,) if w else r for w, r in zip(waiting.tolist(), tri.reasons)]
    first = np.flatnonzero(waiting)
    order = np.concatenate([first, tri.order[~waiting[tri.order]]])
    return replace(tri, status=status, reasons=reasons, order=order)


def second_opinion_warning(lone: Sequence[LoneDecision]) -> list[str]:
    """What a run says of the lone decisions its copies took: which item, how many copies,
    who, and how to get a second opinion."""
    if not lone:
        return []
    copies = sum(d.copies for d in lone)
    return [f"{len(lone)} reviewed text(s) carry to {copies:,} copies a label that rests on "
            "one reviewer's decision against the label model and every LF vote: "
            f"{some_of([d.words() for d in lone])}; the copies wait in the review queue "
            f"(reason {SECOND_OPINION}, one item per text) for a second reviewer: `labelwright "
            f"review export --reason {SECOND_OPINION}` for someone other than "
            f"{', '.join(sorted({d.rater for d in lone}))} (the same label confirms it; "
            "another puts the text to the review policy, and an adjudicator's decision "
            "settles it)"]


def imported_lone_decisions(added: Sequence[Decision], before: Sequence[Decision], *,
                            ids: Sequence[str], texts: Sequence[str | None],
                            adjudicators: Collection[str], runs_dir: Path
                            ) -> list[tuple[LoneDecision, str]]:
    """Of the decisions an import ``added`` (the ledger held ``before``), those the next run
    carries to copies of their text on one rater's word against the label model and every
    LF vote of the run the decision was exported from, with that run's id: what
    ``review import`` warns of before a run spreads them. A run whose labels or label
    matrix are gone is not read (the next run still warns)."""
    copies = find_copies(texts)
    position = {str(item): i for i, item in enumerate(ids)}
    latest = latest_decisions(list(added))
    shared = {item: int(copies.group[position[item]]) for item in latest
              if item in position and copies.group[position[item]] >= 0
              and copies.size[copies.group[position[item]]] > 1}
    if not shared:
        return []
    raters: dict[int, set[str]] = {}
    wanted = set(shared.values())
    for d in [*before, *added]:
        i = position.get(d.item_id)
        if i is not None and int(copies.group[i]) in wanted:
            raters.setdefault(int(copies.group[i]), set()).add(d.rater)
    lone = {}  # item -> its lone rater's latest decision
    for item, g in shared.items():
        rater = lone_rater(raters[g], adjudicators)
        if rater is not None and rater in latest[item]:
            lone[item] = latest[item][rater]
    out = []
    for run_id in sorted({d.run_id for d in lone.values()}):
        mine = [item for item, d in lone.items() if d.run_id == run_id]
        for item, (labels, model_label, votes) in _run_evidence(runs_dir, run_id,
                                                                 mine).items():
            d, g = lone[item], shared[item]
            if d.label not in labels or not against_evidence(
                    labels.index(d.label), labels.index(model_label)
                    if model_label in labels else -1, votes):
                continue
            voted = sorted({int(v) for v in votes if v >= 0})
            out.append((LoneDecision(item, int(copies.size[g]) - 1, d.rater, d.label,
                                     model_label, tuple(labels[v] for v in voted)), run_id))
    return sorted(out, key=lambda pair: (-pair[0].copies, pair[0].item))


def _run_evidence(runs_dir: Path, run_id: str, items: Sequence[str]
                  ) -> dict[str, tuple[list[str], str | None, np.ndarray]]:
    """Per item of ``items`` the run ``run_id`` holds: its labels, its label model's label
    of the item (None: none) and the item's row of its label matrix, each file read once;
    {} when the run's files are gone."""
    import pandas as pd

    from labelwright.runs.file_names import LABELS_FILE, MATRIX_FILE
    from labelwright.runs.label_set import recorded_labels

    folder = runs_dir / run_id
    labels = recorded_labels(folder) if run_id else None
    if labels is None:
        return {}
    wanted = [("id", "in", list(items))]
    try:
        frame = pd.read_parquet(folder / LABELS_FILE, columns=["id", "model_label"],
                                filters=wanted).set_index("id")
        matrix = pd.read_parquet(folder / MATRIX_FILE, filters=wanted).set_index("id")
    except (OSError, ValueError, KeyError):
        return {}
    out = {}
    for item in set(frame.index) & set(matrix.index):
        model_label = frame.at[item, "model_label"]
        out[str(item)] = (list(labels), None if pd.isna(model_label) else str(model_label),
                          matrix.loc[item].to_numpy(dtype=np.int64))
    return out


def import_warning(found: Sequence[tuple[LoneDecision, str]]) -> list[str]:
    """What ``review import`` says of :func:`imported_lone_decisions`: the item, the label
    and its rater, what the run's model and LFs said, how many copies the next run carries
    it to, and how to get a second opinion."""
    if not found:
        return []
    said = [f"{lone.words()} from run {run_id}" for lone, run_id in found]
    raters = ", ".join(sorted({lone.rater for lone, _ in found}))
    return [f"{len(found)} decision(s) are the only ones on their text, by one reviewer, and "
            "go against the label model and every LF vote of the run they were exported "
            f"from: {some_of(said)}; the next run carries each to the copies counted (the "
            f"other items with its text), which then wait in the review queue (reason "
            f"{SECOND_OPINION}) for a second reviewer: after that run, `labelwright review "
            f"export --reason {SECOND_OPINION}` for someone other than {raters}, or an "
            "adjudicator's decision on the item"]
