"""`labelwright train --min-confidence` and `--all-items`, and the per-label scores train says
and records: what a user of a 12-intent support project missed (every uncovered item labeled
at any confidence, no rare-label F1, half the data never learned from)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.train import train


def _train_cli(root, *options):
    """`labelwright train --project root [options]`, through the command's own function."""
    app = typer.Typer()
    app.command()(train)
    app.command("noop")(lambda: None)  # two commands, so the first is named "train"
    return CliRunner().invoke(app, ["train", "--project", str(root), *options])


@pytest.fixture
def uncovered(tmp_path):
    """The demo project with gold items no LF votes on (in words the LFs' items use), and
    copies of gold texts: a run of it."""
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    data = root / "data" / "reviews.csv"
    with open(data, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, columns = list(reader), list(reader.fieldnames or [])
    gold_column = next(c for c in columns if "gold" in c)
    with open(data, "a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        for k, (text, label) in enumerate([
                ("the handle of the charger", "negative"), ("bought for my dad", "positive"),
                ("the charger of my dad", "negative"), ("bought the handle", "positive"),
                ("my dad", "positive"), ("the handle", "negative")]):
            writer.writerow({**{c: "" for c in columns}, "id": f"u{k}", "text": text,
                             gold_column: label})
        gold_rows = [r for r in rows if r[gold_column]]
        for k, row in enumerate(gold_rows[:3]):  # a gold item's text again, without gold
            writer.writerow({**row, "id": f"copy{k}", gold_column: ""})
        # a copy of a gold text no LF covers: no label, trained on in no case
        writer.writerow({**{c: "" for c in columns}, "id": "copy_u0",
                         "text": "the handle of the charger"})
    return root, run_project(root, report=False)


def _fills(result):
    out = pd.read_parquet(result.labels_path).set_index("id")
    return out, out[out["label_source"].isin(["end_model", "below_min_confidence"])]


def test_min_confidence_leaves_the_end_models_unsure_labels_unlabeled_and_says_how_right(
        uncovered):
    """Every item no LF covered got the end model's label at any confidence (a 12-intent
    project: 1,260 of 1,791 such items went to billing, wrong ones at 0.25 on average)."""
    from labelwright.end_model.train import train_run

    root, run = uncovered
    plain = train_run(root)
    out, fills = _fills(plain)
    assert (fills["label_source"] == "end_model").all() and plain.n_below_floor == 0
    confidences = np.sort(fills["end_model_confidence"].to_numpy())
    assert len(confidences) >= 4 and confidences[0] < confidences[-1]
    floor = float(confidences[len(confidences) // 2])  # half above, some below
    result = train_run(root, min_confidence=floor)
    out, fills = _fills(result)
    below = fills["end_model_confidence"] < floor
    assert below.any() and (~below).any()
    assert (fills.loc[below, "label_source"] == "below_min_confidence").all()
    assert fills.loc[below, "label"].isna().all()  # unlabeled, the guess still said
    assert fills.loc[below, "end_model_label"].notna().all()
    assert (fills.loc[~below, "label_source"] == "end_model").all()
    assert fills.loc[~below, "label"].tolist() == fills.loc[~below, "end_model_label"].tolist()
    assert result.n_below_floor == int(below.sum())
    assert result.n_filled == int((~below).sum())
    # how right the end model was above and below the floor, on the gold items no LF covered
    data = pd.read_csv(root / "data" / "reviews.csv", dtype=str).set_index("id")
    gold = data[next(c for c in data.columns if "gold" in c)]
    for key, part in (("above", fills[~below]), ("below", fills[below])):
        scored = part[gold.reindex(part.index).notna().to_numpy()]
        assert result.floor[key]["items"] == len(scored)
        if len(scored):
            right = float((scored["end_model_label"] == gold[scored.index]).mean())
            assert result.floor[key]["end_model_accuracy"] == pytest.approx(right)
    assert result.floor["above"]["items"] + result.floor["below"]["items"] >= 4
    doc = json.loads(result.model_path.read_text(encoding="utf-8"))
    assert doc["training"]["min_confidence"] == floor
    assert doc["training"]["below_min_confidence"] == result.n_below_floor
    assert doc["training"]["held_out"]["min_confidence"] == result.floor
    said = _train_cli(root, "--min-confidence", str(floor))
    assert said.exit_code == 0, said.output
    text = " ".join(said.stdout.split())
    assert (f"{result.n_below_floor} item{'s' if result.n_below_floor > 1 else ''} it "
            f"labels below --min-confidence {floor:g} stay unlabeled") in text
    assert f"at --min-confidence {floor:g}, of the gold items the run left without a label" \
        in text


@pytest.mark.parametrize("value", ["1.5", "-0.1"])
def test_a_floor_outside_0_to_1_is_refused_naming_the_range(uncovered, value):
    from labelwright.end_model.train import train_run

    root, _ = uncovered
    said = _train_cli(root, "--min-confidence", value)
    assert said.exit_code == 2 and "--min-confidence" in said.output
    with pytest.raises(ValueError, match="expected a number from 0 to 1"):
        train_run(root, min_confidence=float(value))


def test_train_says_the_rare_labels_f1_and_records_each_labels_scores(uncovered):
    """train said the weakest labels but, unlike run, no rare-label F1, and end_model.json
    kept no per-label scores."""
    from labelwright.end_model.train import train_run
    from labelwright.project.label_f1 import rare_labels

    root, run = uncovered
    result = train_run(root)
    out = pd.read_parquet(result.labels_path).set_index("id")
    data = pd.read_csv(root / "data" / "reviews.csv", dtype=str).set_index("id")
    gold = data[next(c for c in data.columns if "gold" in c)].dropna()
    given = out.loc[gold.index, "end_model_label"]
    doc = json.loads(result.model_path.read_text(encoding="utf-8"))
    records = {r["label"]: r for r in doc["training"]["held_out"]["per_label"]["end_model"]}
    assert set(records) == set(run.project.labels)
    for label, record in records.items():
        assert record["support"] == int((gold == label).sum())
        assert record["predicted"] == int((given == label).sum())
        assert record["correct"] == int(((gold == label) & (given == label)).sum())
    assert set(doc["training"]["held_out"]["per_label"]) == {"end_model", "label_model"}
    line = rare_labels(result.per_label["end_model"])
    assert line
    said = _train_cli(root)
    assert said.exit_code == 0, said.output
    assert f"end model's {line}" in " ".join(said.stdout.split())


def test_all_items_refits_on_the_held_out_items_and_their_texts_after_measuring(uncovered):
    """Left out to measure, a gold item's text copies were never learned: on chat data
    that repeats, 5,686 of 11,922 labeled items. --all-items measures as before, then fits
    the model saved on every labeled item, and the model says which it is."""
    from labelwright.end_model.train import train_run

    root, run = uncovered
    measured = train_run(root)
    labeled = run.labels.set_index("id")["label"].notna()
    assert not labeled["copy_u0"]
    # the copies left out of training: those with a label (a chat project's count had
    # 804 without one among its 6,490)
    assert measured.n_same_text_as_gold == sum(labeled[f"copy{k}"] for k in range(3)) > 0
    assert not measured.all_items
    result = train_run(root, all_items=True)
    assert result.all_items and result.n_train == int(labeled.sum())
    assert result.n_measured == measured.n_train < result.n_train
    assert result.accuracy == measured.accuracy  # the measured model's, as before
    assert result.f1 == measured.f1
    doc = json.loads(result.model_path.read_text(encoding="utf-8"))
    assert doc["training"]["all_items"] is True
    assert doc["training"]["items"] == result.n_train
    assert doc["training"]["measured_items"] == measured.n_train
    assert doc["training"]["held_out"]["end_model_accuracy"] == measured.accuracy
    before = json.loads(json.dumps(doc["logistic"]))
    train_run(root)
    plain = json.loads(result.model_path.read_text(encoding="utf-8"))
    assert plain["training"]["all_items"] is False
    assert plain["training"]["items"] == plain["training"]["measured_items"]
    assert plain["logistic"] != before  # another model: it learned other items
    said = _train_cli(root, "--all-items")
    assert said.exit_code == 0, said.output
    text = " ".join(said.stdout.split())
    assert (f"measured with a model trained on {measured.n_train:,} items (no held-out gold "
            "item, nor its text); the model saved, and the labels it gave, are refit on all "
            f"{result.n_train:,} labeled items (--all-items)") in text
    assert "left out of training, so no gold text is one it learned; the model saved " \
        "learned them" in text


def test_all_items_says_its_floor_split_is_the_measured_models(uncovered):
    """With --all-items the labeled and unlabeled counts are the refit model's, while the
    floor's gold split can only be the measured one's (the refit learned those items):
    the line said neither, and its sides need not add up to the refit's."""
    from labelwright.end_model.train import train_run

    root, _ = uncovered
    _, fills = _fills(train_run(root))
    confidences = np.sort(fills["end_model_confidence"].to_numpy())
    floor = float(confidences[len(confidences) // 2])
    measured = train_run(root, min_confidence=floor)
    result = train_run(root, min_confidence=floor, all_items=True)
    assert result.floor == measured.floor  # measured before the refit, as accuracy is
    whose = "(by the measured model: the refit one saved learned these items)"
    refit = " ".join(_train_cli(root, "--min-confidence", str(floor), "--all-items")
                     .stdout.split())
    plain = " ".join(_train_cli(root, "--min-confidence", str(floor)).stdout.split())
    assert f"of the gold items the run left without a label {whose}: labeled" in refit
    assert whose not in plain and "left without a label: labeled" in plain


def test_train_says_why_it_learned_from_few_items_when_gold_covers_most(tmp_path):
    """A dataset whose gold column covers most items (all of them: the reviewed ones are
    all the model learns from) trained a model on a handful of items, which said nothing
    of why: train names the held-out gold and the ways to learn from more."""
    from labelwright.end_model.train import train_run
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    run_project(root, report=False)
    result = train_run(root)
    assert result.n_gold > result.n_train > 0  # the demo: 9 gold items, 7 others
    said = _train_cli(root)
    assert said.exit_code == 0, said.output
    text = " ".join(said.stdout.split())
    assert (f"only {result.n_train} items to learn from: the {result.n_gold} held-out gold "
            "items ([data] gold_column) are scored, never learned from; `labelwright train "
            "--all-items` fits the model saved on their run labels too") in text
    refit = _train_cli(root, "--all-items")
    assert refit.exit_code == 0, refit.output
    assert "to learn from" not in refit.stdout
    # gold on 2 items only: more to learn from than to score on, nothing to say
    data = root / "data" / "reviews.csv"
    frame = pd.read_csv(data, dtype=str, keep_default_na=False)
    gold = frame.index[frame["gold"] != ""]
    frame.loc[gold[2:], "gold"] = ""
    frame.to_csv(data, index=False)
    run_project(root, report=False)
    few_gold = _train_cli(root)
    assert few_gold.exit_code == 0, few_gold.output
    assert "held-out accuracy on 2 gold items" in " ".join(few_gold.stdout.split())
    assert "to learn from" not in few_gold.stdout
