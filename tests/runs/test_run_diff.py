"""Comparing two runs: input changes from the manifests, label flips from labels.parquet."""

from __future__ import annotations

import dataclasses
import json
import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from labelwright.cli.runs import runs_app
from labelwright.config import NO_LABEL
from labelwright.counts import counted
from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.diff.lines import effect_lines, gold_items_note, input_changes
from labelwright.runs.store import file_sha256, list_runs, read_manifest
from labelwright.scaffold import init_project


def fake_run(folder: Path, labels: list[str | None], *, lfs: dict[str, str], coverage: float,
             accuracy: float | None = None, data_sha: str = "d1", model: str = "majority",
             params: dict | None = None, reviews: dict | None = None) -> Path:
    folder.mkdir(parents=True)
    ids = [f"i{k}" for k in range(len(labels))]
    pd.DataFrame({"id": ids, "label": pd.array(labels, dtype="string"),
                  "confidence": [0.9] * len(labels)}).to_parquet(folder / "labels.parquet")
    manifest = {
        "run_id": folder.name,
        "data": {"sha256": data_sha, "rows": len(labels), "path": "d.csv"},
        "labeling_functions": [{"name": n, "source_sha256": h} for n, h in lfs.items()],
        "glossaries": [{"name": "praise", "sha256": "g1"}],
        "label_model": {"name": model, "params": params or {}},
        "seed": 0,
        "coverage": coverage,
        "evaluation": {"label_model": {"accuracy": accuracy}} if accuracy is not None else {},
        "reviews": reviews,
        "outputs": {"labels.parquet": file_sha256(folder / "labels.parquet")},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_diff_of_synthetic_runs(tmp_path):
    a = fake_run(tmp_path / "a", ["pos", "neg", None, "pos", "neg"],
                 lfs={"kept": "h1", "edited": "h2", "dropped": "h3"}, coverage=0.8,
                 accuracy=0.5, params={"k": 1})
    b = fake_run(tmp_path / "b", ["neg", "neg", "pos", "neg", "neg"],
                 lfs={"kept": "h1", "edited": "h2b", "new": "h4"}, coverage=1.0, accuracy=0.75,
                 data_sha="d2", params={"k": 2}, reviews={"count": 4, "sha256": "r"})
    d = diff_runs(a, b, max_examples=2)
    assert (d.lfs.added, d.lfs.removed, d.lfs.edited) == (["new"], ["dropped"], ["edited"])
    assert not d.glossaries
    assert d.data == {"a": {"sha256": "d1", "rows": 5, "path": "d.csv"},
                      "b": {"sha256": "d2", "rows": 5, "path": "d.csv"}}
    assert d.model["a"]["params"] == {"k": 1} and d.model["b"]["params"] == {"k": 2}
    assert d.reviews == {"a": None, "b": {"count": 4, "sha256": "r"}}
    assert d.compared == 5 and d.only_a == d.only_b == 0
    assert d.flipped == 3
    assert d.transitions == {("pos", "neg"): 2, (NO_LABEL, "pos"): 1}
    assert [e["id"] for e in d.examples] == ["i0", "i2"]  # capped at max_examples
    assert d.coverage_delta == pytest.approx(0.2)
    assert d.accuracy_delta == pytest.approx(0.25)
    assert d.inputs_changed


def test_diff_of_identical_runs_is_empty(tmp_path):
    a = fake_run(tmp_path / "a", ["pos", None], lfs={"x": "h"}, coverage=0.5)
    b = fake_run(tmp_path / "b", ["pos", None], lfs={"x": "h"}, coverage=0.5)
    d = diff_runs(a, b)
    assert not d.inputs_changed and d.flipped == 0 and d.transitions == {}
    assert d.accuracy == (None, None) and d.accuracy_delta is None


def test_the_same_model_recorded_by_another_version_is_not_a_change_of_nothing(tmp_path):
    """A run of an older labelwright records fewer settings of the same model; runs diff
    printed `label model: auto -> auto`, a change that named none."""
    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0, model="auto",
                 params={"scoring": "macro_f1"})
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h"}, coverage=1.0, model="auto",
                 params={"scoring": "macro_f1", "max_iter": None})
    lines = input_changes(diff_runs(a, b))
    assert ("label model: auto, the same settings recorded otherwise (max_iter recorded by "
            "one run only: runs of different labelwright versions)") in lines
    assert "label model: auto -> auto" not in lines
    c = fake_run(tmp_path / "c", ["pos"], lfs={"x": "h"}, coverage=1.0, model="auto",
                 params={"scoring": "f1", "max_iter": None})
    assert "label model: auto -> auto; params changed: scoring macro_f1 -> f1" in \
        input_changes(diff_runs(b, c))


def _edit_manifest(run: Path, **changes) -> None:
    manifest = json.loads((run / "manifest.json").read_text())
    (run / "manifest.json").write_text(json.dumps({**manifest, **changes}))


def _with_gold(run: Path, gold: list[str], source: list[str], accuracy: float,
               **columns) -> pd.DataFrame:
    """A fake run's labels.parquet given gold labels, label sources and ``columns``, and
    its manifest the accuracy it says over the gold items it holds out; the frame, to edit
    further (written again by the caller through :func:`_write_labels`)."""
    frame = pd.read_parquet(run / "labels.parquet")
    frame["gold"] = pd.array(gold, dtype="string")
    frame["label_source"] = source
    for name, values in columns.items():
        frame[name] = values
    _write_labels(run, frame, accuracy, sum(s != "review" for s in source))
    return frame


def _write_labels(run: Path, frame: pd.DataFrame, accuracy: float, n_gold: int) -> None:
    frame.to_parquet(run / "labels.parquet")
    _edit_manifest(run, evaluation={"label_model": {"accuracy": accuracy}, "n_gold": n_gold},
                   outputs={"labels.parquet": file_sha256(run / "labels.parquet")})


def test_diff_names_the_environment_when_nothing_in_the_project_changed(tmp_path):
    """A new spaCy pipeline or package version can flip labels with every LF, glossary,
    the data and the config unchanged: the diff must say so rather than 'unchanged'."""
    from labelwright.runs.diff.lines import input_changes

    a = fake_run(tmp_path / "a", ["pos", "neg"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos", "pos"], lfs={"x": "h"}, coverage=1.0)
    pipe = {"name": "pipeline", "version": "0.0.0", "lang": "en",
            "components": ["labelwright_lookup_lemmas"], "fingerprint": "f" * 64}
    config = {"path": "labelwright.toml", "sha256": "c" * 64}
    # a package not installed is recorded as null; one a run did not track has no entry
    _edit_manifest(a, pipeline=pipe, config=config,
                   packages={"spacy": "3.8.1", "numpy": "2.4.6", "gone": "1", "new": None})
    _edit_manifest(b, pipeline={**pipe, "name": "core_web_sm", "fingerprint": "e" * 64},
                   config=config, packages={"spacy": "3.8.2", "numpy": "2.4.6", "gone": None,
                                            "new": "2", "untracked_before": "5"})
    d = diff_runs(a, b)
    assert d.inputs_changed and d.config is None
    assert d.pipeline["b"]["name"] == "core_web_sm"
    assert d.packages == {"gone": ("1", None), "new": (None, "2"), "spacy": ("3.8.1", "3.8.2")}
    lines = input_changes(d)
    # a blank pipeline is named as one, not by its meta's "pipeline 0.0.0"
    assert ("spaCy pipeline: spacy.blank('en') (en; labelwright_lookup_lemmas; fingerprint "
            "ffffffffffff) -> core_web_sm 0.0.0 (en; ") in " ".join(lines)
    assert "packages: gone 1 -> (absent), new (absent) -> 2, spacy 3.8.1 -> 3.8.2" in lines


def test_manifests_from_before_a_field_was_recorded_do_not_count_it_as_changed(tmp_path):
    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0,
                 reviews={"ledger_sha256": "r", "decisions": 3})
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h"}, coverage=1.0,
                 reviews={"ledger_sha256": "r", "decisions": 3, "reviewed_on_other_text": 0})
    _edit_manifest(b, config={"path": "labelwright.toml", "sha256": "c" * 64},
                   pipeline={"name": "pipeline"}, packages={"spacy": "3.8.2"})
    d = diff_runs(a, b)
    assert (d.config, d.pipeline, d.packages, d.reviews) == (None, None, {}, None)
    assert not d.inputs_changed


def test_diff_counts_items_in_one_run_only(tmp_path):
    a = fake_run(tmp_path / "a", ["pos", "neg", "pos"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h"}, coverage=1.0, data_sha="d2")
    d = diff_runs(a, b)
    assert (d.compared, d.only_a, d.only_b, d.flipped) == (1, 2, 0, 0)
    assert d.ids_only_a == ["i1", "i2"] and d.ids_only_b == []
    # runs without text hashes, over other data: which texts changed is not known
    old = "item texts: not compared (runs a and b recorded no per-item text hash: they were " \
          "made before runs recorded one)"
    # these runs were written without a label matrix: their votes are not vouched the same
    votes = "LF votes: not compared (run a: label_matrix.parquet: missing)"
    assert effect_lines(d) == [f"only in {d.run_a}: i1, i2", old, votes]
    assert effect_lines(diff_runs(a, b, max_examples=1)) == [f"only in {d.run_a}: i1 and 1 more",
                                                             old, votes]


def test_diff_counts_triage_status_moves(make_project):
    """A higher threshold sends items to review without flipping a label; the diff said
    only '0 flipped'."""
    root = make_project(model="dawid_skene")
    first = run_project(root, report=False)
    toml = root / "labelwright.toml"
    text = toml.read_text()
    assert "threshold = 0.7" in text
    toml.write_text(text.replace("threshold = 0.7", "threshold = 0.999"))
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.flipped == 0 and d.status_moves
    moved = sum(d.status_moves.values())
    assert moved == int((first.labels["status"] != second.labels["status"]).sum())
    assert ("accepted", "review") in d.status_moves
    assert effect_lines(d)[0].startswith(f"status changed: {moved} items (accepted -> review")
    one = dataclasses.replace(d, status_moves={("review", "accepted"): 1})  # not "1 items"
    assert effect_lines(one)[0] == "status changed: 1 item (review -> accepted 1)"


def test_diff_names_the_settings_and_the_choice_that_changed(make_project):
    """A new threshold, or the labels reordered, showed only as "config: sha X -> Y" (and
    not at all for a project configured from Python); what auto chose was never said."""
    from dataclasses import replace

    from labelwright.project import load_project
    from labelwright.runs.diff.lines import input_changes

    root = make_project(model="dawid_skene")
    first = run_project(root, report=False)
    project = load_project(root)
    triage = replace(project.config.triage, threshold=0.999)
    project = replace(project, config=replace(project.config, triage=triage))
    second = run_project(root, report=False, project=project)
    manifest = json.loads((second.run_dir / "manifest.json").read_text())
    _edit_manifest(second.run_dir, triage={**manifest["triage"], "ranking_weights": "reviewed"})
    d = diff_runs(first.run_dir, second.run_dir)  # the weights a ranking chose: an outcome
    assert d.settings == {"triage threshold": (0.7, 0.999)} and d.inputs_changed
    assert "settings: triage threshold 0.7 -> 0.999" in input_changes(d)
    choice = {"model": "dawid_skene", "params": {}, "reason": "x"}
    _edit_manifest(first.run_dir, project={"labels": ["billing", "technical"]},
                   label_model={"name": "auto", "params": {}, "chosen": choice,
                                "calibration": {"method": "identity"}, "labels_from": "model"})
    _edit_manifest(second.run_dir, project={"labels": ["technical", "billing"]},
                   label_model={"name": "auto", "params": {},
                                "chosen": {**choice, "model": "majority"},
                                "calibration": {"method": "temperature"},
                                "labels_from": "model"})
    lines = input_changes(diff_runs(first.run_dir, second.run_dir))
    assert "settings: labels ['billing', 'technical'] -> ['technical', 'billing']; triage " \
           "threshold 0.7 -> 0.999" in lines
    assert "auto chose: model dawid_skene -> majority; calibration identity -> temperature" \
        in lines

def test_diff_says_when_the_class_balance_moved(tmp_path):
    """auto moved the balance from equal shares to the reviewed labels' mix, and the diff
    said only "calibration identity -> temperature"."""
    from labelwright.runs.diff.lines import input_changes

    a = fake_run(tmp_path / "a", ["x", "y"], lfs={"f": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["x", "y"], lfs={"f": "h"}, coverage=1.0)
    same = fake_run(tmp_path / "c", ["x", "y"], lfs={"f": "h"}, coverage=1.0)
    labels = {"labels": ["hardware", "software"]}
    _edit_manifest(a, project=labels, label_model={"name": "auto", "class_balance": [0.5, 0.5]})
    _edit_manifest(b, project=labels,
                   label_model={"name": "auto", "class_balance": [0.174, 0.826]})
    _edit_manifest(same, project=labels,
                   label_model={"name": "auto", "class_balance": [0.5004, 0.4996]})
    assert ("class balance: hardware 50.0%, software 50.0% -> hardware 17.4%, software 82.6%"
            in input_changes(diff_runs(a, b)))
    assert diff_runs(a, same).class_balance is None  # less than 0.1 point: no line


def test_diff_of_a_folder_without_labels_names_the_file(tmp_path):
    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h"}, coverage=1.0)
    (b / "labels.parquet").unlink()
    with pytest.raises(RunError, match="labels.parquet"):
        diff_runs(a, b)


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    """A real project run twice, with one LF edited in between so some labels flip."""
    root = tmp_path_factory.mktemp("diffproj")
    init_project(root)
    first = run_project(root)
    lf_file = root / "labeling_functions" / "reviews.py"
    lf_file.write_text(lf_file.read_text() + textwrap.dedent('''

        @labeling_function()
        def always_positive(item):
            return "positive"
        '''))
    toml = root / "labelwright.toml"
    assert 'name = "auto"' in toml.read_text()
    toml.write_text(toml.read_text().replace('name = "auto"', 'name = "majority"'))
    second = run_project(root)
    return root, first, second


def test_diff_of_real_runs(two_runs):
    _, first, second = two_runs
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.lfs.added == ["always_positive"] and not d.lfs.removed and not d.lfs.edited
    assert d.model["a"]["name"] == "auto" and d.model["b"]["name"] == "majority"
    assert d.data is None
    assert d.config["a"]["path"] == d.config["b"]["path"] == "labelwright.toml"
    assert d.config["a"]["sha256"] != d.config["b"]["sha256"]
    assert d.pipeline is None and d.packages == {}  # same environment
    before = first.labels.set_index("id")["label"].fillna(NO_LABEL)
    after = second.labels.set_index("id")["label"].fillna(NO_LABEL)
    assert d.flipped == int((before != after).sum())
    assert d.flipped > 0 and sum(d.transitions.values()) == d.flipped
    assert (NO_LABEL, "positive") in d.transitions  # uncovered items now get a label
    assert d.coverage == (pytest.approx(first.coverage), 1.0)


def _cli() -> typer.Typer:
    app = typer.Typer()
    app.add_typer(runs_app, name="runs")
    app.command("noop")(lambda: None)  # a second command keeps `runs` a sub-command
    return app


def test_runs_cli_list_show_diff(two_runs):
    root, first, second = two_runs
    runner = CliRunner()
    listed = runner.invoke(_cli(), ["runs", "list", "-p", str(root)], env={"COLUMNS": "250"})
    assert listed.exit_code == 0, listed.output
    assert first.run_id in listed.output and second.run_id in listed.output
    shown = runner.invoke(_cli(), ["runs", "show", first.run_id, "-p", str(root)],
                          env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    assert "star_rating" in shown.output and "reviews.py:" in shown.output
    diffed = runner.invoke(_cli(), ["runs", "diff", first.run_id, "-p", str(root)],
                           env={"COLUMNS": "250"})
    assert diffed.exit_code == 0, diffed.output
    assert "LFs added: always_positive" in diffed.output
    assert "label model: auto -> majority" in diffed.output
    assert "config: labelwright.toml sha256 " in diffed.output  # the toml was edited
    assert "labels flipped:" in diffed.output


def test_runs_diff_without_runs_compares_the_latest_with_the_one_before(two_runs, tmp_path):
    root, first, second = two_runs
    runner = CliRunner()
    named = runner.invoke(_cli(), ["runs", "diff", first.run_id, second.run_id, "-p",
                                   str(root)], env={"COLUMNS": "250"})
    bare = runner.invoke(_cli(), ["runs", "diff", "-p", str(root)], env={"COLUMNS": "250"})
    assert bare.exit_code == 0, bare.output
    assert bare.output.startswith(f"{first.run_id} -> {second.run_id}")
    assert bare.output == named.output
    alone = tmp_path / "alone"
    shutil.copytree(root, alone)
    shutil.rmtree(alone / "runs" / first.run_id)
    one = runner.invoke(_cli(), ["runs", "diff", "-p", str(alone)])
    assert one.exit_code != 0 and isinstance(one.exception, RunError)
    assert (f"no finished run that did not fail before {second.run_id} to compare it "
            "with") in str(one.exception)


def test_runs_cli_unknown_run(two_runs):
    root, _, _ = two_runs
    result = CliRunner().invoke(_cli(), ["runs", "show", "1999", "-p", str(root)])
    assert result.exit_code != 0
    assert isinstance(result.exception, RunError)
    assert "no run matching '1999'" in str(result.exception)


def test_runs_cli_reads_the_reviews_a_run_recorded(make_project):
    """The run manifest's reviews (decisions, ledger_sha256, ...) as the run writes them:
    the runs commands had read other keys and failed on every run with reviews."""
    from labelwright.review.decisions import ledger

    root = make_project(extra="random_sample = 3\n")
    first = run_project(root, report=False)
    decisions = [ledger.Decision("t1", "billing", "importer", "ana", "", "now", "f", "s1",
                                 "row 1", first.run_id, "csv", "queue")]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    second = run_project(root, report=False)
    runner = CliRunner()
    env = {"COLUMNS": "250"}
    listed = runner.invoke(_cli(), ["runs", "list", "-p", str(root)], env=env)
    assert listed.exit_code == 0, listed.output
    # each accuracy says over how many gold items: the reviewed t1 left the second run's
    lines = {run.run_id: next(line for line in listed.output.splitlines() if run.run_id in line)
             for run in (first, second)}
    gold = [read_manifest(run.run_dir)["evaluation"]["n_gold"] for run in (first, second)]
    assert gold[1] == gold[0] - 1
    assert f"% ({gold[0]})" in lines[first.run_id] and f"% ({gold[1]})" in lines[second.run_id]
    shown = runner.invoke(_cli(), ["runs", "show", second.run_id, "-p", str(root)], env=env)
    assert shown.exit_code == 0, shown.output
    assert "review ledger: 1 decision, 1 item with a reviewed label" in shown.output
    diffed = runner.invoke(_cli(), ["runs", "diff", first.run_id, second.run_id, "-p",
                                    str(root)], env=env)
    assert diffed.exit_code == 0, diffed.output
    assert "reviews: no ledger -> 1 decision," in diffed.output


def test_accuracy_over_different_gold_items_is_said(tmp_path):
    """Reviewed gold items leave a run's accuracy: 33 items then 17, and -7.7 points read as
    a model change when it compared different items."""
    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0, accuracy=0.606)
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h"}, coverage=1.0, accuracy=0.529)
    for folder, n in ((a, 33), (b, 17)):
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["evaluation"]["n_gold"] = n
        (folder / "manifest.json").write_text(json.dumps(manifest))
    d = diff_runs(a, b)
    assert d.gold_items == (33, 17)
    assert gold_items_note(d) == " (over 33 -> 17 gold items: not the same items)"
    manifest = json.loads((b / "manifest.json").read_text())
    manifest["evaluation"]["n_gold"] = 33
    (b / "manifest.json").write_text(json.dumps(manifest))
    assert gold_items_note(diff_runs(a, b)) == ""


def test_a_new_pipeline_does_not_call_every_glossary_lf_edited(tmp_path):
    """A glossary LF's hash mixes in the spaCy pipeline: after `lemmatizer = false` the
    diff listed every glossary LF as edited, though no glossary file had changed."""
    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h2"}, coverage=1.0)
    for run, pipeline_hash in ((a, "p1"), (b, "p2")):
        manifest = json.loads((run / "manifest.json").read_text())
        manifest["labeling_functions"].append(
            {"name": "glossary:praise", "kind": "glossary", "source_sha256": pipeline_hash})
        manifest["labeling_functions"][0]["kind"] = "function"
        manifest["pipeline"] = {"name": "blank", "lemmatizer": pipeline_hash == "p1"}
        (run / "manifest.json").write_text(json.dumps(manifest))
    d = diff_runs(a, b)
    assert d.lfs.edited == ["x"]
    assert not d.glossaries and d.pipeline is not None


def test_a_new_data_file_is_named_in_the_diff(tmp_path):
    from labelwright.runs.diff.lines import input_changes

    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h"}, coverage=1.0, data_sha="d2")
    assert "data: 1 row sha256 d1 -> 1 row sha256 d2" in input_changes(diff_runs(a, b))
    _edit_manifest(b, data={"sha256": "d2", "rows": 1, "path": "d.parquet"})
    assert "data: d.csv 1 row sha256 d1 -> d.parquet 1 row sha256 d2" \
        in input_changes(diff_runs(a, b))


def test_labels_edited_since_the_run_are_not_compared(tmp_path):
    """runs diff counted labels edited after the run as the run's flips."""
    a = fake_run(tmp_path / "a", ["pos", "neg"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos", "neg"], lfs={"x": "h"}, coverage=1.0)
    pd.DataFrame({"id": ["i0", "i1"], "label": ["neg", "neg"],
                  "confidence": [0.9, 0.9]}).to_parquet(b / "labels.parquet")
    with pytest.raises(RunError, match=r"b: labels.parquet: changed since the run wrote it"):
        diff_runs(a, b)


def test_runs_diff_with_no_examples_asked_shows_no_examples_table(two_runs):
    """--examples 0 printed an empty "First 0 flipped items" table."""
    root, first, _ = two_runs
    result = CliRunner().invoke(_cli(), ["runs", "diff", first.run_id, "--examples", "0",
                                         "-p", str(root)], env={"COLUMNS": "250"})
    assert result.exit_code == 0 and "labels flipped:" in result.output
    assert "flipped items" not in result.output


def test_runs_list_warns_on_stderr(two_runs):
    """runs list (and explain) printed warnings to stdout, where run and check print to
    stderr: `runs list > runs.txt` mixed them into the table."""
    root, first, _ = two_runs
    (root / "runs" / "20200101-000000-000000").mkdir()  # a run folder without a manifest
    result = CliRunner().invoke(_cli(), ["runs", "list", "-p", str(root)],
                                env={"COLUMNS": "250"})
    assert result.exit_code == 0 and first.run_id in result.stdout
    assert "no manifest.json" in result.stderr and "no manifest.json" not in result.stdout


def test_a_shared_setting_that_changed_is_shown_with_the_model_change():
    """With the model's name changed too, the diff left out every setting: tie_break
    random -> first went unmentioned though it alone can flip labels."""
    from types import SimpleNamespace

    from labelwright.runs.diff.input_lines import model_line

    a = {"name": "auto", "class": "AutoModel", "seed": 0,
         "params": {"tie_break": "random", "scoring": "macro_f1"}}
    b = {"name": "majority", "class": "MajorityVote", "seed": 7,
         "params": {"tie_break": "first"}}
    assert model_line(SimpleNamespace(model={"a": a, "b": b})) == (
        "label model: auto -> majority; params changed: tie_break random -> first; "
        "seed 0 -> 7")


def test_a_change_of_review_policy_or_adjudicators_is_named(tmp_path):
    """A new [review] policy or adjudicators showed only as a config hash and flipped
    labels, though both manifests record them and what they settled."""
    from html import escape

    from labelwright.report.html import changes_section
    from labelwright.runs.diff.lines import input_changes

    settled = {"disagreements": 3, "ties": 2, "disagreements_adjudicated": 0,
               "overruled_by_adjudicators": 0, "adjudicators_disagree": 0}
    reviews = {"ledger_sha256": "r", "decisions": 9, "items_with_gold": 6,
               "policy": "majority", "adjudicators": [], **settled}
    a = fake_run(tmp_path / "a", ["pos"], lfs={"x": "h"}, coverage=1.0, reviews=reviews)
    b = fake_run(tmp_path / "b", ["pos"], lfs={"x": "h"}, coverage=1.0, reviews={
        **reviews, "policy": "adjudicate", "adjudicators": ["lead", "kim"],
        "disagreements_adjudicated": 3, "overruled_by_adjudicators": 1})
    d = diff_runs(a, b)
    assert d.review_settings == {"policy": ("majority", "adjudicate"),
                                 "adjudicators": ([], ["lead", "kim"])}
    assert d.inputs_changed
    lines = input_changes(d)
    expected = ["review settings: policy majority -> adjudicate; adjudicators (none) -> "
                "lead, kim",
                "review settlements: settled by an adjudicator 0 -> 3, overruled by an "
                "adjudicator 0 -> 1"]
    assert all(line in lines for line in expected), lines
    section = changes_section(d)
    assert all(f"<li>{escape(line)}</li>" in section for line in expected)
    # the same settings and outcomes: nothing to say (a run without the record cannot say)
    same = diff_runs(a, a)
    assert same.review_settings == {} and not any("review s" in x for x in input_changes(same))


def test_a_rater_pairing_an_import_learned_is_no_change_of_settings(tmp_path):
    """`review settings: same_rater ... -> ..., label-studio:21 = label-studio:gus@...`, the
    whole mapping twice, read as an edited labelwright.toml, though the config was the same
    and an import had paired a Label Studio id with an email."""
    from labelwright.runs.diff.lines import input_changes

    base = {"ledger_sha256": "r", "decisions": 9, "items_with_gold": 6, "policy": "majority",
            "adjudicators": ["lead"], "same_rater": {"reviews-ben": "ben"}}
    learned = {**base, "same_rater": {"label-studio:21": "label-studio:gus@x.example",
                                      "reviews-ben": "ben"}}
    runs = []
    for name, reviews in (("a", base), ("b", learned)):
        folder = fake_run(tmp_path / name, ["pos"], lfs={"x": "h"}, coverage=1.0,
                          reviews=reviews)
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest["config"] = {"path": "labelwright.toml", "sha256": "c1"}
        (folder / "manifest.json").write_text(json.dumps(manifest))
        runs.append(folder)
    lines = input_changes(diff_runs(*runs))
    said = [line for line in lines if "label-studio:21" in line]
    assert said == ["names read as one rater: added label-studio:21 = "
                    "label-studio:gus@x.example; the config file is the same in both runs, so "
                    "this is no change of settings: an import learned it (a Label Studio "
                    "export that paired a user id with an email; `labelwright review stats` "
                    "lists the raters)"], lines
    assert not any(line.startswith("review settings") for line in lines)
    # a config file that changed may hold the pairing: where it may come from is said
    manifest = json.loads((runs[1] / "manifest.json").read_text())
    manifest["config"]["sha256"] = "c2"
    (runs[1] / "manifest.json").write_text(json.dumps(manifest))
    lines = input_changes(diff_runs(*runs))
    assert ("names read as one rater: added label-studio:21 = label-studio:gus@x.example "
            "([review] same_rater, and the Label Studio user ids imports paired with an "
            "email)") in lines


def test_runs_diff_names_an_adjudicator_added_between_two_runs(make_project, cli):
    from labelwright.review.decisions import ledger

    root = make_project()
    first = run_project(root, report=False)
    item = first.dataset.ids[0]
    decisions = [ledger.Decision(item, label, "importer", rater, "", "now", "f", "s1",
                                 f"row {k}", first.run_id, "csv", "queue")
                 for k, (rater, label) in enumerate((("ana", "billing"), ("ben", "technical"),
                                                     ("lead", "technical")))]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    second = run_project(root, report=False)
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text() + '\n[review]\nadjudicators = ["lead"]\n')
    third = run_project(root, report=False)
    code, out = cli("runs", "diff", second.run_id, third.run_id, "-p", str(root))
    assert code == 0, out
    assert "review settings: adjudicators (none) -> lead" in out
    # lead's decision had made a 2-1 majority; as an adjudicator's, it settles a 1-1 tie
    assert "review settlements: ties 0 -> 1, settled by an adjudicator 0 -> 1" in out


def _tickets(n=40):
    """Tickets whose LFs get some wrong: a technical ticket about the refund button gets
    one vote each way, and majority vote breaks the tie to billing (``tie_break first``)."""
    texts = {"billing": ["Please refund order {}", "Where is my refund for {}?"],
             "technical": ["The app crashes on screen {}", "Refund button crashes the app ({})"]}
    golds = ["billing" if i % 2 == 0 else "technical" for i in range(n)]
    return [{"id": f"t{i:02d}", "text": texts[gold][(i // 2) % 2].format(i), "gold": gold}
            for i, gold in enumerate(golds)]


@pytest.fixture(scope="module")
def reviewed_pair(tmp_path_factory):
    """A project run, then run again after its wrong gold items were reviewed (to their
    gold label): those leave the second run's held-out gold."""
    from labelwright.review.decisions import ledger

    root = tmp_path_factory.mktemp("heldout")
    (root / "labelwright.toml").write_text(
        '[project]\nlabels = ["billing", "technical"]\n\n[data]\npath = "items.csv"\n'
        'gold_column = "gold"\n\n[label_model]\nname = "majority"\ntie_break = "first"\n')
    pd.DataFrame(_tickets()).to_csv(root / "items.csv", index=False)
    (root / "labeling_functions").mkdir()
    (root / "labeling_functions" / "tickets.py").write_text(textwrap.dedent('''
        from labelwright import ABSTAIN, labeling_function


        @labeling_function()
        def mentions_refund(item):
            return "billing" if "refund" in item.text.lower() else ABSTAIN


        @labeling_function()
        def crashes(item):
            return "technical" if "crash" in item.text.lower() else ABSTAIN
        '''))
    first = run_project(root, report=False)
    labels = first.labels.set_index("id")
    wrong = labels.index[labels["label"].fillna("") != labels["gold"]][:6].tolist()
    assert len(wrong) == 6
    decisions = [ledger.Decision(item, str(labels.loc[item, "gold"]), "importer", "ana", "",
                                 "now", "f", "s1", f"row {k}", first.run_id, "csv", "queue")
                 for k, item in enumerate(wrong)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f", fmt="csv", imported_at="now")
    return root, first, run_project(root, report=False)


def _held_out_accuracy(runs):
    """Each run's accuracy on the gold items neither run took a reviewed label for, from
    their labels.parquet, and how many items that is."""
    frames = [pd.read_parquet(run.run_dir / "labels.parquet").set_index("id") for run in runs]
    both = set.intersection(*(set(f.index[f["gold"].notna() & (f["label_source"] != "review")])
                              for f in frames))
    ids = sorted(both)
    return len(ids), [float((f.loc[ids, "label"].fillna("") == f.loc[ids, "gold"]).mean())
                      for f in frames]


def test_runs_diff_gives_accuracy_on_the_gold_items_held_out_in_both_runs(reviewed_pair, cli):
    """Reviewed gold items leave a run's held-out gold, so the manifests' accuracies rose
    from one run to the next on the same labels (77.0% -> 91.2%, "+10.8 pts"): the change
    was which items were counted."""
    from labelwright.percent import percent

    root, first, second = reviewed_pair
    d = diff_runs(first.run_dir, second.run_dir)
    n, (a, b) = _held_out_accuracy((first, second))
    assert d.gold_items == (40, 34) and n == 34
    assert d.common_gold.items == n and d.common_gold.differ
    assert d.common_gold.accuracy == (pytest.approx(a), pytest.approx(b))
    assert d.accuracy[1] > d.accuracy[0]  # what the manifests say: the selection effect
    assert d.gold_delta == pytest.approx(b - a)
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    before, after = (percent(x) for x in d.accuracy)
    assert (f"accuracy on gold: {before} -> {after} (over 40 -> 34 gold items: not the same "
            f"items) accuracy on the 34 gold items held out in both runs: {percent(a)} -> "
            f"{percent(b)} ({100 * (b - a):+.1f} pts)") in out
    from labelwright.report import render_report

    page = render_report(second.run_dir)
    assert (f"Accuracy on the 34 gold items held out in both runs: {percent(a)} -&gt; "
            f"{percent(b)}") in page


def test_the_same_number_of_gold_items_may_be_other_items(tmp_path):
    """Two runs whose accuracies were over as many gold items, but other ones, were
    compared as if the same."""
    a = fake_run(tmp_path / "a", ["pos", "neg", "pos"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos", "neg", "pos"], lfs={"x": "h"}, coverage=1.0)
    for folder, source in ((a, ["review", "model", "model"]), (b, ["model", "model", "review"])):
        _with_gold(folder, ["pos", "pos", "pos"], source, 0.5)
    d = diff_runs(a, b)
    assert d.gold_items == (2, 2) and d.held_out_differ
    assert gold_items_note(d) == " (over 2 -> 2 gold items: not the same items)"
    assert (d.common_gold.items, d.common_gold.accuracy) == (1, (0.0, 0.0))  # i1: neg, gold pos


def test_runs_diff_counts_the_labels_a_review_changed_in_each_run(reviewed_pair, cli):
    """An auditor asks how many labels review changed: "labels flipped" counts changes
    between runs, not where a run's reviewed label overrides its label model's own."""
    root, first, second = reviewed_pair
    def changed(run):
        frame = pd.read_parquet(run.run_dir / "labels.parquet")
        reviewed = frame[frame["label_source"] == "review"]
        own = reviewed["model_label"]
        return (int((own.notna() & (own.astype(object) != reviewed["label"].astype(object)))
                    .sum()), int(own.isna().sum()))
    (a, a_filled), (b, b_filled) = changed(first), changed(second)
    assert (a, b) == (0, 6)  # each of the 6 reviews corrected a wrong model label
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    assert (f"reviewed labels other than the label model's own: {a} -> {b} (this run's "
            f"label model, fit with the reviews, gives another label there; {a_filled} -> "
            f"{b_filled} more reviewed items the label model left without a label; not how "
            "many labels reviewers changed, which `labelwright review stats` counts)") \
        in " ".join(out.split())


def test_runs_diff_counts_the_items_each_edited_lfs_vote_changed_on(make_project, cli):
    """LFs edited named which LFs changed, not what that did to their votes."""
    from labelwright.matrix import LabelMatrix
    from ticket_data import BILLING_GLOSSARY

    root = make_project(glossaries={"billing_terms": BILLING_GLOSSARY})
    first = run_project(root, report=False)
    lf_file = root / "labeling_functions" / "tickets.py"
    lf_file.write_text(lf_file.read_text().replace('"refund" in item.text.lower()',
                                                   '"refund" in item.text'))
    glossary = root / "glossaries" / "billing_terms.yaml"
    glossary.write_text(glossary.read_text().replace("  - term: invoice\n", "  - term: app\n"))
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.lfs.edited == ["mentions_refund"] and d.glossaries.edited == ["billing_terms"]
    before, after = (LabelMatrix.read_parquet(run.run_dir / "label_matrix.parquet")
                     for run in (first, second))
    expected = {lf: int((before.column(lf) != after.column(lf)).sum())
                for lf in ("mentions_refund", "glossary:billing_terms")}
    assert d.lf_votes.changed == expected and all(expected.values())
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    assert ("LF votes changed (LFs whose source changed): mentions_refund on "
            f"{expected['mentions_refund']} item") in out
    assert f"glossary:billing_terms on {expected['glossary:billing_terms']} item" in out
    # without one run's label matrix the votes cannot be compared, and it says why
    (first.run_dir / "label_matrix.parquet").unlink()
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    assert (f"LF votes: not compared (run {first.run_id}: label_matrix.parquet: missing)"
            in out)


def test_runs_diff_names_lfs_whose_votes_moved_with_their_own_source_unchanged(make_project,
                                                                              cli):
    """A module constant and a word list in the LF folder changed the votes of LFs whose
    own source did not change: runs diff said only "LF modules edited" and the flips."""
    from labelwright.matrix import LabelMatrix

    lfs = '''
from pathlib import Path

from labelwright import ABSTAIN, labeling_function

WORD = "refund"
ERRORS = Path(__file__).with_name("errors.txt").read_text().split()


@labeling_function()
def mentions_word(item):
    return "billing" if WORD in item.text.lower() else ABSTAIN


@labeling_function()
def listed_error(item):
    return "technical" if any(w in item.text.lower() for w in ERRORS) else ABSTAIN
'''
    root = make_project(lfs={"tickets": lfs})
    (root / "labeling_functions" / "errors.txt").write_text("crash\n", encoding="utf-8")
    first = run_project(root, report=False)
    module = root / "labeling_functions" / "tickets.py"
    module.write_text(module.read_text().replace('WORD = "refund"', 'WORD = "invoice"'))
    (root / "labeling_functions" / "errors.txt").write_text("crash\nerror\n", encoding="utf-8")
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert not d.lfs  # no LF's own source changed
    before, after = (LabelMatrix.read_parquet(run.run_dir / "label_matrix.parquet")
                     for run in (first, second))
    expected = {lf: int((before.column(lf) != after.column(lf)).sum())
                for lf in ("mentions_word", "listed_error")}
    assert all(expected.values()) and d.lf_votes.changed == expected
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0, out
    assert ("LF votes changed (LFs whose own source did not change; changed since: LF "
            "modules edited: tickets.py; LF folder files changed: errors.txt): "
            f"mentions_word on {counted(expected['mentions_word'], 'item')}, listed_error on "
            f"{counted(expected['listed_error'], 'item')}") in out


def test_runs_diff_names_an_lf_that_raised_on_other_items(make_project):
    """An LF fixed so it no longer raised on 2 items showed as 'on 0 items': a failure is
    an abstain in the label matrix, so its votes did not move."""
    from ticket_data import TICKET_LFS

    raises = TICKET_LFS + '''

@labeling_function()
def first_word(item):
    return "billing" if item.text.split()[5] == "order," else ABSTAIN
'''
    root = make_project(lfs={"tickets": raises})
    first = run_project(root, report=False)
    assert read_manifest(first.run_dir)["failures"]["first_word"]["count"] == 1  # "Thanks, ..."
    (root / "labeling_functions" / "tickets.py").write_text(textwrap.dedent(
        raises.replace("item.text.split()[5]", "(item.text.split() + [''] * 6)[5]")))
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.failures == {"first_word": (1, 0)}
    assert "LFs that raised (items): first_word 1 -> 0" in effect_lines(d)
    again = run_project(root, report=False)
    assert diff_runs(second.run_dir, again.run_dir).failures == {}


def test_a_run_says_what_changed_since_the_previous_run(make_project, cli):
    """The edit -> re-run loop printed no word of what the edit did; only the report and
    `runs diff` said it."""
    from labelwright.runs.diff.lines import since_line
    from ticket_data import TICKET_LFS

    root = make_project()
    first = run_project(root)
    assert first.changes is None  # no run before it
    edited = TICKET_LFS.replace('"crash" in item.text.lower() or ', "")
    (root / "labeling_functions" / "tickets.py").write_text(edited)
    second = run_project(root)
    d = second.changes
    assert d is not None and d.run_a == first.run_id and d.run_b == second.run_id
    assert d.lfs.edited == ["crashes"] and d.flipped >= 1
    line = since_line(d)
    assert line.startswith(f"since run {first.run_id}: {counted(d.flipped, 'label')} "
                           "flipped (technical -> ")
    assert "LFs edited: crashes" in line and "coverage " in line
    assert "; flipped because: votes changed (same text) " in line, line
    assert "items added" not in line  # none were
    quiet = run_project(root, report=False)  # compared without a report too
    assert quiet.changes is not None and quiet.changes.run_a == second.run_id
    code, out = cli("run", "-p", str(root))
    assert code == 0 and "since run " in out and "0 labels flipped" in out, out
    # W63: the README's nightly command, --no-report, printed no such line
    before = list_runs(root / "runs")[-1]
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0 and f"since run {before}: 0 labels flipped; coverage " in out, out
    assert not (root / "runs" / list_runs(root / "runs")[-1] / "report.html").exists()


def test_a_previous_run_that_cannot_be_read_is_named_in_a_warning(make_project, cli):
    """With the previous run's manifest unreadable, `run` dropped its "since run" line and
    any accuracy-drop warning without a word (only the report said why)."""
    root = make_project()
    first = run_project(root)
    (first.run_dir / "manifest.json").write_text("{", encoding="utf-8")
    second = run_project(root)
    assert second.changes is None
    (said,) = [w for w in second.warnings if "not compared with the previous run" in w]
    assert f"run {first.run_id}, the run before this one: " in said
    assert "cannot read the manifest" in said and "no 'since run' line" in said
    code, out = cli("run", "-p", str(root))
    assert code == 0, out
    assert f"since run {second.run_id}: " in out  # the run before is readable again
    assert "not compared with the previous run" not in out
    latest = sorted(p for p in (root / "runs").iterdir() if p.is_dir())[-1]
    (latest / "manifest.json").write_text("[]", encoding="utf-8")
    code, out = cli("run", "-p", str(root))
    assert code == 0, out
    assert "since run " not in out
    assert "warning: not compared with the previous run" in out
    assert f"run {latest.name}, the run before this one" in out


def test_a_run_without_a_report_records_the_comparisons_warnings(make_project, cli):
    """`run --no-report` printed the comparison's warnings but its manifest lacked them
    (only a later report added them back)."""
    root = make_project()
    first = run_project(root)
    (first.run_dir / "manifest.json").write_text("{", encoding="utf-8")
    code, out = cli("run", "-p", str(root), "--no-report")
    assert code == 0 and "not compared with the previous run" in out, out
    manifest = read_manifest(root / "runs" / list_runs(root / "runs")[-1])
    (said,) = [w for w in manifest["run_warnings"] if "not compared with the previous run" in w]
    assert f"run {first.run_id}" in said


def test_a_bug_in_the_comparisons_warnings_does_not_cost_the_run(make_project, monkeypatch):
    """The comparison's warnings were made outside its guard: a bug there stopped the run
    before its manifest was written."""
    import labelwright.runs.diff.lines as lines

    def broken(changes: object) -> str:
        raise RuntimeError("bug")

    root = make_project()
    run_project(root)
    monkeypatch.setattr(lines, "accuracy_drop_warning", broken)
    second = run_project(root)
    assert second.changes is None  # the comparison gave nothing
    manifest = read_manifest(second.run_dir)
    assert manifest["run_id"] == second.run_id
    # and the run says it was not compared, rather than passing for the first run
    (said,) = [w for w in manifest["run_warnings"] if "not compared with the previous run" in w]
    assert "comparing with it failed (RuntimeError: bug)" in said
    assert "This is the first run" not in (second.run_dir / "report.html").read_text("utf-8")


def test_no_report_warns_of_a_previous_run_it_cannot_compare(make_project, cli):
    """`run --no-report` (the nightly command) compared with the previous run itself and
    kept only the changes: with that run's labels unreadable it printed no "since run"
    line and no word of why, where `run` warned."""
    root = make_project()
    first = run_project(root)
    (first.run_dir / "labels.parquet").write_bytes(b"not parquet")
    outs = {}
    for flags in ([], ["--no-report"]):
        code, out = cli("run", "-p", str(root), *flags)
        assert code == 0, out
        assert "since run " not in out
        assert "warning: not compared with the previous run" in out, out
        outs[bool(flags)] = out
        (sorted(p for p in (root / "runs").iterdir() if p.is_dir())[-1]
         / "labels.parquet").write_bytes(b"not parquet")
    assert f"run {first.run_id}, the run before this one" in outs[False]
    assert "the run before this one" in outs[True]


def test_gold_held_out_in_both_runs_is_scored_as_each_run_scores_it(tmp_path):
    """An item that took the reviewed label of a copy of its text is held out (the model
    was not fit on it) and the run scores the label model's own label there; `runs diff`
    scored the copied label, so it said 97.5% -> 99.5% where run b itself said 97.5%."""
    a = fake_run(tmp_path / "a", ["pos", "neg", "pos"], lfs={"x": "h"}, coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos", "neg", "pos"], lfs={"x": "h"}, coverage=1.0)
    for folder, source in ((a, ["model", "model", "model"]), (b, ["model", "model", "copy"])):
        frame = _with_gold(folder, ["pos", "neg", "neg"], source, 2 / 3,
                           model_label=pd.array(["pos", "neg", "pos"], dtype="string"),
                           model_confidence=0.9)
    frame.loc[2, "label"] = "neg"  # b's i2 took its copy's reviewed label, the gold one
    _write_labels(b, frame, 2 / 3, 3)
    d = diff_runs(a, b)
    assert not d.held_out_differ  # the copy is held out in b as in a
    assert (d.common_gold.items, d.common_gold.accuracy) == (3, (pytest.approx(2 / 3),
                                                                 pytest.approx(2 / 3)))
    assert d.gold_delta == 0.0


def test_a_fall_in_accuracy_on_the_same_gold_is_a_warning_naming_what_changed(tmp_path):
    """Reviews imported, and auto's class balance from them flipped 23,000 labels the wrong
    way: 98.4% -> 96.4% on 2,000 held-out gold items was one number on the "since run"
    line."""
    from labelwright.runs.diff.lines import accuracy_drop_warning

    labels = {"labels": ["negative", "neutral", "positive"]}
    a = fake_run(tmp_path / "a", ["neutral", "neutral"], lfs={"f": "h"}, coverage=1.0,
                 accuracy=0.984)
    b = fake_run(tmp_path / "b", ["negative", "neutral"], lfs={"f": "h"}, coverage=1.0,
                 accuracy=0.964, reviews={"decisions": 519, "items_with_gold": 519})
    _edit_manifest(a, project=labels,
                   label_model={"name": "auto", "class_balance": [0.323, 0.201, 0.476]})
    _edit_manifest(b, project=labels,
                   label_model={"name": "auto", "class_balance": [0.309, 0.123, 0.568]})
    for run in (a, b):
        manifest = json.loads((run / "manifest.json").read_text())
        manifest["evaluation"]["n_gold"] = 2000
        (run / "manifest.json").write_text(json.dumps(manifest))
    said = accuracy_drop_warning(diff_runs(a, b))
    assert said is not None
    assert said.startswith(f"since run {a.name}: accuracy on held-out gold 98.4% -> 96.4% "
                           "(-2.0 pts, over the same gold items); what changed: ")
    assert "class balance: negative 32.3%, neutral 20.1%, positive 47.6% -> negative " \
           "30.9%, neutral 12.3%, positive 56.8%" in said
    assert "reviews" in said.split("what changed: ")[1]
    # no gold item is known to have gone wrong (these labels hold no gold): the general advice
    assert said.endswith("can be undone in [label_model] (e.g. class_balance, name) or by "
                         "retiring reviews")
    # a point or less is noise on 2,000 items; a rise is no warning
    for accuracy in (0.975, 0.99):
        _edit_manifest(b, evaluation={"label_model": {"accuracy": accuracy}, "n_gold": 2000})
        assert accuracy_drop_warning(diff_runs(a, b)) is None


def test_runs_diff_says_a_run_file_is_missing_or_edited_with_no_lf_changed(make_project, cli):
    """With no LF edited between the runs, a missing label matrix (whose votes of unedited
    LFs the diff compares) and an edited review.csv were passed over in silence, and
    --exit-code said the votes were the same."""
    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    (first.run_dir / "label_matrix.parquet").unlink()
    with open(second.run_dir / "review.csv", "a", encoding="utf-8") as handle:
        handle.write("t99,edited by hand\n")
    code, out = cli("runs", "diff", first.run_id, second.run_id, "--exit-code", "-p",
                    str(root))
    assert code == 1, out
    assert f"LF votes: not compared (run {first.run_id}: label_matrix.parquet: missing)" in out
    assert (f"run {second.run_id}: not as the run wrote it: review.csv: changed since the run "
            "wrote it") in out
    assert f"run {first.run_id}: not as the run wrote it" not in out  # its matrix: said once


def test_a_run_after_a_larger_one_reads_its_labels_as_a_whole_run_would(tmp_path):
    """A run's report compares it with the run before, whose labels beyond this run's
    items are no longer made a DataFrame (200,000 items after 1,000,000 had cost 0.5 GB):
    the run-wide counts (items in run a only, the first of their ids, run a's held-out
    gold, the labels its reviews changed) still take in every item of run a."""
    a = fake_run(tmp_path / "a", ["pos", "neg", "pos", "neg", "pos", "neg"], lfs={"x": "h"},
                 coverage=1.0)
    b = fake_run(tmp_path / "b", ["pos", "neg", "neg"], lfs={"x": "h"}, coverage=1.0,
                 data_sha="d2")
    # run a: i4 gold and held out, i5 reviewed (neg where the model said pos); both are
    # items run b does not hold
    _with_gold(a, [None, None, None, None, "pos", None],
               ["model"] * 5 + ["review"], 1.0,
               model_label=pd.array(["pos", "neg", "pos", "neg", "pos", "pos"],
                                    dtype="string"),
               model_confidence=0.9)
    _with_gold(b, [None, None, None], ["model"] * 3, 1.0,
               model_label=pd.array(["pos", "neg", "neg"], dtype="string"),
               model_confidence=0.9)
    d = diff_runs(a, b, max_examples=2)
    assert (d.compared, d.only_a, d.only_b, d.flipped) == (3, 3, 0, 1)
    assert d.ids_only_a == ["i3", "i4"] and d.ids_only_b == []
    assert d.review_changes[0] is not None and d.review_changes[0].changed == 1
    assert d.common_gold is not None and d.common_gold.differ  # a held out i4, b nothing
    assert d.common_gold.items == 0
    assert d.examples[0]["id"] == "i2"


HELPED_LFS = '''
from labelwright import ABSTAIN, labeling_function
from shared_words import REFUND_WORDS


@labeling_function()
def refund_words(item):
    return "billing" if any(w in item.text.lower() for w in REFUND_WORDS) else ABSTAIN
'''


def test_the_since_line_names_an_edited_helper_module_no_lf_lives_in(make_project):
    """A helper module the LFs import (no LF of its own) was edited: `runs diff` named it
    under "LF modules edited", while the run's line said only that labels flipped."""
    from labelwright.runs.diff.lines import since_line

    root = make_project(lfs={"tickets": HELPED_LFS,
                             "shared_words": 'REFUND_WORDS = ("refund",)\n'})
    first = run_project(root)
    (root / "labeling_functions" / "shared_words.py").write_text(
        'REFUND_WORDS = ("refund", "invoice")\n')
    second = run_project(root)
    d = second.changes
    assert d is not None and d.run_a == first.run_id
    assert d.lfs.edited == [] and d.lf_modules.edited == ["shared_words.py"]
    line = since_line(d)
    assert "LF modules edited: shared_words.py" in line, line
    assert "LFs edited" not in line
