"""The review ledger as a run read it, from what its manifest's ``reviews`` records.

The ledger only appends (decisions, retirement records, Label Studio id/email pairs), so a
run's reviews are the ledger's first decisions and retirement records, read with the
raters' names, the set-aside decisions, the order of decisions and the rule for sample
items the manifest records: ``runs verify
--recompute`` refits a run's label model on them (:func:`run_reading`) however many
reviews were imported since.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from labelwright.review.decisions.decision_times import recorded_order
from labelwright.review.decisions.retirements import recorded
from labelwright.review.feedback.sample_reviews import recorded_sample_rule
from labelwright.runs.store import decision_count

if TYPE_CHECKING:
    from labelwright.review.decisions.ledger import Decision


@dataclass(frozen=True)
class RunReading:
    """How a run read the review ledger (see :func:`~labelwright.review.feedback.gold.
    reviewed_labels` for each field's use)."""

    decisions: int  # the ledger's first decisions it read
    retirements: int  # the ledger's first retirement records it honoured
    #: the rater each name counted as (``[review] same_rater`` and Label Studio pairs)
    names: dict[str, str] = field(default_factory=dict)
    adjudicators: tuple[str, ...] = ()  # as read through ``names``
    #: (run id, item id) of the decisions set aside as made on another text; None: the
    #: manifest does not say which (made between runs counting them and naming them)
    set_aside: tuple[tuple[str, str], ...] | None = None
    #: how many items those were, as the manifest counts them (None: not counted)
    set_aside_items: int | None = None
    #: the order it took each rater's latest decision in
    #: (:func:`~labelwright.review.decisions.decision_times.recorded_order`)
    capped: bool = True
    #: the rule it counted its sample items by
    #: (:func:`~labelwright.review.feedback.sample_reviews.recorded_sample_rule`)
    drawn: bool = True

    def as_kwargs(self) -> dict[str, Any]:
        """The keywords of :func:`~labelwright.review.feedback.gold.reviewed_labels` that
        read the ledger as the run did, whatever was appended since: one recipe for
        ``run``'s inputs, ``review stats --as-read`` and ``runs verify --recompute``."""
        return {"adjudicators": self.adjudicators, "retirements": self.retirements,
                "decisions": self.decisions, "names": self.names,
                "set_aside": self.set_aside, "capped": self.capped, "drawn": self.drawn}


def run_reading(reviews: Mapping[str, Any] | None, adjudicators: Collection[str]
                ) -> RunReading | None:
    """The ledger as the run whose manifest's ``reviews`` is ``reviews`` read it (None or
    {}: a run that read no decisions), or None when the manifest does not say how many
    decisions it read. ``adjudicators``: the project's ``[review] adjudicators``, read
    through the run's names where the manifest does not list them as read.

    Each field is taken where the manifest records it, and where a manifest leaves it out
    it holds what the run did: ``same_rater`` is written only when names are tied (and
    came with the Label Studio pairs: a manifest from before read every name apart), and a
    manifest with neither ``set_aside_other_text`` nor ``reviewed_on_other_text`` is from
    before runs set decisions aside; one without ``decision_times`` or ``sample_items``,
    from before those rules (:func:`~labelwright.review.decisions.decision_times.
    recorded_order`, :func:`~labelwright.review.feedback.sample_reviews.recorded_sample_rule`)."""
    reviews = reviews or {}
    count = decision_count(dict(reviews)) if reviews else 0  # a record without it: unknown
    if not isinstance(count, int) or isinstance(count, bool):
        return None
    names = {str(k): str(v) for k, v in (reviews.get("same_rater") or {}).items()}
    read_as = reviews.get("adjudicators")
    adjudicators = read_as if isinstance(read_as, list) else \
        [names.get(name, name) for name in adjudicators]
    listed = reviews.get("set_aside_other_text")
    counted = reviews.get("reviewed_on_other_text")
    set_aside: tuple[tuple[str, str], ...] | None
    if isinstance(listed, list):
        set_aside = tuple((r.get("run_id"), r.get("id")) for r in listed)
    else:
        set_aside = None if isinstance(counted, int) else ()
    return RunReading(decisions=count, retirements=recorded(dict(reviews)), names=names,
                      adjudicators=tuple(sorted(set(map(str, adjudicators)))),
                      set_aside=set_aside,
                      set_aside_items=counted if isinstance(counted, int) else None,
                      capped=recorded_order(reviews), drawn=recorded_sample_rule(reviews))


def decisions_used(decisions: Sequence[Decision], manifest: Mapping[str, Any],
                   item_ids: Collection[str]) -> set[int]:
    """The positions in ``decisions`` (the ledger's, oldest first) of those the run of
    ``manifest`` used, or would have used had it not honoured a retirement of them: among
    the ledger's first decisions it read, on one of its items (``item_ids``: the items of
    its labels) and not set aside as made on another text than its data had. A decision
    with a label the run did not have counts as used, as :func:`~labelwright.review.
    feedback.reviewed_labels` reads it: it keeps the item's other raters from settling it
    (:func:`~labelwright.review.feedback.label_changes.stale_raters`), so retiring it can change the
    run's labels. A decision on an item deleted from the data before the run, one imported
    after it, or one the run set aside was not used, so its retirement changes nothing of
    the run's labels. A manifest that does not say how many decisions the run read: none."""
    reading = run_reading(dict(manifest.get("reviews") or {}), ())
    if reading is None:
        return set()
    aside = set(reading.set_aside or ())
    items = set(item_ids)
    return {k for k, d in enumerate(decisions[:reading.decisions])
            if d.item_id in items and (d.run_id, d.item_id) not in aside}
