"""The label model contract shared by every model: fit and predict.

A *label model* turns a label matrix ``L`` (``n_items x n_lfs`` ints, ``-1`` = abstain,
``0..cardinality-1`` = a vote) into probabilistic labels. Every model follows
scikit-learn's estimator contract: ``__init__`` only stores hyperparameters, ``fit`` returns
``self``, learned attributes end in ``_`` and ``random_state`` becomes a
:class:`numpy.random.Generator` inside ``fit`` (never a global seed). Its hyperparameters
are listed and checked by :mod:`labelwright.models.param_checks`, its inputs by
:mod:`labelwright.models.inputs`, ties broken by :mod:`labelwright.models.ties`, and it is
saved and loaded by :mod:`labelwright.models.saved_model` as the JSON document
:mod:`labelwright.models.document` describes.
"""

from __future__ import annotations

import importlib
import random
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from labelwright.matrix import LabelMatrix
from labelwright.models.fit_warnings import (  # defined here before: imports from here too
    fit_warnings_left_to_caller as fit_warnings_left_to_caller,
)
from labelwright.models.fit_warnings import fit_warnings_wanted
from labelwright.models.gold_mix import GoldMixWarning, gold_mix_warning
from labelwright.models.input_warnings import fit_caller_stacklevel
from labelwright.models.inputs import (
    check_class_balance,
    check_label_matrix,
    check_y_dev,
    named_gold,
)
from labelwright.models.label_frame import label_frame
from labelwright.models.learned_fields import Field
from labelwright.models.model_output import probabilities, who
from labelwright.models.overridden_methods import CHECKED, checked_override
from labelwright.models.own_code import (
    check_fitted_fields,
    check_settings_stored,
    model_method,
    own_class,
    read_only,
)
from labelwright.models.saved_model import SavedModel
from labelwright.models.snorkel_habits import keyword_hints
from labelwright.models.ties import break_ties
from labelwright.models.unvoted_classes import (
    NoVotesWarning,
    UnvotedClassWarning,
    no_votes_warning,
    unvoted_classes_warning,
)


class NotFittedError(RuntimeError):
    """A label model was used before :meth:`LabelModel.fit`."""


@contextmanager
def global_random_kept() -> Iterator[None]:
    """Python's and numpy's global random states as they were before: a first import of
    snorkel draws from numpy's, of some scikit-learn modules (``sklearn.metrics``, which
    ``model_selection`` and ``isotonic`` import) from Python's, and snorkel's fit seeds
    both; a label model's ``random_state`` must be the only randomness it touches."""
    py_state, np_state = random.getstate(), np.random.get_state()
    try:
        yield
    finally:
        random.setstate(py_state)
        np.random.set_state(np_state)


#: gold votes an LF (or one of its votes) needs before they can show it voting against
#: its own class: ``dawid_skene`` lifts ``monotone`` for it, ``weighted_majority`` lets
#: its weight go below 0
MIN_GOLD_VOTES = 5


#: the methods whose unknown keywords get a hint (:func:`keyword_hints`): snorkel's
#: LabelModel takes its settings in fit and its tie policy in predict
_HINTED = ("fit", "predict", "predict_proba")


class LabelModel(SavedModel):
    """Base class of every label model.

    Subclasses set ``name``, list their learned attributes in ``learned_fields``, take
    hyperparameters as keyword arguments of ``__init__`` (stored unchanged under the same
    name) and implement ``_fit`` and ``_predict_proba``. Hyperparameters are listed and
    checked as :class:`~labelwright.models.param_checks.ParamChecks` does, and a fitted
    model saved and loaded as :class:`~labelwright.models.saved_model.SavedModel` does.
    """

    name: ClassVar[str] = "base"
    #: every model learns a class balance (the other class attributes a saved model is
    #: read by: :class:`~labelwright.models.saved_model.SavedModel`)
    learned_fields: ClassVar[dict[str, Field]] = {
        "class_balance_": Field("distribution", ("k",))}
    #: modules ``fit`` imports on first use, because they take seconds to import
    #: (scikit-learn's, for ``auto``) and most runs never need them; :meth:`prepare`
    #: imports them ahead
    fit_imports: ClassVar[tuple[str, ...]] = ()
    class_balance_: np.ndarray  # set by fit (an annotation only: unfitted models lack it)
    #: set by a project's fit (:func:`~labelwright.models.configured.fit_label_model`), not
    #: by ``fit``, and not saved with the model: where the class balance came from, in
    #: words (None: not from reviewed labels), and the reviewed labels' random-sample check
    #: (:func:`~labelwright.models.gold_use.reviewed_class_balance`; ``auto`` learns its own)
    class_balance_note_: str | None
    gold_sample_: dict[str, Any] | None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)  # learned_attributes: SavedModel's
        for name in _HINTED:  # an override says what a snorkel keyword means, as ours do
            if name in cls.__dict__:
                setattr(cls, name, keyword_hints(cls.__dict__[name]))
        if own_class(cls):  # the user's fit returns self, predict_proba probabilities
            for name in CHECKED:
                if name in cls.__dict__:
                    setattr(cls, name, checked_override(name, cls.__dict__[name]))

    def __init__(self, cardinality: int = 2, *, random_state: int | None = 0,
                 tie_break: str = "random") -> None:
        self.cardinality = cardinality
        self.random_state = random_state
        self.tie_break = tie_break

    def prepare(self) -> Self:
        """Import the modules ``fit`` would import on first use (:attr:`fit_imports`), so
        that a caller timing ``fit`` (``labelwright bench``) times the fit, not the imports.
        Global random states are kept, as ``fit`` keeps them."""
        with global_random_kept():
            for module in self.fit_imports:
                importlib.import_module(module)
        return self

    # -- fit / predict -------------------------------------------------------------------
    @keyword_hints
    def fit(self, L: Any, *, y_dev: Any = None, class_balance: Any = None) -> Self:
        """Learn from label matrix ``L``; ``y_dev`` gives gold class indices (-1 = none),
        or label names (None or NaN for none) when ``L`` is a
        :class:`~labelwright.matrix.LabelMatrix`, which names the labels.
        ``class_balance``: the class prior, one share per class in order, or a mapping by
        label name when ``L`` is a :class:`~labelwright.matrix.LabelMatrix`, which names
        the labels (``{"spam": 0.1, "ham": 0.9}``, as ``[label_model] class_balance``)."""
        if own_class(type(self)):  # a class made directly, not by get_model, which checks
            check_settings_stored(self, who(self))
        self.check_params()
        named = tuple(L.labels) if isinstance(L, LabelMatrix) and L.labels else ()
        y_dev = named_gold(y_dev, L, "y_dev", "fit")
        L = check_label_matrix(L, self.cardinality)
        y = check_y_dev(y_dev, L.shape[0], self.cardinality)
        prior = check_class_balance(class_balance, self.cardinality, named)
        self.n_lfs_ = L.shape[1]
        try:
            with model_method(self, "_fit"):  # the caller's arrays: read-only, not copied
                self._fit(read_only(L), None if y is None else read_only(y), prior,
                          np.random.default_rng(self.random_state))
            check_fitted_fields(self)
        except BaseException:
            del self.n_lfs_  # not fitted: predict says so, not what a half-done fit left
            raise
        if fit_warnings_wanted():
            self._warn_of_inputs(L, y, prior, named)
        return self

    def _warn_of_inputs(self, L: np.ndarray, y: np.ndarray | None, prior: np.ndarray | None,
                        labels: tuple[str, ...]) -> None:
        """Python warnings of what the fit was given (a project's run and the bench say the
        same in their own warnings): classes no LF votes for, a class balance taken from
        gold rows of a skewed mix."""
        level = fit_caller_stacklevel(self, LabelModel)
        silent = no_votes_warning(L)
        if silent:
            warnings.warn(silent, NoVotesWarning, stacklevel=level)
        unvoted = unvoted_classes_warning(L, self.cardinality, labels)
        if unvoted:
            warnings.warn(unvoted, UnvotedClassWarning, stacklevel=level)
        said = gold_mix_warning(L, y, self.class_balance_, labels) if prior is None else None
        if said:
            warnings.warn(said, GoldMixWarning, stacklevel=level)

    # -- scikit-learn's learned attributes and score -----------------------------------
    @property
    def classes_(self) -> np.ndarray:
        """The classes ``predict`` gives and ``predict_proba``'s columns follow, in order:
        ``0..cardinality-1`` (scikit-learn's learned attribute; derived, not saved). An
        AttributeError before ``fit``, as scikit-learn's ``check_is_fitted`` expects."""
        self._require_fitted("classes_")
        return np.arange(self.cardinality)

    @property
    def n_features_in_(self) -> int:
        """The number of LFs (columns of ``L``) the model was fit on: ``n_lfs_`` by
        scikit-learn's name. An AttributeError before ``fit``."""
        self._require_fitted("n_features_in_")
        return int(self.n_lfs_)

    def _require_fitted(self, name: str) -> None:
        if "n_lfs_" not in vars(self):
            raise AttributeError(f"label model {self.name!r} has no {name} before it is fit; "
                                 "call fit(L) first")

    def score(self, L: Any, y: Any, *, row_ids: Any = None) -> float:
        """Accuracy of :meth:`predict` against ``y`` (a class index per row of ``L``, or a
        label name when ``L`` is a :class:`~labelwright.matrix.LabelMatrix`), as
        scikit-learn's classifiers score: the share of rows labelled ``y``; rows whose ``y``
        is -1 (no gold label) are left out, and a row ``predict`` leaves at -1
        (``tie_break="abstain"``) counts as wrong. ``row_ids``: as :meth:`predict`'s, so
        ``tie_break="random"`` breaks ties by the items' id numbers, as a run does, and
        scores the labels the run gave (by row position it flips other coins)."""
        if y is None:
            raise ValueError("score: y is None; give a class index per row of L (-1: no "
                             "gold label)")
        predicted = self.predict(L, row_ids=row_ids)
        gold = check_y_dev(named_gold(y, L, "y", "score"), len(predicted), self.cardinality,
                           "y")
        assert gold is not None  # check_y_dev returns an array for a y that is not None
        known = gold >= 0
        if not known.any():
            raise ValueError("score: every y is -1 (no gold label): nothing to score")
        return float(np.mean(predicted[known] == gold[known]))

    @keyword_hints
    def predict_proba(self, L: Any) -> np.ndarray:
        """Probabilistic labels: float64 ``(n_items, cardinality)``, rows sum to 1.

        Items on which every LF abstains get the class prior ``class_balance_``. What
        ``_predict_proba`` returns is checked (shape, finite, >= 0: a
        :class:`~labelwright.models.model_output.ModelContractError` naming the model) and
        each row divided by its sum.
        """
        self._check_fitted()
        L = check_label_matrix(L, self.cardinality)
        if L.shape[1] != self.n_lfs_:
            raise ValueError(f"label matrix has {L.shape[1]} LFs; "
                             f"the model was fit on {self.n_lfs_}")
        with model_method(self, "_predict_proba"):
            scores = self._predict_proba(read_only(L))
        return probabilities(self, scores, L.shape[0])

    def learned_accuracies(self) -> np.ndarray | None:
        """Per LF, the accuracy the fit learned for it: P(its vote is right | it votes),
        float64 ``(n_lfs,)``; None for a model that learns none (``majority``). Models that
        learn one accuracy per LF keep it as ``accuracies_`` and need nothing more; others
        derive it from what they learned (``snorkel``, from ``mu_``)."""
        self._check_fitted()
        values = getattr(self, "accuracies_", None)
        return None if values is None else np.asarray(values, dtype=np.float64)

    @keyword_hints
    def predict(self, L: Any, *, row_ids: Any = None) -> np.ndarray:
        """Class index per item (int64); ties broken by ``tie_break`` (-1 for "abstain").
        ``row_ids``: a number per row that ``"random"`` flips its coin by instead of the
        row's position (:func:`~labelwright.models.ties.id_numbers` of the items' ids:
        the same labels whatever the rows' order)."""
        return break_ties(self.predict_proba(L), self.tie_break, self._seed(), row_ids)

    def predict_frame(self, L: Any) -> pd.DataFrame:
        """:meth:`predict_proba` and :meth:`predict` as one DataFrame, one row per item: a
        probability column per label, then ``label`` and ``confidence`` (its probability;
        0.0 where :meth:`predict` gives none). For ``L`` a
        :class:`~labelwright.matrix.LabelMatrix` (``applied.matrix``) the columns are its
        labels and the rows are indexed by its item ids, as a run's ``result.frame()`` is
        (:func:`~labelwright.models.label_frame.label_frame`). The probabilities are computed
        once: :meth:`predict` breaks ties in them, unless the class decides otherwise
        (``auto``, a model of your own that overrides :meth:`predict`), which is asked."""
        probs = self.predict_proba(L)
        if type(self).predict is LabelModel.predict:  # its labels: ties broken in probs
            predicted = break_ties(probs, self.tie_break, self._seed(), None)
        else:
            predicted = self.predict(L)
        return label_frame(probs, predicted, L)

    def _seed(self) -> int:
        """``random_state`` as an int seed (0 when None), below 2**32 as scikit-learn's
        splitters need it."""
        return 0 if self.random_state is None else int(self.random_state) % 2**32

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_lfs_"):
            raise NotFittedError(f"label model {self.name!r} is not fitted; call fit(L) first")
        fitted = np.shape(getattr(self, "class_balance_", ()))
        if fitted and fitted[0] != self.cardinality:
            raise NotFittedError(f"label model {self.name!r} was fit with {fitted[0]} classes "
                                 f"and now has cardinality {self.cardinality}; fit it again")

    def _fit(self, L: np.ndarray, y_dev: np.ndarray | None, class_balance: np.ndarray | None,
             rng: np.random.Generator) -> None:
        raise NotImplementedError

    def _predict_proba(self, L: np.ndarray) -> np.ndarray:
        raise NotImplementedError
