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


def test_an_item_gone_from_an_edited_labels_file_names_the_edit(tmp_path):
    """A row deleted from labels.parquet: explain of that item said only "no item with id
    ... did you mean", as of an item the run never labeled, and of the next item that the
    label matrix's row held another, without naming the edited file."""
    import pytest

    from labelwright.errors import RunError, UnknownItemError

    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    path = run.run_dir / "labels.parquet"
    frame = pd.read_parquet(path)
    gone, after = str(frame.loc[2, "id"]), str(frame.loc[3, "id"])
    frame.drop(index=2).to_parquet(path, index=False)
    with pytest.raises(UnknownItemError) as missing:
        explain_item(root, gone, run.run_id)
    assert f"no item with id {gone!r}" in str(missing.value)
    assert ("labels.parquet: changed since the run wrote it (sha256" in str(missing.value)
            and "the run's files were edited since, so this does not say what the run "
                "labeled" in str(missing.value)), missing.value
    with pytest.raises(RunError) as shifted:
        explain_item(root, after, run.run_id)
    assert "label_matrix.parquet: row 3 holds item" in str(shifted.value)
    assert "labels.parquet: changed since the run wrote it" in str(shifted.value)


def test_an_unknown_item_of_an_intact_run_names_no_edit(tmp_path):
    import pytest

    from labelwright.errors import UnknownItemError

    root = tmp_path / "proj"
    init_project(root)
    run = run_project(root, report=False)
    with pytest.raises(UnknownItemError) as missing:
        explain_item(root, "zz99", run.run_id)
    assert "edited since" not in str(missing.value)
