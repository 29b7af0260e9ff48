"""Cells of a CSV longer than a spreadsheet cell holds.

Excel holds at most 32,767 characters in a cell (UTF-16 code units: a character past
U+FFFF, an emoji, counts twice). It opens a longer cell whole but cuts it to that length
when it saves the file, and says nothing; LibreOffice and scripts keep it. A reviewer who
opened a 1.2-million-character contract in Excel read its first 32,767 characters, and the
file it saved holds no more. The exports say which cells are past the limit
(:func:`long_cells`), and the import recognises a text cut at exactly that length
(:mod:`~labelwright.review.imports.shown_text`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from labelwright.counts import counted, some_of

#: the most characters an Excel cell holds (its "total number of characters that a cell
#: can contain"); Excel cuts a longer one to this when it saves
EXCEL_CELL_CHARS = 32_767


def excel_length(text: str) -> int:
    """``text``'s length as Excel counts it: in UTF-16 code units."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


class LongCell(NamedTuple):
    """A cell past :data:`EXCEL_CELL_CHARS`: its row's item id, its column and its length
    (as Excel counts it)."""

    item_id: str
    column: str
    chars: int


#: a cell shorter than this in code points is short in Excel's code units too (each code
#: point is at most two of them): the length test a writer makes per cell before
#: :func:`long_cell`
MAY_BE_LONG = EXCEL_CELL_CHARS // 2


def long_cell(item_id: object, column: str, value: str) -> LongCell | None:
    """The cell ``value`` of ``item_id``'s ``column`` when it is past
    :data:`EXCEL_CELL_CHARS` as Excel counts it, else None (asked of cells longer than
    :data:`MAY_BE_LONG`)."""
    chars = excel_length(value)
    return LongCell(str(item_id), column, chars) if chars > EXCEL_CELL_CHARS else None


def long_cells(rows: Iterable[tuple[str, Sequence[tuple[str, object]]]]) -> list[LongCell]:
    """The cells past :data:`EXCEL_CELL_CHARS` of ``rows``, each ``(item id, [(column,
    cell as written), ...])``; cells that are not text are never long."""
    found = []
    for item_id, cells in rows:
        for column, value in cells:
            if isinstance(value, str) and len(value) > MAY_BE_LONG \
                    and (cell := long_cell(item_id, column, value)) is not None:
                found.append(cell)
    return found


#: what a cut cell means, per kind of file
_CONSEQUENCE = {
    "review": ("so a reviewer working in Excel reads and saves only the start of {these}; "
               "`review import` accepts a text cut so and records that its decision was "
               "made on a cut text"),
    "training": "so a copy saved from Excel holds only the start of {these}",
}


def long_cells_warning(path: object, cells: Sequence[LongCell], *, kind: str = "review"
                       ) -> str:
    """What an export says of its ``cells`` past the limit, per column, with the items;
    ``kind``: ``review`` (a review export) or ``training`` (a training set)."""
    columns: dict[str, list[LongCell]] = {}
    for cell in cells:
        columns.setdefault(cell.column, []).append(cell)
    parts = [f"{column} of {counted(len(found), 'item')} ("
             + some_of([f"{c.item_id!r}: {c.chars:,}" for c in
                        sorted(found, key=lambda c: -c.chars)]) + ")"
             for column, found in columns.items()]
    one = len(cells) == 1
    consequence = _CONSEQUENCE[kind].format(these="this text" if one else "these texts")
    return (f"{path}: {counted(len(cells), 'cell')} {'holds' if one else 'hold'} "
            f"more than {EXCEL_CELL_CHARS:,} characters, the most an Excel cell holds: "
            + "; ".join(parts) + f". Excel opens {'it' if one else 'them'} whole but cuts "
            f"{'it' if one else 'each'} to {EXCEL_CELL_CHARS:,} characters when it saves the "
            f"file, without a word (LibreOffice and scripts keep {'it' if one else 'them'} "
            f"whole), {consequence}")
