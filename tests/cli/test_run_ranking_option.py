"""``labelwright run --ranking``: the queue's order for one run, and the hint a slow review
ranking prints (how to skip it while editing LFs)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

import labelwright.cli.ranking_hint as hint_module
import labelwright.end_model.out_of_fold as out_of_fold
from labelwright.cli.ranking_hint import RANK_HINT_SECONDS, ranking_hint
from labelwright.errors import ConfigError


def _invoke(*args: str):
    from labelwright.cli.app import app

    return CliRunner().invoke(app, ["run", "--no-report", *args])


def _triage(root) -> dict:
    latest = (root / "runs" / "LATEST").read_text(encoding="utf-8").strip()
    manifest = json.loads((root / "runs" / latest / "manifest.json").read_text("utf-8"))
    return manifest["triage"]


def test_ranking_confidence_fits_no_end_model_and_the_manifest_says_why(make_project,
                                                                        monkeypatch):
    root = make_project()
    written = (root / "labelwright.toml").read_text(encoding="utf-8")

    def refuse(*args, **kwargs):
        raise AssertionError("the end model was fit for a --ranking confidence run")

    monkeypatch.setattr(out_of_fold, "fit_logistic", refuse)
    ran = _invoke("-p", str(root), "--ranking", "confidence")
    assert ran.exit_code == 0, ran.output
    triage = _triage(root)
    assert (triage["ranking"], triage["ranking_from"]) == ("confidence", "--ranking")
    assert triage["ranking_weights"] is None  # no ranking was made
    assert (root / "labelwright.toml").read_text(encoding="utf-8") == written


def test_an_unknown_ranking_lists_the_valid_ones_and_starts_no_run(make_project):
    root = make_project()
    ran = _invoke("-p", str(root), "--ranking", "confdence")
    assert isinstance(ran.exception, ConfigError)  # the entry point prints it as an error
    assert "--ranking 'confdence'; valid: combined, confidence" in str(ran.exception)
    assert not (root / "runs" / "LATEST").exists()


def test_a_slow_combined_ranking_says_how_to_skip_it(make_project, monkeypatch):
    root = make_project()
    monkeypatch.setattr(hint_module, "RANK_HINT_SECONDS", -1.0)  # any ranking is "slow"
    ran = _invoke("-p", str(root))
    assert ran.exit_code == 0, ran.output
    assert _triage(root)["ranking_from"] is None
    said = [line for line in ran.output.splitlines() if line.startswith("review ranking took")]
    assert len(said) == 1 and "`labelwright run --ranking confidence` skips it" in said[0]


def test_the_hint_is_left_out_when_the_ranking_was_quick_read_back_or_not_made() -> None:
    slow = RANK_HINT_SECONDS + 10
    combined = {"ranking": "combined", "ranking_cache": {"used": True, "reused": False}}
    assert ranking_hint(slow, combined) is not None
    assert f"took {slow:.1f}s" in (ranking_hint(slow, combined) or "")
    assert ranking_hint(RANK_HINT_SECONDS / 2, combined) is None
    assert ranking_hint(slow, {**combined, "ranking_cache": {"reused": True}}) is None
    assert ranking_hint(slow, {"ranking": "confidence"}) is None
    assert ranking_hint(None, combined) is None
