"""What a run's ``reviews.json`` records of the reviews it read: each rater's latest
decision per item, with the export it answered and how much of the text its rater saw
(the report's reviewer agreement and ``runs verify`` read it back)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence

from labelwright.review.decisions import ledger


def note_sha256(note: str | None) -> str | None:
    """The sha256 of a rater's note as ``reviews.json`` records it (None: no note): the
    note's hash, not its text, so that no copy of it outlives an erasure of the ledger's."""
    return None if note is None else hashlib.sha256(note.encode("utf-8")).hexdigest()


def reviewed_decisions(decisions: Sequence[ledger.Decision], ids: Collection[str]
                       ) -> list[dict[str, str | bool | int | None]]:
    """Each rater's latest decision on the items in ``ids``, for a run's ``reviews.json``:
    with the run it was exported from (whose label a reviewer shown it saw), the export, and
    whether the reviewer decided blind (``true``), was shown the label (``false``) or the
    ledger does not know (``null``); a decision made on a cut text also has ``shown_chars``
    and ``text_chars`` (how many characters of how many its reviewer saw). ``decided_at``
    and ``note_sha256`` (:func:`note_sha256`) let ``runs verify`` name a decision whose
    time or note was edited in the ledger since, which its label alone did not tell.
    ``decisions``: the ones the run used (:attr:`ReviewedLabels.decisions`), so that a
    review made on another text is not compared with the label of this one."""
    return [
        {"id": item_id, "reviewer": rater, "label": d.label, "run_id": d.run_id,
         "export": d.export, "blind": d.blind, "decided_at": d.decided_at,
         "note_sha256": note_sha256(d.note),
         **({"shown_chars": d.shown_chars, "text_chars": d.text_chars}
            if d.shown_chars is not None else {})}
        for item_id, by_rater in ledger.latest_decisions(decisions).items()
        if item_id in ids
        for rater, d in sorted(by_rater.items())
    ]
