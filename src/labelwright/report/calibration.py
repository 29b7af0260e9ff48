"""The report's calibration per predicted label: the label model's probabilities are
calibrated on all labels together (one scaling, one confidence map), so a run can be
calibrated on average and overstate one label while understating another. Per label it
gave on held-out gold: items, mean confidence, accuracy with its 95% Wilson interval, and a
flag where that interval lies wholly below the mean confidence."""

from __future__ import annotations

import pandas as pd

from labelwright.counts import counted
from labelwright.report import html
from labelwright.review.agreement import wilson_interval


def overconfident(table: pd.DataFrame) -> list[str]:
    """The labels whose accuracy's 95% Wilson interval lies below their mean confidence."""
    return [str(r.label) for r in table.itertuples()
            if wilson_interval(int(r.correct), int(r.items))[1] < r.confidence]


def class_calibration(table: pd.DataFrame | None) -> str:
    """The table of :func:`~labelwright.report.data.class_reliability_table` as HTML, with a
    note naming the labels it flags (empty without held-out gold the model labeled)."""
    if table is None or table.empty:
        return ""
    flagged = overconfident(table)  # in the table's order, the labels' order
    rows = []
    for r in table.itertuples():
        low, high = wilson_interval(int(r.correct), int(r.items))
        flag = (f"yes: {100 * (r.confidence - r.accuracy):.1f} points below"
                if str(r.label) in flagged else "")
        rows.append([html.user(r.label), int(r.items), html.pct(r.confidence),
                     f"{html.pct(r.accuracy)} ({html.ci(low, high)})", flag])
    note = ("No label's accuracy lies below its mean confidence." if not flagged else
            "Right less often than their confidence says (the accuracy's 95% interval "
            f"lies wholly below the mean confidence): {', '.join(html.user(x) for x in flagged)} "
            f"({len(flagged)} of {counted(len(table), 'label')}). "
            "Read their confidences as too high: a review threshold lets more of their "
            "wrong labels through than it does of the others'.")
    return ("<h3>Calibration per predicted label</h3>"
            '<p class="muted">The label model\'s probabilities are calibrated on all labels '
            "together, so the expected calibration error above can be small while one label "
            "is right far less often than its confidence says and another more. Per label "
            "the label model gave, on the same held-out gold items: mean confidence and "
            "accuracy, with its 95% Wilson interval.</p>"
            f"<p>{note}</p>"
            + html.table(["label", "items", "mean confidence", "accuracy (95% interval)",
                          "accuracy below confidence"], rows,
                         numeric=[False, True, True, True, False]))
