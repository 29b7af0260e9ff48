"""Reviews of a run's random sample (``review export --sample``): which items with gold
were reviewed from a sample and from nothing else, and how far each sample was reviewed
in its order (:mod:`~labelwright.review.feedback.gold`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.review.decisions import ledger
from labelwright.review.queue.run_queue import sample_ids


def sample_coverage(decisions: Sequence[ledger.Decision], runs_dir: Path) -> list[dict[str, Any]]:
    """How each run's random sample was reviewed, for the runs with sample reviews whose
    folder is still there: ``drawn``, ``reviewed`` (items with any decision) and ``skipped``
    (unreviewed items before the last one reviewed *from the sample*, in the order drawn; a
    sample item reviewed through the queue says nothing of how far the sample's reviewers
    got). Reviewing a sample in its order, as far as time allows, keeps it random; skipping
    the items that are hard to decide does not."""
    reviewed = {d.item_id for d in decisions}
    out = []
    for run_id in sorted({d.run_id for d in decisions if d.export == "sample"}):
        order = sample_ids(Path(runs_dir) / run_id)
        if order is None:  # the run folder is gone
            continue
        from_sample = {d.item_id for d in decisions
                       if d.export == "sample" and d.run_id == run_id}
        done = [k for k, item_id in enumerate(order) if item_id in reviewed]
        reached = [k for k, item_id in enumerate(order) if item_id in from_sample]
        reach = reached[-1] + 1 if reached else 0
        out.append({"run_id": run_id, "drawn": len(order), "reviewed": len(done),
                    "skipped": reach - sum(k < reach for k in done)})
    return out


def sampled_items(decisions: Sequence[ledger.Decision], ids: Sequence[str],
                  gold: np.ndarray, *, stale: Collection[str] = ()
                  ) -> tuple[np.ndarray, int]:
    """``(sampled, undecided)``: which items (aligned to ``ids``) are gold from a random
    sample, and how many sample items have decisions but no gold (raters tied, or await
    adjudication; not the ``stale`` items, kept unsettled by a label the project no longer
    has).

    An item counts as sampled when it was reviewed from a run's random sample and never
    from anything else: a run's sample may overlap its queue, and the queue's reviewed items
    count as themselves. What is left is a random sample of the items the queue's reviews
    did not take.
    """
    from_sample = {d.item_id for d in decisions if d.export == "sample"}
    other = {d.item_id for d in decisions if d.export != "sample"}
    drawn = from_sample - other
    if not drawn:
        return np.zeros(len(ids), dtype=bool), 0
    marked = np.array([item_id in drawn for item_id in ids], dtype=bool)
    kept_by_stale = np.array([item_id in stale for item_id in ids], dtype=bool)
    return marked & (gold >= 0), int((marked & (gold < 0) & ~kept_by_stale).sum())
