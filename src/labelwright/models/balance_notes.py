"""What a gold-row check's record (``auto``'s ``gold_sample_``, or
:func:`~labelwright.models.gold_use.reviewed_class_balance`'s) says to the reader: where the
class balance came from, in words (:func:`balance_note`), the warning for labels a short
random sample lacks (:func:`missing_labels_warning`), and whether the balance was a random
sample's (:func:`balance_from_sample`). Read by the run's outputs, the report and
``auto``; the decision itself is :class:`~labelwright.models.gold_use.GoldPolicy`'s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from labelwright.models.row_names import REVIEWED_LABELS, RowNames
from labelwright.models.short_sample import SHORT_SAMPLE_VOTE_ROWS


def missing_labels_warning(record: dict[str, Any] | None, class_balance: np.ndarray,
                           labels: Sequence[str]) -> str | None:
    """The run's warning for labels a random sample too short of a class lacks though the
    votes give them many items (``record["missing"]``,
    :func:`~labelwright.models.short_sample.missing_labels`): none of them
    in a few dozen reviews is no evidence that a label is rare, and the class balance the
    label model fit at gives each its share, which the warning says. None when none."""
    missing = (record or {}).get("missing") or []
    if not missing:
        return None
    sampled = int((record or {}).get("sampled_rows") or 0)
    named = ", ".join(f"{labels[c]} (the votes give it {items:,} items; class balance "
                      f"{class_balance[c]:.1%})" for c, items in missing)
    return (f"the {sampled} reviewed items of the random sample hold no {named}: a sample "
            "this small often misses a label of a few percent, so the class balance keeps "
            "the votes' share for it unless that is above the 95% interval of 0 in "
            f"{sampled} (then the sample's mix shrunk toward it); review more of the random "
            "sample (`labelwright review export --sample`) to measure it")


def balance_from_sample(record: dict[str, Any] | None) -> bool:
    """Whether :meth:`~labelwright.models.gold_use.GoldPolicy.decide` took the class
    balance from a random sample's reviews that pass for random (``record``: its
    :attr:`~labelwright.models.gold_use.GoldUse.record`): ``auto``, when no balance was
    given, then weighs that balance against the votes' and equal classes by CV."""
    return record is not None and record.get("source") == "random sample" \
        and bool(record.get("representative")) and not record.get("short")


def _choice_note(choice: dict[str, Any], sampled: int) -> str:
    """Where ``auto``'s balance choice (``gold_sample_["balance_choice"]``) took the class
    balance from, in words, with the cross-validated scores it chose by."""
    what = {"votes": "estimated from the votes (square root of the majority vote's shares)",
            "equal": "equal classes"}
    scores = choice.get("scores") or {}
    shown = ", ".join(f"{name} {value:.3f}" for name, value in scores.items())
    return (f"{what.get(choice['chosen'], choice['chosen'])}: it scored higher than the "
            f"balance of {sampled} random-sample reviews, post-stratified by vote pattern, in "
            f"CV over them ({choice.get('scoring', 'score')}: {shown})")


def balance_note(record: dict[str, Any] | None, n_gold: int,
                 names: RowNames = REVIEWED_LABELS) -> str | None:
    """Where a class balance taken from ``n_gold`` gold rows came from, in words, from the
    check's ``record`` (``auto``'s ``gold_sample_``, or
    :func:`~labelwright.models.gold_use.reviewed_class_balance`'s); None when gold rows did
    not set it (too few of them). Not for a balance the caller gave: that one is kept
    whatever the gold rows say."""
    if not record:
        return None
    rows = names.count(n_gold)

    def stratified(why: str) -> str:
        return (f"from {rows}, post-stratified by vote pattern: {why} (distance "
                f"{record['distance']:.2f}, p={record['p_value']:.3f})")

    if record.get("source") == "random sample":
        if not record.get("representative"):
            return stratified("the random sample's reviews do not look random")
        others = int(record.get("other_rows") or 0)
        if record.get("too_few"):
            return (f"from {rows}, post-stratified by vote pattern and the class the votes "
                    f"name: the {int(record.get('sampled_rows') or 0)} random-sample reviews "
                    f"among them are too few to set it, and the other {others} are the "
                    "queue's")
        choice = record.get("balance_choice")
        if choice and choice.get("chosen") != "reviewed":
            return _choice_note(choice, int(record.get("sampled_rows") or 0))
        sampled = int(record.get("sampled_rows") or 0)
        if record.get("short"):
            return (f"the votes' balance for each label whose share there lies in the 95% "
                    f"interval of its share of {sampled} random-sample reviews, else their mix "
                    f"post-stratified by vote pattern and shrunk toward the votes' as if they "
                    f"were {SHORT_SAMPLE_VOTE_ROWS} more reviews (the sample is too short of a "
                    "label for CV to check its mix)"
                    + (f"; the other {others} {names.plural} (the queue's) count as themselves"
                       if others else ""))
        return (f"from {sampled} random-sample reviews, post-stratified by vote pattern"
                + (f"; the other {others} {names.plural} (the queue's) count as themselves"
                   if others else ""))
    if not record.get("representative"):
        return stratified("queue reviews are not a random sample")
    classes = record.get("classes") or {}
    if classes and not classes.get("representative", True):
        return (f"equal classes: the {rows} were picked by label; their votes name classes "
                f"unlike all items' (distance {classes['distance']:.2f}), so their mix says "
                "nothing of all items'")
    return f"the mix of {rows}, which pass for a random sample of the items"
