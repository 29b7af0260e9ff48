"""`labelwright run` and the ranking cache: a re-run of an unchanged project reads its
review ranking back, says so, and writes the queue a fresh ranking writes."""

from __future__ import annotations

import json

import pytest

import labelwright.end_model.out_of_fold as out_of_fold
from labelwright.caches import prune_caches
from labelwright.config import load_config
from labelwright.project import run_project
from labelwright.review.ranking.cache import code_sha256
from labelwright.runs.diff.compare import diff_runs
from ledger_rows import decide
from ticket_data import TICKETS

OUTPUTS = ("review.csv", "review.jsonl", "labels.parquet")


def no_fits(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the end model was fit again")

    monkeypatch.setattr(out_of_fold, "fit_logistic", refuse)


def ranking_record(run_dir) -> dict | None:
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    return manifest["triage"].get("ranking_cache")


def same_outputs(a, b) -> bool:
    return all((a.run_dir / name).read_bytes().replace(a.run_id.encode(), b"R")
               == (b.run_dir / name).read_bytes().replace(b.run_id.encode(), b"R")
               for name in OUTPUTS)


def test_a_re_run_reads_the_ranking_back_and_writes_the_queue_a_fresh_one_writes(
        make_project, monkeypatch):
    root = make_project()
    first = run_project(root, report=False)
    code = code_sha256()  # the ranking code in the key, for the run after an upgrade
    assert ranking_record(first.run_dir) == {"used": True, "reused": False,
                                             "refreshed": False, "code": code}
    with monkeypatch.context() as patch:
        no_fits(patch)
        again = run_project(root, report=False)
    assert ranking_record(again.run_dir) == {"used": True, "reused": True, "refreshed": False,
                                             "code": code}
    # read back or computed, the ranking is the same: no setting changed between the runs
    assert diff_runs(first.run_dir, again.run_dir).settings == {}
    fresh = run_project(root, report=False, cache=False)
    assert ranking_record(fresh.run_dir) == {"used": False, "reused": None, "refreshed": None,
                                             "code": None}
    assert same_outputs(again, fresh)
    sizes = prune_caches(load_config(root), dry_run=True).sizes
    assert sizes["ranking"] > 0  # `runs prune` reports it


def test_no_cache_ranks_again_and_a_project_without_a_cache_keeps_none(make_project,
                                                                      monkeypatch):
    root = make_project()
    run_project(root, report=False)
    folder = root / ".labelwright" / "cache" / "ranking"
    (entry,) = folder.glob("*.npz")
    fits: list[int] = []
    fit = out_of_fold.fit_logistic
    monkeypatch.setattr(out_of_fold, "fit_logistic",
                        lambda *a, **k: fits.append(1) or fit(*a, **k))
    refreshed = run_project(root, report=False, cache="refresh")
    assert fits and ranking_record(refreshed.run_dir)["refreshed"] is True
    assert [p.name for p in folder.glob("*.npz")] == [entry.name]

    off = make_project(root=root.parent / "off", extra="[apply]\ncache = false\n")
    no_fits(monkeypatch)
    with pytest.raises(AssertionError, match="fit again"):
        run_project(off, report=False)  # nothing read back
    assert not (off / ".labelwright" / "cache" / "ranking").exists()  # nothing written


def test_an_edited_review_ranks_again(make_project, monkeypatch):
    """A reviewed label changes what the end model learns from: the ranking is computed."""
    root = make_project()
    first = run_project(root, report=False)
    decide(root, "t5", "billing", "ana", first.run_id)
    ran = run_project(root, report=False)
    assert ranking_record(ran.run_dir)["reused"] is False
    with monkeypatch.context() as patch:
        no_fits(patch)
        again = run_project(root, report=False)
    assert ranking_record(again.run_dir)["reused"] is True


def test_run_says_whether_the_ranking_was_read_back(make_project, cli):
    root = make_project()
    code, first = cli("run", "-p", str(root), "--no-report")
    assert code == 0 and "review ranking: computed, kept in the ranking cache" in first
    code, again = cli("run", "-p", str(root), "--no-report")
    assert code == 0
    assert "review ranking: read back from the ranking cache (nothing it reads changed)" in again
    assert again.index("votes:") < again.index("review ranking:")


def test_runs_show_and_the_report_say_whether_the_ranking_was_read_back(make_project, cli):
    """run said it; runs show and the report's summary did not."""
    root = make_project()
    assert cli("run", "-p", str(root), "--no-report")[0] == 0
    code, _ = cli("run", "-p", str(root))
    assert code == 0
    code, shown = cli("runs", "show", "-p", str(root))
    assert code == 0
    assert "review ranking: read back from the ranking cache (nothing it reads changed)" in shown
    latest = (root / "runs" / "LATEST").read_text().strip()
    report = (root / "runs" / latest / "report.html").read_text(encoding="utf-8")
    assert "<dt>review ranking</dt><dd>read back from the ranking cache (nothing it reads " \
        "changed)</dd>" in report


def test_a_run_records_and_says_what_its_ranking_weights_learned_from(make_project, cli):
    # t7 goes to review for its LFs' conflict; t2 is the audit's; t5 no LF voted on
    root = make_project(gold=None, rows=[*TICKETS, {
        "id": "t7", "text": "Refund please, the app crashes", "plan": "pro", "gold": ""}])
    first = run_project(root, report=False)
    queued = [json.loads(line) for line in
              (first.run_dir / "review.jsonl").read_text(encoding="utf-8").splitlines()]
    shown = [r for r in queued if r["suggested_label"] is not None][:2]
    assert len(shown) == 2
    other = {"billing": "technical", "technical": "billing"}
    decide(root, shown[0]["id"], shown[0]["suggested_label"], "ana", first.run_id)
    decide(root, shown[1]["id"], other[shown[1]["suggested_label"]], "ana", first.run_id)
    gone = next(r["id"] for r in queued if r["id"] not in {s["id"] for s in shown})
    decide(root, gone, "billing", "ana", "a-run-since-deleted")
    again = run_project(root, report=False)
    manifest = json.loads((again.run_dir / "manifest.json").read_text(encoding="utf-8"))
    evidence = manifest["triage"]["ranking_weights_evidence"]
    # the item from a deleted run has no known label before review: not learned from
    assert evidence["reviewed_items"] == 3 and evidence["learned_from"] == 2
    assert evidence["wrong_before_review"] == 1
    assert evidence["reason"] == "too few" and evidence["source"] == "default"
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    assert "ranking weights: the defaults (2 reviewed items (1 with a wrong label before " \
           "review)" in " ".join(out.split())
