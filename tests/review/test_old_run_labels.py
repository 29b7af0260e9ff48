"""Commands that read the data again for a run made before the project's labels changed."""

from __future__ import annotations

import pytest

from label_sets import change_labels
from labelwright.errors import RunError
from labelwright.review.training_set import export_training_set


def test_export_of_an_old_run_names_the_run_and_both_label_sets(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    change_labels(root, ["billing", "tech"], gold={"technical": "tech"})
    with pytest.raises(RunError) as info:
        export_training_set(root, tmp_path / "x.parquet", run=run)
    message = str(info.value)
    assert f"run {run} was made with the labels billing, technical" in message
    assert "the project's are billing, tech now" in message
    assert "[project] renamed" in message and "labelwright run" in message
