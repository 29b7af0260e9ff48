"""What every reader of review files shares: :class:`Row`, a file read as UTF-8 text
(spreadsheets, zip archives and other encodings refused with what to do), the records of a
JSON list or JSONL file, and the small conversions of a record's values.

The readers are :mod:`~labelwright.review.imports.readers` (labelwright's own CSV and JSONL, and
the format guess) and :mod:`~labelwright.review.imports.tool_readers` (the review tools' exports).
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from labelwright.data.jsonl_format import key_given_twice
from labelwright.data.text_checks import not_utf8_in
from labelwright.errors import ReviewError, both_spellings
from labelwright.json_lines import jsonl_lines

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
    #: ``(characters the row's text holds, characters of the item's text)`` when the row
    #: holds a start of the text a tool cut (Excel, at 32,767 characters): set by the
    #: import's check of the text (:func:`~labelwright.review.imports.shown_text.text_check`)
    cut: tuple[int, int] | None = None
    #: the rater named by the tool's user id, when the file gives it (``label-studio:2``):
    #: the ``annotator`` itself, or the id behind the email it names
    #: (:mod:`~labelwright.review.decisions.rater_ids`)
    rater_id: str = ""
    #: the rater who made the annotation (Label Studio's ``completed_by``) when another user
    #: changed it since (``updated_by``): the row's ``annotator`` is that user, whose label
    #: the annotation holds now
    author: str = ""
    #: why the rater decided so, as the file gives it (the review CSV's ``note`` column,
    #: the review JSONL's ``note`` field); "": none
    note: str = ""
    #: where the reader looks for the item id, as an error names it when there is none
    #: (``"neither 'lw_id' nor 'meta' → 'id'"``); "": the message says only what it expects
    id_fields: str = ""
    #: where the item id came from when not where labelwright's export puts it, as an
    #: unknown id's error says (an Argilla record without ``lw_id`` metadata: its record id)
    id_note: str = ""
    #: the record's columns or fields the import does not read (labelwright's own CSV and
    #: JSONL: :func:`~labelwright.review.imports.readers.unread_names`), said once per file
    unread: tuple[str, ...] = ()


ZIP_MAGIC = b"PK\x03\x04"
EXCEL_UTF8 = " (in Excel: 'CSV UTF-8')"  # how to save a CSV as UTF-8
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
                          f"{both_spellings('--reviewer', 'reviewer=')} set to its annotator")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # after the BOM
        # the datasets' error, so both say the same: the line, the column, what the byte
        # is in the likely code page (0xfc: 'ü' in Windows-1252), a line of another page
        plain = not_utf8_in(path, raw, start)
        found = plain.mixed(io.BytesIO(raw), start)  # a file of two encodings: fix the line
        raise ReviewError(f"{found}{EXCEL_UTF8 if found is plain else ''}") from None


def json_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a JSONL text, split as
    :func:`~labelwright.json_lines.jsonl_lines` splits it (exports write texts as they are)."""
    return enumerate(jsonl_lines(text), start=1)


def records(path: Path, fmt: str) -> Iterator[tuple[str, Any]]:
    """``(where, record)`` for a JSON list or JSONL file of ``fmt``. A record that is no
    JSON object (a stray line), or a line that is no JSON at all (:class:`Malformed`), is
    the reader's bad row; a file in which no record is an object is not a ``fmt`` export
    at all."""
    records = objects = 0
    for where, record in parsed(path, read_text(path)):
        records += 1
        objects += isinstance(record.record if isinstance(record, Malformed) else record, dict)
        yield where, record
    if records and not objects:
        raise ReviewError(f"{path}: does not look like a {fmt} export (none of its records is "
                          f"a JSON object); pass the right {both_spellings('--format', 'fmt=')}"
                          ", one of "
                          f"{', '.join(IMPORT_FORMATS)}")


def each_record(fmt: str, tool: str
                ) -> Callable[[Callable[[str, dict[str, Any]], Iterator[Row]]],
                              Callable[[Path], Iterator[Row]]]:
    """A reader of ``fmt`` files from a function of one record (``where``, the record as
    a dict) to its rows: a record that is no JSON object, or a line that is no JSON, is a bad
    row naming it, and a file none of whose records is an object is another format
    (:func:`records`)."""
    def reader(rows_of: Callable[[str, dict[str, Any]], Iterator[Row]]
               ) -> Callable[[Path], Iterator[Row]]:
        @functools.wraps(rows_of)
        def read(path: Path) -> Iterator[Row]:
            for where, record in records(path, fmt):
                if isinstance(record, dict):
                    yield from rows_of(where, record)
                elif isinstance(record, Malformed):
                    yield Row(where, None, None, None, problem=record.problem)
                else:
                    yield not_an_object(where, record, tool)
        return read
    return reader


@dataclass(frozen=True)
class Malformed:
    """A line of a JSONL file that is no JSON (cut short, a merge-conflict marker, a comma
    before a closing bracket), or a record that gives a key twice: a bad row of its own, as
    a line that is JSON but no object is, so that every such line is named and the others
    can still be imported. ``record`` is the object as a JSON reader keeps it (the last
    value of a key given twice), None when the line is no JSON."""

    problem: str
    record: Any = None


def parsed(path: Path, text: str) -> Iterator[tuple[str, Any]]:
    """``(where, record)`` of the JSON list or JSONL ``text`` of ``path``; a JSONL line
    that is no JSON comes as a :class:`Malformed` record.

    A JSON list that does not parse is an error with its line and column: there is no
    telling where its records start and end. So is a text none of whose lines is JSON: it
    is no JSONL file, and a bad row per line would hide that. A text that starts with
    ``[`` is JSONL when its first line is a JSON value of its own and more lines follow
    (a JSONL file whose first line is a stray list)."""
    if text.lstrip().startswith("["):
        try:
            data = _DECODER.decode(text)
        except json.JSONDecodeError as exc:
            if not _several_values(text, exc):
                raise ReviewError(f"{path}:{exc.lineno}: malformed JSON: {exc.msg} "
                                  f"(column {exc.colno})") from None
        else:
            for k, record in enumerate(data, start=1):
                yield f"record {k}", _unless_key_twice(record)
            return
    first_bad: tuple[int, str] | None = None
    some_json = False
    for number, line in json_lines(text):
        if not line.strip():
            continue
        try:
            record = _DECODER.decode(line)
        except json.JSONDecodeError as exc:
            problem = _line_problem(line, exc)
            first_bad = first_bad or (number, problem)
            yield f"line {number}", Malformed(problem)
        else:
            some_json = True
            yield f"line {number}", _unless_key_twice(record)
    if first_bad and not some_json:
        raise ReviewError(_no_json(path, text, *first_bad))


class _KeyTwice(dict):  # type: ignore[type-arg]
    """A JSON object in which ``key`` was given twice; as a dict it holds the last value,
    as every JSON reader keeps."""

    key: str


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    marked = _KeyTwice(obj)
    marked.key = key_given_twice(pairs) or ""
    return marked


_DECODER = json.JSONDecoder(object_pairs_hook=_object)


def _unless_key_twice(record: Any) -> Any:
    """``record``, or a :class:`Malformed` one when it, or an object inside it, gives a key
    twice (``{"label": "ham", "label": "spam"}``: a JSON reader keeps "spam" and the
    "ham" would be imported without a word, though the file says both)."""
    stack = [record]
    while stack:
        value = stack.pop()
        if isinstance(value, _KeyTwice):
            return Malformed(f"key {value.key!r} is given twice in one object, so which "
                             "value was meant cannot be told: keep one", record)
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return record


def _several_values(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether ``text`` failed to parse as one JSON value because its first line holds a
    whole one, a stray list that holds no record, and more lines follow: JSONL. (A list of
    objects on the first line is a JSON export with something after it: an error.)"""
    head = text[:exc.pos]
    if exc.msg != "Extra data" or "\n" in head.strip() \
            or "\n" not in head[len(head.rstrip()):]:
        return False
    return not any(isinstance(record, dict) for record in json.loads(head))


def _no_json(path: Path, text: str, number: int, problem: str) -> str:
    """Why a text none of whose lines is JSON is no review file: not JSONL, nor a JSON
    list (or one JSON object written over several lines)."""
    try:
        json.loads(text)
    except json.JSONDecodeError:
        return (f"{path}: no line of it is JSON (the first, {path}:{number}: {problem}), so "
                "it is no JSONL file (one JSON record a line) nor a JSON list, as the review "
                "tools export; import a tool's export, or a review CSV with "
                + both_spellings("--format csv", "fmt='csv'")
                + f" (the format is one of {', '.join(IMPORT_FORMATS)})")
    return (f"{path}: one JSON object over several lines, not records: a review tool's "
            "export is a JSON list of records, or JSONL (one record a line)")


_SHOWN = 60  # characters of a malformed line shown whole; a longer one is cut


def _line_problem(line: str, exc: json.JSONDecodeError) -> str:
    """The problem of a JSONL ``line`` that is no JSON: the parser's message and column,
    the line's start (which names the record: exports write ids and texts first) and, for
    an error further on, the text just before it, with what likely broke it."""
    at = min(exc.pos, len(line.rstrip()))
    if len(line.rstrip()) <= _SHOWN:
        shown = repr(line.rstrip())
    elif at <= _SHOWN - 10:
        shown = repr(line[:_SHOWN]) + "..."
    else:
        shown = f"{line[:30]!r} ... {line[at - 20:at + 10]!r}"
    return (f"malformed JSON: {exc.msg} (column {at + 1}): {shown}"
            + _malformed_hint(line, at, exc.msg))


_CONFLICT_MARKERS = ("<<<<<<< ", "=======", ">>>>>>> ", "||||||| ")


def _malformed_hint(line: str, at: int, message: str) -> str:
    """What likely broke a JSONL line, for the three ways files get broken by hand."""
    if line.startswith(_CONFLICT_MARKERS):
        return ("; a merge-conflict marker: resolve the conflict (keep one side's lines, "
                "delete the markers)")
    if at >= len(line.rstrip()) or message.startswith("Unterminated string"):
        return "; the line seems cut short (an export or a copy that stopped midway?)"
    if line[at:at + 1] in ("}", "]") and line[:at].rstrip().endswith(","):
        return f"; a comma before {line[at]!r}, which JSON does not allow: delete it"
    return ""


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


def blindness(mark: Any, *, said: bool, key: str | None = None
              ) -> tuple[bool | None, str | None]:
    """``(blind, problem)`` of a record: its blind mark when it has one (``true`` from a
    blind export, ``false``), else False when the record holds what the run said (``said``:
    a shown export's suggestion), else None: the file does not say (a script's file, or a
    blind export from before the mark existed). A mark of another value is the problem,
    which says what no mark is in the file read: a CSV's empty cell, or with ``key`` (a JSON
    record's key of the mark) a null or no such key, as a JSON file has no cells."""
    if mark is None or mark == "":
        return (False if said else None), None
    value = mark.strip().lower() if isinstance(mark, str) else mark
    if isinstance(value, bool | str) and value in _BLIND_MARKS:
        return _BLIND_MARKS[value], None
    none = "an empty cell" if key is None else f"null, or no {key!r} key"
    written = repr(mark) if isinstance(mark, str) else json.dumps(mark, default=str)
    return None, (f"blind mark {written}; expected true (a blind export's), false, or none "
                  f"({none}: not known)")


#: how the problem of a record with more than one label chosen starts
SEVERAL_LABELS = "several labels chosen"


def one_label(values: Any) -> tuple[str | None, str | None]:
    """``(label, problem)`` from a tool's list (or single value) of chosen labels; an empty
    one is none (doccano's ``["", "billing"]`` was "several labels chosen (, billing)")."""
    values = [v for v in one_or_more(values) if v is not None and v != ""]
    if len(values) > 1:
        return None, f"{SEVERAL_LABELS} ({', '.join(map(str, values))}); expected one"
    return (str(values[0]) if values else ""), None


def reader_problem(row: Row, labels: Sequence[str]) -> str | None:
    """The problem a reader found in ``row``, saying, as every other label error does, the
    item and the valid labels when it is :func:`one_label`'s (the reader does not know the
    project's labels)."""
    problem = row.problem
    if problem is None or not problem.startswith(f"{SEVERAL_LABELS} ("):
        return problem
    rest = problem[len(SEVERAL_LABELS):].replace(
        "; expected one", f"; expected one; valid: {', '.join(labels)}", 1)
    return SEVERAL_LABELS + (f" for item {row.item_id!r}" if row.item_id else "") + rest


def one_or_more(values: Any) -> list[Any]:
    """A tool's list of chosen values, a single value as a list of one."""
    return [] if values is None else values if isinstance(values, list) else [values]
