"""What a bench line and its notes say of the fit: the gold rows' class mix, what auto chose,
the test items' coverage, and a model that fell back to another."""

from __future__ import annotations

from labelwright.bench import evaluate, load_wrench
from wrench_toy import edit_split, write_wrench


def _one_class(doc):
    for item in doc.values():
        item["label"] = 0


def test_valid_labels_of_one_class_get_a_note_on_the_gold_line_only(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    edit_split(folder, "valid.json", _one_class)
    ds = load_wrench(folder)
    with_gold = evaluate(ds, "default", "valid")
    assert any("c1 has no gold row" in note and "gold=valid are those of a model" in note
               for note in with_gold.notes), with_gold.notes
    assert not any("gold row" in note for note in evaluate(ds, "default", "none").notes)
