"""One text's form as a reader reads it, shared by everything that asks whether two texts
are one: ``review import`` (a row's text against its run's), runs (the text the run showed
against the data now) and copies (items of one text, :mod:`labelwright.copies`). Two
copies of one text may differ in spacing, line ends, zero-width characters or the Unicode
form (a tool may store "é" as one code point or two); a reader sees the same words in the
same order.
"""

from __future__ import annotations

import unicodedata

#: characters that show nothing: zero-width space, non-joiner and joiner, word joiner, and the
#: byte order mark (U+FEFF, which ends most of the UCI YouTube comments). Copies, review
#: import and glossary matching (:func:`labelwright.nlp.match_form`, the tokenizer's
#: affixes) all read a text without them.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
#: a ``str.translate`` table that deletes them
WITHOUT_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def text_form(text: str) -> str:
    """``text`` in NFC, without zero-width characters, with each run of spaces and line
    ends as one space and none at either end."""
    return " ".join(unicodedata.normalize("NFC", text).translate(WITHOUT_INVISIBLE).split())


def same_reading(a: str, b: str) -> bool:
    """Whether a reviewer reads ``a`` and ``b`` as one text (:func:`text_form`)."""
    return a == b or text_form(a) == text_form(b)
