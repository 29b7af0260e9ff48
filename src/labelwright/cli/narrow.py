"""Terminal output that fits the console: a wide table that turns into one block per row
where it would not fit, and lists packed into lines of a given width.

Rich shrinks a table that is wider than the console by cutting cells to ``claim_…``
(``claim_new``, ``claim_status`` and ``claim_dispute`` then look the same) and crops the
columns that still do not fit; a row per block keeps every value whole instead.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

Cell = str | Text
#: a width no table reaches: measured within it, a table says how wide it would be uncut
UNBOUNDED = 100_000


def packed(pieces: Iterable[Cell], width: int, *, sep: str = ", ", indent: str = "",
           first_indent: str = "") -> list[Text]:
    """``pieces`` joined by ``sep`` in lines of at most ``width`` columns, the first line
    starting with ``first_indent`` and the others with ``indent``; a piece is never split,
    so one wider than the line has a line of its own. The separator ends each line but the
    last, without its trailing spaces."""
    lines: list[Text] = []
    line, empty = Text(first_indent), True
    end = len(sep.rstrip())  # room kept for the separator that may end the line
    for piece in pieces:
        piece = piece if isinstance(piece, Text) else Text(piece)
        if not empty and line.cell_len + len(sep) + piece.cell_len + end > width:
            line.append(sep.rstrip())
            lines.append(line)
            line, empty = Text(indent), True
        elif not empty:
            line.append(sep)
        line.append_text(piece)
        empty = False
    if not empty:
        lines.append(line)
    return lines


def whole_words(line: Cell, width: int, *, indent: str = "    ") -> Text:
    """``line`` wrapped between words into lines of at most ``width`` columns, the lines
    after the first starting with ``indent``; a word wider than that (a path, a time) keeps
    a line of its own, whole, where rich folds it over two (``runs/20261205-213445`` then
    ``-034542``). Print it with ``soft_wrap=True``, which leaves its lines as they are.
    The styles of a :class:`~rich.text.Text` are kept; a line with a line break is left."""
    text = line if isinstance(line, Text) else Text(line)
    plain = text.plain
    if text.cell_len <= width or "\n" in plain:
        return text
    pieces = textwrap.wrap(plain, width, subsequent_indent=indent, break_long_words=False,
                           break_on_hyphens=False, expand_tabs=False,
                           replace_whitespace=False)
    lines, at = [], 0
    for number, piece in enumerate(pieces):
        body = piece[len(indent):] if number else piece
        start = plain.index(body, at)
        lines.append(text[start:start + len(body)])
        at = start + len(body)
    return Text("\n" + indent).join(lines)


def _field(header: str, value: Cell) -> Text:
    """``header value``, the header dimmed: a cell of a row shown as a block."""
    return Text.assemble((f"{header} ", "dim"), value if isinstance(value, Text) else str(value))


class FittedTable:
    """``table`` when it fits the console at its natural width; else one block per row:
    the row's first ``lead`` cells on a line (the first in bold), then ``header value`` for
    each other cell, packed into lines of the console's width. Its caption follows,
    wrapped to the console's width, not the table's. The blocks read the table's own
    headers and cells (text or :class:`~rich.text.Text`)."""

    def __init__(self, table: Table, *, lead: int = 1) -> None:
        self.table, self.lead = table, lead

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        natural = Measurement.get(console, options.update_width(UNBOUNDED), self.table)
        if natural.maximum <= width:
            yield self.table
            return
        if self.table.title:
            yield Text(str(self.table.title), style="italic")
        headers = [str(column.header) for column in self.table.columns]
        rows: Iterable[Sequence[Any]] = zip(*(column.cells for column in self.table.columns),
                                            strict=True)
        for row in rows:
            first = Text(str(row[0]), style="bold") if not isinstance(row[0], Text) else row[0]
            yield Text("  ").join([first, *map(_field, headers[1:self.lead],
                                               row[1:self.lead])])
            fields = list(map(_field, headers[self.lead:], row[self.lead:]))
            yield from packed(fields, max(width, 24), sep="   ", indent="    ",
                              first_indent="    ")
        if self.table.caption:
            yield Text(str(self.table.caption), style="dim")


def title_above(table: Table) -> Group:
    """``table`` with its title as a line of its own above it, wrapped to the console's
    width rather than the table's (a 68-column table folded its 83-character title in two
    under a full-width table)."""
    title, table.title = table.title, None
    return Group(Text(str(title), style="italic"), table) if title else Group(table)
