"""Reading a file of review decisions: the format guess, labelwright's own review CSV and
JSONL, and :func:`read_rows` for every format; a file becomes rows (item id, run id, label,
annotator, export), before any check against the project (:mod:`~labelwright.review.imports.file`).
The tools' exports are read in :mod:`~labelwright.review.imports.tool_readers` (Argilla's
in :mod:`~labelwright.review.imports.argilla_reader`), on what
:mod:`~labelwright.review.imports.records` shares.

Formats read:

* ``label-studio`` — Label Studio's JSON export (a list of tasks with ``annotations``;
  cancelled annotations are skipped, tasks with no annotation or only a draft counted), or
  its JSON-MIN export (one record per annotation, task data at the top level);
* ``prodigy`` — ``prodigy db-out`` JSONL (``answer`` accept/reject/ignore; only
  accepted answers with one accepted option are decisions; one with none is counted with
  the rejected). Sessions started without a
  name carry a timestamp, not a person, as annotator: their answers are ``--reviewer``'s;
* ``doccano`` — doccano's JSONL export of a text classification project (``label``);
* ``csv`` — the review CSV with ``review_label`` filled in (blank cells: not reviewed);
  comma, semicolon or tab separated; a blind export's has a ``blind`` column (``true``);
* ``jsonl`` — the review JSONL with a ``review_label`` added to the records reviewed, as a
  script writes it (a record without one, or with null, is not reviewed; a blind export's
  records hold ``"blind": true``);
* ``argilla`` — Argilla 2.x records, flattened (``records.to_list(flatten=True)``) or
  nested, as JSON or JSONL; only ``submitted`` responses are decisions, so a response
  without a status (the nested ``records.to_json`` drops it) is an error.

Whether a decision was made blind is read per record (a file may mix the two): its blind
mark, else not blind when the record holds the run's suggestion, else not known
(:func:`~labelwright.review.imports.records.blindness`).

Files every format shares: UTF-8 (a BOM is fine); anything else is an error naming the
line. A zip archive is an error that says to unzip it (doccano's per-user export). A record
not of the tool's shape (a stray line that is no JSON object, a JSONL line that is no JSON,
a Label Studio result whose value is null) is a bad row naming its line or record; a file
none of whose records is a JSON object is another format, and one none of whose lines is
JSON is no JSONL file.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from labelwright.errors import ReviewError, both_spellings
from labelwright.review.imports.argilla_reader import (
    is_argilla_export,
    is_argilla_v1,
    read_argilla,
)
from labelwright.review.imports.records import (
    IMPORT_FORMATS,
    Malformed,
    Row,
    as_text,
    blindness,
    each_record,
    export_kind,
    parsed,
    read_text,
    shown_text,
)
from labelwright.review.imports.tool_readers import (
    is_label_studio_min,
    read_doccano,
    read_label_studio,
    read_prodigy,
)
from labelwright.review.queue.csv_sheet import SEPARATORS, sheet_delimiter, unprotect_cell

CSV_COLUMNS = ("id", "run_id", "review_label")  # what a filled review CSV or JSONL holds
#: what a decision's run id is for, as an import missing it says (a frame of decisions
#: made by hand has only id and review_label)
RUN_ID_USE = ("run_id names the run whose items were reviewed (the review CSV export_run "
              "writes has it): the import checks each row's item and text against what that "
              "run exported or read, and the ledger keeps it with the decision")
#: how to give it
RUN_ID_GIVEN = ('the id of a run of this project that has the items, e.g. df["run_id"] = '
                "result.run_id before df.to_csv(...); `labelwright runs list` lists the runs")
#: the names of the column (CSV) or field (JSONL) a reviewer writes why they decided so in,
#: read in any case (``Note``, ``COMMENT``); the export's CSV has an empty ``note`` column
NOTE_NAMES = ("note", "comment")
#: the columns and fields the review CSV and JSONL exports write or the import reads (with
#: the CSV's ``prob_<label>`` and ``vote_<LF>`` columns): one of another name is named once
#: by the import (:func:`unread_names`)
_READ_OR_EXPORTED = frozenset({
    "id", "run_id", "project", "rank", "text", "suggested_label", "review_label",
    "confidence", "reasons", "signals", "probabilities", "votes", "glossary_terms",
    "glossary_matches", "fields", "blind", "export", "copies", "rater_labels", "reviewer",
    "why", "end_model_label", "end_model_confidence", "signal_values", "pattern"})
#: field_: [review] show_fields; vote_: the CSV's vote_<LF> and the JSONL's vote_pattern
_EXPORTED_PREFIXES = ("prob_", "vote_", "field_")


def note_name(names: Iterable[str]) -> str | None:
    """The one of ``names`` (a CSV header, a JSONL record's keys) that holds the decision's
    note: ``note``, else ``comment``, in any case and with spaces around it; None: none."""
    by_name = {name.strip().lower(): name for name in reversed(list(names))}
    return next((by_name[n] for n in NOTE_NAMES if n in by_name), None)


def unread_names(names: Iterable[str], noted: str | None = None) -> tuple[str, ...]:
    """The names of ``names`` that the import neither reads nor an export of labelwright
    writes (a reviewer's own ``lead_note`` column): said once by the import, so that a
    column of the file is never dropped without a word. ``noted``: :func:`note_name` of
    ``names``, when found already."""
    names = list(names)
    noted = note_name(names) if noted is None else noted
    return tuple(name for name in names if name != noted and name.strip()
                 and name.strip().lower() not in _READ_OR_EXPORTED
                 and not name.startswith(_EXPORTED_PREFIXES))


@functools.lru_cache(maxsize=64)
def _record_names(keys: tuple[str, ...]) -> tuple[str | None, tuple[str, ...]]:
    """(:func:`note_name`, :func:`unread_names`) of a JSONL record's keys: found once per
    set of keys, which an export's records share."""
    noted = note_name(keys)
    return noted, unread_names(keys, noted)


#: how the review CSV's header starts, saved with commas, semicolons or tabs
_REVIEW_CSV_HEADERS = tuple(f"{q}id{q}{sep}{q}run_id{q}{sep}" for sep in SEPARATORS
                            for q in ("", '"'))


def detect_format(path: Path) -> str:
    """Guess the format from the suffix and the first record's keys."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    text = read_text(path)  # a spreadsheet, zip, encoding: said here
    if suffix not in (".json", ".jsonl", ".ndjson") and text.startswith(_REVIEW_CSV_HEADERS):
        return "csv"  # the review CSV saved under another name (q.txt)
    first = _first_record(path, text)
    if first is None:
        raise ReviewError(f"{path}: holds no records (an empty export?); nothing to import")
    keys = set(first) if isinstance(first, dict) else set()
    if ("annotations" in keys and "data" in keys) or is_label_studio_min(first) \
            or _is_label_studio_task(first):
        return "label-studio"
    if "answer" in keys or "_input_hash" in keys:
        return "prodigy"
    # every Argilla 2.x record has a _server_id, even one without responses (which the
    # lw_id of its metadata would have made doccano's)
    if (any(k.endswith(".responses") for k in keys) or {"responses", "_server_id"} & keys
            or is_argilla_export(first)):
        return "argilla"
    if is_argilla_v1(first):
        raise ReviewError(f"{path}: an Argilla 1.x (FeedbackDataset) export, which labelwright "
                          "does not read; load the records labelwright exported into Argilla "
                          "2.x and export them with records.to_list(flatten=True)")
    # labelwright's own records: a blind export's hold no suggestion
    if {"id", "run_id"} <= keys and ("suggested_label" in keys or "blind" in keys):
        return "jsonl"
    if "label" in keys or "labels" in keys or "lw_id" in keys:
        return "doccano"
    raise ReviewError(f"{path}: cannot tell the review format; pass "
                      f"{both_spellings('--format', 'fmt=')}, one of "
                      f"{', '.join(IMPORT_FORMATS)}")


def _is_label_studio_task(record: Any) -> bool:
    """A task of labelwright's Label Studio export as it wrote it: no annotation yet."""
    return isinstance(record, dict) and isinstance(record.get("data"), dict) \
        and "lw_id" in record["data"]


def _first_record(path: Path, text: str) -> Any:
    """The first record of a JSON list or JSONL ``text`` (None when it holds none): a
    line that is no JSON is passed over (the reader names it as a bad row); a record that
    gives a key twice still shows its format."""
    for _, record in parsed(path, text):
        if not isinstance(record, Malformed):
            return record
        if record.record is not None:
            return record.record
    return None


def _first_line(last_line: int, cells: list[str]) -> int:
    """The line a CSV record starts on, from the line it ended on: a quoted value may hold
    line breaks (``\\n``, ``\\r\\n`` or ``\\r``, one line each)."""
    breaks = sum(v.count("\n") + v.count("\r") - v.count("\r\n") for v in cells)
    return last_line - breaks


def read_csv_file(path: Path) -> Iterator[Row]:
    """The review CSV's rows (blank lines passed over). A row with more or fewer values
    than the header is a bad row: its values no longer sit under their columns (a label
    typed one cell too far right was read as no label)."""
    text = read_text(path)
    delimiter = sheet_delimiter(text.split("\n", 1)[0], CSV_COLUMNS)
    # the data readers take texts of any length, so the review file must too (the csv
    # module's default stops at 131,072 characters per cell)
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next((cells for cells in reader if cells), [])
        missing = set(CSV_COLUMNS) - set(header)
        if missing:
            label_studio = bool({"annotator", "annotation_id"} & set(header))
            hint = ("Label Studio's CSV export, which labelwright does not read: export JSON "
                    "from Label Studio" if label_studio
                    else "import the review CSV a run wrote, with review_label filled in")
            if "run_id" in missing and not label_studio:  # a sheet of decisions made by hand
                hint = f"{RUN_ID_USE}. Add a run_id column ({RUN_ID_GIVEN}); or {hint}"
            raise ReviewError(f"{path}: missing column(s) {', '.join(sorted(missing))}; {hint}")
        noted = note_name(header)
        unread = unread_names(header, noted)
        number = 0
        for cells in reader:
            if not cells:
                continue
            number += 1
            where = f"line {_first_line(reader.line_num, cells)}"
            if len(cells) != len(header):
                yield Row(where, None, None, None,
                          problem=_cell_count(number, cells, len(header), delimiter))
                continue
            record = dict(zip(header, cells, strict=True))
            row = _review_row(where,
                              unprotect_cell(record.get("id")) or None,
                              unprotect_cell(record.get("run_id")) or None,
                              unprotect_cell(record.get("review_label")),
                              unprotect_cell(record.get("reviewer")), record.get("export"),
                              blank="review_label left blank",
                              text=shown_text(unprotect_cell(record["text"]) if "text" in record
                                          else None),
                              project=unprotect_cell(record.get("project")),
                              blind=blindness(record.get("blind"),
                                              said="suggested_label" in record),
                              note=unprotect_cell(record[noted]) if noted else None)
            row.unread = unread
            yield row
    except csv.Error as exc:
        raise ReviewError(f"{path}: line {reader.line_num}: not readable as CSV: {exc}") from None


def _cell_count(number: int, cells: list[str], columns: int, delimiter: str) -> str:
    """The problem of the ``number``-th row, whose ``cells`` are not one per column."""
    if not "".join(cells).strip(" \t"):
        hint = "the line holds only spaces or tabs; delete it"
    elif len(cells) > columns:
        hint = (f"a cell inserted, a value typed past the last column, or a text with "
                f"{delimiter!r} not quoted?")
    else:
        hint = "a cell deleted, or the row cut short?"
    return (f"row {number} has {len(cells)} value{'s' * (len(cells) != 1)} where the header "
            f"has {columns}, so its values do not line up with the columns ({hint})")


def _review_row(where: str, item_id: str | None, run_id: str | None, label: str | None,
                reviewer: str | None, export: Any, *, blank: str, text: str | None,
                project: str | None, blind: tuple[bool | None, str | None],
                note: str | None = None) -> Row:
    """A row of labelwright's own review file (CSV or JSONL): ``review_label`` filled in,
    or left empty (``blank`` says how) for an item not reviewed; a cell of only spaces
    looks empty, so it is empty. ``project``: the name the file was exported with (None or
    "": a file from before it was written, or cleared). ``blind``: the record's
    :func:`~labelwright.review.imports.records.blindness`. A label with spaces around it is kept
    as written: the import reads it without them and counts it in a warning, as it does
    for every format. ``note``: the reviewer's note on why (a cell of only spaces is
    none)."""
    filled = bool(label and label.strip())
    return Row(where, item_id, run_id, label if filled else None,
               annotator=(reviewer or "").strip(), export=export_kind(export),
               skip=None if filled else blank, text=text, project=project or None,
               blind=blind[0], problem=blind[1], note=(note or "").strip())


@each_record("jsonl", "review JSONL")
def read_jsonl(where: str, record: dict[str, Any]) -> Iterator[Row]:
    """The run's review JSONL with ``review_label`` (and optionally ``reviewer``) added. A
    record without one is not reviewed, as one whose label is null: a script that labels
    some records adds the key to those alone. A ``note`` (or ``comment``) is the
    decision's note, as in the CSV."""
    noted, unread = _record_names(tuple(record))
    row = _review_row(where, as_text(record.get("id")), as_text(record.get("run_id")),
                      as_text(record.get("review_label")), as_text(record.get("reviewer")),
                      record.get("export"),
                      blank=_no_label(record),
                      text=shown_text(record.get("text")),
                      project=as_text(record.get("project")),
                      blind=blindness(record.get("blind"), said="suggested_label" in record,
                                      key="blind"),
                      note=as_text(record[noted]) if noted else None)
    row.unread = unread
    yield row


def _no_label(record: dict[str, Any]) -> str:
    """Why a JSONL record without a label is no decision, in JSON's words: no
    ``review_label`` key, a null one, or an empty text (a CSV's "left blank" is a cell)."""
    if "review_label" not in record:
        return "no review_label (not reviewed)"
    return ("review_label null (not reviewed)" if record["review_label"] is None
            else "review_label left empty")


READERS = {"label-studio": read_label_studio, "prodigy": read_prodigy, "doccano": read_doccano,
           "csv": read_csv_file, "jsonl": read_jsonl, "argilla": read_argilla}


def filled_decisions(path: Path) -> int:
    """How many rows of the review file at ``path`` hold a label, read as ``review import``
    reads it (its format guessed): the decisions a reviewer filled in or a tool exported,
    checked against nothing. An empty file (an export that kept no item) holds none;
    a file that is no review file is a :class:`ReviewError`."""
    if read_text(path).strip() in ("", "[]"):
        return 0
    return sum(1 for row in read_rows(path, detect_format(path))
               if row.label and not row.skip)


def read_rows(path: Path, fmt: str) -> list[Row]:
    if fmt not in READERS:
        raise ReviewError(f"unknown review format {fmt!r}; valid: {', '.join(IMPORT_FORMATS)}")
    if fmt != "csv" and path.suffix.lower() in (".csv", ".tsv"):
        raise ReviewError(f"{path}: a CSV file, but "
                          f"{both_spellings(f'--format {fmt}', f'fmt={fmt!r}')} reads JSON"
                          + ("; Label Studio's CSV export is not read: export JSON from Label "
                             "Studio" if fmt == "label-studio" else "")
                          + "; or import the review CSV with "
                          + both_spellings("--format csv", "fmt='csv'"))
    try:
        return list(READERS[fmt](path))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{path}: cannot read: {exc}") from None
    except (AttributeError, TypeError) as exc:
        raise ReviewError(f"{path}: does not look like a {fmt} export ({exc}); pass the right "
                          f"{both_spellings('--format', 'fmt=')}, one of "
                          f"{', '.join(IMPORT_FORMATS)}") from None
