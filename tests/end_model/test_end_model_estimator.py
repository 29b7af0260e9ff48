"""The end model as a scikit-learn estimator: a Pipeline step, cloned, cross-validated, fit
on one label per text. It had no get_params or __sklearn_tags__, so Pipeline.predict raised
AttributeError and clone / cross_val_score refused it, and fit(texts, y) with label names
said "could not convert string to float"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from labelwright.end_model.model import EndModel

TEXTS = ["refund now broken", "broken again refund", "late and broken", "love it great",
         "great fast love", "fast great service"] * 5
NAMES = ["neg", "neg", "neg", "pos", "pos", "pos"] * 5
PROBS = np.array([[1.0, 0.0] if n == "neg" else [0.0, 1.0] for n in NAMES])


def test_it_is_a_pipeline_step_and_clones_with_its_settings():
    pipe = make_pipeline(FunctionTransformer(lambda s: [t.lower() for t in s]),
                         EndModel(["neg", "pos"], C=2.0))
    pipe.fit(TEXTS, NAMES)
    assert pipe.predict(["BROKEN REFUND", "GREAT LOVE"]).tolist() == [0, 1]
    twin = clone(EndModel(["neg", "pos"], C=2.0, features="words"))
    assert twin.get_params()["C"] == 2.0 and twin.get_params()["features"] == "words"
    assert not hasattr(twin, "classes_") and not hasattr(twin, "coef_")
    assert repr(twin) == "EndModel(C=2.0, features='words', labels=('neg', 'pos'))"


@pytest.mark.parametrize("y", [NAMES, [0 if n == "neg" else 1 for n in NAMES],
                               pd.Series(NAMES, index=range(100, 130))],
                         ids=["names", "indices", "series"])
def test_one_label_per_text_fits_as_its_one_hot_probabilities(y):
    on_labels = EndModel(["neg", "pos"]).fit(TEXTS, y)
    on_probs = EndModel(["neg", "pos"]).fit(TEXTS, PROBS)
    np.testing.assert_allclose(on_labels.predict_proba(TEXTS), on_probs.predict_proba(TEXTS))
    assert on_labels.classes_.tolist() == [0, 1]
    assert on_labels.score(TEXTS, y) == 1.0


def test_texts_without_a_label_are_left_out_of_fit_and_score():
    y = pd.Series(NAMES, dtype=object)
    y[[0, 3]] = [None, np.nan]
    model = EndModel(["neg", "pos"]).fit(TEXTS, y)
    assert model.score(["broken refund", "love great", "x"], ["neg", "pos", None]) == 1.0
    kept = [i for i in range(len(TEXTS)) if i not in (0, 3)]
    without = EndModel(["neg", "pos"]).fit([TEXTS[i] for i in kept], PROBS[kept])
    np.testing.assert_allclose(model.predict_proba(TEXTS), without.predict_proba(TEXTS))


def test_a_label_that_is_not_one_is_named_with_its_position():
    with pytest.raises(ValueError, match=r"fit: y\[2\] is 'nuetral', not one of the labels "
                                         r"\('neg', 'pos'\)"):
        EndModel(["neg", "pos"]).fit(TEXTS, NAMES[:2] + ["nuetral"] + NAMES[3:])
    with pytest.raises(ValueError, match=r"fit: y has 3 labels for 30 texts"):
        EndModel(["neg", "pos"]).fit(TEXTS, NAMES[:3])
    with pytest.raises(ValueError, match=r"score: y\[0\] is 7, out of range"):
        EndModel(["neg", "pos"]).fit(TEXTS, NAMES).score(TEXTS[:1], [7])


def test_cross_val_score_runs_it_as_any_classifier():
    scores = cross_val_score(EndModel(["neg", "pos"]), TEXTS, NAMES, cv=3)
    assert scores.tolist() == [1.0, 1.0, 1.0]
