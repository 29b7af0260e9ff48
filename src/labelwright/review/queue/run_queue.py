"""A run's review queue and random sample as exports read them: ``review.jsonl`` and
``sample.jsonl``, one record per line, in queue (or draw) order.

An export reads the file once (:func:`read_run_queue`): a 170k-item queue is 100 MB, so
it is hashed, to check it against the run's manifest, as its records are parsed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import RunError
from labelwright.runs.erase.records import ErasureLog, erased_items
from labelwright.runs.erase.run_accounts import erased_output
from labelwright.runs.file_names import QUEUE_JSONL, SAMPLE_JSONL
from labelwright.runs.store import changed_output, hash_changed, read_manifest

if TYPE_CHECKING:
    import pandas as pd


def read_review(run_dir: Path, *, sample: bool = False) -> list[dict[str, Any]]:
    """The review queue a run wrote (``review.jsonl``), in queue order; with ``sample``, its
    random sample (``sample.jsonl``, written when ``[triage] random_sample`` > 0)."""
    path = run_dir / (SAMPLE_JSONL if sample else QUEUE_JSONL)
    if sample and not path.exists():
        asked = _sample_setting(run_dir)
        if asked:  # every item was reviewed or has gold: none left to draw from
            raise RunError(f"{path.parent}: this run drew no random sample although [triage] "
                           f"random_sample = {asked}: {no_sample_reason(run_dir)}")
        raise RunError(f"{path.parent}: this run drew no random sample; set [triage] "
                       f"random_sample = N (items) in labelwright.toml and run again")
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except (OSError, json.JSONDecodeError) as exc:
        raise RunError(f"{path}: cannot read the review queue: {exc}") from None


def no_sample_reason(run_dir: Path) -> str:
    """Why a run that asked for a random sample drew none, as its manifest records it: a
    sample is drawn from the items with neither a review nor a gold label (held out to
    measure the run)."""
    try:
        triage = read_manifest(run_dir).get("triage") or {}
    except RunError:
        triage = {}
    reviewed = int((triage.get("counts") or {}).get("reviewed") or 0)
    gold = int((triage.get("gold_left_out") or {}).get("random_sample") or 0)
    if gold and not reviewed:
        return (f"every item has a gold label in the dataset ({gold}, held out to measure the "
                "run), and a sample is drawn from the items without one; to fit the label "
                "model on some of that gold, import it as reviews (`labelwright review "
                "import`), which then no longer measure the run")
    if gold:
        return (f"every item had a review ({reviewed}) or a gold label held out to measure "
                f"the run ({gold}), and a sample is drawn from the other items")
    return ("every item had a review already, and a sample is drawn from the items not "
            "reviewed")


def _sample_setting(run_dir: Path) -> int:
    """``[triage] random_sample`` as the run's manifest records it (0 when it cannot say)."""
    try:
        return int((read_manifest(run_dir).get("triage") or {}).get("random_sample") or 0)
    except (RunError, ValueError, TypeError):
        return 0


def sample_ids(run_dir: Path) -> list[str] | None:
    """The item ids of a run's random sample, in the order drawn; None if it drew none."""
    if not (run_dir / SAMPLE_JSONL).exists():
        return None
    return [str(r["id"]) for r in read_review(run_dir, sample=True)]


@dataclass
class RunQueue:
    """A run's queue (or random sample) as an export reads it: ``records`` in queue order,
    without the items ``labelwright erase`` erased since (``erased``: how many)."""

    records: list[dict[str, Any]]
    erased: int = 0


def read_run_queue(run_dir: Path, manifest: dict[str, Any], *, sample: bool = False
                   ) -> RunQueue:
    """:func:`read_review`, for an export: the queue (or random sample) must be as the run
    wrote it (its sha256 the manifest's), or reviewers would be shown suggestions the run
    never made; or as erasures left it (``labelwright erase``: the texts of items deleted
    from the data, erased), and then those items are left out. The file is hashed as it is
    read, in one pass (a 170k-item queue is 100 MB); any other change is that error,
    whatever the file holds."""
    queue = run_dir / (SAMPLE_JSONL if sample else QUEUE_JSONL)
    recorded = (manifest.get("outputs") or {}).get(queue.name)
    if not queue.is_file() or recorded is None:  # no file, or no hash: said as before
        problem = changed_output(run_dir, manifest, queue.name) if queue.exists() else None
        if problem is not None:
            raise _changed_queue(run_dir, problem)
        return RunQueue(read_review(run_dir, sample=sample))
    digest = hashlib.sha256()
    records: list[dict[str, Any]] = []
    error: ValueError | None = None
    try:
        with open(queue, "rb") as handle:
            for line in handle:
                digest.update(line)
                if error is None and line.strip():
                    try:
                        records.append(json.loads(line))
                    except ValueError as exc:  # read on, for the hash
                        error = exc
    except OSError as exc:
        raise RunError(f"{queue}: cannot read the review queue: {exc}") from None
    now = digest.hexdigest()
    problem = hash_changed(queue.name, recorded, now)
    log = ErasureLog(run_dir.parent)  # read once, for the chain and the items erased
    erased = problem is not None and erased_output(run_dir, queue.name, recorded, now, log)
    if problem is not None and not erased:
        raise _changed_queue(run_dir, problem)
    if error is not None:
        raise RunError(f"{queue}: cannot read the review queue: {error}")
    if not erased:
        return RunQueue(records)
    gone = erased_items(run_dir.parent, log)  # deleted from the data: never shown
    kept = [record for record in records if str(record.get("id")) not in gone]
    return RunQueue(kept, len(records) - len(kept))


#: what a record says of why its item is queued, beside ``signals`` (runs from before
#: records held them: empty)
WHY_FIELDS = ("why", "signal_values", "end_model_label", "end_model_confidence")
#: the first columns of :func:`queue_frame` (then ``confidence``, ``reasons``,
#: ``signals``, a ``prob_<label>`` per label and the rest); ``review.csv`` has these but
#: ``project`` after ``run_id``
QUEUE_FRAME_HEAD = ("id", "run_id", "rank", "text", "suggested_label", "review_label", "note")


def queue_frame(records: list[dict[str, Any]], labels: Sequence[str]) -> pd.DataFrame:
    """The review records a run wrote (:func:`read_run_queue`) as a DataFrame, one row per
    item in queue order: the records' fields, not ``review.csv``'s cells. Beside
    ``review.csv``'s columns (``review_label`` and ``note`` empty, to fill in and import;
    each label's probability a ``prob_<label>`` column) ``reasons`` and ``signals`` stay
    lists, ``signal_values`` a dict, and the LFs' votes are one ``votes`` column (LF ->
    label) where the sheet has a ``vote_<lf>`` column each; ``glossary_matches`` and
    ``fields`` are what the JSONL holds where the sheet has ``glossary_terms`` text; it has
    no ``project`` column."""
    import pandas as pd

    probs = [f"prob_{label}" for label in labels]
    rest = ["confidence", "reasons", "signals", *WHY_FIELDS, *probs, "votes", "vote_pattern",
            "glossary_matches", "fields", "export", "copies"]
    rows = [{**{k: v for k, v in r.items() if k != "probabilities"},
             **{f"prob_{label}": (r.get("probabilities") or {}).get(label) for label in labels},
             "review_label": None, "note": None} for r in records]
    columns = [*QUEUE_FRAME_HEAD, *rest]
    frame = pd.DataFrame(rows, columns=columns)
    frame["id"] = frame["id"].astype(object)  # text ids, as every file of the run has them
    return frame.astype({name: float for name in probs})


def _changed_queue(run_dir: Path, problem: str) -> RunError:
    return RunError(f"{run_dir}: {problem}; it is not the queue the run wrote, so it is not "
                    "exported (`labelwright runs verify` checks the whole run; run "
                    "`labelwright run` again for a queue that is)")
