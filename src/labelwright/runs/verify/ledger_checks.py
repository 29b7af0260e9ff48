"""``runs verify``'s reading of the review ledger beside a run: which decisions changed since
the run read them, and the runs those decisions were exported from that are gone. The
erasures that took raters' notes out of the ledger are read with the record of erasures
(:func:`~labelwright.runs.erase.records.ledger_erasures`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from labelwright.counts import counted, some_of

# read from the erasure log beside it; the earlier path still imports
from labelwright.runs.erase.records import ledger_erasures as ledger_erasures
from labelwright.runs.pruned import read_pruned
from labelwright.runs.store import MANIFEST, RUN_ID
from labelwright.runs.verify.run_check import Finding

#: changed decisions a ledger problem names
SHOWN_DECISIONS = 5


def changed_decisions_clause(run_dir: Path, manifest: dict[str, Any], read: Sequence[Any],
                             ledger: Path | None = None) -> str:
    """Which decisions changed, as far as the run's ``reviews.json`` (each rater's latest
    decision per item, as the run used them) tells
    (:func:`~labelwright.runs.changed_decisions.changed_decisions`, which ``explain`` asks
    too). "" without a ``reviews.json``; a remark when it names none (the change is in a
    decision that was no rater's latest, or in another field than the label)."""
    changed = _changed(run_dir, manifest, read, ledger)
    if changed is None:
        return ""
    if not changed:
        unlike = import_mismatches(ledger, read) if ledger is not None else []
        return ("; the run's reviews.json (each rater's latest decision per item) still "
                "matches them: the change is in an earlier decision or another field"
                + (f"; against the ledger's record of imports: "
                   f"{some_of(unlike, SHOWN_DECISIONS)}" if unlike else ""))
    return "; by the run's reviews.json: " + some_of([str(c) for c in changed],
                                                      SHOWN_DECISIONS)


def import_mismatches(ledger: Path, read: Sequence[Any]) -> list[str]:
    """A line per decision of ``read`` whose import fields the ledger's record of its
    file's import (``imports``: the first import of each file by each reviewer) contradicts:
    imported before that import, or, imported with it, from another file path. An edit of
    those fields leaves every label as reviews.json has it, and the digest alone said that
    something changed, not which decision."""
    from labelwright.review.decisions.ledger_reading import import_records

    records = import_records(ledger)
    lines = []
    for d in read:
        record = records.get((d.source_sha256, d.reviewer))
        if record is None:
            lines.append(f"item {d.item_id!r} by {d.rater} ({d.source_row}): its file "
                         f"(sha256 {d.source_sha256[:12]}, by {d.reviewer}) has no import "
                         "record")
            continue
        path, when = record
        if d.imported_at < when:
            lines.append(f"item {d.item_id!r} by {d.rater} ({d.source_row}): imported_at "
                         f"{d.imported_at}, before its file's import on {when}")
        elif d.imported_at == when and d.source_file != path:
            lines.append(f"item {d.item_id!r} by {d.rater} ({d.source_row}): source_file "
                         f"{d.source_file}, where its import recorded {path}")
    return lines


def gone_runs(run_dir: Path, manifest: dict[str, Any], read: Sequence[Any],
              ledger: Path) -> list[Finding]:
    """Runs this run builds on whose folders are gone from the runs folder: the runs the
    review decisions it used (``read``: those it read, the retired ones aside) were exported
    from, and the runs its manifest
    names (``reviews.random_samples``, ``reviews.set_aside_other_text``), those named like
    a run id. Deleting one leaves its review files and random sample unaccounted for, and
    nothing else says so. Each finding's ``run_id`` is the run gone; one ``runs prune``
    removed (:func:`~labelwright.runs.pruned.read_pruned`) is said to be pruned, when and
    by what, and :func:`~labelwright.runs.verify.one_run.verify_run` makes it a note, not a
    problem."""
    runs_dir = run_dir.parent
    pruned = read_pruned(runs_dir)

    def where(run_id: str) -> str:
        record = pruned.get(run_id)
        return (f"whose folder {runs_dir / run_id} is gone" if record is None
                else f"which was {record.describe()}")

    def gone(run_id: Any) -> bool:
        # a name not like a run id (a file reviewed outside any run) has no folder to check
        return (isinstance(run_id, str) and bool(RUN_ID.fullmatch(run_id))
                and not (runs_dir / run_id).is_dir())
    findings = []
    exported: dict[str, int] = {}
    for decision in read:
        if gone(decision.run_id):
            exported[decision.run_id] = exported.get(decision.run_id, 0) + 1
    for run_id, n in sorted(exported.items()):
        findings.append(Finding(str(ledger), f"{counted(n, 'decision')} of the {len(read)} "
                                f"the run used {'was' if n == 1 else 'were'} exported from "
                                f"run {run_id}, {where(run_id)}", run_id))
    reviews = manifest.get("reviews") or {}
    for key in ("random_samples", "set_aside_other_text"):
        named = sorted({str(r["run_id"]) for r in reviews.get(key) or []
                        if isinstance(r, dict) and gone(r.get("run_id"))})
        findings += [Finding(MANIFEST, f"reviews.{key} names run {run_id}, {where(run_id)}",
                             run_id) for run_id in named]
    return findings


def reviews_file_clause(run_dir: Path, manifest: dict[str, Any], read: Sequence[Any],
                        ledger: Path) -> str:
    """For a run's ``reviews.json`` changed since the run wrote it while the ledger still
    holds the decisions the run read (``read``, found unchanged by their digest): its
    records that those decisions do not give, each named (``item 'm03725' by bob: 'ham'
    in it, 'spam' by the ledger``), or that none is ("" when it cannot be read). A changed
    reviews.json said only its two hashes, though the ledger tells what the run read."""
    changed = _changed(run_dir, manifest, read, ledger)
    if changed is None:
        return ""
    tail = f"the {len(read)} ledger decisions the run read (unchanged)"
    if not changed:
        return (f"; each of its records is what {tail} give: a record was added, removed "
                "or moved, or the file's layout changed")
    lines = [f"item {c.item!r} by {c.rater}: {c.field} {c.then!r} in it, "
             + (f"{c.now!r}" if c.now is not None else "none") + " by the ledger"
             for c in changed]
    return f"; against {tail}: " + some_of(lines, SHOWN_DECISIONS)


def _changed(run_dir: Path, manifest: dict[str, Any], read: Sequence[Any],
             ledger: Path | None) -> list[Any] | None:
    """:func:`~labelwright.runs.changed_decisions.changed_decisions`, a rater ``erase
    --rater`` renamed in ``ledger`` since the run set against their pseudonym."""
    from labelwright.review.decisions.rater_erasures import pseudonyms
    from labelwright.runs.changed_decisions import changed_decisions

    return changed_decisions(run_dir, manifest, read, pseudonyms=pseudonyms(ledger)
                             if ledger is not None else ())
