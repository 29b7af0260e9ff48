"""What a glossary counts as a word: an exclusion's window before a match and after it
(words only, stopped by the marks that end a sentence or a clause, by a line that opens a
list item, :func:`list_item_start`, and with ``window_stops_at: line`` by any line
break, :func:`line_starts`), words compared without accents (``accents:
ignore``), the matcher kind a glossary's phrases go to (its mode, and whether it
ignores accents), and where a word of a script written with spaces starts and ends when
the tokenizer splits it into characters (:func:`splits_words_into_characters`).
:mod:`labelwright.glossaries.matching` matches with them;
:mod:`labelwright.glossaries.checks` checks exclusions with them.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from labelwright.nlp import caseless, match_form

if TYPE_CHECKING:  # spaCy is imported where a Doc is read: reading a glossary needs none
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from labelwright.glossaries.core import Glossary


#: marks that end a sentence or a clause, where an exclusion's window stops: . , ; : ! ? and
#: "…", Spanish's opening "¿" "¡", "‼" "⁇" "⁈" "⁉", and the forms of other scripts: CJK
#: full-width and ideographic (。、，．；：！？｡､), Arabic and Urdu (؟ ، ؛ ۔), Devanagari
#: (। ॥), Armenian (։) and Ethiopic (። ፣ ፤); Greek's question mark is ";" once composed
CLAUSE_ENDS = frozenset(".,;:!?\u2026\u00bf\u00a1\u203c\u2047\u2048\u2049"
                        "\u3002\u3001\uff0c\uff0e\uff1b\uff1a\uff01\uff1f\uff61\uff64"
                        "\u061f\u060c\u061b\u06d4\u0964\u0965\u0589\u1362\u1363\u1364")


def is_word(key: str) -> bool:
    """Does a key count as a word of an exclusion's window (it holds a letter or a
    digit)? Punctuation, symbols and emoji do not."""
    return key.isalnum() or any(c.isalnum() for c in key)


def ends_clause(key: str) -> bool:
    """Is a key that is no word a mark that ends a sentence or a clause ("." "?!" "¡¡"
    "," "。": every character one of :data:`CLAUSE_ENDS`)? An emoticon the tokenizer keeps
    whole (":)", ";-(") holds one but is a symbol, which the window skips."""
    return bool(key) and CLAUSE_ENDS.issuperset(key)


#: an abbreviation of single letters joined by periods, whose last period the tokenizer
#: splits off ("h.o." is "h.o" + ".", "s.o.b." is "s.o.b" + ".")
_DOTTED_LETTERS = re.compile(r"[^\W\d_](?:\.[^\W\d_])+")


def _abbreviation_period(keys: Sequence[str], i: int) -> bool:
    """Is key ``i``, a ".", the last period of an abbreviation of single letters
    (:data:`_DOTTED_LETTERS`: "h.o.", "e.o.", "s.o.b.", "p.r.n.") that the tokenizer split
    off, and not the end of a sentence? A "." after a plain word ("hx.") is one."""
    if i == 0 or keys[i] != ".":
        return False
    word = keys[i - 1]
    return "." in word and _DOTTED_LETTERS.fullmatch(word) is not None


def window_positions(keys: Sequence[str], start: int, window: int, floor: int = 0
                     ) -> list[int]:
    """Where in ``keys`` the up to ``window`` words before ``keys[start]`` in the same
    sentence and clause are: punctuation, symbols and emoji are not counted, a mark that
    ends a sentence or a clause (:data:`CLAUSE_ENDS`: "No, me doy de baja", "¿Seguir? No.
    Me doy de baja") stops the window, but for the last period of an abbreviation of
    letters ("no h.o. COPD": :func:`_abbreviation_period`), and so does key ``floor``
    (where the list item holding the match starts: :func:`list_item_start`)."""
    at: list[int] = []
    i = start - 1
    while i >= floor and len(at) < window:
        key = keys[i]
        if is_word(key):
            at.append(i)
        elif ends_clause(key) and not _abbreviation_period(keys, i):
            break
        i -= 1
    at.reverse()
    return at


def window_after_positions(keys: Sequence[str], end: int, window: int, ceiling: int
                           ) -> list[int]:
    """Where in ``keys`` the up to ``window`` words from ``keys[end]`` on (just after a
    match) in the same sentence and clause are, as :func:`window_positions` reads the
    words before one: "CHF ruled out, BNP 45" stops at the ",". Key ``ceiling`` (where the
    next list item starts, :func:`next_start`) stops the window too."""
    at: list[int] = []
    i = end
    while i < ceiling and len(at) < window:
        key = keys[i]
        if is_word(key):
            at.append(i)
        elif ends_clause(key) and not _abbreviation_period(keys, i):
            break
        i += 1
    return at


def exclusion_words(keys: Sequence[str]) -> list[str]:
    """An exclusion's keys as its window compares them: its words only."""
    return [key for key in keys if is_word(key)]


def exclusion_form(words: Sequence[str], mode: str, accents: str) -> tuple[str, ...]:
    """An exclusion's words (:func:`exclusion_words`) as the window compares them: with
    the glossary's accents folded (:func:`fold_accents`), and caseless in every mode (an
    exclusion is a cue, not a term; ``lowercase`` and ``lemma`` keys are caseless
    already)."""
    words = [fold_accents(w, accents) for w in words]
    if mode == "exact":
        words = [caseless(w) for w in words]
    return tuple(words)


#: the ligatures typed as their two letters on keyboards without them (French "cœur" is
#: "coeur", "ex æquo" "ex aequo"), which no Unicode form splits
_LIGATURES = {"œ": "oe", "æ": "ae", "Œ": "Oe", "Æ": "Ae"}
_LIGATURE = re.compile(r"([œæŒÆ])(\w?)")


def _ligature_spelt(found: re.Match[str]) -> str:
    """One ligature as its two letters, in capitals where the word goes on in capitals
    ("ŒUVRE": "OEUVRE", "Œuvre": "Oeuvre")."""
    ligature, after = found.group(1), found.group(2)
    spelt = _LIGATURES[ligature]
    return (spelt.upper() if ligature.isupper() and after.isupper() else spelt) + after


def without_accents(word: str) -> str:
    """``word`` without combining marks (accents, diacritics), composed again, and with its
    ligatures spelt as two letters: "avería" is "averia", "año" is "ano", "cœur" is
    "coeur"; what a glossary with ``accents: ignore`` compares."""
    if word.isascii():
        return word
    if any(c in _LIGATURES for c in word):
        word = _LIGATURE.sub(_ligature_spelt, word)
    split = unicodedata.normalize("NFD", word)
    return unicodedata.normalize("NFC", "".join(c for c in split
                                                if not unicodedata.combining(c)))


#: German's umlauts as they are spelt without them (``accents: umlauts``); "ß" needs none,
#: being "ss" to every caseless comparison already
_UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
_UMLAUT = re.compile(r"([äöüÄÖÜ])(\w?)")


def _spelt_out(found: re.Match[str]) -> str:
    """One umlaut spelt out, in capitals where the word goes on in capitals ("ÜBER":
    "UEBER")."""
    umlaut, after = found.group(1), found.group(2)
    spelt = _UMLAUTS[umlaut]
    return (spelt.upper() if umlaut.isupper() and after.isupper() else spelt) + after


def without_umlauts(word: str) -> str:
    """``word`` with "ä", "ö", "ü" as "ae", "oe", "ue" (composed first, so a decomposed
    "ü" is one too): "Gebühr" is "Gebuehr", "GRÜN" "GRUEN"; what a glossary with
    ``accents: umlauts`` compares."""
    if word.isascii():
        return word
    return _UMLAUT.sub(_spelt_out, unicodedata.normalize("NFC", word))


def fold_accents(word: str, accents: str) -> str:
    """``word`` as a glossary with the ``accents`` setting compares it: as written
    (``keep``), without accents (``ignore``), or with umlauts spelt out (``umlauts``)."""
    if accents == "ignore":
        return without_accents(word)
    if accents == "umlauts":
        return without_umlauts(word)
    return word


#: what the matcher kind of glossaries with an ``accents`` setting that folds words ends
#: with (the others' kind is their mode)
NO_ACCENTS = "-no-accents"
KIND_SUFFIXES = {"ignore": NO_ACCENTS, "umlauts": "-umlauts"}


def matcher_kind(glossary: Glossary) -> str:
    """The matcher a glossary's phrases go to: one per mode, and per mode one for each
    ``accents`` setting that folds words."""
    return glossary.mode + KIND_SUFFIXES.get(glossary.accents, "")


@cache  # asked per kind for every item matched: a handful of kinds
def kind_accents(kind: str) -> str:
    """The ``accents`` setting of a matcher kind's glossaries."""
    return next((accents for accents, suffix in KIND_SUFFIXES.items()
                 if kind.endswith(suffix)), "keep")


@cache
def kind_mode(kind: str) -> str:
    """The match mode of a matcher kind."""
    return kind.removesuffix(KIND_SUFFIXES.get(kind_accents(kind), ""))


#: the hyphens that join two words into one ("chef-d'œuvre", "wi-fi")
HYPHENS = frozenset({"-", "\u2010", "\u2011"})

#: the languages (spaCy's code) whose hyphen joining two words reads as a space: French
#: writes one word either way ("chef-d'œuvre", "chef d'œuvre"). Elsewhere the hyphen is
#: read as written: English `follow-up` (a noun) is not "follow up" (a verb), nor `log in`
#: "log-in", and `e-mail` matches "e - mail"
JOINING_HYPHENS = frozenset({"fr"})


def joined_hyphens(doc: Doc | Span, words: Sequence[str]) -> list[int]:
    """The positions of the hyphens (:data:`HYPHENS`) the tokenizer split off between two
    words it joins, with no space on either side, in a language of
    :data:`JOINING_HYPHENS` (none in another): left out of the keys, as spaces are, so
    that `chef-d'œuvre` matches "chef d'œuvre" and `chef d'œuvre` "chef-d'œuvre" (a
    hyphenated word the tokenizer keeps whole, "peut-être", is one word either way). A
    hyphen with a space beside it ("prix - 10 %") is kept."""
    if doc.vocab.lang not in JOINING_HYPHENS:
        return []
    spaced = [bool(token.whitespace_) for token in doc]  # (only texts with a hyphen)
    return [i for i, word in enumerate(words)
            if word in HYPHENS and 0 < i < len(words) - 1 and not spaced[i - 1]
            and not spaced[i] and words[i - 1] not in HYPHENS
            and words[i + 1] not in HYPHENS and not doc[i + 1].is_space]


def written_words(doc: Doc, start: int, end: int, kind: str) -> list[str]:
    """The words of ``doc[start:end]`` as written, as ``kind`` compares written words (their
    :func:`~labelwright.nlp.match_form`s in ``exact``, else their caseless forms; without
    accents where the kind ignores them), without the space tokens, zero-width characters
    and joining hyphens matching skips."""
    form = match_form if kind_mode(kind) == "exact" else caseless
    span = doc[start:end]
    words = [word for token in span if not token.is_space
             and (word := form(token.text))]
    if not HYPHENS.isdisjoint(words):  # as match_keys leaves them out
        joined = set(joined_hyphens(span, [form(t.text) for t in span]))
        words = [word for i, token in enumerate(span) if not token.is_space
                 and (word := form(token.text)) and i not in joined]
    accents = kind_accents(kind)
    return [fold_accents(w, accents) for w in words] if accents != "keep" else words


#: the letters of scripts written without spaces between words, which a tokenizer that splits
#: words into characters splits as their words are written: Han (with 々 〇 and the
#: compatibility ideographs), kana (with the half-width forms), bopomofo, Thai, Lao,
#: Tibetan, Myanmar, Khmer, Tai Le, New Tai Lue, Tai Tham, Yi; and Hangul, whose words take
#: their particles and endings glued on ("환불을": "환불" and the object particle)
_UNSPACED = re.compile("[\u0e00-\u0fff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff"
                       "\u1950-\u19ff\u1a20-\u1aaf\u2e80-\u2fdf\u3005-\u3007"
                       "\u3021-\u3029\u3031-\u3035\u3038-\u303c\u3040-\u31ff"
                       "\u3400-\u4dbf\u4e00-\ua4cf\uac00-\ud7ff\uf900-\ufaff"
                       "\uff66-\uffdc\U00020000-\U0003ffff]")


def splits_words_into_characters(nlp: Language) -> bool:
    """Does the pipeline's tokenizer split a word of a script written with spaces into its
    characters, as spaCy's Chinese tokenizer does with its default ``char`` segmenter
    ("refund" is six tokens)? A phrase then matches token by token inside a longer word
    ("refund" in "nonrefundable") unless :func:`inside_word` says where words end."""
    return len(nlp.tokenizer("refund")) == len("refund")


def _spaced_letter(char: str) -> bool:
    """Is ``char`` a letter, digit or combining mark of a script written with spaces (Latin,
    Cyrillic, Greek, Arabic, digits, ...: not one of :data:`_UNSPACED`)?"""
    return (char.isalnum() or unicodedata.category(char)[0] == "M") \
        and _UNSPACED.match(char) is None


def inside_word(text: str, at: int) -> bool:
    """Is character offset ``at`` of ``text`` inside a word of a script written with spaces
    (between two of its letters or digits: "nonrefundable" at "r", "12345" at "5"; or at a
    decimal point or thousands separator between digits, "1234.5" at "."), where a match
    may neither start nor end? Between a Han character and a Latin letter it is not
    ("退款refund了")."""
    if not 0 < at < len(text):
        return False
    if _spaced_letter(text[at]) and _spaced_letter(text[at - 1]):
        return True
    # a decimal point or a thousands separator between digits: "1234" is not in "1234.5元"
    return (text[at] in _NUMBER_MARKS and at + 1 < len(text) and text[at + 1].isdigit()
            and text[at - 1].isdigit()) or (
        text[at - 1] in _NUMBER_MARKS and at >= 2 and text[at - 2].isdigit()
        and text[at].isdigit())


def span_inside_word(doc: Doc, text: str, start: int, end: int, keep: list[int] | None
                     ) -> bool:
    """Does the match of ``doc[start:end]`` (of key positions, when ``keep`` maps them
    to tokens) start or end inside a word of a script written with spaces
    (:func:`inside_word`)? Asked when the tokenizer splits words into characters: a
    tokenizer that keeps words whole has made the word's tokens itself ("cannot" is "can" +
    "not" in English, and "not" matches there)."""
    first, last = (doc[start], doc[end - 1]) if keep is None \
        else (doc[keep[start]], doc[keep[end - 1]])
    return inside_word(text, first.idx) or inside_word(text, last.idx + len(last))


#: what may sit between the digits of one number: a decimal point, a thousands separator
_NUMBER_MARKS = frozenset(".,\uff0e\uff0c")  # and their full-width forms


#: what opens a list item at the start of a line: "(b)", "(ii)", "b)", "2)" (the marker),
#: a bullet, or a section number ("12.3"); "1." ends the line's clause already (".")
_LIST_MARKER = re.compile(r"[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6}|\d{1,3}")
_BULLETS = frozenset("-*\u2022\u2013\u2014\u00b7\u25aa\u25e6")
_SECTION_NUMBER = re.compile(r"\d{1,3}(?:\.\d{1,3})+\.?")


def _opens_list_item(doc: Doc, i: int) -> bool:
    """Do the tokens of ``doc`` from ``i`` (a line's first) open a list item: ``(b)``,
    ``b)``, a bullet, a section number, or a Markdown heading (one to six "#" and a space:
    "## Plan"; not a hashtag, "#CHF", nor "#1")?"""
    first = doc[i].text
    if first in _BULLETS or _SECTION_NUMBER.fullmatch(first):
        return True
    if first == "#":
        for j in range(i, min(i + 6, len(doc))):
            if doc[j].text != "#":
                return False
            if doc[j].whitespace_:
                return True
        return False
    if first == "(":
        return i + 2 < len(doc) and bool(_LIST_MARKER.fullmatch(doc[i + 1].text)) \
            and doc[i + 2].text == ")"
    return i + 1 < len(doc) and bool(_LIST_MARKER.fullmatch(first)) \
        and doc[i + 1].text == ")"


def list_item_starts(doc: Doc, lines: list[int]) -> list[int]:
    """The tokens of ``doc`` that open a list item at the start of a line
    (:func:`_opens_list_item`), in order: of its ``lines`` (:func:`line_starts`), once per
    Doc."""
    return [i for i in lines if _opens_list_item(doc, i)]


def line_starts(doc: Doc) -> list[int]:
    """The tokens of ``doc`` that start a line, in order (a glossary with
    ``window_stops_at: line`` stops its exclusions' windows there): those after a space
    token holding a line break, once per Doc; each list item's start
    (:func:`list_item_starts`) is one."""
    from spacy.attrs import IS_SPACE

    spaces = np.flatnonzero(doc.to_array(IS_SPACE)).tolist()
    return [i + 1 for i in spaces if i + 1 < len(doc)
            and ("\n" in doc[i].text or "\r" in doc[i].text)]


def next_start(starts: list[int], keep: list[int] | None, last: int, n_keys: int) -> int:
    """The key (``keep``: each key's token; None: key ``i`` is token ``i``) where the
    first of ``starts`` after key ``last`` is (the next list item or line, which ends the
    window after a match whose last key is ``last``), ``n_keys`` when none is."""
    token = keep[last] if keep is not None else last
    k = bisect.bisect_right(starts, token)
    if k == len(starts):
        return n_keys
    return starts[k] if keep is None else bisect.bisect_left(keep, starts[k])


def list_item_start(starts: list[int], keep: list[int] | None, at: int) -> int:
    """The key (``keep``: each key's token; None: key ``i`` is token ``i``) where the list
    item holding key ``at`` starts, 0 when it is in none: the last of ``starts``
    (:func:`list_item_starts`) at or before it. An exclusion before it is another item's:
    "(a) the Supplier shall not assign\\n(b) Confidential Information means ..." was
    cancelled by the "not" of (a)."""
    token = keep[at] if keep is not None else at
    k = bisect.bisect_right(starts, token)
    if not k:
        return 0
    first = starts[k - 1]
    return first if keep is None else bisect.bisect_left(keep, first)
