"""The end model: a text classifier (TF-IDF + logistic regression) trained on probabilistic labels.

It learns from the words of the items (and, while they are few enough, their character
grams) rather than from the LF votes, so it generalises
beyond them: it labels items no LF covers, and where it disagrees with the label model the
label is worth a review (:mod:`labelwright.review.ranking.rank`).

Probabilistic labels are used as they are: the loss is the expected log loss of the soft
label. Items without a label (no vote: the label model only returns its class balance) are
left out of training. Features are float32; the logistic regression is solved by Newton
steps (scikit-learn's newton-cg for two classes, :mod:`labelwright.end_model.multinomial`
for more).

What it reads of a text is :mod:`labelwright.end_model.features`; its solver,
:mod:`labelwright.end_model.logistic`. :mod:`labelwright.end_model.out_of_fold` scores every
item with a model that never saw it (the review ranking's ``end_model_disagrees`` signal).

Saved models are a JSON document (no pickle) that
:mod:`~labelwright.end_model.model_document` draws, writes and checks as it reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer

from labelwright.end_model.features import (
    CHAR_SETTINGS,
    FEATURES,
    READS,
    TOKEN_PATTERN,
    char_vectorizer,
    fit_pruned,
    joined_features,
    reader,
    uses_chars,
    vocabulary_columns,
    without_whitespace,
)
from labelwright.end_model.logistic import (
    check_probs,
    fit_logistic,
    labeled_rows,
    quiet_solver,
    softmax,
)
from labelwright.end_model.model_document import FORMAT as FORMAT  # defined here before
from labelwright.end_model.model_document import FORMAT_VERSION as FORMAT_VERSION
from labelwright.end_model.model_document import READS_VERSIONS as READS_VERSIONS
from labelwright.end_model.model_document import (
    model_document,
    model_from_document,
)
from labelwright.end_model.model_document import read_document as read_document
from labelwright.end_model.model_document import write_document as write_document
from labelwright.end_model.targets import as_probs, class_targets
from labelwright.end_model.texts import checked_texts


class EndModel(ClassifierMixin, BaseEstimator):
    """TF-IDF (word 1-2 grams, and character 2-5 grams; sublinear tf) + logistic regression
    on probabilistic labels.

    Parameters
    ----------
    labels
        Class names, in the column order of the probabilistic labels.
    C
        Inverse regularisation strength of the logistic regression, for up to
        :data:`~labelwright.end_model.logistic.REG_ITEMS` items; fit on more, it is scaled by
        ``REG_ITEMS / items``.
    min_df
        Minimum number of items a term must appear in (1 on fewer than 50 items).
    max_features
        Largest vocabulary kept (most frequent terms), per kind of feature.
    features
        ``"words"``, ``"words+chars"`` (character 2-5 grams within words as well), or
        ``"auto"``: both while the training texts total at most
        :func:`~labelwright.end_model.features.char_budget`
        characters for these labels (see :data:`FEATURES`).
    random_state
        Seed (the Newton solvers are deterministic; kept for the estimator contract).

    Learned: ``vocabulary_`` (term -> column), ``idf_``, ``tfidf_`` (the settings the
    features were made with), ``chars_`` (the character grams' settings, vocabulary and
    idf, or ``None``), ``coef_`` (k x terms: words, then characters), ``intercept_`` (k).

    A scikit-learn estimator: ``get_params`` / ``set_params``, ``clone``, a step of a
    ``Pipeline`` (the texts are its ``X``), ``fit(texts, y)`` with one label per text,
    ``score`` and ``classes_`` (the class indices ``predict`` gives), so
    ``cross_val_score(EndModel(labels), texts, y)`` runs as for any classifier.
    """

    def __init__(self, labels: Sequence[str], *, C: float = 4.0, min_df: int = 2,
                 max_features: int = 200_000, ngram_range: tuple[int, int] = (1, 2),
                 features: str = "auto", random_state: int = 0) -> None:
        if features not in FEATURES:
            raise ValueError(f"features {features!r}; valid: {', '.join(FEATURES)}")
        self.labels = tuple(labels)
        self.C = C
        self.min_df = min_df
        self.max_features = max_features
        self.ngram_range = ngram_range
        self.features = features
        self.random_state = random_state
        self.chars_: dict[str, Any] | None = None
        self._chars: TfidfVectorizer | None = None
        # how the model reads a text before its features, reads_ (a loaded model: as fit)
        self._read_as(READS)

    def _read_as(self, reads: dict[str, Any]) -> None:
        """Read texts, before their features, as ``reads`` says (this labelwright's
        :data:`~labelwright.end_model.features.READS`, or a loaded model's, as it was fit);
        a ValueError, the model unchanged, when ``reads`` is not one this labelwright
        follows."""
        self._read, self._read_chars = reader(reads), reader(reads, "chars")
        self.reads_ = dict(reads)

    # -- fitting ---------------------------------------------------------------------------

    def _vectorizer(self, min_df: int) -> TfidfVectorizer:
        return TfidfVectorizer(ngram_range=self.ngram_range, sublinear_tf=True, lowercase=True,
                               token_pattern=TOKEN_PATTERN, dtype=np.float32, min_df=min_df,
                               max_features=self.max_features)

    def fit_features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Learn the vocabulary and idf of ``texts`` (no labels involved) and return their
        l2-normalised TF-IDF matrix (float32, n x vocabulary)."""
        self._read_as(READS)  # as this labelwright reads texts, whatever was loaded
        written = checked_texts(texts)
        texts = self._read(written)
        min_df = self.min_df if len(texts) >= 50 else 1
        self.chars_ = None
        self._chars = None
        try:
            vec, X = fit_pruned(self._vectorizer, texts, min_df)
        except ValueError:  # empty vocabulary: every text is blank or one-letter words
            vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 1), min_df=1,
                                  dtype=np.float32)
            vec.fit([t or " " for t in texts])
            vec = without_whitespace(vec)
            X = vec.transform(texts)  # as :meth:`transform` reads them, to the last bit
        else:
            if uses_chars(self.features, texts, len(self.labels)):
                chars, X_chars = fit_pruned(
                    lambda df: char_vectorizer(df, self.max_features),
                    self._read_chars(written), min_df)
                X = joined_features(X, X_chars)
                self.chars_ = {**CHAR_SETTINGS,
                               "vocabulary": vocabulary_columns(chars.vocabulary_),
                               "idf": np.asarray(chars.idf_, dtype=np.float64)}
                self._chars = chars
        self.vocabulary_ = vocabulary_columns(vec.vocabulary_)
        self.idf_ = np.asarray(vec.idf_, dtype=np.float64)
        self.tfidf_ = {"analyzer": vec.analyzer, "ngram_range": list(vec.ngram_range),
                       "sublinear_tf": vec.sublinear_tf, "lowercase": vec.lowercase,
                       "token_pattern": vec.token_pattern}
        self._tfidf = vec
        return X.tocsr()

    def fit(self, texts: Sequence[str], probs: Any, *,
            weights: np.ndarray | None = None) -> Self:
        """Learn from ``texts`` and their probabilistic labels ``probs`` (n x k), or one
        label per text, as scikit-learn's ``fit(X, y)`` takes it: label names or class
        indices (``None``, NaN or -1 for a text without one, left out).

        ``texts``, here and in every method that reads texts, is a list (or a pandas
        Series, read by position) of strings; a missing text (``None``, NaN) is read as
        ``""``, as a project's dataset reads it, and one bare string, or a value that is
        no text, is a TypeError (:mod:`~labelwright.end_model.texts`).

        Rows whose probabilities are all zero or NaN are skipped. ``weights`` (n) scales each
        item's contribution (e.g. higher for reviewed labels).
        """
        texts = checked_texts(texts)
        self._fit(texts, as_probs(probs, len(texts), self.labels), weights)
        return self

    def fit_transform(self, texts: Sequence[str], probs: np.ndarray, *,
                      weights: np.ndarray | None = None) -> sparse.csr_matrix:
        """:meth:`fit`, then :meth:`transform` of ``texts``: the rows it learned from keep
        the features it fit on, so their texts are read once (on a million items reading
        them is most of ``labelwright train``'s time)."""
        texts = checked_texts(texts)
        keep, X = self._fit(texts, as_probs(probs, len(texts), self.labels), weights)
        rest = np.setdiff1d(np.arange(len(texts)), keep)
        if rest.size:
            stacked = sparse.vstack([X, self.transform([texts[int(i)] for i in rest])],
                                    format="csr")
            # row p of the stack is item (keep, rest)[p]: the inverse permutation puts
            # each item in its place
            X = stacked[np.argsort(np.concatenate([keep, rest]))]
        # fitting leaves a row's columns unsorted; sorted, as transform gives them, every
        # prediction sums in the same order, to the last bit
        X.sort_indices()
        return X

    def _fit(self, texts: list[str], probs: np.ndarray, weights: np.ndarray | None
             ) -> tuple[np.ndarray, sparse.csr_matrix]:
        """Fit on the rows of ``texts`` with a label; those rows (positions) and their
        features. ``texts`` is a list: a pandas Series would be read by its index."""
        probs = check_probs(probs, len(texts), len(self.labels))
        keep = labeled_rows(probs)
        if keep.size == 0:
            raise ValueError("the end model needs at least one item with a label; got none")
        X = self.fit_features([texts[int(i)] for i in keep])
        w = np.ones(len(keep)) if weights is None else np.asarray(weights, float)[keep]
        with quiet_solver():
            self.coef_, self.intercept_ = fit_logistic(X, probs[keep], w, C=self.C)
        return keep, X

    # -- prediction ------------------------------------------------------------------------

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The l2-normalised TF-IDF matrix of ``texts`` (n x vocabulary); ``texts`` as
        :meth:`fit` takes them (a list, never one bare string)."""
        self._check_fitted()
        if not hasattr(self, "_tfidf"):  # a loaded model: built once, from what it saved
            settings = {**self.tfidf_, "ngram_range": tuple(self.tfidf_["ngram_range"])}
            vec = TfidfVectorizer(**settings, vocabulary=self.vocabulary_, dtype=np.float64)
            vec.idf_ = self.idf_
            chars = None
            if self.chars_ is not None:
                chars = char_vectorizer(1, None, vocabulary=self.chars_["vocabulary"])
                chars.idf_ = self.chars_["idf"]
            self._chars = chars  # before _tfidf: another thread may go on once it is set
            self._tfidf = vec
        texts = checked_texts(texts)
        if not texts:  # scikit-learn refuses an empty batch; no texts have no features
            return sparse.csr_matrix((0, self.coef_.shape[1]))
        X = self._tfidf.transform(self._read(texts))
        if self._chars is None:
            return X
        return joined_features(X, self._chars.transform(self._read_chars(texts)))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities (n x k), columns in ``labels`` order, of ``texts`` (a list
        of strings, as :meth:`fit` takes them: ``predict_proba([text])`` for one). A text
        with no feature the model learned (empty, digits or words it never saw) gets the
        intercept's probabilities, the same row for every such text: :meth:`readable`
        says which texts are so."""
        return self.predict_proba_features(self.transform(texts))

    def readable(self, texts: Sequence[str]) -> np.ndarray:
        """A bool per text of ``texts``: whether it holds a word (or character gram) the
        model learned. Where it is False, :meth:`predict` and :meth:`predict_proba` give
        the same class whatever the text (the intercept's), a guess, not a reading:
        ``labelwright train`` leaves such items unlabeled, and so can a caller,
        ``np.where(model.readable(texts), model.predict(texts), -1)``."""
        return self.readable_features(self.transform(texts))

    @staticmethod
    def readable_features(X: sparse.csr_matrix) -> np.ndarray:
        """:meth:`readable` of texts already turned into features (:meth:`transform`)."""
        X = sparse.csr_matrix(X)
        return np.asarray(X.getnnz(axis=1) > 0, dtype=bool).reshape(-1)

    def predict_proba_features(self, X: sparse.csr_matrix) -> np.ndarray:
        """:meth:`predict_proba` of texts already turned into features (:meth:`transform`)."""
        return softmax(X @ self.coef_.T + self.intercept_)

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        """The most probable class index per text of ``texts`` (a list, as :meth:`fit`
        takes them: ``predict([text])`` for one); ``labels[i]`` names index ``i``. A text
        the model cannot read gets the intercept's class: see :meth:`readable`."""
        return self.predict_proba(texts).argmax(axis=1)

    def predict_frame(self, texts: Sequence[str]) -> pd.DataFrame:
        """:meth:`predict_proba` and :meth:`predict` as one DataFrame, one row per text: a
        probability column per label (named by it, in ``labels`` order), then ``label``
        (its name), ``confidence`` (its probability) and ``readable`` (:meth:`readable`;
        ``frame["label"].where(frame["readable"])`` leaves the guesses out, as ``train``
        does), the columns a label model's ``predict_frame`` has. The rows keep the index
        of a pandas Series of texts (``model.predict_frame(df["text"])`` lines up with
        ``df``), else are numbered."""
        from labelwright.models.label_frame import check_frame_labels

        check_frame_labels(self.labels)
        X = self.transform(texts)
        probs = self.predict_proba_features(X)
        index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(len(probs))
        out = pd.DataFrame(probs, columns=list(self.labels), index=index)
        best = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=int)
        out["label"] = pd.Series(np.asarray(self.labels, dtype=object)[best], index=index,
                                 dtype=object)
        out["confidence"] = probs[np.arange(len(probs)), best]
        out["readable"] = self.readable_features(X)
        return out

    def score(self, texts: Sequence[str], y: Any, sample_weight: Any = None) -> float:
        """The accuracy of :meth:`predict` on the texts whose label ``y`` gives (label
        names or class indices; ``None``, NaN or -1 where there is none, left out), as
        scikit-learn's ``score(X, y)``: what ``cross_val_score`` reads by default."""
        gold = class_targets(y, self.labels, "score")
        known = gold >= 0
        if not known.any():
            raise ValueError("score: y gives no label for any text")
        right = (self.predict(texts) == gold)[known]
        weight = None if sample_weight is None else np.asarray(sample_weight, float)[known]
        return float(np.average(right, weights=weight))

    @property
    def classes_(self) -> np.ndarray:
        """The class indices ``0..k-1`` :meth:`predict` gives (``labels[i]`` names ``i``)
        and :meth:`predict_proba`'s columns follow: scikit-learn's classifier attribute."""
        if not hasattr(self, "coef_"):  # hasattr(model, "classes_") asks: False, unfitted
            raise AttributeError("EndModel is not fitted, so has no classes_ yet")
        return np.arange(len(self.labels))

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "coef_")

    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise RuntimeError("EndModel is not fitted; call fit(texts, probs) first")

    # -- save / load -----------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The model's JSON document
        (:func:`~labelwright.end_model.model_document.model_document`)."""
        self._check_fitted()
        return model_document(self)

    def save(self, path: str | Path, *, training: dict[str, Any] | None = None) -> Path:
        """Write the model as JSON (:mod:`~labelwright.end_model.model_document`);
        ``training``, what it was trained on (``labelwright train`` records the run, data
        and review ledger), is kept under that key for provenance and not read back."""
        return write_document(self.document(training), Path(path))

    def document(self, training: dict[str, Any] | None = None) -> dict[str, Any]:
        """What :meth:`save` writes: :meth:`to_dict`, with ``training`` when given."""
        return self.to_dict() | ({"training": training} if training is not None else {})

    @classmethod
    def from_dict(cls, doc: Any, *, source: str = "<dict>") -> EndModel:
        """A model from a document written by :meth:`to_dict`; a ValueError naming
        ``source`` when it is not one (another format or version, a missing field, shapes
        that do not fit together, values that are not finite)."""
        return model_from_document(cls, doc, source)

    @classmethod
    def load(cls, path: str | Path) -> EndModel:
        """Read a model written by :meth:`save` (a ValueError naming the file when it is
        not one)."""
        return cls.from_dict(read_document(Path(path)), source=str(path))
