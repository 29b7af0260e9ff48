"""What the end model reads of a word that holds combining marks (Arabic harakat, Hebrew
niqqud, Devanagari vowel signs, a decomposed accent), tatweel or an invisible character:
"بِطاقتي" was the word "طاقتي", "أُحَوِّل" no word, "بطـــاقة" another word than "بطاقة"."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

import labelwright.end_model.out_of_fold as out_of_fold_module
from labelwright.end_model.features import PLAIN_WORDS, READS, READS_BEFORE, TOKEN_PATTERN
from labelwright.end_model.model import EndModel
from labelwright.end_model.out_of_fold import score_out_of_fold

#: (text, its words)
WORDS = [
    ("بِطاقتي لا تعمل", ["بِطاقتي", "لا", "تعمل"]),
    ("أُحَوِّل فلوس", ["أُحَوِّل", "فلوس"]),
    ("וְשָׁלוֹם עולם", ["וְשָׁלוֹם", "עולם"]),
    ("नमस्ते दुनिया", ["नमस्ते", "दुनिया"]),
    ("cafe\u0301 a b ok", ["cafe\u0301", "ok"]),  # one-letter words are no feature
    ("\u0650بطاقة", ["بطاقة"]),  # a mark never starts a word
    ("بِ و", []),  # one letter and its mark: one letter
]


@pytest.mark.parametrize(("text", "words"), WORDS)
def test_a_word_is_word_characters_and_their_marks(text, words):
    assert re.findall(TOKEN_PATTERN, text) == words


def test_without_marks_the_words_are_the_words_of_before():
    rng = np.random.default_rng(0)
    # no Han: a Han letter is a word of its own now (test_unspaced_scripts.py)
    alphabet = list("ab_1 .,'-\u00e9\u0628\u0637\u0640\n\t\u05e9\u0416\ud55c!?")
    for _ in range(2000):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(0, 30))))
        assert re.findall(TOKEN_PATTERN, text) == re.findall(PLAIN_WORDS, text), repr(text)


TEXTS = ["بطاقتي لا تعمل في الصراف", "البطاقة محجوزة في الصراف", "بطاقة مسروقة من الصراف",
         "أحول فلوس لحساب اخر", "التحويل ما وصل للحساب", "حوالة دولية للحساب"] * 5
PROBS = np.array([[0.9, 0.1]] * 3 + [[0.1, 0.9]] * 3 * 1, dtype=float)
PROBS = np.vstack([PROBS] * 5)
#: one text as a reader sees it, and ways it is written
SAME = ["بطاقتي محجوزة", "بطـــاقتي محجـوزة", "\u200fبطاقتي\u200f \u2067محجوزة\u2069",
        "بط\u200cاقتي محجوزة\ufeff"]


@pytest.mark.parametrize("features", ["words", "words+chars"])
def test_tatweel_and_invisible_characters_are_read_as_nothing(features):
    """Words are read without tatweel and invisible characters; character grams without
    tatweel, but with the invisible characters as written (where a text came from may show
    in them: U+FEFF ends most UCI YouTube comments, ham's more often than spam's)."""
    model = EndModel(["card", "transfer"], features=features).fit(TEXTS, PROBS)
    X = model.transform(SAME).toarray()
    words = len(model.vocabulary_)
    assert X[0].any()
    for row in X[1:]:
        np.testing.assert_array_equal(row[:words], X[0][:words])
    np.testing.assert_array_equal(X[1], X[0])  # tatweel alone: grams too
    if features == "words+chars":
        assert not any("\u0640" in gram for gram in model.chars_["vocabulary"])


def test_character_grams_keep_invisible_characters():
    texts = [t + "\ufeff" for t in TEXTS[:3]] + TEXTS[3:6]
    model = EndModel(["card", "transfer"], features="words+chars").fit(texts * 5, PROBS)
    assert any("\ufeff" in gram for gram in model.chars_["vocabulary"])
    assert not any("\ufeff" in word for word in model.vocabulary_)


def test_a_decomposed_accent_is_the_composed_letter():
    texts = ["café ouvert", "café fermé", "thé chaud", "thé froid"] * 3
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.1, 0.9], [0.1, 0.9]] * 3)
    model = EndModel(["a", "b"], features="words").fit(texts, probs)
    assert "café" in model.vocabulary_
    np.testing.assert_array_equal(model.transform(["cafe\u0301"]).toarray(),
                                  model.transform(["caf\u00e9"]).toarray())


def test_a_saved_model_reads_texts_as_it_was_fit(tmp_path):
    """A model records how it reads texts (``reads``); one saved before it recorded them
    read them as they were, with the words of before, and still does."""
    model = EndModel(["card", "transfer"], features="words").fit(TEXTS, PROBS)
    doc = json.loads(model.save(tmp_path / "m.json").read_text(encoding="utf-8"))
    assert doc["version"] == 4 and doc["reads"] == READS
    assert doc["tfidf"]["token_pattern"] == TOKEN_PATTERN
    loaded = EndModel.load(tmp_path / "m.json")
    np.testing.assert_allclose(loaded.predict_proba(SAME), model.predict_proba(SAME))
    assert len({tuple(p) for p in loaded.predict_proba(SAME).round(12)}) == 1
    # as a labelwright before version 4 saved it: no reads, the plain words
    old = {**doc, "version": 2, "tfidf": {**doc["tfidf"], "token_pattern": PLAIN_WORDS}}
    del old["reads"]
    before = EndModel.from_dict(old, source="old.json")
    assert before.reads_ == READS_BEFORE
    X = before.transform(["بطاقتي محجوزة", "بطـــاقتي محجوزة"]).toarray()
    assert not np.array_equal(X[0], X[1])  # a stretched word is another word to it
    for bad in ({"unicode_form": "NFKC", "drops": "", "char_drops": ""}, {"drops": ""},
                {"unicode_form": "NFC", "drops": ""}, "NFC"):
        with pytest.raises(ValueError, match="m.json: reads"):
            EndModel.from_dict({**doc, "reads": bad}, source="m.json")
    with pytest.raises(ValueError, match="m.json: not a readable end model document"):
        EndModel.from_dict({k: v for k, v in doc.items() if k != "reads"}, source="m.json")


def test_out_of_fold_scores_read_texts_as_the_end_model_does():
    plain = ["بطاقتي لا تعمل", "البطاقة محجوزة", "بطاقة مسروقة", "أحول فلوس", "التحويل ما وصل",
             "حوالة دولية", "بطاقة الصراف", "تحويل للحساب"]
    texts = [f"{t} {i}" for i in range(6) for t in plain]
    stretched = [t.replace("ا", "ـا", 1) if i % 2 else t for i, t in enumerate(texts)]
    marked = ["\u200f" + t if i % 2 else t for i, t in enumerate(texts)]
    probs = np.array([[0.9, 0.1] if "بطاق" in t else [0.1, 0.9] for t in texts])
    for features in ("words", "words+chars"):
        a = score_out_of_fold(texts, probs, ["card", "transfer"], seed=2, features=features)
        b = score_out_of_fold(stretched, probs, ["card", "transfer"], seed=2,
                              features=features)
        np.testing.assert_array_equal(a.proba, b.proba)
    # invisible characters: words read without them; character grams keep them
    a = score_out_of_fold(texts, probs, ["card", "transfer"], seed=2, features="words")
    b = score_out_of_fold(marked, probs, ["card", "transfer"], seed=2, features="words")
    np.testing.assert_array_equal(a.proba, b.proba)


def test_term_counts_cached_by_the_words_of_before_are_not_read(tmp_path, monkeypatch):
    """A term counts entry of a labelwright that cut words without their marks, and read
    tatweel, is not read back: the key covers the token pattern and the texts as read."""
    texts = [f"{t} {i}" for i in range(8) for t in
             ("بِطاقتي لا تعمل", "بطـــاقة محجوزة", "أُحَوِّل فلوس", "التَّحويل ما وصل")]
    probs = np.array([[0.9, 0.1], [0.9, 0.1], [0.1, 0.9], [0.1, 0.9]] * 8)
    fresh = score_out_of_fold(texts, probs, ["card", "transfer"], seed=0, features="words")
    with monkeypatch.context() as old:
        old.setattr(out_of_fold_module, "TOKEN_PATTERN", PLAIN_WORDS)
        old.setattr(out_of_fold_module, "READS", READS_BEFORE)
        stale = score_out_of_fold(texts, probs, ["card", "transfer"], seed=0,
                                  features="words", cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    assert not np.array_equal(stale.proba, fresh.proba)
    again = score_out_of_fold(texts, probs, ["card", "transfer"], seed=0, features="words",
                              cache_dir=tmp_path)
    np.testing.assert_array_equal(again.proba, fresh.proba)
    assert len(list(tmp_path.glob("*.npz"))) == 2
    assert CountVectorizer(token_pattern=TOKEN_PATTERN).get_params()["token_pattern"] \
        != PLAIN_WORDS
