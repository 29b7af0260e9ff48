"""Triage: give each item a confidence and a status — accepted, or review with reasons.

Reasons, in the order the review queue puts them first:

* ``disputed`` — reviewers decided the item but disagree, and it awaits adjudication (no
  reviewed label yet): the queue's head, for the adjudicator;
* ``copies_disagree`` — the item has no review, and items with its text were reviewed with
  different labels that the review policy did not settle
  (:mod:`labelwright.review.feedback.copy_reviews`): a review of it settles the text;
* ``stale`` — the item was reviewed, but its decisions settle no label now: those made on
  another text than it has now are set aside, and one naming a label the project no longer
  has keeps the others from settling it (one current and one removed label is stale too);
  or it took a copy's review whose item left the data
  (:mod:`labelwright.review.feedback.deleted_copies`): it has no reviewed label until it is reviewed
  again;
* ``second_opinion`` — the item took the label of a copy's review that rests on one
  reviewer's decision against the label model and every LF vote
  (:mod:`labelwright.review.feedback.second_opinions`): a second reviewer confirms it or
  disputes it;
* ``conflict`` — LFs voted for different labels;
* ``low_confidence`` — the label model's probability for its label is below the threshold
  (by more than rounding: :data:`THRESHOLD_SLACK`);
* ``against_votes`` — LFs voted, and none for the label the model gave (the class balance
  or the LFs' learned accuracies outweighed them: :func:`against_votes`), however sure the
  model is;
* ``unread`` — every vote the item got is one the label model holds at its prior accuracy,
  which fewer reviews than the prior's pseudo-votes have moved
  (:mod:`labelwright.models.held_votes`): its confidence is the model's assumption about
  those LFs (the prior, 0.7 by default, weighed by the class balance), not something it
  read; unless the class balance alone of the label those votes are for reaches the
  threshold (:func:`sure_by_balance`), when the assumption does not decide;
* ``uncovered`` — no LF voted (the item gets no label);
* ``audit`` — a seeded random sample of accepted items, stratified by predicted label,
  so reviewers also check labels the model is sure of.

Apart from the queue, :func:`random_sample` draws items at random from all items
(``[triage] random_sample``; a run writes them to ``sample.csv``): reviews of those are a
picture of all items, which the queue's head is not.

Both draws are for items whose label nobody knows: they leave out items with a reviewed
label and, given the ``gold`` mask, items with a gold label in the dataset, whose labels
are known and held out to measure the label model (a reviewed gold item would leave the
held-out set). Runs draw so and record it (:data:`EXCLUDES_GOLD`); runs from before the
record left out reviewed items only (:func:`recorded_excludes`).

Given the items' ids, both draws rank items by a seeded hash of their id
(:func:`draw_keys`) and take the lowest: a random pick that is the same whatever order the
dataset's rows come in (a re-exported file, rows sorted otherwise, appended rows). Runs
draw so and record it (:data:`DRAWS_BY_ID`); without ids, the draws go by row position, as
runs from before that record did.

The package in steps: :mod:`~labelwright.triage.core` (:func:`triage`, the queue's order),
:mod:`~labelwright.triage.reasons` (the reasons and statuses), :mod:`~labelwright.triage.draws`
(the audit and random sample) and :mod:`~labelwright.triage.draw_records` (what a run's
manifest records of its draws). The names below are those ``labelwright.triage`` held when
it was one module, kept so that scripts written against it keep working.
"""

from labelwright.config.schema import AUDIT_ALLOCATIONS, PER_LABEL, PROPORTIONAL
from labelwright.triage.core import Triage, triage
from labelwright.triage.draw_records import (
    DRAWS_BY_ID,
    DRAWS_BY_ROW,
    EXCLUDES_GOLD,
    EXCLUDES_REVIEWED,
    audit_strata,
    gold_left_out,
    gold_left_out_line,
    recorded_allocation,
    recorded_draws,
    recorded_excludes,
)
from labelwright.triage.draws import (
    RANDOM_SAMPLE,
    draw_keys,
    equal_quota,
    random_sample,
    stratified_sample,
)
from labelwright.triage.reasons import (
    ACCEPTED,
    DOUBT_REASONS,
    HEAD_REASONS,
    REASONS,
    REVIEW,
    REVIEWED,
    THRESHOLD_SLACK,
    UNREAD_BY_BALANCE,
    against_votes,
    item_reasons,
    statuses,
    sure_by_balance,
    triage_counts,
    unread_items,
)

__all__ = [
    "ACCEPTED",
    "AUDIT_ALLOCATIONS",
    "DOUBT_REASONS",
    "DRAWS_BY_ID",
    "DRAWS_BY_ROW",
    "EXCLUDES_GOLD",
    "EXCLUDES_REVIEWED",
    "HEAD_REASONS",
    "PER_LABEL",
    "PROPORTIONAL",
    "RANDOM_SAMPLE",
    "REASONS",
    "REVIEW",
    "REVIEWED",
    "THRESHOLD_SLACK",
    "UNREAD_BY_BALANCE",
    "Triage",
    "against_votes",
    "audit_strata",
    "draw_keys",
    "equal_quota",
    "gold_left_out",
    "gold_left_out_line",
    "item_reasons",
    "random_sample",
    "recorded_allocation",
    "recorded_draws",
    "recorded_excludes",
    "statuses",
    "stratified_sample",
    "sure_by_balance",
    "triage",
    "triage_counts",
    "unread_items",
]
