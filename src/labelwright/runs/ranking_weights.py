"""Whether a run's review ranking used weights learned from the reviews, in one line.

A run records why in its manifest (``triage.ranking_weights_evidence``, written by
:class:`~labelwright.review.ranking.weights.WeightsEvidence`): how many reviewed items the
weights could learn from (those whose label before review is known), how many of those
labels the review changed, and, when weights were learned, their cross-validated average
precision against the defaults' and the share of bootstrap resamples they won. The run's
summary, ``runs show`` and the report print :func:`ranking_weights_text` of it, so that a
team reviewing in rounds can tell whether its reviews changed the queue's order, and why not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from labelwright.counts import counted


def _learned_from(record: Mapping[str, Any]) -> str:
    """``395 reviewed items (192 with a wrong label before review)``."""
    used = int(record.get("learned_from") or 0)
    return (f"{counted(used, 'reviewed item')} ({record.get('wrong_before_review') or 0} "
            f"with a wrong label before review)")


def _left_out(record: Mapping[str, Any]) -> str:
    """``; 12 other reviewed items left out: ...``, the reviewed items the weights could not
    learn from for want of their label before review; empty when there are none. Said last,
    so that it does not split the sentence it belongs to."""
    used, reviewed = int(record.get("learned_from") or 0), int(record.get("reviewed_items") or 0)
    if reviewed <= used:
        return ""
    return (f"; {reviewed - used} other reviewed items left out: their label before review "
            "is not known (run gone, or its label set differs) or the run gave them none")


def ranking_weights_text(record: Any) -> str | None:
    """``ranking weights: the defaults (...)`` or ``ranking weights: learned from ...``, from
    a manifest's ``triage.ranking_weights_evidence``; None for a run without one (no
    ranking, or from before it was recorded)."""
    if not isinstance(record, Mapping):
        return None
    needs = record.get("needs") or {}
    reason = record.get("reason")
    cv = record.get("cv_average_precision") or {}
    wins = record.get("bootstrap_wins")
    if reason == "no reviews" and not record.get("reviewed_items"):
        return "ranking weights: the defaults (no reviewed item to learn other weights from)"
    # runs from before "too few" covered it recorded "no reviews" for reviewed items none of
    # which had a known label before review
    if reason in ("too few", "no reviews"):
        return (f"ranking weights: the defaults ({_learned_from(record)}; learned weights "
                f"need {needs.get('learned_from', '?')}{_left_out(record)})")
    if reason == "one-sided":
        return (f"ranking weights: the defaults ({_learned_from(record)}; learned weights "
                f"need {needs.get('wrong_and_right', '?')} wrong and as many right"
                f"{_left_out(record)})")
    compared = (f"cross-validated average precision of the wrong labels "
                f"{cv.get('learned', float('nan')):.3f}, the defaults' "
                f"{cv.get('default', float('nan')):.3f}")
    won = (f"better in {float(wins or 0):.0%} of bootstrap resamples, "
           f"{float(needs.get('bootstrap_wins', 0.95)):.0%} needed")
    if reason == "learned":
        return (f"ranking weights: learned from {_learned_from(record)}: {compared}; {won}"
                f"{_left_out(record)}")
    why = "no better than the defaults" if reason == "no better in CV" else "not surely better"
    return (f"ranking weights: the defaults; weights learned from {_learned_from(record)} "
            f"ranked them {why} ({compared}; {won}{_left_out(record)})")
