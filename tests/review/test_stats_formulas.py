"""The numpy forms of the review intervals and kappas give statsmodels' and
scikit-learn's numbers, which ``review stats`` used to import them for."""

import numpy as np
import pytest

from labelwright.review.stats import agreement, formulas

CASES = [(0, 1), (1, 1), (0, 7), (7, 7), (3, 10), (1, 2), (87, 87), (86, 87), (412, 1000),
         (2.5, 7.25), (0.0, 3.5), (13.75, 40.0)]


@pytest.mark.parametrize("alpha", [0.05, 0.10, 0.01])
def test_intervals_match_statsmodels(alpha):
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    for successes, n in CASES:
        for method, ours in (("wilson", formulas.wilson), ("beta", formulas.clopper_pearson)):
            if method == "wilson" and successes != int(successes):
                continue
            theirs = proportion.proportion_confint(successes, n, alpha=alpha, method=method)
            assert ours(successes, n, alpha) == pytest.approx(theirs, abs=1e-12, rel=0), \
                (method, successes, n)


def test_intervals_keep_their_exact_ends():
    assert agreement.wilson_interval(87, 87)[1] == 1.0
    assert agreement.exact_interval(0, 5)[0] == 0.0
    assert np.isnan(agreement.exact_interval(0, 0)).all()


def _count_tables(rng):
    for n_labels in (2, 3, 5):
        for m in (2, 3, 4):
            for items in (2, 5, 40):
                picks = rng.integers(0, n_labels, size=(items, m))
                yield np.stack([(picks == k).sum(axis=1) for k in range(n_labels)], axis=1)


def test_fleiss_matches_statsmodels():
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    for counts in _count_tables(np.random.default_rng(0)):
        kappa, used = agreement.fleiss_kappa(counts)
        assert used == len(counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            theirs = inter_rater.fleiss_kappa(counts, method="fleiss")
        assert kappa == pytest.approx(theirs, abs=1e-12, nan_ok=True)


def test_cohen_matches_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(1)
    for n_labels in (2, 3, 6):
        for items in (2, 9, 200):
            a = rng.integers(0, n_labels, size=items)
            b = np.where(rng.random(items) < 0.6, a, rng.integers(0, n_labels, size=items))
            if len(np.unique(a)) == 1 or len(np.unique(b)) == 1:
                continue
            theirs = metrics.cohen_kappa_score(a, b, labels=range(n_labels))
            assert formulas.cohen(a, b, n_labels) == pytest.approx(theirs, abs=1e-12)


def test_agreement_loads_neither_statsmodels_nor_scipy_stats():
    import subprocess
    import sys

    code = ("import sys; from labelwright.review.stats import agreement as a; import numpy as np;"
            "a.wilson_interval(3, 9); a.exact_interval(3, 9); a.fleiss_kappa(np.array([[2, 0], "
            "[1, 1], [0, 2]])); r = a.rating_table({'x': {'p': 'A', 'q': 'B'}, 'y': {'p': 'B',"
            " 'q': 'B'}, 'z': {'p': 'A', 'q': 'A'}}, ['A', 'B']); a.cohen_kappa_pairs(r);"
            "print(sorted(m for m in ('statsmodels', 'scipy.stats', 'sklearn') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
