"""Copies whose reviewed item left the data (:mod:`labelwright.review.feedback.copy_reviews`).

A copy takes the label of a reviewed item with its text, and ``copy_of`` names that item.
When the reviewed item's row is deleted from the data, its review no longer carries: a label
must come from an item the data holds, which ``explain`` can show and an auditor can open
(the row may have been deleted on purpose, its decision with it). Its copies then fall back
to the model's label and go to review with the reason ``stale`` (one of them queued, as
for every text), and the run says so, naming the item, its text and how many items lost
the label (each item once, however many deleted reviewed items held its text), so that one
of them is reviewed again. Only a deleted item whose decisions settle a label under the
review policy (:func:`~labelwright.review.feedback.settlement.settle`) counts: a tie, a disagreement
awaiting adjudication or a removed label gave its copies nothing to lose. The text the
reviewer saw comes from the exporting run's ``review.jsonl`` / ``sample.jsonl``; a reviewed
item whose text no run's records hold cannot be matched to copies, and the run says how
many those are.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from labelwright.copies import Copies, same_text_key
from labelwright.counts import some_of
from labelwright.review.decisions import ledger
from labelwright.review.imports.shown_text import run_exported_records

if TYPE_CHECKING:
    from labelwright.review.feedback.copy_reviews import CopyUse
    from labelwright.review.feedback.gold import ReviewedLabels


@dataclass(frozen=True)
class LostCopies:
    """Copies that lost the label of a reviewed item no longer in the data: per text, the
    gone reviewed ``items`` that held it, the ``text`` and how many items with it now have
    no reviewed label (``lost``); and how many gone reviewed items' texts no run's records
    hold."""

    texts: list[tuple[list[str], str, int]]
    text_unknown: int = 0
    #: per item of the data: it lost its label so (None: none did)
    mask: np.ndarray | None = None

    @property
    def lost(self) -> int:
        """How many items lost a label, each once."""
        return sum(n for _, _, n in self.texts)

    @property
    def items(self) -> list[str]:
        """The gone reviewed items whose copies lost their label."""
        return [item for items, _, _ in self.texts for item in items]


def gone_texts(decisions: Sequence[ledger.Decision], gone: Collection[str], runs_dir: Path
               ) -> dict[str, str | None]:
    """The text each reviewed item in ``gone`` (no longer in the data) was shown with, from
    the runs its ``decisions`` were exported from (None: no run folder holds it)."""
    wanted: dict[str, set[str]] = {}
    for d in decisions:
        if d.item_id in gone:
            wanted.setdefault(d.run_id, set()).add(d.item_id)
    out: dict[str, str | None] = dict.fromkeys(gone)
    for run_id, items in sorted(wanted.items()):
        for record in run_exported_records(Path(runs_dir) / run_id, items):
            if out.get(str(record["id"])) is None and isinstance(record.get("text"), str):
                out[str(record["id"])] = record["text"]
    return out


def lost_copies(shown: dict[str, str | None], copies: Copies, known: np.ndarray,
                reviewers: Sequence[Sequence[str]]) -> LostCopies:
    """:class:`LostCopies` from the gone items' texts (``shown``, :func:`gone_texts`) and the
    data's texts as ``copies`` grouped them (:func:`~labelwright.copies.find_copies`): an
    item with one of them, no decision of its own and no reviewed label (``known`` -1, as a
    run gives them after carrying) lost its label with the gone item(s)."""
    keys = {item: same_text_key(text) for item, text in shown.items() if text is not None}
    unknown = sum(t is None for t in shown.values())
    group_of = {key: g for g, key in enumerate(copies.keys)}
    wanted = {group_of[key] for key in keys.values() if key in group_of}
    if not wanted:
        return LostCopies([], text_unknown=unknown)
    unreviewed = np.array([not raters for raters in reviewers], dtype=bool)
    mask = np.isin(copies.group, list(wanted)) & (np.asarray(known) < 0) & unreviewed
    counts = np.bincount(copies.group[mask], minlength=len(copies.keys))
    waiting = {key: int(counts[g]) for key, g in group_of.items() if g in wanted}
    by_text: dict[str, list[str]] = {}
    for item, key in sorted(keys.items()):
        if key is not None and waiting.get(key):
            by_text.setdefault(key, []).append(item)
    lost = [(items, str(shown[items[0]]), waiting[key]) for key, items in by_text.items()]
    return LostCopies(lost, text_unknown=unknown, mask=mask)


def lost_to_deletion(reviewed: ReviewedLabels, copies: CopyUse, runs_dir: Path
                     ) -> LostCopies:
    """The copies that lost the label of a reviewed item no longer in the data, as a run and
    its recompute find them (none when the run carries nothing, ``[review] copies =
    "all"``, or every reviewed item is in the data); sets ``copies.lost``. Only gone items
    whose decisions settle a label (``reviewed.unknown_settled``) count."""
    gone = set(reviewed.unknown_settled)
    if copies.carried is None or not gone:
        return LostCopies([])
    lost = lost_copies(gone_texts(reviewed.decisions, gone, runs_dir), copies.copies,
                       copies.known(reviewed.gold), reviewed.reviewers)
    copies.lost = lost.lost
    return lost


def stale_items(reviewed: ReviewedLabels, lost: LostCopies) -> np.ndarray | None:
    """Triage's ``stale``: reviewed items whose decisions settle no label now
    (``reviewed.stale_reviewed``), and copies that lost their reviewed item's label."""
    if lost.mask is None:
        return reviewed.stale_reviewed
    if reviewed.stale_reviewed is None:
        return lost.mask
    return reviewed.stale_reviewed | lost.mask


def lost_copies_warning(lost: LostCopies) -> list[str]:
    """What a run says of copies that lost their reviewed item's label (nothing when none
    did)."""
    if not lost.texts:
        return []
    named = [f"{', '.join(map(repr, items))} ({n:,} item{'s' * (n != 1)} with "
             f"{'its' if len(items) == 1 else 'their'} text {_short(text)!r})"
             for items, text, n in lost.texts]
    unknown = (f"; {lost.text_unknown} more reviewed item(s) no longer in the data: no "
               "run's records hold their text, so their copies cannot be told"
               if lost.text_unknown else "")
    return [f"{len(lost.items)} reviewed item(s) are no longer in the data, and their "
            f"reviews no longer carry to the {lost.lost:,} item(s) with their text, which "
            f"take the model's label until one of them is reviewed: {some_of(named)}"
            f"{unknown}"]


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"
