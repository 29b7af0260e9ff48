"""``runs diff`` across a label rename: the flips that are only the rename are named."""

from __future__ import annotations

from labelwright.runs.diff import label_renames


def manifest(labels, renamed=None):
    return {"project": {"labels": labels},
            "reviews": {"renamed": renamed} if renamed is not None else {}}


def test_only_renames_from_run_a_labels_to_run_b_labels_count():
    before = manifest(["negative", "positive"])
    after = manifest(["neutral", "positive", "complaint"],
                     {"negative": "complaint", "grumble": "complaint"})
    # grumble was no label of run a: no flip of the diff can be it
    assert label_renames(before, after) == {"negative": "complaint"}
    assert label_renames(before, manifest(["neutral", "positive", "complaint"])) == {}
    # run a made after the rename already has the new name
    assert label_renames(after, after) == {}
