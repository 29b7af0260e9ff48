"""``did you mean ...?`` for a name spelt close to a valid one: a config key, a label in a
review file, an LF's vote, a glossary's key or label.

A guess far from what was written would mislead more than the list of valid names that
every such message gives anyway, so one is offered only when it is close: the same name
but for case and accents (``Envío`` for ``envio``, ``devolucion`` for ``devolución``), or
one that :func:`difflib.get_close_matches` finds (``treshold`` for ``threshold``), or
failing those the few that start with it or hold it as a whole part (``fraud`` for
``fraud_report``, ``refund`` for ``billing_refund``).
"""

from __future__ import annotations

import codecs
import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator


def plain(name: str) -> str:
    """``name`` without case or accents: ``Envío`` -> ``envio``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def closest(name: str, options: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The option ``name`` most likely meant, or None when none is close (``cutoff``:
    difflib's similarity it must reach)."""
    options = sorted(set(options))
    same = [option for option in options if plain(option) == plain(name)]
    if same:
        return same[0]
    by_plain = {plain(option): option for option in options}
    close = difflib.get_close_matches(plain(name), sorted(by_plain), n=1, cutoff=cutoff)
    return by_plain[close[0]] if close else None


#: the most options :func:`containing` offers: a word that starts more names than that
#: says too little to guess from
MOST_CONTAINING = 3
_PARTS = re.compile(r"[\s_\-.:/]+")


def containing(name: str, options: Iterable[str]) -> list[str]:
    """The options that start with ``name`` or hold it as a whole part (split at spaces,
    ``_``, ``-``, ``.``, ``:`` and ``/``), without case or accents: ``fraud`` is in
    ``fraud_report``, ``refund`` in ``billing_refund``; none when more than
    :data:`MOST_CONTAINING` do, or ``name`` has under 3 letters."""
    word = " ".join(_PARTS.split(plain(name))).strip()
    if len(word) < 3:
        return []
    found = []
    for option in sorted(set(options)):
        spelt = " ".join(_PARTS.split(plain(option))).strip()
        if spelt != word and (spelt.startswith(word) or f" {word} " in f" {spelt} "):
            found.append(option)
    return found if len(found) <= MOST_CONTAINING else []


#: the encodings a program may have read UTF-8 text as, most likely first, with their names:
#: Excel opens a CSV without a byte-order mark in the system's ANSI code page (Windows-1252
#: in Western Europe and the Americas, Windows-1256 on Arabic Windows, ...)
ENCODING_NAMES = {
    "cp1252": "Windows-1252", "latin-1": "Latin-1",
    "cp1250": "Windows-1250 (Central European)", "cp1251": "Windows-1251 (Cyrillic)",
    "cp1253": "Windows-1253 (Greek)", "cp1254": "Windows-1254 (Turkish)",
    "cp1255": "Windows-1255 (Hebrew)", "cp1256": "Windows-1256 (Arabic)",
    "cp1257": "Windows-1257 (Baltic)", "cp874": "Windows-874 (Thai)",
}
MISREAD_AS = tuple(ENCODING_NAMES)
#: the multi-byte code pages of East Asian Windows, by the codec that reads a file in each:
#: Chinese Excel opens a CSV in GBK (cp936), Taiwanese in Big5 (cp950), Japanese in
#: Shift-JIS (cp932), Korean in CP949. Unlike a single-byte page they do not read every
#: byte, so UTF-8 read in one comes back with holes where a byte made no character
EAST_ASIAN_NAMES = {
    "gb18030": "GBK/GB18030 (Simplified Chinese)", "cp950": "Big5 (Traditional Chinese)",
    "cp932": "Shift-JIS (Japanese)", "cp949": "CP949/EUC-KR (Korean)",
}
#: the codec a program on that Windows reads text in (Excel's GBK is cp936, which Python
#: calls gbk; a file is read as GB18030, GBK's superset)
_PROGRAM_CODEC = {"gb18030": "gbk"}
#: what a program puts where a byte made no character: Python's U+FFFD, Windows' "?" or,
#: in Japanese, "・"
_HOLES = str.maketrans("", "", "\ufffd?\u30fb")


def _pair_hole(exc: UnicodeError) -> tuple[str, int]:
    """A decoding error handler: one hole for a first byte and the byte after it (past
    ASCII's control characters and digits), as a program may put for a pair it has no
    character for; Python's own puts one for the first byte and reads on from the next."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    pair = exc.end - exc.start == 1 and exc.start + 1 < len(exc.object) \
        and exc.object[exc.start] >= 0x81 and exc.object[exc.start + 1] >= 0x40
    return "\ufffd", exc.start + 2 if pair else exc.end


_PAIR_HOLE = "labelwright-pair-hole"
codecs.register_error(_PAIR_HOLE, _pair_hole)


def misread_as(text: str, encoding: str, pairs: bool = False) -> str:
    """``text``'s UTF-8 bytes as a program reads them in the East Asian code page
    ``encoding`` (of :data:`EAST_ASIAN_NAMES`), with a hole where a byte made no character
    (``pairs``: where a pair of bytes made none, see :func:`_pair_hole`): ``退款`` is
    ``閫�娆�`` in GBK."""
    return text.encode("utf-8").decode(_PROGRAM_CODEC.get(encoding, encoding),
                                       _PAIR_HOLE if pairs else "replace")


def without_holes(text: str) -> str:
    """``text`` without the characters a program puts for bytes it could not read (see
    :func:`misread_as`): two programs fill those holes differently."""
    return text.translate(_HOLES)


def east_asian_misreadings(original: str) -> Iterator[tuple[str, str]]:
    """``(original's UTF-8 read in that code page, without holes, encoding)`` for each of
    :data:`EAST_ASIAN_NAMES` that reads it otherwise (none for ASCII text), as a program
    that fills a hole per byte reads it and, when that differs, as one that fills one per
    pair of bytes does."""
    if original.isascii():
        return
    for encoding in EAST_ASIAN_NAMES:
        seen = {without_holes(original)}
        for pairs in (False, True):
            read = without_holes(misread_as(original, encoding, pairs))
            if read and read not in seen:
                seen.add(read)
                yield read, encoding


def _c1_bytes(error: UnicodeError) -> tuple[bytes, int]:
    """An encode error handler: a C1 control character (U+0080-U+009F) written as the byte
    of its number. Windows reads a byte its code page leaves undefined (Windows-1252's 0x81,
    0x8D, 0x8F, 0x90, 0x9D) as that character, so UTF-8 text read so holds it: the closing
    quote ” (E2 80 9D) came back as "â€\x9d", which no repair undid (65% of a law firm's
    clauses hold one)."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chars = error.object[error.start:error.end]
    if not all("\x80" <= c <= "\x9f" for c in chars):
        raise error
    return bytes(ord(c) for c in chars), error.end


_C1_BYTES = "labelwright.c1-bytes"
codecs.register_error(_C1_BYTES, _c1_bytes)


def repairs(text: str) -> Iterator[tuple[str, str]]:
    """``(text as it was, encoding)`` for each encoding of :data:`MISREAD_AS` in which
    ``text`` reads as UTF-8 bytes that were read in that encoding and written again
    (``stÃ¶rung`` for ``störung`` in Windows-1252), most likely first."""
    for encoding in MISREAD_AS:
        try:
            repaired = text.encode(encoding, _C1_BYTES).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != text:
            yield repaired, encoding


def misdecoded(name: str, options: Iterable[str]) -> tuple[str, str] | None:
    """(the option, the encoding) when ``name`` is an option's UTF-8 bytes read in another
    encoding and written again (``stÃ¶rung`` for ``störung``, ``閫�娆�`` for ``退款`` in
    GBK); else None."""
    options = set(options)
    found = next(((repaired, encoding) for repaired, encoding in repairs(name)
                  if repaired in options), None)
    if found is None and not name.isascii():
        mine = without_holes(name)
        found = next(((option, encoding) for option in sorted(options)
                      for read, encoding in east_asian_misreadings(option)
                      if read == mine), None)
    return found


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """``did you mean 'threshold'? `` (with its trailing space) for a ``name`` spelt close
    to an option, else ``""``; for an option's UTF-8 read in another encoding, says so."""
    options = list(options)
    found = misdecoded(name, options)
    if found is not None:
        option, encoding = found
        shown = ENCODING_NAMES.get(encoding) or EAST_ASIAN_NAMES[encoding]
        return (f"did you mean {option!r}? ({name!r} is its UTF-8 bytes read as {shown}: the "
                "file was opened in another encoding and saved, as Excel does with a CSV "
                "that has no byte-order mark; open it as UTF-8: in Excel, Data > From "
                "Text/CSV, File origin UTF-8) ")
    guess = closest(name, options)
    if guess is not None and guess != name:
        return f"did you mean {guess!r}? "
    parts = containing(name, options)
    if not parts:
        return ""
    listed = ", ".join(map(repr, parts[:-1])) + (" or " if len(parts) > 1 else "")
    return f"did you mean {listed}{parts[-1]!r}? "
