"""Reviews of a run's random sample (``review export --sample``): which reviewed items are
a random sample's, and how far each sample was reviewed in its order
(:mod:`~labelwright.review.feedback.gold`)."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
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


def drawn_items(decisions: Sequence[ledger.Decision], runs_dir: Path | None = None
                ) -> set[str]:
    """The items of the runs' random samples that count as drawn at random: per run with a
    decision from its sample, its draw (``sample.jsonl``, in the order drawn) up to the last
    item reviewed *from the sample*, and every item decided from it. The draw, not the
    export a decision came through, makes an item a sample item: an item the sample's
    raters split on goes to an adjudicator through a later run's queue (``review export
    --reason disputed``), and an item the queue reviewed first is skipped by the sample's
    reviewers; leaving those out takes the hard items out of the sample. Past the last item
    reviewed from the sample, an item decided through a queue was picked as hard, not drawn.
    Without ``runs_dir``, or for a run whose folder is gone, the decisions from the sample
    (each checked against the draw at import) are the record."""
    from_sample: dict[str, set[str]] = {}
    for d in decisions:
        if d.export == "sample":
            from_sample.setdefault(d.run_id, set()).add(d.item_id)
    drawn: set[str] = set()
    for run_id, items in from_sample.items():
        drawn |= items
        order = sample_ids(Path(runs_dir) / run_id) if runs_dir is not None else None
        reached = [k for k, item_id in enumerate(order or ()) if item_id in items]
        if order is not None and reached:
            drawn.update(order[:reached[-1] + 1])
    return drawn


#: the field of a run's manifest (``reviews``) that says which reviewed items it counted as
#: its random samples': :data:`AS_DRAWN`; a run that does not say counted those reviewed
#: from a sample and from nothing else (``drawn`` False in :func:`sampled_items`)
SAMPLE_RULE_FIELD = "sample_items"
#: the items of a run's draw, whichever export carried their decisions (:func:`drawn_items`)
AS_DRAWN = "as drawn"


def recorded_sample_rule(reviews: Mapping[str, Any] | None) -> bool:
    """Whether the run whose manifest's ``reviews`` is ``reviews`` counted sample items
    :data:`AS_DRAWN` (``drawn`` of :func:`sampled_items`): a run from before counted fewer
    (an adjudicator's settlement through a queue took an item out), and a refit of it
    (``runs verify --recompute``) reads them as it did."""
    return (reviews or {}).get(SAMPLE_RULE_FIELD) == AS_DRAWN


def sampled_items(decisions: Sequence[ledger.Decision], ids: Sequence[str],
                  gold: np.ndarray, *, stale: Collection[str] = (),
                  runs_dir: Path | None = None, drawn: bool = True
                  ) -> tuple[np.ndarray, int]:
    """``(sampled, undecided)``: which items (aligned to ``ids``) are gold from a random
    sample, and how many sample items have decisions but no gold (raters tied, or await
    adjudication; not the ``stale`` items, kept unsettled by a label the project no longer
    has).

    A reviewed item counts as sampled when it is in a run's draw, up to where that sample
    was reviewed (:func:`drawn_items`), whichever export carried its decisions: the
    reviewed stretch of a random draw is random. (The run's own sample accuracy counts an
    item whichever export it came through too, past that stretch as well, with how many of
    the sample were reviewed beside it: :func:`~labelwright.review.stats.run_accuracy.sample_of`.)
    ``drawn`` False: the rule of runs from before :data:`AS_DRAWN`, an item reviewed from a
    sample and from nothing else.
    """
    if drawn:
        sample = drawn_items(decisions, runs_dir) & {d.item_id for d in decisions}
    else:
        sample = ({d.item_id for d in decisions if d.export == "sample"}
                  - {d.item_id for d in decisions if d.export != "sample"})
    if not sample:
        return np.zeros(len(ids), dtype=bool), 0
    marked = np.array([item_id in sample for item_id in ids], dtype=bool)
    kept_by_stale = np.array([item_id in stale for item_id in ids], dtype=bool)
    return marked & (gold >= 0), int((marked & (gold < 0) & ~kept_by_stale).sum())
