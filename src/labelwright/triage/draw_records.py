"""What a run's manifest records of its draws (``triage.draws``, ``triage.queue_ties``,
``triage.excludes``,
``triage.audit_allocation``, ``triage.gold_left_out``, ``triage.audit_strata``), and how a
run from before a record drew: ``runs verify --recompute`` draws again as the run did."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from labelwright.config.schema import AUDIT_ALLOCATIONS, PROPORTIONAL
from labelwright.triage.core import Triage
from labelwright.triage.reasons import ACCEPTED

#: how a run drew its audit and random samples, as its manifest records it (``triage.draws``):
#: by :func:`~.draws.draw_keys` of the item ids; runs from before the key drew by row position
DRAWS_BY_ID, DRAWS_BY_ROW = "item id", "row"
#: which items the audit and random samples leave out of their draws, as a run's manifest
#: records it (``triage.excludes``): reviewed items and items with a dataset gold label;
#: runs from before the record left out reviewed items only
EXCLUDES_GOLD, EXCLUDES_REVIEWED = ("reviewed", "gold"), ("reviewed",)


def recorded_draws(triage_record: dict[str, object] | None) -> str:
    """How a run drew its samples, from its manifest's ``triage`` section: a run that does
    not say drew them by row (:data:`DRAWS_BY_ROW`), as runs did before they recorded it."""
    return DRAWS_BY_ID if (triage_record or {}).get("draws") == DRAWS_BY_ID else DRAWS_BY_ROW


def recorded_tie_order(triage_record: dict[str, object] | None) -> str:
    """How a run ordered the queue's items ranked alike, from its manifest's ``triage``
    section (``queue_ties``): by a seeded hash of their ids (:data:`DRAWS_BY_ID`), or by row
    (:data:`DRAWS_BY_ROW`) for a run that does not say, as runs did before they recorded
    it, whether or not they drew their samples by id already."""
    return DRAWS_BY_ID if (triage_record or {}).get("queue_ties") == DRAWS_BY_ID \
        else DRAWS_BY_ROW


def recorded_excludes(triage_record: dict[str, object] | None) -> tuple[str, ...]:
    """Which items a run left out of its audit and random samples, from its manifest's
    ``triage`` section: a run that does not say left out reviewed items only
    (:data:`EXCLUDES_REVIEWED`), as runs did before they recorded it."""
    excludes = (triage_record or {}).get("excludes")
    return tuple(excludes) if isinstance(excludes, list) else EXCLUDES_REVIEWED


def recorded_allocation(triage_record: dict[str, object] | None) -> str:
    """How a run shared its audit sample across predicted labels (``[triage]
    audit_allocation``), from its manifest's ``triage`` section: in proportion to each
    label's accepted items, or alike per label (a rare label's precision can be read, and
    the overall figure is weighted back: :mod:`labelwright.review.stats.audit_estimate`). A run
    that does not say shared it in proportion (``"proportional"``), as runs did before the
    setting."""
    value = (triage_record or {}).get("audit_allocation")
    return value if value in AUDIT_ALLOCATIONS else PROPORTIONAL  # type: ignore[return-value]


def gold_left_out(tri: Triage, gold: np.ndarray, reviewed: np.ndarray, *, audit_size: int,
                  sample_size: int) -> dict[str, int]:
    """How many items with a dataset gold label (``gold``, a mask) the audit and the random
    sample of ``tri`` left out of the items they draw from, the accepted items without a
    reviewed label (``reviewed``, a mask) and all items without one: 0 for a draw of size
    0, which left out nothing."""
    gold, reviewed = np.asarray(gold, dtype=bool), np.asarray(reviewed, dtype=bool)
    audited = np.array([r == ("audit",) for r in tri.reasons], dtype=bool)
    pool = ((tri.status == ACCEPTED) | audited) & ~reviewed
    return {"audit": int((gold & pool).sum()) if audit_size > 0 else 0,
            "random_sample": int((gold & ~reviewed).sum()) if sample_size > 0 else 0}


def audit_strata(tri: Triage, gold: np.ndarray, reviewed: np.ndarray,
                 labels: Sequence[str]) -> dict[str, dict[str, int]]:
    """Per predicted label, the accepted items the audit drew from (``accepted``: accepted
    or audited, without a reviewed or a dataset gold label, as :func:`~.core.triage` draws) and
    how many it drew (``audited``), for a run's manifest (``triage.audit_strata``): the
    weights that make the audit's reviews an estimate of all accepted labels whatever the
    allocation (:mod:`labelwright.review.stats.audit_estimate`). ``labels``: the run's labels, by
    class index."""
    gold, reviewed = np.asarray(gold, dtype=bool), np.asarray(reviewed, dtype=bool)
    audited = np.array([r == ("audit",) for r in tri.reasons], dtype=bool)
    pool = ((tri.status == ACCEPTED) | audited) & ~reviewed & ~gold & (tri.label >= 0)
    out = {}
    for k, name in enumerate(labels):
        in_label = pool & (tri.label == k)
        if in_label.any():
            out[name] = {"accepted": int(in_label.sum()),
                         "audited": int((in_label & audited).sum())}
    return out


def gold_left_out_line(triage_record: dict[str, object]) -> str | None:
    """The words ``run``, ``runs show`` and the report say :func:`gold_left_out`'s counts
    in, as a run's manifest records them (``triage.gold_left_out``), e.g. ``gold items (held
    out) left out of the draws: 150 from the audit, 173 from the random sample``; None when
    the draws left none out (nor for runs from before the record)."""
    left = triage_record.get("gold_left_out")
    left = left if isinstance(left, dict) else {}
    parts = [f"{left[key]} from the {name}" for key, name in (
        ("audit", "audit"), ("random_sample", "random sample")) if left.get(key)]
    return f"gold items (held out) left out of the draws: {', '.join(parts)}" if parts \
        else None
