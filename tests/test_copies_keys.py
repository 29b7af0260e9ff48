"""text_form's shortcuts (ASCII texts, no deletion pass without an invisible character) and
copies' grouping (one key per distinct text) give what the plain definitions give: NFC,
then invisible characters deleted, then whitespace runs made one space, of every item,
factorized."""

import random
import sys
import unicodedata

import numpy as np
import pandas as pd
import pytest

from labelwright.copies import find_copies, same_text_key
from labelwright.text_form import INVISIBLE, WITHOUT_INVISIBLE, text_form

#: every character str.split() splits on (ASCII ones, U+0085, U+00A0, U+2028, U+3000 ...)
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())

CASES = [
    "", " ", "   ", "\t\n\r", "\r\n", "plain ascii", "  two  spaces\tand\ttabs\n",
    "line\r\nends\rand\nmore", "\x1c\x1dinfo separators\x1e\x1f", "café", "Cafe\u0301",
    "e\u0301\u0301", "\u212b ångström A\u030a", "so\u200bng", "\ufeffAwesome\ufeff",
    "\u200eleft\u200f right \u061c", "\u202aemb\u202c \u2066iso\u2069", "\u200b", "\u200e \u200f",
    "a\u200b b", "a \u200b b", "بطـــاقة", "\u00a0nbsp\u00a0", "\u3000ideographic\u3000",
    "\u2028line\u2029para", "next\x85line", "emoji 😭  ", "ﬁ ligature", "Ｆｕｌｌ",
    "한국어", "\u1100\u1161\u11a8", "x" * 1000, "\x00nul\x7f",
]


def plain_text_form(text: str) -> str:
    """text_form as defined before its shortcuts (it must still be)."""
    return " ".join(unicodedata.normalize("NFC", text).translate(WITHOUT_INVISIBLE).split())


def plain_find_copies(texts):
    """find_copies as defined: every item's key, factorized."""
    keys = pd.Series([(text_form(t) or None) if isinstance(t, str) else None for t in texts],
                     dtype=object)
    group, uniques = pd.factorize(keys, use_na_sentinel=True)
    return np.asarray(group, dtype=np.int64), tuple(uniques)


def varied_texts(count: int, seed: int) -> list[str]:
    """Random texts over ASCII letters, accents (composed and combining), invisible
    characters and every kind of whitespace."""
    rng = random.Random(seed)
    alphabet = ("abcAB é\u0301\u0327ñÅ\u212bﬁ😭بـ" + INVISIBLE + WHITESPACE
                + "\u1100\u1161\u11a8")
    return ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
            for _ in range(count)]


@pytest.mark.parametrize("text", CASES + [c for c in WHITESPACE] + [c for c in INVISIBLE])
def test_text_form_is_the_plain_definition(text):
    assert text_form(text) == plain_text_form(text)
    assert same_text_key(text) == (text_form(text) or None)


def test_text_form_is_the_plain_definition_on_random_texts():
    texts = varied_texts(20_000, seed=1)
    assert sum(not t.isascii() for t in texts) > 10_000  # most take the slow path
    assert sum(t.isascii() and t != t.strip() for t in texts) > 100  # some the fast one
    assert [text_form(t) for t in texts] == [plain_text_form(t) for t in texts]


def test_every_ascii_character_alone_and_around_a_word():
    for code in range(128):
        for text in (chr(code), f"a{chr(code)}{chr(code)}b", f"{chr(code)}a "):
            assert text_form(text) == plain_text_form(text)


def test_find_copies_groups_as_keying_every_item():
    rng = random.Random(2)
    pool = CASES + varied_texts(300, seed=3) + [None, float("nan"), pd.NA, 7]
    texts = [rng.choice(pool) for _ in range(5_000)]
    copies = find_copies(texts)
    group, keys = plain_find_copies(texts)
    assert copies.group.dtype == np.int64
    assert copies.group.tolist() == group.tolist()
    assert copies.keys == keys
    assert copies.size.tolist() == np.bincount(group[group >= 0],
                                               minlength=len(keys)).tolist()
    assert copies.texts_with_copies > 10 and (copies.group == -1).any()


@pytest.mark.parametrize("texts", [[], [None], [None, None], ["  "], ["a"], ["a", " a "],
                                   pd.Series(["b", "a", "b\u200b", None], index=[5, 3, 9, 1])])
def test_find_copies_on_small_and_odd_inputs(texts):
    copies = find_copies(texts)
    group, keys = plain_find_copies(list(texts))
    assert copies.group.tolist() == group.tolist()
    assert copies.keys == keys
    assert len(copies.size) == len(keys)
