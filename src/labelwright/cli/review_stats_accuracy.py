"""The lines of ``review stats`` (:mod:`labelwright.cli.review_stats`) on the run's
accuracy: the accepted labels' accuracy from the run's audit sample, with its precision per
predicted label, and all labels' accuracy from the random sample, each with how many of the
sample's items were reviewed, why there is no figure, and where other runs' reviewed samples
are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

from labelwright.cli.review import console
from labelwright.percent import percent

if TYPE_CHECKING:
    from labelwright.review.stats.agreement import AuditAccuracy
    from labelwright.review.stats.figures import ReviewStats
    from labelwright.review.stats.run_accuracy import RunAccuracy


def interval_text(low: float, high: float) -> str:
    """``20.7%–100.0%``; one ``—`` when there is none (nothing reviewed), not ``—–—``."""
    if percent(low) == "—" and percent(high) == "—":
        return "—"
    return f"{percent(low)}–{percent(high)}"


def print_run_accuracy(stats: ReviewStats) -> None:
    """The run's accuracy from the reviewed items of its audit and random samples, each with
    how many of the sample's items were reviewed; a figure on too few reviews is set apart
    under the heading the report gives it (one rule: review.run_accuracy)."""
    from labelwright.review.stats.run_accuracy import (
        FEW_REVIEWS_WHY,
        few_reviews,
        few_reviews_title,
        left_out_text,
        reviewed_of,
    )

    few: list[str] = []
    few_of: set[str] = set()  # the samples whose figures are set apart
    left_out = {"audit": stats.audit_left_out, "sample": stats.sample_left_out}

    def show(title: str, figure: AuditAccuracy, size: int | None, which: str,
             beside: str | None = None) -> None:
        """The figure's line, and ``beside`` (a line that qualifies it) right under it:
        both where the figure goes, set apart under the few-reviews heading or not."""
        settled = " and settled" if left_out[which] else ""
        of = (f"; {reviewed_of(figure, size, which)} reviewed{settled}" if figure.reviewed
              else "") + left_out_text(left_out[which])
        weighted = ", weighted by label" if figure.weighted is not None else ""
        lines = [f"{title}: {percent(figure.accuracy)}{weighted} "
                 f"({figure.correct}/{figure.reviewed}{of}; "
                 f"95% interval {interval_text(figure.ci_low, figure.ci_high)})"]
        if beside is not None:
            lines.append(f"  {beside}")
        if few_reviews(figure):
            few_of.add(which)
        for line in lines:
            (few.append if few_reviews(figure) else console.print)(line)

    show("accepted-label accuracy from the audit sample", stats.audit, stats.audit_items,
         "audit", _why_no_audit_figure(stats))
    if stats.own is not None:
        _print_audit_per_label(stats.own)
    if stats.audits_elsewhere:
        console.print(f"  no audit item of run {stats.run_id} is reviewed yet (each run draws "
                      "its own audit sample; reviewed items take their reviewed label in the "
                      "next run); " + _elsewhere("audit sample", stats.audits_elsewhere))
    if stats.sample.reviewed or stats.sample_left_out:
        labelled = stats.sample_labelled
        # coverage times accuracy in the figure: the labels' own accuracy beside it, with
        # the figure wherever it goes (under the audit's heading it read as the audit's)
        beside = (f"of them with a label: {percent(labelled.accuracy)} "
                  f"({labelled.correct}/{labelled.reviewed}; 95% interval "
                  f"{interval_text(labelled.ci_low, labelled.ci_high)}); "
                  f"{stats.sample.reviewed - labelled.reviewed} had no label"
                  if labelled is not None and labelled.reviewed < stats.sample.reviewed
                  else None)
        show(f"label accuracy from the random sample (all labels of run {stats.run_id}; an "
             "item without a label, (none), counts as wrong)", stats.sample,
             stats.sample_items, "sample", beside)
    elif stats.samples_elsewhere:
        console.print(f"label accuracy from the random sample: no item of run "
                      f"{stats.run_id}'s random sample is reviewed yet; "
                      + _elsewhere("random sample", stats.samples_elsewhere))
    if few:
        console.print(few_reviews_title(few_of))
        for line in few:
            console.print(f"  {line}")
        console.print(f"  {FEW_REVIEWS_WHY}")


def _why_no_audit_figure(stats: ReviewStats) -> str | None:
    """Why the audit figure rests on no review, as far as the run's manifest tells: the run
    drew no audit (it is off, no label was accepted, or every accepted item has held-out
    gold: as ``run`` says it), or none of its audit items is reviewed yet. None when the
    figure rests on reviews, when reviewed items were left out (its line says so), or when
    another run's reviewed audit is named below."""
    from labelwright.cli.audit_lines import EXPORT_AUDIT, no_audit_reason

    if stats.audit.reviewed or stats.audit_left_out:
        return None
    reason = no_audit_reason(stats.triage, gold_figure="the run's accuracy on held-out gold, "
                             "which `labelwright run` and its report show")
    if reason is not None:
        return reason
    if stats.audit_items == 0:
        return f"run {stats.run_id} drew no audit sample"
    if stats.audits_elsewhere:
        return None
    size = stats.audit_items
    return (f"no audit item of run {stats.run_id} is reviewed yet: review "
            + (f"its {size:,} " if size is not None else "them ")
            + f"with {EXPORT_AUDIT}, then `labelwright review import`")


def _print_audit_per_label(own: RunAccuracy) -> None:
    """How the audit figure above was weighted (where the audit was shared alike per
    label), and per predicted label the precision of the accepted labels, with the exact
    interval and the items it rests on (none where no audit item was reviewed)."""
    from labelwright.review.stats.audit_estimate import precision_note, weighted_text

    if own.audit_weighted is not None:
        console.print(f"  {weighted_text(own.audit_weighted)}", highlight=False)
    if not any(p.reviewed for p in own.audit_per_label):
        return
    table = Table(title="Precision of accepted labels per predicted label, from the audit "
                  "sample (95% exact interval)", title_justify="left")
    for column in ("label", "accepted", "audited", "reviewed", "right", "precision",
                   "interval", "note"):
        table.add_column(column)
    for p in own.audit_per_label:
        table.add_row(p.label, "?" if p.accepted is None else f"{p.accepted:,}",
                      "?" if p.audited is None else f"{p.audited:,}", str(p.reviewed),
                      str(p.correct), percent(p.precision), interval_text(p.ci_low, p.ci_high),
                      precision_note(p))
    console.print(table)
    console.print("  accepted: the run's accepted items with the label that the audit drew "
                  "from; audited: how many it drew; ? where the run did not record them (an "
                  "older run)", highlight=False)

def _elsewhere(sample: str, counts: dict[str, int], *, shown: int = 3) -> str:
    """Where the reviews of other runs' samples are (the newest ``shown`` runs), and the
    command that measures them."""
    listed = list(counts.items())[:shown]
    more = len(counts) - len(listed)
    return "; ".join(f"the {sample} of run {run} has {n} reviewed: `labelwright review stats "
                     f"{run}` shows that run's accuracy" for run, n in listed) + (
        f"; and {more} more run(s) with reviewed items" if more else "")
