"""What a bench line and its notes say of the fit: the gold rows' class mix, what auto chose,
the test items' coverage, and a model that fell back to another."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from labelwright.bench import evaluate, load_wrench
from labelwright.cli.bench import bench_app
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


def _json_lines(folder, *models: str) -> tuple[list[dict], str]:
    args = ["wrench", str(folder), "--json", "--no-ranking"]
    for name in models:
        args += ["-m", name]
    result = CliRunner().invoke(bench_app, args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def test_autos_lines_carry_its_choice_and_every_line_the_test_coverage(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    test = json.loads((folder / "test.json").read_text())
    covered = sum(any(v >= 0 for v in item["weak_labels"]) for item in test.values())
    lines, _ = _json_lines(folder, "majority", "auto")
    for line in lines:
        assert line["coverage"] == round(100 * covered / len(test), 2)
        assert ("chosen" in line) == (line["model"] == "auto")
        assert "fallback" not in line
    chosen = [line["chosen"] for line in lines if line["model"] == "auto"]
    assert all(c["model"] == "dawid_skene" and c["reason"] for c in chosen) and len(chosen) == 2


def test_snorkel_on_two_lfs_says_its_fallback_once_per_gold_setting(tmp_path, caplog):
    folder = write_wrench(tmp_path / "toy", n_lfs=2)
    lines, stderr = _json_lines(folder, "snorkel")
    assert [line["fallback"] for line in lines] == ["majority", "majority"]
    said = [line for line in stderr.splitlines() if "needs >= 3 LFs" in line]
    assert said == [f"note: toy: snorkel (gold={gold}): snorkel's LabelModel needs >= 3 LFs, "
                    'got 2: fell back to majority vote (fallback_ = "majority")'
                    for gold in ("none", "valid")]
    assert "needs >= 3 LFs" not in caplog.text  # the fits themselves stay quiet


def test_the_table_shows_the_coverage(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    lines, _ = _json_lines(folder, "majority")
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "-m", "majority",
                                            "--no-ranking"])
    assert result.exit_code == 0 and "cov" in result.stdout
    assert f"{lines[0]['coverage']:.2f}" in result.stdout
