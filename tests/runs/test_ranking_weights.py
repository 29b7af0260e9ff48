"""The line a run prints of its ranking weights (labelwright.runs.ranking_weights)."""

from __future__ import annotations

import pytest

from labelwright.review.ranking.weights import WeightsEvidence
from labelwright.runs.ranking_weights import ranking_weights_text


def line(source: str, reason: str, **counts) -> str | None:
    return ranking_weights_text(WeightsEvidence(source, reason, **counts).record())


def test_a_run_without_the_record_prints_nothing():
    assert ranking_weights_text(None) is None


@pytest.mark.parametrize(("evidence", "says"), [
    (("default", "no reviews"), "the defaults (no reviewed item"),
    (("default", "too few", {"reviewed": 150, "used": 0}),
     "the defaults (0 reviewed items (0 with a wrong label before review); learned weights "
     "need 30; 150 other reviewed items left out: their label before review is not known "
     "(run gone, or its label set differs)"),
    # as runs recorded it before "too few" covered reviewed items none of them usable
    (("default", "no reviews", {"reviewed": 150, "used": 0}), "150 other reviewed items"),
    (("default", "too few", {"reviewed": 12, "used": 12, "wrong": 4}),
     "the defaults (12 reviewed items (4 with a wrong label before review); learned weights "
     "need 30)"),
    (("default", "one-sided", {"reviewed": 40, "used": 40, "wrong": 2}),
     "need 5 wrong and as many right"),
    (("default", "no better in CV", {"reviewed": 395, "used": 395, "wrong": 192,
                                     "cv_default": 0.982, "cv_learned": 0.981,
                                     "bootstrap_wins": 0.2}),
     "ranked them no better than the defaults (cross-validated average precision of the "
     "wrong labels 0.981, the defaults' 0.982; better in 20% of bootstrap resamples, 95% "
     "needed)"),
    (("default", "not sure", {"reviewed": 50, "used": 50, "wrong": 9, "cv_default": 0.8,
                              "cv_learned": 0.81, "bootstrap_wins": 0.7}),
     "not surely better"),
    (("reviewed", "learned", {"reviewed": 160, "used": 150, "wrong": 30, "cv_default": 0.5,
                              "cv_learned": 0.9, "bootstrap_wins": 1.0}),
     "ranking weights: learned from 150 reviewed items (30 with a wrong label before "
     "review): cross-validated"),
    # the items left out are said last: the sentence they would split reads whole
    (("default", "not sure", {"reviewed": 62, "used": 50, "wrong": 9, "cv_default": 0.8,
                              "cv_learned": 0.81, "bootstrap_wins": 0.7}),
     "weights learned from 50 reviewed items (9 with a wrong label before review) ranked "
     "them not surely better"),
])
def test_the_line_says_which_weights_and_why(evidence, says):
    source, reason, *counts = evidence
    text = line(source, reason, **(counts[0] if counts else {}))
    assert text is not None and text.startswith("ranking weights: ") and says in text


def test_the_items_left_out_close_the_line():
    text = line("reviewed", "learned", reviewed=160, used=150, wrong=30, cv_default=0.5,
                cv_learned=0.9, bootstrap_wins=1.0)
    assert text is not None and text.endswith(
        "; 10 other reviewed items left out: their label before review is not known (run "
        "gone, or its label set differs) or the run gave them none")
