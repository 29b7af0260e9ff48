"""WRENCH benchmark: loading, protocol, CLI output; real datasets when ../shared/data exists."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from labelwright.bench import WrenchFormatError, evaluate, load_wrench, run_wrench
from labelwright.bench.review import (
    RANKINGS,
    calibration_extras,
    catch_share,
    evaluate_ranking,
    valid_proba_out_of_fold,
)
from labelwright.bench.wrench import Split, dataset_names, no_kappa_reason, vote_kappa
from labelwright.cli.bench import bench_app
from labelwright.models import get_model
from labelwright.models.calibration import CALIBRATION_METHODS
from wrench_toy import edit_split, write_wrench

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = REPO_ROOT.parent / "shared" / "data" / "wrench"
needs_data = pytest.mark.skipif(not DATA.is_dir(),
                                reason=f"WRENCH data not found at {DATA} (kept outside the repo)")
JSON_KEYS = {"dataset", "model", "gold", "accuracy", "macro_f1", "f1", "ece", "fit_seconds",
             "peak_rss_mb", "tie_break", "random_state", "coverage"}
RANK_KEYS = {"ranking", "catch10", "catch20", "ece_calibrated", "calibration",
             "confidence_map", "no_vote_shares", "end_model_accuracy"}


def test_json_lines_have_exact_keys(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "majority",
                                            "-m", "default"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    ranking_lines = [line for line in lines if "accuracy" not in line]
    lines = [line for line in lines if "accuracy" in line]
    assert len(lines) == 4  # 2 models x gold none/valid
    assert len(ranking_lines) == 2 * len(RANKINGS)  # per gold setting, one per strategy
    assert {line["ranking"] for line in ranking_lines} == set(RANKINGS)  # cleanlab installed
    for line in ranking_lines:
        assert line["model"] == "default" and line["ranking"] in RANKINGS
        assert 0 <= line["catch20"] <= line["catch20_max"] <= 100
    for line in lines:
        extra = RANK_KEYS if line["model"] == "default" else set()
        assert set(line) == JSON_KEYS | extra
        if extra:
            assert line["calibration"] in CALIBRATION_METHODS
            assert isinstance(line["confidence_map"], bool)
            assert isinstance(line["no_vote_shares"], bool)
        assert line["dataset"] == "toy" and line["gold"] in ("none", "valid")
        assert 0 <= line["accuracy"] <= 100 and line["f1"] is not None
        assert line["accuracy"] == round(line["accuracy"], 2)


def test_with_gold_the_rankings_are_also_measured_on_auto(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "auto"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.strip().splitlines()]
    ranked = [line for line in lines if "accuracy" not in line]
    # auto is what a project with reviewed labels runs: ranked with gold=valid only
    assert {(line["model"], line["gold"]) for line in ranked} == {("auto", "valid")}
    assert {line["ranking"] for line in ranked} == set(RANKINGS)
    by_gold = {line["gold"]: line for line in lines if "accuracy" in line}
    assert set(by_gold["valid"]) == JSON_KEYS | RANK_KEYS | {"chosen"}  # auto's choice
    assert set(by_gold["none"]) == JSON_KEYS | {"chosen"}


#: reads the modules imported while each model's fit is timed (between the two clock reads)
IMPORTS_WHILE_TIMED = """
import json, sys, time, types
from labelwright.bench import wrench
seen = []
def clock():
    seen.append(set(sys.modules))
    return time.perf_counter()
wrench.time = types.SimpleNamespace(perf_counter=clock)
ds = wrench.load_wrench(sys.argv[1])
for name, gold in (("auto", "valid"), ("snorkel", "none")):  # auto tries snorkel too
    wrench.evaluate(ds, name, gold)
    print(json.dumps([name, sorted(seen[-1] - seen[-2])]))
"""


def test_fit_seconds_time_the_fit_not_the_imports(tmp_path):
    """The first snorkel fit in a process counted 7-16 s of importing torch and snorkel,
    and auto's first fit with gold scikit-learn's too: nothing may be imported while a fit
    is timed. In a fresh interpreter: the test process has imported them already."""
    folder = write_wrench(tmp_path / "toy", n=100)
    out = subprocess.run([sys.executable, "-c", IMPORTS_WHILE_TIMED, str(folder)],
                         check=True, capture_output=True, text=True).stdout
    assert [json.loads(line) for line in out.splitlines()] == [["auto", []], ["snorkel", []]]


def test_vote_kappa_is_one_for_right_votes_and_near_zero_for_votes_of_other_items():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 3, 4000)
    L = np.where(rng.random((4000, 5)) < 0.5, y[:, None], -1)
    assert vote_kappa(Split(L, y, []), 3) == pytest.approx(1.0)
    shuffled = Split(L[rng.permutation(4000)], y, [])
    assert abs(vote_kappa(shuffled, 3)) < 0.05
    assert vote_kappa(Split(np.full((3, 2), -1), np.array([0, 1, 0]), []), 2) is None


def test_vote_kappa_does_not_depend_on_the_class_balance():
    # the same LFs, equally accurate per class, on a balanced and a 3%-positive split
    rng = np.random.default_rng(0)

    def split(p1):
        y = (rng.random(5000) < p1).astype(int)
        L = np.where(rng.random((5000, 5)) < 0.85, y[:, None], 1 - y[:, None])
        return Split(np.where(rng.random((5000, 5)) < 0.6, L, -1), y, [])

    balanced, rare = vote_kappa(split(0.5), 2), vote_kappa(split(0.03), 2)
    assert balanced == pytest.approx(0.7, abs=0.03) and rare == pytest.approx(0.7, abs=0.05)
    one_class = Split(np.zeros((50, 3), dtype=int), np.zeros(50, dtype=int), [])
    assert vote_kappa(one_class, 2) is None  # nothing to tell apart


def test_a_split_without_a_kappa_says_why_in_the_kappa_note(tmp_path):
    """A test split of one class dropped out of the note in silence ("train 0.80, valid
    0.79")."""
    folder = write_wrench(tmp_path / "toy")
    _edit(folder, "test.json", lambda d: {i: {**item, "label": 0} for i, item in d.items()})
    notes = [n for n in load_wrench(folder).notes if n.startswith("votes vs gold labels")]
    assert len(notes) == 1 and notes[0].endswith(", test none (one class)"), notes
    assert re.search(r"\(class-balanced kappa\): train \d\.\d\d, valid \d\.\d\d,", notes[0])
    votes_of_one = Split(np.where(np.arange(40)[:, None] < 20, 0, -1) * np.ones((1, 3), int),
                         np.repeat([0, 1], 20), [])
    assert vote_kappa(votes_of_one, 2) is None
    assert no_kappa_reason(votes_of_one) == "votes on one class's items only"
    assert no_kappa_reason(Split(np.zeros((4, 2), int), np.full(4, -1), [])) == "no gold labels"
    agreeing = Split(np.repeat([[0], [1]], 3, axis=0) * np.ones((1, 2), int), np.repeat([0, 1], 3),
                     [])
    with pytest.raises(ValueError, match=r"has a vote kappa \(1\.00\)"):
        no_kappa_reason(agreeing)  # not an assert: it stays under python -O


def test_split_whose_votes_belong_to_other_items_gets_a_warning(tmp_path):
    folder = write_wrench(tmp_path / "toy", n=400)
    doc = json.loads((folder / "test.json").read_text())
    votes = [item["weak_labels"] for item in doc.values()]
    for item, row in zip(doc.values(), votes[1:] + votes[:1]):  # each item gets the next's
        item["weak_labels"] = row
    (folder / "test.json").write_text(json.dumps(doc))
    notes = load_wrench(folder).notes
    assert any(note.startswith("votes vs gold labels beyond chance") for note in notes)
    warnings = [note for note in notes if note.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].startswith("warning: test votes")
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "majority",
                                            "--no-ranking"])
    assert result.exit_code == 0, result.output
    assert all(json.loads(line) for line in result.stdout.strip().splitlines())
    assert "note: toy: warning: test votes" in result.stderr


def test_json_lines_state_tie_break_and_random_state(tmp_path):
    """Only the table's caption said them: JSON lines of runs with different tie-breaks
    (and so different numbers) looked alike."""
    folder = write_wrench(tmp_path / "toy")
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "default",
                                            "--tie-break", "first", "--seed", "3"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert any("ranking" in line and "accuracy" not in line for line in lines)
    assert {(line["tie_break"], line["random_state"]) for line in lines} == {("first", 3)}
    # as README says: stderr holds only the notes, not the table caption's first lines
    notes = result.stderr.splitlines()
    assert notes and all(line.startswith("note: ") for line in notes), notes
    assert "tie-break" not in result.stderr and "peak MB" not in result.stderr


def test_table_output_states_tie_break(tmp_path):
    folder = write_wrench(tmp_path / "toy", k=3)
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "-m", "majority",
                                            "--tie-break", "first"])
    assert result.exit_code == 0, result.output
    assert "tie-break: first" in result.stdout and "majority" in result.stdout


def test_a_dataset_given_as_dot_is_named_for_its_folder(tmp_path, monkeypatch):
    """``bench wrench .`` named the dataset "" (the name of Path('.'))."""
    write_wrench(tmp_path / "toy")
    monkeypatch.chdir(tmp_path / "toy")
    assert load_wrench(".").name == "toy"
    assert load_wrench(Path("..") / "toy" / ".").name == "toy"


def test_folders_with_the_same_name_get_names_that_tell_them_apart(tmp_path):
    """a/set and b/set were both "set": the ranking table showed b/set's calibration and
    end-model numbers on a/set's rows (looked up by dataset name), and the JSON lines and
    notes could not be told apart."""
    write_wrench(tmp_path / "a" / "set", splits=("train", "test"))  # no valid: no ECE cal
    write_wrench(tmp_path / "b" / "set", seed=1)
    write_wrench(tmp_path / "c" / "toy", seed=2)
    folders = [str(tmp_path / d) for d in ("a/set", "b/set", "c/toy")]
    result = CliRunner().invoke(bench_app, ["wrench", *folders, "--json", "-m", "default",
                                            "--gold", "none"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    by_name = {line["dataset"]: line for line in lines if "accuracy" in line}
    assert list(by_name) == ["a/set", "b/set", "toy"]
    # a/set has no valid.json: no calibration number of its own (b/set's was shown for it)
    assert by_name["a/set"]["ece_calibrated"] is None
    assert by_name["b/set"]["ece_calibrated"] is not None
    assert "note: a/set: votes vs gold" in result.stderr
    table = CliRunner().invoke(bench_app, ["wrench", *folders, "-m", "default", "--gold",
                                           "none"], terminal_width=200)
    combined = [row for row in table.stdout.splitlines() if "combined" in row]
    assert [row.split("│")[1].strip() for row in combined] == ["a/set", "b/set", "toy"]
    assert combined[0].split("│")[11].strip() == "—"  # a/set has no valid.json to calibrate on
    # as many parts as it takes; the same folder twice is one dataset, with one name
    assert dataset_names(["/p/a/x/set", "/p/b/x/set", "/q/set", "/p/a/x/set"]) \
        == ["a/x/set", "b/x/set", "q/set", "a/x/set"]


def test_missing_file_is_named(tmp_path):
    folder = write_wrench(tmp_path / "toy", splits=("train",))
    with pytest.raises(WrenchFormatError, match=r"test\.json: missing file"):
        load_wrench(folder)
    result = CliRunner().invoke(bench_app, ["wrench", str(folder)])
    assert result.exit_code == 1
    assert "test.json: missing file" in result.stderr


def test_a_split_that_is_not_utf8_is_named_with_line_and_column(tmp_path):
    """A Latin-1 'é' ended in a raw UnicodeDecodeError naming neither file nor line."""
    folder = write_wrench(tmp_path / "toy")
    doc = json.loads((folder / "test.json").read_text())
    doc["1"]["data"]["text"] = "café"
    (folder / "test.json").write_bytes(json.dumps(doc, indent=1, ensure_ascii=False)
                                       .encode("latin-1"))
    line = next(n for n, text in enumerate((folder / "test.json").read_text("latin-1")
                                           .splitlines(), 1) if "caf" in text)
    # '   "text": "caf' is 15 characters: the 'é' is in column 16 of its line
    expected = rf"test\.json:{line}: not valid UTF-8 \(byte 0xe9 at column 16;"
    with pytest.raises(WrenchFormatError, match=expected):
        load_wrench(folder)
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "-m", "majority"])
    assert result.exit_code == 1 and f"test.json:{line}: not valid UTF-8" in result.stderr


def test_a_weak_label_outside_the_classes_is_named(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    doc = json.loads((folder / "valid.json").read_text())
    doc["3"]["weak_labels"][2] = 2  # label.json defines 2 classes
    (folder / "valid.json").write_text(json.dumps(doc))
    with pytest.raises(WrenchFormatError, match=r"valid\.json: item '3' has weak label 2; "
                                                r"expected -1 \(abstain\) or 0\.\.1"):
        load_wrench(folder)


_edit = edit_split


@pytest.mark.parametrize("name, change, expected", [
    # a label of 0.9 was read as 0, true as 1, a weak label true as a vote for class 1
    ("test.json", lambda d: d["0"].update(label=0.9),
     r"test\.json: item '0' needs 'label' \(an integer\).*got label 0\.9"),
    ("test.json", lambda d: d["0"].update(label=True), r"got label True"),
    ("train.json", lambda d: d["1"].update(weak_labels=[True, -1, -1, -1]),
     r"train\.json: item '1' has weak label True"),
    ("valid.json", lambda d: d["2"].update(weak_labels=5), r"weak_labels 5"),
    # a missing key read "got label None"
    ("test.json", lambda d: {**d, "3": {k: v for k, v in d["3"].items() if k != "label"}},
     r"item '3' needs 'label' .*; got no 'label' key, weak_labels \["),
    ("train.json", lambda d: {**d, "3": {"label": 1, "data": {}}},
     r"got label 1, no 'weak_labels' key"),
    # a list read "expected a non-empty object" without saying what it was
    ("test.json", lambda d: list(d.values()),
     r"test\.json: expected a non-empty object mapping id -> item; got a JSON list of 60 "
     r"entries"),
    ("test.json", lambda d: d.clear(), r"mapping id -> item; got an empty object"),
    ("test.json", lambda d: "x", r"mapping id -> item; got a JSON string"),
    # -1 (no gold label) crashed the ECE on test and the calibration on valid
    ("test.json", lambda d: d["0"].update(label=-1),
     r"test\.json: item '0' has label -1; expected 0\.\.1 \(a scored split needs"),
    ("valid.json", lambda d: d["0"].update(label=-1), r"valid\.json: item '0' has label -1"),
    # renumbered in silence: class 2 was read as class 1
    ("label.json", lambda d: {"0": "c0", "2": "c1"},
     r"label\.json: expected an object mapping each class index 0\.\.k-1"),
    ("label.json", lambda d: ["c0", "c1"], r"label\.json: expected an object mapping"),
    ("label.json", lambda d: {"c0": 0, "c1": 1}, r"label\.json: expected an object mapping"),
    # every model was fit, then predicting the other split failed
    ("valid.json", lambda d: {i: {**item, "weak_labels": item["weak_labels"][:3]}
                              for i, item in d.items()},
     r"toy: the splits have different numbers of LFs \(train 4, valid 3, test 4\)"),
])
def test_malformed_wrench_files_are_named_before_any_fit(tmp_path, name, change, expected):
    folder = write_wrench(tmp_path / "toy")
    _edit(folder, name, change)
    with pytest.raises(WrenchFormatError, match=expected):
        load_wrench(folder)


def test_a_label_json_of_one_class_is_refused(tmp_path):
    """It loaded, and the first fit ended in a traceback ("cardinality must be >= 2")."""
    folder = write_wrench(tmp_path / "toy", k=1)  # every label and vote is class 0
    with pytest.raises(WrenchFormatError, match=r'label\.json: defines 1 class \(\{"0": "c0"\}\)'
                                                r"; a label model needs at least 2 classes"):
        load_wrench(folder)
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "-m", "majority"])
    assert result.exit_code == 1 and "label.json: defines 1 class" in result.stderr


def test_autos_reason_in_the_bench_names_no_setting_the_bench_lacks(tmp_path):
    """With 3 valid labels of class 1, bench printed "n_splits = 3 under [label_model]
    chooses with 3 of each": the bench has no [label_model] section and no --n-splits."""
    folder = write_wrench(tmp_path / "toy")
    _edit(folder, "valid.json", lambda d: {i: {**item, "label": int(int(i) < 3)}
                                           for i, item in d.items()})
    record = evaluate(load_wrench(folder), "auto", "valid")
    reason = record.chosen["reason"]
    assert "60 gold rows (need >= 20 and >= 5 per class; short: class 1 3)" in reason, reason
    assert "n_splits" not in reason and "[label_model]" not in reason


def test_the_labeled_ids_note_counts_the_rows_dropped(tmp_path):
    """It counted the ids listed: 7 'dropped' where 3 of them were train rows."""
    folder = write_wrench(tmp_path / "toy")
    (folder / "labeled_ids.json").write_text(json.dumps({"labeled_ids": [0, 1, 2, 9990, 9991,
                                                                         9992, 9993]}))
    ds = load_wrench(folder)
    assert ds.train is not None and len(ds.train.ids) == 57
    assert ds.notes[0] == ("dropped 3 labeled_ids.json rows from train (57 train rows, as in "
                           "the WRENCH paper); 4 of its 7 ids are not train.json items: "
                           "'9990', '9991', '9992', '9993'")  # named, not only counted


def test_train_may_hold_items_without_gold_and_labeled_ids_may_be_a_list(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    _edit(folder, "train.json", lambda d: d["0"].update(label=-1))
    (folder / "labeled_ids.json").write_text(json.dumps(["1", "2"]))
    ds = load_wrench(folder)
    assert ds.train is not None and len(ds.train.ids) == 58 and ds.train.y[0] == -1
    (folder / "labeled_ids.json").write_text(json.dumps(list(map(str, range(60)))))
    with pytest.raises(WrenchFormatError, match=r"train\.json: every item is a labeled_ids"):
        load_wrench(folder)
    (folder / "labeled_ids.json").write_text(json.dumps({"ids": []}))
    with pytest.raises(WrenchFormatError, match=r"labeled_ids\.json: expected"):
        load_wrench(folder)


def test_a_train_split_without_votes_has_no_end_model_number(tmp_path):
    """The end-model step raised "needs at least one item with a label"."""
    folder = write_wrench(tmp_path / "toy")
    _edit(folder, "train.json", lambda d: [item.update(weak_labels=[-1] * 4)
                                           for item in d.values()] and None)
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "default"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["end_model_accuracy"] for line in lines if "end_model_accuracy" in line] \
        == [None, None]


def test_without_train_json_the_end_model_number_is_null_not_missing(tmp_path):
    """A train split without votes gave "end_model_accuracy": null, a folder without
    train.json no key at all (and without valid.json, no calibration keys)."""
    folder = write_wrench(tmp_path / "toy", splits=("valid", "test"))
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "default",
                                            "-m", "snorkel", "--gold", "none"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(line["model"], line["end_model_accuracy"]) for line in lines
            if "accuracy" in line] == [("default", None), ("snorkel", None)]
    # nor the calibration's without valid.json
    folder = write_wrench(tmp_path / "novalid", splits=("train", "test"))
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "default",
                                            "--gold", "none"])
    assert result.exit_code == 0, result.output
    (default,) = [line for line in map(json.loads, result.stdout.splitlines())
                  if "accuracy" in line]
    assert [default[key] for key in ("ece_calibrated", "calibration", "confidence_map",
                                     "no_vote_shares")] \
        == [None, None, None, None] and default["end_model_accuracy"] is not None


def test_unknown_model_lists_names(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "-m", "dawid"])
    assert result.exit_code == 2 and "available:" in result.output  # a usage error


def test_a_model_or_folder_given_twice_is_a_usage_error(tmp_path, monkeypatch):
    """The same folder (or model) given twice was benchmarked twice, each line repeated."""
    folder = write_wrench(tmp_path / "toy")
    monkeypatch.chdir(tmp_path)
    wide = {"COLUMNS": "400"}
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "toy", "-m", "majority"],
                                env=wide)
    assert result.exit_code == 2 and f"{folder} and toy: given twice" in result.output
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "-m", "majority",
                                            "-m", "majority"], env=wide)
    assert result.exit_code == 2 and "majority: given twice" in result.output


def test_gold_given_twice_or_valid_without_any_valid_json_is_an_error(tmp_path):
    """``--gold none --gold none`` printed every line twice; ``--gold valid`` on folders
    without valid.json printed an empty table and exited 0."""
    folder = write_wrench(tmp_path / "toy")
    wide = {"COLUMNS": "400"}
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "-m", "majority",
                                            "--gold", "none", "--gold", "none"], env=wide)
    assert result.exit_code == 2 and "none: given twice" in result.output
    bare = write_wrench(tmp_path / "bare", splits=("train", "test"))
    result = CliRunner().invoke(bench_app, ["wrench", str(bare), "-m", "majority", "--gold",
                                            "valid", "--json"], env=wide)
    assert result.exit_code == 1 and result.stdout == ""
    assert "--gold valid: no folder has a valid.json, so nothing can be measured (bare)" \
        in " ".join(result.output.split())


def test_ece_is_that_of_the_predictions_accuracy_scores(tmp_path):
    """Every test item uncovered, so every one a 0.5 / 0.5 tie broken by the row hash: the
    ECE was that of giving all to class 0 (right on every item: 50), not of the coin
    flips scored (about half right)."""
    folder = write_wrench(tmp_path / "toy", n=200)
    test = json.loads((folder / "test.json").read_text())
    for item in test.values():
        item["weak_labels"] = [-1] * len(item["weak_labels"])
        item["label"] = 0
    (folder / "test.json").write_text(json.dumps(test))
    ds = load_wrench(folder)
    for tie_break, seed in (("random", 0), ("random", 1), ("first", 0), ("abstain", 0)):
        record = evaluate(ds, "majority", "none", tie_break=tie_break, random_state=seed)
        assert record.ece == pytest.approx(abs(record.accuracy - 50), abs=0.011), tie_break
    assert 20 < evaluate(ds, "majority", "none").accuracy < 80


def test_what_a_folder_leaves_out_is_noted(tmp_path):
    """Silently accepted before: a null text read as the text "None", a train split
    without a vote, a class nothing uses, labeled_ids.json without train.json; two classes
    of one name, and a byte-order mark, which was refused as bad JSON."""
    folder = write_wrench(tmp_path / "toy", k=3, splits=("train", "test"))
    test = json.loads((folder / "test.json").read_text())
    items = list(test.values())
    for item in test.values():  # no label or vote names class 2
        item["label"] = min(item["label"], 1)
        item["weak_labels"] = [min(v, 1) for v in item["weak_labels"]]
    items[0]["data"] = {"text": None}
    items[1]["data"] = {}
    items[2]["data"] = {"text": 42}
    (folder / "test.json").write_text(json.dumps(test), encoding="utf-8-sig")  # with a BOM
    train = json.loads((folder / "train.json").read_text())
    for item in train.values():
        item["label"] = min(item["label"], 1)
        item["weak_labels"] = [-1] * len(item["weak_labels"])
    (folder / "train.json").write_text(json.dumps(train))
    ds = load_wrench(folder)
    assert ds.test.texts[:3] == ["", "", "42"] and ds.test.no_text == 2
    assert "train.json: no LF voted on any item, so every model is fit on a matrix of " \
        "abstains (and there is no end-model number)" in ds.notes
    assert "test.json: 2 of 60 items have no data.text (missing, null or not text): the end " \
        "model and the review rankings read them as empty texts" in ds.notes
    assert any(n.startswith("label.json: class(es) 2 ('c2') appear in no label and no vote")
               for n in ds.notes)

    (folder / "train.json").unlink()
    (folder / "labeled_ids.json").write_text("[]")
    assert "no train.json: models are fit on the test votes; labeled_ids.json is not used " \
        "(it lists train rows)" in load_wrench(folder).notes
    (folder / "label.json").write_text(json.dumps({"0": "ham", "1": "spam", "2": "spam"}))
    with pytest.raises(WrenchFormatError, match="classes 1 and 2 are both named 'spam'"):
        load_wrench(folder)


def test_lfs_that_vote_alike_are_noted_and_an_item_that_is_no_object_is_named(tmp_path):
    """A duplicated LF column changed weighted_majority's accuracy by 10 points with no
    word; an item given as a list was reported as 'got label None, weak_labels None'."""
    folder = write_wrench(tmp_path / "toy", splits=("train", "test"))
    train = json.loads((folder / "train.json").read_text())
    for item in train.values():
        votes = item["weak_labels"]
        item["weak_labels"] = votes + [votes[1], votes[1], -1]  # LFs 4, 5 copy LF 1
    (folder / "train.json").write_text(json.dumps(train))
    test = json.loads((folder / "test.json").read_text())
    for item in test.values():
        item["weak_labels"] += [-1, -1, -1]
    (folder / "test.json").write_text(json.dumps(test))
    assert "train.json: LFs 1 = 4 = 5 (by column) vote alike on every item: dawid_skene " \
        "(default) counts each group once, the other models that take LFs as independent " \
        "count such a vote more than once" in load_wrench(folder).notes
    first = next(iter(test))
    test[first] = [0, [1, -1, 0, -1, -1, -1, -1]]
    (folder / "test.json").write_text(json.dumps(test))
    with pytest.raises(WrenchFormatError, match=rf"test\.json: item '{first}' is a JSON list, "
                                                "not an object with 'label' and 'weak_labels'"):
        load_wrench(folder)


def test_json_output_keeps_autos_choice_on_stderr(tmp_path):
    """The lines saying what auto chose and why were printed with the table only."""
    folder = write_wrench(tmp_path / "toy")
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "-m", "auto", "--gold",
                                            "none", "--no-ranking", "--json"],
                                env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["model"] for line in result.stdout.splitlines()] == ["auto"]
    assert "note: auto on toy (gold=none): dawid_skene(" in result.stderr


def test_an_item_id_given_twice_in_a_split_is_an_error(tmp_path):
    """The second item under one id replaced the first: one item fewer was scored."""
    folder = write_wrench(tmp_path / "toy")
    test = folder / "test.json"
    text = test.read_text()
    first, second = list(json.loads(text))[:2]
    test.write_text(text.replace(f'"{second}":', f'"{first}":', 1))
    with pytest.raises(WrenchFormatError, match=rf"test\.json: key '{first}' is given twice"):
        load_wrench(folder)


def test_without_train_fits_on_test_and_multiclass_f1_is_null(tmp_path):
    folder = write_wrench(tmp_path / "toy", k=3, splits=("test",))
    records, datasets = run_wrench([folder], models=("majority",))
    assert [r.gold for r in records] == ["none"]
    assert records[0].f1 is None
    assert any("no train.json" in note for note in datasets[0].notes)


@needs_data
def test_youtube_majority_reproduces_wrench():
    ds = load_wrench(DATA / "youtube")
    assert len(ds.train.ids) == 1586 and ds.test.L.shape == (250, 10)
    record = evaluate(ds, "majority", "none", tie_break="random")
    assert record.accuracy == 84.00  # WRENCH's published MV number


@needs_data
def test_sms_drops_labeled_ids_and_majority_reproduces_wrench():
    ds = load_wrench(DATA / "sms")
    assert len(ds.train.ids) == 4502
    assert evaluate(ds, "majority", "none").f1 == 23.97
    assert evaluate(ds, "majority", "none", tie_break="first").f1 == 7.14


@needs_data
def test_sms_valid_and_test_votes_are_flagged_and_youtube_is_not():
    sms = [n for n in load_wrench(DATA / "sms").notes if n.startswith("warning:")]
    assert [n.split()[1] for n in sms] == ["valid", "test"]
    assert not [n for n in load_wrench(DATA / "youtube").notes if n.startswith("warning:")]


@needs_data
def test_default_at_least_majority_on_youtube():
    ds = load_wrench(DATA / "youtube")
    default = evaluate(ds, "default", "none")
    majority = evaluate(ds, "majority", "none")
    assert default.accuracy >= majority.accuracy


def test_ranking_errors_are_the_errors_of_the_scored_predictions(tmp_path):
    # the random tie-break hashes the row index: the ranking must count the errors of the
    # test predictions evaluate() scores, not of test rows stacked under train
    ds = load_wrench(write_wrench(tmp_path / "toy", n=300))
    for gold in ("none", "valid"):
        record = evaluate(ds, "majority", gold)
        _, ranked = evaluate_ranking(ds, gold, model_name="majority")
        errors = round((100 - record.accuracy) * len(ds.test.y) / 100)
        assert {r.errors for r in ranked} == {errors}


def test_the_valid_items_weights_learn_from_their_labels_before_review(tmp_path, monkeypatch):
    # the label model fit with the valid labels has learned them: the weights must judge
    # the labels a fit without them gives, as a project's reviewers are shown them
    import labelwright.review.ranking.rank as ranking

    ds = load_wrench(write_wrench(tmp_path / "toy", n=300))
    seen = {}
    real = ranking.rank_queue

    def spy(*args, **kwargs):
        seen.update(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ranking, "rank_queue", spy)
    ds.valid.L[:5] = -1  # five valid items no LF voted on
    evaluate_ranking(ds, "valid", model_name="majority")
    n_train, n_valid = len(ds.train.ids), len(ds.valid.ids)
    valid = slice(n_train, n_train + n_valid)
    unseen = get_model("majority", ds.cardinality, random_state=0, tie_break="random")
    unseen.fit(np.vstack([ds.train.L, ds.valid.L]))
    probs = unseen.predict_proba(ds.valid.L)
    pred = unseen.predict(ds.valid.L)
    shown = seen["shown_label"][valid]
    # as a project exports them: a valid item no LF voted on was shown no label (-1), not
    # the class balance's argmax
    uncovered = ~(ds.valid.L >= 0).any(axis=1)
    assert uncovered.any() and (shown[uncovered] == -1).all()
    assert shown[~uncovered].tolist() == pred[~uncovered].tolist()
    assert np.allclose(seen["shown_probs"][valid], probs)
    others = np.ones(len(seen["shown_label"]), dtype=bool)
    others[valid] = False
    assert (seen["shown_label"][others] == -2).all()
    assert np.isnan(seen["shown_probs"][others]).all()


def test_catch_share_counts_errors_in_the_top_of_the_ranking():
    wrong = np.array([True, False, False, False, True, False, False, False, False, False])
    score = np.array([0.9, 0.1, 0.2, 0.3, 0.8, 0.0, 0.0, 0.0, 0.0, 0.0])
    assert catch_share(score, wrong, 0.1) == 50.0
    assert catch_share(score, wrong, 0.2) == 100.0
    assert catch_share(-score, wrong, 0.2) == 0.0


def test_no_ranking_keeps_the_original_keys(tmp_path):
    folder = write_wrench(tmp_path / "toy")
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "default",
                                            "--no-ranking"])
    assert result.exit_code == 0, result.output
    for line in result.stdout.strip().splitlines():
        assert set(json.loads(line)) == JSON_KEYS


def test_valid_probabilities_for_calibration_are_out_of_fold(tmp_path):
    """With gold=valid, each valid item's probabilities come from a fit without its label."""
    ds = load_wrench(write_wrench(tmp_path / "toy", n=80))
    oof = valid_proba_out_of_fold(ds, "majority")
    assert oof.shape == (80, 2) and np.allclose(oof.sum(axis=1), 1)
    # majority vote ignores gold, so hiding labels changes nothing: same as one fit
    full = get_model("majority", 2).fit(ds.train.L).predict_proba(ds.valid.L)
    np.testing.assert_allclose(oof, full)
    # a model that learns the class balance from gold sees only the other folds' labels
    L_fit = np.vstack([ds.train.L, ds.valid.L])
    y_dev = np.concatenate([np.full(len(ds.train.L), -1), ds.valid.y])
    in_sample = get_model("default", 2).fit(L_fit, y_dev=y_dev).predict_proba(ds.valid.L)
    assert not np.allclose(valid_proba_out_of_fold(ds, "default"), in_sample)


@pytest.mark.parametrize("keep", [["0"], ["0", "1"]])
def test_a_valid_split_too_small_for_stratified_folds_is_calibrated_on(tmp_path, keep):
    """A valid.json of one item (or one item per class) ended in scikit-learn's "Cannot
    have number of splits n_splits=2 greater than the number of samples" with gold=valid:
    each item is held out alone instead."""
    folder = write_wrench(tmp_path / "toy")
    _edit(folder, "valid.json", lambda d: {i: {**d[i], "label": int(i)} for i in keep})
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m", "default",
                                            "-m", "auto", "--gold", "valid"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    ranked = [line for line in lines if "ece_calibrated" in line]
    assert [line["model"] for line in ranked] == ["default", "auto"]
    assert {line["calibration"] for line in ranked} == {"identity"}  # too few to fit more


def test_calibration_extras_name_the_chosen_method(tmp_path):
    ds = load_wrench(write_wrench(tmp_path / "toy", n=80))
    model = get_model("default", 2).fit(ds.train.L)
    extras = calibration_extras(ds, "none", model)
    assert set(extras) == {"ece_calibrated", "calibration", "confidence_map", "no_vote_shares"}
    assert extras["calibration"] in CALIBRATION_METHODS
    assert isinstance(extras["no_vote_shares"], bool)
    assert 0 <= extras["ece_calibrated"] <= 100



def test_splits_without_any_weak_label_are_named(tmp_path):
    """weak_labels: [] everywhere passed the checks and ended in a traceback at the fit."""
    folder = write_wrench(tmp_path / "toy")
    for name in ("train.json", "valid.json", "test.json"):
        _edit(folder, name, lambda d: [item.update(weak_labels=[]) for item in d.values()]
              and None)
    with pytest.raises(WrenchFormatError, match=r"toy: no split has a weak label"):
        load_wrench(folder)


def _texts(folder: Path, split: str, prefix: str) -> None:
    """Give every item of ``split`` its own text (``write_wrench`` writes "x" for all)."""
    _edit(folder, f"{split}.json", lambda d: {i: {**item, "data": {"text": f"{prefix} {i}"}}
                                               for i, item in d.items()})


def test_test_items_also_in_train_get_a_note(tmp_path):
    """All of test copied into train.json gave no note, and the test numbers scored items
    the models were fit on."""
    folder = write_wrench(tmp_path / "toy")
    _texts(folder, "train", "train")
    _texts(folder, "test", "test")
    # WRENCH keys items by place in each split: the same key is no sign of the same item
    assert not [n for n in load_wrench(folder).notes if "in train.json too" in n]
    test = json.loads((folder / "test.json").read_text())
    _edit(folder, "train.json", lambda d: {**d, **{f"t{i}": item for i, item in
                                                    list(test.items())[:7]}})
    _edit(folder, "test.json", lambda d: {f"t{i}": item for i, item in d.items()})
    _edit(folder, "test.json", lambda d: d["t59"].update(data={"text": "train 3"}))
    notes = [n for n in load_wrench(folder).notes if "in train.json too" in n]
    assert notes == ["test.json: 8 of 60 test items are in train.json too (7 by id, 8 by "
                     "identical text): the models are fit on train, so their test scores "
                     "count these items they were fit on (the end model's most of all)"]


def test_the_lfs_weighted_majority_ignores_are_named_in_the_notes(tmp_path):
    folder = write_wrench(tmp_path / "toy", n=200)
    for split in ("train", "valid", "test"):
        path = folder / f"{split}.json"
        doc = json.loads(path.read_text())
        for i, item in enumerate(doc.values()):  # a fifth LF: the wrong class, on 1 in 4
            item["weak_labels"].append(1 - item["label"] if i % 4 == 0 else -1)
        path.write_text(json.dumps(doc))
    result = CliRunner().invoke(bench_app, ["wrench", str(folder), "--json", "-m",
                                            "weighted_majority", "-m", "majority",
                                            "--gold", "none", "--no-ranking"])
    assert result.exit_code == 0, result.output
    notes = [line for line in result.stderr.splitlines() if "ignores" in line]
    assert notes == [notes[0]] and notes[0].startswith(
        "note: toy: weighted_majority (gold=none): weighted_majority ignores 1 LF: 'LF 4' "
        "(25.0% of the items")
