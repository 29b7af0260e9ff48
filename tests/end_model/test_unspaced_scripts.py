"""What the end model reads of a script written without spaces between words (Han, kana,
Thai, Lao, Myanmar, Khmer): a run of \\w was one word, so a Chinese clause between two
commas ("扫地机器人用了一次就故障") was one word, and a ``features = "words"`` model knew no
word of a text it had not seen whole. Each letter of those scripts is a word now; word
2-grams are their character 2-grams; Latin words inside them stay whole."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import labelwright.end_model.model as model_module
from labelwright.end_model.features import SPACED_WORDS, TOKEN_PATTERN, UNSPACED
from labelwright.end_model.model import EndModel
from labelwright.end_model.out_of_fold import score_out_of_fold

#: (text, its words, as read: lowercase)
WORDS = [
    ("扫地机器人用了一次就故障，要退款", ["扫", "地", "机", "器", "人", "用", "了", "一", "次",
                                       "就", "故", "障", "要", "退", "款"]),
    ("买了iPhone15手机", ["买", "了", "iphone15", "手", "机"]),
    ("订单号 A12345 还没发货", ["订", "单", "号", "a12345", "还", "没", "发", "货"]),
    ("2024年3月", ["2024", "年", "月"]),  # "3" alone: a one-letter word, as ever
    ("スマホが壊れた々", ["ス", "マ", "ホ", "が", "壊", "れ", "た", "々"]),
    ("ｽﾏﾎ・ガ\u3099", ["ｽ", "ﾏ", "ﾎ", "ガ\u3099"]),  # "・" is no letter; a mark stays on
    ("ภาษาไทย ๒๕๖๗ ok", ["ภ", "า", "ษ", "า", "ไ", "ท", "ย", "๒๕๖๗", "ok"]),  # digits: a word
    ("ភាសាខ្មែរ", ["ភា", "សា", "ខ្", "មែ", "រ"]),  # Khmer letters with their signs
    ("한국어 문장", ["한국어", "문장"]),  # Korean is written with spaces: words as before
    ("𠀋𪚲", ["𠀋", "𪚲"]),  # Han past U+FFFF
]


@pytest.mark.parametrize(("text", "words"), WORDS)
def test_a_letter_of_a_script_without_spaces_is_a_word(text, words):
    assert re.findall(TOKEN_PATTERN, text.lower()) == words


def test_without_those_letters_the_words_are_the_words_of_before():
    """Texts without a letter of those scripts (Latin, Cyrillic, Arabic, Hebrew, Hangul,
    Devanagari, marks, digits, punctuation, and the CJK punctuation that is no letter)
    have the words of the pattern before, so their features are those of before."""
    rng = np.random.default_rng(0)
    alphabet = list("ab_1 .,'-\u00e9\u0301\u0650\u0628\u0637\u0640\n\t\u05e9\u0416"
                    "\ud55c\uad6d\u0928\u094d\u0e3f\u3001\u3002\u30fb\uff0c\u0e50")
    assert not any(re.fullmatch(f"[{UNSPACED}]", c) for c in alphabet)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet, size=int(rng.integers(0, 30))))
        assert re.findall(TOKEN_PATTERN, text) == re.findall(SPACED_WORDS, text), repr(text)


#: support tickets: the label's word is inside a clause, never written apart
TEXTS = ["我要退款，东西不想要了", "申请退款，还没收到钱", "退款什么时候到账", "能不能退款给我",
         "快递三天了还没到", "物流一直不更新快递", "快递员没有送货上门", "快递显示已签收但没收到"]
PROBS = np.array([[0.9, 0.1]] * 4 + [[0.1, 0.9]] * 4)


def test_a_words_model_reads_a_chinese_text_it_did_not_see_whole():
    """Fit on whole clauses, the words model of before knew none of a new ticket's words
    (its features were all zero: no label); now it reads "退款" and "快递" in it."""
    model = EndModel(["refund", "delivery"], features="words", min_df=1).fit(TEXTS, PROBS)
    assert "退 款" in model.vocabulary_ and "快 递" in model.vocabulary_  # 2-grams
    new = ["请尽快退款", "我的快递呢"]
    X = model.transform(new)
    assert X.getnnz(axis=1).min() > 0
    assert model.predict(new).tolist() == [0, 1]


def test_out_of_fold_scores_read_chinese_words_as_the_end_model_does():
    texts = [f"{t}{i}号" for i in range(6) for t in TEXTS]
    probs = np.vstack([PROBS] * 6)
    out = score_out_of_fold(texts, probs, ["refund", "delivery"], seed=0, features="words")
    assert out.scored.all()
    assert (out.proba.argmax(axis=1) == probs.argmax(axis=1)).all()


def test_a_saved_model_reads_chinese_as_it_was_fit(tmp_path, monkeypatch):
    """The document records its token pattern (``tfidf.token_pattern``), and a reader
    follows it: a model saved with the words of before reads a Chinese clause as one
    word still (so "请尽快退款" is a word it never saw), one saved now reads it by letters."""
    model = EndModel(["refund", "delivery"], features="words", min_df=1).fit(TEXTS, PROBS)
    doc = json.loads(model.save(tmp_path / "m.json").read_text(encoding="utf-8"))
    assert doc["tfidf"]["token_pattern"] == TOKEN_PATTERN
    loaded = EndModel.load(tmp_path / "m.json")
    probe = ["请尽快退款", "快递", *TEXTS]
    # a loaded model computes in float64, a fitted one in float32
    np.testing.assert_allclose(loaded.transform(probe).toarray(),
                               model.transform(probe).toarray(), rtol=1e-6)
    with monkeypatch.context() as old:  # as the labelwright of before fit it
        old.setattr(model_module, "TOKEN_PATTERN", SPACED_WORDS)
        before = EndModel(["refund", "delivery"], features="words", min_df=1).fit(TEXTS, PROBS)
    old = json.loads(before.save(tmp_path / "old.json").read_text(encoding="utf-8"))
    assert "我要退款" in old["tfidf"]["vocabulary"]
    reloaded = EndModel.load(tmp_path / "old.json")
    assert reloaded.transform(["请尽快退款"]).nnz == 0
    np.testing.assert_allclose(reloaded.transform(TEXTS).toarray(),
                               before.transform(TEXTS).toarray(), rtol=1e-6)
