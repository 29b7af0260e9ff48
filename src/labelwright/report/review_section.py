"""The report's Reviews section: agreement between reviewers, the accuracy of each earlier
run's labels from its reviewed samples, and how often reviewers confirmed the run's label
(the figures of :mod:`labelwright.report.reviews`)."""

from __future__ import annotations

from typing import Any

from labelwright.report.html import ci, esc, pct, section, table
from labelwright.report.reviews import ReviewStats
from labelwright.review.run_accuracy import FEW_REVIEWS, few_reviews


def reviews_section(stats: ReviewStats | None, problem: str | None = None) -> str:
    if stats is None:
        return section("reviews", "Reviews",
                       f'<p class="hint">Reviews not shown: {esc(problem or "none")}</p>')
    rows = [[esc("every review" if reason == "all" else reason),
             f"{agree:,} / {total:,}", pct(agree / total if total else None)]
            for reason, (agree, total) in stats.model_agreement.items()]
    reviewers = ", ".join(f"{esc(k)} ({v:,})" for k, v in stats.reviewers.items())
    besides, left_out = "", ""
    if stats.adjudicators:  # as review stats: a settlement is not one vote among others
        besides = " besides the adjudicators"
        left_out = (f" The adjudicators ({esc(', '.join(stats.adjudicators))}) are left out of "
                    "both: their decisions settle disagreements, they are not one rating among "
                    "others.")
    return section(
        "reviews", "Reviews",
        f"<p>{stats.reviews:,} reviews of {stats.items:,} items by {reviewers}. "
        f"{stats.multi_reviewed:,} items have two or more reviewers{besides}; pairwise reviewer "
        f"agreement: <b>{pct(stats.pair_agreement)}</b>.{left_out}</p>",
        accuracy_part(stats),
        "<h3>Model label confirmed by reviewers</h3>",
        '<p class="muted">Each review against the label the run it was exported from gave the '
        "item (what a reviewer shown the label saw; a blind reviewer decided from the text "
        "alone), counted as <code>labelwright review stats</code> counts it: a review of an "
        "item that run gave no label has nothing to agree with and is left out.</p>",
        "".join(f'<p class="hint">{esc(note)}</p>' for note in stats.notes),
        table(["which reviews", "agree / reviews", "share"], rows),
    )


def accuracy_part(stats: ReviewStats) -> str:
    """Per earlier run, the accuracy of its labels from the reviewed items of its own audit
    and random samples: the figures ``review stats RUN`` prints for that run."""
    if not stats.run_accuracy and not stats.accuracy_notes:
        return ""
    rows: list[list[Any]] = []
    few: list[list[Any]] = []
    for r in stats.run_accuracy:
        for sample, size, what, items in (
                (r.audit, r.audit_items, "audit sample: accepted labels", "audit items"),
                (r.sample, r.sample_items, "random sample: all labels, none counts as wrong",
                 "random-sample items")):
            if sample.reviewed:
                of = f" of {size:,}" if size is not None else ""
                (few if few_reviews(sample) else rows).append([
                    f"<code>{esc(r.run_id)}</code>", esc(what),
                    esc(f"{sample.reviewed:,}{of} {items}"),
                    f"{sample.correct:,} / {sample.reviewed:,}", pct(sample.accuracy),
                    ci(sample.ci_low, sample.ci_high)])
    headers = ["run", "sample", "reviewed", "right / reviewed", "accuracy", "95% interval"]
    numeric = [False, False, True, True, True, True]
    apart = "" if not few else (
        f"<h4>Too few reviews to read: under {FEW_REVIEWS} reviewed items</h4>"
        f'<p class="muted">These samples have fewer than {FEW_REVIEWS} reviewed items, so '
        "their figures are not the run's accuracy: the interval spans much of 0–100%. So few "
        "reviewed items of a sample were often reviewed for another reason (they headed a "
        "later run's queue), not as its sample; review the sample to measure the run.</p>"
        + table(headers, few, numeric=numeric))
    return ("<h3>Accuracy of each run's labels, from its reviewed samples</h3>"
            '<p class="muted">Each run draws its own audit sample (of its accepted labels) and '
            "random sample (of all items); their reviewed items measure that run's labels. "
            "These are the figures <code>labelwright review stats RUN</code> prints for each "
            "run, from the reviews this run read: an item of a random sample that its run "
            "left without a label counts as wrong. <i>Reviewed</i> is how many of the "
            "sample's items have a reviewed label, however they came to be reviewed.</p>"
            + "".join(f'<p class="hint">{esc(note)}</p>' for note in stats.accuracy_notes)
            + (table(headers, rows, numeric=numeric) if rows else "") + apart)
