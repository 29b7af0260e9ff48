"""Out-of-fold end-model probabilities: every item scored by a model that never saw it.

The review ranking's ``end_model_disagrees`` signal (:mod:`labelwright.review.ranking.rank`).
The texts are tokenised once; each fold gets its own vocabulary and idf from the shared
term counts (:func:`fold_terms`) and scores its items a block of rows at a time: the same
probabilities as separate :class:`~labelwright.end_model.model.EndModel` fits per fold, at
a fraction of the cost.
Each fold's solver starts from zero, so nothing of an item's own label reaches its score.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.model_selection import KFold

from labelwright.apply.engines import default_workers
from labelwright.end_model.features import (
    READS,
    TOKEN_PATTERN,
    char_grams,
    joined_features,
    not_spaces,
    reader,
    uses_chars,
)
from labelwright.end_model.logistic import (
    check_probs,
    fit_logistic,
    labeled_rows,
    quiet_solver,
    softmax,
)
from labelwright.end_model.model import EndModel
from labelwright.end_model.term_counts import term_counts, texts_digest

#: each out-of-fold model learns from at most this many items (a seeded sample of its
#: fold's training items). With the penalty per item (REG_ITEMS), 50,000 caught as many
#: label errors as 200,000 on 100k and 500k generated tickets and on 300k replicated UCI
#: messages, in less time (100k tickets 11.7 s against 13.7 s, 500k 18 s against 193 s;
#: benchmarks/RESULTS.md, "Review ranking at scale")
FOLD_FIT_ROWS = 50_000


class FoldTerms(NamedTuple):
    """A fold's vocabulary (``keep``: the columns of the term counts kept) and idf, learned
    from its fit rows alone, and whether term frequencies are sublinear."""

    keep: np.ndarray
    idf: np.ndarray
    sublinear: bool

    def weigh(self, rows: sparse.csr_matrix) -> sparse.csr_matrix:
        """TF-IDF of term-count ``rows``, each row l2-normalised. Row by row: the rows of a
        block weigh as they do among all the rows."""
        X = rows[:, self.keep].tocsr()
        X.data = ((1 + np.log(X.data)) if self.sublinear else X.data) * self.idf[X.indices]
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        X = sparse.diags(1 / np.where(norms > 0, norms, 1), format="csr", dtype=np.float32) @ X
        return X.astype(np.float32)


def fold_terms(fit: sparse.csr_matrix, *, min_df: int, max_features: int,
               sublinear: bool = True) -> FoldTerms:
    """The vocabulary and idf of the fit rows of a term-count matrix (``fit``), as
    :meth:`EndModel.fit` on the fit rows' texts learns them (``sublinear``: 1 + log tf, as
    the word and character-gram models; the single characters of the fallback use raw
    counts)."""
    n_fit = fit.shape[0]
    df = np.bincount(fit.indices, minlength=fit.shape[1])
    keep = np.flatnonzero(df >= (min_df if n_fit >= 50 else 1))
    if keep.size == 0:  # no term in min_df items: keep the terms there are, as EndModel
        keep = np.flatnonzero(df >= 1)
    if keep.size > max_features:  # the most frequent terms, as TfidfVectorizer keeps
        total = np.asarray(fit[:, keep].sum(axis=0)).ravel()
        keep = np.sort(keep[np.argsort(-total, kind="stable")[:max_features]])
    idf = (np.log((1 + n_fit) / (1 + df[keep])) + 1).astype(np.float32)
    return FoldTerms(keep, idf, sublinear)


def fit_terms(blocks: Sequence[tuple[sparse.csr_matrix, int, bool]], fit_idx: np.ndarray, *,
              max_features: int) -> tuple[list[FoldTerms], sparse.csr_matrix]:
    """Each block of term counts' (counts, ``min_df``, sublinear) vocabulary and idf,
    learned from the rows ``fit_idx`` (a fold's model learns from those items alone), and
    the features of those rows in them: each block's rows are taken once (a copy of a
    fifth of its counts and more)."""
    fit_counts = [counts[fit_idx] for counts, _, _ in blocks]
    terms = [fold_terms(counts, min_df=min_df, max_features=max_features,
                        sublinear=sublinear)
             for counts, (_, min_df, sublinear) in zip(fit_counts, blocks)]
    return terms, weighed_features(terms, fit_counts)


def weighed_features(terms: Sequence[FoldTerms], counts: Sequence[sparse.csr_matrix]
                     ) -> sparse.csr_matrix:
    """The end model's features of rows whose term counts, a matrix for each block, are
    ``counts``, in a fold of ``terms``."""
    parts = [fold.weigh(rows) for fold, rows in zip(terms, counts)]
    return parts[0] if len(parts) == 1 else joined_features(parts[0], parts[1])


#: rows of a fold scored at a time: a fold's score rows are a fifth of the items, and their
#: TF-IDF (a few copies of their term counts while it is made) held at once cost some
#: 250 bytes an item at the review ranking's peak; the probabilities are the same
SCORE_ROWS = 20_000


class OutOfFold(NamedTuple):
    """What :func:`score_out_of_fold` gives."""

    #: end-model probabilities (n x k); ``1 / k`` on rows no model scored
    proba: np.ndarray
    #: rows a fold's model scored: false where there was nothing to learn from (fewer
    #: than 2 trainable items in all, or none outside the row's fold)
    scored: np.ndarray


def out_of_fold_proba(texts: Sequence[str], probs: np.ndarray, labels: Sequence[str], *,
                      train_mask: np.ndarray | None = None, n_splits: int = 5,
                      seed: int = 0, C: float = 4.0,
                      max_fit_rows: int | None = FOLD_FIT_ROWS,
                      keep: np.ndarray | None = None,
                      workers: int | None = None, features: str = "auto",
                      cache_dir: Path | None = None) -> np.ndarray:
    """:func:`score_out_of_fold`'s probabilities alone (rows no model scored hold
    ``1 / k``)."""
    return score_out_of_fold(texts, probs, labels, train_mask=train_mask, n_splits=n_splits,
                             seed=seed, C=C, max_fit_rows=max_fit_rows, keep=keep,
                             workers=workers, features=features, cache_dir=cache_dir).proba


def text_folds(texts: Sequence[str], n_splits: int, seed: int, *,
               groups: np.ndarray | None = None) -> np.ndarray:
    """Each item's fold: shuffled folds of the items (``seed``), then every item of a text
    that more items hold (:mod:`labelwright.copies`) moved to the fold of its first item, so
    no copy of an item's text is among the items its model learns from -- it would carry
    the item's own weak label (the same text, the same votes) into its score. Without
    copies these are the folds of a shuffled k-fold split. ``groups``: each item's text
    group as :func:`~labelwright.copies.find_copies` gives it, when the caller has it."""
    n = len(texts)
    fold_of = np.empty(n, dtype=np.int64)
    for fold, (_, score_idx) in enumerate(KFold(n_splits=n_splits, shuffle=True,
                                                random_state=seed).split(np.zeros(n))):
        fold_of[score_idx] = fold
    if groups is None:
        from labelwright.copies import find_copies

        groups = find_copies(texts).group
    has = np.flatnonzero(groups >= 0)  # an item alone in its group keeps its own fold
    _, first, inverse = np.unique(groups[has], return_index=True, return_inverse=True)
    fold_of[has] = fold_of[has[first]][inverse]
    return fold_of


def score_out_of_fold(texts: Sequence[str], probs: np.ndarray, labels: Sequence[str], *,
                      train_mask: np.ndarray | None = None, n_splits: int = 5,
                      seed: int = 0, C: float = 4.0,
                      max_fit_rows: int | None = FOLD_FIT_ROWS,
                      keep: np.ndarray | None = None,
                      workers: int | None = None, features: str = "auto",
                      cache_dir: Path | None = None,
                      groups: np.ndarray | None = None,
                      fold_done: Callable[[int, int], None] | None = None) -> OutOfFold:
    """End-model probabilities for every item from a model that never saw that item, and
    which items a model scored at all.

    Items are split into ``n_splits`` folds (shuffled with ``seed``; the items of one text in
    one fold, :func:`text_folds`); each fold is scored by
    an end model fit on the other folds' items where ``train_mask`` is true (default: all),
    at most ``max_fit_rows`` of them (a sample seeded with ``seed``; ``None``: all), always
    including the items where ``keep`` is true (e.g. reviewed labels): vocabulary, idf and
    logistic regression all come from those items only. The texts are tokenised once; each
    fold only re-weights the shared term counts.

    The folds are fit in ``workers`` threads at once (``None``: the usable cores; never
    more than those or than ``n_splits``); they share the term counts, and the result does
    not depend on ``workers``. ``features`` as for :class:`EndModel`, decided once on all
    the texts. Where no model could be fit (fewer than 2 items to learn from, or a fold
    whose other folds hold fewer than 2) the rows are not scored: ``scored`` is false there and
    ``proba`` a uniform placeholder, which says nothing about the items.

    ``groups``: each item's text group (:func:`text_folds`), when the caller found them.

    ``fold_done(advance, folds)``: hears ``(0, folds)`` once the folds are drawn, then
    ``(1, folds)`` as each fold's items are scored, in fold order (a long ranking's progress).

    ``cache_dir``: where the term counts of the texts are kept between calls
    (:mod:`labelwright.end_model.term_counts`; keyed on the texts and the vectorizer's
    settings, so the result is the same with or without it).
    """
    if max_fit_rows is not None and max_fit_rows < 1:
        raise ValueError(f"max_fit_rows must be >= 1 or None, got {max_fit_rows}")
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be >= 1 or None, got {workers}")
    n, k = len(texts), len(labels)
    probs = check_probs(probs, n, k)
    mask = np.ones(n, dtype=bool) if train_mask is None else np.asarray(train_mask, bool)
    usable = np.zeros(n, dtype=bool)
    usable[labeled_rows(probs)] = True
    mask = mask & usable
    out = np.full((n, k), 1.0 / k)
    scored = np.zeros(n, dtype=bool)
    if n < 2 or mask.sum() < 2:
        return OutOfFold(out, scored)
    template = EndModel(labels, C=C, features=features, random_state=seed)
    texts = list(texts)  # as written: the folds keep copies together as copies are found
    read = reader(READS)(texts)  # as EndModel reads them: the counts' key is of these
    # term counts per kind of feature (words, and maybe character grams), each with the
    # min_df and tf weighting EndModel gives it
    blocks: list[tuple[sparse.csr_matrix, int, bool]] = []
    digest = texts_digest(read) if cache_dir is not None else None
    try:
        blocks.append((term_counts(CountVectorizer(ngram_range=template.ngram_range,
                                                   lowercase=True, token_pattern=TOKEN_PATTERN,
                                                   dtype=np.float32),
                                   read, cache_dir=cache_dir, digest=digest),
                       template.min_df, True))
    except ValueError:  # empty vocabulary: every text is blank or one-letter words
        chars = CountVectorizer(analyzer="char", dtype=np.float32)
        counts = chars.fit_transform([t or " " for t in read]).tocsr()
        blocks.append((counts[:, not_spaces(chars.vocabulary_)], 1, False))
    else:
        if uses_chars(features, read, k):
            grams = reader(READS, "chars")(texts)  # as EndModel reads them for its grams
            blocks.append((term_counts(CountVectorizer(**char_grams(), dtype=np.float32),
                                       grams, cache_dir=cache_dir,
                                       digest=None if digest is None else texts_digest(grams)),
                           template.min_df, True))
    fold_of = text_folds(texts, min(n_splits, n), seed, groups=groups)
    rng = np.random.default_rng(seed)
    splits = []  # drawn in fold order, so the samples do not depend on the threads
    for fold in range(min(n_splits, n)):
        fit_idx, score_idx = np.flatnonzero(fold_of != fold), np.flatnonzero(fold_of == fold)
        if score_idx.size == 0:
            continue
        fit_idx = fit_idx[mask[fit_idx]]
        if fit_idx.size < 2:  # as for all items: a model of one item knows only its label
            continue
        if max_fit_rows is not None and fit_idx.size > max_fit_rows:
            kept = (np.zeros(fit_idx.size, dtype=bool) if keep is None
                    else np.asarray(keep, dtype=bool)[fit_idx])
            rest = fit_idx[~kept]
            room = max(max_fit_rows - int(kept.sum()), 0)
            fit_idx = np.sort(np.concatenate([fit_idx[kept],
                                              rng.choice(rest, min(room, rest.size),
                                                         replace=False)]))
        splits.append((fit_idx, score_idx))

    def score_fold(split: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        fit_idx, score_idx = split
        terms, features = fit_terms(blocks, fit_idx, max_features=template.max_features)
        coef, intercept = fit_logistic(features, probs[fit_idx], np.ones(fit_idx.size), C=C)
        del features
        proba = np.empty((score_idx.size, k))
        for start in range(0, score_idx.size, SCORE_ROWS):  # a block's rows at a time
            rows = score_idx[start:start + SCORE_ROWS]
            scored_rows = weighed_features(terms, [counts[rows] for counts, _, _ in blocks])
            proba[start:start + rows.size] = softmax(scored_rows @ coef.T + intercept)
        return proba

    cores = default_workers()  # more threads than cores would only hold more folds
    threads = min(workers or cores, cores, max(len(splits), 1))
    # scipy's sparse products release the GIL: two threads fit two folds in ~60% of the
    # time one takes (benchmarks/RESULTS.md, "Review ranking at scale")
    if fold_done is not None and splits:
        fold_done(0, len(splits))
    with quiet_solver(), ThreadPoolExecutor(threads) as pool:
        for (_, score_idx), fold_proba in zip(splits, pool.map(score_fold, splits)):
            out[score_idx] = fold_proba
            scored[score_idx] = True
            if fold_done is not None:
                fold_done(1, len(splits))
    return OutOfFold(out, scored)
