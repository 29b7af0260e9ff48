"""The default model fit without gold, only to estimate: a class balance from gold rows
(:class:`FitProba`, :func:`default_fit_proba`) or the learned accuracies a weighted
majority vote starts from (:func:`fitted_default_model`). Such a fit gives no warnings
of its own: the fit the user asked for does."""

from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from labelwright.models.base import LabelModel
from labelwright.models.fit_warnings import fit_warnings_left_to_caller
from labelwright.models.registry import default_model


class FitProba(Protocol):
    """``fit_proba(L, class_balance, also=None)``: the default model, fit without gold on
    ``L`` at that class balance, and its probabilities of ``L`` (then of the rows ``also``,
    when given: rows it predicts but is not fit on)."""

    def __call__(self, L: np.ndarray, balance: np.ndarray,
                 also: np.ndarray | None = None) -> np.ndarray: ...


def fitted_default_model(L: np.ndarray, cardinality: int, class_balance: np.ndarray | None,
                         *, random_state: int | None, tie_break: str,
                         **params: Any) -> LabelModel:
    """The default model fit on ``L`` without gold, at ``class_balance`` (None: its own),
    ``params`` over its defaults: a fit only to estimate, which gives no warnings of its
    own."""
    model = default_model(cardinality, random_state=random_state, tie_break=tie_break,
                          **params)
    with fit_warnings_left_to_caller():
        return model.fit(L, class_balance=class_balance)


def default_fit_proba(cardinality: int, random_state: int | None, tie_break: str, *,
                      max_iter: int | None = None) -> FitProba:
    """The :data:`FitProba` every class balance estimate from gold rows uses: the default
    model, fit without gold (:func:`fitted_default_model`); ``max_iter``: its EM rounds,
    when ``auto`` was given them (None: the model's own)."""
    params = {} if max_iter is None else {"max_iter": max_iter}

    def fit_proba(L: np.ndarray, balance: np.ndarray,
                  also: np.ndarray | None = None) -> np.ndarray:
        model = fitted_default_model(L, cardinality, balance, random_state=random_state,
                                     tie_break=tie_break, **params)
        return model.predict_proba(L if also is None else np.vstack([L, also]))

    return fit_proba
