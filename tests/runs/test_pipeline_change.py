"""Why the spaCy pipeline is not the one a run used: an upgrade of labelwright's own
text-processing code changes the fingerprint with nothing of spaCy's changed, and is
named as such, for runs that record the fingerprint's parts and for older ones."""

from __future__ import annotations

import json

import pytest

from labelwright.config import load_config
from labelwright.nlp import fingerprint_parts, load_pipeline, pipeline_fingerprint
from labelwright.project import run_project
from labelwright.runs.pipeline_change import pipeline_change
from labelwright.runs.store import read_manifest


@pytest.fixture
def ran(make_project):
    root = make_project()
    run = run_project(root, report=False)
    config = load_config(root)
    return root, run.run_dir, config, load_pipeline(config.nlp)


def test_a_run_records_the_fingerprints_parts(ran):
    _, run_dir, _, nlp = ran
    pipeline = read_manifest(run_dir)["pipeline"]
    parts = fingerprint_parts(nlp)
    assert pipeline["fingerprint"] == parts["fingerprint"] == pipeline_fingerprint(nlp)
    assert pipeline["fingerprint_parts"] == parts
    assert parts["labelwright_text_code"] is not None  # its lemma component is labelwright's
    assert parts["without_labelwright_code"] != parts["fingerprint"]


def test_an_upgrade_of_labelwrights_text_code_is_named_for_new_and_older_runs(ran):
    """`runs verify --recompute` and `explain` said "[nlp] settings, spaCy or its lookup
    data" changed on every run made before an upgrade, though none of them had."""
    _, run_dir, config, nlp = ran
    manifest = read_manifest(run_dir)
    manifest["pipeline"]["fingerprint"] = "0" * 64
    manifest["pipeline"]["fingerprint_parts"]["labelwright_text_code"] = "1" * 64
    said = pipeline_change(manifest, nlp, config)
    assert said.startswith("labelwright's own text-processing code differs from the run's: "
                           "labelwright was upgraded or edited since; its [nlp] settings, "
                           "spaCy ")
    # a run from before the parts were recorded: told by what it does record
    older = json.loads(json.dumps(manifest))
    del older["pipeline"]["fingerprint_parts"]
    said = pipeline_change(older, nlp, config)
    assert said.startswith("labelwright's own text-processing code differs from the run's")
    assert "which recorded the fingerprint whole" in said
    # ... unless spaCy's version, or the config (its [nlp] settings), is not the run's
    older["pipeline"]["spacy"] = "3.0.0"
    said = pipeline_change(older, nlp, config)
    assert said.startswith("[nlp] settings, spaCy or its lookup data, or labelwright's own "
                           "text-processing code; spaCy 3.0.0 -> ")
    older["pipeline"]["spacy"] = manifest["pipeline"]["spacy"]
    older["config"]["sha256"] = "2" * 64
    assert pipeline_change(older, nlp, config).startswith("[nlp] settings, spaCy or")
    # a new run whose spaCy side moved: the settings are named by their own hash
    parts = manifest["pipeline"]["fingerprint_parts"]
    parts.update(labelwright_text_code=fingerprint_parts(nlp)["labelwright_text_code"],
                 without_labelwright_code="3" * 64, spacy_config="4" * 64)
    assert pipeline_change(manifest, nlp, config) == "its [nlp] settings"
    # the part without labelwright's code moved, no setting or package did, and the code
    # did too: the first cause is named before the code's ("too" followed nothing)
    parts.update(labelwright_text_code="5" * 64, spacy_config=fingerprint_parts(nlp)[
        "spacy_config"])
    assert pipeline_change(manifest, nlp, config) == (
        "the tokenizer's rules, a component's lookup tables or code, or a pipeline's files; "
        "labelwright's own text-processing code as well: labelwright was upgraded or edited")


def test_recompute_names_an_upgrade_and_recomputes_nothing(ran, cli):
    root, run_dir, _, _ = ran
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["pipeline"]["fingerprint"] = "0" * 64  # as labelwright's older code gave it
    del manifest["pipeline"]["fingerprint_parts"]
    del manifest["labelwright_code"]
    path.write_text(json.dumps(manifest))
    code, out = cli("runs", "verify", "--recompute", "-p", str(root))
    assert code == 3, out  # not recomputed: nothing was found to differ
    assert ("recompute: the spaCy pipeline is not the one the run used (labelwright's own "
            "text-processing code differs from the run's: labelwright was upgraded or edited "
            "since;") in out
    assert "[nlp] settings, spaCy or its lookup data)" not in out
    assert "nothing recomputed (it recomputes a run with the labelwright" in out
