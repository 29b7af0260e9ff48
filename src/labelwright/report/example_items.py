"""The report's example items: each with its text, the label suggested (marked when a
tie-break picked it), its confidence, and its votes and glossary matches as chips."""

from __future__ import annotations

from typing import Any

from labelwright.config import NO_LABEL
from labelwright.report import html


def votes_cell(record: dict[str, Any]) -> str:
    """An item's votes (LF → label) and glossary matches (“matched text” (term)) as chips;
    each name and text isolated (:func:`user`), so an Arabic one keeps the arrow, quotes
    and brackets where labelwright put them."""
    chips = [f'<span class="chip">{html.user(lf)} → {html.user(label)}</span>'
             for lf, label in (record.get("votes") or {}).items()]
    for m in record.get("glossary_matches") or []:
        klass = "chip x" if m.get("excluded_by") else "chip"
        chips.append(f'<span class="{klass}" title="glossary {html.esc(m.get("glossary"))}">'
                     f'“{html.user(m.get("text"))}” ({html.user(m.get("term"))})</span>')
    return "".join(chips) or '<span class="muted">no votes</span>'


TIE_CHIP = ('<span class="chip tie" title="the label model scored two or more labels '
            'alike; the tie-break picked this one">tie-break</span>')


def examples_table(records: list[dict[str, Any]], tie_break: str | None = None) -> str:
    """Example items of the queue; a label that is a tie-break's pick is marked so, with a
    note naming the tie-break (``[label_model] tie_break``)."""
    if not records:
        return '<p class="muted">None in this run.</p>'
    rows = [[html.user(r.get("id")),
             f'<div class="text" dir="auto">{html.esc(r.get("text"))}</div>',
             (html.user(r["suggested_label"]) if r.get("suggested_label")
              else html.esc(NO_LABEL))
             + (f" {TIE_CHIP}" if r.get("tie_break") else ""),
             html.pct(r.get("confidence")), votes_cell(r)]
            for r in records]
    ties = sum(1 for r in records if r.get("tie_break"))
    how = (" at random, item by item, so items with the same votes may show different labels"
           if tie_break == "random" else
           ", the first of the tied labels in [project] labels order" if tie_break == "first"
           else "")
    note = "" if not ties else (
        f'<p class="muted">{ties} of these {len(records)} labels came from a tie-break: the '
        "label model scored two or more labels alike, and <code>[label_model] tie_break = "
        f"{html.esc(tie_break or '?')}</code> picked one{how}. Not a suggestion the model "
        "preferred.</p>")
    return note + html.table(
        ["id", "text", "suggested", "confidence", "votes and glossary matches"], rows)
