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

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator


def plain(name: str) -> str:
    """``name`` without case or accents: ``Envío`` -> ``envio``."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def closest(name: str, options: Iterable[str]) -> str | None:
    """The option ``name`` most likely meant, or None when none is close."""
    options = sorted(set(options))
    same = [option for option in options if plain(option) == plain(name)]
    if same:
        return same[0]
    by_plain = {plain(option): option for option in options}
    close = difflib.get_close_matches(plain(name), sorted(by_plain), n=1)
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


def repairs(text: str) -> Iterator[tuple[str, str]]:
    """``(text as it was, encoding)`` for each encoding of :data:`MISREAD_AS` in which
    ``text`` reads as UTF-8 bytes that were read in that encoding and written again
    (``stÃ¶rung`` for ``störung`` in Windows-1252), most likely first."""
    for encoding in MISREAD_AS:
        try:
            repaired = text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if repaired != text:
            yield repaired, encoding


def misdecoded(name: str, options: Iterable[str]) -> tuple[str, str] | None:
    """(the option, the encoding) when ``name`` is an option's UTF-8 bytes read in another
    encoding and written again (``stÃ¶rung`` for ``störung``); else None."""
    options = set(options)
    return next(((repaired, encoding) for repaired, encoding in repairs(name)
                 if repaired in options), None)


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """``did you mean 'threshold'? `` (with its trailing space) for a ``name`` spelt close
    to an option, else ``""``; for an option's UTF-8 read in another encoding, says so."""
    options = list(options)
    found = misdecoded(name, options)
    if found is not None:
        option, encoding = found
        shown = ENCODING_NAMES[encoding]
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
