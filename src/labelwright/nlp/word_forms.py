"""How a text's words are written for comparison: the Unicode form, apostrophes, full-width
forms, invisible characters, tatweel and case, as glossary matching and the lemma
components read them."""

from __future__ import annotations

import unicodedata
from itertools import combinations

from labelwright.text_form import HALF_WIDTH, TATWEEL, WITHOUT_INVISIBLE

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
#: what :func:`plain_forms` writes otherwise: typographic apostrophes, and full-width ASCII
#: forms and the ideographic space (:data:`~labelwright.text_form.HALF_WIDTH`)
_PLAIN: dict[int, str | int | None] = {**_APOSTROPHES, **HALF_WIDTH}
#: the variation selectors that ask for an emoji's picture (U+FE0F) or its text symbol
#: (U+FE0E): keyboards write "❤" with or without one, a reader sees one heart
VARIATION_SELECTORS = "\ufe0e\ufe0f"
#: what :func:`match_form` changes besides the Unicode form: the characters
#: :func:`plain_forms` writes otherwise, and invisible characters, variation selectors and
#: tatweel left out
_MATCH_FORM: dict[int, str | int | None] = {
    **_PLAIN, **WITHOUT_INVISIBLE, **dict.fromkeys(map(ord, VARIATION_SELECTORS)),
    ord(TATWEEL): None}


def plain_forms(text: str) -> str:
    """``text`` with typographic apostrophes as ``'`` and full-width ASCII forms and the
    ideographic space as ASCII ("ＳＫＵ－８８２３１" is "SKU-88231"), one character for one:
    the tokenizer splits "didnʼt" or (German) "geht’s" otherwise than "didn't", and
    "ＳＫＵ－８８２３１" otherwise than "SKU-88231", so a text that holds one is matched as a
    copy parsed with plain ones (character offsets stay the same)."""
    return text.translate(_PLAIN)


def match_form(text: str) -> str:
    """``text`` as glossary matching compares it: NFC-composed (a decomposed "café" is the
    same word) with typographic apostrophes as ``'`` ("didn’t" is "didn't"), full-width
    ASCII forms as ASCII ("ｒｅｆｕｎｄ" is "refund", :func:`plain_forms`) and without
    invisible characters (:data:`~labelwright.text_form.INVISIBLE`: "so\u200bng" is
    "song"; a token of only those is ``""``, which matching skips), variation selectors
    (:data:`VARIATION_SELECTORS`: "❤\ufe0f" is "❤", as the tokenizer keeps a skin tone
    apart: "👍🏽" holds "👍") and tatweel (:data:`~labelwright.text_form.TATWEEL`:
    "بطـــاقة" is "بطاقة")."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text).translate(_MATCH_FORM)


def caseless(text: str) -> str:
    """``text`` as the match modes that ignore case compare it: its :func:`match_form`
    case-folded, Unicode's caseless matching, where lowercase is not enough ("GRÖSSE" is
    "grösse", "Größe" too; ẞ, ſ, ς and ligatures such as ﬁ fold as well). Folded from
    the decomposed form and composed again, so the result is a match form whatever form
    the text came in."""
    if text.isascii():
        return text.lower()
    return match_form(unicodedata.normalize("NFD", text).casefold())


#: how many "ss" of one word :func:`sharp_s_readings` may read as "ß"
_MAX_SHARP_S = 3


def sharp_s_readings(word: str) -> list[str]:
    """``word`` (a word in capitals, in title case) with "ss" read as "ß", the capital of
    "ß" being "SS": "Grüsse" is "Grüße"; one "ss" at a time, left first, then two at once,
    and so on, for the first few. "sss" reads as "ßs" or "sß", never both."""
    at = [i for i in range(len(word) - 1) if word[i:i + 2] == "ss"][:_MAX_SHARP_S]
    readings = []
    for n in range(1, len(at) + 1):
        for chosen in combinations(at, n):
            if any(b - a < 2 for a, b in zip(chosen, chosen[1:])):
                continue  # overlapping: "sss" holds one ß
            reading = word
            for i in reversed(chosen):
                reading = reading[:i] + "ß" + reading[i + 2:]
            readings.append(reading)
    return readings


#: ligatures and their letters: French's lookup table writes none ("oeuvres", "coeurs"),
#: people and autocorrect write "œuvres", "cœurs"
LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
_SPELT_OUT = str.maketrans(LIGATURES)


def has_ligature(text: str) -> bool:
    """Does ``text`` hold one of the :data:`LIGATURES`?"""
    return not text.isascii() and any(c in LIGATURES for c in text)


def ligatures_spelt_out(text: str) -> str:
    """``text`` with its :data:`LIGATURES` as their two letters ("œuvres": "oeuvres")."""
    return text.translate(_SPELT_OUT)


def ligatures_back(word: str, lemma: str) -> str:
    """``lemma``, found for ``word`` with its ligatures spelt out, with them put back where
    it has their letters at the same places ("œuvres", "oeuvre": "œuvre"), so that the
    lemma is written as the word is."""
    places = []
    shift = 0
    for i, c in enumerate(word):
        pair = LIGATURES.get(c)
        if pair is not None:
            at = i + shift
            if lemma[at:at + 2].lower() == pair.lower():
                places.append((at, c if lemma[at].islower() == c.islower() else c.swapcase()))
            shift += 1
    for at, c in reversed(places):
        lemma = lemma[:at] + c + lemma[at + 2:]
    return lemma
