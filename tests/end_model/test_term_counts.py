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


def test_a_truncated_entry_is_counted_again(tmp_path, monkeypatch):
    """An entry cut short (a zip archive without its directory) is a miss, not a crash."""
    texts = ["refund my invoice", "the page crashes"]
    counts = term_counts(CountVectorizer(), texts, cache_dir=tmp_path)
    (entry,) = tmp_path.glob("*.npz")
    entry.write_bytes(entry.read_bytes()[:-100])
    calls = counted(monkeypatch)
    monkeypatch.setattr(term_counts_module.log, "warning", lambda *a, **k: None)
    again = term_counts(CountVectorizer(), texts, cache_dir=tmp_path)
    assert calls == [2]
    np.testing.assert_array_equal(again.toarray(), counts.toarray())


def test_a_re_run_reads_the_term_counts_and_ranks_as_a_run_without_the_cache(
        make_project, monkeypatch):
    """`labelwright run` keeps the counts in .labelwright/cache/term_counts; a re-run after an
    LF edit reads them (no counting) and writes the review queue a run without any cache
    writes, byte for byte but the run id."""
    from labelwright.project import run_project

    root = make_project()
    run_project(root, report=False)
    folder = root / ".labelwright" / "cache" / "term_counts"
    assert len(list(folder.glob("*.npz"))) >= 1
    lfs = root / "labeling_functions" / "tickets.py"
    lfs.write_text(lfs.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    calls = counted(monkeypatch)
    cached = run_project(root, report=False)
    assert calls == []
    monkeypatch.undo()
    fresh = run_project(root, report=False, cache=False)
    for name in ("review.csv", "review.jsonl", "labels.parquet"):
        assert ((cached.run_dir / name).read_bytes().replace(cached.run_id.encode(), b"R")
                == (fresh.run_dir / name).read_bytes().replace(fresh.run_id.encode(), b"R"))


def test_repeated_texts_are_counted_once_and_give_the_same_matrix():
    """A channel of reposted comments (20k rows, ~2.5k texts) spent 7 s counting the same
    texts again; each distinct text is counted once and its row repeated, bit for bit what
    counting every row gives."""

    from labelwright.end_model.features import char_grams

    base = ["free iphone click here", "love this song", "Free iPhone CLICK here!!", ""]
    texts = [base[i % 4] for i in (0, 1, 0, 0, 2, 3, 1, 0)]
    for make in (lambda: CountVectorizer(), lambda: CountVectorizer(**char_grams())):
        once, every = term_counts(make(), texts), make().fit_transform(texts).tocsr()
        assert once.shape == every.shape
        np.testing.assert_array_equal(once.toarray(), every.toarray())
        np.testing.assert_array_equal(once.indptr, every.indptr)
        np.testing.assert_array_equal(once.indices, every.indices)
    # a vectorizer that counts documents per term sees the repeats: no shortcut then
    limited = term_counts(CountVectorizer(min_df=3), texts)
    np.testing.assert_array_equal(limited.toarray(),
                                  CountVectorizer(min_df=3).fit_transform(texts).toarray())
