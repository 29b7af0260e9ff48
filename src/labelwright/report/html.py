"""The report page: one self-contained HTML file (inline CSS, SVG and a tiny sort script).

Every value that comes from the dataset, the LFs or the glossaries goes through
:func:`esc`; the Content-Security-Policy allows no network and only the one script
whose hash it names, so even a text that slipped through could not run.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any, TypeVar

from labelwright.config import NO_LABEL
from labelwright.counts import labels_counted
from labelwright.percent import percent
from labelwright.report.data import RunData, expected_calibration_error
from labelwright.runs.diff.flip_causes import flip_because
from labelwright.runs.diff.lines import (
    cause_line,
    common_gold_line,
    effect_lines,
    failed_between_text,
    gold_items_note,
    input_changes,
    missing_section_warnings,
)
from labelwright.runs.diff.result import RunDiff

T = TypeVar("T")

SORT_JS = """document.querySelectorAll("table.sortable th").forEach(function (th, col) {
  th.tabIndex = 0; th.title = "sort";
  th.addEventListener("click", function () {
    var body = th.closest("table").tBodies[0], asc = th.dataset.dir !== "asc";
    th.closest("tr").querySelectorAll("th").forEach(function (h) { delete h.dataset.dir; });
    th.dataset.dir = asc ? "asc" : "desc";
    var key = function (tr) { var c = tr.cells[col]; var v = c.dataset.v;
      return v !== undefined ? parseFloat(v) : c.textContent.toLowerCase(); };
    Array.from(body.rows).sort(function (a, b) { var x = key(a), y = key(b);
      if (typeof x === "number" && isNaN(x)) return 1;
      if (typeof y === "number" && isNaN(y)) return -1;
      return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
    }).forEach(function (r) { body.appendChild(r); });
  });
});"""
_JS_HASH = base64.b64encode(hashlib.sha256(SORT_JS.encode()).digest()).decode()
CSP = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_JS_HASH}'; "
       "img-src data:; base-uri 'none'; form-action 'none'")

CSS = """
:root{--fg:#1d2430;--muted:#5b6472;--line:#e3e6eb;--bg:#f6f7f9;--accent:#3b5bdb;--bad:#c92a2a;
  --ok:#2b8a3e}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);
  background:var(--bg)}
header{background:#1d2430;color:#fff;padding:20px 32px}
header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#c5cbd6}
header p.header-note{margin-top:10px;font-size:12px}
nav{position:sticky;top:0;z-index:1;background:#fff;border-bottom:1px solid var(--line);
  padding:8px 32px;display:flex;gap:16px;flex-wrap:wrap}
nav a{color:var(--accent);text-decoration:none;font-size:13px}
main{max-width:1180px;margin:0 auto;padding:16px 32px 48px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;
  margin:16px 0}
h2{margin:0 0 12px;font-size:17px}
h3{margin:16px 0 8px;font-size:14px;color:var(--muted)}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:14px}
.card{background:#2a3342;border-radius:6px;padding:8px 14px;min-width:120px}
.card b{display:block;font-size:20px;color:#fff}
.card span{font-size:12px;color:#c5cbd6}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f0f2f5;font-weight:600;white-space:nowrap}
table.sortable th{cursor:pointer}
th[data-dir=asc]::after{content:" ▲"}
th[data-dir=desc]::after{content:" ▼"}
td.n{text-align:right;font-variant-numeric:tabular-nums}
th.turn{vertical-align:bottom;padding:5px 2px}
th.turn span{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%}
.wrap-heads th{white-space:normal;min-width:3em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}
dt{color:var(--muted)}
dd{margin:0;word-break:break-all}
.terms dd{word-break:normal}
svg.plot{width:100%;height:auto;display:block;margin:8px 0}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.hint{background:#fff4e6;border:1px solid #ffd8a8;border-radius:6px;padding:8px 12px;
white-space:pre-line}
.muted{color:var(--muted)}
.chip{display:inline-block;background:#edf2ff;border-radius:10px;padding:0 8px;margin:1px 2px;
  font-size:12px}
.chip.x{background:#fff0f0;text-decoration:line-through}
.chip.tie{background:#fff4e6;border:1px solid #ffd8a8}
.text{white-space:pre-wrap;word-break:break-word;max-width:520px;text-align:start}
.bad{color:var(--bad)}
.ok{color:var(--ok)}
code{font-size:12px}
"""


#: bidirectional embeddings, overrides and isolates: in a name or text from data they would
#: reorder what the page shows after them (a reviewer named U+202E... reversing the numbers
#: that follow); shown as U+FFFD
#: Control characters other than tab and line ends (a NUL byte in a text: not allowed in
#: HTML, a parser drops or replaces it, and grep calls the page a binary file) are shown as
#: their pictures (U+2400 + code: NUL as "␀", DEL as "␡").
_SHOWN = str.maketrans({
    **{chr(c): "\ufffd" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    **{chr(c): chr(0x2400 + c) for c in range(0x20) if chr(c) not in "\t\n\r"},
    "\x7f": "\u2421"})


def esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True).translate(_SHOWN)


class UserText(str):
    """A name or text from the user (an item's text or id, a label, an LF, glossary, term or
    reviewer name, a file path): :func:`shown` and :func:`table`'s headers isolate it."""


class Markup(str):
    """Text already written as HTML (each value in it escaped): :func:`shown` keeps it."""


def user(value: Any) -> str:
    """A string from the user, escaped, in a ``<bdi>``: an element whose direction is told
    from its own first letter (the ``dir="auto"`` of HTML), isolated from the words around
    it. Arabic or Hebrew then reads right to left, with its Latin words, digits and
    punctuation in their places, in a page of labelwright's English, and a name in a
    sentence does not pull the numbers or brackets after it to its side."""
    return f"<bdi>{esc(value)}</bdi>"


def shown(value: Any) -> str:
    """``value`` as HTML: :class:`Markup` as it is, :class:`UserText` through :func:`user`,
    anything else escaped."""
    if isinstance(value, Markup):
        return str(value)
    return user(value) if isinstance(value, UserText) else esc(value)


def chips(items: Sequence[T], shown: int, *, render: Callable[[T], str]) -> str:
    """The first ``shown`` of ``items`` as chips, each ``render``-ed as HTML (the values in
    it escaped; only the shown ones are rendered), then ``… and N more`` when there are
    more: the report's lists of terms and phrases."""
    more = len(items) - shown
    return ("".join(f'<span class="chip">{render(item)}</span>' for item in items[:shown])
            + (f" … and {more:,} more" if more > 0 else ""))


def pct(value: Any, digits: int = 1) -> str:
    """A share as HTML (``<0.1%`` escaped): for cells and text written as HTML."""
    return esc(percent(value, digits))


def ci_text(low: float, high: float) -> str:
    """A 95% interval as text: ``77.9%–91.5%``. Bounds within rounding of 0 or 1 are 0 and
    1 (an interval of 5 of 5 ends at 100.0%, not at >99.9%)."""
    low, high = (0.0 if low < 1e-9 else low), (1.0 if high > 1 - 1e-9 else high)
    return f"{percent(low)}–{percent(high)}"


def ci(low: float, high: float) -> str:
    """:func:`ci_text` as HTML."""
    return esc(ci_text(low, high))


def _cell(value: Any) -> str:
    """A number formatted, or a string that the caller already escaped (it is HTML)."""
    if value is None:
        return ""
    if isinstance(value, int):
        return f"{value:,}"
    return value if isinstance(value, str) else esc(value)


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sortable: bool = False,
          numeric: Sequence[bool] | None = None, turned: Sequence[bool] | None = None,
          scroll: bool = False) -> str:
    """Rows of cells: a number, an HTML string (escape text first, a name from the user
    with :func:`user`!), or ``(html, sort_key)``; a header is escaped, a :class:`UserText`
    one isolated (:func:`user`).

    ``turned``: the headers written bottom to top (each named whole in its title too), so
    a table of many labels by many labels keeps narrow columns; ``scroll``: the table
    scrolls sideways inside its section when it is still wider than the page's column,
    rather than widening the whole page."""
    head = "".join(f'<th class="turn" title="{esc(h)}"><span>{shown(h)}</span></th>'
                   if turned and turned[k] else f"<th>{shown(h)}</th>"
                   for k, h in enumerate(headers))
    body = []
    for row in rows:
        cells = []
        for k, cell in enumerate(row):
            klass = ' class="n"' if numeric and numeric[k] else ""
            if isinstance(cell, tuple):
                written, key = cell
                cells.append(f'<td{klass} data-v="{esc(key)}">{written}</td>')
            else:
                cells.append(f"<td{klass}>{_cell(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    klass = ' class="sortable"' if sortable else ""
    page = f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="scroll">{page}</div>' if scroll else page


def section(anchor: str, title: str, *parts: str | None) -> str:
    return (f'<section id="{anchor}"><h2>{esc(title)}</h2>'
            + "".join(p for p in parts if p) + "</section>")


def _pct_cell(value: Any) -> tuple[str, str]:
    missing = value is None or (isinstance(value, float) and math.isnan(value))
    return pct(value), "NaN" if missing else f"{float(value):.6f}"


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
                           else (esc(f"{value:.3f}"), f"{value:.6f}"))
            elif key in _COUNTS:
                shown = f'<span class="bad">{int(value)}</span>' if key == "failures" and value \
                    else esc(int(value))
                row.append((shown, int(value)))
            elif key == "lf":
                row.append(user(value))
            elif key == "polarity" and isinstance(value, str) and value:  # labels, joined
                listed = ", ".join(user(label) for label in value.split(", "))
                many = labels_counted(value, data.labels)
                row.append(listed if many is None else
                           f"<details><summary>{esc(many)}</summary>{listed}</details>")
            else:
                row.append(esc(value))
        rows.append(row)
    numeric = [key not in ("lf", "kind", "polarity") for key, _ in present]
    # 14 columns overflowed a 1366px screen: headers wrap, and the table scrolls inside
    # its section as the confusion table does
    return ('<div class="scroll wrap-heads">'
            + table([t for _, t in present], rows, sortable=True, numeric=numeric)
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
        where = f", {user(place)}" if isinstance(place, str) and place else ""
        items.append(f"<li>{user(row['lf'])}: {bad:,} wrong of {right + bad:,} "
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


def votes_cell(record: dict[str, Any]) -> str:
    """An item's votes (LF → label) and glossary matches (“matched text” (term)) as chips;
    each name and text isolated (:func:`user`), so an Arabic one keeps the arrow, quotes
    and brackets where labelwright put them."""
    chips = [f'<span class="chip">{user(lf)} → {user(label)}</span>'
             for lf, label in (record.get("votes") or {}).items()]
    for m in record.get("glossary_matches") or []:
        klass = "chip x" if m.get("excluded_by") else "chip"
        chips.append(f'<span class="{klass}" title="glossary {esc(m.get("glossary"))}">'
                     f'“{user(m.get("text"))}” ({user(m.get("term"))})</span>')
    return "".join(chips) or '<span class="muted">no votes</span>'


TIE_CHIP = ('<span class="chip tie" title="the label model scored two or more labels '
            'alike; the tie-break picked this one">tie-break</span>')


def examples_table(records: list[dict[str, Any]], tie_break: str | None = None) -> str:
    """Example items of the queue; a label that is a tie-break's pick is marked so, with a
    note naming the tie-break (``[label_model] tie_break``)."""
    if not records:
        return '<p class="muted">None in this run.</p>'
    rows = [[user(r.get("id")), f'<div class="text" dir="auto">{esc(r.get("text"))}</div>',
             (user(r["suggested_label"]) if r.get("suggested_label") else esc(NO_LABEL))
             + (f" {TIE_CHIP}" if r.get("tie_break") else ""),
             pct(r.get("confidence")), votes_cell(r)]
            for r in records]
    ties = sum(1 for r in records if r.get("tie_break"))
    how = (" at random, item by item, so items with the same votes may show different labels"
           if tie_break == "random" else
           ", the first of the tied labels in [project] labels order" if tie_break == "first"
           else "")
    note = "" if not ties else (
        f'<p class="muted">{ties} of these {len(records)} labels came from a tie-break: the '
        "label model scored two or more labels alike, and <code>[label_model] tie_break = "
        f"{esc(tie_break or '?')}</code> picked one{how}. Not a suggestion the model "
        "preferred.</p>")
    return note + table(["id", "text", "suggested", "confidence", "votes and glossary matches"],
                        rows)


def calibration_note(data: RunData) -> str:
    if data.reliability is None:
        return ('<p class="muted">No reliability diagram: labels.parquet has no '
                "<code>gold</code> column with values.</p>")
    left = " (items with a reviewed label left out)" if data.n_reviewed else ""
    return f"<p>Expected calibration error {pct(expected_calibration_error(data.reliability))} " \
           f"over {int(data.reliability['items'].sum()):,} gold items the label model " \
           f"labeled{left}.</p>"


def changes_section(changes: RunDiff | None, problem: str | None = None) -> str:
    if problem is not None:
        return section("changes", "Changes since the previous run",
                       f'<p class="hint">Cannot compare with the previous run: '
                       f"{esc(problem)}</p>")
    if changes is None:
        return section("changes", "Changes since the previous run",
                       '<p class="muted">This is the first run in this runs/ folder.</p>')
    inputs = [*missing_section_warnings(changes), *input_changes(changes)]
    input_part = ("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in inputs) + "</ul>"
                  if inputs else '<p class="muted">No input changed: LFs, glossaries, data, '
                                 'config, label model, reviews, spaCy pipeline, packages and '
                                 "labelwright's code are as they were.</p>")
    share = changes.flipped / changes.compared if changes.compared else None
    flips = (f"<p>{changes.flipped:,} of {changes.compared:,} items present in both runs "
             f"changed label ({pct(share)})"
             + (f", {changes.flipped_by_review:,} of them to a reviewed label"
                if changes.flipped_by_review else "")
             + (f"; {changes.only_a:,} items only in the previous run, {changes.only_b:,} "
                "only in this one" if changes.only_a or changes.only_b else "") + ".</p>")
    moves = [f"{what} {pct(a)} &rarr; {pct(b)}" for what, (a, b) in
             (("coverage", changes.coverage), ("accuracy on gold", changes.accuracy))
             if a is not None and b is not None]
    if moves:
        flips += f"<p>{'; '.join(moves)}{esc(gold_items_note(changes))}.</p>"
    common = common_gold_line(changes)
    if common:  # the change over the same items, when the runs' own are over others
        flips += f"<p>{esc(common[0].upper() + common[1:])}.</p>"
    causes = cause_line(changes)
    flips += f"<p>{esc(causes[0].upper() + causes[1:])}.</p>" if causes else ""
    flips += "".join(f"<p>{esc(line)}.</p>" for line in effect_lines(changes))
    parts = [f"<p>Compared with run <code>{esc(changes.run_a)}</code>"
             f"{esc(failed_between_text(changes))}.</p>",
             "<h3>Inputs</h3>", input_part, "<h3>Labels flipped</h3>", flips]
    if changes.transitions:
        parts.append(table(["previous label", "current label", "items"],
                           [[user(a), user(b), n] for (a, b), n in
                            list(changes.transitions.items())[:30]],
                           numeric=[False, False, True]))
        parts.append("<h3>Examples</h3>")
        parts.append(table(["id", "previous", "current", "confidence before", "confidence now",
                            "because"],
                           [[user(e["id"]), user(e["from"]), user(e["to"]),
                             pct(e["confidence_a"]), pct(e["confidence_b"]),
                             esc(flip_because(e))]
                            for e in changes.examples]))
    return section("changes", "Changes since the previous run", *parts)


def page(title: str, header: str, nav: Sequence[tuple[str, str]], body: Sequence[str]) -> str:
    links = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in nav)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"{header}<nav>{links}</nav><main>{''.join(body)}</main>"
        f"<script>{SORT_JS}</script></body></html>\n"
    )
