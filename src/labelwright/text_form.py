"""One text's form as a reader reads it, shared by everything that asks whether two texts
are one: ``review import`` (a row's text against its run's), runs (the text the run showed
against the data now) and copies (items of one text, :mod:`labelwright.copies`). Two
copies of one text may differ in spacing, line ends, zero-width characters and direction
marks (:data:`INVISIBLE`) or the Unicode form (a tool may store "é" as one code point or
two); a reader sees the same words in the same order.
"""

from __future__ import annotations

import re
import unicodedata

#: characters that show nothing: zero-width space, non-joiner and joiner, word joiner, the
#: byte order mark (U+FEFF, which ends most of the UCI YouTube comments), and the marks that
#: set the direction of right-to-left text (Arabic, Hebrew) without showing: left-to-right
#: and right-to-left marks (U+200E, U+200F), the Arabic letter mark (U+061C), embeddings,
#: overrides and their end (U+202A-U+202E), isolates and their end (U+2066-U+2069); chat
#: apps and copy-paste put them around words. And the soft hyphen (U+00AD), which shows
#: only where a line breaks inside the word: text taken from PDFs and word processors
#: holds it inside words ("Confi\u00addential" is "Confidential"). Copies, review import,
#: glossary matching (:func:`labelwright.nlp.match_form`, the tokenizer's affixes) and the
#: end model's words all read a text without them.
INVISIBLE = ("\u200b\u200c\u200d\u2060\ufeff"
             "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
             "\u00ad")
#: a ``str.translate`` table that deletes them
WITHOUT_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))
#: Arabic tatweel (kashida, U+0640): a stroke that stretches a word to fill a line or for
#: emphasis ("بطـــاقة" is "بطاقة"), never a letter. It is a letter to Unicode (category Lm),
#: so it sits inside a word's token, and glossary matching's match form
#: (:func:`labelwright.nlp.match_form`) and the end model's features leave it out; it
#: shows, so :func:`text_form` (copies, review import) keeps it
TATWEEL = "\u0640"
#: a ``str.translate`` table that writes the full-width forms of ASCII (U+FF01-U+FF5E:
#: "ＳＫＵ－８８２３１", "ｉＰｈｏｎｅ", "１２３４") and the ideographic space (U+3000) as the ASCII
#: characters they are (U+0021-U+007E, " "), one character for one: Chinese, Japanese and
#: Korean input methods type them in full-width mode. Glossary matching
#: (:func:`labelwright.nlp.match_form`) and the labels of ``review import`` read them so;
#: :func:`text_form` (copies, the text a row showed) keeps them, as a reader sees them
HALF_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x7E - 0x20)} | {0x3000: 0x20}


#: finds a text's first invisible character (None when it holds none)
_FIND_INVISIBLE = re.compile(f"[{INVISIBLE}]").search


def text_form(text: str) -> str:
    """``text`` in NFC, without invisible characters (:data:`INVISIBLE`), with each run of
    spaces and line ends as one space and none at either end. An ASCII text is its own
    NFC and holds no invisible character, and the deletion (``str.translate``, ~2 s of
    the 3.6 s a million tickets took) runs only on a text that holds one."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        if _FIND_INVISIBLE(text):
            text = text.translate(WITHOUT_INVISIBLE)
    return " ".join(text.split())


def half_width(text: str) -> str:
    """``text`` with full-width ASCII forms and the ideographic space as ASCII
    (:data:`HALF_WIDTH`): "ｒｅｆｕｎｄ" is "refund"."""
    return text if text.isascii() else text.translate(HALF_WIDTH)


def same_reading(a: str, b: str) -> bool:
    """Whether a reviewer reads ``a`` and ``b`` as one text (:func:`text_form`)."""
    return a == b or text_form(a) == text_form(b)
