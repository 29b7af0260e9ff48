"""The report's Reviews section: agreement between reviewers, the accuracy of each earlier
run's labels from its reviewed samples, and how often reviewers confirmed the run's label
(the figures of :mod:`labelwright.report.reviews`)."""

from __future__ import annotations

import math
from typing import Any

from labelwright.report.html import ci, esc, pct, section, table, user
from labelwright.report.reviews import (
    ADJUDICATORS,
    AGREEMENT_REASONS,
    AUDIT,
    QUEUE,
    RANDOM_SAMPLE,
    ReviewStats,
)
from labelwright.review.stats.agreement import wilson_interval
from labelwright.review.stats.audit_estimate import precision_note, weighted_text
from labelwright.review.stats.run_accuracy import (
    FEW_REVIEWS,
    FEW_REVIEWS_TITLE,
    FEW_REVIEWS_WHY,
    RunAccuracy,
    few_reviews,
    left_out_text,
    reviewed_of,
)


def reviews_section(stats: ReviewStats | None, problem: str | None = None) -> str:
    if stats is None:
        return section("reviews", "Reviews",
                       f'<p class="hint">Reviews not shown: {esc(problem or "none")}</p>')
    rows = [[esc(ROW_NAMES.get(row, f"queue: {row}" if row in AGREEMENT_REASONS else row)),
             f"{agree:,} / {total:,}", pct(agree / total if total else None),
             *_override_cells(stats.overridden.get(row))]
            for row, (agree, total) in stats.model_agreement.items()]
    reviewers = ", ".join(f"{user(k)} ({v:,})" for k, v in stats.reviewers.items())
    besides, left_out = "", ""
    if stats.adjudicators:  # as review stats: a settlement is not one vote among others
        besides = " besides the adjudicators"
        left_out = (f" The adjudicators ({', '.join(map(user, stats.adjudicators))}) are left "
                    "out of these figures: their decisions settle disagreements, they are "
                    "not one "
                    "rating among others.")
    return section(
        "reviews", "Reviews",
        f"<p>{stats.reviews:,} reviews of {stats.items:,} items by {reviewers}. "
        f"{stats.multi_reviewed:,} items have two or more reviewers{besides}; pairwise reviewer "
        f"agreement: {_headline(stats, pct(stats.pair_agreement))}{_beyond_chance(stats)}."
        f"{left_out}</p>{_few_items_caveat(stats)}",
        label_agreement_part(stats),
        accuracy_part(stats),
        "<h3>Model label confirmed by reviewers</h3>",
        '<p class="muted">Each review decision against the label the run it was exported from '
        "gave the item (what a reviewer shown the label saw; a blind reviewer decided from "
        "the text alone), counted as <code>labelwright review stats</code> counts it: a "
        "decision on an item that run gave no label has nothing to agree with and is left "
        "out. Counted per decision, not per item: an item two raters reviewed counts twice, "
        "and an adjudicator's decision on it once more (the adjudicators' row has them "
        "apart).</p>",
        '<p class="muted">These shares are not how often the labels are right. The review '
        "queue holds the hard items, put first because their label is likely wrong (LFs in "
        "conflict, low confidence), so reviewers reject many of its labels by design; the "
        "adjudicators decide only where raters disagreed. The random sample and the audit "
        "are drawn at random (from all items, from the accepted labels): their rows come "
        "nearest to how often a label is right, and the accuracy table above gives that "
        "per item, with intervals.</p>",
        "".join(f'<p class="hint">{esc(note)}</p>' for note in stats.notes),
        '<p class="muted">The last two columns are the override rate, the figure '
        "<code>labelwright review stats</code> gives: of the labels reviewers were shown, "
        "how many they changed, per reason and per round (the run an item was exported "
        "from). They leave out blind decisions (shown no label) and the adjudicators' (so "
        "they are empty on those rows), and count a decision exported with the random sample "
        "under its row alone. It is not the \"reviewed labels other than the label model's "
        "own\" under Changes, which compares the reviews with a label model fit with them."
        "</p>",
        table(["which decisions", "agree / decisions", "share", "changed / shown",
               "override rate"], rows),
    )


def _override_cells(overridden: tuple[int, int] | None) -> list[str]:
    """The ``changed`` and ``override rate`` cells of a row; empty where the override rate
    does not count the row's decisions (blind ones, the adjudicators')."""
    if overridden is None:
        return ["", ""]
    changed, shown = overridden
    return [f"{changed:,} / {shown:,}", pct(changed / shown if shown else None)]


def _headline(stats: ReviewStats, figure: str) -> str:
    """An agreement figure, bold as a headline only from :data:`FEW_REVIEWS` items with two
    or more reviewers on, the minimum the accuracy table reads a figure from: alpha 0.000
    and kappa -0.333 from 2 items had headed the section."""
    return f"<b>{figure}</b>" if stats.multi_reviewed >= FEW_REVIEWS else figure


def _few_items_caveat(stats: ReviewStats) -> str:
    """Under the agreement figures, when fewer than :data:`FEW_REVIEWS` items have two or
    more reviewers: they are too few to read reviewer agreement from."""
    if not stats.multi_reviewed or stats.multi_reviewed >= FEW_REVIEWS:
        return ""
    return (f'<p class="muted">Too few items: {stats.multi_reviewed:,} with two or more '
            f"reviewers, under the {FEW_REVIEWS} the accuracy table needs too, so the "
            "agreement figures above can swing widely with one more item and say little "
            "of how well reviewers agree.</p>")


def _beyond_chance(stats: ReviewStats) -> str:
    """Agreement beyond chance beside the raw share, as ``review stats`` gives it: the share
    alone reads high wherever one label is common. "" without two ratings of an item."""
    if not stats.multi_reviewed or math.isnan(stats.alpha):
        return ""
    low, high = stats.alpha_ci
    span = "" if math.isnan(low) else f", 95% interval {low:.3f}–{high:.3f}"
    fleiss = "" if math.isnan(stats.fleiss) else (
        f"; Fleiss' kappa {_headline(stats, f'{stats.fleiss:.3f}')} ({stats.fleiss_items:,} "
        "items with the "
        "most common number of reviewers)")
    return (f"; Krippendorff's alpha (nominal) {_headline(stats, f'{stats.alpha:.3f}')}"
            f"{span}{fleiss} "
            "(<code>labelwright review stats</code> gives them per pair too; per label "
            "below)")


def label_agreement_part(stats: ReviewStats) -> str:
    """Agreement per label, as ``review stats`` gives it: one figure for the whole label
    set hides a label the raters read differently (a rare one most of all). "" without an
    item rated twice."""
    if stats.per_label is None or not len(stats.per_label):
        return ""

    def score(value: float) -> str:
        return "—" if math.isnan(value) else f"{value:.3f}"

    rows = [[user(str(row.label)), f"{row.ratings:,}", pct(row.specific), score(row.alpha),
             "—" if math.isnan(row.ci_low) else f"{row.ci_low:.3f}–{row.ci_high:.3f}"]
            for row in stats.per_label.itertuples()]
    return ("<h3>Agreement per label</h3>"
            '<p class="muted">On the items with two or more reviewers (the adjudicators '
            "aside). Specific agreement: of the ratings with the label, the share whose other "
            "reviewers of the item chose it too; alpha (one vs rest): agreement beyond chance "
            "on whether an item has the label, with its 95% bootstrap interval over items. "
            "A label with few ratings has a wide interval.</p>"
            + table(["label", "ratings", "specific agreement", "alpha (one vs rest)",
                     "95% interval"], rows) + _splits_part(stats))


def _splits_part(stats: ReviewStats) -> str:
    """The pairs of labels the reviewers split on, as ``review stats`` names them: the
    table says a label is read differently, this says with which other label (what its
    definition should tell apart). "" without a split."""
    if not stats.splits:
        return ""
    split = ", ".join(f"{user(a)} / {user(b)} ({n:,} item{'' if n == 1 else 's'})"
                      for a, b, n in stats.splits)
    return f"<p>The labels reviewers split on: {split}.</p>"


#: the names of the rows of "Model label confirmed by reviewers"
ROW_NAMES = {
    RANDOM_SAMPLE: "random sample (drawn at random from all items)",
    AUDIT: "audit sample (drawn at random from the accepted labels)",
    QUEUE: "review queue: the hard items, likely wrong (every reason but the audit)",
    ADJUDICATORS: "adjudicators' decisions (only where raters disagreed)",
    "all": "every decision above together (queue, samples, both raters, adjudicators)",
}


def accuracy_part(stats: ReviewStats) -> str:
    """Per earlier run, the accuracy of its labels from the reviewed items of its own audit
    and random samples: the figures ``review stats RUN`` prints for that run."""
    if not stats.run_accuracy and not stats.accuracy_notes:
        return ""
    rows: list[list[Any]] = []
    few: list[list[Any]] = []
    for r in stats.run_accuracy:
        for sample, size, what, which in (
                (r.audit, r.audit_items, "audit sample: accepted labels" + (
                    ", weighted by label" if r.audit.weighted is not None else ""), "audit"),
                (r.sample, r.sample_items,
                 "random sample: all labels, an item without one counts as wrong", "sample")):
            if sample.reviewed:
                (few if few_reviews(sample) else rows).append([
                    f"<code>{esc(r.run_id)}</code>", esc(what),
                    esc(reviewed_of(sample, size, which)
                        + left_out_text(r.audit_left_out if which == "audit"
                                        else r.sample_left_out)),
                    f"{sample.correct:,} / {sample.reviewed:,}", pct(sample.accuracy),
                    ci(sample.ci_low, sample.ci_high)])
    headers = ["run", "sample", "reviewed", "right / reviewed", "accuracy", "95% interval"]
    numeric = [False, False, True, True, True, True]
    apart = "" if not few else (
        f'<h4>{esc(FEW_REVIEWS_TITLE)}</h4><p class="muted">{esc(FEW_REVIEWS_WHY)}</p>'
        + table(headers, few, numeric=numeric))
    return ("<h3>Accuracy of each run's labels, from its reviewed samples</h3>"
            '<p class="muted">Each run draws its own audit sample (of its accepted labels) and '
            "random sample (of all items); their reviewed items measure that run's labels. "
            "These are the figures <code>labelwright review stats RUN</code> prints for each "
            "run, from the reviews this run read: an item of a random sample that its run "
            "left without a label counts as wrong. <i>Reviewed</i> is how many of the "
            "sample's items have a reviewed label, however they came to be reviewed.</p>"
            + "".join(f'<p class="hint">{esc(note)}</p>' for note in stats.accuracy_notes)
            + (table(headers, rows, numeric=numeric) if rows else "") + apart
            + "".join(per_label_part(r) for r in stats.run_accuracy))


def per_label_part(figures: RunAccuracy) -> str:
    """Per predicted label, the precision of a run's accepted labels from its reviewed
    audit items, with the items it rests on, as ``review stats RUN`` prints it, but with
    the Wilson interval the page gives every share (``review stats`` gives the exact one)
    ("" when no audit item of the run is reviewed)."""
    if not any(p.reviewed for p in figures.audit_per_label):
        return ""
    # Wilson, as every other share on the page: with the exact interval here, the same
    # 1-of-1 audit figure read 20.7-100% in the table above and 2.5-100% in this one
    rows = [[esc(p.label), "?" if p.accepted is None else f"{p.accepted:,}",
             "?" if p.audited is None else f"{p.audited:,}", f"{p.correct:,} / {p.reviewed:,}",
             pct(p.precision if p.reviewed else None),
             ci(*wilson_interval(p.correct, p.reviewed)) if p.reviewed else "—",
             esc(precision_note(p))]
            for p in figures.audit_per_label]
    weighted = "" if figures.audit_weighted is None else (
        f'<p class="muted">The accuracy above is '
        f"{esc(weighted_text(figures.audit_weighted))}.</p>")
    return (f"<h4>Precision of accepted labels per predicted label, run "
            f"<code>{esc(figures.run_id)}</code> (its audit sample; 95% Wilson interval, as "
            "the accuracy above)</h4>"
            + weighted
            + '<p class="muted"><i>Accepted</i>: the run\'s accepted items with the label, '
              "which its audit drew from; <i>audited</i>: how many it drew (? for a run from "
              "before they were recorded). The audit draws at random within each label, so "
              "a label's reviewed items estimate its precision; "
              '<code>[triage] audit_allocation = "per_label"</code> gives every label as '
              "many.</p>"
            + table(["label", "accepted", "audited", "right / reviewed", "precision",
                     "95% interval", "note"], rows,
                    numeric=[False, True, True, True, True, True, False]))
