"""``labelwright runs verify``: a run's files and the reviews it read, as the run left them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from labelwright.config import load_config
from labelwright.models import load_model
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from ledger_rows import tamper


def _review(root, rows):
    decisions = [ledger.Decision(item, label, "importer", "alice", "", "now", "f.csv", "s1",
                                 f"row {k}", "r1", "csv") for k, (item, label) in enumerate(rows)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="importer",
                  source_file="f.csv", fmt="csv", imported_at="now")


def test_an_untouched_run_verifies_and_an_edited_output_does_not(make_project, cli):
    root = make_project()
    result = run_project(root, report=False)
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and f"{result.run_id}: ok" in out and "outputs match" in out
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    labels.loc[0, "label"] = "technical" if labels.loc[0, "label"] == "billing" else "billing"
    labels.to_parquet(result.run_dir / "labels.parquet", index=False)
    (result.run_dir / "lf_summary.csv").unlink()
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "2 problem(s)" in out
    assert "labels.parquet: changed since the run wrote it" in out
    assert "lf_summary.csv: missing" in out


def test_files_added_after_the_run_are_listed_not_failed(make_project, cli):
    """A review export or train's end model in the run folder failed verification."""
    root = make_project()
    result = run_project(root, report=False)
    code, out = cli("review", "export", "--format", "csv", "-p", str(root))
    assert code == 0, out
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and f"{result.run_id}: ok" in out
    assert "not hashed (added after the run" in out and "review-csv.csv" in out


def test_a_manifest_from_before_the_decision_field_verifies(make_project, cli):
    root = make_project()
    _review(root, [("t1", "billing")])
    result = run_project(root, report=False)
    path = result.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    reviews = manifest["reviews"]
    manifest["reviews"] = {"ledger_sha256": reviews["ledger_sha256"],
                           "count": reviews["decisions"]}
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and "the 1 ledger decisions it read are unchanged" in out


def test_a_ledger_edited_behind_its_triggers_fails_verification(make_project, cli):
    """The ledger only appends (triggers refuse updates), but a determined edit can drop the
    triggers; the digest the run recorded still tells."""
    root = make_project()
    _review(root, [("t1", "billing"), ("t2", "technical")])
    first = run_project(root, report=False)
    _review(root, [("t3", "billing")])  # appended later: the first run's decisions stand
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0 and "the 2 ledger decisions it read are unchanged" in out
    tamper(root, "UPDATE decisions SET label = 'technical' WHERE item_id = 't1'")
    code, out = cli("runs", "verify", first.run_id, "-p", str(root))
    assert code == 1 and "the first 2 decisions, which the run read, are not the ones" in out


def test_a_run_keeps_its_fitted_label_model(make_project):
    """Without it a run's probabilities could not be re-derived from its files."""
    root = make_project(model="dawid_skene")
    result = run_project(root, report=False)
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert "label_model.json" in manifest["outputs"]
    model = load_model(result.run_dir / "label_model.json")
    probs = model.predict_proba(result.applied.matrix.votes)
    labels = pd.read_parquet(result.run_dir / "labels.parquet")
    assert (probs.round(6) == labels[[f"prob_{c}" for c in ("billing", "technical")]]
            .to_numpy().round(6)).all()


def test_a_manifest_without_output_hashes_does_not_verify(make_project, cli):
    """Emptying the manifest's outputs map let any edit pass: 'ok (0 outputs match)'."""
    root = make_project()
    result = run_project(root, report=False)
    path = result.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["outputs"] = {}
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "records no output hashes" in out


def test_a_run_whose_manifest_was_deleted_is_not_stepped_over(make_project, cli):
    """verify --all skipped it, and commands on the latest run quietly used the one before."""
    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    (second.run_dir / "manifest.json").unlink()
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 1
    assert f"{first.run_id}: ok" in out and f"{second.run_id}: 1 problem(s)" in out
    assert "no manifest.json" in out
    for args in (["runs", "verify"], ["runs", "verify", second.run_id],
                 ["export", "--out", str(root / "training.parquet")], ["explain", "t1"]):
        code, out = cli(*args, "-p", str(root))
        # runs verify: 2, it cannot check (1 is "differs"); the others 1, as every error
        assert code == (2 if args[0] == "runs" else 1), (args, out)
        assert f"{second.run_id}: no manifest.json" in out, (args, out)
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and first.run_id in out and "no manifest.json, so it is not listed" in out
    # an unreadable manifest is one problem among the runs, not the end of the check
    (first.run_dir / "manifest.json").write_text("{not json")
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 1 and f"{first.run_id}: 1 problem(s)" in out and "cannot read" in out
    assert f"{second.run_id}: 1 problem(s)" in out
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and "cannot read the manifest" in out and first.run_id in out


def test_other_folders_in_runs_are_not_runs(make_project, cli):
    """`review export -o runs/exports/q.jsonl` made runs/exports, and every command on the
    latest run then failed: 'runs/exports: no manifest.json ... was it deleted?'."""
    root = make_project()
    run = run_project(root, report=False)
    code, out = cli("review", "export", "--format", "jsonl", "-o",
                    str(root / "runs" / "exports" / "q.jsonl"), "-p", str(root))
    assert code == 0, out
    (root / "runs" / "archive").mkdir()
    for args in (["runs", "verify", "--all"], ["runs", "show"],
                 ["export", "--out", str(root / "training.parquet")]):
        code, out = cli(*args, "-p", str(root))
        assert code == 0 and "no manifest.json" not in out, (args, out)
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert f"{run.run_id}: ok" in out


def test_a_copied_run_is_not_the_latest_run(make_project, cli):
    """`cp -r runs/<first> runs/baseline` sorted after every run id, so `export`, `show` and
    `diff` read the copy of the first run as the latest."""
    import shutil

    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    shutil.copytree(first.run_dir, root / "runs" / "baseline")
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0 and second.run_id in out and "baseline" not in out, out
    code, out = cli("runs", "diff", first.run_id, "-p", str(root))
    assert code == 0 and f"{first.run_id} -> {second.run_id}" in out, out
    out_file = root / "training.parquet"
    code, out = cli("export", "--out", str(out_file), "-p", str(root))
    assert code == 0, out
    provenance = json.loads(out_file.with_name(out_file.name + ".provenance.json").read_text())
    assert provenance["run_id"] == second.run_id
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and "baseline: holds a manifest.json but is not named like a run id" in (
        " ".join(out.split()))


def test_a_run_copied_under_another_run_id_is_a_problem_not_the_latest_run(make_project, cli):
    """A run copied to a folder named like a later run id passed `runs verify --all` and
    became the latest run, read by export, show and explain in place of the newest."""
    import shutil

    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    copy = root / "runs" / "29991231-235959-999999"
    shutil.copytree(first.run_dir, copy)
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    out = " ".join(out.split())
    assert code == 1 and f"{second.run_id}: ok" in out and f"{copy.name}: 1 problem(s)" in out
    assert (f"manifest.json: records run {first.run_id}, not {copy.name}, so the folder is a "
            "copy or a renamed run") in out
    for args in (["runs", "verify"], ["runs", "show"],
                 ["export", "--out", str(root / "training.parquet")]):
        code, out = cli(*args, "-p", str(root))
        assert code == (2 if args[1:] == ["verify"] else 1), (args, out)
        assert "it is not taken for the latest run" in " ".join(out.split()), (args, out)
    assert not (root / "training.parquet").exists()
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and f"records run {first.run_id}, not {copy.name}" in " ".join(out.split())
    code, out = cli("runs", "show", copy.name, "-p", str(root))  # named, it can be looked at
    assert code == 0 and f"run {first.run_id}" in out
    third = run_project(root, report=False)  # LATEST names the newest real run, not the copy
    assert (root / "runs" / "LATEST").read_text().strip() == third.run_id


def test_verify_all_without_runs_fails_and_names_the_runs_folder(make_project, cli):
    """With no runs (or [project] runs mistyped) `runs verify --all` printed nothing and
    exited 0, so a CI check that ran it passed."""
    root = make_project()
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    out = " ".join(out.split())
    assert code == 2 and "no finished runs to verify (no such folder" in out
    assert str(root / "runs") in out.replace(" ", "")
    (root / "runs").mkdir()
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 2 and "no finished runs to verify; run `labelwright run` first" in " ".join(
        out.split())


def test_a_manifest_that_is_no_json_object_is_one_problem(make_project, cli):
    """`[]` in manifest.json crashed `runs list` and `runs verify --all` with a traceback."""
    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    (first.run_dir / "manifest.json").write_text("[]")
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 1 and f"{first.run_id}: 1 problem(s)" in out and "JSON list" in out
    assert f"{second.run_id}: ok" in out
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and "cannot read the manifest" in out and second.run_id in out


def _drop_triggers_and(root, sql):
    tamper(root, sql)


def test_trains_files_are_checked_against_each_other_the_run_and_the_ledger(make_project, cli):
    """train's end model and its labels were only listed as "not hashed": a train stopped
    between its two files, or labels edited since, passed verification."""
    from labelwright.end_model.train_outputs import LABELS_FILE, MODEL_FILE

    root = make_project()
    _review(root, [("t1", "billing")])
    run = run_project(root, report=False)
    code, out = cli("train", "-p", str(root))
    assert code == 0, out
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and "train's end model and its labels belong together" in out, out
    assert "not hashed" not in out
    model_path, labels_path = run.run_dir / MODEL_FILE, run.run_dir / LABELS_FILE
    trained = labels_path.read_bytes()
    labels = pd.read_parquet(labels_path)
    labels.loc[0, "confidence"] = 0.5
    labels.to_parquet(labels_path, index=False)  # as a second train stopped half-way would
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and f"{LABELS_FILE}: not the labels {MODEL_FILE} wrote" in out
    labels_path.write_bytes(trained)
    _drop_triggers_and(root, "UPDATE decisions SET label = 'technical' WHERE item_id = 't1'")
    code, out = cli("runs", "verify", "-p", str(root))
    # the run read the ledger too: both say the decision they read changed
    assert code == 1 and "the first 1 decisions, which train read, are not the ones" in out
    assert "which the run read" in out
    _drop_triggers_and(root, "UPDATE decisions SET label = 'billing' WHERE item_id = 't1'")
    doc = json.loads(model_path.read_text())
    del doc["training"]["labels_sha256"]  # a model from before the hashes were recorded
    del doc["training"]["model_sha256"]  # (one without the first alone is an edited one)
    model_path.write_text(json.dumps(doc))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and "cannot be checked against each other" in out
    # train wrote it: it was listed as added "by hand"
    assert (f"not hashed: {MODEL_FILE}, {LABELS_FILE} (the files `labelwright train` writes "
            "after a run; not checked against the run here: see the lines above)") in out
    assert "by hand" not in out
    model_path.unlink()
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and f"{LABELS_FILE}: there is no {MODEL_FILE} beside it" in out


def test_an_end_model_an_older_train_wrote_is_said_uncheckable_not_failed(make_project, cli):
    """An untouched run whose end model an older `train` wrote (no training section at all)
    failed verification with "records no training section", and lost its ok line."""
    from labelwright.end_model.train_outputs import LABELS_FILE, MODEL_FILE

    root = make_project()
    _review(root, [("t1", "billing")])
    run = run_project(root, report=False)
    code, out = cli("train", "-p", str(root))
    assert code == 0, out
    model_path = run.run_dir / MODEL_FILE
    doc = json.loads(model_path.read_text())
    del doc["training"]  # as the older train wrote it: the model alone
    model_path.write_text(json.dumps(doc))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0, out
    assert f"{run.run_id}: ok (" in out
    assert (f"{MODEL_FILE} was written by an older `labelwright train`, which recorded no "
            "training section") in out
    assert f"not hashed: {MODEL_FILE}, {LABELS_FILE}" in out
    # its label names are still the run's to check
    doc["labels"].reverse()
    model_path.write_text(json.dumps(doc))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "are not the run's" in out, out


def _edit_manifest(run_dir, edit):
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))


def _set(*keys, value):
    """An edit of a manifest that sets ``manifest[k1][k2]... = value``."""
    def edit(manifest):
        for key in keys[:-1]:
            manifest = manifest[key]
        manifest[keys[-1]] = value
    return edit


@pytest.mark.parametrize(("edit", "field"), [
    (_set("outputs", value="x"), "outputs is a JSON string"),
    (_set("outputs", "labels.parquet", value=5), "outputs['labels.parquet'] is a JSON number"),
    (_set("reviews", value="x"), "reviews is a JSON string"),
    (_set("data", value=None), "data is JSON null"),
    (_set("labeling_functions", value=[1]), "labeling_functions[0] is a JSON number"),
    (_set("data", "sha256", value=7), "data.sha256 is a JSON number"),
    # what runs show and verify --inputs read of the data settings and glossaries
    (_set("data", "columns", value="id"), "data.columns is a JSON string"),
    (_set("glossaries", value=[{"name": "g", "sha256": 5}]),
     "glossaries[0].sha256 is a JSON number"),
    (_set("run_id", value=None), "run_id is JSON null"),
    (lambda manifest: manifest.pop("run_id"), "run_id is missing"),
])
def test_a_manifest_field_of_another_type_is_that_runs_problem(make_project, cli, edit, field):
    """A valid JSON manifest with a field of the wrong type crashed verify, list, show,
    explain, export and diff with a traceback (verify --all checked no other run), or (data:
    null, labeling_functions: [1], no run_id) passed `runs verify`."""
    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    _edit_manifest(second.run_dir, edit)
    said = f"{second.run_dir / 'manifest.json'}: cannot read the manifest: {field}"
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 1 and f"{first.run_id}: ok" in out, out
    assert f"{second.run_id}: 1 problem(s)" in out and said in out
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and said in out and first.run_id in out and second.run_id in out
    for args in (["runs", "verify"], ["runs", "show"], ["explain", "t1"],
                 ["export", "--out", str(root / "training.parquet")],
                 ["runs", "diff", first.run_id], ["report"], ["review", "export"]):
        code, out = cli(*args, "-p", str(root))
        assert code == 1 and said in out and "Traceback" not in out, (args, out)
    assert not (root / "training.parquet").exists()


def test_outputs_named_outside_the_run_folder_are_not_hashed(make_project, cli):
    """`runs verify` hashed `../../labelwright.toml` and `/etc/passwd` as outputs, and
    counted them among the outputs that match when their hashes did."""
    from labelwright.runs.store import file_sha256

    root = make_project()
    run = run_project(root, report=False)
    toml = root / "labelwright.toml"
    _edit_manifest(run.run_dir, _set("outputs", "../../labelwright.toml",
                                     value=file_sha256(toml)))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "outputs names '../../labelwright.toml', not a file of the run " \
        "folder" in out and "match their hashes" not in out


def test_files_added_anywhere_in_the_run_folder_are_listed(make_project, cli):
    """Only files at the top of the run folder, and no hidden ones, were listed as added;
    with `{}` for outputs every file of the run was "added after the run"."""
    root = make_project()
    run = run_project(root, report=False)
    (run.run_dir / "exports").mkdir()
    (run.run_dir / "exports" / "queue.csv").write_text("id\n")
    (run.run_dir / ".notes").write_text("x")
    (run.run_dir / "empty").mkdir()
    (run.run_dir / "extra.txt").write_text("x")
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and ("not hashed (added after the run: review exports, or by hand): "
                          ".notes, empty/, exports/queue.csv, extra.txt") in out, out
    _edit_manifest(run.run_dir, _set("outputs", value={}))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "records no output hashes" in out and "not hashed" not in out, out


def _name_project(root, name):
    """Set ``[project] name`` of a project made by ``make_project`` (or unset it: None)."""
    toml = root / "labelwright.toml"
    line = f'name = "{name}"\n' if name is not None else ""
    toml.write_text(toml.read_text().replace('name = "test"\n', line))
    return root


def test_a_bare_runs_diff_refuses_another_projects_run_before_the_latest(make_project, cli,
                                                                        tmp_path):
    """Named, another project's run was refused; as the run before the latest, a bare
    `runs diff` compared with it in silence."""
    import shutil

    a = _name_project(make_project(root=tmp_path / "a", rows=[
        {"id": "x1", "text": "my refund", "gold": "billing"},
        {"id": "x2", "text": "it crashes", "gold": "technical"}]), "ay")
    theirs = run_project(a, report=False)
    b = _name_project(make_project(root=tmp_path / "b"), "bee")
    own = run_project(b, report=False)
    shutil.copytree(theirs.run_dir, b / "runs" / theirs.run_id)
    code, out = cli("runs", "diff", "-p", str(b))
    assert code == 1, out
    assert "made by project 'ay'" in out and "not taken for the run before" in out, out
    assert own.run_id in out


def test_a_run_copied_in_from_another_project_is_refused(make_project, cli, tmp_path):
    """The newest run folder of project A, copied into B's runs/, passed `runs verify` and
    was B's latest run for explain, report and review export (export and train failed with
    a misleading data error), while runs/LATEST still named B's own run."""
    import shutil

    from labelwright.runs.manifest import project_record
    from labelwright.runs.run_writer import write_latest

    b = _name_project(make_project(root=tmp_path / "b"), "bee")
    own = run_project(b, report=False)
    a = _name_project(make_project(root=tmp_path / "a", rows=[
        {"id": "x1", "text": "my refund", "gold": "billing"},
        {"id": "x2", "text": "it crashes", "gold": "technical"}]), "ay")
    theirs = run_project(a, report=False)
    copy = b / "runs" / theirs.run_id
    shutil.copytree(theirs.run_dir, copy)
    said = (f"made by project 'ay' (labels billing, technical; in {a}), not by this project "
            f"'bee' (labels billing, technical; in {b})")
    for args in (["runs", "verify"], ["runs", "show"], ["explain", "x1"], ["report"],
                 ["review", "export"], ["export", "--out", str(tmp_path / "t.parquet")],
                 ["train"], ["review", "stats"], ["runs", "diff", own.run_id],
                 ["runs", "diff", own.run_id, theirs.run_id]):
        code, out = cli(*args, "-p", str(b))
        # runs verify cannot check the latest run: 2 (its 1 says "differs")
        assert code == (2 if args == ["runs", "verify"] else 1), (args, out)
        assert said in out and str(copy) in out, (args, out)
    code, out = cli("runs", "verify", "--all", "-p", str(b))
    assert code == 1 and f"{own.run_id}: ok" in out and f"{theirs.run_id}: 1 problem(s)" in out
    assert said in out
    code, out = cli("runs", "list", "-p", str(b))
    assert code == 0 and said in out
    code, out = cli("runs", "show", theirs.run_id, "-p", str(b))  # named, it can be looked at
    assert code == 0 and f"run {theirs.run_id}" in out and said in out
    write_latest(b / "runs", project_record(load_config(b)))
    assert (b / "runs" / "LATEST").read_text().strip() == own.run_id
    # the next run's report does not count its changes from the copy
    third = run_project(b)
    page = (third.run_dir / "report.html").read_text()
    assert "made by project &#x27;ay&#x27;" in page or "made by project 'ay'" in page
    assert (b / "runs" / "LATEST").read_text().strip() == third.run_id


def test_a_moved_or_renamed_project_keeps_its_runs(make_project, cli, tmp_path):
    """Telling another project's runs apart must not refuse a project's own runs after the
    project folder moved (the recorded root differs), or was renamed with [project] name
    unset (the name is the folder's)."""
    import shutil

    root = _name_project(make_project(root=tmp_path / "tickets"), None)
    run = run_project(root, report=False)
    for place in (tmp_path / "elsewhere" / "tickets", tmp_path / "tickets-v2"):
        moved = shutil.copytree(root, place)
        code, out = cli("runs", "verify", "-p", str(moved))
        assert code == 0 and f"{run.run_id}: ok" in out, out
        code, out = cli("export", "--out", str(place / "t.parquet"), "-p", str(moved))
        assert code == 0, out


@pytest.mark.parametrize("said", [1, 3])
def test_a_manifest_whose_decision_count_was_edited_is_named_not_the_ledger(make_project,
                                                                            cli, said):
    """A manifest's reviews.decisions lowered (or raised) was reported as an edited ledger
    ("the first N decisions ... are not the ones it read"): the ledger was intact."""
    root = make_project()
    _review(root, [("t1", "billing"), ("t2", "technical")])
    run = run_project(root, report=False)
    _review(root, [("t3", "billing")])  # appended later: the ledger holds more than it read
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["reviews"]["decisions"] = said
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 1
    assert (f"manifest.json: reviews.decisions says the run read {said} decisions, but the "
            "ledger's first 2 have the sha256 the run recorded with them: the count was "
            "edited since, not the ledger") in out
    assert "are not the ones it read" not in out and "fewer than" not in out
    assert "not refit: the manifest's count of the decisions the run read was edited" in out


@pytest.mark.parametrize("section", ["data", "label_model", "reviews", "labeling_functions"])
def test_a_manifest_with_a_section_deleted_does_not_verify(make_project, cli, section):
    """Each of these deleted whole still verified ok, exit 0 (without ``reviews`` the
    ledger was not checked, and no word said so)."""
    root = make_project()
    _review(root, [("t1", "billing")])
    run = run_project(root, report=False)
    _edit_manifest(run.run_dir, lambda manifest: manifest.pop(section))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1, out
    assert f"{run.run_id}: 1 problem(s)" in out
    assert f"manifest.json: {section} is missing, which every run records (" in out


def test_runs_diff_does_not_compare_a_section_a_manifest_lacks(make_project, cli):
    """With ``labeling_functions`` deleted from one manifest, runs diff reported every LF
    as added."""
    from labelwright.runs.diff.compare import diff_runs
    from labelwright.runs.diff.flip_causes import NO_LFS
    from ticket_data import TICKET_LFS

    root = make_project()
    first = run_project(root, report=False)
    edited = TICKET_LFS.replace('"crash" in item.text.lower() or ', "")
    (root / "labeling_functions" / "tickets.py").write_text(edited)
    second = run_project(root, report=False)
    assert diff_runs(first.run_dir, second.run_dir).flip_causes.get(
        "votes changed (same text)")  # the edit flipped labels
    _edit_manifest(first.run_dir, lambda manifest: manifest.pop("labeling_functions"))
    d = diff_runs(first.run_dir, second.run_dir)
    assert not d.lfs.added and not d.lfs.removed and not d.lfs.edited
    # whose votes moved cannot be told: not every flip put down to votes
    assert set(d.flip_causes) == {NO_LFS}
    assert d.missing_sections == {"labeling_functions": [first.run_id]}
    code, out = cli("runs", "diff", "-p", str(root))
    assert code == 0, out
    assert (f"warning: labeling_functions is missing from the manifest of run {first.run_id}, "
            "which every run records: not compared") in out
    assert "LFs added" not in out

