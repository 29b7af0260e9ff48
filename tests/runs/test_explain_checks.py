"""``explain`` points at a row of labels.parquet that contradicts itself and tells an LF
module added since the run from one edited since."""

from __future__ import annotations

import pandas as pd

from labelwright.project import run_project
from labelwright.runs.explain.item import explain_item
from labelwright.scaffold import init_project


def test_an_edited_labels_row_is_pointed_at_and_an_added_module_is_added(tmp_path):
    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    path = run.run_dir / "labels.parquet"
    frame = pd.read_parquet(path)
    row = frame.index[(frame["label_source"] == "model") & frame["model_label"].notna()][0]
    item = str(frame.loc[row, "id"])
    own = frame.loc[row, "model_label"]
    other = next(label for label in ("positive", "negative") if label != own)
    frame.loc[row, "label"] = other  # the label changed, its model_label and probabilities not
    frame.to_parquet(path, index=False)
    (root / "labeling_functions" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    e = explain_item(root, item, run.run_id)
    assert e.label == other
    assert any(f"labels.parquet: this item's row contradicts itself (label {other!r} with "
               f"label_source 'model', but model_label {own!r}; confidence" in w
               for w in e.warnings), e.warnings
    assert any(f"LF modules changed since run {run.run_id}: added extra.py; the votes shown "
               "are the run's" in w for w in e.warnings), e.warnings


def test_a_consistent_row_gets_no_such_warning(tmp_path):
    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    e = explain_item(root, "r03", run.run_id)
    assert not any("contradicts itself" in w for w in e.warnings)


def test_a_reviewed_row_of_the_older_layout_is_not_called_edited(tmp_path):
    """A run of an older labelwright kept the label model's probabilities on a reviewed row
    (and wrote no model_label column): explain said every reviewed item's row "contradicts
    itself ... edited since the run". The current layout's reviewed row is still checked."""
    from labelwright.runs.explain.checks import row_contradictions

    path = tmp_path / "labels.parquet"
    older = {"id": "t1", "label": "billing", "confidence": 1.0, "prob_billing": 0.06,
             "prob_technical": 0.94, "status": "reviewed", "label_source": "review"}
    assert row_contradictions(older, path) == []
    edited = row_contradictions(older | {"confidence": 0.7}, path)
    assert edited and ("confidence 0.7000 for the reviewed label 'billing', where a review "
                       "gives 1") in edited[0]
    # the current layout: the reviewed label's probability is 1, the model's are apart
    current = older | {"model_label": "technical", "model_confidence": 0.94}
    assert row_contradictions(current | {"prob_billing": 1.0, "prob_technical": 0.0},
                              path) == []
    found = row_contradictions(current, path)
    assert found and "confidence 1.0000 for label 'billing', but prob_billing 0.0600" in found[0]
