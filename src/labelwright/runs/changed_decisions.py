"""Which review decisions a run read are another now, by the run's ``reviews.json``.

The manifest's ledger digest tells that the ledger's first decisions (those the run read)
changed, not which. The run's ``reviews.json`` records each rater's latest decision per
item as the run used it: set against the ledger's first decisions now, it names the
decisions edited since. ``runs verify`` names them under the ledger's problem, and
``explain`` those of the item it shows, from this one function, so both say the same.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.runs.file_names import REVIEWS_FILE


@dataclass(frozen=True)
class ChangedDecision:
    """A rater's latest decision on an item as the run read it (``then``) and as the
    ledger's first decisions give it now (``now``; None: none)."""

    item: str
    rater: str
    then: Any
    now: str | None
    #: the raters the ledger's first decisions now give the item's decision to whom the
    #: run's reviews.json gives none on it (a rater renamed in the ledger), with their labels
    holders: tuple[tuple[str, str], ...] = ()
    #: the field of the decision that differs: ``label``, or, the label the same, another
    #: reviews.json records (``run_id``, ``export``, ``blind``, ``decided_at``, or
    #: ``note``, whose hashes ``then`` and ``now`` are: the note's text is not repeated)
    field: str = "label"

    def __str__(self) -> str:
        if self.field == "note":
            return (f"item {self.item!r} by {self.rater}: note edited (when the run read "
                    f"it: {_note(self.then)}; now: {_note(self.now)})")
        later = f"now {self.now!r}" if self.now is not None else "now none"
        held = "; ".join(f"{label!r} by {rater}" for rater, label in self.holders)
        field = "" if self.field == "label" else f"{self.field} "
        return (f"item {self.item!r} by {self.rater}: {field}{self.then!r} when the run read "
                f"it, {later}" + (f" (the ledger now holds {held} on it, a rater the run did "
                                  "not read there: renamed?)" if held else ""))


#: the fields of a decision reviews.json records beside its label, compared when the
#: label is the same (a record without one, from an older run, is not compared on it)
OTHER_FIELDS = ("run_id", "export", "blind", "decided_at")


def _note(sha256: Any) -> str:
    return "no note" if sha256 is None else f"a note with sha256 {str(sha256)[:12]}"


def _note_change(record: dict[str, Any], decision: Any) -> list[tuple[str, Any, Any]]:
    """``[("note", then, now)]`` when the note's sha256 reviews.json records is not the
    ledger's note's now; none for a record without one (an older run) or a note an
    erasure took out (``labelwright erase``: its own record accounts for it)."""
    from labelwright.erased_marker import MARKER
    from labelwright.review.feedback.reviews_record import note_sha256

    if "note_sha256" not in record:
        return []
    note = getattr(decision, "note", None)
    if note == MARKER:
        return []
    now = note_sha256(note)
    return [("note", record["note_sha256"], now)] if now != record["note_sha256"] else []


def _erased_names(then: Collection[tuple[str, str]], now: Collection[tuple[str, str]],
                  pseudonyms: Collection[str]) -> dict[str, str]:
    """``{name: pseudonym}`` for each rater the run's reviews.json names (``then``: its
    ``(item, rater)`` keys) whom the ledger's decisions (``now``) no longer name, when on
    each item of theirs one and the same of ``pseudonyms`` (``erase --rater``'s, on record
    in the ledger) holds a decision the reviews.json gives no one else of that name: the
    rater erased, not a record the ledger no longer gives."""
    if not pseudonyms:
        return {}
    held: dict[str, set[str]] = {}
    for item, rater in now:
        if rater in pseudonyms and (item, rater) not in then:
            held.setdefault(item, set()).add(rater)
    found: dict[str, set[str] | None] = {}
    for item, rater in then:
        if rater in pseudonyms or (item, rater) in now:
            found[rater] = None  # a name the ledger still gives: not one erased
        elif (kept := found.get(rater, set(pseudonyms))) is not None:
            found[rater] = kept & held.get(item, set())
    return {name: next(iter(p)) for name, p in found.items() if p is not None and len(p) == 1}


def changed_decisions(run_dir: Path, manifest: dict[str, Any], read: Sequence[Any], *,
                      pseudonyms: Collection[str] = ()) -> list[ChangedDecision] | None:
    """Each record of the run's ``reviews.json`` (each rater's latest decision per item, as
    the run used them, named as the run counted the raters) that the ledger's first
    decisions now (``read``: as many as the run read) give another label for, or none at
    all; None without a ``reviews.json`` that can be read. ``pseudonyms``: the names
    ``erase --rater`` gave raters in the ledger
    (:func:`~labelwright.review.decisions.rater_erasures.pseudonyms`): a record of a rater
    erased since is set against the pseudonym's decision, and named by the pseudonym."""
    from labelwright.review.decisions.decision_times import latest_decisions, recorded_order

    try:
        records = json.loads((run_dir / REVIEWS_FILE).read_text(encoding="utf-8"))["reviews"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    same = (manifest.get("reviews") or {}).get("same_rater") or {}
    now: dict[tuple[str, str], str] = {}
    held: dict[tuple[str, str], Any] = {}
    # in the order the run took them (one from before went by the tool's time alone)
    for item, by_rater in latest_decisions(list(read), capped=recorded_order(
            manifest.get("reviews"))).items():
        for rater, decision in by_rater.items():
            now[(item, same.get(rater, rater))] = decision.label
            held[(item, same.get(rater, rater))] = decision
    records = [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []
    then = {(str(r.get("id")), str(r.get("reviewer"))) for r in records}
    erased = _erased_names(then, now, pseudonyms)
    then = {(item, erased.get(rater, rater)) for item, rater in then}
    changed = []
    for record in records:
        rater = str(record.get("reviewer"))
        key = (str(record.get("id")), erased.get(rater, rater))
        if now.get(key) != record.get("label"):
            holders = () if key in now else tuple(
                (rater, label) for (item, rater), label in sorted(now.items())
                if item == key[0] and (item, rater) not in then)
            changed.append(ChangedDecision(key[0], key[1], record.get("label"), now.get(key),
                                           holders))
        elif key in held:
            changed += [ChangedDecision(key[0], key[1], record[f], getattr(held[key], f),
                                        field=f)
                        for f in OTHER_FIELDS
                        if f in record and record[f] != getattr(held[key], f, None)]
            changed += [ChangedDecision(key[0], key[1], then, now, field=f)
                        for f, then, now in _note_change(record, held[key])]
    return changed
