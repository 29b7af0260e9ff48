"""Errors that name the file and the line, shared by the readers of every format: bytes
that are not UTF-8, line numbers of byte offsets, column names given twice or blank."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from labelwright.errors import DataError
from labelwright.spelling import EAST_ASIAN_NAMES, ENCODING_NAMES, MISREAD_AS


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

    def __init__(self, message: str, advice: str, byte: int,
                 readings: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message + advice)
        self.message, self.advice, self.byte = message, advice, byte
        #: (the line's text there, the code page's name) for each East Asian code page
        #: the line reads right in (:func:`east_asian_readings`), likeliest first
        self.readings = readings

    def __reduce__(self) -> tuple[type[NotUtf8], tuple[str, str, int,
                                                       tuple[tuple[str, str], ...]]]:
        # as its arguments, not its text: a worker process's error is pickled
        return NotUtf8, (self.message, self.advice, self.byte, self.readings)

    def mixed(self, handle: BinaryIO, stop: int) -> NotUtf8:
        """This error, saying so when the file's bytes before offset ``stop`` hold UTF-8
        characters (:func:`utf8_before`): the file mixes encodings, and saving it whole as
        UTF-8 from Windows-1252 would garble those."""
        earlier = utf8_before(handle, stop)
        if earlier is None:
            return self
        char, line = earlier
        if self.readings:  # a line in an East Asian code page, pasted in whole
            page = " or ".join(dict.fromkeys(name for _, name in self.readings))
            shown = " or ".join(f"{read!r} in {name}" for read, name in self.readings)
            return NotUtf8(self.message, f"); the file mixes encodings: bytes before it are "
                           f"UTF-8, such as {char!r} on line {line}, which saving the file "
                           f"as UTF-8 from {page} would garble; fix this line instead (it "
                           f"reads as {shown}: convert it from that code page to UTF-8 or "
                           "type it again)", self.byte, self.readings)
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
    east_asian: tuple[tuple[str, str], ...] = ()
    if start < 2 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        guess = "it starts with a UTF-16 byte order mark: the file is UTF-16, as a \"Unicode\" "
        guess += "export from a spreadsheet is"
    else:
        read = east_asian_readings(data, start)
        guess = legacy_readings(data, start, read) or western_guess(data[start])
        east_asian = leading(read, _word_readings(data, start))
    return NotUtf8(f"{where}: not valid UTF-8 (byte 0x{data[start]:02x} at {unit} {shown}",
                   f"; {guess}); save the file as UTF-8", data[start], east_asian)


def western_guess(byte: int) -> str:
    """What a lone byte past ASCII most likely is: a Western letter saved in Latin-1 or
    Windows-1252 (Excel's plain "CSV" on Western Windows), shown as that letter (0xfc is
    ``'ü'``), so the user sees which character of theirs the byte is; a byte
    Windows-1252 leaves undefined (0x81) is only named."""
    meant = bytes([byte]).decode("cp1252", "replace")
    shown = f", in which byte 0x{byte:02x} is {meant!r}" if meant.isprintable() \
        and meant != "\ufffd" else ""
    return f"the file may be Latin-1 or Windows-1252{shown}"


#: single-byte code pages a file may be in, by the script they write: the Windows ones of
#: :data:`~labelwright.spelling.MISREAD_AS` (Latin-1 reads every byte as some letter)
LEGACY_CODE_PAGES = tuple(encoding for encoding in MISREAD_AS if encoding != "latin-1")
_WORD = re.compile(rb"[A-Za-z\x80-\xff]*[\x80-\xff][A-Za-z\x80-\xff]*")


def legacy_readings(data: bytes, start: int,
                    east_asian: Sequence[tuple[str, str, int]] = ()) -> str:
    """For a word of two or more bytes past ASCII at ``data[start]`` (a script other than
    Latin in a single-byte code page writes every letter so), the word as each code page
    that reads it as letters reads it, so the user sees which is the file's: Arabic text
    saved as Windows-1256 was called "Latin-1 or Windows-1252". "" for a lone byte (an
    accented letter between ASCII ones: the Western default holds). ``east_asian``: the
    line's :func:`east_asian_readings`, shown first when they read enough letters."""
    words = _word_readings(data, start)
    first = leading(east_asian, words)
    readings = {**{read: [name] for read, name in first}, **words,
                **{read: [name] for read, name, _ in east_asian if (read, name) not in first}}
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


def _word_readings(data: bytes, start: int) -> dict[str, list[str]]:
    """``{the word at data[start] as a single-byte page reads it: the pages}`` of the pages
    that read it as letters of one script (none for a lone byte past ASCII)."""
    found = next((m for m in _WORD.finditer(data, max(0, start - 40), start + 40)
                  if m.start() <= start < m.end()), None)
    readings: dict[str, list[str]] = {}  # a reading -> the code pages that read so
    if found is None or len(_NOT_ASCII.findall(found.group())) < 2:
        return readings
    word = found.group()[:40]
    for encoding in LEGACY_CODE_PAGES:
        try:
            read = word.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _one_script(read):
            readings.setdefault(read, []).append(ENCODING_NAMES[encoding])
    return readings


def likely_east_asian(data: bytes, start: int) -> tuple[tuple[str, str], ...]:
    """(text, code page) of the :func:`east_asian_readings` of ``data[start]``'s line
    that :func:`leading` puts first: those to name, as a file's likely code page."""
    return leading(east_asian_readings(data, start), _word_readings(data, start))


def leading(east_asian: Sequence[tuple[str, str, int]], words: dict[str, list[str]]
            ) -> tuple[tuple[str, str], ...]:
    """(text, code page) of the East Asian readings that come before the single-byte
    pages' readings of the word (``words``): all when there are none, else those of a line
    that reads :data:`_STRONG` letters or more."""
    return tuple((read, name) for read, name, letters in east_asian
                 if letters >= _STRONG or not words)


#: the letters an East Asian reading of a line reads at least to come before the readings
#: of a word in single-byte pages ('سلام' in Windows-1256 is two common ideographs in GBK;
#: Korean ``환불`` is a Thai word in Windows-874)
_STRONG = 4
#: the bytes after the bad one an East Asian reading reads, the most before it it looks
#: back over for the first byte of a character, and the characters it shows
_EAST_ASIAN_AFTER, _EAST_ASIAN_BEFORE, _EAST_ASIAN_SHOWN = 120, 4096, 12
#: the share of a reading's letters that must be common ones: text in the code page is
#: mostly its common characters, another encoding's bytes read in it mostly rare ones
COMMON_SHARE = 0.8
#: the scripts each East Asian code page writes, as their characters' names start
_SCRIPTS = {
    "gb18030": ("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "IDEOGRAPHIC"),
    "cp950": ("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "IDEOGRAPHIC", "BOPOMOFO"),
    "cp932": ("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "IDEOGRAPHIC", "HIRAGANA",
              "KATAKANA", "HALFWIDTH KATAKANA"),
    "cp949": ("CJK UNIFIED", "CJK COMPATIBILITY IDEOGRAPH", "HANGUL"),
}


def _common(char: str, encoding: str, strict: bool = False) -> bool:
    """Whether ``char`` is among the characters text in ``encoding`` mostly has: GB2312's
    level-1 hanzi (GBK), Big5's frequent ones, kana and JIS level-1 kanji (Shift-JIS),
    the Hangul syllables of KS X 1001 (CP949); the rest of each page is rare characters,
    and Hanja in Korean text. ``strict``: GBK's common characters are GB2312's only."""
    name = unicodedata.name(char, "")
    try:
        if encoding == "gb18030":  # Chinese typed in GBK mixes in traditional forms
            code = char.encode("gb18030")
            level_1 = len(code) == 2 and 0xB0 <= code[0] <= 0xD7 and code[1] >= 0xA1
            return level_1 or not strict and _big5_frequent(char)
        if encoding == "cp950":
            return name.startswith("BOPOMOFO") or _big5_frequent(char)
        if encoding == "cp932":
            return name.startswith(("HIRAGANA", "KATAKANA", "IDEOGRAPHIC")) \
                or 0x88 <= char.encode("cp932")[0] <= 0x98
        return name.startswith("HANGUL") and len(char.encode("euc_kr")) == 2
    except UnicodeEncodeError:
        return False


def _big5_frequent(char: str) -> bool:
    """Whether ``char`` is among Big5's frequent characters (its first 5,401)."""
    try:
        return 0xA4 <= char.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _east_asian_share(text: str, encoding: str, strict: bool = False
                      ) -> tuple[float, int]:
    """The share of ``text``'s letters that are :func:`_common` in ``encoding`` (0 for
    fewer than two), and the letters past ASCII. The share is 0 when a character past ASCII
    is neither punctuation nor a letter of the page's scripts (Cyrillic or kana read in
    GBK, a private-use character), or a letter stands between two ASCII letters: a wrong
    page makes that of Latin text (``Réunion`` is ``R閡nion`` in GBK, ``Größe`` ``Gr鲞e``),
    Chinese and Japanese are not written so."""
    letters = common = 0
    for k, char in enumerate(text):
        if char.isascii():
            continue
        category = unicodedata.category(char)
        if category[0] in "PSZ" or category == "Cf" or unicodedata.name(char, "").startswith(
                ("FULLWIDTH", "VARIATION SELECTOR")):
            continue  # punctuation, symbols (emoji), full-width forms go with every script
        if category[0] not in "LM" or not unicodedata.name(char, "").startswith(
                _SCRIPTS[encoding]):
            return 0.0, letters
        if 0 < k < len(text) - 1 and text[k - 1].isascii() and text[k - 1].isalpha() \
                and text[k + 1].isascii() and text[k + 1].isalpha():
            return 0.0, letters
        letters += 1
        common += _common(char, encoding, strict)
    return (common / letters if letters >= 2 else 0.0), letters


def east_asian_readings(data: bytes, start: int) -> tuple[tuple[str, str, int], ...]:
    """(the text there, the code page's name, the letters read) for each East Asian page
    of :data:`~labelwright.spelling.EAST_ASIAN_NAMES` whose reading of the line of
    ``data[start]`` (from its start, or from a character's first byte nearer the bad byte)
    decodes without an error and is text of that page's script, mostly of its common
    characters (:data:`COMMON_SHARE`); likeliest first. A byte string often decodes in
    several: Chinese in GBK is also valid Big5, but rare characters there; Latin-1 ``é``
    before a letter is a rare ideograph in GBK."""
    line_start = max(data.rfind(b"\n", 0, start), data.rfind(b"\r", 0, start)) + 1
    # a byte below 0x30 (space, comma, quote) is a character of its own in these pages,
    # and so is an ASCII byte after another (a two-byte character's first byte is past
    # ASCII): the byte after either starts a character; reading from the last such near
    # the bad byte spares reading a long line
    near = max(line_start, start - _EAST_ASIAN_BEFORE)
    breaks = [m.end() for m in _CHARACTER_BREAK.finditer(data, near, start)]
    if not breaks and near > line_start:
        return ()  # kilobytes of characters past ASCII before it, all valid UTF-8: UTF-8
    line_start = breaks[-1] if breaks else line_start
    stop = start + _EAST_ASIAN_AFTER
    for end in (data.find(b"\n", start, stop), data.find(b"\r", start, stop)):
        stop = end if end != -1 and end < stop else stop
    found = []
    for encoding, name in EAST_ASIAN_NAMES.items():
        try:
            # final=False: the bytes cut at ``stop`` may end within a character
            before = codecs.getincrementaldecoder(encoding)().decode(
                data[line_start:start])
            text = codecs.getincrementaldecoder(encoding)().decode(data[line_start:stop])
        except UnicodeDecodeError:
            continue
        share, letters = _east_asian_share(text, encoding)
        if share >= COMMON_SHARE:
            # Korean puts spaces between words, Chinese and Japanese seldom do: Hangul
            # read in GBK is common hanzi, spaced (of two readings as likely, the other)
            spaced = encoding != "cp949" and _SPACED.search(text) is not None
            # and of two as likely still, GBK's of simplified characters only is Chinese
            strictly = _east_asian_share(text, encoding, strict=True)[0]
            found.append(((share, not spaced, strictly), _shown(text, len(before)), name,
                          letters))
    names = {name for _, _, name, _ in found}
    if EAST_ASIAN_NAMES["gb18030"] in names and EAST_ASIAN_NAMES["cp950"] in names \
            and not _big5_low_trail(data[line_start:stop]):
        # GB2312's characters are all two bytes past ASCII, which Big5 reads too; two in
        # five of Big5's own have a second byte in ASCII: a line without one is GBK's
        found = [reading for reading in found if reading[2] != EAST_ASIAN_NAMES["cp950"]]
    found.sort(key=lambda reading: reading[0], reverse=True)  # stable: page order on ties
    return tuple((shown, name, letters) for _, shown, name, letters in found)


def _big5_low_trail(data: bytes) -> bool:
    """Whether a character of ``data`` read as Big5 has its second byte in ASCII."""
    text = codecs.getincrementaldecoder("cp950")().decode(data)
    return any(len(code := char.encode("cp950")) == 2 and code[1] < 0x80
               for char in text if not char.isascii())


_CHARACTER_BREAK = re.compile(rb"[\x00-\x2f]|[\x00-\x7f]{2}")
_SPACED = re.compile(r"[^\x00-\x7f] [^\x00-\x7f]")


def _shown(text: str, at: int) -> str:
    """The characters past ASCII around index ``at`` of ``text`` (from up to 4 before it,
    :data:`_EAST_ASIAN_SHOWN` of them at most): the words the bad byte is in."""
    begin = at
    while begin > max(0, at - 4) and not text[begin - 1].isascii():
        begin -= 1
    end = at
    while end < min(len(text), begin + _EAST_ASIAN_SHOWN) and not text[end].isascii():
        end += 1
    return text[begin:end] or text[at:at + _EAST_ASIAN_SHOWN]


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
    if line_start == 0 and data.startswith(b"\xef\xbb\xbf"):
        line_start = 3  # a BOM is no character of the line: columns count from after it
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
