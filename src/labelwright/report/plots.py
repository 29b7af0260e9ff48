"""Report plots, drawn as inline SVG by :mod:`labelwright.report.svg`.

Each function returns one ``<svg class="plot" data-plot="NAME">`` element. LF names, labels
and glossary terms are drawn as written (``$``, ``<`` and all: the text is escaped, never
read as markup or maths), each isolated in its own direction (an Arabic label right to left:
:mod:`labelwright.report.svg`). Every bar and heatmap cell carries its exact value as a hover
title.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from labelwright.report.html import UserText
from labelwright.report.svg import (
    FONT,
    INK,
    MUTED,
    Canvas,
    Scale,
    Text,
    legend,
    legend_width,
    ramp,
    text_width,
    ticks,
    x_axis,
    y_axis,
)

PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
           "#8C8C8C", "#CCB974", "#64B5CD")
GREENS = ("#f7fcf5", "#74c476", "#00441b")
REDS = ("#ffffff", "#fb6a4a", "#67000d")  # white at 0: a pair with no conflict is not drawn
MAX_HEATMAP_LFS = 40
#: confidence panels at most: one per predicted label up to it (16 labels once lost their 4
#: rarest, the ones a user watches); past it, the labels with the most items
MAX_PANELS = 24
ROW = 22  # pixels per bar row


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _short(name: str, n: int = 28) -> UserText:
    """A name from the user, cut to ``n`` characters, to draw isolated."""
    return UserText(_cut(name, n))


def _short_parts(parts: Sequence[str], n: int) -> list[str]:
    """Parts of a text cut to ``n`` characters in all, as :func:`_cut` cuts a string (the
    part cut keeps its kind: a :class:`UserText` stays one)."""
    if sum(len(part) for part in parts) <= n:
        return list(parts)
    out: list[str] = []
    room = n - 1
    for part in parts:
        if len(part) >= room:
            cut = part[:room] + "…"
            out.append(UserText(cut) if isinstance(part, UserText) else cut)
            break
        out.append(part)
        room -= len(part)
    return out


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def coverage(table: pd.DataFrame) -> str:
    """Coverage, overlaps and conflicts of each LF (% of items), one row per LF, the
    table's first row on top."""
    names = [_short(str(n)) for n in table["lf"]]
    series = [(column, color, height) for column, color, height in
              (("coverage", PALETTE[0], 0.7), ("overlaps", PALETTE[2], 0.45),
               ("conflicts", PALETTE[3], 0.2)) if column in table]
    values = {column: 100 * table[column].to_numpy(dtype=float) for column, _, _ in series}
    left = 12 + max((text_width(n) for n in names), default=0)
    width, top = max(left + 420, 720.0), 34
    bottom = top + ROW * len(names)
    finite = [v[np.isfinite(v)] for v in values.values()]
    peak = max((float(v.max()) for v in finite if v.size), default=0.0)
    marks = ticks(0.0, max(peak, 1.0))
    x = Scale(0.0, marks[-1], left, width - 16)
    canvas = Canvas(width, bottom + 44)
    legend(canvas, left, 12, [(column, color) for column, color, _ in series])
    x_axis(canvas, x, marks, top=top, bottom=bottom, label="% of items")
    for i, name in enumerate(names):
        middle = top + ROW * i + ROW / 2
        canvas.text(left - 6, middle, name, anchor="end")
        for column, color, height in series:
            value = float(values[column][i])
            if np.isfinite(value):
                canvas.rect(x(0), middle - ROW * height / 2, x(value) - x(0), ROW * height,
                            color, title=f"{table['lf'].iloc[i]}: {column} {_pct(value)}")
    canvas.line(left, top, left, bottom, MUTED)
    return canvas.svg("coverage", "coverage, overlaps and conflicts per LF")


def heatmaps(names: Sequence[str], co_votes: np.ndarray, agreements: np.ndarray,
             n_items: int) -> str:
    """Two LF x LF panels side by side, sharing the row names: agreement (% of the items
    both voted on where they voted alike) and conflicts (% of all items where they voted
    differently). Up to :data:`MAX_HEATMAP_LFS` LFs: those most involved in conflicts."""
    keep = np.arange(len(names))
    if len(names) > MAX_HEATMAP_LFS:
        keep = np.sort(np.argsort(-(co_votes - agreements).sum(axis=1))[:MAX_HEATMAP_LFS])
    co, agree = co_votes[np.ix_(keep, keep)], agreements[np.ix_(keep, keep)]
    labels = [_short(str(names[int(k)]), 22) for k in keep]
    full = [str(names[int(k)]) for k in keep]  # hover titles name an LF whole, not cut
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(co > 0, 100 * agree / co, np.nan)
    conflict = 100 * (co - agree) / max(n_items, 1)
    np.fill_diagonal(agreement, np.nan)
    np.fill_diagonal(conflict, np.nan)
    n = len(keep)
    numbers = n <= 15  # cells large enough to hold their value
    cell = 24.0 if numbers else 13.0
    size = FONT - 1
    names_width = 8 + max((text_width(label, size) for label in labels), default=0)
    below = 0.87 * names_width + 8  # the column names, turned 60 degrees
    grid_side = cell * n
    conflict_max = max(float(np.nanmax(conflict)) if np.isfinite(conflict).any() else 0.0, 1.0)
    conflict_max = float(np.ceil(conflict_max * 10) / 10)  # the bar's top as it is written
    panels = ((agreement, GREENS, 100.0, ("agreement: % of co-voted items", "with the same vote")),
              (conflict, REDS, conflict_max, ("conflicts: % of all items", "where the two LFs "
                                                                          "disagree")))
    # the grid, then its colour bar and the bar's values; wide enough for its title
    panel = max(grid_side + 70, max(text_width(line) for _, _, _, title in panels
                                    for line in title) + 16)
    top = 44.0
    width = names_width + 2 * panel + 10
    canvas = Canvas(width, top + grid_side + below + 4)
    for p, (values, stops, vmax, title) in enumerate(panels):
        left = names_width + p * panel
        digits = 0 if p == 0 else 1

        def shown(value: float, digits: int = digits) -> str:
            return f"{value:.{digits}f}%"

        for k, line in enumerate(title):
            canvas.text(left, 12 + 14 * k, line, bold=True)
        for i in range(n):
            for j in range(n):
                value = values[i, j]
                if not np.isfinite(value) or (p == 1 and value == 0):
                    continue
                share = value / vmax
                canvas.rect(left + j * cell, top + i * cell, cell, cell, ramp(stops, share),
                            title=f"{full[i]} × {full[j]}: {shown(value)}")
                if numbers:
                    canvas.text(left + (j + 0.5) * cell, top + (i + 0.5) * cell,
                                shown(value)[:-1], size=8, anchor="middle",
                                fill="#fff" if share > 0.6 else INK)
        canvas.rect(left, top, grid_side, grid_side, "none", stroke=MUTED)
        for j, label in enumerate(labels):
            x = left + (j + 0.5) * cell
            canvas.text(x, top + grid_side + 6, label, size=size, anchor="end", rotate=-60)
        bar_left, steps = left + grid_side + 12, 20
        for s in range(steps):  # the colour bar, top = vmax
            canvas.rect(bar_left, top + grid_side * s / steps, 10, grid_side / steps + 0.5,
                        ramp(stops, 1 - (s + 0.5) / steps))
        for value, y in ((vmax, top), (0.0, top + grid_side)):
            canvas.text(bar_left + 14, y, f"{value:.0f}" if p == 0 else f"{value:.1f}",
                        size=size, fill=MUTED)
    for i, label in enumerate(labels):
        canvas.text(names_width - 6, top + (i + 0.5) * cell, label, size=size, anchor="end")
    return canvas.svg("lf-pairs", "LF by LF agreement and conflicts")


def label_distribution(predicted: dict[str, int], gold: dict[str, int] | None,
                       gold_given: dict[str, int] | None = None) -> str:
    """Each label's share of all items, and of the held-out gold items: by gold label and
    by the label model's label (the same items)."""
    names = list(predicted) + [g for g in (gold or {}) if g not in predicted]
    series = [("all items", predicted, PALETTE[0])] + (
        [("held-out gold: gold label", gold, PALETTE[1])] if gold else []) + (
        [("held-out gold: label model", gold_given, PALETTE[2])] if gold and gold_given else [])
    shares = []
    for _, counts, _ in series:
        total = max(sum(counts.values()), 1)
        shares.append([100 * counts.get(n, 0) / total for n in names])
    shown = [_short(n, 18) for n in names]
    turned = len(names) > 6
    below = (0.5 * max((text_width(s) for s in shown), default=0) if turned else 0) + 30
    left, top, plot_height = 64.0, 34.0, 220.0
    width = max(720.0, left + 60 * len(names) + 20)
    bottom = top + plot_height
    canvas = Canvas(width, bottom + below + 10)
    marks = ticks(0.0, max(max((max(s, default=0.0) for s in shares), default=0.0), 1.0))
    y = Scale(0.0, marks[-1], bottom, top)
    y_axis(canvas, y, marks, left=left, right=width - 10,
           label="% of items" + (" (or gold items)" if gold else ""))
    legend(canvas, left, 12, [(label, color) for label, _, color in series])
    slot = (width - 10 - left) / max(len(names), 1)
    bar = 0.8 * slot / len(series)
    for i, name in enumerate(names):
        start = left + slot * i + 0.1 * slot
        for k, (label, _, color) in enumerate(series):
            value = shares[k][i]
            canvas.rect(start + k * bar, y(value), bar, bottom - y(value), color,
                        title=f"{name}: {_pct(value)} of {label}")
        middle = left + slot * (i + 0.5)
        canvas.text(middle, bottom + 6, shown[i], anchor="end" if turned else "middle",
                    rotate=-30 if turned else None, baseline="top")
    return canvas.svg("labels", "share of each label")


def confidence(edges: np.ndarray, hist: dict[str, np.ndarray], threshold: float | None) -> str:
    """One histogram per predicted label (up to :data:`MAX_PANELS`, the labels with the
    most items) of the probability of the predicted label; the review threshold dashed."""
    shown = sorted(hist, key=lambda k: -int(hist[k].sum()))[:MAX_PANELS]
    ncols = min(3, max(len(shown), 1))
    nrows = -(-len(shown) // ncols) or 1
    pw, ph = 240.0, 150.0  # a panel, with room for its title and y values
    canvas = Canvas(ncols * pw + 10, nrows * ph + 40)
    for k, label in enumerate(shown):
        counts = np.asarray(hist[label], dtype=float)
        left = (k % ncols) * pw + 46
        top = (k // ncols) * ph + 24
        right, bottom = left + pw - 60, top + ph - 52
        canvas.text(left, top - 12, [_short(label, 24), f" ({int(counts.sum()):,})"], bold=True)
        marks = ticks(0.0, max(float(counts.max()) if counts.size else 0.0, 1.0), 3)
        y = Scale(0.0, marks[-1], bottom, top)
        x = Scale(0.0, 1.0, left, right)
        y_axis(canvas, y, marks, left=left, right=right)
        x_axis(canvas, x, [0.0, 0.25, 0.5, 0.75, 1.0], top=top, bottom=bottom, grid=False)
        color = PALETTE[k % len(PALETTE)]
        for b, count in enumerate(counts):
            if count > 0:
                canvas.rect(x(edges[b]), y(count), x(edges[b + 1]) - x(edges[b]),
                            bottom - y(count), color, opacity=0.85,
                            title=f"{label}: {int(count):,} items at confidence "
                                  f"{edges[b]:.2f}–{edges[b + 1]:.2f}")
        if threshold is not None:
            canvas.line(x(threshold), top, x(threshold), bottom, "#333", dash="4 3")
    canvas.text(canvas.width / 2, canvas.height - 12, "confidence (probability of the "
                "predicted label); dashed: review threshold", anchor="middle", fill=MUTED)
    return canvas.svg("confidence", "confidence per predicted label")


def reliability(table: pd.DataFrame, ece: float) -> str:
    """Accuracy on gold items per confidence bin, against the diagonal of perfect
    calibration."""
    left, top, side = 56.0, 30.0, 320.0
    entries = [("perfect calibration", "#999", "dashed"), ("accuracy per bin", PALETTE[0]),
               ("mean confidence vs accuracy", PALETTE[0], "dot")]
    canvas = Canvas(max(left + side + 20, legend_width(entries) + 10), top + side + 74)
    x = Scale(0.0, 1.0, left, left + side)
    y = Scale(0.0, 1.0, top + side, top)
    marks = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    canvas.text(left + side / 2, 12, f"expected calibration error: {100 * ece:.1f}%",
                anchor="middle", bold=True)
    y_axis(canvas, y, marks, left=left, right=left + side, label="accuracy on gold items")
    x_axis(canvas, x, marks, top=top, bottom=top + side, label="confidence")
    for row in table.itertuples():
        canvas.rect(x(row.bin_low), y(row.accuracy), x(row.bin_high) - x(row.bin_low),
                    y(0) - y(row.accuracy), PALETTE[0], opacity=0.35, stroke=PALETTE[0],
                    title=f"confidence {row.bin_low:.1f}–{row.bin_high:.1f}: {int(row.items):,} "
                          f"items, {100 * row.accuracy:.1f}% right")
    canvas.line(x(0), y(0), x(1), y(1), "#999", dash="4 3")
    points = [(x(row.confidence), y(row.accuracy)) for row in table.itertuples()]
    canvas.polyline(points, PALETTE[0])
    for row, (px, py) in zip(table.itertuples(), points):
        canvas.circle(px, py, 3.5, PALETTE[0],
                      title=f"mean confidence {100 * row.confidence:.1f}%, accuracy "
                            f"{100 * row.accuracy:.1f}%")
    legend(canvas, 10, top + side + 58, entries)
    return canvas.svg("reliability", "reliability diagram")


def bars(counts: dict[str, int], name: str, xlabel: str, color: str = PALETTE[0], *,
         shown: Sequence[Sequence[str]] | None = None) -> str:
    """Horizontal bars, first key on top, with the count written at each bar's end. The
    keys are labelwright's words; ``shown``: what to write for each instead, in parts, a
    :class:`UserText` part a name from the user (drawn isolated)."""
    keys: list[Text] = ([_short_parts(parts, 40) for parts in shown] if shown is not None
                        else [_cut(str(k), 40) for k in counts])
    values = [int(v) for v in counts.values()]
    left = 12 + max((text_width(k) for k in keys), default=0)
    width, top = max(left + 360, 620.0), 8
    bottom = top + ROW * len(keys)
    room = max(values + [1]) * 1.15  # the count is written past the bar's end
    x = Scale(0.0, room, left, width - 16)
    canvas = Canvas(width, bottom + 44)
    marks = [m for m in ticks(0.0, room) if m <= room]
    x_axis(canvas, x, marks, top=top, bottom=bottom, label=xlabel)
    for i, (key, value) in enumerate(zip(keys, values)):
        middle = top + ROW * i + ROW / 2
        canvas.text(left - 6, middle, key, anchor="end")
        canvas.rect(x(0), middle - ROW * 0.33, x(value) - x(0), ROW * 0.65, color,
                    title=f"{list(counts)[i]}: {value:,}")
        canvas.text(x(value) + 4, middle, f"{value:,}", size=FONT - 1)
    canvas.line(left, top, left, bottom, MUTED)
    return canvas.svg(name, xlabel)
