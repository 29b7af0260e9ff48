"""The soft-label fit of more than two classes: the objective scikit-learn minimised on the
items repeated once per class, solved on the items themselves."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

import labelwright.end_model.logistic as end_model
from labelwright.end_model.logistic import FIT_TOL, fit_logistic, softmax
from labelwright.end_model.multinomial import _SoftmaxLoss, fit_multinomial, merged_rows


def soft_problem(seed: int, k: int, n: int = 300, d: int = 120
                 ) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """l2-normalised float32 rows (a few terms each, as TF-IDF), soft labels and item
    weights; from 5 classes on, class 0 has no weight at all and class 1 a tiny one (some
    of its targets under the 1e-6 that is left out)."""
    rng = np.random.default_rng(seed)
    X = normalize(sparse.random(n, d, density=0.05, random_state=rng, format="csr"))
    p = rng.dirichlet(np.full(k, 0.5), n)
    p[:, -1] += 2 * (X[:, : d // 4].sum(axis=1).A.ravel() > 0)  # something to learn
    p /= p.sum(axis=1, keepdims=True)
    if k >= 5:
        p[:, 0] = 0.0
        p[:, 1] = rng.choice([1e-7, 1e-4], n)
    return X.astype(np.float32), p, rng.uniform(0.2, 3.0, n)


def repeated_rows(p: np.ndarray, w: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item, class and sample weight (scaled to mean 1) of each repeated row, as the end
    model gave them to scikit-learn before the soft-label solver."""
    n, k = p.shape
    weights = p.T.reshape(-1) * np.tile(w, k)
    use = weights > 1e-6
    sw = weights[use]
    return np.tile(np.arange(n), k)[use], np.repeat(np.arange(k), n)[use], sw * (len(sw)
                                                                                / sw.sum())


def scikit_learn_fit(X, p, w, C, tol):
    """scikit-learn's newton-cg on the repeated rows to gradient tolerance ``tol``, the
    penalty scaled past REG_ITEMS, absent classes at intercept -30: with FIT_TOL, the fit
    as it was."""
    rows, y, sw = repeated_rows(p, w)
    lr = LogisticRegression(C=C * min(1.0, end_model.REG_ITEMS / len(p)), solver="newton-cg",
                            max_iter=200, tol=tol)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # float32 rounding ends its line search
        lr.fit(X[rows], y, sample_weight=sw)
    coef, intercept = np.zeros((p.shape[1], X.shape[1])), np.full(p.shape[1], -30.0)
    coef[lr.classes_], intercept[lr.classes_] = lr.coef_, lr.intercept_
    return coef, intercept


def objective_and_gradient(X, p, w, C, coef, intercept):
    """scikit-learn's objective on the repeated rows (mean weighted log loss + |W|^2 /
    (2 C sum of weights)) over the classes with weight, and its largest gradient entry."""
    rows, y, sw = repeated_rows(p, w)
    present = np.unique(y)
    y = np.searchsorted(present, y)
    C = C * min(1.0, end_model.REG_ITEMS / len(p))
    W, b = coef[present], intercept[present]
    Z = np.asarray(X[rows] @ W.T) + b
    P = softmax(Z)
    log_loss = np.log(np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1)) + Z.max(axis=1)
    log_loss -= Z[np.arange(len(y)), y]
    value = sw @ log_loss / sw.sum() + (W * W).sum() / (2 * C * sw.sum())
    residual = (P - np.eye(len(present))[y]) * sw[:, None] / sw.sum()
    gradient = np.concatenate([(np.asarray(X[rows].T @ residual).T + W / (C * sw.sum())).ravel(),
                               residual.sum(axis=0)])
    return value, np.abs(gradient).max()


@pytest.mark.parametrize("k, seed, reg_items", [(3, 0, 10_000), (3, 1, 100), (5, 2, 10_000),
                                                (5, 3, 100), (10, 4, 10_000)])
def test_more_than_two_classes_fit_scikit_learns_objective_on_the_items_themselves(
        monkeypatch, k, seed, reg_items):
    """The soft-label solver minimises what scikit-learn did on the rows repeated per
    class, more closely: it stops at a tenth of scikit-learn's gradient tolerance, its
    objective is no higher, and its probabilities are within 5e-4 of the optimum
    (scikit-learn run to 1e-10 on float64 features).

    Both stop on the largest gradient entry, which leaves the coefficients free along
    directions the penalty barely bends: stopped at FIT_TOL = 1e-4, scikit-learn's
    probabilities end up to 2.7e-3 from the optimum on these problems, the solver's at
    1e-5 up to 1.2e-4. So they are within 5e-3 of each other."""
    monkeypatch.setattr(end_model, "REG_ITEMS", reg_items)  # 100: C shrinks by 1 / 3
    X, p, w = soft_problem(seed, k)
    old = scikit_learn_fit(X, p, w, 4.0, FIT_TOL)
    exact = scikit_learn_fit(X.astype(np.float64), p, w, 4.0, 1e-10)
    new = fit_logistic(X, p, w, C=4.0)
    proba = softmax(X @ new[0].T + new[1])
    np.testing.assert_allclose(proba, softmax(X @ exact[0].T + exact[1]), atol=5e-4)
    np.testing.assert_allclose(proba, softmax(X @ old[0].T + old[1]), atol=5e-3)
    old_value, old_gradient = objective_and_gradient(X, p, w, 4.0, *old)
    new_value, new_gradient = objective_and_gradient(X, p, w, 4.0, *new)
    assert old_gradient <= FIT_TOL  # the gradient scikit-learn stops on, at its scale
    assert new_value <= old_value + 1e-9
    assert new_gradient <= FIT_TOL / 10
    if k >= 5:  # the class without weight: no coefficient, never predicted
        assert new[1][0] == -30.0 and not new[0][0].any()


def test_two_classes_stay_scikit_learns_binomial_fit():
    """Every two-class number measured (WRENCH, UCI) was made by scikit-learn's binomial
    fit on the repeated rows; it is kept bit for bit."""
    X, p, w = soft_problem(5, 2)
    rows, y, sw = repeated_rows(p, w)
    lr = LogisticRegression(C=4.0, solver="newton-cg", max_iter=200, tol=FIT_TOL)
    lr.fit(X[rows], y, sample_weight=sw)
    coef, intercept = fit_logistic(X, p, w, C=4.0)
    np.testing.assert_array_equal(coef, [-lr.coef_[0] / 2, lr.coef_[0] / 2])
    np.testing.assert_array_equal(intercept, [-lr.intercept_[0] / 2, lr.intercept_[0] / 2])


def test_a_fit_cut_short_says_so():
    X, p, w = soft_problem(6, 3)
    with pytest.warns(ConvergenceWarning, match="stopped after 1 Newton steps"):
        fit_multinomial(X, p * w[:, None], C=4.0, tol=1e-5, max_iter=1)


def test_merged_rows_sum_the_targets_of_rows_with_the_same_features() -> None:
    X = sparse.csr_matrix(np.array([[1, 0, 2], [0, 3, 0], [1, 0, 2], [0, 0, 0], [0, 0, 0]],
                                   dtype=np.float32))
    targets = np.arange(10, dtype=float).reshape(5, 2)
    merged, summed = merged_rows(X, targets)
    assert merged.toarray().tolist() == [[1, 0, 2], [0, 3, 0], [0, 0, 0]]
    assert summed.tolist() == [[0 + 4, 1 + 5], [2, 3], [6 + 8, 7 + 9]]


def test_merging_copies_fits_the_objective_of_the_rows_as_given() -> None:
    """Copies of rows fit once with their targets summed solve the same objective: the
    coefficients are those of the fit on every row, and the penalty still counts every
    row (counted on the merged rows it would be weaker and the coefficients larger)."""
    X, p, w = soft_problem(3, 4)
    copies = np.r_[np.arange(len(p)), np.arange(0, len(p), 3)]  # a third of items twice
    X, targets = X[copies], (p * w[:, None])[copies]
    merged = fit_multinomial(X, targets, C=4.0, tol=1e-8)
    apart = fit_multinomial(X, targets, C=4.0, tol=1e-8, merge=False)
    assert merged_rows(X, targets)[0].shape[0] == len(p)
    np.testing.assert_allclose(merged[0], apart[0], atol=1e-4)
    np.testing.assert_allclose(merged[1], apart[1], atol=1e-4)


def soft_problem_with_copies(seed: int, k: int
                             ) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    """:func:`soft_problem` with a third of its rows twice and a seventh three times, each
    copy with a soft label and a weight of its own (items of one text with other votes, one
    of them reviewed): rows the fit merges, with targets that differ."""
    X, p, w = soft_problem(seed, k)
    rng = np.random.default_rng(seed + 100)
    copies = np.r_[np.arange(0, len(p), 3), np.arange(0, len(p), 7), np.arange(0, len(p), 7)]
    labels = rng.dirichlet(np.full(k, 0.5), copies.size)
    if k >= 5:  # as soft_problem: class 0 without weight, class 1 with a tiny one
        labels[:, 0] = 0.0
        labels[:, 1] = rng.choice([1e-7, 1e-4], copies.size)
    return (sparse.vstack([X, X[copies]], format="csr"), np.r_[p, labels],
            np.r_[w, rng.uniform(0.2, 3.0, copies.size)])


@pytest.mark.parametrize("k", [3, 5])
def test_merged_rows_have_the_objective_of_every_row(k) -> None:
    """The merged rows' objective, gradient and Hessian products are those of the rows as
    given at any coefficients (not only at the optimum), with weighted, differing targets;
    counting the merged rows in the penalty instead of the given ones would not be."""
    X, p, w = soft_problem_with_copies(7, k)
    targets = p * w[:, None]
    targets[targets <= 1e-6] = 0.0  # as fit_logistic leaves them out
    present = np.flatnonzero(targets.any(axis=0))
    targets = targets[:, present]
    merged, summed = merged_rows(X, targets)
    assert merged.shape[0] < X.shape[0] and np.allclose(summed.sum(axis=0), targets.sum(axis=0))
    given = _SoftmaxLoss(X, targets, 4.0)
    fewer = _SoftmaxLoss(merged, summed, 4.0, rows=int(np.count_nonzero(targets)))
    miscounted = _SoftmaxLoss(merged, summed, 4.0)
    rng = np.random.default_rng(k)
    for _ in range(3):
        theta, v = rng.normal(size=given.size), rng.normal(size=given.size)
        value, gradient = given.value_and_gradient(theta)
        merged_value, merged_gradient = fewer.value_and_gradient(theta)
        assert merged_value == pytest.approx(value, rel=1e-9)
        np.testing.assert_allclose(merged_gradient, gradient, rtol=1e-5, atol=1e-9)
        np.testing.assert_allclose(fewer.hessp(v), given.hessp(v), rtol=1e-5, atol=1e-9)
        assert miscounted.value_and_gradient(theta)[0] != pytest.approx(value, rel=1e-6)


@pytest.mark.parametrize("k", [3, 5])
def test_a_fit_on_copies_minimises_the_objective_of_every_row(k) -> None:
    """Through fit_logistic, with weights, tiny targets left out and copies whose labels
    differ: scikit-learn's objective on every row repeated per class (no row merged) has
    the gradient the solver stops on at the merged fit's coefficients."""
    X, p, w = soft_problem_with_copies(8, k)
    assert merged_rows(X, p)[0].shape[0] < X.shape[0]
    coef, intercept = fit_logistic(X, p, w, C=4.0)
    _, gradient = objective_and_gradient(X, p, w, 4.0, coef, intercept)
    assert gradient <= FIT_TOL / 10
