"""Whether an earlier run's reviewed audit measures a new run's accepted labels.

A run's audit items are drawn from its accepted labels; once reviewed, the next run gives
them their reviewed label, and draws a new audit of its own, which nobody has reviewed
yet. Until then the accuracy a team can show for the new run is the earlier audit's, and
it holds only for the labels the earlier run accepted: a changed LF, label model or review
may accept other items, or give an accepted item another label. :func:`previous_audit`
compares the two runs' accepted labels item by item and says which it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from labelwright.errors import RunError
from labelwright.review.stats.run_accuracy import RunAccuracy, accuracy_of_runs
from labelwright.runs.file_names import LABELS_FILE
from labelwright.runs.store import list_runs, read_labels_table


@dataclass(frozen=True)
class PreviousAudit:
    """An earlier run's audit figures, and how much of a new run's accepted labels they
    cover."""

    figures: RunAccuracy
    #: the new run's accepted labels (label source ``model``); how many of them the earlier
    #: run did not accept (``new``), and how many it accepted with another label
    accepted: int
    new: int
    relabelled: int
    #: the earlier run's accepted labels, its audit items with them: what its figure is of
    earlier_accepted: int = 0

    @property
    def changed(self) -> int:
        """The new run's accepted labels the earlier audit does not measure."""
        return self.new + self.relabelled

    @property
    def applies(self) -> bool:
        """Whether every accepted label of the new run is one the earlier run accepted."""
        return self.changed == 0


def accepted_labels(frame: pd.DataFrame, *, with_audit: bool) -> pd.Series:
    """Item id -> label of a run's accepted labels (status ``accepted``, label source
    ``model``), from its ``labels.parquet`` columns ``id, label, status, reasons,
    label_source``; ``with_audit``: with the items of its audit sample, which were drawn
    from them (their reviews measure them)."""
    keep = frame["status"] == "accepted"
    if "label_source" in frame:
        keep &= frame["label_source"].fillna("model") == "model"
    if with_audit:
        keep |= frame["reasons"].fillna("").astype(str) == "audit"
    rows = frame[keep.to_numpy()]
    return pd.Series(rows["label"].astype(str).to_numpy(), index=rows["id"].astype(str))


def changed_labels(now: pd.Series, then: pd.Series) -> tuple[int, int]:
    """Of ``now``'s accepted labels (item id -> label), how many ``then`` (the earlier
    run's, its audit items with them) did not accept, and how many it accepted with another
    label."""
    earlier = then.reindex(now.index)
    new = int(earlier.isna().sum())
    return new, int((earlier.notna() & (earlier != now)).sum())


#: how many earlier runs :func:`previous_audit` looks through, newest first
LOOK_BACK = 20


def previous_audit(runs_dir: Path, run_id: str, labels: pd.DataFrame,
                   reviewed: Mapping[str, str], *,
                   renamed: Mapping[str, str] | None = None) -> PreviousAudit | None:
    """The newest run before ``run_id`` (of the :data:`LOOK_BACK` before it) whose audit has
    reviewed items, with how much of run ``run_id``'s accepted labels it covers; None when
    none has.

    ``labels``: the new run's labels (``id, label, status, reasons, label_source``);
    ``reviewed``: item id -> reviewed label (the new run's rows with label source
    ``review``). ``renamed``: ``[project] renamed``."""
    earlier = [r for r in list_runs(runs_dir) if r < run_id][::-1][:LOOK_BACK]
    audited = None
    for candidate in earlier:  # one at a time: the newest audited one is usually the last
        figures, _ = accuracy_of_runs(runs_dir, [candidate], reviewed, renamed=renamed)
        if figures and figures[0].audit.reviewed:
            audited = figures[0]
            break
    if audited is None:
        return None
    try:
        then = read_labels_table(runs_dir / audited.run_id / LABELS_FILE,
                                 ["id", "label", "status", "reasons"]).to_pandas()
    except RunError:
        return None
    now = accepted_labels(labels, with_audit=False)
    earlier_labels = accepted_labels(then, with_audit=True)
    new, relabelled = changed_labels(now, earlier_labels)
    return PreviousAudit(figures=audited, accepted=len(now), new=new, relabelled=relabelled,
                         earlier_accepted=len(earlier_labels))
