"""JSONL files: one JSON object per line, read whole or line by line, with errors naming
the line: a key given twice, half a surrogate pair, a line that is not an object."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pandas as pd

from labelwright.data.text_checks import NotUtf8, not_utf8
from labelwright.errors import NoRows, RowError

if TYPE_CHECKING:
    from labelwright.data.bad_rows import SkippedRow


def read_jsonl(path: Path, skipped: list[SkippedRow] | None = None) -> pd.DataFrame:
    """The file's objects as a frame. ``skipped``: a list to add the lines that are bad
    rows (:class:`~labelwright.errors.RowError`) to, which are then left out (``[data]
    bad_rows = "skip"``); None: such a line is an error."""
    rows = []
    with open(path, "rb") as handle:
        for _, row in jsonl_rows(handle, str(path), skipped):
            rows.append(row)
    if skipped and not rows:  # why no row is left: the lines skipped, named
        from labelwright.data.bad_rows import OnlyBadRows

        raise OnlyBadRows(str(path), skipped)
    if not rows:  # (a part of a dataset in many files: a job's empty part, which adds none)
        raise NoRows(f"{path}: no rows; expected one JSON object per line")
    return jsonl_frame(rows)


def jsonl_rows(handle: BinaryIO, path: str, skipped: list[SkippedRow] | None = None,
               first_line: int = 1, first_row: int = 0
               ) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, object)`` of each row of ``handle`` (whose first line is ``first_line``, its
    first row ``first_row``, both of the file), blank lines left out; a bad row is an
    error, or, given ``skipped``, added to it and left out."""
    from labelwright.data.bad_rows import SkippedRow

    row = first_row
    end = handle.tell()  # of the lines read
    for number, line in enumerate(handle, start=first_line):
        end += len(line)
        try:
            found = json_row(line, path, number)
        except NotUtf8 as exc:
            raise exc.mixed(handle, end - len(line) + _first_bad_byte(line)) from None
        except RowError as exc:
            if skipped is None:
                raise
            skipped.append(SkippedRow(number, row + 1, _raw(line, number), exc.reason))
            row += 1
            continue
        if found is not None:
            row += 1
            yield number, found


def _first_bad_byte(line: bytes) -> int:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return len(line)


def _raw(line: bytes, number: int) -> str:
    """A bad line's text as written, without its line break (and the file's BOM)."""
    if number == 1 and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8):]
    return line.decode("utf-8", errors="replace").rstrip("\r\n")


def jsonl_row_lines(path: Path | str, rows: Iterable[int]) -> dict[int, int]:
    """``{row: line}`` of the 0-based ``rows`` of a JSONL file: blank lines hold no row,
    so after one a row's line is past its number. The file is read again, for an error's
    message only: a read keeps no line per row."""
    wanted = set(rows)
    found: dict[int, int] = {}
    row = 0
    with open(path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            if len(found) == len(wanted):
                break
            if number == 1 and line.startswith(codecs.BOM_UTF8):  # as json_row reads it
                line = line[len(codecs.BOM_UTF8):]
            if line.strip():
                if row in wanted:
                    found[row] = number
                row += 1
    return found


class _KeyTwice(ValueError):
    pass


def key_given_twice(pairs: list[tuple[str, Any]]) -> str | None:
    """The first key of a JSON object's ``(key, value)`` pairs that is given twice, or None:
    ``{"text": "a", "text": "b"}`` is ``{"text": "b"}`` to ``json.loads``, silently. Every
    JSON reader that refuses such objects (data rows, review files, WRENCH splits) asks
    this, as an ``object_pairs_hook``."""
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return key
        seen.add(key)
    return None


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs) and (twice := key_given_twice(pairs)) is not None:
        raise _KeyTwice(twice)
    return obj


_JSON = json.JSONDecoder(object_pairs_hook=_object)


def json_row(line: bytes, path: str, number: int) -> dict[str, Any] | None:
    """One JSONL line as a row; None for a blank line. A UTF-8 BOM may open the file.
    Every JSONL reader (whole file, streamed, Dask partitions) reads its lines with this."""
    if number == 1 and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8):]  # as a whole-file read does (columns after it)
    if not line.strip():
        return None
    try:
        # without its line break: a line cut inside a text would else be "Invalid control
        # character" (the break), not the "Unterminated string" it is
        row = _JSON.decode(line.decode("utf-8").rstrip("\r\n"))
    except UnicodeDecodeError as exc:
        raise not_utf8(f"{path}:{number}", line, exc.start, "column") from None
    except _KeyTwice as exc:
        reason = (f"key {exc.args[0]!r} is given twice in one object; JSON readers keep "
                  "only the last value, so the other would be lost: keep one")
        raise RowError(f"{path}:{number}: {reason}", reason) from None
    except json.JSONDecodeError as exc:
        # the decoder may point past the line break; give the column on this line
        column = min(exc.pos, len(line.decode("utf-8", errors="replace").rstrip())) + 1
        hint = ""
        if exc.msg == "Extra data" and b"\r" in line.rstrip(b"\r\n"):
            hint = ("; the file's lines end in a bare carriage return (\\r, as old Mac "
                    "editors write), which JSONL does not take as a line break: save it "
                    "with \\n or \\r\\n line endings")
        elif exc.msg.startswith("Unterminated string"):
            hint = ("; the line ends inside a text: cut off, or the text holds a raw line "
                    f"break and goes on at line {number + 1} (JSON writes a line break "
                    "within a text as \\n)")
        reason = f"malformed JSON: {exc.msg} (column {column}){hint}"
        raise RowError(f"{path}:{number}: {reason}", reason) from None
    if not isinstance(row, dict):
        reason = f"expected a JSON object per line, got {type(row).__name__}"
        raise RowError(f"{path}:{number}: {reason}", reason)
    if _SURROGATE_ESCAPE.search(line):  # a \ud83d escape: JSON allows half a character
        _check_whole_characters(row, f"{path}:{number}")
    return row


#: a JSON escape in the UTF-16 surrogate range: one of a pair that makes one character, or
#: a lone half that no UTF-8 text can hold
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _check_whole_characters(value: Any, where: str, key: str | None = None) -> None:
    """A :class:`DataError` at ``where`` for a string holding a lone surrogate (``"\\ud83d"``
    without its pair): Python decodes it, then hashing, parsing and writing fail far away."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            half = value[exc.start]
            reason = (f"{'the value of ' + repr(key) if key else 'a value'} holds "
                      f"\\u{ord(half):04x}, half of a character without its other half (an "
                      "emoji cut in two?); UTF-8 cannot hold it: fix or drop the escape")
            raise RowError(f"{where}: {reason}", reason) from None
    elif isinstance(value, dict):
        for k, v in value.items():
            _check_whole_characters(k, where, key)
            _check_whole_characters(v, where, k if key is None else key)
    elif isinstance(value, list):
        for v in value:
            _check_whole_characters(v, where, key)


def jsonl_frame(rows: list[dict[str, Any]], keys: Sequence[str] = ()) -> pd.DataFrame:
    """JSONL rows as a frame of the values the JSON gave (``1`` stays an int where other
    rows lack the key; a missing key is NaN, which LFs see as None). ``keys``: columns it
    has even when no row has them (a streamed block of a file whose optional key appears
    only in other blocks), in that order, before any others."""
    frame = pd.DataFrame(rows, dtype=object)
    if keys:
        frame = frame.reindex(columns=[*keys, *(c for c in frame.columns if c not in keys)])
    return frame
