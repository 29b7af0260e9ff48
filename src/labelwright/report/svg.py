"""A small SVG writer for the report's plots: shapes, text, linear scales, axes and legends.

The report's plots are bars, heatmaps and histograms; drawing them as SVG text directly takes
milliseconds and no plotting library (drawing them with one took most of a small run's time).
Text is drawn as text in the page's own font, HTML-escaped, and sized in CSS pixels; its width
is estimated from its characters (:data:`CHAR_WIDTH`, erring wide; :data:`WIDE_CHAR_WIDTH` for
the wide ones of Chinese, Japanese and Korean) to leave room for labels. A shape may carry a
``<title>``, which a browser shows on hover: the exact value.

A name from the user (:class:`~labelwright.report.html.UserText`: a label, an LF, a term) is
drawn in a ``<tspan unicode-bidi="plaintext">``: its direction is told from its own first
letter and it is isolated from the text around it, so an Arabic label reads right to left
with its Latin words and digits in place, and the count written after it stays after it.
The ``<text>`` itself keeps the page's left-to-right direction, which its ``text-anchor``
is measured in (``direction="rtl"`` on it would turn ``end`` into its left end).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence

from labelwright.report.html import (  # the page's own: bidi controls shown as U+FFFD
    UserText,
    esc,
)

CHAR_WIDTH = 0.6  # a character's mean width in font sizes (sans-serif; errs wide)
#: the width of a character East Asian Width calls wide or full-width (Han, kana, Hangul,
#: full-width forms), in font sizes: they are drawn in a square, an em wide. At
#: :data:`CHAR_WIDTH` a Chinese LF name was cut off at the coverage chart's left edge and
#: ran into the agreement heatmap
WIDE_CHAR_WIDTH = 1.0
INK = "#222"
MUTED = "#555"
GRID = "#e2e2e2"
FONT = 11


#: what :meth:`Canvas.text` draws: a string, or parts of one (a :class:`UserText` part
#: isolated, the others labelwright's words)
Text = str | Sequence[str]


def text_width(text: Text, size: float = FONT) -> float:
    """How wide ``text`` is drawn at ``size`` (an estimate that errs wide)."""
    shown = joined(text)
    if shown.isascii():
        return CHAR_WIDTH * size * len(shown)
    wide = sum(unicodedata.east_asian_width(c) in ("W", "F") for c in shown)
    return size * (CHAR_WIDTH * (len(shown) - wide) + WIDE_CHAR_WIDTH * wide)


def joined(text: Text) -> str:
    return text if isinstance(text, str) else "".join(text)


def _text_html(text: Text) -> str:
    parts = [text] if isinstance(text, str) else text
    return "".join(f'<tspan unicode-bidi="plaintext">{esc(part)}</tspan>'
                   if isinstance(part, UserText) else esc(part) for part in parts)


def num(x: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros."""
    shown = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if shown in ("-0", "") else shown


class Canvas:
    """An SVG picture of ``width`` x ``height`` CSS pixels, drawn in order (later on top)."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self.parts: list[str] = []

    def _add(self, tag: str, attrs: str, title: str | None) -> None:
        if title is None:
            self.parts.append(f"<{tag} {attrs}/>")
        else:
            self.parts.append(f"<{tag} {attrs}><title>{esc(title)}</title></{tag}>")

    def rect(self, x: float, y: float, w: float, h: float, fill: str, *,
             title: str | None = None, opacity: float | None = None,
             stroke: str | None = None) -> None:
        attrs = (f'x="{num(x)}" y="{num(y)}" width="{num(max(w, 0))}" '
                 f'height="{num(max(h, 0))}" fill="{fill}"')
        if opacity is not None:
            attrs += f' fill-opacity="{opacity}"'
        if stroke is not None:
            attrs += f' stroke="{stroke}"'
        self._add("rect", attrs, title)

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = INK, *,
             width: float = 1.0, dash: str | None = None) -> None:
        attrs = (f'x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}" '
                 f'stroke="{stroke}" stroke-width="{num(width)}"')
        if dash is not None:
            attrs += f' stroke-dasharray="{dash}"'
        self._add("line", attrs, None)

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, *,
                 width: float = 1.5) -> None:
        shown = " ".join(f"{num(x)},{num(y)}" for x, y in points)
        self._add("polyline", f'points="{shown}" fill="none" stroke="{stroke}" '
                              f'stroke-width="{num(width)}"', None)

    def circle(self, x: float, y: float, r: float, fill: str, *,
               title: str | None = None) -> None:
        self._add("circle", f'cx="{num(x)}" cy="{num(y)}" r="{num(r)}" fill="{fill}"', title)

    def text(self, x: float, y: float, text: Text, *, size: float = FONT,
             anchor: str = "start", fill: str = INK, rotate: float | None = None,
             bold: bool = False, baseline: str = "middle") -> None:
        """``baseline``: where ``y`` is on the text: ``middle``, ``top`` or ``bottom``;
        ``text``: a string or its parts, a :class:`UserText` one isolated (see above)."""
        dy = {"middle": "0.35em", "top": "0.8em", "bottom": "0"}[baseline]
        attrs = (f'x="{num(x)}" y="{num(y)}" dy="{dy}" font-size="{num(size)}" '
                 f'text-anchor="{anchor}" fill="{fill}"')
        if bold:
            attrs += ' font-weight="bold"'
        if rotate is not None:
            attrs += f' transform="rotate({num(rotate)} {num(x)} {num(y)})"'
        self.parts.append(f"<text {attrs}>{_text_html(text)}</text>")

    def svg(self, name: str, label: str) -> str:
        """The picture as an ``<svg>`` element to inline in the report (``name`` marks it,
        ``label`` is what a screen reader says)."""
        w, h = math.ceil(self.width), math.ceil(self.height)
        return (f'<svg class="plot" role="img" data-plot="{esc(name)}" '
                f'aria-label="{esc(label)}" xmlns="http://www.w3.org/2000/svg" '
                f'viewBox="0 0 {w} {h}" style="max-width:{w}px">'
                + "".join(self.parts) + "</svg>")


class Scale:
    """Linear map of the data range ``[lo, hi]`` onto the pixel range ``[a, b]``."""

    def __init__(self, lo: float, hi: float, a: float, b: float) -> None:
        self.lo, self.hi, self.a, self.b = lo, hi, a, b

    def __call__(self, value: float) -> float:
        span = self.hi - self.lo
        return self.a + (self.b - self.a) * ((value - self.lo) / span if span else 0.0)


def ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values from ``lo`` up to the first at or above ``hi``, about ``count``
    steps of 1, 2, 2.5 or 5 times a power of ten."""
    span = hi - lo
    if not math.isfinite(span) or span <= 0:
        return [lo, lo + 1.0]
    raw = span / count
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))
    first = math.floor(lo / step + 1e-9) * step
    values = [first]
    while values[-1] < hi - step * 1e-9:
        values.append(first + len(values) * step)
    return values


def tick_text(value: float, values: Sequence[float]) -> str:
    """``value`` with as many decimals as the tick step needs (0.5 -> "0.5", 20 -> "20")."""
    step = abs(values[1] - values[0]) if len(values) > 1 else 1.0
    decimals = 0
    while decimals < 6 and abs(round(step, decimals) - step) > step * 1e-6:
        decimals += 1
    return f"{value:,.{decimals}f}"


def x_axis(canvas: Canvas, scale: Scale, values: Sequence[float], *, top: float,
           bottom: float, label: str | None = None, grid: bool = True,
           shown: Sequence[str] | None = None) -> None:
    """Ticks and their values under ``bottom``; light grid lines up to ``top``."""
    for k, value in enumerate(values):
        x = scale(value)
        if grid:
            canvas.line(x, top, x, bottom, GRID)
        canvas.line(x, bottom, x, bottom + 4, MUTED)
        canvas.text(x, bottom + 6, shown[k] if shown else tick_text(value, values),
                    size=FONT - 1, anchor="middle", fill=MUTED, baseline="top")
    canvas.line(scale.a, bottom, scale.b, bottom, MUTED)
    if label:
        canvas.text((scale.a + scale.b) / 2, bottom + 22, label, anchor="middle",
                    baseline="top")


def y_axis(canvas: Canvas, scale: Scale, values: Sequence[float], *, left: float,
           right: float, label: str | None = None, grid: bool = True) -> None:
    """Ticks and their values left of ``left``; light grid lines across to ``right``; the
    axis label turned on its side, left of the values."""
    widest = 0.0
    for value in values:
        y = scale(value)
        if grid:
            canvas.line(left, y, right, y, GRID)
        canvas.line(left - 4, y, left, y, MUTED)
        shown = tick_text(value, values)
        widest = max(widest, text_width(shown, FONT - 1))
        canvas.text(left - 6, y, shown, size=FONT - 1, anchor="end", fill=MUTED)
    canvas.line(left, scale.a, left, scale.b, MUTED)
    if label:
        x = left - 12 - widest
        canvas.text(x, (scale.a + scale.b) / 2, label, anchor="middle", rotate=-90,
                    baseline="bottom")


def legend(canvas: Canvas, x: float, y: float,
           entries: Sequence[tuple[str, ...]]) -> None:
    """Entries ``(name, colour[, mark])`` in a row from ``(x, y)`` (the row's middle); the
    mark is ``box`` (default), ``line``, ``dashed`` or ``dot`` (a line through a dot)."""
    for name, color, *rest in entries:
        mark = rest[0] if rest else "box"
        if mark == "box":
            canvas.rect(x, y - 5, 10, 10, color)
        else:
            canvas.line(x - 2, y, x + 12, y, color, width=1.5,
                        dash="4 3" if mark == "dashed" else None)
            if mark == "dot":
                canvas.circle(x + 5, y, 3, color)
        canvas.text(x + 16, y, name)
        x += 16 + text_width(name) + 16


def legend_width(entries: Sequence[tuple[str, ...]]) -> float:
    return sum(16 + text_width(entry[0]) + 16 for entry in entries)


def ramp(stops: Sequence[str], share: float) -> str:
    """The colour at ``share`` (0..1) along a ramp through ``stops`` (``#rrggbb``)."""
    share = min(max(share, 0.0), 1.0) * (len(stops) - 1)
    k = min(int(share), len(stops) - 2)
    t = share - k
    low, high = (tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in stops[k:k + 2])
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(low, high))
