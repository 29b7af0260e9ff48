"""``runs verify --all`` and a run gone by hand that only the records of rewritten files
still name: two runs in a row deleted show in the chain as one (the manifest naming the
older went with the newer's folder), so the older's lines in ``runs/REPORTS.jsonl`` and
``runs/ERASURES.jsonl`` named a run that was neither there nor pruned, and nothing said so."""

from __future__ import annotations

import shutil

import labelwright
from labelwright.project import run_project
from labelwright.runs.erase.records import ErasedFile, Erasure, record_erasure
from labelwright.runs.report_record import record_rebuilt_report


def test_a_run_only_the_records_name_is_missing(make_project, cli, tmp_path):
    root = make_project()
    runs = [run_project(root, report=False) for _ in range(3)]
    first, second = runs[0].run_dir, runs[1].run_dir
    record_rebuilt_report(first, "<p>the page built again</p>")
    record_rebuilt_report(first, "<p>and again</p>")
    record_erasure(root / "runs", Erasure(
        "2026-12-07T10:00:00+00:00", "lead", "request 1", "labelwright erase", ("t1",),
        (ErasedFile(str(first / "reviews.json"), 1, "0" * 64, "1" * 64,
                    run_id=first.name, name="reviews.json"),)))
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out  # all there: the records name runs that are
    kept = tmp_path / "kept"
    kept.mkdir()
    for run_dir in (first, second):
        shutil.move(run_dir, kept / run_dir.name)
    checks = labelwright.verify_runs(root, every=True)
    gone = [c for c in checks if c.run_dir.name == first.name]
    assert len(gone) == 1 and not gone[0].readable and not gone[0].ok
    (finding,) = gone[0].problems
    assert finding.file == "runs/REPORTS.jsonl" and finding.run_id == first.name
    assert finding.message.startswith(
        f"run {first.name} is missing: runs/REPORTS.jsonl (lines 1, 2) and "
        "runs/ERASURES.jsonl (line 1) name it as the run of files rewritten there, but its "
        "folder is gone from the runs folder and runs/PRUNED.jsonl does not record it as "
        "pruned"), finding.message
    # the newer run gone is named once, by the manifest that names it, not again
    named = [f for c in checks for f in c.problems if f.run_id == second.name]
    assert len(named) == 1 and named[0].file == "manifest.json"
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 1 and f"run {first.name} is missing: runs/REPORTS.jsonl" in out, out
    code, out = cli("runs", "verify", "-p", str(root))  # one run: the latest's checks
    assert f"run {first.name} is missing" not in out, out
    shutil.move(kept / first.name, first)  # put back: its records are the run's again
    assert not [c for c in labelwright.verify_runs(root, every=True)
                if c.run_dir.name == first.name and not c.readable]
