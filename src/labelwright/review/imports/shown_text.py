"""The texts a run showed its reviewers, and whether a decision was made on the text an
item has.

Runs set aside decisions made on a text the item no longer has
(:mod:`~labelwright.review.decisions.decided_texts`). An import refuses a row whose text is
another item's (a spreadsheet turns the id "007" into 7, which may be an item too) or was
edited: the decision would label a text its reviewer did not read. Two copies of one text through a
spreadsheet or a review tool may differ in spacing, line ends, invisible characters or
Unicode form; those are the same text. A text Excel cut to the 32,767 characters a cell
holds is the item's too, but its reviewer read only that start: the import records it
(:func:`text_check`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from labelwright.review.imports.readers import Row
from labelwright.review.queue.cell_limit import EXCEL_CELL_CHARS, excel_length
from labelwright.review.queue.csv_sheet import FORMULA_START
from labelwright.runs.file_names import QUEUE_JSONL, SAMPLE_JSONL
from labelwright.spelling import (
    EAST_ASIAN_NAMES,
    ENCODING_NAMES,
    east_asian_misreadings,
    repairs,
    without_holes,
)
from labelwright.text_form import text_form

_ID_PREFIX = '{"id": '  # how a run's review records begin (review_records writes id first)
_DECODER = json.JSONDecoder()


def exported_records(path: Path, wanted: set[str]) -> Iterator[dict[str, Any]]:
    """The records of the ``wanted`` items in a run's review or sample JSONL (none when the
    file is missing). Only their lines are parsed: a record's id is read from its start, so
    a queue of a million items costs a pass over the file, not a million parses."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError:
        return
    with handle:
        for line in handle:
            if line.startswith(_ID_PREFIX):
                try:
                    item_id, _ = _DECODER.raw_decode(line, len(_ID_PREFIX))
                except json.JSONDecodeError:
                    continue
                if str(item_id) not in wanted:
                    continue
            elif not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and str(record.get("id")) in wanted:
                yield record


def exported_ids(path: Path, wanted: set[str]) -> set[str] | None:
    """Which of the ``wanted`` item ids a run's review or sample JSONL holds (None when the
    file is missing): only each line's start is read (the id), as in
    :func:`exported_records`, and a line that does not start with it is parsed whole."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError:
        return None
    found: set[str] = set()
    with handle:
        for line in handle:
            try:
                if line.startswith(_ID_PREFIX):
                    item_id, _ = _DECODER.raw_decode(line, len(_ID_PREFIX))
                elif line.strip():
                    record = json.loads(line)
                    item_id = record.get("id") if isinstance(record, dict) else None
                else:
                    continue
            except json.JSONDecodeError:
                continue
            if str(item_id) in wanted:
                found.add(str(item_id))
    return found


def run_exported_records(run_dir: Path, wanted: set[str]) -> Iterator[dict[str, Any]]:
    """:func:`exported_records` of both of a run's exports, its review queue's and then
    its random sample's."""
    for name in (QUEUE_JSONL, SAMPLE_JSONL):
        yield from exported_records(run_dir / name, wanted)


def texts_shown(run_dir: Path, wanted: set[str]) -> dict[str, str]:
    """``{id: text}`` of the ``wanted`` items in a run's review and sample JSONL."""
    return {str(r["id"]): r["text"] for r in run_exported_records(run_dir, wanted)
            if isinstance(r.get("text"), str)}


def text_check(row: Row, shown: Callable[[str, str], str | None]
               ) -> tuple[str | None, tuple[int, int] | None]:
    """``(problem, cut)`` of the text a row shows against the text its run exported for
    the item (``shown(run_id, item_id)``; None: not known, nothing to check).

    The whole text is compared (spacing, line ends, invisible characters and the Unicode
    form aside: :func:`~labelwright.text_form.text_form`): an edit anywhere in a long
    contract ("shall" made "shall not" at character 3,000) is another text. A row that
    holds the start of the text, cut where a tool cuts (:func:`excel_cut`: Excel at 32,767
    characters, when it saves), is the item's, and ``cut`` is ``(characters in the row,
    characters of the text)``: the decision was made on the start alone. A start of 500
    characters or more cut anywhere else is a problem: cut or edited by hand, it cannot be
    told (a shorter one may be another item's text: a spreadsheet that turned the id
    "007" into 7)."""
    if row.text is None or not row.item_id or not row.run_id:
        return None, None
    exported = shown(row.run_id, row.item_id)
    if exported is None or row.text == exported:
        return None, None
    mine, theirs = text_form(row.text), text_form(exported)
    if mine == theirs:
        return None, None
    if _starts(theirs, mine):
        if excel_cut(row.text):
            return None, (len(row.text), len(exported))
        if len(mine) >= _CUT_MIN:  # shorter, it may be another item's text (below)
            return _cut_elsewhere(row, len(row.text), len(exported)), None
    misread = _misread_in(row.text, exported, theirs)
    if misread is not None:
        return (f"the text in this row is item {row.item_id!r}'s text as UTF-8 bytes "
                f"read as {misread} and saved again "
                f"({_around(mine, _first_difference(mine, theirs))!r}): the file was "
                "opened in another encoding, as Excel opens a CSV by double-click in "
                "the system's code page, so its reviewer read garbled text; open the "
                "export with Data > From Text/CSV, File origin UTF-8, and review it "
                "again"), None
    at = _first_difference(mine, theirs)
    return (f"the text in this row is not the text of item {row.item_id!r} (as run "
            f"{row.run_id} exported it, or as the data has it if the run did not): they "
            f"differ from character {at + 1} on (spacing aside): {_around(mine, at)!r} in "
            f"this row vs {_around(theirs, at)!r}; was the id changed (a spreadsheet turns "
            "007 into 7) or the text edited? The decision would label another text than its "
            "reviewer read"), None


def other_text(row: Row, shown: Callable[[str, str], str | None]) -> str | None:
    """Why the text a row shows is not the one its run exported for the item
    (:func:`text_check`), or None."""
    return text_check(row, shown)[0]


_CUT_MIN = 500  # characters: two different items rarely share a start this long

def excel_cut(text: str) -> bool:
    """Is ``text`` as long as Excel cuts a cell to when it saves (32,767 characters), the one
    cut labelwright knows? Counted as Excel counts (UTF-16 code units) and as Python does,
    and with the ``'`` a CSV cell that looks like a formula is written with (the import
    takes it off)."""
    lengths = {len(text), excel_length(text)}
    if text.startswith(FORMULA_START):
        lengths |= {n + 1 for n in lengths}
    return EXCEL_CELL_CHARS in lengths


def _starts(text: str, start: str) -> bool:
    """``start`` (in :func:`~labelwright.text_form.text_form`) is a shorter start of
    ``text``: its last character aside, which a cut may have split (an accent cut from its
    letter, half of a character past U+FFFF)."""
    return len(start) < len(text) and text.startswith(start[:-1])


def _cut_elsewhere(row: Row, held: int, length: int) -> str:
    """The problem of a row that holds the start of the item's text cut where no known
    tool cuts (:func:`excel_cut`)."""
    known = f"Excel at {EXCEL_CELL_CHARS:,}"
    return (f"the text in this row is the first {held:,} of the {length:,} characters of "
            f"item {row.item_id!r}'s text (as run {row.run_id} exported it, or as the data "
            f"has it if the run did not), cut where no tool labelwright knows cuts a text "
            f"({known} characters); cut or edited by hand? The decision would label the "
            "whole text from a start its reviewer read; review the item on its whole text")


def _misread_in(text: str, exported: str, theirs: str) -> str | None:
    """The name of the code page ``text`` is ``exported``'s (``theirs``: its
    :func:`~labelwright.text_form.text_form`) UTF-8 bytes read in, and saved again, else
    None; whole, or cut where a tool cuts (:func:`excel_cut`). A single-byte page reads every
    byte, so the text is undone; an East Asian one leaves holes where bytes made no
    character, so the exported text is read as it was and compared without them."""
    def same(read: str, wanted: str) -> bool:
        return read == wanted or _starts(wanted, read) and excel_cut(text)

    for repaired, encoding in repairs(text):
        if same(text_form(repaired), theirs):
            return ENCODING_NAMES[encoding]
    if exported.isascii():
        return None
    holed = text_form(without_holes(text))
    for read, encoding in east_asian_misreadings(exported):
        if same(holed, text_form(read)):
            return EAST_ASIAN_NAMES[encoding]
    return None


def _first_difference(a: str, b: str) -> int:
    """The index of the first character where ``a`` and ``b`` differ (the shorter one's
    length when it is the start of the other)."""
    return next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


_CONTEXT = 20  # characters shown on either side of where two texts part


def _around(text: str, at: int) -> str:
    """``text`` near index ``at``, with "..." where it is cut: two texts that share a long
    start showed the same first 40 characters twice, and their difference not at all."""
    start, end = max(0, at - _CONTEXT), at + _CONTEXT
    return ("..." if start else "") + text[start:end] + ("..." if end < len(text) else "")


def shown_reader(runs_dir: Path, rows: list[Row], current: dict[str, str | None]
                 ) -> Callable[[str, str], str | None]:
    """``shown(run_id, item_id)``: the text a run's review or sample export held for the
    item, else (an item the run did not export) its text in the data now; each run's files
    are read once, for the items ``rows`` name."""
    wanted: dict[str, set[str]] = {}
    for row in rows:
        if row.text is not None and row.run_id and row.item_id:
            wanted.setdefault(row.run_id, set()).add(row.item_id)
    cache: dict[str, dict[str, str]] = {}

    def shown(run_id: str, item_id: str) -> str | None:
        if run_id not in cache:
            cache[run_id] = texts_shown(runs_dir / run_id, wanted.get(run_id, set()))
        exported = cache[run_id].get(item_id)
        return exported if exported is not None else current.get(item_id)

    return shown
