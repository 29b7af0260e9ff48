"""What passes between an engine and a chunk runner: a :class:`Chunk` of items held
column-wise, and the :class:`ChunkResult` the runner (:mod:`~labelwright.apply.core`)
gives back for it, its glossary hits as records of :data:`HIT_DTYPE`. Engines, the file
stream and the vote cache read these without running an LF."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from labelwright.apply.lf_failures import LFFailures
from labelwright.lfs.item import GlossaryMatch

#: one glossary match of an item: its row, the glossary, the term and the phrase (0 the
#: term, 1... its synonyms) by index, and whether an exclusion cancelled it
HIT_DTYPE = np.dtype([("row", np.int64), ("glossary", np.int32), ("term", np.int32),
                      ("phrase", np.int32), ("cancelled", np.bool_)])


@dataclass
class Chunk:
    """A slice of items, column-wise; ``columns`` picks the LFs to run (None: all)."""

    start: int
    ids: list[str]
    texts: list[str]
    fields: dict[str, list[Any]] | None = None  # column name -> values
    columns: list[int] | None = None
    keep_matches: bool = True
    data_columns: tuple[str, str] = ("id", "text")  # the columns of the ids and texts
    #: each item's 0-based row in the data file, as messages name it (None: ``start + i``)
    file_rows: list[int] | None = None
    #: a dataset in many files: each item's part, named within the folder (None: one
    #: file), so a message names the part its row is of
    files: list[str] | None = None
    #: (item, column) cells to compute, ``columns`` in order (None: every one): an LF
    #: edited while rows were added runs on every row, the others on the new rows only
    needed: np.ndarray | None = None
    #: the items whose glossary hits are to be matched (None: every one): the others' are
    #: in the vote cache already; their matches, when an LF to run reads them, come from
    #: ``known_matches`` or are matched before the LFs run (not inside an LF's call)
    match: np.ndarray | None = None
    #: per item, its matches read from the match cache (None: not there), for the items
    #: ``match`` leaves out (:mod:`labelwright.apply.match_cache`)
    known_matches: list[list[GlossaryMatch] | None] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def file_row(self, i: int) -> int:
        """The 0-based row in the data file of the chunk's ``i``-th item."""
        return self.start + i if self.file_rows is None else self.file_rows[i]

    def where(self, i: int) -> str:
        """``row N``, or ``part: row N`` for a dataset in many files, of the ``i``-th item."""
        row = f"row {self.file_row(i) + 1}"
        return row if self.files is None else f"{self.files[i]}: {row}"


@dataclass
class ChunkResult:
    start: int
    votes: np.ndarray  # (len(chunk), len(columns))
    columns: list[int]
    failures: dict[str, LFFailures]
    failed_rows: dict[str, list[int]]  # LF name -> chunk-relative rows that raised
    matches: list[list[GlossaryMatch] | None] | None  # per item, None: not matched here
    # one row per glossary match: (chunk-relative row, glossary index, term index, cancelled)
    hits: np.ndarray
    #: whether the glossary matcher ran on this chunk's items (those of ``Chunk.match``):
    #: ``hits`` holds all their hits
    matched: bool = False
    #: LFs (indices) that read glossary matches on some item of the chunk, seen as they
    #: ran: one whose cache key holds no glossary (it reads them through code not seen to
    #: read them) must not have these votes cached
    match_readers: list[int] = field(default_factory=list)
    docs_read: int = 0  # Docs read from the Doc cache instead of parsed
    #: per LF (name) that ran on some item of the chunk, the seconds its calls took there:
    #: every call timed, one clock read each (see
    #: :meth:`~labelwright.apply.core.ChunkRunner._run`)
    lf_seconds: dict[str, float] = field(default_factory=dict)
    #: seconds getting the items' Docs (parsing them, or reading them back from the Doc
    #: cache), and matching the glossaries in them
    #: (:attr:`~labelwright.apply.apply_result.ApplyResult.parse_seconds`)
    parse_seconds: float = 0.0
    match_seconds: float = 0.0
