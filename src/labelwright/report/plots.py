"""Report plots: matplotlib figures rendered to inline SVG strings.

matplotlib is a dependency, imported only when a plot is drawn; :func:`available` says
whether it can be (an environment may lack it), and the report is written without plots
when not. Figures are made
with ``matplotlib.figure.Figure`` (no pyplot, no backend switch, no global figure
registry); rcParams are only changed inside ``rc_context``, while a figure is drawn
(:func:`_plain_text`: LF names, labels and glossary terms are shown as written, ``$`` and
all, never read as matplotlib's maths, which fixes that choice as each text is made) and
while it is saved.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable, Sequence
from importlib.util import find_spec
from typing import Any

import numpy as np
import pandas as pd

INSTALL_HINT = "pip install matplotlib"
PALETTE = ("#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3",
           "#8C8C8C", "#CCB974", "#64B5CD")
MAX_HEATMAP_LFS = 40
MAX_PANELS = 12


def available() -> bool:
    return find_spec("matplotlib") is not None


def _plain_text(draw: Callable[..., str]) -> Callable[..., str]:
    """``draw`` with matplotlib's maths parsing off: a term such as ``$5 to $10`` was drawn
    as "5 *to* 10", and ``$$`` stopped the report."""

    @functools.wraps(draw)
    def drawn(*args: Any, **kwargs: Any) -> str:
        import matplotlib

        with matplotlib.rc_context({"text.parse_math": False}):
            return draw(*args, **kwargs)

    return drawn


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def to_svg(fig: Any, name: str) -> str:
    """The figure as an ``<svg>`` element to inline: text kept as text, ids unique per plot."""
    import matplotlib

    buffer = io.StringIO()
    rc: dict[str, Any] = {"svg.fonttype": "none", "svg.hashsalt": f"labelwright-{name}",
          "text.parse_math": False, "font.size": 9}
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    width = re.search(r'width="([\d.]+)pt"', svg)
    svg = re.sub(r'\s(width|height)="[\d.]+pt"', "", svg, count=2)
    style = f' style="max-width:{float(width.group(1)) * 4 / 3:.0f}px"' if width else ""
    return svg.replace("<svg", f'<svg class="plot" role="img" data-plot="{name}"{style}', 1)


def _short(name: str, n: int = 28) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


@_plain_text
def coverage(table: pd.DataFrame) -> str:
    rows = table.iloc[::-1]
    fig = _figure(7.5, 0.8 + 0.28 * len(rows))
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    names = [_short(str(n)) for n in rows["lf"]]
    for column, color, label in (("coverage", PALETTE[0], "coverage"),
                                 ("overlaps", PALETTE[2], "overlaps"),
                                 ("conflicts", PALETTE[3], "conflicts")):
        if column in rows:
            ax.barh(y, 100 * rows[column].to_numpy(dtype=float), height=0.7 if column == "coverage"
                    else 0.45 if column == "overlaps" else 0.2, color=color, label=label)
    ax.set_yticks(y, names)
    ax.set_xlabel("% of items")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=3)
    ax.grid(axis="x", alpha=0.3)
    return to_svg(fig, "coverage")


@_plain_text
def heatmaps(names: Sequence[str], co_votes: np.ndarray, agreements: np.ndarray,
             n_items: int) -> str:
    keep = np.arange(len(names))
    if len(names) > MAX_HEATMAP_LFS:  # the LFs most involved in conflicts
        keep = np.sort(np.argsort(-(co_votes - agreements).sum(axis=1))[:MAX_HEATMAP_LFS])
    co, agree = co_votes[np.ix_(keep, keep)], agreements[np.ix_(keep, keep)]
    labels = [_short(str(names[int(k)]), 22) for k in keep]
    with np.errstate(invalid="ignore", divide="ignore"):
        agreement = np.where(co > 0, 100 * agree / co, np.nan)
    conflict = 100 * (co - agree) / max(n_items, 1)
    np.fill_diagonal(agreement, np.nan)
    np.fill_diagonal(conflict, np.nan)
    side = 1.6 + 0.32 * len(keep)
    fig = _figure(2 * side + 1.2, side + 0.6)
    panels = ((agreement, "Greens", "agreement: % of co-voted items\nwith the same vote", 100),
              (conflict, "Reds", "conflicts: % of all items\nwhere the two LFs disagree",
               max(np.nanmax(conflict) if np.isfinite(conflict).any() else 0, 1.0)))
    for k, (values, cmap, title, vmax) in enumerate(panels):
        ax = fig.add_subplot(1, 2, k + 1)
        image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=0, vmax=vmax)
        ax.set_title(title, fontsize=9)
        ax.set_xticks(range(len(keep)), labels, rotation=60, ha="right")
        ax.set_yticks(range(len(keep)), labels)
        if len(keep) <= 15:
            for i, j in zip(*np.nonzero(np.isfinite(values))):
                shown = f"{values[i, j]:.0f}" if k == 0 else f"{values[i, j]:.1f}"
                ax.text(j, i, shown, ha="center", va="center", fontsize=7,
                        color="white" if values[i, j] > 0.6 * vmax else "black")
        fig.colorbar(image, ax=ax, shrink=0.7)
    return to_svg(fig, "lf-pairs")


@_plain_text
def label_distribution(predicted: dict[str, int], gold: dict[str, int] | None,
                       gold_given: dict[str, int] | None = None) -> str:
    """Each label's share of all items, and of the held-out gold items: by gold label and
    by the label model's label (the same items)."""
    names = list(predicted) + [g for g in (gold or {}) if g not in predicted]
    fig = _figure(7.0, 2.8)
    ax = fig.add_subplot()
    x = np.arange(len(names))
    series = [("all items", predicted, PALETTE[0])] + (
        [("held-out gold: gold label", gold, PALETTE[1])] if gold else []) + (
        [("held-out gold: label model", gold_given, PALETTE[2])] if gold and gold_given else [])
    width = 0.8 / len(series)
    for k, (label, counts, color) in enumerate(series):
        total = max(sum(counts.values()), 1)
        values = [100 * counts.get(n, 0) / total for n in names]
        ax.bar(x + (k - (len(series) - 1) / 2) * width, values, width, label=label, color=color)
    ax.set_xticks(x, [_short(n, 18) for n in names], rotation=30 if len(names) > 6 else 0)
    ax.set_ylabel("% of items (gold: of held-out gold items)" if gold else "% of items")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1), frameon=False, ncols=3)
    ax.grid(axis="y", alpha=0.3)
    return to_svg(fig, "labels")


@_plain_text
def confidence(edges: np.ndarray, hist: dict[str, np.ndarray], threshold: float | None) -> str:
    shown = sorted(hist, key=lambda k: -int(hist[k].sum()))[:MAX_PANELS]
    ncols = min(3, max(len(shown), 1))
    nrows = int(np.ceil(len(shown) / ncols)) or 1
    fig = _figure(2.6 * ncols + 0.6, 1.9 * nrows + 0.4)
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True)
    for k, ax in enumerate(axes.flat):
        if k >= len(shown):
            ax.set_visible(False)
            continue
        label = shown[k]
        ax.stairs(hist[label], edges, fill=True, color=PALETTE[k % len(PALETTE)], alpha=0.85)
        if threshold is not None:
            ax.axvline(threshold, color="#333", linestyle="--", linewidth=1)
        ax.set_title(f"{_short(label, 24)} ({int(hist[label].sum()):,})", fontsize=9)
        ax.set_xlim(0, 1)
    fig.supxlabel("confidence (probability of the predicted label); dashed: review threshold",
                  fontsize=8)
    return to_svg(fig, "confidence")


@_plain_text
def reliability(table: pd.DataFrame, ece: float) -> str:
    fig = _figure(4.6, 4.0)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="#999", linestyle="--", linewidth=1, label="perfect calibration")
    widths = table["bin_high"] - table["bin_low"]
    ax.bar(table["bin_low"], table["accuracy"], width=widths, align="edge", alpha=0.35,
           color=PALETTE[0], edgecolor=PALETTE[0], label="accuracy per bin")
    ax.plot(table["confidence"], table["accuracy"], marker="o", color=PALETTE[0],
            label="mean confidence vs accuracy")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy on gold items")
    ax.set_title(f"expected calibration error: {100 * ece:.1f}%", fontsize=9)
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    return to_svg(fig, "reliability")


@_plain_text
def bars(counts: dict[str, int], name: str, xlabel: str, color: str = PALETTE[0]) -> str:
    """Horizontal bars, first key on top, with the count written at each bar's end."""
    keys = list(counts)[::-1]
    fig = _figure(6.5, 0.7 + 0.3 * len(keys))
    ax = fig.add_subplot()
    values = [counts[k] for k in keys]
    ax.barh(range(len(keys)), values, color=color, height=0.65)
    ax.set_yticks(range(len(keys)), [_short(str(k), 40) for k in keys])
    for y, v in enumerate(values):
        ax.text(v, y, f" {v:,}", va="center", fontsize=8)
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max(values + [1]) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig, name)


def safe(draw: Callable[..., str], *args: Any) -> str | None:
    """Draw, or None when matplotlib is missing (the report then says how to install it)."""
    return draw(*args) if available() else None
