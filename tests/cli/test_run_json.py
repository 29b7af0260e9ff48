"""``run --json``: one JSON object on stdout naming this run, for a nightly script that
must not parse text (``runs/LATEST`` names the newest run, not necessarily this job's)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cli_streams import BROKEN, run_cli
from labelwright.runs.store import list_runs, read_manifest


def test_run_json_names_this_run_alone_on_stdout(make_project, monkeypatch, capsys):
    root = make_project()
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 0, err
    (line,) = out.splitlines()
    record = json.loads(line)
    (run_id,) = list_runs(root / "runs")
    manifest = read_manifest(root / "runs" / run_id)
    assert record["command"] == "run" and record["status"] == "ok"
    assert record["exit_code"] == 0 and record["latest"] is True
    assert record["run_id"] == run_id and Path(record["run_dir"]) == root / "runs" / run_id
    assert Path(record["labels_file"]).is_file() and record["report"] is None
    assert record["counts"] == manifest["triage"]["counts"]
    assert record["coverage"] == manifest["coverage"]
    assert record["accuracy"] == manifest["evaluation"]["label_model"]["accuracy"]
    assert record["warnings"] == err.count("warning:")
    assert "Labeling functions" in err and f"run {run_id} written to" in err  # the text too
    assert record["label_model_from"] is None and record["queue_limit"] is None
    # without --json the output is as it was: the tables on stdout, no JSON
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report")
    assert code == 0 and "Labeling functions" in out and '"run_id"' not in out + err


def test_a_reused_model_and_a_queue_limit_are_said_and_in_the_json(make_project, monkeypatch,
                                                                    capsys):
    """A run reusing a label model never said so on screen, nor did run --json."""
    root = make_project()
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report")
    assert code == 0, err
    (first,) = list_runs(root / "runs")
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json",
                          "--label-model-from", first, "--queue-limit", "2")
    assert code == 0, err
    record = json.loads(out)
    assert record["label_model_from"] == first and record["queue_limit"] == 2
    sha = hashlib.sha256((root / "runs" / first / "label_model.json").read_bytes()).hexdigest()
    assert f"label model: reused from run {first} (sha256 {sha[:12]}...), not fit" in err


def test_run_json_of_a_failed_run_and_of_an_error(make_project, monkeypatch, capsys):
    root = make_project(lfs={"tickets": BROKEN})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 1
    record = json.loads(out)
    assert record["status"] == "failed" and record["exit_code"] == 1
    assert record["failed_because"] == "lf_raised_on_every_item"
    assert record["latest"] is False and record["failures"]["broken"] > 0
    assert "error: 1 LF raised on every item" in err
    (root / "labelwright.toml").write_text("[project\n")
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--json")
    assert code == 1
    record = json.loads(out)
    assert record["status"] == "error" and "invalid TOML" in record["error"]
    assert record["exit_code"] == code
    assert err.startswith("error: ") and "invalid TOML" in err


def test_a_json_line_stays_one_line_for_any_line_splitter():
    from labelwright.json_lines import json_line

    record = {"error": "a\u2028b\u2029c\u0085d\ne", "path": Path("/x/é")}
    line = json_line(record)
    assert line.splitlines() == [line]
    assert json.loads(line) == {"error": "a\u2028b\u2029c\u0085d\ne", "path": "/x/é"}


def test_check_json_says_ok_or_the_problems(make_project, monkeypatch, capsys):
    root = make_project()
    code, out, err = run_cli(monkeypatch, capsys, "check", "-p", str(root), "--json")
    assert code == 0, err
    record = json.loads(out)
    assert record["command"] == "check" and record["ok"] is True and record["problems"] == []
    assert record["items"] > 0 and record["labeling_functions"] > 0
    assert err.count("warning:") == len(record["warnings"]) and "ok: " in err
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("[project]\n", "[project]\nbudgt = 1\n"))
    code, out, err = run_cli(monkeypatch, capsys, "check", "-p", str(root), "--json")
    assert code == 1
    record = json.loads(out)
    assert record["ok"] is False and record["exit_code"] == 1
    assert len(record["problems"]) == err.count("error:") >= 1
    assert "budgt" in record["problems"][0]


def test_runs_verify_json_is_a_line_per_run_and_an_error_object(make_project, monkeypatch,
                                                                 capsys):
    root = make_project()
    project = ["-p", str(root)]
    assert run_cli(monkeypatch, capsys, "run", *project, "--no-report")[0] == 0
    assert run_cli(monkeypatch, capsys, "run", *project, "--no-report")[0] == 0
    first, second = list_runs(root / "runs")
    (root / "runs" / first / "lf_summary.csv").write_text("edited\n")
    code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "--all", *project, "--json")
    assert code == 1
    records = [json.loads(line) for line in out.splitlines()]
    assert [(r["run_id"], r["ok"]) for r in records] == [(first, False), (second, True)]
    assert [(r["outcome"], r["not_recomputed"]) for r in records] == [("differs", None),
                                                                       ("ok", None)]
    assert records[0]["failures"] and records[0]["problems"][0]["file"] == "lf_summary.csv"
    assert f"{first}: 1 problem(s)" in err
    code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "20000101", *project, "--json")
    assert code == 2
    record = json.loads(out)
    assert record["status"] == "error" and "no run matching '20000101'" in record["error"]
    assert record["exit_code"] == code  # the record says the code the command gives


def test_latest_not_written_is_an_error_line_and_a_json_error(make_project, monkeypatch,
                                                               capsys):
    """A run whose folder was published but whose runs/LATEST could not be written gave a
    raw traceback and no JSON line."""
    from labelwright.runs import run_writer

    root = make_project()
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report")
    assert code == 0, err
    (first,) = list_runs(root / "runs")

    def denied(runs_dir, project=None):
        raise PermissionError(13, "Permission denied", str(runs_dir / "LATEST"))

    monkeypatch.setattr(run_writer, "write_latest", denied)
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 1 and "Traceback" not in err
    record = json.loads(out)
    assert record["status"] == "error" and record["exit_code"] == 1
    second = next(run for run in list_runs(root / "runs") if run != first)
    assert f"run {second} was written" in record["error"]
    assert f"runs/LATEST still names run {first}" in record["error"]
    assert err.startswith("error: ") and "Permission denied" in err
    assert (root / "runs" / "LATEST").read_text().strip() == first


def test_the_readme_example_line_has_the_fields_run_json_prints(make_project, monkeypatch,
                                                                capsys):
    """The README's `run --json` line is what a script author copies field names from:
    each field added since (warning_messages, items_erased, show_fields_renamed) must be
    in it, in the order printed."""
    import re

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"^\$ labelwright run --no-report --json 2> run\.log\n(\{.*\})$",
                         readme, flags=re.MULTILINE)
    example = json.loads(line.replace(", ...}", "}"))
    root = make_project()
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 0, err
    assert list(example) == list(json.loads(out))


def test_run_json_gives_the_lf_table_and_majority_vote_beside_the_label_model(
        make_project, monkeypatch, capsys):
    """A script comparing runs (or a Snorkel notebook's LFAnalysis) had to read
    lf_summary.csv from the run folder, and the majority-vote row of the gold table was in
    no output but the printed one."""
    import pandas as pd

    root = make_project(model="dawid_skene")
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 0, err
    record = json.loads(out, parse_constant=lambda name: f"not JSON: {name}")
    table = pd.read_csv(Path(record["run_dir"]) / "lf_summary.csv")
    assert [row["lf"] for row in record["lfs"]] == table["lf"].tolist()
    assert set(record["lfs"][0]) == set(table.columns)
    assert record["lfs"][0]["correct"] == int(table["correct"][0])
    assert "not JSON" not in out  # emp_accuracy without gold votes is null, not NaN
    manifest = read_manifest(Path(record["run_dir"]))["evaluation"]
    assert record["label_model"] == "dawid_skene"
    assert record["accuracy_where_labeled"] == manifest["label_model"]["covered_accuracy"]
    assert record["majority_vote"]["accuracy"] == manifest["majority_vote"]["accuracy"]
