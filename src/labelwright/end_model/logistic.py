"""The end model's logistic regression on soft labels: the loss is the expected log loss of
each item's probabilistic label, solved by Newton steps (scikit-learn's newton-cg for two
classes, :mod:`labelwright.end_model.multinomial` for more)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from labelwright.end_model.multinomial import fit_multinomial

#: gradient tolerance of the logistic regression's solver
FIT_TOL = 1e-4


#: gradient tolerance of the soft-label solver of more than two classes
#: (:func:`~labelwright.end_model.multinomial.fit_multinomial`). Both solvers stop on the
#: largest gradient entry, which leaves the coefficients free along directions the penalty
#: barely bends: on one ranking fold of 16,000 five-label texts the soft-label solver
#: stopped at FIT_TOL ended further from the optimum than scikit-learn in 3 of 4 fits
#: (objective up to 1.1e-4 above it, probabilities up to 0.032 off, against 7e-6 and
#: 0.011); at a tenth of it its probabilities ended closer in all 4 (at most 0.008 off)
#: and its objective in 3 (benchmarks/RESULTS.md, "Character grams and the number of
#: classes"), for a Newton step or two more
MULTINOMIAL_TOL = FIT_TOL / 10


#: past this many items the logistic regression's ``C`` shrinks as 1 / items, so the
#: penalty's weight against each item's loss stays what it is at this size (see
#: :func:`fit_logistic`)
REG_ITEMS = 10_000


def check_probs(probs: np.ndarray, n: int, k: int) -> np.ndarray:
    probs = np.asarray(probs, dtype=np.float64)
    if probs.shape != (n, k):
        raise ValueError(f"probs must have shape (n_items, n_labels) = ({n}, {k}), "
                         f"got {probs.shape}")
    return probs


def labeled_rows(probs: np.ndarray) -> np.ndarray:
    """Indices of rows with a usable probabilistic label (finite, not all zero)."""
    return np.flatnonzero(np.isfinite(probs).all(axis=1) & (probs.sum(axis=1) > 0))


def softmax(z: Any) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@contextmanager
def quiet_solver() -> Iterator[None]:
    """Near the optimum, float32 features can leave newton-cg's line search nothing to
    gain, and it says so; the fit has converged (a ConvergenceWarning, if ``max_iter`` runs
    out, still shows). Entered by the thread that starts the fits: the filters are
    process-wide, and ``catch_warnings`` in several threads at once restores them wrongly."""
    with warnings.catch_warnings():
        for message in ("Rounding errors prevent the line search",
                        "The line search algorithm did not converge", "Line Search failed"):
            warnings.filterwarnings("ignore", message=message)
        yield


def fit_logistic(X: sparse.csr_matrix, p: np.ndarray, w: np.ndarray, *, C: float
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression on soft labels ``p`` (n x k): the expected log loss
    of each item's label, weighted by ``w`` (targets ``w * p[:, c]``; those of at most
    1e-6 left out). Returns ``(coef, intercept)`` with one row per class (classes absent
    from the labels get intercept -30).

    Two classes are fit by scikit-learn on the items repeated once per class
    (:func:`fit_replicated`), more by
    :func:`~labelwright.end_model.multinomial.fit_multinomial` on the items themselves (rows
    with the same features merged), the same objective at a fraction of the time
    (benchmarks/RESULTS.md, "Character grams and the number of classes").

    ``C`` applies up to :data:`REG_ITEMS` items and is scaled by ``REG_ITEMS / n`` past
    that. scikit-learn's penalty is fixed while the loss sums over items, so with a fixed
    ``C`` the penalty fades as items grow: on 100k templated support tickets the end model
    then learned the LFs' systematic errors as well as their right labels (the review
    ranking caught fewer of them: catch20 62.5 against 64.6 scaled) and the solver
    needed 22 Newton steps at 200k items (benchmarks/RESULTS.md, "Review ranking at
    scale"). Every WRENCH and UCI set measured fits under 10,000 items."""
    n, k = p.shape
    targets = p * w[:, None]
    targets[targets <= 1e-6] = 0.0
    present = np.flatnonzero(targets.any(axis=0))
    coef = np.zeros((k, X.shape[1]))
    intercept = np.full(k, -30.0)
    if present.size == 1:  # one class only: predict it
        intercept[present[0]] = 0.0
        return coef, intercept
    if X.shape[1] == 0:  # no term in these texts (an out-of-fold model's blank fold):
        share = targets.sum(axis=0)  # the class shares are all
        return coef, np.maximum(np.log(np.maximum(share / share.sum(), 1e-300)), -30.0)
    C = C * min(1.0, REG_ITEMS / n)
    if present.size == 2:
        coef[present], intercept[present] = fit_replicated(X, targets[:, present], C=C,
                                                            tol=FIT_TOL)
    else:
        coef[present], intercept[present] = fit_multinomial(X, targets[:, present], C=C,
                                                            tol=MULTINOMIAL_TOL)
    return coef, intercept


def fit_replicated(X: sparse.csr_matrix, targets: np.ndarray, *, C: float, tol: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's logistic regression on the items repeated once per class, each row
    weighted by its target (``targets``: n x k, every class with some weight; zeros left
    out), the weights scaled to mean 1. Coefficients k x d (two classes: ``[-w/2, w/2]``
    from scikit-learn's one weight vector) and intercepts k. More than two classes were fit
    this way before :func:`~labelwright.end_model.multinomial.fit_multinomial`;
    ``benchmarks/multiclass_fit.py`` times the two against each other."""
    n, k = targets.shape
    weights = targets.T.reshape(-1)
    use = weights > 0
    sw = weights[use]
    # newton-cg on float32 features: a few Newton steps reach the optimum that lbfgs
    # approaches in ~40 gradient steps (measured ~4x faster at 100k items). Tolerance
    # 1e-4 (scikit-learn's default) on the gradient: on near-separable text (templated
    # tickets, sharp labels) 1e-6 cost 5x the time (16 Newton steps against 7) for
    # probabilities that moved by at most 0.06 and the same predicted class for 99.99%
    # of items (benchmarks/RESULTS.md, "Review ranking at scale").
    lr = LogisticRegression(C=C, solver="newton-cg", max_iter=200, tol=tol)
    lr.fit(X[np.tile(np.arange(n), k)[use]], np.repeat(np.arange(k), n)[use],
           sample_weight=sw * (len(sw) / sw.sum()))
    if k == 2:
        half = lr.coef_[0] / 2, lr.intercept_[0] / 2
        return np.vstack([-half[0], half[0]]), np.array([-half[1], half[1]])
    return lr.coef_, lr.intercept_
