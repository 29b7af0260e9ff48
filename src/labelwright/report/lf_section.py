"""The report's LF table: each LF's coverage, overlaps, conflicts, votes judged right and
wrong on gold and on the review queue, what the label model learned of it and its
failures, sortable by any column; then the LFs wrong most often, with where each is
defined."""

from __future__ import annotations

import math
from typing import Any

from labelwright.counts import labels_counted
from labelwright.report import html
from labelwright.report.data import RunData


def _pct_cell(value: Any) -> tuple[str, str]:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return html.pct(value), "NaN" if missing else f"{float(value):.6f}"


LF_COLUMNS = (("lf", "LF"), ("kind", "kind"), ("polarity", "polarity"), ("coverage", "coverage"),
              ("overlaps", "overlaps"), ("conflicts", "conflicts"), ("correct", "correct"),
              ("incorrect", "incorrect"), ("emp_accuracy", "emp. accuracy"),
              ("queue_correct", "queue correct"), ("queue_incorrect", "queue incorrect"),
              ("queue_accuracy", "queue accuracy"),
              ("learned_accuracy", "learned accuracy"), ("learned_weight", "learned weight"),
              ("failures", "failures"))
_PCT = {"coverage", "overlaps", "conflicts", "emp_accuracy", "queue_accuracy",
        "learned_accuracy"}
_COUNTS = ("correct", "incorrect", "queue_correct", "queue_incorrect", "failures")


def lf_table(data: RunData) -> str:
    present = [(key, title) for key, title in LF_COLUMNS if key in data.lf_table.columns]
    rows = []
    for record in data.lf_table.to_dict("records"):
        row: list[Any] = []
        for key, _ in present:
            value = record[key]
            if key in _PCT:
                row.append(_pct_cell(value))
            elif key == "learned_weight":  # NaN for an LF that never votes: no weight
                row.append(("—", "NaN") if value is None or math.isnan(float(value))
                           else (html.esc(f"{value:.3f}"), f"{value:.6f}"))
            elif key in _COUNTS:
                shown = f'<span class="bad">{int(value)}</span>' if key == "failures" and value \
                    else html.esc(int(value))
                row.append((shown, int(value)))
            elif key == "lf":
                row.append(html.user(value))
            elif key == "polarity" and isinstance(value, str) and value:  # labels, joined
                listed = ", ".join(html.user(label) for label in value.split(", "))
                many = labels_counted(value, data.labels)
                row.append(listed if many is None else
                           f"<details><summary>{html.esc(many)}</summary>{listed}</details>")
            else:
                row.append(html.esc(value))
        rows.append(row)
    numeric = [key not in ("lf", "kind", "polarity") for key, _ in present]
    # 14 columns overflowed a 1366px screen: headers wrap, and the table scrolls inside
    # its section as the confusion table does
    return ('<div class="scroll wrap-heads">'
            + html.table([t for _, t in present], rows, sortable=True, numeric=numeric)
            + "</div>" + (
        '<p class="muted">Click a column header to sort. Coverage, overlaps and conflicts are '
        "shares of all items; correct, incorrect and empirical accuracy count the items with "
        "a gold label or a reviewed label from a random sample, which picture an LF's votes "
        "(on a gold item a reviewed label counts where the two differ)."
        + (" The queue columns count the reviewed labels of the review queue and audit: the "
           "hard items, picked because LFs conflict, the model is unsure or no LF voted (the "
           "audit: accepted labels only), so not a picture of an LF's votes."
           if "queue_accuracy" in data.lf_table.columns else "")
        + (_learned_caption(data) if "learned_accuracy" in data.lf_table.columns else "")
        + "</p>" + _queue_mixed_note(data)) + wrong_most(data))


def wrong_most(data: RunData) -> str:
    """The LFs wrong most often on gold or random-sample reviews, with where each is
    defined, as ``run`` prints them under its LF table: the report's "misreads N LFs"
    warning sends the reader here, and the page had not had them."""
    from labelwright.lfs.wrong_most import WRONG_SHOWN, ranked_wrong

    frame = data.lf_table
    ranked = ranked_wrong(frame)
    if not len(ranked):
        return ""
    items = []
    for row in ranked.head(WRONG_SHOWN).to_dict("records"):
        right, bad = int(row["correct"]), int(row["incorrect"])
        place = row.get("location")
        where = f", {html.user(place)}" if isinstance(place, str) and place else ""
        items.append(f"<li>{html.user(row['lf'])}: {bad:,} wrong of {right + bad:,} "
                     f"({right / (right + bad):.0%} right){where}</li>")
    return (f'<h3 id="wrong-most">LFs wrong most often on gold or random-sample reviews '
            f"({len(ranked)} of {len(frame)} LFs have wrong votes)</h3><ul>{''.join(items)}"
            '</ul><p class="muted"><code>labelwright analyze --lf NAME</code> shows an LF\'s '
            "wrong votes with the items' text.</p>")


def _learned_caption(data: RunData) -> str:
    """What the learned-accuracy column holds: since runs record their warnings
    (``run_warnings``, the same release), the share of an LF's votes the label model takes
    to be right; before, the model's own per-LF parameter, which can read far apart."""
    manifest = getattr(data, "manifest", None)  # a table alone: today's meaning
    if manifest is not None and "run_warnings" not in manifest:
        return (" Learned accuracy: the label model's own per-LF accuracy parameter, as an "
                "older labelwright wrote it (newer runs show the share of an LF's votes the "
                "model takes to be right, over the items it voted on, which can differ).")
    return (" Learned accuracy: the share of an LF's votes the label model takes to be right, "
            "over the items it voted on.")


def _queue_mixed_note(data: RunData) -> str:
    """For a run whose lf_summary.csv counted the queue's reviewed labels in correct /
    incorrect / empirical accuracy (written before they were counted apart): say so."""
    reviews = (getattr(data, "manifest", None) or {}).get("reviews") or {}  # a table alone
    queue = int(reviews.get("items_with_gold") or 0) \
        - int(reviews.get("items_from_random_sample") or 0)
    if queue <= 0 or "correct" not in data.lf_table.columns \
            or "queue_correct" in data.lf_table.columns:
        return ""
    return (f'<p class="hint">This run\'s LF table was written by an older labelwright: its '
            f"correct, incorrect and empirical accuracy also count {queue:,} reviewed "
            "label(s) of the review queue and audit, the hard items, so they are not a "
            "picture of an LF's votes. A new run counts them apart.</p>")
