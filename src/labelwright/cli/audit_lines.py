"""``run``'s lines on the accuracy of its accepted labels: what the newest reviewed audit of
an earlier run says of them, or why it says nothing
(:mod:`labelwright.review.stats.previous_audit`)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from labelwright.percent import percent
from labelwright.review.stats.audit_estimate import precision_note
from labelwright.review.stats.previous_audit import PreviousAudit, previous_audit
from labelwright.review.stats.run_accuracy import FEW_REVIEWS

#: the command that exports a run's audit sample for review
EXPORT_AUDIT = "`labelwright review export --reason audit`"


def previous_audit_lines(runs_dir: Path, run_id: str, labels: pd.DataFrame, *,
                         renamed: Mapping[str, str] | None = None,
                         triage: Mapping[str, Any] | None = None) -> list[str]:
    """The lines ``run`` prints on its accepted labels' accuracy: an earlier run's audit
    figure, when every accepted label of this run is one that run accepted (same item,
    same label), with its precision per label; otherwise why no figure applies, and, as
    ``triage`` (the manifest's record) tells, whether this run's audit can be reviewed or
    why it drew none."""
    if "label_source" in labels:
        rows = labels[(labels["label_source"] == "review").to_numpy()]
        reviewed = dict(zip(rows["id"].astype(str), rows["label"].astype(str)))
    else:
        reviewed = {}
    found = previous_audit(runs_dir, run_id, labels, reviewed, renamed=renamed) \
        if reviewed else None
    if found is None:
        return ["accepted-label accuracy: no earlier run's audit sample is reviewed yet; "
                + (no_audit_reason(triage) or f"review this run's with {EXPORT_AUDIT}")]
    return _figure_lines(found)


def no_audit_reason(triage: Mapping[str, Any] | None, *,
                    gold_figure: str = "the accuracy on the gold part above") -> str | None:
    """Why this run drew no audit sample to review, from its manifest's ``triage`` (None
    when it drew one, or the record does not say): the audit is off, no label was
    accepted, or every accepted item has held-out gold, which the draw leaves out since
    the gold measures those labels already (``gold_figure``: where that accuracy is
    shown)."""
    if not triage:
        return None
    counts = triage.get("counts") or {}
    if not isinstance(counts.get("audit"), int) or counts["audit"] > 0:
        return None
    if triage.get("audit_size") == 0:
        return "this run draws no audit ([triage] audit_size = 0): set audit_size to review one"
    if not counts.get("accepted"):
        return "this run accepted no label, so it has no audit sample"
    left = (triage.get("gold_left_out") or {}).get("audit")
    if not isinstance(left, int) or left <= 0:
        return None
    accepted = counts["accepted"]
    which = (f"all {accepted:,} of its accepted items have held-out gold" if left >= accepted
             else f"{left:,} of its {accepted:,} accepted items have held-out gold and the "
                  "rest were left out of the draw too")
    return (f"this run drew no audit sample: {which}, which the draw leaves out, as the gold "
            f"measures their labels already ({gold_figure}); to audit "
            "labels as a reviewer sees them, leave the gold column empty in the rows you do "
            "not hold out")


def _figure_lines(found: PreviousAudit) -> list[str]:
    """The figure of ``found`` and whether it covers the new run, as ``run`` says it."""
    audit = found.figures.audit
    figure = (f"{percent(audit.accuracy)} ({audit.correct}/{audit.reviewed} reviewed audit "
              f"items{', weighted by label' if audit.weighted is not None else ''}; 95% "
              f"interval {percent(audit.ci_low)}–{percent(audit.ci_high)})")
    run = found.figures.run_id
    if not found.applies:
        return [f"accepted-label accuracy: run {run}'s audit ({figure}) does not measure "
                f"this run's: of its {found.accepted:,} accepted labels, {found.new:,} "
                f"{'was' if found.new == 1 else 'were'} not accepted by run {run} and "
                f"{found.relabelled:,} had another label there (LFs, "
                f"label model, data or reviews changed them); review this run's audit sample "
                f"with {EXPORT_AUDIT}"]
    per_label = "; ".join(
        f"{p.label} {percent(p.precision)} ({p.correct}/{p.reviewed}"
        + (f", {precision_note(p)}" if precision_note(p) else "") + ")"
        for p in found.figures.audit_per_label if p.reviewed)
    return [f"accepted-label accuracy: {figure}, from run {run}'s audit: every one of this "
            f"run's {found.accepted:,} accepted labels is one of the {found.earlier_accepted:,} "
            f"run {run} accepted, with the same label (the figure is of those)",
            f"  precision per label (`review stats {run}` has the intervals): {per_label}"]


def small_audit_line(triage: Mapping[str, Any]) -> str | None:
    """What ``run`` says of an audit too small to read as the run's accuracy: ``review
    stats`` sets a figure on fewer than
    :data:`~labelwright.review.stats.run_accuracy.FEW_REVIEWS` reviewed items apart (under
    "Too few reviews"), so an audit of 4 (2 per label) measures nothing however many items
    it is drawn from; None when the audit is off (0), big enough, or holds every accepted
    item there is. The way out it names besides a bigger audit is the project's random
    sample when it draws one, else drawing one."""
    size = triage.get("audit_size")
    accepted = (triage.get("counts") or {}).get("accepted")
    if not isinstance(size, int) or not isinstance(accepted, int):
        return None
    if not 0 < size < FEW_REVIEWS or accepted <= size:
        return None
    sample = triage.get("random_sample")
    other = (f"review its random sample of {sample} (`labelwright review export --sample`)"
             if isinstance(sample, int) and sample >= FEW_REVIEWS else
             f"set random_sample = {FEW_REVIEWS} or more" if isinstance(sample, int) and sample
             else "set random_sample = N (e.g. 100) and review `labelwright review export "
                  "--sample`")
    return (f"its audit of {size} of the {accepted:,} accepted items is too small to read as "
            f"the run's accuracy (`review stats` sets figures on fewer than {FEW_REVIEWS} "
            f"reviewed items apart, under \"Too few reviews\"): set [triage] audit_size = "
            f"{FEW_REVIEWS} or more, or {other}")
