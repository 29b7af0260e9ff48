"""The texts a read warns of: empty or missing ones, and ones longer than spaCy's default
``max_length``, counted with their first rows (:class:`TextNotes`).

A read of one file, of a file streamed in chunks and of a dataset in many files each say
them in one warning a kind, naming the first rows and ids.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from labelwright.counts import counted, some_of

__all__ = ["LONG_TEXT", "TextNotes"]

LONG_TEXT = 1_000_000  # characters; spaCy's default max_length


@dataclass
class TextNotes:
    """The texts a read warns of: those longer than :data:`LONG_TEXT` characters, and
    those empty, only spaces or missing. For each kind, how many, and the first
    :attr:`SHOWN` as (0-based file row, id, length).

    Bounded whatever their number, so a file streamed in chunks or partitions (each
    counted on its own, then merged) says it as a file read whole does, without holding a
    row number per item.
    """

    SHOWN: ClassVar[int] = 5

    long: int = 0
    first_long: list[tuple[int, str, int]] = field(default_factory=list)
    empty: int = 0
    first_empty: list[tuple[int, str, int]] = field(default_factory=list)

    @classmethod
    def of(cls, texts: list[str], ids: list[str], start: int = 0,
           rows: Sequence[int] | np.ndarray | None = None) -> TextNotes:
        """Those of ``texts`` (file rows from ``start``, or ``rows``, the 0-based file row
        of each when rows were skipped), with their ``ids``."""
        # each text's length and blankness in C (a comprehension per text took ~1 s of a
        # million-row read)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        blank = np.fromiter(map(str.isspace, texts), dtype=bool, count=len(texts))
        long = np.flatnonzero(lengths > LONG_TEXT).tolist()
        empty = np.flatnonzero((lengths == 0) | blank).tolist()

        def row(i: int) -> int:
            return start + i if rows is None else int(rows[i])

        return cls(len(long), [(row(i), ids[i], len(texts[i])) for i in long[:cls.SHOWN]],
                   len(empty), [(row(i), ids[i], 0) for i in empty[:cls.SHOWN]])

    def merge(self, other: TextNotes) -> None:
        """Add another part of the file's (chunks may come in any order)."""
        self.long += other.long
        self.first_long = sorted(self.first_long + other.first_long)[:self.SHOWN]
        self.empty += other.empty
        self.first_empty = sorted(self.first_empty + other.first_empty)[:self.SHOWN]

    def warnings(self, source: str, text_column: str,
                 row_name: Callable[[int], str] | None = None) -> list[str]:
        """What a read of ``source`` says of them: the number, the first rows and ids.
        ``row_name``: how a row is named (default ``row N``; a dataset in many files names
        the part too)."""
        def named(row: int) -> str:
            return f"row {row + 1}" if row_name is None else row_name(row)

        out = []
        if self.long:
            shown = some_of([f"{named(row)} (id {item_id!r}, {length:,} characters)"
                             for row, item_id, length in self.first_long], self.SHOWN,
                            total=self.long)
            out.append(f"{source}: {counted(self.long, 'text')} longer than {LONG_TEXT:,} "
                       f"characters: {shown}; kept: the "
                       "blank pipeline parses any length, with memory and time, and a named "
                       "pipeline refuses a text longer than its max_length")
        if self.empty:
            shown = some_of([f"{named(row)} (id {item_id!r})"
                             for row, item_id, _ in self.first_empty], self.SHOWN,
                            total=self.empty)
            out.append(f"{source}: {counted(self.empty, 'empty or missing text')} in column "
                       f"{text_column!r}: {shown}; they "
                       "are kept (a missing text as \"\", one of only spaces as written): "
                       "LFs that read the words find none there, LFs that read other "
                       "columns still vote")
        return out
