"""Each item's label and source as ``train`` writes them, decided apart from training."""

import numpy as np
import pandas as pd

from labelwright.end_model.item_labels import Predictions, item_labels


def test_a_review_then_the_run_then_the_end_model_above_its_floor_labels_an_item():
    frame = pd.DataFrame({"id": ["r", "m", "f", "b", "u"],
                          "label": ["a", "a", None, None, None],
                          "confidence": [0.6, 0.7, np.nan, np.nan, np.nan],
                          "label_source": ["model"] * 5})
    probs = np.array([[0.6, 0.4], [0.7, 0.3], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]])
    reviewed = np.array([1, -1, -1, -1, -1])
    predicted = Predictions(np.array([[0.2, 0.8], [0.9, 0.1], [0.1, 0.9], [0.55, 0.45],
                                      [0.5, 0.5]]),
                            np.array([1, 0, 1, 0, 0]),
                            np.array([True, True, True, True, False]), same_target=False)
    items = item_labels(frame, ("a", "b"), probs, reviewed, predicted, min_confidence=0.6)
    table = items.table
    assert table["label_source"].tolist() == ["review", "model", "end_model",
                                              "below_min_confidence", "none"]
    assert table["label"].tolist()[:3] == ["b", "a", "b"]
    assert table["label"].isna().tolist() == [False, False, False, True, True]
    assert table["confidence"].tolist()[:3] == [1.0, 0.7, 0.9]
    assert table["end_model_label"].tolist()[:4] == ["b", "a", "b", "a"]
    assert items.filled.tolist() == [False, False, True, False, False]
    assert items.below.tolist() == [False, False, False, True, False]
    assert items.unreadable.tolist() == [False, False, False, False, True]
