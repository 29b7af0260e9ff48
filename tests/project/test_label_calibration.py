"""What a label's confidence costs in review (:func:`with_review_cost`), counted per label
of the calibration table: items without a label, and labels the table does not hold (the
model gave them no gold item), count under none."""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelwright.project.label_calibration import class_reliability_table, with_review_cost


def test_review_cost_counts_only_the_table_s_labels():
    # gold items: two 'b' (one right), one 'a' (right); 'c' has no gold item, so no row
    model_label = pd.Series(["a", "b", "b", "c", None, "a", "b"])
    judged = np.array([True, True, True, False, False, False, False])
    correct = np.array([True, True, False])
    table = class_reliability_table(model_label[judged], np.array([0.6, 0.7, 0.8]),
                                    correct, ("a", "b", "c"))
    frame = pd.DataFrame({
        "reasons": ["low_confidence", "conflict;low_confidence", "low_confidence",
                    "low_confidence", "low_confidence", "conflict", "low_confidence"],
        "label_source": ["model", "model", "model", "model", "none", "model", "review"]})
    out = with_review_cost(table, frame, model_label, judged, correct).set_index("label")
    assert list(out.index) == ["a", "b"]
    # 'a': its gold item only (row 5 is not sent); 'b': rows 1 and 2 (row 6 is reviewed);
    # 'c' (row 3) and the item without a label (row 4) count nowhere
    assert out["low_confidence"].to_dict() == {"a": 1, "b": 2}
    assert out["gold_low_confidence"].to_dict() == {"a": 1, "b": 2}
    assert out["gold_low_confidence_right"].to_dict() == {"a": 1, "b": 1}
