"""The fit cache: an unchanged re-run reads ``auto``'s fit back (with reviews of a random
sample it chooses and calibrates by cross-validation, seconds on every run), with the
outputs of a fit."""

from __future__ import annotations

import json

import pytest

import labelwright.models.configured as configured
from labelwright.project import run_project
from labelwright.review.decisions import ledger
from ticket_data import many_tickets


def _sample_reviewed(make_project, **project):
    """A project whose first run's random sample of 40 is reviewed with the true labels."""
    rows = many_tickets(120)
    root = make_project(rows=rows, gold=None, model="auto",
                        extra="random_sample = 40\n", **project)
    first = run_project(root, report=False)
    truth = {row["id"]: row["gold"] for row in rows}
    drawn = [json.loads(line)["id"] for line in
             (first.run_dir / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    decisions = [ledger.Decision(item, truth[item], "ana", "", "", "now", "f.csv", "s1",
                                 f"row {k}", first.run_id, "csv", "sample")
                 for k, item in enumerate(drawn)]
    ledger.append(ledger.ledger_path(root), decisions, sha256="s1", reviewer="ana",
                  source_file="f.csv", fmt="csv", imported_at="now")
    return root


def _no_fits(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the label model was fit")

    monkeypatch.setattr(configured, "fit_label_model", refuse)


def _manifest(run):
    return json.loads((run.run_dir / "manifest.json").read_text(encoding="utf-8"))


def test_an_unchanged_rerun_reads_autos_fit_back_with_the_outputs_of_a_fit(make_project,
                                                                          monkeypatch):
    root = _sample_reviewed(make_project)
    fitted = run_project(root, report=False)
    first = _manifest(fitted)["label_model"]
    assert first["fit_cache"] == {"used": True, "reused": False, "refreshed": False}
    assert first["chosen"] is not None  # auto chose on the sample's reviews
    with monkeypatch.context() as patch:
        _no_fits(patch)
        again = run_project(root, report=False)
    second = _manifest(again)["label_model"]
    assert second.pop("fit_cache") == {"used": True, "reused": True, "refreshed": False}
    first.pop("fit_cache")
    assert second == first
    for name in ("labels.parquet", "label_matrix.parquet", "lf_summary.csv"):
        assert (again.run_dir / name).read_bytes() == (fitted.run_dir / name).read_bytes(), name
    assert again.warnings == fitted.warnings


def test_a_changed_review_a_refresh_and_a_cache_off_fit_again(make_project, monkeypatch):
    root = _sample_reviewed(make_project)
    run_project(root, report=False)
    assert _manifest(run_project(root, report=False, cache="refresh"))[
        "label_model"]["fit_cache"] == {"used": True, "reused": False, "refreshed": True}
    assert _manifest(run_project(root, report=False, cache=False))[
        "label_model"]["fit_cache"] == {"used": False, "reused": None, "refreshed": None}
    latest = run_project(root, report=False)
    decision = ledger.Decision(latest.labels["id"].iloc[0], "technical", "bo", "", "", "now",
                               "g.csv", "s2", "row 1", latest.run_id, "csv", "queue")
    ledger.append(ledger.ledger_path(root), [decision], sha256="s2", reviewer="bo",
                  source_file="g.csv", fmt="csv", imported_at="now")
    with monkeypatch.context() as patch, pytest.raises(AssertionError, match="was fit"):
        _no_fits(patch)
        run_project(root, report=False)


def test_snorkels_fit_is_read_back_without_a_fit(make_project, monkeypatch):
    """The snorkel model imports torch to fit, seconds at every run: an unchanged re-run
    fitted it again, though the other models' fits took a fraction of a second."""
    root = make_project(model="snorkel", rows=many_tickets(60), gold=None)
    fitted = run_project(root, report=False)
    assert _manifest(fitted)["label_model"]["fit_cache"]["reused"] is False
    with monkeypatch.context() as patch:
        _no_fits(patch)
        again = run_project(root, report=False)
    assert _manifest(again)["label_model"]["fit_cache"] == {
        "used": True, "reused": True, "refreshed": False}
    assert (again.run_dir / "labels.parquet").read_bytes() == \
        (fitted.run_dir / "labels.parquet").read_bytes()


def test_another_model_is_not_cached(make_project):
    root = make_project(model="majority")
    assert _manifest(run_project(root, report=False))["label_model"]["fit_cache"] == {
        "used": False, "reused": None, "refreshed": None}
    assert not (root / ".labelwright" / "cache" / "fit").exists()


def test_fit_keys_stay_the_keys_earlier_runs_stored_under(monkeypatch):
    # a key that changed would miss every entry an earlier labelwright stored
    from types import SimpleNamespace

    import labelwright.models.fit_cache as fit_cache
    from labelwright.config.schema import LabelModelConfig
    from pinned_keys import SAMPLED, VOTES, Y_DEV, pin_environment

    pin_environment(monkeypatch, fit_cache, "C")
    config = SimpleNamespace(labels=("a", "b", "c"), seed=7,
                             label_model=LabelModelConfig(params={"max_iter": 50}))
    assert fit_cache.fit_key(config, VOTES[::2], Y_DEV, SAMPLED, 3) == (
        "774267716891c6800767622001f7f091928ecabe5c2cf34fc89e1d2f4f8da664")
    assert fit_cache.fit_key(config, VOTES, None, None, 0) == (
        "1bacd9b7c510208d0257845ed27f30866840e5fc9b310105c2d9a268e1ec165a")


def test_the_model_code_hash_is_the_sha256_of_the_models_modules_in_name_order():
    import hashlib
    from pathlib import Path

    import labelwright.models as models
    from labelwright.models.fit_cache import code_sha256

    files = sorted(Path(models.__file__).parent.glob("*.py"))
    assert {f.name for f in files} >= {"auto.py", "dawid_skene.py", "fit_cache.py"}
    code = b"".join(f.read_bytes() for f in files)
    assert code_sha256() == hashlib.sha256(code).hexdigest()
