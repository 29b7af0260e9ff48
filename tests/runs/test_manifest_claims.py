"""A manifest's figures (coverage, evaluation, triage counts, the label model chosen)
against what the run's own files give: edited figures passed ``runs verify`` and
``--recompute`` while ``runs list`` and ``runs show`` printed them as the run's."""

from __future__ import annotations

import json

import pytest

from labelwright.project import run_project
from labelwright.runs.verify.manifest_claims import claim_differences, file_claims
from model_modules import MODEL_MODULE, forget_registered


@pytest.fixture
def ran(make_project):
    root = make_project(model="auto")
    return root, run_project(root, report=False)


def _edit(run_dir, edit):
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    edit(manifest)
    path.write_text(json.dumps(manifest), encoding="utf-8")


def _summary_edited(manifest):
    manifest["coverage"] = 0.999
    manifest["evaluation"]["label_model"]["accuracy"] = 0.999
    manifest["label_model"]["chosen"]["model"] = "majority"
    manifest["triage"]["counts"]["accepted"] += 3


def test_an_untouched_run_s_figures_are_its_files(ran):
    root, run = ran
    manifest = json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))
    derived = file_claims(run.run_dir, manifest)
    assert {"coverage", "evaluation.label_model.accuracy", "evaluation.majority_vote.macro_f1",
            "triage.counts.accepted", "label_model.chosen.model", "data.rows",
            "labeling_functions"} <= set(derived)
    assert claim_differences(manifest, derived) == []


def test_edited_figures_are_named_by_field(ran, cli):
    root, run = ran
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0 and ("its manifest's coverage, evaluation, triage counts, label model, "
                          "rows, LFs, calibration are what its files give") in out
    chosen = json.loads((run.run_dir / "label_model.json").read_text())["learned"]["chosen_"]
    _edit(run.run_dir, _summary_edited)
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "4 problem(s)" in out
    assert (f"manifest.json: coverage: the manifest says 0.999, label_matrix.parquet (items "
            f"with a vote) gives {round(run.coverage, 6)!r}") in out
    assert "manifest.json: evaluation.label_model.accuracy: the manifest says 0.999" in out
    assert (f"manifest.json: label_model.chosen.model: the manifest says 'majority', "
            f"label_model.json gives {chosen['model']!r}") in out
    assert "manifest.json: triage.counts.accepted: the manifest says" in out
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 1
    assert "recompute: the manifest's figures are not what the recomputation gives" in out
    assert "coverage: the manifest says 0.999, the recomputation's votes gives" in out
    assert "evaluation.label_model.accuracy: the manifest says 0.999, the refit" in out
    assert "label_model.chosen.model: the manifest says 'majority', the refit gives" in out
    # an LF taken out of the manifest's list: its column is still in the label matrix
    _edit(run.run_dir, lambda m: m.update(labeling_functions=m["labeling_functions"][1:]))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "manifest.json: labeling_functions: the manifest says [" in out


def test_an_edited_output_is_named_once_not_as_a_figure_too(ran, cli):
    root, run = ran
    (run.run_dir / "label_matrix.parquet").unlink()
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "1 problem(s)" in out and "label_matrix.parquet: missing" in out


def test_a_recompute_of_untouched_figures_says_they_match(ran, cli):
    root, run = ran
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 0, out
    assert ("recompute: the manifest's coverage, evaluation, triage counts, label model, "
            "calibration are what the recomputation gives") in out


@pytest.mark.parametrize("name", ["default", "majority"])
def test_a_model_named_by_an_alias_is_no_edited_manifest(make_project, name):
    """`[label_model] name = "default"` saves a dawid_skene file (as `module:Class` saves
    the class's own name): runs verify called every such run's manifest edited."""
    root = make_project(model=name)
    run = run_project(root, report=False)
    manifest = json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))
    saved = json.loads((run.run_dir / "label_model.json").read_text(encoding="utf-8"))
    assert saved["model"] == ("dawid_skene" if name == "default" else name)
    assert claim_differences(manifest, file_claims(run.run_dir, manifest)) == []
    # the name is still compared where the file carries it
    manifest["label_model"]["name"] = "triplet"
    said = claim_differences(manifest, file_claims(run.run_dir, manifest))
    assert said == ["label_model.name: the manifest says 'triplet', label_model.json gives "
                    f"{saved['model']!r}"]


@pytest.fixture
def forget_claims_models():
    yield
    forget_registered("claims_models")


def test_a_module_class_name_is_compared_with_the_class_the_run_imported(make_project,
                                                                         forget_claims_models):
    """``module:Class`` cannot be in the saved file (it names the class's own ``name``):
    the name was not compared at all; it is now compared with ``label_model.source``."""
    root = make_project(model="claims_models:AccuracyVote")
    (root / "claims_models.py").write_text(MODEL_MODULE.format(name="claims_vote"),
                                           encoding="utf-8")
    run = run_project(root, report=False)
    manifest = json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert claim_differences(manifest, file_claims(run.run_dir, manifest)) == []
    manifest["label_model"]["name"] = "claims_models:OtherVote"
    manifest["label_model"]["class"] = "OtherVote"
    said = claim_differences(manifest, file_claims(run.run_dir, manifest))
    source = "label_model.source (the module and class the run imported)"
    assert sorted(said) == [
        f"label_model.class: the manifest says 'OtherVote', {source} gives 'AccuracyVote'",
        f"label_model.name: the manifest says 'claims_models:OtherVote', {source} gives "
        "'claims_models:AccuracyVote'"]


def test_an_edited_seed_or_tie_break_is_named_not_the_evaluation_it_moves(ran, cli):
    """label_model.json holds the run's seed (random_state) and tie-break: an edited one
    had been blamed on evaluation.majority_vote.macro_f1."""
    root, run = ran

    def edit(manifest):
        manifest["seed"] += 7
        manifest["label_model"]["tie_break"] = "first" \
            if manifest["label_model"]["tie_break"] != "first" else "random"

    seed = json.loads((run.run_dir / "manifest.json").read_text())["seed"]
    _edit(run.run_dir, edit)
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "2 problem(s)" in out, out
    assert (f"manifest.json: seed: the manifest says {seed + 7}, label_model.json (its "
            f"random_state) gives {seed}") in out, out
    assert "manifest.json: label_model.tie_break: the manifest says" in out, out
    assert "evaluation" not in out.split("problem(s)")[1], out


def test_an_edited_setting_names_the_key_not_the_whole_dict(ran):
    root, run = ran
    manifest = json.loads((run.run_dir / "manifest.json").read_text())
    manifest["label_model"]["params"]["n_splits"] = 9
    manifest["label_model"]["chosen"]["reason"] = "edited"
    lines = claim_differences(manifest, file_claims(run.run_dir, manifest))
    reason = json.loads((run.run_dir / "label_model.json").read_text())["learned"][
        "chosen_"]["reason"]
    assert sorted(lines) == [
        f"label_model.chosen.reason: the manifest says 'edited', label_model.json gives "
        f"{reason!r}",
        "label_model.params.n_splits: the manifest says 9, label_model.json gives 5"]


def test_an_edited_count_of_labeled_items_is_named(ran, cli):
    """``labeled`` (what the report's History prints) was covered by no check: one more
    item claimed labeled verified ok."""
    root, run = ran
    manifest = json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert "labeled" in file_claims(run.run_dir, manifest)
    _edit(run.run_dir, lambda m: m.update(labeled=m["labeled"] + 1))
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1 and "1 problem(s)" in out
    assert (f"manifest.json: labeled: the manifest says {manifest['labeled'] + 1}, "
            f"labels.parquet (items with a label) gives {manifest['labeled']}: the manifest "
            "was edited since the run") in out
