"""The report's calibration per group of gold items: per predicted label, and per vote
pattern (agreeing votes, a split, one vote). The label model's probabilities are calibrated
on all items together (one scaling, one confidence map), so a run can be calibrated on
average and overstate one group while understating another. Per group, on held-out gold:
items, mean confidence, accuracy with its 95% Wilson interval, and a flag where that
interval lies wholly below the mean confidence (over-confident: wrong labels pass a review
threshold) or wholly above it (under-confident: right labels are sent to review)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from labelwright.counts import counted
from labelwright.models.vote_calibration import GAP_WORDS, VOTE_PATTERN_WORDS, confidence_gap
from labelwright.project.label_calibration import overconfident as overconfident
from labelwright.project.label_calibration import review_cost_words
from labelwright.project.label_calibration import underconfident as underconfident
from labelwright.report import html
from labelwright.report.data import RunData, expected_calibration_error
from labelwright.review.stats.agreement import wilson_interval


def _gap_cell(gap: str | None, confidence: float, accuracy: float) -> str:
    """The flag column's words: how far accuracy lies from the confidence, and which way."""
    if gap is None:
        return ""
    points = 100 * abs(confidence - accuracy)
    return f"{GAP_WORDS[gap]}: {points:.1f} points {'below' if gap == 'over' else 'above'}"


def class_calibration(table: pd.DataFrame | None) -> str:
    """The table of :func:`~labelwright.project.label_calibration.label_calibration` as HTML, with
    notes naming the labels it flags either way (empty without held-out gold the model
    labeled)."""
    if table is None or table.empty:
        return ""
    over, under = overconfident(table), underconfident(table)  # in the labels' order
    rows = []
    for r in table.itertuples():
        low, high = wilson_interval(int(r.correct), int(r.items))
        gap = confidence_gap(int(r.correct), int(r.items), r.confidence)
        rows.append([html.user(r.label), int(r.items), html.pct(r.confidence),
                     f"{html.pct(r.accuracy)} ({html.ci(low, high)})",
                     _gap_cell(gap, r.confidence, r.accuracy)])
    notes = []
    if over:
        notes.append(
            "Right less often than their confidence says (the accuracy's 95% interval "
            f"lies wholly below the mean confidence): {', '.join(html.user(x) for x in over)} "
            f"({len(over)} of {counted(len(table), 'label')}). "
            "Read their confidences as too high: a review threshold lets more of their "
            "wrong labels through than it does of the others'.")
    if under:
        costs = [review_cost_words(r, html.user(r.label)) for r in table.itertuples()
                 if str(r.label) in under]
        notes.append(
            "Right more often than their confidence says (the interval lies wholly above "
            f"the mean confidence): {', '.join(html.user(x) for x in under)} "
            f"({len(under)} of {counted(len(table), 'label')}). Their low confidences send "
            "items to review whose labels the gold says are right: reviewer time spent "
            "confirming them" + (f" ({'; '.join(c for c in costs if c)})" if any(costs)
                                 else "") + ".")
    if not notes:
        notes.append("Every label's accuracy interval holds its mean confidence: none is "
                     "flagged either way.")
    return ("<h3>Calibration per predicted label</h3>"
            '<p class="muted">The label model\'s probabilities are calibrated on all labels '
            "together, so the expected calibration error above can be small while one label "
            "is right far less often than its confidence says and another more. Per label "
            "the label model gave, on the same held-out gold items: mean confidence and "
            "accuracy, with its 95% Wilson interval.</p>"
            + "".join(f"<p>{note}</p>" for note in notes)
            + html.table(["label", "items", "mean confidence", "accuracy (95% interval)",
                          "accuracy outside confidence"], rows,
                         numeric=[False, True, True, True, False]))


def vote_calibration(groups: dict[str, dict[str, Any]] | None) -> str:
    """:func:`~labelwright.models.vote_calibration.calibration_by_votes` of the held-out gold
    items as HTML: a row per vote pattern, the over-confident ones flagged and named
    (empty without such items)."""
    if not groups:
        return ""
    rows, over = [], []
    for pattern, g in groups.items():
        low, high, gap = g["ci_low"], g["ci_high"], g["gap"]
        words = VOTE_PATTERN_WORDS.get(pattern, pattern)
        if gap == "over":
            over.append(f"{words} ({html.pct(g['confidence'])} confident, "
                        f"{html.pct(g['accuracy'])} right)")
        rows.append([html.esc(words), int(g["items"]), html.pct(g["confidence"]),
                     f"{html.pct(g['accuracy'])} ({html.ci(low, high)})",
                     _gap_cell(gap, float(g["confidence"]), float(g["accuracy"]))])
    note = ("Right less often than their confidence says: " + "; ".join(over)
            + ". Read confidences on such items as too high, whatever the expected "
            "calibration error says: a review threshold lets their wrong labels through."
            if over else "No vote pattern's accuracy lies below its mean confidence.")
    return ("<h3>Calibration per vote pattern</h3>"
            '<p class="muted">The same held-out gold items by how the LFs voted on them: two '
            "or more votes all for one label (agree); votes for two or more labels, one with "
            "the most (conflict) or the top two with as many each (split); a single vote; "
            "none. The expected calibration error averages them, so a small group the "
            "label model is sure of and often wrong on (a split it settles with a high "
            "probability) hides behind a large one it gets right.</p>"
            f"<p>{note}</p>"
            + html.table(["votes", "items", "mean confidence", "accuracy (95% interval)",
                          "accuracy outside confidence"], rows,
                         numeric=[False, True, True, True, False]))


def calibration_note(data: RunData) -> str:
    """The expected calibration error over the gold items, under the reliability diagram."""
    if data.reliability is None:
        return ('<p class="muted">No reliability diagram: labels.parquet has no '
                "<code>gold</code> column with values.</p>")
    left = " (items with a reviewed label left out)" if data.n_reviewed else ""
    error = expected_calibration_error(data.reliability)
    return f"<p>Expected calibration error {html.pct(error)} " \
           f"over {int(data.reliability['items'].sum()):,} gold items the label model " \
           f"labeled{left}.</p>"
