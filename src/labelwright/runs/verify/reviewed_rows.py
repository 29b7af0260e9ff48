"""A run's reviewed rows against the ledger decisions it read: ``runs verify``'s check that
each ``label_source = "review"`` row of ``labels.parquet`` holds the label those decisions
settle, as the run settled them.

The manifest hashes ``labels.parquet``, and :mod:`~labelwright.runs.explain.checks` finds a
row that contradicts itself; a reviewed label edited with its probabilities (and the
file's hash written into the manifest) passes both. The ledger is another file, and
``runs verify`` checks that the decisions the run read are unchanged by their digest: so
reading them again as the run did (its first decisions and retirement records, its raters'
names, the decisions it set aside, its ``[review] policy`` and adjudicators: all in its
manifest's ``reviews``) gives each reviewed row's label, through the same
:func:`~labelwright.review.feedback.reviewed_labels` the run used.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.counts import counted, some_of
from labelwright.errors import RunError
from labelwright.runs.file_names import LABELS_FILE

if TYPE_CHECKING:
    from labelwright.review.decisions.ledger import Decision
    from labelwright.review.decisions.run_reading import RunReading

#: reviewed rows a problem names
SHOWN_ROWS = 3


def reviewed_rows(run_dir: Path, manifest: dict[str, Any], root: Path,
                  used: Sequence[Decision], adjudicators: Collection[str] = (), *,
                  settled: Mapping[str, str] | None = None
                  ) -> tuple[int | None, str | None]:
    """How many reviewed rows of the run's ``labels.parquet`` were checked (None: not
    checked, the manifest does not record enough to read the decisions as the run did), and
    what is wrong with them, as one line (``labels.parquet: ...``; None when each is what
    the decisions the run read settle). A row is wrong
    when its ``label_source`` is ``review`` and the decisions settle another label or none,
    or when they settle a label and the row's source is neither ``review`` nor ``copy``.
    ``root``: the project whose ledger the run read; ``adjudicators``: the project's, for a
    manifest that does not list the ones the run read. Call it only when the decisions the
    run read were found unchanged: else the ledger's problem says what changed.
    ``used``: the ledger's decisions the run read, those its retirement records retire
    left out (as ``runs verify`` has them: the ledger is read once for every run).
    ``settled``: ``{item id: reviewed label}`` as the refit of ``runs verify --recompute``
    settled the decisions the run read (:attr:`~labelwright.runs.verify.recomputed.
    Recomputed.settled`), so they are not settled twice; used only where the manifest names
    the decisions the run set aside, as the refit then reads them as this check would."""
    import numpy as np

    from labelwright.review.decisions.run_reading import run_reading
    from labelwright.review.feedback.copy_reviews import COPY
    from labelwright.review.feedback.gold import POLICIES
    from labelwright.runs.label_set import manifest_labels
    from labelwright.runs.store import read_labels_table

    reviews = manifest.get("reviews") or {}
    reading = run_reading(reviews, adjudicators)
    policy = reviews.get("policy")
    labels = manifest_labels(manifest)
    if reading is None or policy not in POLICIES or labels is None:
        return None, None  # a manifest from before these were recorded
    if reading.set_aside is None and reading.set_aside_items:
        return None, None  # which decisions it set aside is not recorded
    try:
        frame = read_labels_table(run_dir / LABELS_FILE,
                                  ["id", "label", "label_source"]).to_pandas()
    except RunError:
        return None, None  # the hash check names a file that cannot be read
    if not {"id", "label", "label_source"} <= set(frame.columns):
        return None, None
    ids = frame["id"].astype(str).tolist()
    if settled is None or reading.set_aside is None:
        settled = _settled(root, ids, labels, str(policy), reading, used,
                           dict(reviews.get("renamed") or {}))
    source = frame["label_source"].astype(str).to_numpy()
    label = frame["label"].astype(object).to_numpy()
    wrong = []
    has_label = np.array([item_id in settled for item_id in ids], dtype=bool)
    rows = np.flatnonzero((source == "review") | has_label).tolist()
    for i in rows:
        should = settled.get(ids[i])
        if source[i] == COPY or (source[i] == "review" and label[i] == should):
            continue
        wrong.append(f"{ids[i]!r}: label {_shown(label[i])} from {source[i]}, but its "
                     + (f"decisions settle {should!r}" if should is not None else
                        "decisions settle no label"))
    if not wrong:
        return len(rows), None
    judges = f" (adjudicators: {', '.join(reading.adjudicators)})" if reading.adjudicators \
        else ""
    return len(rows), (f"{LABELS_FILE}: {counted(len(wrong), 'reviewed row')} "
            f"{'is' if len(wrong) == 1 else 'are'} not what the "
            f"{counted(reading.decisions, 'ledger decision')} the run read "
            f"settle{'s' if reading.decisions == 1 else ''} under "
            f"[review] policy \"{policy}\"{judges} "
            f"({some_of(wrong, SHOWN_ROWS, clauses=True)}): edited since the run, with the "
            "file's hash in the manifest")


def _settled(root: Path, ids: Sequence[str], labels: Sequence[str], policy: str,
             reading: RunReading, used: Sequence[Decision], renamed: dict[str, str]
             ) -> dict[str, str]:
    """``{item id: reviewed label}`` of ``ids`` as the decisions the run read settle them
    (``used``: retired ones out already, so no record is honoured again)."""
    from labelwright.review.feedback.gold import reviewed_labels

    settled = reviewed_labels(root, ids, labels, policy=policy,
                              adjudicators=reading.adjudicators, read=used, retirements=0,
                              records=(), names=reading.names,
                              set_aside=reading.set_aside or (), same_rater={},
                              renamed=renamed, capped=reading.capped)
    return {item_id: labels[k] for item_id, k in zip(ids, settled.gold.tolist()) if k >= 0}


def _shown(label: Any) -> str:
    """A row's label as the problem names it: quoted, or ``none``."""
    return "none" if label is None or str(label) in ("<NA>", "nan", "None") else repr(str(label))
