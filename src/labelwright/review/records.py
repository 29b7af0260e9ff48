"""What every reader of review files shares: :class:`Row`, a file read as UTF-8 text
(spreadsheets, zip archives and other encodings refused with what to do), the records of a
JSON list or JSONL file, and the small conversions of a record's values.

The readers are :mod:`~labelwright.review.readers` (labelwright's own CSV and JSONL, and
the format guess) and :mod:`~labelwright.review.tool_readers` (the review tools' exports).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.data.formats import line_breaks
from labelwright.errors import ReviewError

IMPORT_FORMATS = ("label-studio", "prodigy", "doccano", "csv", "jsonl", "argilla")


@dataclass
class Row:
    """One decision as read from a file, before it is checked against the project."""

    where: str  # "line 3", "task 12 annotation 7", ...
    item_id: str | None
    run_id: str | None
    label: str | None
    annotator: str = ""
    decided_at: str = ""
    project: str | None = None
    skip: str | None = None  # why the row is not a decision (ignored, cancelled, ...)
    problem: str | None = None  # a reader-level problem (e.g. several labels chosen)
    export: str = ""  # "queue" / "sample" as exported; "" in files from before it was
    text: str | None = None  # the item's text as the file shows it (None: not in the file)
    #: decided without the run's suggestion (a blind export), with it, or None: not known
    blind: bool | None = None


ZIP_MAGIC = b"PK\x03\x04"
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")


def read_text(path: Path) -> str:
    """The file as UTF-8 text; a zip archive or another encoding is an error naming the
    line and what to do."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReviewError(f"{path}: cannot read: {exc}") from None
    if path.suffix.lower() in SPREADSHEETS:
        raise ReviewError(f"{path}: a spreadsheet file, which labelwright does not read; save "
                          "it as CSV (in Excel: 'CSV UTF-8') and import that")
    if raw.startswith(ZIP_MAGIC):
        raise ReviewError(f"{path}: a zip archive (doccano, for one, exports one <user>.jsonl "
                          "per annotator in a zip); unzip it and import each file with "
                          "--reviewer set to its annotator")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # after the BOM
        line = line_breaks(raw, 0, start) + 1  # a line may end in \r alone
        raise ReviewError(f"{path}:{line}: not UTF-8 (byte 0x{raw[start]:02x}); save the "
                          "file as UTF-8 (in Excel: 'CSV UTF-8')") from None


def json_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a JSONL text, split at line feeds only: a JSON string may
    hold U+2028, U+2029 or U+0085 unescaped (exports write texts as they are), which
    ``str.splitlines`` would take for line breaks."""
    return enumerate(text.split("\n"), start=1)


def records(path: Path, fmt: str) -> Iterator[tuple[str, Any]]:
    """``(where, record)`` for a JSON list or JSONL file of ``fmt``. A record that is no
    JSON object (a stray line) is the reader's bad row; a file in which no record is one
    is not a ``fmt`` export at all."""
    records = objects = 0
    for where, record in _parsed(path):
        records += 1
        objects += isinstance(record, dict)
        yield where, record
    if records and not objects:
        raise ReviewError(f"{path}: does not look like a {fmt} export (none of its records is "
                          "a JSON object); pass the right --format, one of "
                          f"{', '.join(IMPORT_FORMATS)}")


def each_record(fmt: str, tool: str
                ) -> Callable[[Callable[[str, dict[str, Any]], Iterator[Row]]],
                              Callable[[Path], Iterator[Row]]]:
    """A reader of ``fmt`` files from a function of one record (``where``, the record as
    a dict) to its rows: a record that is no JSON object is a bad row naming it, and a file
    none of whose records is one is another format (:func:`records`)."""
    def reader(rows_of: Callable[[str, dict[str, Any]], Iterator[Row]]
               ) -> Callable[[Path], Iterator[Row]]:
        @functools.wraps(rows_of)
        def read(path: Path) -> Iterator[Row]:
            for where, record in records(path, fmt):
                if isinstance(record, dict):
                    yield from rows_of(where, record)
                else:
                    yield not_an_object(where, record, tool)
        return read
    return reader


def _parsed(path: Path) -> Iterator[tuple[str, Any]]:
    text = read_text(path)
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReviewError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg}") from None
        for k, record in enumerate(data, start=1):
            yield f"record {k}", record
        return
    for number, line in json_lines(text):
        if line.strip():
            try:
                yield f"line {number}", json.loads(line)
            except json.JSONDecodeError as exc:
                raise ReviewError(f"{path}:{number}: malformed JSON: {exc.msg}") from None


def not_an_object(where: str, record: Any, tool: str) -> Row:
    """The bad row of a record that is no JSON object."""
    shown = json.dumps(record, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:40] + "..."
    return Row(where, None, None, None,
               problem=f"{shown} is not a JSON object; every record of a {tool} export is one")


def as_object(value: Any) -> dict[str, Any]:
    """A nested object a record may carry (Prodigy's and doccano's ``meta``, Argilla's
    ``metadata``), or {} when it is missing or not an object: the ids it may hold are
    looked for at the top of the record as well, and a row left without them is a bad row
    that says so."""
    return value if isinstance(value, dict) else {}


def shown_text(value: Any) -> str | None:
    """The item text a file shows, if it shows one."""
    return value if isinstance(value, str) else None


def as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def export_kind(value: Any) -> str:
    """A record's export mark (``queue`` / ``sample``; "" when the file has none)."""
    return str(value or "").strip()


#: the values of a blind mark a file may hold (JSON true / false; in a CSV, the words)
_BLIND_MARKS = {True: True, False: False, "true": True, "false": False}


def blindness(mark: Any, *, said: bool) -> tuple[bool | None, str | None]:
    """``(blind, problem)`` of a record: its blind mark when it has one (``true`` from a
    blind export, ``false``), else False when the record holds what the run said (``said``:
    a shown export's suggestion), else None: the file does not say (a script's file, or a
    blind export from before the mark existed). A mark of another value is the problem."""
    if mark is None or mark == "":
        return (False if said else None), None
    key = mark.strip().lower() if isinstance(mark, str) else mark
    if isinstance(key, bool | str) and key in _BLIND_MARKS:
        return _BLIND_MARKS[key], None
    return None, (f"blind mark {mark!r}; expected true (a blind export's), false, or none "
                  "(an empty cell: not known)")


def one_label(values: Any) -> tuple[str | None, str | None]:
    """``(label, problem)`` from a tool's list (or single value) of chosen labels."""
    values = [v for v in one_or_more(values) if v is not None]
    if len(values) > 1:
        return None, f"several labels chosen ({', '.join(map(str, values))}); expected one"
    return (str(values[0]) if values else ""), None


def one_or_more(values: Any) -> list[Any]:
    """A tool's list of chosen values, a single value as a list of one."""
    return [] if values is None else values if isinstance(values, list) else [values]
