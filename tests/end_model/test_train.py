"""`labelwright train`: the end model on a run's labels, its files and held-out accuracy."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.train import train
from labelwright.end_model.model import EndModel


def _train_cli(root):
    """`labelwright train --project root`, through the command's own CLI function."""
    app = typer.Typer()
    app.command()(train)
    app.command("noop")(lambda: None)  # two commands, so the first is named "train"
    return CliRunner().invoke(app, ["train", "--project", str(root)])


def test_train_command_writes_model_and_fills_uncovered(tmp_path):
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    init_project(tmp_path / "p")
    with open(tmp_path / "p" / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        # no LF votes on these, but their words are in texts the LFs labeled
        handle.write('u1,"the handle of the charger",yes,\nu2,"bought for my dad",yes,\n')
    run = run_project(tmp_path / "p", report=False)
    result = _train_cli(tmp_path / "p")
    assert result.exit_code == 0, result.output
    assert "held-out accuracy" in result.stdout
    out = pd.read_parquet(run.run_dir / "end_model_labels.parquet")
    assert len(out) == len(run.labels)
    out = out.set_index("id")
    assert run.labels.set_index("id").loc[["u1", "u2"], "label"].isna().all()
    assert (out.loc[["u1", "u2"], "label_source"] == "end_model").all()
    assert out.loc[["u1", "u2"], "label"].notna().all()
    # every item the run left unlabeled is labeled by the end model, or left alone as
    # unreadable to it (no word it knows)
    unlabeled = run.labels.set_index("id")["label"].isna()
    assert out.loc[unlabeled[unlabeled].index, "label_source"].isin(["end_model", "none"]).all()
    assert EndModel.load(run.run_dir / "end_model.json").labels == run.project.labels


def test_train_says_which_step_it_is_in(tmp_path, monkeypatch):
    """`train` on a million items printed nothing to a log for 4.5 minutes: each step now
    says when it starts (on stderr: stdout keeps the command's result)."""
    from labelwright.cli.progress import LogProgress
    from labelwright.end_model.train import train_run
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    init_project(tmp_path / "p")
    run_project(tmp_path / "p", report=False)
    shown: list[str] = []
    train_run(tmp_path / "p", stage=shown.append)
    assert shown == ["reading", "fitting the end model", "labeling the items", "writing"]
    original = LogProgress.__init__

    def every_step(self, write, **kwargs):  # type: ignore[no-untyped-def]
        original(self, write, interval=0.0)  # a line per step, however short

    monkeypatch.setattr(LogProgress, "__init__", every_step)
    result = _train_cli(tmp_path / "p")
    assert result.exit_code == 0, result.output
    assert "reading: done in " in result.stderr
    assert "labeling the items: done in " in result.stderr
    assert "fitting the end model ..." in result.stderr and "writing ..." in result.stderr
    assert "fitting" not in result.stdout


def test_texts_the_end_model_cannot_read_stay_unlabeled(tmp_path):
    """An empty text, or one of words the model never saw, got the class prior as an
    'end_model' label."""
    from labelwright.end_model.train import train_run
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    with open(root / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        handle.write('e1,"",yes,\ne2,"   ",yes,\ne3,"ЖЖЖ ΞΞΞ",yes,\n')
    run = run_project(root, report=False)
    result = train_run(root)
    out = pd.read_parquet(result.labels_path).set_index("id")
    for item in ("e1", "e2", "e3"):
        assert pd.isna(out.loc[item, "label"]) and out.loc[item, "label_source"] == "none"
    assert result.n_filled == int((out["label_source"] == "end_model").sum())
    assert result.n_unreadable >= 3
    assert (run.labels.set_index("id").loc[["e1", "e2", "e3"], "label"].isna()).all()


def _trained_project(tmp_path):
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    return root, run_project(root, report=False)


def test_each_rows_probabilities_are_those_behind_its_label(tmp_path):
    """prob_* were the end model's on every row, beside the run's label and confidence:
    rows whose label was not the argmax of their own probabilities."""
    import json

    import numpy as np

    from labelwright.end_model.train import train_run

    root, run = _trained_project(tmp_path)
    result = train_run(root)
    out = pd.read_parquet(result.labels_path).set_index("id")
    mine = run.labels.set_index("id")
    columns = [f"prob_{label}" for label in run.project.labels]
    from_run = out["label_source"] != "end_model"
    np.testing.assert_array_equal(out.loc[from_run, columns].to_numpy(),
                                  mine.loc[out.index[from_run], columns].to_numpy())
    filled = out[out["label_source"] == "end_model"]
    assert (filled["label"] == filled["end_model_label"]).all()
    assert (filled["confidence"] == filled["end_model_confidence"]).all()
    assert out["end_model_label"].notna().any()
    doc = json.loads(result.model_path.read_text(encoding="utf-8"))
    assert doc["training"]["run_id"] == run.run_id
    assert doc["training"]["data_sha256"] == run.dataset.sha256
    assert doc["training"]["items"] == result.n_train


def test_train_refuses_a_run_whose_labels_or_data_changed(tmp_path):
    from labelwright.end_model.train import train_run
    from labelwright.errors import RunError

    root, run = _trained_project(tmp_path)
    data = root / "data" / "reviews.csv"
    original = data.read_text(encoding="utf-8")
    data.write_text(original.replace("love", "hate", 1), encoding="utf-8")
    with pytest.raises(RunError, match=r"reviews\.csv changed since run .* before training"):
        train_run(root)
    data.write_text(original, encoding="utf-8")
    labels = pd.read_parquet(run.run_dir / "labels.parquet")
    labels.loc[0, "label"] = "positive" if labels.loc[0, "label"] != "positive" else "negative"
    labels.to_parquet(run.run_dir / "labels.parquet", index=False)
    with pytest.raises(RunError, match=r"labels\.parquet: changed since the run wrote it"):
        train_run(root)
    (run.run_dir / "labels.parquet").unlink()
    with pytest.raises(RunError, match=r"labels\.parquet: missing"):
        train_run(root)


def test_train_reads_the_runs_labels_after_the_config_gained_one(tmp_path):
    """A label added to [project] labels after the run: train raised KeyError 'prob_spam'."""
    from labelwright.end_model.train import train_run

    root, run = _trained_project(tmp_path)
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'labels = ["negative", "positive"]', 'labels = ["negative", "positive", "spam"]'),
        encoding="utf-8")
    out = pd.read_parquet(train_run(root).labels_path)
    assert [c for c in out.columns if c.startswith("prob_")] == ["prob_negative",
                                                                  "prob_positive"]


def test_items_reviewed_since_the_run_are_labeled_by_their_review(tmp_path):
    """train on a run made before the reviews trained on them as certain, but wrote them out
    with the run's label and source ("model", or "end_model" where the run had none)."""
    import numpy as np

    from labelwright.end_model.train import train_run
    from review_csv import review_items

    root, run = _trained_project(tmp_path)
    mine = run.labels.set_index("id")
    uncovered = mine.index[mine["label"].isna()][0]
    covered = mine.index[mine["label"].notna()][0]
    flipped = "positive" if mine.loc[covered, "label"] == "negative" else "negative"
    review_items(root, {covered: flipped, uncovered: "negative"}, run_id=run.run_id)
    result = train_run(root, run.run_id)
    out = pd.read_parquet(result.labels_path).set_index("id")
    columns = [f"prob_{label}" for label in run.project.labels]
    for item, label in ((covered, flipped), (uncovered, "negative")):
        row = out.loc[item]
        assert (row["label"], row["label_source"], row["confidence"]) == (label, "review", 1.0)
        assert row[columns].tolist() == [float(lab == label) for lab in run.project.labels]
    assert result.n_reviewed == 2
    others = ~out.index.isin([covered, uncovered])
    assert (out.loc[others, "label_source"] != "review").all()
    np.testing.assert_array_equal(  # every label is the argmax of its own probabilities
        out.loc[out["label"].notna(), columns].to_numpy().argmax(axis=1),
        out.loc[out["label"].notna(), "label"].map(
            {lab: k for k, lab in enumerate(run.project.labels)}).to_numpy())


def test_held_out_items_the_end_model_cannot_read_count_as_wrong(tmp_path):
    """Held-out accuracy scored the class prior's argmax on texts the model cannot read,
    which the output leaves unlabeled: a blank gold item could count as right."""
    from labelwright.end_model.train import train_run
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    with open(root / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        # words and characters the model never saw
        handle.write("".join(f'b{k},"\u0416\u0416{chr(0x3b1 + k)} \u039e\u039e",yes,{lab}\n'
                             for k, lab in enumerate(["positive", "negative"] * 4)))
    run_project(root, report=False)
    result = train_run(root)
    out = pd.read_parquet(result.labels_path).set_index("id")
    blank = [f"b{k}" for k in range(8)]
    assert out.loc[blank, "end_model_label"].isna().all()
    data = pd.read_csv(root / "data" / "reviews.csv").set_index("id")
    gold = data["gold"].dropna()
    readable = gold.index[out.loc[gold.index, "end_model_label"].notna()]
    right = (out.loc[readable, "end_model_label"] == gold[readable]).sum()
    assert result.n_gold == len(gold) and not set(blank) & set(readable)
    assert result.n_gold_unreadable == len(gold) - len(readable)
    assert result.accuracy == right / len(gold)


def test_reviewed_gold_items_are_not_called_missing(tmp_path):
    """With every gold item reviewed (so trained on, none held out), train said "no gold
    labels in the dataset"."""
    from labelwright.config import load_config
    from labelwright.data.dataset import read_dataset
    from review_csv import review_items

    root, run = _trained_project(tmp_path)
    config = load_config(root)
    dataset = read_dataset(config.data, config.labels)
    gold = {i: config.labels[g] for i, g in zip(dataset.ids, dataset.gold) if g >= 0}
    assert gold
    review_items(root, gold, run_id=run.run_id)
    result = _train_cli(root)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert f"every gold item of the dataset ({len(gold)}) has a review" in text
    assert "no gold labels in the dataset" not in text


def test_reviews_train_cannot_use_are_named_not_dropped_in_silence(tmp_path):
    """A review with a label the run does not have, and two reviewers split evenly: train
    said "(0 reviewed)" and nothing else, where `labelwright run` warns of both."""
    from labelwright.end_model.train import train_run
    from review_csv import review_items

    root, run = _trained_project(tmp_path)
    ids = run.labels["id"].tolist()
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'labels = ["negative", "positive"]', 'labels = ["negative", "positive", "spam"]'),
        encoding="utf-8")
    review_items(root, {ids[0]: "spam", ids[1]: "negative"}, run_id=run.run_id)
    review_items(root, {ids[1]: "positive"}, run_id=run.run_id, rater="bo", sha="s2")
    result = train_run(root, run.run_id)
    assert result.n_reviewed == 0
    assert any("1 review decision(s) have a label the run does not have" in w
               for w in result.warnings)
    assert any(f"1 item(s) await adjudication (their reviewers are split evenly), so they "
               f"have no reviewed label: {ids[1]!r}" in w for w in result.warnings)
    printed = _train_cli(root)
    assert printed.exit_code == 0 and "label the run does not have" in printed.stderr


def test_the_same_label_for_every_item_labels_nothing(tmp_path):
    """Every item it trained on had one label: the model's coefficients were all zero and it
    labelled every uncovered item with that label at the labels' confidence (1.0 for one
    class)."""
    import shutil

    from labelwright.end_model.train import train_run
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    shutil.rmtree(root / "glossaries")
    (root / "glossaries").mkdir()
    (root / "labeling_functions" / "reviews.py").write_text(
        "from labelwright import ABSTAIN, labeling_function\n\n\n"
        "@labeling_function()\ndef says_it(item):\n"
        "    return 'positive' if 'it' in item.text.lower() else ABSTAIN\n", encoding="utf-8")
    run = run_project(root, report=False)
    assert set(run.labels["label"].dropna()) == {"positive"}
    result = train_run(root)
    assert result.same_target and result.n_filled == 0
    assert result.accuracy is None  # it read nothing: 0% would be a made-up score
    assert any("every item it trained on has the same label ('negative' 0." in w
               for w in result.warnings)
    out = pd.read_parquet(result.labels_path).set_index("id")
    uncovered = run.labels.set_index("id")["label"].isna()
    assert (out.loc[uncovered[uncovered].index, "label_source"] == "none").all()
    assert out["end_model_label"].isna().all()
    # still a column of strings, as in every other train (it was typed `null`)
    schema = pq.read_schema(result.labels_path)
    assert schema.field("end_model_label").type == schema.field("label_source").type


def test_a_character_model_does_not_read_spaces(tmp_path):
    """With texts of emoji only the model falls back to characters, the space among them: a
    text of spaces, or of emoji it never saw, counted as readable and got a label."""
    import numpy as np

    texts = ["\U0001f44d \u2764", "\U0001f621", "\U0001f44d", "\U0001f621 \U0001f621"] * 3
    model = EndModel(["neg", "pos"]).fit(texts, np.array([[0.1, 0.9], [0.9, 0.1]] * 6))
    assert model.tfidf_["analyzer"] == "char" and " " not in model.vocabulary_
    X = model.transform(["\U0001f643 \U0001f914", "   ", "\U0001f44d \U0001f44d"])
    assert np.diff(X.indptr).tolist() == [0, 0, 1]
    assert model.predict(["\U0001f44d", "\U0001f621"]).tolist() == [1, 0]


def test_end_model_features_reach_train_and_the_run(tmp_path):
    """[end_model] features decides what train's model and the ranking's models read."""
    import json

    from labelwright.end_model.train import train_run

    root, run = _trained_project(tmp_path)
    manifest = json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triage"]["end_model_features"] == "auto"
    doc = json.loads(train_run(root).model_path.read_text(encoding="utf-8"))
    assert doc["version"] == 4 and doc["training"]["features"] == "words+chars"
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8")
                      + '\n[end_model]\nfeatures = "words"\n', encoding="utf-8")
    from labelwright.project import run_project

    words = run_project(root, report=False)
    manifest = json.loads((words.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triage"]["end_model_features"] == "words"
    doc = json.loads(train_run(root).model_path.read_text(encoding="utf-8"))
    assert doc["version"] == 4 and doc["training"]["features"] == "words"


def test_train_records_that_a_model_of_single_characters_reads_chars(make_project):
    """training.features said "words" for the model train falls back to when no text has a
    word of two letters, which reads single characters."""
    import json

    from labelwright.end_model.train import train_run
    from labelwright.project import run_project

    letters = ("from labelwright import ABSTAIN, labeling_function\n\n\n"
               "@labeling_function()\ndef first_letter(item):\n"
               "    return {'a': 'billing', 'b': 'technical'}.get(item.text[:1], ABSTAIN)\n")
    rows = [{"id": f"r{k}", "text": text, "gold": ""}
            for k, text in enumerate(["a", "b", "a b", "c"])]
    root = make_project(rows=rows, lfs={"letters": letters})
    run_project(root, report=False)
    doc = json.loads(train_run(root).model_path.read_text(encoding="utf-8"))
    assert doc["tfidf"]["analyzer"] == "char" and doc["training"]["features"] == "chars"


def test_an_edited_end_model_does_not_pass_as_the_one_train_wrote(tmp_path):
    """`runs verify` said train's model and labels "belong together" after the model's label
    names were swapped (every prediction then names the other class) or its weights
    changed: nothing recorded the model's hash, nor compared its labels with the run's; and
    a model without its labels' hash passed as one from before that hash."""
    import copy
    import json

    from labelwright.end_model.train import train_run
    from labelwright.end_model.train_outputs import LABELS_FILE, MODEL_FILE, check_train_outputs
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.runs.store import read_manifest

    root, run = _trained_project(tmp_path)
    path = train_run(root).model_path
    trained = json.loads(path.read_text(encoding="utf-8"))

    def check(edit):
        doc = copy.deepcopy(trained)
        edit(doc)
        path.write_text(json.dumps(doc, indent=1), encoding="utf-8")  # spacing is no edit
        return check_train_outputs(run.run_dir, read_manifest(run.run_dir), ledger_path(root))

    assert check(lambda doc: None) == ([], [], [MODEL_FILE, LABELS_FILE])
    edited = f"{MODEL_FILE}: not the model `labelwright train` wrote (sha256 "
    problems = check(lambda doc: doc["labels"].reverse()).problems
    assert len(problems) == 2 and problems[1].startswith(edited)
    assert problems[0] == (f"{MODEL_FILE}: its labels ['positive', 'negative'] are not the "
                           "run's ['negative', 'positive'] (names and order)")
    problems = check(lambda doc: doc["logistic"]["intercept"].__setitem__(0, 3.0)).problems
    assert len(problems) == 1 and problems[0].startswith(edited)
    problems = check(lambda doc: doc["training"].pop("labels_sha256")).problems
    assert len(problems) == 2 and problems[0].startswith(edited)
    assert problems[1] == (f"{MODEL_FILE}: records its own sha256 but not that of "
                           f"{LABELS_FILE} (train records both)")
    # a model from before train recorded either hash: said, not failed
    old = check(lambda doc: [doc["training"].pop(key) for key in ("model_sha256", "labels_sha256")])
    assert not old.problems and not old.checked
    assert "cannot be checked against each other" in old.notes[0]
    # one from the release that recorded the labels' hash alone: that is still checked
    labels_only = check(lambda doc: doc["training"].pop("model_sha256"))
    assert labels_only.problems == [] and labels_only.checked == [MODEL_FILE, LABELS_FILE]
    assert "did not record its own hash: edits to it cannot be found" in labels_only.notes[0]


def test_train_reads_the_texts_it_trained_on_once(tmp_path, monkeypatch):
    """On a million items reading the texts was most of `train`'s time, and the items
    trained on were read twice: to fit, and again for their predictions."""
    from labelwright.end_model.train import train_run
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    run_project(root, report=False)
    read: list[int] = []
    transform = EndModel.transform
    monkeypatch.setattr(EndModel, "transform",
                        lambda self, texts: read.append(len(texts)) or transform(self, texts))
    result = train_run(root)
    labels = pd.read_parquet(result.labels_path)
    assert read == [len(labels) - result.n_train]
    assert 0 < read[0] < len(labels)


def test_held_out_accuracy_is_said_apart_where_the_run_labeled_and_where_it_did_not(tmp_path):
    """A user's end model led 80.1% to 69.9% on gold, and tied (91.5 to 91.1) on the items
    the run labeled: all of the gap was the items it left without a label. train says
    both parts and records them in end_model.json."""
    import json

    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    with open(root / "data" / "reviews.csv", "a", encoding="utf-8") as handle:
        # gold items no LF votes on, in words the LFs' items use
        handle.write('u1,"the handle of the charger",yes,negative\n'
                     'u2,"bought for my dad",yes,positive\n')
    run = run_project(root, report=False)
    said = _train_cli(root)
    assert said.exit_code == 0, said.output
    doc = json.loads((run.run_dir / "end_model.json").read_text(encoding="utf-8"))
    held = doc["training"]["held_out"]
    # the parts, counted here from the files train and run wrote
    out = pd.read_parquet(run.run_dir / "end_model_labels.parquet").set_index("id")
    data = pd.read_csv(root / "data" / "reviews.csv", dtype=str).set_index("id")
    gold = data["gold"].dropna()
    run_label = run.labels.set_index("id")["label"]
    parts = {}
    for key, ids in (("run_labeled", [i for i in gold.index if pd.notna(run_label[i])]),
                     ("run_unlabeled", [i for i in gold.index if pd.isna(run_label[i])])):
        end = out.loc[ids, "end_model_label"].fillna("")  # unread: no label, wrong
        parts[key] = (len(ids), float((end == gold[ids]).mean()),
                      float((run_label[ids].fillna("") == gold[ids]).mean()))
    assert parts["run_unlabeled"][0] >= 2 and parts["run_labeled"][0] >= 5
    assert held["gold_items"] == len(gold)
    for key in ("run_labeled", "run_unlabeled"):
        assert held[key]["items"] == parts[key][0]
        assert held[key]["end_model_accuracy"] == pytest.approx(parts[key][1])
    assert held["run_labeled"]["label_model_accuracy"] == pytest.approx(
        parts["run_labeled"][2])
    text = " ".join(said.stdout.split())
    labeled, unlabeled = held["run_labeled"], held["run_unlabeled"]
    # macro-F1 beside accuracy (auto chooses by it), counted here with scikit-learn over the
    # labels in the gold or given (an unread item: a miss, no label of its own)
    from sklearn.metrics import f1_score

    end = out.loc[gold.index, "end_model_label"].fillna("")
    present = sorted(set(gold) | set(end) - {""})
    end_f1 = f1_score(gold, end, labels=present, average="macro")
    lm_f1 = f1_score(gold, run_label[gold.index].fillna(""),
                     labels=sorted(set(gold) | set(run_label[gold.index].dropna())),
                     average="macro")
    assert held["end_model_macro_f1"] == pytest.approx(end_f1)
    assert held["label_model_macro_f1"] == pytest.approx(lm_f1)
    assert (f"held-out accuracy on {len(gold)} gold items: end model "
            f"{100 * held['end_model_accuracy']:.1f}% (macro-F1 {end_f1:.3f}), label model "
            f"{100 * held['label_model_accuracy']:.1f}% (macro-F1 {lm_f1:.3f})") in text
    assert (f"on the {labeled['items']} gold items the run labeled: end model "
            f"{100 * labeled['end_model_accuracy']:.1f}%, label model "
            f"{100 * labeled['label_model_accuracy']:.1f}%") in text
    assert (f"on the {unlabeled['items']} gold items the run left without a label: end "
            f"model {100 * unlabeled['end_model_accuracy']:.1f}% (the label model gave "
            "them none)") in text
    assert "F1 per label (end model / label model; held-out gold items): " in text
    assert "the end model's labels of them (label_source end_model): " in text


def test_items_with_a_held_out_gold_items_text_are_not_trained_on(tmp_path):
    """A dataset holding a gold item's text again (a canned reply, a reposted comment)
    trained the end model on that text with the run's label and then scored it on the gold
    copy: the held-out accuracy measured memory, not reading. Those items are left out of
    training, counted and said."""
    import csv

    from labelwright.end_model.train import train_run
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    data = root / "data" / "reviews.csv"
    with open(data, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows, columns = list(reader), reader.fieldnames
    gold_column = next(c for c in columns if "gold" in c)
    gold_rows = [r for r in rows if r[gold_column]]
    with open(data, "a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        for k, row in enumerate(gold_rows[:3]):  # the same texts, spaced differently
            writer.writerow({**row, "id": f"copy{k}", gold_column: "",
                             "text": "  " + row["text"].replace(" ", "  ") + " "})
    run = run_project(root, report=False)
    result = train_run(root)
    labeled = run.labels.set_index("id")["label"].notna()
    gold_ids = {r["id"] for r in gold_rows}
    trainable = sum(1 for i, has in labeled.items() if has and i not in gold_ids)
    copies_labeled = sum(bool(labeled[f"copy{k}"]) for k in range(3))
    assert copies_labeled > 0  # the run labeled them: the model would have trained on them
    # counted where labeled: a copy without a label is trained on in no case
    assert result.n_same_text_as_gold == copies_labeled
    assert result.n_train == trainable - copies_labeled
    shown = _train_cli(root)
    assert shown.exit_code == 0, shown.output
    assert (f"{copies_labeled} item{'s' if copies_labeled > 1 else ''} with a held-out gold "
            "item's text left out of training") in shown.stdout


def test_no_gold_names_what_gets_an_accuracy_figure(tmp_path):
    """"no gold labels in the dataset: accuracy not measured" gave no next step."""
    from labelwright.project import run_project
    from labelwright.scaffold import init_project

    root = tmp_path / "p"
    init_project(root)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('gold_column = "gold"', "# no gold"))
    run_project(root, report=False)
    result = _train_cli(root)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "no gold labels in the dataset: accuracy not measured (" in text
    assert "[data] gold_column" in text and "[triage] random_sample = N" in text
    assert "`labelwright review export --sample`" in text


def test_train_says_how_many_gold_items_a_review_took_out_of_the_held_out_ones(tmp_path):
    """train held out fewer gold items than the dataset (and the run) had, the reviewed
    ones trained on instead, and said nothing of it."""
    from labelwright.config import load_config
    from labelwright.data.dataset import read_dataset
    from review_csv import review_items

    root, run = _trained_project(tmp_path)
    plain = " ".join(_train_cli(root).stdout.split())
    assert "have a review" not in plain and "has a review" not in plain
    config = load_config(root)
    dataset = read_dataset(config.data, config.labels)
    gold = {i: config.labels[g] for i, g in zip(dataset.ids, dataset.gold) if g >= 0}
    assert len(gold) > 3
    review_items(root, dict(list(gold.items())[:2]), run_id=run.run_id)
    result = _train_cli(root)
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert f"held-out accuracy on {len(gold) - 2} gold items" in text
    assert (f"(2 gold items of the dataset have a review, so they train the model on the "
            f"reviewed label instead of being held out: {len(gold) - 2} held out of "
            f"{len(gold)})") in text
