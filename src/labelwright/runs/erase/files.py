"""An erased item's texts taken out of one file: review files of every format, a run's
skipped rows and its report.

Each function takes a file's text and the ids to erase, and returns the new text and how
many records of those items it changed (0: nothing to change, the text as it was); given
``found`` and ``left`` sets, it adds to them the ids of the records it found of those items,
and of those it changed (whose texts were not erased yet: what ``runs verify`` asks of a file
a record says erase took the texts out of,
:func:`~labelwright.runs.erase.run_accounts.unerased`). A record keeps its place and every
value but the item's own data: its text, its other data fields and the glossary matches'
matched words (and the fields a file shows beside the text, ``field_subject``) become
:data:`~labelwright.erased_marker.MARKER`, so the file still
parses, the queue keeps its order and a reviewed copy still imports.
Records are written back as their writers wrote them (the same JSON and CSV settings), and
the other records keep their bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

from labelwright.erased_marker import MARKER
from labelwright.json_lines import jsonl_lines

#: the keys of a review record whose values are the item's own data
_FIELD_KEYS = ("fields",)
#: the key (and CSV column) of the glossary terms shown with the words they matched
TERMS = "glossary_terms"
#: where a record holds a rater's note: at its top, or in a tool's ``data`` or ``meta``
_NOTE_HOLDERS = ("", "data", "meta")


def record_id(record: dict[str, Any]) -> str | None:
    """The item id of a review record of any format: a run's (``id``), a tool's
    (``lw_id`` at the top, Label Studio's ``data.lw_id``, doccano's ``meta.lw_id``,
    Argilla's ``metadata.lw_id``, Prodigy's ``meta.id``). An ``lw_id`` anywhere comes
    first: a tool gives each record an ``id`` of its own (Label Studio an integer task id)."""
    holders = [h for h in (record, record.get("data"), record.get("meta"),
                           record.get("metadata")) if isinstance(h, dict)]
    for key in ("lw_id", "id"):
        for holder in holders:
            value = holder.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    return None


def _item_text(record: dict[str, Any]) -> str | None:
    for holder in (record, record.get("data")):
        if isinstance(holder, dict) and isinstance(holder.get("text"), str):
            return str(holder["text"])
    return None


def erase_record(record: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """``record`` with the item's data replaced, and whether anything was."""
    text = _item_text(record)
    changed = False

    def walk(value: Any, key: str = "", parent: str = "") -> Any:
        nonlocal changed
        if isinstance(value, dict):
            return {k: walk(v, k, key) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key, parent) for v in value]
        if not isinstance(value, str) or value == MARKER:
            return value
        # the item's text where a record holds it (not Prodigy's options, whose "text"
        # is a label), the words each glossary match matched, and a rater's note (a
        # "note" or "comment" field, a Label Studio text box's text)
        if (key == "text" and (value == text and parent in ("", "data")
                               or parent in ("glossary_matches", "value"))) \
                or parent in _FIELD_KEYS or (key == TERMS and value) \
                or (value and is_shown_field(key) and parent in _NOTE_HOLDERS) \
                or (value and is_note(key) and parent in _NOTE_HOLDERS):
            changed = True
            return MARKER
        return value
    erased = walk(record)
    return erased, changed


def is_shown_field(name: str) -> bool:
    """Whether a CSV column or a tool record's key named ``name`` holds one of the item's
    data fields a review file shows beside its text (``[review] show_fields``:
    ``field_subject``, at a record's top or in a tool's ``data`` or ``meta``): the item's
    own data, as ``fields`` is in a run's JSONL."""
    from labelwright.review.queue.shown_fields import FIELD_PREFIX

    return name.startswith(FIELD_PREFIX)


def is_note(name: str) -> bool:
    """Whether a CSV column or JSON field named ``name`` is where a rater writes a note,
    as the import reads one (:data:`~labelwright.review.imports.readers.NOTE_NAMES`, any case)."""
    from labelwright.review.imports.readers import NOTE_NAMES

    return name.strip().lower() in NOTE_NAMES


def _rewrite_lines(text: str, erase: Callable[[dict[str, Any]], dict[str, Any] | None],
                   needles: Sequence[str] | None = None) -> tuple[str, int]:
    """JSON lines with each object ``erase`` gives a new one for rewritten (as the writers
    write a line), the others kept byte for byte; and how many were. ``needles``: only
    lines holding one of them can change (the others are not parsed)."""
    out, n = [], 0
    for line in jsonl_lines(text, keepends=True):  # a text may hold U+2028 as it is
        if needles is not None and not any(needle in line for needle in needles):
            out.append(line)
            continue
        body = line.rstrip("\r\n")
        try:
            record = json.loads(body) if body.strip() else None
        except ValueError:
            record = None
        erased = erase(record) if isinstance(record, dict) else None
        if erased is not None:
            n += 1
            line = json.dumps(erased, ensure_ascii=False) + line[len(body):]
        out.append(line)
    return "".join(out), n


def erase_jsonl(text: str, ids: Collection[str], texts: set[str] | None = None,
                found: set[str] | None = None, left: set[str] | None = None
                ) -> tuple[str, int]:
    """A JSONL review file (a run's, or a JSONL, Prodigy, doccano or Argilla export):
    the erased items' lines rewritten, the others kept byte for byte. Only lines that
    spell one of the ids as a JSON string are parsed (a queue of 100,000 items holds a
    few erased ones). ``texts`` gains the ``text`` of each erased item's record as it was
    (not yet the marker): in a run's ``review.jsonl`` and ``sample.jsonl``, the texts its
    report may show."""
    def erase(record: dict[str, Any]) -> dict[str, Any] | None:
        item = record_id(record)
        if item is None or item not in ids:
            return None
        shown = record.get("text")
        if texts is not None and isinstance(shown, str) and shown != MARKER:
            texts.add(shown)
        erased, changed = erase_record(record)
        _seen(item, changed, found, left)
        return erased if changed else None
    return _rewrite_lines(text, erase, [json.dumps(i, ensure_ascii=False) for i in ids])


def _seen(item: str, changed: bool, found: set[str] | None, left: set[str] | None) -> None:
    """``item``'s record found (``found`` gains it), and changed (``left`` gains it)."""
    if found is not None:
        found.add(item)
    if left is not None and changed:
        left.add(item)


def erase_json_list(text: str, ids: Collection[str], found: set[str] | None = None,
                    left: set[str] | None = None) -> tuple[str, int]:
    """A Label Studio export (a JSON list of tasks, as its writer indents it)."""
    tasks = json.loads(text)
    n = 0
    for k, task in enumerate(tasks):
        item = record_id(task) if isinstance(task, dict) else None
        if item is not None and item in ids:
            tasks[k], changed = erase_record(task)
            _seen(item, changed, found, left)
            n += changed
    if not n:
        return text, 0
    return json.dumps(tasks, indent=1, ensure_ascii=False, default=str), n


def erase_csv(text: str, ids: Collection[str], found: set[str] | None = None,
              left: set[str] | None = None) -> tuple[str, int]:
    """A CSV review file (a run's ``review.csv``/``sample.csv``, a CSV export, or a
    decision table ``review decisions`` wrote, whose ids are in ``item_id``): the
    ``text``, ``glossary_terms`` and note cells of the erased items' rows replaced; the
    other rows keep their bytes."""
    from labelwright.review.queue.csv_sheet import sheet_delimiter, unprotect_cell

    lines = re.split(r"(?<=\n)", text)
    # an export for Excel (or a sheet saved in a comma-decimal locale) has ';' between cells
    delimiter = sheet_delimiter(lines[0] if lines else "", ("id",))
    reader = csv.reader(iter(lines), delimiter=delimiter)
    out: list[str] = []  # the lines up to a changed row as they were, then the row
    header: list[str] | None = None
    at: dict[str, int] = {}
    key, erased = "id", []  # the id column, and the columns erased
    done = kept = n = 0  # lines read; lines in out
    for row in reader:
        start, done = done, reader.line_num
        if header is None:
            header = row
            at = {name: k for k, name in enumerate(header)}
            key = "id" if "id" in at else "item_id"
            erased = [c for c in header if c in ("text", TERMS) or is_note(c) or is_shown_field(c)]
            continue
        item = unprotect_cell(row[at[key]]) if key in at and len(row) > at[key] else None
        if item is None or item not in ids:
            continue
        cells = [at[c] for c in erased if len(row) > at[c] and row[at[c]] not in ("", MARKER)]
        _seen(item, bool(cells), found, left)
        if cells:
            raw = "".join(lines[start:done])
            for k in cells:
                row[k] = MARKER
            end = "\r\n" if raw.endswith("\r\n") else "\n" if raw.endswith("\n") else ""
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=delimiter, lineterminator=end or "\n").writerow(row)
            out += ["".join(lines[kept:start]),
                    buffer.getvalue() if end else buffer.getvalue()[:-1]]
            kept = done
            n += 1
    out.append("".join(lines[kept:]))
    return "".join(out), n


def skipped_row_id(record: dict[str, Any], ids: Collection[str], id_column: str
                   ) -> str | None:
    """The erased id a line of ``skipped_rows.jsonl`` is a row of: its ``values``' id,
    or the id its ``raw`` text starts with (a CSV/TSV record) or gives under the id column
    (a JSONL line); None when none of ``ids``."""
    values = record.get("values")
    if isinstance(values, dict) and str(values.get(id_column)) in ids:
        return str(values.get(id_column))
    raw = record.get("raw")
    if not isinstance(raw, str):
        return None
    for item in ids:
        quoted = re.escape(item)
        if re.match(rf'"?{quoted}"?[,\t;|]', raw) or re.search(
                rf'"{re.escape(id_column)}"\s*:\s*"?{quoted}"?\s*[,}}]', raw):
            return item
    return None


def erase_skipped_rows(text: str, ids: Collection[str], id_column: str,
                       found: set[str] | None = None, left: set[str] | None = None
                       ) -> tuple[str, int]:
    """A run's ``skipped_rows.jsonl``: the erased items' rows keep ``line``, ``row`` and
    ``reason``; ``raw`` and every value but the id become the marker. ``found`` gains the
    ids of the rows it found (changed or not), ``left`` those of the rows it changed."""
    def erase(record: dict[str, Any]) -> dict[str, Any] | None:
        item = skipped_row_id(record, ids, id_column)
        if item is None:
            return None
        changed = False
        if isinstance(record.get("raw"), str) and record["raw"] != MARKER:
            record["raw"], changed = MARKER, True
        values = record.get("values")
        if isinstance(values, dict):
            for key, value in values.items():
                if key != id_column and value != MARKER:
                    values[key], changed = MARKER, True
        _seen(item, changed, found, left)
        return record if changed else None
    return _rewrite_lines(text, erase)


def erase_review_file(text: str, ids: Collection[str], found: set[str] | None = None,
                      left: set[str] | None = None) -> tuple[str, int]:
    """Any review file, its format told by its first character: ``[`` Label Studio's JSON
    list, ``{`` JSON lines, else CSV."""
    start = text.lstrip("\ufeff \t\r\n")[:1]
    if start == "[":
        return erase_json_list(text, ids, found, left)
    if start == "{":
        return erase_jsonl(text, ids, found=found, left=left)
    return erase_csv(text, ids, found, left)


def erase_report_texts(html_text: str, texts: Collection[str], cut: int) -> tuple[str, int]:
    """A report page with each of ``texts`` (as the page escapes them, whole or cut to
    ``cut`` characters) replaced by the marker: for a report that cannot be built again."""
    from labelwright.report.html import esc

    n = 0
    for text in sorted(texts, key=len, reverse=True):
        for shown in {esc(text), esc(text[:cut] + "…")}:
            if shown and shown in html_text:
                html_text = html_text.replace(shown, MARKER)
                n += 1
    return html_text, n
