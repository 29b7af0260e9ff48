"""What two runs' files say beyond flips: LF vote changes compared by label name."""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelwright.matrix import LabelMatrix
from labelwright.runs.diff.label_effects import vote_changes, votes_differ
from labelwright.runs.store import file_sha256


def _run(folder, ids, votes, labels):
    """A run folder holding only a label matrix and the manifest that hashes it."""
    folder.mkdir()
    LabelMatrix(np.array(votes, dtype=np.int8), ["x", "y"], ids, labels).write_parquet(
        folder / "label_matrix.parquet")
    manifest = {"run_id": folder.name, "project": {"labels": list(labels)},
                "outputs": {"label_matrix.parquet": file_sha256(folder / "label_matrix.parquet")}}
    return folder, manifest


def test_votes_are_joined_on_id_and_compared_by_label_name(tmp_path):
    """The second run holds its items in another order, lacks one, and orders its labels
    the other way round: i1's x vote is "pos" in both, an abstain in both is no change."""
    a = _run(tmp_path / "a", ["i1", "i2", "i3"], [[0, -1], [1, -1], [0, 0]], ("pos", "neg"))
    b = _run(tmp_path / "b", ["i2", "i1"], [[1, 0], [1, -1]], ("neg", "pos"))
    changes = vote_changes(*a, *b, ["x", "y", "gone"])
    # i2: x "neg" -> "pos" (changed), y abstain -> "neg" (changed); i1: x "pos" both
    assert changes.changed == {"x": 1, "y": 1} and changes.problem is None


def test_a_matrix_edited_since_its_run_is_not_compared(tmp_path):
    a = _run(tmp_path / "a", ["i1"], [[0, 0]], ("pos", "neg"))
    b = _run(tmp_path / "b", ["i1"], [[1, 0]], ("pos", "neg"))
    LabelMatrix(np.array([[0, 1]], dtype=np.int8), ["x", "y"], ["i1"], ("pos", "neg")) \
        .write_parquet(tmp_path / "b" / "label_matrix.parquet")
    changes = vote_changes(*a, *b, ["x"])
    assert changes.changed == {} and "label_matrix.parquet: changed since the run wrote it" \
        in changes.problem
    assert vote_changes(*a, *a, []).changed == {}


def test_two_abstains_are_no_difference_in_series_and_frames():
    """The one comparison runs diff, LF renames and runs verify use: NaN != NaN made every
    pair of abstains a change."""
    a = pd.Series(["pos", None, "neg", None], dtype=object)
    b = pd.Series(["pos", None, "pos", "neg"], dtype=object)
    assert votes_differ(a, b).tolist() == [False, False, True, True]
    frame_a, frame_b = pd.DataFrame({"x": a, "y": a}), pd.DataFrame({"x": b, "y": a})
    assert votes_differ(frame_a, frame_b).to_numpy().tolist() == [
        [False, False], [False, False], [True, False], [True, False]]
