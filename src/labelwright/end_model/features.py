"""What the end model reads of a text: word 1-2 grams (a letter of a script written without
spaces is a word: :data:`UNSPACED`), and character 2-5 grams within words
while the texts are few enough (``features = "auto"``), as TF-IDF columns side by side,
words without the characters that are no reading of them (:data:`DROPS`), grams without
tatweel (:data:`CHAR_DROPS`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from labelwright.config import END_MODEL_FEATURES
from labelwright.text_form import INVISIBLE, TATWEEL


def _ranges(codes: Iterable[int]) -> str:
    """Code points (ascending) as the ranges of a regular expression's character class."""
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(_escaped(a) if a == b else f"{_escaped(a)}-{_escaped(b)}"
                   for a, b in ranges)


def _combining_marks() -> str:
    """The combining marks (Unicode categories Mn, Mc, Me: accents of a decomposed "é",
    Arabic harakat, Hebrew niqqud, Devanagari vowel signs, ...) as the ranges of a regular
    expression's character class. Python's ``\\w`` matches none of them. They are in
    planes 0, 1 and 14 (variation selectors) only: 0.02 s, not 0.13 s for all planes."""
    return _ranges(code for code in (*range(0x20000), *range(0xE0000, 0xE1000))
                   if unicodedata.category(chr(code))[0] == "M")


def _escaped(code: int) -> str:
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


#: the combining marks' character class, without its brackets
MARKS = _combining_marks()


#: the Unicode blocks of the scripts written without spaces between words: Han (with the
#: iteration marks and Hangzhou numerals of CJK Symbols and Punctuation), Hiragana,
#: Katakana (with the half-width forms and the kana supplements), Thai, Lao, Myanmar and
#: Khmer. Hangul is not among them: Korean puts spaces between words
UNSPACED_BLOCKS = (
    (0x0E00, 0x0E7F), (0x0E80, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F),  # Myanmar and its extensions
    (0x1780, 0x17FF), (0x19E0, 0x19FF),  # Khmer, Khmer symbols
    (0x3000, 0x303F),  # CJK symbols and punctuation: 々 〆 〇 〡-〩 〸-〼 (the rest is no \\w)
    (0x3040, 0x309F), (0x30A0, 0x30FF), (0x31F0, 0x31FF),  # Hiragana, Katakana (+ ext.)
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),  # Han: ext. A, unified, compat.
    (0xFF65, 0xFF9F),  # half-width Katakana
    (0x1AFF0, 0x1B16F),  # kana extensions and supplement
    (0x20000, 0x3FFFF),  # Han: planes 2 and 3 (extensions B to H, compatibility supplement)
)


def _unspaced_letters() -> str:
    """The word characters (``\\w``) of :data:`UNSPACED_BLOCKS` but their digits, as the
    ranges of a regular expression's character class: what the end model reads one at a
    time. Digits stay in words ("๒๕๖๗" is one, as "2567" is). The blocks past U+FFFF hold
    letters only (and code points not assigned yet), so they are taken whole: two ranges,
    not twelve, for the regular expression to try on every character that is none of them
    (the words of the 5,574 WRENCH SMS texts took 20% longer with twelve), and a Han
    character of a later Unicode than Python's is read as one too."""
    word = re.compile(r"\w").match
    return _ranges(code for first, last in UNSPACED_BLOCKS for code in range(first, last + 1)
                   if code > 0xFFFF or (word(chr(code))
                                        and unicodedata.category(chr(code)) != "Nd"))


#: the letters of scripts written without spaces, without their brackets: a run of them is
#: no word (the run of Han between two commas is a clause: "扫地机器人用了一次就故障"), so
#: each is a word of its own (with the combining marks it carries: Thai vowels and tones,
#: Japanese voicing marks), and the word 2-grams are their character 2-grams
UNSPACED = _unspaced_letters()
#: a word character of a word as spaced scripts write it: ``\\w`` but :data:`UNSPACED`
SPACED_WORD = rf"[^\W{UNSPACED}]"


#: a word: one letter of :data:`UNSPACED` and its marks, or a word character
#: (:data:`SPACED_WORD`: a letter, digit or ``_`` not of those scripts), then word
#: characters and combining marks, with two word characters at least (a one-letter word is
#: no feature, as before marks counted). A mark never starts a word. With ``\\b\\w\\w+\\b``
#: (:data:`PLAIN_WORDS`), "بِطاقتي" (a kasra after the first letter) was "طاقتي", "أُحَوِّل" no
#: word at all and a decomposed "café" "caf"; on a text without marks the two find the
#: same words. With ``(?<!\\w)\\w[marks]*\\w[\\w marks]*`` (:data:`SPACED_WORDS`), a run of
#: Han was one word, and "买了iPhone15手机" one; it is "买", "了", "iphone15", "手", "机"
#: now; on a text without those letters the two find the same words. Texts are read in NFC
#: first (:data:`READS`), so a composed and a decomposed "é" are one word
TOKEN_PATTERN = (rf"(?u)[{UNSPACED}][{MARKS}]*"
                 rf"|(?<!{SPACED_WORD}){SPACED_WORD}[{MARKS}]*{SPACED_WORD}"
                 rf"{SPACED_WORD}*(?:[{MARKS}]+{SPACED_WORD}*)*")
#: the words of end models saved after marks joined words and before :data:`TOKEN_PATTERN`
#: read a letter of :data:`UNSPACED` as a word (their document records it)
SPACED_WORDS = rf"(?u)(?<!\w)\w[{MARKS}]*\w[\w{MARKS}]*"
#: the words of end models saved before :data:`TOKEN_PATTERN` (their document records
#: it; one that records no pattern was made with it)
PLAIN_WORDS = r"(?u)\b\w\w+\b"
#: characters the end model reads words without: the invisible ones
#: (:data:`~labelwright.text_form.INVISIBLE`, which split a word in two) and Arabic tatweel
#: (which made "بطـــاقة" another word than "بطاقة")
DROPS = INVISIBLE + TATWEEL
#: characters character grams are read without: tatweel only. The invisible ones stay
#: there, as written, as they were before: they split no gram's word in two (a gram is not
#: a word), and where a text came from may show in them (U+FEFF ends most UCI YouTube
#: comments, more often ham's than spam's: read without it, the review ranking caught fewer
#: errors on every YouTube split measured; benchmarks/RESULTS.md, 2026-12-05)
CHAR_DROPS = TATWEEL
#: how the end model reads a text before it cuts words (``drops``) and character grams
#: (``char_drops``): in Unicode NFC (a decomposed "café" is "café", as copies and glossaries
#: read it) and without those characters. A saved model records it (``reads``), so it reads
#: texts as it was fit, whatever a later labelwright reads; a model saved before records
#: none, and read texts as they were
READS: dict[str, Any] = {"unicode_form": "NFC", "drops": DROPS, "char_drops": CHAR_DROPS}
#: how a model that records no ``reads`` read texts: as they were
READS_BEFORE: dict[str, Any] = {"unicode_form": None, "drops": "", "char_drops": ""}


def reader(reads: dict[str, Any], part: str = "words"
           ) -> Callable[[Sequence[str]], list[str]]:
    """A function that gives texts as ``reads`` (:data:`READS`) says for ``part``
    (``words`` or ``chars``): in its Unicode form, without its characters. An ASCII text
    (NFC already, none of those characters in it) stays as it is; with neither, every text
    does. A ValueError for a ``reads`` it cannot follow."""
    form = reads.get("unicode_form")
    drops = reads.get("drops" if part == "words" else "char_drops")
    if form not in (None, "NFC") or set(reads) != set(READS) or not all(
            isinstance(reads.get(key), str) for key in ("drops", "char_drops")):
        raise ValueError(f"reads {reads!r}; this labelwright reads texts in NFC or as "
                         "they are (unicode_form NFC or null), without the characters of "
                         "a string for words (drops) and one for character grams "
                         "(char_drops)")
    if form is None and not drops:
        return list
    table = dict.fromkeys(map(ord, str(drops)))
    # the deletion only where a character to drop is (translate on every text was most of
    # the reading's time, as text_form found)
    holds = re.compile(f"[{re.escape(str(drops))}]").search if drops else None

    def read(texts: Sequence[str]) -> list[str]:
        out = []
        for text in texts:
            if not text.isascii():
                text = unicodedata.normalize(form, text) if form else text
                if holds is not None and holds(text):
                    text = text.translate(table)
            out.append(text)
        return out

    return read


#: ``features``: word 1-2 grams alone, or with character 2-5 grams within words
#: (``char_wb``); ``auto`` takes both while the texts total at most :func:`char_budget`
#: characters (:data:`CHAR_BUDGET` for two classes). On the four spam sets measured
#: (WRENCH youtube and sms, UCI SMS and YouTube; benchmarks/RESULTS.md, "The end model
#: reads characters too") the character grams raised the end model's test accuracy in 12
#: of 16 cells (1 lower) and the review ranking's catch20 in 12 of 20 (2 lower); they cost
#: 5-6x the time and 3-4x the memory of words alone (100k texts: 34 s and 2.6 GB for the
#: whole ranking against 5.4 s and 0.7 GB)
FEATURES = END_MODEL_FEATURES


CHAR_BUDGET = 5_000_000


#: a fit of k > 2 classes costs per text about this many times (k - 1) what a two-class
#: fit costs (a weight vector per class against one in all): one fold of 16,000
#: texts of a 5-label project with character grams took 1.59 s for 2 classes, 3.40 s for 3
#: (1.07 x 2) and 4.72 s for 5 (0.74 x 4), median of 3 (``python
#: benchmarks/multiclass_fit.py``; benchmarks/RESULTS.md, "Character grams and the number
#: of classes"), so ``auto``'s budget shrinks by it (:func:`char_budget`). It was 5 while
#: scikit-learn fit more than two classes on the items repeated once per class
MULTICLASS_COST = 1


CHAR_SETTINGS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": [2, 5],
                                 "sublinear_tf": True, "lowercase": True}


def char_budget(n_classes: int) -> int:
    """The characters of text up to which ``auto`` takes character grams for ``n_classes``
    labels: :data:`CHAR_BUDGET` for two, less for more (:data:`MULTICLASS_COST`), so the
    time character grams add stays about the same."""
    return CHAR_BUDGET if n_classes <= 2 else CHAR_BUDGET // (MULTICLASS_COST * (n_classes - 1))


def uses_chars(features: str, texts: Sequence[str], n_classes: int = 2) -> bool:
    """Whether ``features`` takes character grams for these texts (see :data:`FEATURES`)."""
    if features != "auto":
        return features == "words+chars"
    budget = char_budget(n_classes)
    total = 0
    for text in texts:
        total += len(text)
        if total > budget:
            return False
    return True


def char_grams() -> dict[str, Any]:
    """How character grams are cut (a scikit-learn vectorizer's arguments): the tf
    weighting aside, the same for :class:`EndModel` and the out-of-fold term counts."""
    return {"analyzer": CHAR_SETTINGS["analyzer"], "lowercase": CHAR_SETTINGS["lowercase"],
            "ngram_range": tuple(CHAR_SETTINGS["ngram_range"])}


def char_vectorizer(min_df: int, max_features: int | None, *,
                     vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(**char_grams(), sublinear_tf=CHAR_SETTINGS["sublinear_tf"],
                           min_df=min_df, max_features=max_features, vocabulary=vocabulary,
                           dtype=np.float32)


def fit_pruned(make: Callable[[int], TfidfVectorizer], texts: list[str], min_df: int
                ) -> tuple[TfidfVectorizer, sparse.csr_matrix]:
    """``make(min_df)`` fit on ``texts``; when no term is in ``min_df`` texts, the terms
    there are (``min_df`` 1), rather than none. A ValueError when the texts have no term."""
    try:
        vec = make(min_df)
        return vec, vec.fit_transform(texts)
    except ValueError:
        if min_df == 1:
            raise
        vec = make(1)
        return vec, vec.fit_transform(texts)


def not_spaces(vocabulary: dict[str, int]) -> np.ndarray:
    """The columns of a character vocabulary that are not whitespace, in column order: a
    space is no reading of a text."""
    return np.array(sorted(col for term, col in vocabulary.items() if not term.isspace()),
                    dtype=np.int64)


def joined_features(words: sparse.spmatrix, chars: sparse.spmatrix) -> sparse.csr_matrix:
    """The word and character blocks side by side, each l2-normalised, scaled so a row
    with both has norm 1."""
    X = sparse.hstack([words, chars], format="csr")
    return (X * np.float32(1 / np.sqrt(2))).astype(np.float32)


def vocabulary_columns(vocabulary: dict[Any, Any]) -> dict[str, int]:
    return {str(term): int(col) for term, col in vocabulary.items()}


def without_whitespace(vec: TfidfVectorizer) -> TfidfVectorizer:
    """A character model without its whitespace characters: a space is no reading of a
    text, and a text of spaces and unseen characters would have counted as one the model
    can read (and been labelled)."""
    keep = not_spaces(vec.vocabulary_)
    if keep.size == 0:
        raise ValueError("the end model found no character to learn from: every text is "
                         "blank")
    term_of = {col: term for term, col in vec.vocabulary_.items()}
    fitted = TfidfVectorizer(analyzer="char", ngram_range=(1, 1), dtype=np.float32,
                             vocabulary={term_of[col]: new for new, col in enumerate(keep)})
    fitted.idf_ = vec.idf_[keep]
    return fitted
