"""The final dataset: rows, confidence filter, reviewed labels, every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.training_export import export
from labelwright.errors import RunError
from labelwright.review.training_set import COLUMNS, export_training_set, training_frame

IDS = ["a", "b", "c", "d"]


@pytest.fixture
def reviewed_project(reviewed_project):
    """The review tests' project with its gold column unset after the run: all but one of
    its items have gold, and gold items are held out of a training set (tests of that at
    the end), so these tests of the files themselves read the run's model labels."""
    toml = reviewed_project.root / "labelwright.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'gold_column = "gold"\n' in text
    toml.write_text(text.replace('gold_column = "gold"\n', ""), encoding="utf-8")
    return reviewed_project
TEXTS = ["refund please", "app crashes", "hello", "charged twice"]


def labels_frame():
    return pd.DataFrame({
        "id": IDS,
        "label": pd.array(["billing", "technical", None, "technical"], dtype="string"),
        "confidence": [0.95, 0.6, 0.0, 0.3],
        "label_source": ["model", "model", "none", "review"],
        "status": ["accepted", "review", "review", "reviewed"],
    })


def test_confidence_filter_keeps_reviewed_labels():
    frame = training_frame(labels_frame(), IDS, TEXTS, min_confidence=0.7)
    assert list(frame.columns) == COLUMNS
    assert frame["id"].tolist() == ["a", "d"]
    assert frame.set_index("id").loc["d", "probability"] == 1.0
    assert frame["label_source"].tolist() == ["model", "review"]
    assert frame["text"].tolist() == ["refund please", "charged twice"]
    assert frame.attrs["left_out"] == {"unlabelled": 1, "below_min_confidence": 1,
                                     "held_out_gold": 0}
    assert training_frame(labels_frame(), IDS, TEXTS)["id"].tolist() == ["a", "b", "d"]


def test_the_status_column_and_accepted_only():
    """A model label still in the review queue (b: low confidence) went into the training
    set exactly like an accepted one: nothing in the file told them apart."""
    frame = training_frame(labels_frame(), IDS, TEXTS)
    assert frame["status"].tolist() == ["accepted", "review", "reviewed"]
    accepted = training_frame(labels_frame(), IDS, TEXTS, accepted_only=True)
    assert accepted["id"].tolist() == ["a", "d"]
    assert accepted.attrs["left_out"] == {"unlabelled": 1, "below_min_confidence": 0,
                                          "held_out_gold": 0, "in_review_queue": 1}
    # below --min-confidence and in the queue: counted once, under the confidence
    both = training_frame(labels_frame(), IDS, TEXTS, accepted_only=True, min_confidence=0.7)
    assert both.attrs["left_out"]["below_min_confidence"] == 1
    assert both.attrs["left_out"]["in_review_queue"] == 0
    old = labels_frame().drop(columns="status")  # a run's labels from before the column
    assert training_frame(old, IDS, TEXTS)["status"].isna().all()
    with pytest.raises(RunError, match="no 'status' column"):
        training_frame(old, IDS, TEXTS, accepted_only=True)


def test_reviewed_items_whose_gold_differs_are_named():
    """A gold item reviewed with another label was exported with the review's label, and
    neither the command nor the provenance said so."""
    labels = ("billing", "technical")
    gold = [-1, -1, -1, 0]  # d: gold billing, reviewed technical
    frame = training_frame(labels_frame(), IDS, TEXTS, gold=gold, labels=labels)
    assert frame.set_index("id").loc["d", "label"] == "technical"
    assert frame.attrs["gold_differs"] == ["d"]
    agree = training_frame(labels_frame(), IDS, TEXTS, gold=[-1, -1, -1, 1], labels=labels)
    assert agree.attrs["gold_differs"] == []
    kept = training_frame(labels_frame(), IDS, TEXTS, gold=[0, -1, -1, -1], labels=labels,
                          with_gold=True)
    assert kept.set_index("id").loc["a", "status"] == "gold"


def test_bad_threshold_and_missing_items():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        training_frame(labels_frame(), IDS, TEXTS, min_confidence=2)
    with pytest.raises(RunError, match="not in the dataset"):
        training_frame(labels_frame(), IDS[:2], TEXTS[:2])


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "spacy"])
def test_every_format_from_a_run(reviewed_project, tmp_path, fmt):
    out = tmp_path / f"train.{fmt}"
    frame = export_training_set(reviewed_project.root, out, min_confidence=0.5)
    assert len(frame) == 5 and out.is_file()  # t5 has no label
    if fmt == "parquet":
        assert pd.read_parquet(out)["id"].tolist() == frame["id"].tolist()
    elif fmt == "csv":
        assert pd.read_csv(out)["label"].tolist() == frame["label"].tolist()
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert rows[0].keys() == set(COLUMNS) and rows[0]["id"] == "t1"
    else:
        import spacy
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
        assert [d.text for d in docs] == frame["text"].tolist()
        assert docs[0].cats == {"billing": 1.0, "technical": 0.0}
        assert [d.user_data["id"] for d in docs] == frame["id"].tolist()
    # beside it, where it came from: a model trained on the file traces back to the run
    from labelwright.runs.store import file_sha256

    record = json.loads((tmp_path / f"train.{fmt}.provenance.json").read_text())
    assert record["sha256"] == file_sha256(out) and record["rows"] == 5
    assert record["run_id"] == reviewed_project.run_id and record["format"] == fmt
    assert record["manifest_sha256"] == file_sha256(reviewed_project.run_dir / "manifest.json")
    assert record["min_confidence"] == 0.5
    assert record["left_out"] == {"unlabelled": 1, "below_min_confidence": 0, "held_out_gold": 0}


def test_dataset_changed_since_the_run(reviewed_project, tmp_path):
    data = reviewed_project.root / "data" / "items.csv"
    data.write_text(data.read_text() + "t7,new item,pro,\n")
    with pytest.raises(RunError, match="changed since run"):
        export_training_set(reviewed_project.root, tmp_path / "t.csv")


def test_ids_or_texts_from_other_columns_since_the_run(reviewed_project, tmp_path):
    """[data] text_column changed after the run: export paired the run's labels with the
    other column's values ("email" labeled bug) and said nothing."""
    toml = reviewed_project.root / "labelwright.toml"
    original = toml.read_text()
    toml.write_text(original.replace('path = "data/items.csv"\n',
                                     'path = "data/items.csv"\ntext_column = "plan"\n'))
    try:
        with pytest.raises(RunError, match=r"read its ids and texts from the columns 'id' and "
                                           r"'text' .*now names 'id' and 'plan'"):
            export_training_set(reviewed_project.root, tmp_path / "t.csv")
    finally:
        toml.write_text(original)
    export_training_set(reviewed_project.root, tmp_path / "t.csv")


def test_unknown_suffix(reviewed_project, tmp_path):
    with pytest.raises(ValueError, match="parquet, csv, jsonl, spacy$"):
        export_training_set(reviewed_project.root, tmp_path / "t.xlsx")


def test_a_path_without_a_suffix_names_the_wrench_folder_too(reviewed_project, tmp_path):
    """`export --out w` (a folder for the bench) listed the training formats alone."""
    with pytest.raises(ValueError, match="parquet, csv, jsonl, spacy; a folder of the run's "
                       "votes for `labelwright bench wrench` is --format wrench"):
        export_training_set(reviewed_project.root, tmp_path / "w")


def test_the_format_and_the_file_name_agree(reviewed_project, tmp_path, monkeypatch):
    """--format csv wrote CSV into training.parquet, and --format parquet --out x.csv
    Parquet into x.csv."""
    from labelwright.review.training_set import training_target

    assert training_target(None, None) == (Path("training.parquet"), "parquet")
    assert training_target(None, "csv") == (Path("training.csv"), "csv")
    assert training_target("a/t.JSONL", None) == (Path("a/t.JSONL"), "jsonl")
    assert training_target("t.txt", "csv") == (Path("t.txt"), "csv")
    with pytest.raises(ValueError, match=r"the suffix says csv, --format \(fmt= from "
                                         r"Python\) says parquet"):
        export_training_set(reviewed_project.root, tmp_path / "x.csv", fmt="parquet")
    # without a file name: into the project folder, wherever the caller is
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    frame = export_training_set(reviewed_project.root, fmt="csv")
    written = reviewed_project.root / "training.csv"
    assert frame.attrs["out"] == written
    assert pd.read_csv(written).columns.tolist() == COLUMNS
    assert not (reviewed_project.root / "training.parquet").exists()
    assert list(elsewhere.iterdir()) == []


def test_cli_export(reviewed_project, tmp_path):
    app = typer.Typer()
    app.command()(export)
    app.command("noop")(lambda: None)  # two commands: typer keeps "export" as a subcommand
    out = tmp_path / "train.jsonl"
    result = CliRunner().invoke(app, ["export", "--out", str(out), "--min-confidence", "0.9",
                                      "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert "wrote 5 items" in said and out.is_file()
    assert "left out: 1 without a label)" in said  # nothing below 0.9 here
    queued = int(pd.read_json(out, lines=True)["status"].eq("review").sum())
    assert queued > 0 and (f"{queued} of them still in the review queue (status review; "
                           "--accepted-only leaves them out)") in said
    result = CliRunner().invoke(app, ["export", "--out", str(out), "--min-confidence", "0.9",
                                      "--accepted-only",
                                      "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert f"wrote {5 - queued} items" in said and f"{queued} still in the review queue" in said
    assert not pd.read_json(out, lines=True)["status"].eq("review").any()
    record = json.loads((tmp_path / "train.jsonl.provenance.json").read_text())
    assert record["accepted_only"] is True and record["left_out"]["in_review_queue"] == queued


def test_export_reads_the_data_with_the_runs_labels(reviewed_project, tmp_path):
    """A label renamed in [project] labels after the run: export read the data with the new
    labels and stopped on the old gold label, though the run's labels were the old ones."""
    config = reviewed_project.root / "labelwright.toml"
    text = config.read_text(encoding="utf-8")
    assert '"technical"]' in text
    config.write_text(text.replace('"technical"]', '"tech"]'), encoding="utf-8")
    frame = export_training_set(reviewed_project.root, tmp_path / "t.csv")
    assert set(frame["label"]) == {"billing", "technical"}
    run = pd.read_parquet(reviewed_project.run_dir / "labels.parquet")
    assert len(frame) == run["label"].notna().sum()


def test_the_training_set_never_overwrites_the_projects_inputs_or_runs(reviewed_project,
                                                                      tmp_path):
    """`export --out data/items.csv` replaced the dataset with the training set (and the
    next check failed on every LF); --out inside a run folder changed that run."""
    root = reviewed_project.root
    data = root / "data" / "items.csv"
    before = data.read_bytes()
    for out, what in ((data, "the project's dataset"),
                      (root / "labelwright.toml", "the project's config"),
                      (reviewed_project.run_dir / "labels.csv", "outputs"),
                      (root / ".labelwright" / "t.csv", "labelwright's cache"),
                      (root / "labeling_functions" / "rules.py", "the LF folder"),
                      (root / "glossaries" / "billing.yaml", "the glossary folder")):
        with pytest.raises(RunError, match=what):
            export_training_set(root, out, fmt="csv")
    assert data.read_bytes() == before
    exports = root / "runs" / "exports" / "t.csv"  # beside the runs is fine
    export_training_set(root, exports)
    assert exports.is_file()


def test_an_out_path_that_cannot_be_written_is_one_clear_error(reviewed_project, tmp_path):
    """A folder named like the file, or a file where a folder must be, ended in a
    traceback (IsADirectoryError, FileExistsError)."""
    (tmp_path / "adir.csv").mkdir()
    with pytest.raises(RunError, match=r"adir\.csv: cannot write the training set"):
        export_training_set(reviewed_project.root, tmp_path / "adir.csv")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(RunError, match="cannot write the training set"):
        export_training_set(reviewed_project.root, tmp_path / "afile" / "t.csv")


def test_a_spacy_training_set_takes_texts_past_a_million_characters(tmp_path):
    """spaCy's blank pipeline refused a text of 1.25M characters (E088), shown as a usage
    error."""
    from spacy.tokens import DocBin

    from labelwright.review.training_set import write_training_set

    long = "refund " * 180_000
    frame = pd.DataFrame({"id": ["a"], "text": [long], "label": ["billing"],
                          "probability": [1.0], "label_source": ["review"]})
    write_training_set(frame, tmp_path / "t.spacy", "spacy", labels=("billing", "technical"))
    import spacy

    (doc,) = DocBin().from_disk(tmp_path / "t.spacy").get_docs(spacy.blank("en").vocab)
    assert doc.text == long and doc.cats == {"billing": 1.0, "technical": 0.0}


def test_decisions_imported_after_the_run_are_named(reviewed_project, tmp_path):
    """export used the run's labels and said nothing of reviews imported since; the
    provenance file did not record the ledger."""
    from review_csv import review_items

    review_items(reviewed_project.root, {"t1": "billing"}, run_id=reviewed_project.run_dir.name)
    app = typer.Typer()
    app.command()(export)
    app.command("noop")(lambda: None)
    out = tmp_path / "t.csv"
    result = CliRunner().invoke(app, ["export", "--out", str(out), "--project",
                                      str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    assert "1 review decision(s) were imported after the run" in " ".join(result.output.split())
    record = json.loads((tmp_path / "t.csv.provenance.json").read_text())
    assert record["review_ledger"] == {"decisions_in_run": 0, "decisions_now": 1,
                                       "retired_since_run": 0, "unretired_since_run": 0}


def test_the_training_set_does_not_overwrite_a_review_sheet_not_imported(reviewed_project,
                                                                        tmp_path):
    """`export --out review/q.csv`, the reviewers' filled sheet, replaced it with the
    training set and exit 0: the decisions were gone before anyone imported them."""
    from labelwright.errors import ReviewError
    from labelwright.review.imports.file import import_file
    from labelwright.review.queue.export import export_run
    from review_csv import fill_review_csv

    root = reviewed_project.root
    sheet = tmp_path / "q.csv"
    export_run(reviewed_project.run_dir, "csv", sheet)
    fill_review_csv(sheet, sheet, [0, 1], "billing")
    filled = sheet.read_bytes()
    with pytest.raises(ReviewError) as info:
        export_training_set(root, sheet)
    assert str(info.value) == (
        f"{sheet}: holds 2 filled review decision(s), and this file, as it is now, was never "
        "imported into the review ledger: the training set would overwrite them; nothing "
        f"written. Import it first: `labelwright review import {sheet} --reviewer NAME` "
        "(import_file(project, path, reviewer='NAME') from Python); or write the training set "
        "elsewhere with --out FILE (out=FILE from Python); or pass --force (force=True from "
        "Python) to overwrite it")
    assert sheet.read_bytes() == filled and not (tmp_path / "q.csv.provenance.json").exists()
    import_file(root, sheet, reviewer="ana")  # its decisions are in the ledger now
    assert export_training_set(root, sheet).attrs["out"] == sheet
    assert pd.read_csv(sheet).columns.tolist() == COLUMNS


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "spacy"])
def test_a_training_set_replaces_the_one_it_wrote_and_only_force_an_edited_one(
        reviewed_project, tmp_path, fmt):
    """An earlier export to the path, as written (its provenance's hash), is replaced in
    every format; one changed since (or without its provenance) may hold anything, so it
    takes force=True, as a review file that cannot be read does."""
    from labelwright.errors import ReviewError

    out = tmp_path / f"t.{fmt}"
    export_training_set(reviewed_project.root, out)
    export_training_set(reviewed_project.root, out, min_confidence=0.9)
    assert json.loads((tmp_path / f"t.{fmt}.provenance.json").read_text())[
        "min_confidence"] == 0.9
    out.write_bytes(out.read_bytes() + (b"\n" if fmt in ("csv", "jsonl") else b"\0"))
    edited = out.read_bytes()
    with pytest.raises(ReviewError, match=re.escape(str(out)) + ": (holds|exists and cannot)"):
        export_training_set(reviewed_project.root, out)
    assert out.read_bytes() == edited
    export_training_set(reviewed_project.root, out, force=True)
    assert out.read_bytes() != edited


def test_export_force_overwrites_a_file_it_cannot_read_for_decisions(reviewed_project,
                                                                     tmp_path):
    """The command refuses a file at --out that may hold decisions, saying the ways out,
    and --force writes over it."""
    from labelwright.errors import ReviewError

    out = tmp_path / "notes.csv"
    out.write_bytes("id,run_id,text,review_label\nt6,r1,caf\xe9,billing\n".encode("cp1252"))
    app = typer.Typer()
    app.command()(export)
    app.command("noop")(lambda: None)
    args = ["export", "--out", str(out), "--project", str(reviewed_project.root)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 1 and isinstance(refused.exception, ReviewError)
    message = " ".join(str(refused.exception).split())
    assert message.startswith(f"{out}: exists and cannot be read as a review file")
    assert message.endswith("Write the training set elsewhere with --out FILE (out=FILE from "
                            "Python); only if it is an earlier training set or another file "
                            "you mean to replace, pass --force (force=True from Python) to "
                            "overwrite it")
    result = CliRunner().invoke(app, [*args, "--force"])
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out).columns.tolist() == COLUMNS


def _t2_reviewed_then_run(root, label):
    """The project run, t2 (gold: technical) reviewed by ana as ``label``, run again."""
    from labelwright.project import run_project
    from labelwright.review import import_file

    run = run_project(root, report=False)
    review = root / "decisions.csv"
    review.write_text(f"id,review_label,run_id\nt2,{label},{run.run_id}\n", encoding="utf-8")
    import_file(root, review, reviewer="ana")
    run_project(root, report=False)
    return root


def test_gold_items_are_held_out_as_train_holds_them_out(make_project, tmp_path, cli):
    """Gold items are what a run's and `train`'s accuracy is measured on: export put them in
    the training set with model labels, so a model trained on the file was scored on its
    own training data. A reviewed gold item is no longer held out (as in train)."""
    root = _t2_reviewed_then_run(make_project(), "technical")
    frame = export_training_set(root, tmp_path / "t.csv")
    assert frame["id"].tolist() == ["t2"] and frame["label_source"].tolist() == ["review"]
    assert frame.attrs["left_out"] == {"unlabelled": 1, "below_min_confidence": 0,
                                       "held_out_gold": 4}
    record = json.loads((tmp_path / "t.csv.provenance.json").read_text())
    assert record["left_out"]["held_out_gold"] == 4 and record["with_gold"] is False
    # --with-gold: each with its gold label, certain (t6's votes say technical; gold billing)
    code, out = cli("export", "--with-gold", "--out", str(tmp_path / "all.csv"), "-p", str(root))
    assert code == 0, out
    assert "wrote 5 items" in out and "1 reviewed, 4 gold, 0 from the label model" in out
    written = pd.read_csv(tmp_path / "all.csv").set_index("id")
    assert written.loc["t6", "label"] == "billing" and written.loc["t6", "label_source"] == "gold"
    assert (written["probability"] == 1.0).all()
    code, out = cli("export", "--out", str(tmp_path / "t.csv"), "-p", str(root))
    assert "left out: 1 without a label, 4 held-out gold items (--with-gold keeps them)" in out
    assert "differs from the review" not in out  # t2's gold is technical too


def test_probabilities_are_the_runs_soft_labels(reviewed_project, tmp_path):
    frame = export_training_set(reviewed_project.root, tmp_path / "t.parquet",
                                probabilities=True)
    assert frame.columns.tolist() == [*COLUMNS, "prob_billing", "prob_technical"]
    run = pd.read_parquet(reviewed_project.run_dir / "labels.parquet").set_index("id")
    model = frame[frame["label_source"] == "model"].set_index("id")
    assert len(model) >= 3
    for label in ("billing", "technical"):
        assert np.allclose(model[f"prob_{label}"], run.loc[model.index, f"prob_{label}"])
    # the probability column is the label's own
    chosen = [row[f"prob_{row['label']}"] for _, row in model.iterrows()]
    assert np.allclose(chosen, model["probability"])
    reviewed = frame[frame["label_source"] == "review"]
    for _, row in reviewed.iterrows():
        assert row[f"prob_{row['label']}"] == 1.0 and row[["prob_billing", "prob_technical"]
                                                          ].sum() == 1.0
    assert pd.read_parquet(tmp_path / "t.parquet").columns.tolist() == frame.columns.tolist()


def test_export_warns_of_a_reviewed_item_whose_gold_differs(make_project, tmp_path, cli):
    root = _t2_reviewed_then_run(make_project(), "billing")
    code, out = cli("export", "--out", str(tmp_path / "t.csv"), "-p", str(root))
    assert code == 0, out
    assert ("1 reviewed item has a gold label in the dataset that differs from the review "
            "(t2): the review's label is exported") in out
    assert pd.read_csv(tmp_path / "t.csv").set_index("id").loc["t2", "label"] == "billing"
    record = json.loads((tmp_path / "t.csv.provenance.json").read_text())
    assert record["reviewed_not_gold"] == ["t2"]


def test_train_warns_of_decisions_imported_after_the_run(reviewed_project, tmp_path):
    """export said its training set lacked the reviews imported after the run; train
    trained on them without a word, on more reviewed items than the run had."""
    from labelwright.cli.train import train
    from review_csv import review_items

    run_id = reviewed_project.run_dir.name
    review_items(reviewed_project.root, {"t1": "billing"}, run_id=run_id)
    app = typer.Typer()
    app.command()(train)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["train", "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert (f"1 review decision(s) were imported after run {run_id}; the end model trains "
            "on them too (1 reviewed item, where the run had 0)") in said
    assert "trained on" in said and "(1 reviewed)" in said


def test_the_export_summary_names_every_label_source(reviewed_project, tmp_path, monkeypatch):
    """The summary's counts add up to the items written: items that took a reviewed copy's
    label (label_source copy), and any source it has no words for, are named too (it said
    'wrote 2720 items (189 reviewed, 2496 from the label model' of a file with 35 copies)."""
    import labelwright.review.training_set as training_set

    written = export_training_set(reviewed_project.root, tmp_path / "t.csv")
    sources = ["review", "copy", "copy", "model", "model", "model", "end_model"]
    frame = pd.DataFrame({"id": [f"i{k}" for k in range(7)], "label_source": sources,
                          "status": ["reviewed"] * 3 + ["accepted"] * 4})
    frame.attrs.update(written.attrs)
    monkeypatch.setattr(training_set, "export_training_set", lambda *a, **k: frame)
    app = typer.Typer()
    app.command()(export)
    app.command("noop")(lambda: None)
    result = CliRunner().invoke(app, ["export", "--out", str(tmp_path / "t.csv"),
                                      "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert ("wrote 7 items to" in said and "(1 reviewed, 2 from a reviewed item with the same "
            "text (label_source copy), 3 from the label model, 1 with label_source end_model;"
            in said)
