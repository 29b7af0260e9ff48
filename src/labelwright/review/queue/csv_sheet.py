"""The review queue as a CSV sheet, one row per item with an empty ``review_label`` column
to fill in, for a spreadsheet or a script: its columns, its text cells escaped so that a
spreadsheet never takes one for a formula (and the escape undone on import), and the
cells longer than Excel holds (:mod:`~labelwright.review.queue.cell_limit`). The other formats
are :mod:`~labelwright.review.queue.export`'s JSONL and :mod:`~labelwright.review.queue.tools`'."""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from labelwright.review.queue.cell_limit import MAY_BE_LONG, LongCell, long_cell
from labelwright.review.queue.dispute_decisions import RATER_LABELS
from labelwright.review.queue.shown_fields import field_keys, shown_values
from labelwright.review.queue.terms import terms_text

# A cell starting with one of these is a formula to Excel, LibreOffice or Google Sheets
# (and "'" is the escape itself, so that escaping can be undone exactly).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
#: the separators a review CSV is read with: the export's comma, and what a spreadsheet
#: saves in a locale whose decimal mark is a comma (``;``) or as text (tab)
SEPARATORS = (",", ";", "\t")
#: the export for Excel (``excel``): UTF-8 with a byte-order mark, which Excel opened by
#: double-click reads as UTF-8 (without one, in the system's code page: ``stÃ¶rung``), and
#: ``;``, the list separator Excel splits a CSV by in German and other comma-decimal
#: locales (given commas, it shows every row in column A)
EXCEL_ENCODING, EXCEL_SEPARATOR = "utf-8-sig", ";"
#: between two ranking signals in the ``signals`` column and in every tool's ``signals``
#: field (as between two reasons in the ``reasons`` column); a signal's name
#: (:data:`~labelwright.review.ranking.signals.SIGNALS`) holds none. The tools had joined
#: them with ``, ``, so a script reading two exports of one queue split one wrongly; the
#: CSV's text is kept, so its readers read what they read before. Nothing reads the field
#: back: the review import takes decisions (:data:`~labelwright.review.queue.records.SAID`).
SIGNALS_SEPARATOR = ";"


#: the columns after ``signals`` that say why an item is here in words, with the values
#: behind its signals (:func:`~labelwright.review.queue.why.why_text`), and the out-of-fold
#: end model's own label (empty where no fold's model scored the item, or the run is from
#: before records held it)
WHY_COLUMNS = ("why", "end_model_label")


def signals_text(signals: Iterable[str]) -> str:
    """``signals`` joined with :data:`SIGNALS_SEPARATOR`: ``margin;end_model_disagrees``,
    as every review export writes them."""
    return SIGNALS_SEPARATOR.join(signals)


def sheet_delimiter(first_line: str, columns: Collection[str]) -> str:
    """The separator of a review CSV whose header line is ``first_line``: the one of
    :data:`SEPARATORS` that splits it into cells holding every one of ``columns`` (a comma
    when none does)."""
    return next((d for d in SEPARATORS
                 if set(columns) <= {c.strip().strip('"') for c in first_line.split(d)}), ",")


def protect_cell(value: Any) -> Any:
    """A text cell a spreadsheet will show as text: ``'`` before a formula-like start.

    Item texts and ids come from user data; ``=HYPERLINK(...)`` in a ticket must not run
    when a reviewer opens the CSV. :func:`unprotect_cell` undoes it on import.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unprotect_cell(value: str | None) -> str | None:
    """The original of a :func:`protect_cell` cell (a leading ``'`` is always the escape)."""
    if value and value.startswith("'"):
        return value[1:]
    return value


#: the CSV column of each item's votes in one text (the record's ``vote_pattern``), after the
#: ``vote_<LF>`` columns and outside their prefix
PATTERN_COLUMN = "pattern"


def write_csv(records: Iterable[dict[str, Any]], path: Path, *, labels: Sequence[str],
              lf_names: Sequence[str], blind: bool = False,
              excel: bool = False, show: Sequence[str] = ()) -> list[LongCell]:
    """Spreadsheet-friendly: one row per item, an empty ``review_label`` column to fill in
    and an empty ``note`` beside it, for why (the import keeps it with the decision).
    ``why`` says in words why the item is here, with the values behind its ``signals``,
    ``end_model_label`` what the end model says instead, and ``pattern`` (after the vote
    columns) the votes it carries, one text to sort or filter by (the record's
    ``vote_pattern``: named outside the ``vote_<LF>`` columns, which an LF named ``pattern``
    would have taken).
    The column ``export`` says whether the item is from the queue or the random sample, and
    the last, ``copies``, how many other items share its text (empty for a run from before
    it was counted).
    ``blind``: the records are :func:`~labelwright.review.queue.records.blind_records`, with no
    columns for what was said nor ``copies``, and a ``blind`` column of ``true`` before
    ``export``: a sheet without the suggestion column may also be a script's, so only the
    mark tells the import that its reviewer saw the text alone.

    ``excel``: UTF-8 with a byte-order mark and ``;`` between cells
    (:data:`EXCEL_SEPARATOR`), as Excel in a comma-decimal locale (German) opens in columns
    with its umlauts intact; else UTF-8 without one and commas, as scripts expect. The
    import reads either.

    ``show``: the item's fields in columns of their own after the text (``field_subject``:
    :mod:`~labelwright.review.queue.shown_fields`), blind or not.

    Text cells that a spreadsheet would take for a formula are escaped (:func:`protect_cell`).
    Returns the cells longer than Excel holds
    (:func:`~labelwright.review.queue.cell_limit.long_cells`: the id, text and glossary terms
    cells are the ones that can be).
    """
    records = records if isinstance(records, list) else list(records)
    # a disputed item's raters and their labels, for its adjudicator: the last column
    disputed = not blind and any(RATER_LABELS in r for r in records)
    header = ["id", "run_id", "project", "rank", "text", *field_keys(show).values(),
              *([] if blind else ["suggested_label"]), "review_label", "note",
              *([] if blind else ["confidence", "reasons", "signals", *WHY_COLUMNS,
                                  *[f"prob_{label}" for label in labels], "glossary_terms",
                                  *[f"vote_{name}" for name in lf_names], PATTERN_COLUMN]),
              *(["blind"] if blind else []), "export", *([] if blind else ["copies"]),
              *([RATER_LABELS] if disputed else [])]
    # the cells that hold an item's own text, which may be long: id, text, glossary terms
    checked = [(k, header[k]) for k in (0, 4, *([] if blind else
                                                [header.index("glossary_terms")]))]
    found: list[LongCell] = []

    def note(row: list[Any]) -> list[Any]:
        for k, name in checked:  # a length test per cell: most are short
            if isinstance(value := row[k], str) and len(value) > MAY_BE_LONG \
                    and (cell := long_cell(row[0], name, value)) is not None:
                found.append(cell)
        return row

    with open(path, "w", encoding=EXCEL_ENCODING if excel else "utf-8",
              newline="") as handle:
        writer = csv.writer(handle, delimiter=EXCEL_SEPARATOR if excel else ",")
        writer.writerow(header)
        if not blind:
            rows = _with_fields(_csv_rows(records, labels, lf_names), records, show)
            if disputed:
                rows = (row + [protect_cell(r.get(RATER_LABELS, ""))]
                        for row, r in zip(rows, records))
            writer.writerows(map(note, rows))
            return _unprotected_ids(found)
        for r in records:  # blind: review_label and note empty, blind "true"
            row = [r["id"], r["run_id"], r.get("project", ""), r["rank"], r["text"],
                   *shown_values(r, show).values(), "", "", "true", r.get("export", "queue")]
            # protect_cell inline: a call per cell was a third of the file's time at scale
            row = ["'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_START)
                   else cell for cell in row]
            writer.writerow(note(row))
    return _unprotected_ids(found)


def _with_fields(rows: Iterator[list[Any]], records: list[dict[str, Any]],
                 show: Sequence[str]) -> Iterator[list[Any]]:
    """``rows`` with the ``show`` fields of their records after the text cell, each
    protected (:func:`protect_cell`): a subject may start with ``=``."""
    if not show:
        return rows
    return ([*row[:5], *map(protect_cell, shown_values(r, show).values()), *row[5:]]
            for row, r in zip(rows, records, strict=True))


def _inline(value: Any) -> Any:
    """:func:`protect_cell` of a cell of many distinct values, without a call to it."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def _unprotected_ids(cells: list[LongCell]) -> list[LongCell]:
    """``cells`` named by their items' ids, not the ids as written (``'=1``)."""
    return [cell._replace(item_id=str(unprotect_cell(cell.item_id))) for cell in cells]


class _Protected(dict[Any, Any]):
    """:func:`protect_cell` of each value, worked out once per distinct value (run id,
    project, labels, reasons): a dict lookup per cell instead of a test."""

    def __missing__(self, value: Any) -> Any:
        self[value] = cell = protect_cell(value)
        return cell


def _csv_rows(records: Iterable[dict[str, Any]], labels: Sequence[str],
              lf_names: Sequence[str]) -> Iterator[list[Any]]:
    """The rows of :func:`write_csv` (not blind), each text cell protected: the cells of
    few distinct values (labels, reasons, run id) through :class:`_Protected`, an item's
    own (id, text, terms) tested inline, and the vote cells filled from each record's
    votes, which name the LFs that voted (a row's other LFs' cells are empty): a test per
    cell was half the file's time on a 365,000-item queue."""
    protected = _Protected()
    column = {name: k for k, name in enumerate(lf_names)}
    no_votes = [""] * len(lf_names)
    start = FORMULA_START
    for r in records:
        ident, text = r["id"], r["text"]
        terms = terms_text(r["glossary_matches"])
        vote_cells = no_votes.copy()
        for name, label in r["votes"].items():
            k = column.get(name)
            if k is not None:
                vote_cells[k] = protected[label]
        probabilities = r["probabilities"]
        yield [
            "'" + ident if isinstance(ident, str) and ident.startswith(start) else ident,
            protected[r["run_id"]], protected[r.get("project", "")], r["rank"],
            "'" + text if isinstance(text, str) and text.startswith(start) else text,
            protected[r["suggested_label"] or ""], "", "", r["confidence"],
            protected[";".join(r["reasons"])], protected[signals_text(r.get("signals", []))],
            # an item's own words: tested inline, as the text (held in the cache of
            # distinct values, a million items' why would stay in memory to the end)
            _inline(r.get("why", "")), protected[r.get("end_model_label") or ""],
            *[probabilities[label] for label in labels],
            "'" + terms if terms.startswith(start) else terms,
            *vote_cells, _inline(r.get("vote_pattern", "")),
            protected[r.get("export", "queue")], protected[r.get("copies", "")]]
