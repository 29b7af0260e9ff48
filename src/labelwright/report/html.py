"""The report page: one self-contained HTML file (inline CSS, SVG and a tiny sort script).

Every value that comes from the dataset, the LFs or the glossaries goes through
:func:`esc`; the Content-Security-Policy allows no network and only the one script
whose hash it names, so even a text that slipped through could not run.

This module holds the page's parts (escaping, tables, sections, the page itself); the
sections built from them live beside it: the LF table (:mod:`~labelwright.report.lf_section`),
example items (:mod:`~labelwright.report.example_items`), the calibration note
(:mod:`~labelwright.report.calibration`) and the changes since the previous run
(:mod:`~labelwright.report.changes`). Their names still import from here.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import TYPE_CHECKING, Any, TypeVar

from labelwright.moved_names import moved_names
from labelwright.percent import percent

if TYPE_CHECKING:
    from labelwright.report.calibration import calibration_note as calibration_note
    from labelwright.report.changes import changes_section as changes_section
    from labelwright.report.example_items import TIE_CHIP as TIE_CHIP
    from labelwright.report.example_items import examples_table as examples_table
    from labelwright.report.example_items import votes_cell as votes_cell
    from labelwright.report.lf_section import LF_COLUMNS as LF_COLUMNS
    from labelwright.report.lf_section import lf_table as lf_table
    from labelwright.report.lf_section import wrong_most as wrong_most

#: the report's sections that moved out of this module, still importable from it
#: (``from labelwright.report.html import lf_table``), loaded when first asked for (the
#: modules they moved to import this one) and kept in this module's namespace then
_MOVED = {name: f"labelwright.report.{module}" for module, names in (
    ("lf_section", ("LF_COLUMNS", "lf_table", "wrong_most")),
    ("example_items", ("TIE_CHIP", "examples_table", "votes_cell")),
    ("calibration", ("calibration_note",)), ("changes", ("changes_section",)))
    for name in names}
__getattr__ = moved_names(__name__, _MOVED)

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
