"""The report's summary: how the LFs were applied, and auto's reason, for new and old runs."""

from __future__ import annotations

import json

from report_runs import make_run

from labelwright.project import run_project
from labelwright.report import render_report


def _summary(run_dir) -> str:
    return render_report(run_dir).split('<section id="summary">')[1].split("</section>")[0]


def _row(summary: str, name: str) -> str:
    return summary.split(f"<dt>{name}</dt><dd>")[1].split("</dd>")[0]


def _edit_manifest(run_dir, **changes) -> None:
    path = run_dir / "manifest.json"
    manifest = json.loads(path.read_text())
    for key, value in changes.items():
        manifest["label_model" if key == "chosen" else key] = (
            {**manifest["label_model"], "chosen": value} if key == "chosen" else value)
    path.write_text(json.dumps(manifest))


def test_the_summary_says_how_the_lfs_were_applied(make_project):
    root = make_project()
    first = run_project(root, engine="local", report=False)
    assert _row(_summary(first.run_dir), "LFs applied with") == (
        "local, 1 worker, chunks of 10,000 items; vote cache: 0 items read, 6 computed; "
        "Doc cache off")
    again = run_project(root, report=False)  # no engine named; every vote in the cache
    assert _row(_summary(again.run_dir), "LFs applied with").startswith(
        "local (chosen by auto), no engine started (every vote from the vote cache), chunks "
        "of 10,000 items; vote cache: 6 items read, 0 computed")


def test_a_cluster_is_named_by_its_recorded_address(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_manifest(run_dir, apply={
        "engine": "dask", "seconds": 1.0, "rows_computed": {"lf_0": 300},
        "engine_requested": "dask", "cluster": "scheduler", "scheduler": "tcp://10.0.0.5:8786",
        "workers": None, "chunk_size": 2000,
        "vote_cache": {"used": False, "hits": None, "misses": None},
        "doc_cache": {"used": False, "hits": None}})
    assert _row(_summary(run_dir), "LFs applied with") == (
        "dask on the cluster at tcp://10.0.0.5:8786, the cluster&#x27;s workers, chunks of 2,000 "
        "items; vote cache off; Doc cache off")


def test_a_run_from_before_the_record_shows_what_it_has(tmp_path):
    """Runs recorded only the engine; their reports are rebuilt with `labelwright report`."""
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_manifest(run_dir, apply={"engine": "processes", "seconds": 1.0,
                                   "rows_computed": {"lf_0": 300}})
    assert _row(_summary(run_dir), "LFs applied with") == "processes"


def test_an_older_reason_that_says_gold_rows_is_explained(tmp_path):
    run_dir = make_run(tmp_path / "runs", "20261128-030000-000000")
    _edit_manifest(run_dir, chosen={
        "model": "dawid_skene", "params": {},
        "reason": "0 gold rows (need >= 20 and >= 5 per class): using the default model"})
    assert "<dt>why (its gold rows are reviewed labels)</dt><dd>0 gold rows" in \
        _summary(run_dir)
