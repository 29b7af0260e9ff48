"""Whether a run exported the item a row names: its review queue (``review.jsonl``) or its
random sample (``sample.jsonl``) holds it. Every export a run makes is drawn from those two
files, so an item in neither was never shown to a reviewer from that run.

An import says so of the decisions it adds on such items (a record copied in the tool and
given another item's id, say), and files them with no export rather than the ``queue`` the
file marks: the queue never held them. ``review stats`` counts a decision of no export with
the queue's, none of a random sample's, which is true of them. A row of an item the data
lacks is told apart by it too: deleted from the data since its run exported it, or never
exported by that run (a mistyped id).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from labelwright.counts import counted, some_of
from labelwright.review.imports.records import Row
from labelwright.review.imports.shown_text import exported_ids
from labelwright.runs.file_names import QUEUE_JSONL, SAMPLE_JSONL


@dataclass(frozen=True)
class RunExports:
    """Of the items an import's rows name, those a run's queue and random sample hold (None:
    the run has no such file)."""

    queue: frozenset[str] | None
    sample: frozenset[str] | None

    def holds(self, item_id: str) -> bool:
        return item_id in (self.queue or ()) or item_id in (self.sample or ())


def _held(path: Path, wanted: set[str]) -> frozenset[str] | None:
    found = exported_ids(path, wanted)  # None when the file cannot be opened
    return None if found is None else frozenset(found)


def exports_reader(runs_dir: Path, rows: Sequence[Row]
                   ) -> Callable[[str], RunExports | None]:
    """``exports(run_id)``: :class:`RunExports` of the items ``rows`` name from that run,
    None when the run has neither file (pruned, or its folder gone); each run's files are
    read once."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.run_id and row.item_id:
            wanted.setdefault(row.run_id, set()).add(row.item_id)
    cache: dict[str, RunExports | None] = {}

    def exports(run_id: str) -> RunExports | None:
        if run_id not in cache:
            ids = wanted.get(run_id, set())
            queue = _held(runs_dir / run_id / QUEUE_JSONL, ids)
            sample = _held(runs_dir / run_id / SAMPLE_JSONL, ids)
            cache[run_id] = None if queue is None and sample is None else RunExports(
                queue, sample)
        return cache[run_id]

    return exports


def exported_it(exports: Callable[[str], RunExports | None]
                ) -> Callable[[str, str], bool | None]:
    """``exported(run_id, item_id)``: whether the run's queue or random sample holds the
    item; None when that cannot be told."""
    def exported(run_id: str, item_id: str) -> bool | None:
        held = exports(run_id)
        return None if held is None else held.holds(item_id)

    return exported


def not_exported(rows: Sequence[Row], exports: Callable[[str], RunExports | None]
                 ) -> list[Row]:
    """The rows (decisions) on items their run did not export: marked as from its queue
    (or marked as from neither export) while neither its queue nor its random sample holds
    them. (One marked as from the sample, and not in it, is a bad row already.)"""
    found = []
    for row in rows:
        if not row.run_id or not row.item_id or row.export == "sample":
            continue
        held = exports(row.run_id)
        if held is not None and not held.holds(row.item_id):
            found.append(row)
    return found


def not_exported_warnings(items: Mapping[str, Sequence[str]]) -> list[str]:
    """What the import says of :func:`not_exported`, per run (``{run id: item ids}``)."""
    out = []
    for run_id, ids in items.items():
        one = len(ids) == 1
        them, are = ("it", "it is") if one else ("them", "they are")
        out.append(
            f"{counted(len(ids), 'decision')} on {'an item' if one else 'items'} run {run_id} "
            f"did not export: {some_of(list(ids))} (neither its review queue nor its random "
            f"sample holds {them}: a record copied in the tool and given another item's id, "
            f"or a row of another run?); imported, filed as from neither export rather than "
            f"the queue, which never held {them} (review stats count {them} with the queue's "
            f"reviews, as {are} no random sample's); check the ids: `labelwright review "
            "retire --item ID --rater NAME` withdraws a decision filed on the wrong item")
    return out


def sample_only(rows: Sequence[Row], exports: Callable[[str], RunExports | None]
                ) -> dict[int, Row]:
    """The rows (by ``id(row)``) that name no export (a sheet of ``id``, ``run_id``,
    ``review_label`` made by hand, or from ``result.review_queue(sample=True)`` without its
    ``export`` column) on an item their run's random sample holds and its queue does not:
    such a decision can only come from the sample, and is filed as from it. Filed as from
    neither, the random sample's reviews were read as queue picks, and ``auto`` never chose
    or calibrated with them."""
    found = {}
    for row in rows:
        if row.export or not row.run_id or not row.item_id:
            continue
        held = exports(row.run_id)
        if held is not None and row.item_id in (held.sample or ()) \
                and row.item_id not in (held.queue or ()):
            found[id(row)] = row
    return found


def sample_only_notes(rows: Mapping[int, Row]) -> list[str]:
    """What the import says of :func:`sample_only`, per run."""
    by_run: dict[str, list[str]] = {}
    for row in rows.values():
        by_run.setdefault(str(row.run_id), []).append(str(row.item_id))
    return [f"{counted(len(ids), 'decision')} named no export (the file has no export "
            f"column, or it is empty) on items of run {run_id}'s random sample that its queue "
            f"does not hold: filed as from its random sample, the one export that held them"
            for run_id, ids in by_run.items()]
