"""Errors that name the file and the line, shared by the readers of every format: bytes
that are not UTF-8, line numbers of byte offsets, column names given twice or blank."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from labelwright.errors import DataError
from labelwright.spelling import ENCODING_NAMES, MISREAD_AS


def line_breaks(data: bytes, start: int, stop: int) -> int:
    """The line breaks in ``data[start:stop]``: ``\\r\\n``, ``\\n`` or ``\\r`` alone, as
    the CSV readers count lines (old Excel for Mac ends every line with ``\\r``)."""
    return (data.count(b"\n", start, stop) + data.count(b"\r", start, stop)
            - data.count(b"\r\n", start, stop))


def line_of_offset(raw: bytes, offset: int) -> int:
    return line_breaks(raw, 0, offset) + 1


class NotUtf8(DataError):
    """Bytes that are not UTF-8 (:func:`not_utf8`); a reader that can look back at the
    bytes before them adds what it sees there (:meth:`mixed`)."""

    def __init__(self, message: str, advice: str, byte: int) -> None:
        super().__init__(message + advice)
        self.message, self.advice, self.byte = message, advice, byte

    def __reduce__(self) -> tuple[type[NotUtf8], tuple[str, str, int]]:
        # as its arguments, not its text: a worker process's error is pickled
        return NotUtf8, (self.message, self.advice, self.byte)

    def mixed(self, handle: BinaryIO, stop: int) -> NotUtf8:
        """This error, saying so when the file's bytes before offset ``stop`` hold UTF-8
        characters (:func:`utf8_before`): the file mixes encodings, and saving it whole as
        UTF-8 from Windows-1252 would garble those."""
        earlier = utf8_before(handle, stop)
        if earlier is None:
            return self
        char, line = earlier
        meant = bytes([self.byte]).decode("cp1252", "replace")
        return NotUtf8(self.message, f"); the file mixes encodings: bytes before it are "
                       f"UTF-8, such as {char!r} on line {line}, which saving the file as "
                       "UTF-8 from Windows-1252 would garble; fix this line instead (the "
                       f"byte is {meant!r} in Windows-1252: type it again as UTF-8)",
                       self.byte)


def not_utf8(where: str, data: bytes, start: int, unit: str = "offset") -> NotUtf8:
    """The error for bytes that are not UTF-8: ``data[start]`` is the first bad byte, at
    ``unit`` ``offset`` (a byte offset in the file) or ``column`` (of the line ``data``,
    counted in characters, as an editor and the malformed-JSON message count them)."""
    # everything before the first bad byte is valid UTF-8
    shown = start if unit == "offset" else len(data[:start].decode("utf-8")) + 1
    if start < 2 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        guess = "it starts with a UTF-16 byte order mark: the file is UTF-16, as a \"Unicode\" "
        guess += "export from a spreadsheet is"
    else:
        guess = legacy_readings(data, start) or "the file may be Latin-1 or Windows-1252"
    return NotUtf8(f"{where}: not valid UTF-8 (byte 0x{data[start]:02x} at {unit} {shown}",
                   f"; {guess}); save the file as UTF-8", data[start])


#: single-byte code pages a file may be in, by the script they write: the Windows ones of
#: :data:`~labelwright.spelling.MISREAD_AS` (Latin-1 reads every byte as some letter)
LEGACY_CODE_PAGES = tuple(encoding for encoding in MISREAD_AS if encoding != "latin-1")
_WORD = re.compile(rb"[A-Za-z\x80-\xff]*[\x80-\xff][A-Za-z\x80-\xff]*")


def legacy_readings(data: bytes, start: int) -> str:
    """For a word of two or more bytes past ASCII at ``data[start]`` (a script other than
    Latin in a single-byte code page writes every letter so), the word as each code page
    that reads it as letters reads it, so the user sees which is the file's: Arabic text
    saved as Windows-1256 was called "Latin-1 or Windows-1252". "" for a lone byte (an
    accented letter between ASCII ones: the Western default holds)."""
    found = next((m for m in _WORD.finditer(data, max(0, start - 40), start + 40)
                  if m.start() <= start < m.end()), None)
    if found is None or len(_NOT_ASCII.findall(found.group())) < 2:
        return ""
    word = found.group()[:40]
    readings: dict[str, list[str]] = {}  # a reading -> the code pages that read so
    for encoding in LEGACY_CODE_PAGES:
        try:
            read = word.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _one_script(read):
            readings.setdefault(read, []).append(ENCODING_NAMES[encoding])
    if not readings:
        return ""
    shown = "; ".join(f"{read!r} in {' or '.join(pages)}" for read, pages in readings.items())
    return (f"the file may be in a code page other than UTF-8: the word there reads as "
            f"{shown}; the one that reads right is the file's")


def _one_script(text: str) -> bool:
    """Letters (and marks) of one script only, as a word is: ``Größe``, ``رقم``; not
    ``GrцЯe``, which a wrong code page makes of it."""
    if not all(unicodedata.category(c)[0] in "LM" for c in text):
        return False
    scripts = {unicodedata.name(c, "?").split()[0] for c in text
               if unicodedata.category(c)[0] == "L"}
    return len(scripts) == 1


_NOT_ASCII = re.compile(rb"[\x80-\xff]")
#: the bytes a UTF-8 character takes, by its first byte (ASCII aside)
_UTF8_LENGTH = {**dict.fromkeys(range(0xC2, 0xE0), 2), **dict.fromkeys(range(0xE0, 0xF0), 3),
                **dict.fromkeys(range(0xF0, 0xF5), 4)}


def utf8_before(handle: BinaryIO, stop: int) -> tuple[str, int] | None:
    """The first character past ASCII in the bytes of ``handle`` before offset ``stop`` (a
    BOM aside), and its line, when it is UTF-8 on an earlier line than ``stop``'s; None
    when there is none, it is not UTF-8 or it is on ``stop``'s line.
    Reads up to that character only, and leaves the handle where it was."""
    back = handle.tell()
    try:
        handle.seek(0)
        done = 3 if handle.read(3) == b"\xef\xbb\xbf" else 0
        handle.seek(done)
        breaks, cr_last = 0, False
        while done < stop and (chunk := handle.read(min(1 << 20, stop - done))):
            found = _NOT_ASCII.search(chunk)
            end = found.start() if found else len(chunk)
            breaks += line_breaks(chunk, 0, end) - (cr_last and chunk.startswith(b"\n"))
            if found:
                lead = chunk[end]
                handle.seek(done + end)
                try:
                    char = handle.read(_UTF8_LENGTH.get(lead, 1)).decode("utf-8")
                except UnicodeDecodeError:
                    return None
                return (char, breaks + 1) if _line_break_until(handle, stop) else None
            cr_last, done = chunk.endswith(b"\r"), done + len(chunk)
        return None
    finally:
        handle.seek(back)


def _line_break_until(handle: BinaryIO, stop: int) -> bool:
    """Whether a line ends between the handle's position and offset ``stop``."""
    while (left := stop - handle.tell()) > 0 and (chunk := handle.read(min(1 << 16, left))):
        if b"\n" in chunk or b"\r" in chunk:
            return True
    return False


def not_utf8_in(path: Path | str, data: bytes, start: int) -> NotUtf8:
    """:func:`not_utf8` for a whole file's bytes ``data`` whose first bad byte is
    ``data[start]``: names the file's line and the column in that line."""
    line_start = max(data.rfind(b"\n", 0, start), data.rfind(b"\r", 0, start)) + 1
    return not_utf8(f"{path}:{line_of_offset(data, start)}", data[line_start:],
                    start - line_start, "column")


def repeated_names(names: Iterable[Any], *, empty: bool = True) -> list[str]:
    """Column names (as text) given more than once (``empty``: also "")."""
    counts = Counter(str(name) for name in names)
    return sorted(name for name, n in counts.items() if n > 1 and (empty or name))


def check_unique_columns(names: Iterable[Any], where: str, *, as_text: bool = False) -> None:
    """Every reader's check that no column name repeats (pyarrow's own error dumps its
    schema; a frame indexed by a repeated name gives a frame, not a column)."""
    repeated = repeated_names(names)
    if repeated:
        raise DataError(f"{where}: column name(s) {', '.join(map(repr, repeated))} appear more "
                        f"than once{' (as text)' if as_text else ''}; give every column its "
                        "own name")


def check_header_names(header: list[str], where: str) -> None:
    """A CSV header may not name a column twice: pandas would read the first and rename the
    second ("text.1"). Empty names (the trailing commas spreadsheets write) are fine."""
    twice = repeated_names((name.strip() for name in header), empty=False)
    if twice:
        raise DataError(f"{where}: the header names column(s) "
                        f"{', '.join(repr(n) for n in twice)} more than once; every column "
                        "needs its own name")
