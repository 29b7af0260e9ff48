"""``runs verify --recompute`` on a real run it cannot recompute: "not recomputed", its own
outcome and exit code (3), not "differs" (1), unless something does differ too."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import labelwright
from cli_streams import run_cli
from labelwright.nlp import fingerprint
from labelwright.project import run_project
from labelwright.runs.erase.items import erase_items
from ticket_data import TICKETS


@pytest.fixture
def verify_json(cli, monkeypatch, capsys):
    """``runs verify --recompute --json ARGS``: (exit code, its records, its text on stderr
    with whitespace runs squashed); ``cli`` widens the consoles."""

    def verify(root, *args):
        code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "--recompute",
                                 "--json", *args, "-p", str(root))
        return code, [json.loads(line) for line in out.splitlines()], " ".join(err.split())

    return verify


def test_an_untouched_run_after_an_upgrade_is_not_recomputed_not_differs(make_project, verify_json,
                                                                          monkeypatch):
    """After an upgrade of labelwright's text code, an untouched old run read "differs
    (below)", ok false with the skip among its failures, exit 1: nothing had differed."""
    root = make_project()
    run = run_project(root, report=False)
    upgraded = bytes(32)  # labelwright's text code as another release has it
    monkeypatch.setattr(fingerprint, "own_sources_sha256", lambda: upgraded)
    code, (record,), out = verify_json(root)
    assert code == 3, out
    assert (record["ok"], record["outcome"], record["failures"]) == (
        True, "not recomputed", [])
    assert record["not_recomputed"].startswith("the spaCy pipeline is not the one the run used "
                                               "(labelwright's own text-processing code")
    assert (f"{run.run_id}: labels not recomputed (the spaCy pipeline is not the run's); its "
            "files are as the run wrote them") in out
    assert "differs (below)" not in out and ", too" not in out


def test_a_run_whose_rows_were_erased_since_is_not_recomputed(make_project, verify_json):
    root = make_project()
    run_project(root, report=False)
    path = root / "data" / "items.csv"
    kept = [line for line in path.read_text(encoding="utf-8").split("\n")
            if not line.startswith("t1,")]
    path.write_text("\n".join(kept), encoding="utf-8")
    erase_items(root, ["t1"], reviewer="dana", reason="request 7")
    code, (record,), out = verify_json(root)
    assert code == 3, out
    assert record["outcome"] == "not recomputed" and record["failures"] == []
    assert "lost the rows of items erased since the run" in record["not_recomputed"]
    assert "labels not recomputed (rows erased since the run)" in out


def test_a_changed_pipeline_setting_differs_and_says_why_nothing_was_recomputed(
        make_project, verify_json):
    """The config changed: the first run is recomputed from its kept copy of it; without
    that copy, an input differs (exit 1, "differs" wins), and the record says why nothing
    was recomputed, apart from the failures."""
    root = make_project()
    first = run_project(root, report=False)
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n[nlp]\nsentencizer = true\n",
                      encoding="utf-8")
    second = run_project(root, report=False)  # made with the setting: recomputed
    code, records, out = verify_json(root, "--all")
    assert code == 0, out
    assert [(r["run_id"], r["outcome"], r["failures"], r["recomputed_from_sources"])
            for r in records] == [
        (first.run_id, "ok", [], f"runs/{first.run_id}/sources/"),
        (second.run_id, "ok", [], None)]
    (first.run_dir / "sources" / "labelwright.toml").unlink()
    code, records, out = verify_json(root, "--all")
    assert code == 1, out
    assert [(r["run_id"], r["outcome"]) for r in records] == [(first.run_id, "differs"),
                                                             (second.run_id, "ok")]
    differs, ok = records
    assert "the project's inputs are not the ones the run read" in differs["not_recomputed"]
    assert ("not from the run's kept sources either: the run's kept sources are not as the "
            "run wrote them (sources/labelwright.toml: missing") in differs["not_recomputed"]
    assert any(line.startswith("inputs: ") for line in differs["failures"])
    assert not any(line.startswith("recompute: ") for line in differs["failures"])
    assert ok["not_recomputed"] is None and ok["failures"] == []


def test_a_dataframe_run_without_its_frame_is_not_recomputed(make_project):
    root = make_project()
    frame = pd.DataFrame(TICKETS)
    run_project(root, data=frame, report=False)
    (check,) = labelwright.verify_runs(root, recompute=True)
    assert check.ok and check.outcome == "not recomputed" and check.failures == []
    assert check.recomputed is not None and check.recomputed.skipped[0] == (
        "the run read a DataFrame, none given")
    (check,) = labelwright.verify_runs(root, recompute=True, data=frame)
    assert check.outcome == "ok" and check.not_recomputed == ""
