"""Multinomial logistic regression on soft labels, fit on the items as they are.

The end model learns from probabilistic labels. Repeating every item once per class with
that class's probability as its weight turns them into hard labels a library solver takes,
but a multinomial solver then works on k times the rows, each with k scores: a ranking
fold of 16,000 texts with character grams took 8.4 s for 3 classes and 21.2 s for 5
against 1.6 s for 2. The loss of the repeated rows is a sum over each item's classes, so
it is the same function of the coefficients written per item with the probabilities as
targets: :func:`fit_multinomial` minimises that on the n x d matrix itself (3.4 s and 4.7 s;
``python benchmarks/multiclass_fit.py``, benchmarks/RESULTS.md, "Character grams and the
number of classes").

Items whose feature rows are the same (copies of a text, texts that differ only in what
the features leave out) are fit as one row with their targets summed
(:func:`merged_rows`): the objective is the same function, on fewer rows. On the 40,000
legal clauses of benchmarks/RESULTS.md ("Review ranking of a 40k project") a ranking
fold's 29,000 rows were 19,500 distinct ones.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning

#: conjugate-gradient steps per Newton step at most
CG_STEPS = 200
#: step halvings before a Newton step is given up (only rounding keeps the objective from
#: falling along a descent direction that long)
HALVINGS = 30


def merged_rows(X: sparse.csr_matrix, targets: np.ndarray
                ) -> tuple[sparse.csr_matrix, np.ndarray]:
    """The distinct rows of ``X`` (first occurrences, in order) and each one's summed
    ``targets``. Rows count as the same when their stored columns and values are, byte
    for byte, in stored order (copies of a text are made alike; two equal rows stored in
    another order are only kept apart, never wrongly merged). The softmax loss is linear
    in an item's targets for given features, so the merged rows have the same objective,
    the penalty's row count aside (:func:`fit_multinomial`'s ``rows``)."""
    X = X.tocsr()
    starts, ends = X.indptr[:-1], X.indptr[1:]
    columns, values = X.indices, X.data
    keys = [columns[a:b].tobytes() + b"|" + values[a:b].tobytes()
            for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    codes, distinct = pd.factorize(pd.Series(keys, dtype=object))
    if len(distinct) == X.shape[0]:
        return X, targets
    first = np.full(len(distinct), X.shape[0], dtype=np.int64)
    np.minimum.at(first, codes, np.arange(X.shape[0]))
    summed = np.zeros((len(distinct), targets.shape[1]))
    np.add.at(summed, codes, targets)
    return X[first], summed


def fit_multinomial(X: sparse.csr_matrix, targets: np.ndarray, *, C: float, tol: float,
                    max_iter: int = 200, merge: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (k x d) and intercepts (k) of a softmax model of ``X`` (n x d) fit to
    ``targets`` (n x k, non-negative: an item's weight times its class probabilities; each
    class with some weight).

    The objective is the one scikit-learn's ``LogisticRegression`` minimises on the items
    repeated once per class, a row for each non-zero target with that target as its sample
    weight, the weights scaled to mean 1::

        (1 / S) sum_i (t_i logsumexp(z_i) - targets_i . z_i) + |W|^2 / (2 C m)

    with ``z_i = W x_i + b``, ``t_i`` item i's total target, ``S`` all items' and ``m``
    the number of non-zero targets (the repeated rows); the intercepts are not penalised.
    It is solved by Newton steps, each found by conjugate gradients on exact Hessian-vector
    products and shortened until the objective falls, until no entry of the gradient
    exceeds ``tol`` (scikit-learn's newton-cg stops on the same). A ConvergenceWarning
    says when ``max_iter`` steps did not get there.

    ``merge``: fit rows with the same features once (:func:`merged_rows`); ``m`` stays
    the count of the rows as given. The result moves only by rounding (sums taken in
    another order), within the solver's tolerance.
    """
    rows = int(np.count_nonzero(targets))
    if merge:
        X, targets = merged_rows(X, targets)
    loss = _SoftmaxLoss(X, targets, C, rows=rows)
    theta = np.zeros(loss.size)
    value, gradient = loss.value_and_gradient(theta)
    for _ in range(max_iter):
        if np.abs(gradient).max() <= tol:
            break
        step = _newton_step(loss.hessp, gradient)
        moved = _shortened(loss, theta, step, value, gradient)
        if moved is None:  # rounding, not the model, is all that is left to fit
            break
        theta, value, gradient = moved
    else:
        warnings.warn(f"the soft-label multinomial fit stopped after {max_iter} Newton "
                      f"steps with a gradient entry of {np.abs(gradient).max():.2g} "
                      f"(tolerance {tol:g})", ConvergenceWarning, stacklevel=2)
    coef, intercept = loss.unpack(theta)
    return coef.T.copy(), intercept


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """``a . b`` without BLAS: a multi-threaded BLAS spends longer starting its threads
    than summing a vector of this size (5 ms against 30 us with two busy cores), and
    would sum in an order that depends on its thread count."""
    return float(np.sum(a * b))


def _newton_step(hessp: Callable[[np.ndarray], np.ndarray], gradient: np.ndarray
                 ) -> np.ndarray:
    """An approximate solution of ``H step = -gradient`` by conjugate gradients, stopped
    once the residual is small against the gradient (relative to its own size while that
    is large, so far Newton steps are cheap and near ones exact), at a direction without
    curvature, or after :data:`CG_STEPS`."""
    size = float(np.abs(gradient).sum())
    enough = min(0.5, np.sqrt(size)) * size
    step = np.zeros_like(gradient)
    residual = gradient.copy()
    direction = -residual
    squared = _dot(residual, residual)
    for _ in range(CG_STEPS):
        if np.abs(residual).sum() <= enough:
            break
        product = hessp(direction)
        curvature = _dot(direction, product)
        if curvature <= 16 * np.finfo(float).eps * _dot(direction, direction):
            if not step.any():  # the first direction: the gradient's own descent
                step = direction
            break
        alpha = squared / curvature
        step += alpha * direction
        residual += alpha * product
        squared, previous = _dot(residual, residual), squared
        direction = -residual + (squared / previous) * direction
    return step


def _shortened(loss: _SoftmaxLoss, theta: np.ndarray, step: np.ndarray, value: float,
               gradient: np.ndarray) -> tuple[np.ndarray, float, np.ndarray] | None:
    """The first of ``theta + step``, ``theta + step / 2``, ... whose objective falls by
    a part of what the gradient promises (the Armijo condition) with its value and
    gradient, or ``None`` when no step within :data:`HALVINGS` does."""
    slope = _dot(gradient, step)
    if slope >= 0:
        return None
    size = 1.0
    for _ in range(HALVINGS):
        moved = theta + size * step
        new_value, new_gradient = loss.value_and_gradient(moved)
        if new_value <= value + 1e-4 * size * slope:
            return moved, new_value, new_gradient
        size /= 2
    return None


class _SoftmaxLoss:
    """The objective of :func:`fit_multinomial`, its gradient and Hessian-vector products,
    over the parameters flattened as (W as d x k, then b). The products with ``X`` are in
    its float32, as the replicated fit's were; the sums over items in float64."""

    def __init__(self, X: sparse.csr_matrix, targets: np.ndarray, C: float, *,
                 rows: int | None = None) -> None:
        self.X = X.tocsr()
        self.targets = targets / targets.sum()
        self.item_total = self.targets.sum(axis=1, keepdims=True)
        # the repeated rows' count (``m``), of the items before any were merged
        self.penalty = 1.0 / (C * (np.count_nonzero(targets) if rows is None else rows))
        self.d, self.k = X.shape[1], targets.shape[1]
        self.size = self.d * self.k + self.k
        self._proba = np.empty(0)

    def unpack(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return theta[:-self.k].reshape(self.d, self.k), theta[-self.k:]

    def _scores(self, W: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.asarray(self.X @ W.astype(self.X.dtype), dtype=np.float64) + b

    def _back(self, R: np.ndarray, W: np.ndarray) -> np.ndarray:
        """The gradient (or Hessian product) from the per-item residuals ``R`` (n x k)
        and the penalised coefficients ``W``."""
        coef = np.asarray(self.X.T @ R.astype(self.X.dtype), dtype=np.float64)
        return np.concatenate([(coef + self.penalty * W).ravel(), R.sum(axis=0)])

    def value_and_gradient(self, theta: np.ndarray) -> tuple[float, np.ndarray]:
        """The objective and its gradient at ``theta``, which :meth:`hessp` then uses."""
        W, b = self.unpack(theta)
        Z = self._scores(W, b)
        top = Z.max(axis=1, keepdims=True)
        E = np.exp(Z - top)
        norm = E.sum(axis=1, keepdims=True)
        self._proba = E / norm
        value = (np.sum(self.item_total * (np.log(norm) + top)) - np.sum(self.targets * Z)
                 + 0.5 * self.penalty * np.sum(W * W))
        return float(value), self._back(self.item_total * self._proba - self.targets, W)

    def hessp(self, v: np.ndarray) -> np.ndarray:
        """The Hessian at the last :meth:`value_and_gradient` times ``v``: per item,
        ``t_i (diag(p) - p p^T) (V x_i + v_b)``, plus the penalty's part."""
        V, vb = self.unpack(v)
        Zv = self._scores(V, vb)
        P = self._proba
        return self._back(self.item_total * P * (Zv - np.sum(P * Zv, axis=1, keepdims=True)),
                          V)
