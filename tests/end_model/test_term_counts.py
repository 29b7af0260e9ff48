"""The end model's term counts kept between runs (labelwright.end_model.term_counts)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer

import labelwright.end_model.term_counts as term_counts_module
from labelwright.end_model.out_of_fold import score_out_of_fold
from labelwright.end_model.term_counts import KEPT, term_counts, texts_digest

WORDS = ["refund", "invoice", "crash", "error", "login", "password", "charge", "bug",
         "billing", "screen", "page", "slow"]


def texts_of(rng: np.random.Generator, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS, size=int(rng.integers(2, 8)))) for _ in range(n)]


def counted(monkeypatch) -> list[int]:
    """Count the vectorizer fits from here on."""
    calls: list[int] = []
    fit_transform = CountVectorizer.fit_transform

    def counting(self, raw_documents, y=None):
        calls.append(len(raw_documents))
        return fit_transform(self, raw_documents, y)

    monkeypatch.setattr(CountVectorizer, "fit_transform", counting)
    return calls


@pytest.mark.parametrize("features", ["words", "words+chars"])
def test_scores_read_from_the_cache_are_those_computed(tmp_path, monkeypatch, features):
    rng = np.random.default_rng(3)
    texts = texts_of(rng, 240)
    probs = rng.dirichlet([1.0, 1.0], 240)
    fresh = score_out_of_fold(texts, probs, ["a", "b"], seed=1, features=features)
    calls = counted(monkeypatch)
    first = score_out_of_fold(texts, probs, ["a", "b"], seed=1, features=features,
                              cache_dir=tmp_path)
    fits = len(calls)
    assert fits == (2 if features == "words+chars" else 1)
    assert len(list(tmp_path.glob("*.npz"))) == fits
    # other labels, the same texts: the counts come from the cache, the scores are the same
    # as computed without it
    probs2 = rng.dirichlet([1.0, 1.0], 240)
    again = score_out_of_fold(texts, probs2, ["a", "b"], seed=1, features=features,
                              cache_dir=tmp_path)
    assert len(calls) == fits
    np.testing.assert_array_equal(first.proba, fresh.proba)
    np.testing.assert_array_equal(again.proba, score_out_of_fold(
        texts, probs2, ["a", "b"], seed=1, features=features).proba)


def test_other_texts_or_settings_are_counted_again(tmp_path, monkeypatch):
    calls = counted(monkeypatch)
    texts = ["refund my invoice", "the page crashes", "login error again"]
    words = term_counts(CountVectorizer(), texts, cache_dir=tmp_path)
    term_counts(CountVectorizer(), texts, cache_dir=tmp_path)
    assert len(calls) == 1
    # one text edited, texts joined otherwise, another setting: each its own entry
    edited = term_counts(CountVectorizer(), [*texts[:2], "login error"], cache_dir=tmp_path)
    term_counts(CountVectorizer(), ["refund my", "invoice the page crashes", texts[2]],
                cache_dir=tmp_path)
    bigrams = term_counts(CountVectorizer(ngram_range=(1, 2)), texts, cache_dir=tmp_path)
    assert len(calls) == 4
    assert edited.sum() == words.sum() - 1
    assert bigrams.shape[1] > words.shape[1]
    assert texts_digest(["ab", "c"]) != texts_digest(["a", "bc"])


def test_only_the_newest_entries_are_kept_and_a_damaged_one_is_counted_again(
        tmp_path, monkeypatch):
    for i in range(KEPT + 2):
        term_counts(CountVectorizer(), [f"text number {i}", "another text"], cache_dir=tmp_path)
    entries = list(tmp_path.glob("*.npz"))
    assert len(entries) == KEPT
    newest = max(entries, key=lambda p: p.stat().st_mtime_ns)
    newest.write_bytes(b"not a matrix")
    calls = counted(monkeypatch)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(term_counts_module.log, "warning", lambda *a, **k: None)
        counts = term_counts(CountVectorizer(), [f"text number {KEPT + 1}", "another text"],
                             cache_dir=tmp_path)
    assert calls == [2]
    assert counts.shape == (2, 3)  # "another", "number", "text"
    assert term_counts(CountVectorizer(), [f"text number {KEPT + 1}", "another text"],
                       cache_dir=tmp_path).toarray().tolist() == counts.toarray().tolist()
    assert calls == [2]
