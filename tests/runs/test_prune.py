"""``runs prune``: old runs removed, the runs reviews are traced to kept, and a record left
so that ``runs verify``, ``explain`` and naming the run say it was pruned, where a folder
deleted by hand is still a problem."""

from __future__ import annotations

import json
import os
import shutil
import socket
from datetime import UTC, datetime

import pytest

import labelwright
from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run
from labelwright.runs.explain.item import explain_item
from labelwright.runs.exported import EXPORTED_FILE
from labelwright.runs.prune import plan_prune
from labelwright.runs.pruned import PRUNED_FILE, read_pruned
from labelwright.runs.store import file_sha256, list_runs
from labelwright.scaffold import init_project
from ledger_rows import decide as _decide
from review_csv import fill_review_csv


@pytest.fixture
def runs(tmp_path):
    """Four runs; the decisions the last one read were exported from the first and the
    third."""
    root = tmp_path / "proj"
    init_project(root)
    first = run_project(root, report=False)
    _decide(root, "r02", "positive", "ana", first.run_id)
    second = run_project(root, report=False)
    third = run_project(root, report=False)
    _decide(root, "r03", "negative", "ana", third.run_id)
    fourth = run_project(root, report=False)
    return root, first, second, third, fourth


def test_prune_keeps_the_newest_and_the_run_reviews_came_from_and_verify_passes(runs, cli):
    """Deleting an old run folder by hand made `runs verify` fail for every later run."""
    root, first, second, third, fourth = runs
    manifest_sha = file_sha256(second.run_dir / "manifest.json")
    code, out = cli("runs", "prune", "--keep", "1", "-p", str(root))
    assert code == 0, out
    assert list_runs(root / "runs") == [first.run_id, third.run_id, fourth.run_id]
    assert "removed 1 run (" in out and second.run_id in out
    assert f"{first.run_id}: review decisions were exported from it" in out
    assert f"{third.run_id}: review decisions were exported from it" in out
    assert f"{fourth.run_id}: one of the newest 1" in out
    (record,) = [json.loads(line) for line in (root / "runs" / PRUNED_FILE).read_text()
                 .splitlines()]
    assert record["run_id"] == second.run_id and record["manifest_sha256"] == manifest_sha
    assert record["command"] == "labelwright runs prune --keep 1" and record["bytes"] > 0
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and "(1 run pruned by `runs prune`, the last on " in out


def test_verify_and_explain_say_a_run_was_pruned_and_do_not_fail_on_it(runs, cli):
    root, first, _, third, fourth = runs
    code, out = cli("runs", "prune", "--keep", "1", "--no-keep-review-sources", "-p",
                    str(root))
    assert code == 0, out
    assert list_runs(root / "runs") == [fourth.run_id]
    today = datetime.now(UTC).date().isoformat()
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 0, out
    assert (f"1 decision of the 2 the run used was exported from run {first.run_id}, which "
            f"was pruned on {today} by `labelwright runs prune --keep 1 "
            "--no-keep-review-sources`") in out
    (check,) = labelwright.verify_runs(root)
    assert check.ok and not check.problems and len(check.notes) == 3
    assert f"exported from run {third.run_id}, which was pruned" in out
    # the run before it, pruned: said, with its manifest's sha256 the record keeps
    assert (f"manifest.json: previous_run names run {third.run_id}, pruned on {today} by "
            "`labelwright runs prune --keep 1 --no-keep-review-sources` (PRUNED.jsonl records "
            "the manifest's sha256 this one recorded)") in " ".join(out.split())
    (decision,) = explain_item(root, "r02").decisions
    assert decision["run_pruned"] == (f"pruned on {today} by `labelwright runs prune --keep 1 "
                                      "--no-keep-review-sources`")
    assert decision["source"].endswith(f"(that run was {decision['run_pruned']})")


def test_a_folder_deleted_by_hand_is_still_a_problem_after_a_prune(runs, cli):
    root, first, second, third, fourth = runs
    labelwright.prune_runs(root, 3, keep_review_sources=False, caches=False)
    assert list_runs(root / "runs") == [second.run_id, third.run_id, fourth.run_id]
    shutil.rmtree(third.run_dir)  # by hand: no record
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1, out
    assert (f"exported from run {third.run_id}, whose folder {root / 'runs' / third.run_id} "
            "is gone") in out
    assert f"exported from run {first.run_id}, which was pruned on" in out  # a note
    (check,) = labelwright.verify_runs(root)
    # the ledger's decisions, and the chain: fourth's previous_run names it
    assert [f.run_id for f in check.problems] == [third.run_id] * 2
    assert [note.split(", which was")[0][-22:] for note in check.notes] == [first.run_id]


def test_a_pruned_run_named_says_it_was_pruned(runs, cli):
    root, _, second, *_ = runs
    labelwright.prune_runs(root, 1, caches=False)
    code, out = cli("runs", "diff", second.run_id, "-p", str(root))
    assert code == 1
    assert (f"no run matching '{second.run_id}' in {root / 'runs'}: run {second.run_id} "
            f"was pruned on {datetime.now(UTC).date().isoformat()} by `prune_runs(keep=1)`"
            in out)


def test_dry_run_lists_what_would_go_with_sizes_and_removes_nothing(runs, cli):
    root, first, second, third, fourth = runs
    code, out = cli("runs", "prune", "--keep", "1", "--dry-run", "-p", str(root))
    assert code == 0, out
    assert "would remove 1 run (" in out and f"{second.run_id} " in out and " kB" in out
    assert list_runs(root / "runs") == [r.run_id for r in (first, second, third, fourth)]
    assert not (root / "runs" / PRUNED_FILE).exists()


def test_the_run_latest_names_is_never_pruned(runs):
    root, first, second, third, fourth = runs
    (root / "runs" / "LATEST").write_text(second.run_id + "\n")  # as a script may leave it
    result = labelwright.prune_runs(root, 1, keep_review_sources=False, caches=False)
    assert result.kept == {second.run_id: "runs/LATEST names it",
                           fourth.run_id: "one of the newest 1"}
    assert [f.run_id for f in result.removed] == [first.run_id, third.run_id]


def test_prune_refuses_while_a_run_is_being_written(runs):
    root, *_ = runs
    staging = root / "runs" / ".20991231-000000-000000.partial"
    staging.mkdir()
    (staging / ".owner").write_text(f"{socket.gethostname()}\n{os.getpid()}\n")
    with pytest.raises(RunError, match=r"a run is being written now "
                                       r"\(\.20991231-000000-000000\.partial \(process \d+ on "
                                       r"this machine, running"):
        labelwright.prune_runs(root, 1)
    assert len(list_runs(root / "runs")) == 4
    assert labelwright.prune_runs(root, 1, dry_run=True).removed  # a dry run still says


def test_keep_must_be_one_or_more(runs, cli):
    root, *_ = runs
    with pytest.raises(ValueError, match="1 or more"):
        labelwright.prune_runs(root, 0)
    code, _ = cli("runs", "prune", "--keep", "0", "-p", str(root))
    assert code == 2


def test_a_bad_line_in_the_record_is_an_error_naming_it(tmp_path):
    (tmp_path / PRUNED_FILE).write_text('{"run_id": "x"}\n')
    with pytest.raises(RunError, match=rf"{PRUNED_FILE}:1: not a record of a pruned run"):
        read_pruned(tmp_path)


def test_a_run_a_training_set_in_use_was_exported_from_is_kept(runs, cli):
    """A training set's provenance names its run: pruning that run broke the trace from a
    model trained on the file to the run's inputs."""
    root, first, second, third, fourth = runs
    out = root / "exports" / "train.csv"
    labelwright.export_training_set(root, out, run=second.run_id)
    code, text = cli("runs", "prune", "--keep", "1", "--dry-run", "-p", str(root))
    assert code == 0, text
    assert f"{second.run_id}: training set {out.resolve()} was exported from it" in text
    assert "would remove 0 runs" in text
    # exported again from the newest run to the same path: the older run is free to go
    labelwright.export_training_set(root, out, run=fourth.run_id)
    result = labelwright.prune_runs(root, 1, caches=False)
    assert [f.run_id for f in result.removed] == [second.run_id]
    assert result.kept[fourth.run_id] == "one of the newest 1"


def test_a_run_a_wrench_folder_in_place_was_exported_from_is_kept(runs, cli):
    """export --format wrench added no line to runs/EXPORTED.jsonl: prune removed the run
    a WRENCH folder's votes came from while the folder was still in use."""
    from labelwright.review.wrench_export import export_wrench

    root, first, second, third, fourth = runs
    folder = root / "w"
    written = export_wrench(root, folder, run=second.run_id).splits
    splits = [folder / f"{name}.json" for name in ("train", "valid", "test") if written[name]]
    records = [json.loads(line) for line in
               (root / "runs" / EXPORTED_FILE).read_text(encoding="utf-8").splitlines()]
    assert [(r["run_id"], r["file"], r["format"]) for r in records] == [
        (second.run_id, f"w/{path.name}", "wrench") for path in splits]  # no label.json
    assert [r["sha256"] for r in records] == [file_sha256(path) for path in splits]
    code, text = cli("runs", "prune", "--keep", "1", "--dry-run", "-p", str(root))
    assert code == 0, text
    assert (f"{second.run_id}: WRENCH file {splits[-1].resolve()} was exported from it "
            f"(and {len(splits) - 1} more)") in text, text
    for path in splits[1:]:  # one split still as written keeps the run
        path.unlink()
    assert "was exported from it" in plan_prune(root, 1).kept[second.run_id]
    splits[0].write_text(splits[0].read_text(encoding="utf-8") + " ", encoding="utf-8")
    assert second.run_id not in plan_prune(root, 1, keep_review_sources=False).kept
    # exported again from the newest run into the folder: label.json has the same bytes,
    # and keeps nothing of the older run
    export_wrench(root, folder, run=second.run_id, force=True)
    export_wrench(root, folder, run=fourth.run_id, force=True)
    assert (folder / "label.json").is_file()
    result = labelwright.prune_runs(root, 1, keep_review_sources=False, caches=False)
    assert [f.run_id for f in result.removed] == [first.run_id, second.run_id, third.run_id]


def test_an_older_export_in_the_project_folder_keeps_its_run_by_its_provenance(runs, cli):
    """An older labelwright wrote no runs/EXPORTED.jsonl: the run a training set in the
    project folder was exported from was pruned, though the provenance file beside it
    names the run."""
    root, first, second, third, fourth = runs
    out = root / "training.parquet"
    labelwright.export_training_set(root, out, run=second.run_id)
    (root / "runs" / EXPORTED_FILE).unlink()  # as the older labelwright left it
    code, text = cli("runs", "prune", "--keep", "1", "--dry-run", "-p", str(root))
    assert code == 0, text
    assert (f"{second.run_id}: training set {out.resolve()} was exported from it (its "
            "provenance file says so)") in text
    out.write_bytes(out.read_bytes() + b"x")  # edited since: it keeps no run
    assert second.run_id not in plan_prune(root, 1, keep_review_sources=False).kept
    (root / "odd.provenance.json").write_text("[1]")
    code, text = cli("runs", "prune", "--keep", "1", "-p", str(root))
    assert code == 1 and "odd.provenance.json: not the provenance of a training set" in text
    assert len(list_runs(root / "runs")) == 4


def test_an_edited_or_removed_training_set_keeps_no_run(runs):
    root, first, second, third, fourth = runs
    edited, removed = root / "a.csv", root / "b.parquet"
    labelwright.export_training_set(root, edited, run=second.run_id)
    labelwright.export_training_set(root, removed, run=third.run_id)
    assert set(plan_prune(root, 1).kept) >= {second.run_id, third.run_id}
    edited.write_text(edited.read_text() + "x,y,z,1.0,model\n")
    removed.unlink()
    result = labelwright.prune_runs(root, 1, keep_review_sources=False, caches=False)
    assert [f.run_id for f in result.removed] == [first.run_id, second.run_id, third.run_id]
    kept = labelwright.prune_runs(root, 1, keep_export_sources=False, dry_run=True)
    assert list(kept.kept) == [fourth.run_id]


def test_no_keep_export_sources_and_a_bad_record_line(runs, cli):
    root, first, second, third, fourth = runs
    labelwright.export_training_set(root, root / "t.csv", run=second.run_id)
    result = labelwright.prune_runs(root, 1, keep_review_sources=False,
                                    keep_export_sources=False, dry_run=True, caches=False)
    assert second.run_id in [f.run_id for f in result.removed]
    with open(root / "runs" / EXPORTED_FILE, "a") as handle:
        handle.write('{"run_id": "x"}\n')
    code, text = cli("runs", "prune", "--keep", "1", "-p", str(root))
    assert code == 1 and f"{EXPORTED_FILE}:2: not a record of an exported training set" in text
    assert len(list_runs(root / "runs")) == 4


def test_a_run_a_review_file_awaiting_import_was_exported_from_is_kept(runs, cli):
    """A review file exported, then the run pruned before the file came back: its import
    found no run of the project and blamed the file for being another project's."""
    root, first, second, third, fourth = runs
    sheet = root / "erin.csv"
    code, text = cli("review", "export", second.run_id, "--budget", "2", "--out", str(sheet),
                     "-p", str(root))
    assert code == 0, text
    code, text = cli("runs", "prune", "--keep", "1", "--dry-run", "-p", str(root))
    assert code == 0, text
    assert f"{second.run_id}: review file {sheet.resolve()} exported from it awaits import" \
        in text
    dropped = labelwright.prune_runs(root, 1, keep_review_exports=False, dry_run=True)
    assert second.run_id in [f.run_id for f in dropped.removed]
    # once a decision of it is in the ledger, the ledger keeps the run, not the file
    filled = root / "erin_done.csv"
    fill_review_csv(sheet, filled, [0], "positive")
    import_file(root, filled, reviewer="erin")
    kept = plan_prune(root, 1).kept
    assert kept[second.run_id] == "review decisions were exported from it"
    assert second.run_id not in plan_prune(root, 1, keep_review_sources=False).kept


def test_a_review_file_removed_or_exported_over_keeps_no_run(runs):
    root, first, second, third, fourth = runs
    removed, over = root / "a.csv", root / "b.csv"
    export_run(second.run_dir, "csv", removed, budget=2)
    export_run(third.run_dir, "csv", over, budget=2)
    assert set(plan_prune(root, 1).kept) >= {second.run_id, third.run_id}
    removed.unlink()
    export_run(fourth.run_dir, "csv", over, budget=2)  # the same path, from a later run
    result = labelwright.prune_runs(root, 1, keep_review_sources=False, caches=False)
    assert [f.run_id for f in result.removed] == [first.run_id, second.run_id, third.run_id]
    assert result.kept[fourth.run_id] == "one of the newest 1"


def test_a_retired_decision_keeps_its_run_only_while_a_kept_run_used_it(runs, cli):
    """A retired decision is withdrawn: the run it was exported from was kept for good,
    though no run kept reads it. A run made before the retirement used it (and runs
    verify traces that run's reviews to it), so while that run is kept, so is its source."""
    from labelwright.review import retire_decisions

    root, first, second, third, fourth = runs
    retire_decisions(root, items=["r03"], reviewer="lead", reason="rows deleted on request")
    fifth = run_project(root, report=False)
    plan = plan_prune(root, 2)  # fourth, made before the retirement, used r03's decision
    assert plan.kept[third.run_id] == (f"review decisions run {fourth.run_id} used were "
                                       "exported from it (retired since)")
    assert plan.kept[first.run_id] == "review decisions were exported from it"
    assert [f.run_id for f in plan.removed] == [second.run_id]

    code, out = cli("runs", "prune", "--keep", "1", "-p", str(root))
    assert code == 0, out
    assert list_runs(root / "runs") == [first.run_id, fifth.run_id]
    assert third.run_id in out and f"{third.run_id}: review" not in out
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    # fifth did not use the retired one: no decision of it is traced to a pruned run (the
    # run before fifth, pruned, is a note of its own)
    assert code == 0 and "which was pruned" not in out, out
    (decision,) = explain_item(root, "r03").decisions  # still shown, marked
    assert decision["retired"].startswith("retired ") and decision["run_pruned"]


def test_a_dry_run_counts_the_decisions_that_lose_their_text_check(runs, cli):
    """Decisions imported before the ledger recorded text_hash are checked against the run
    they were exported from; `runs prune --dry-run` said nothing of losing that check when
    such a run goes."""
    from labelwright.review.decisions import ledger

    root, first, _, third, _ = runs  # one decision from each, without text_hash
    now = datetime.now(UTC).isoformat()
    ledger.append(ledger.ledger_path(root), [ledger.Decision(  # one with: it keeps its check
        "r04", "positive", "bo", "", now, now, "g.csv", "g", "line 2", first.run_id, "csv",
        "queue", text_hash="00000000000000ab")],
        sha256="g", reviewer="bo", source_file="g.csv", fmt="csv", imported_at=now)
    assert plan_prune(root, 1).unchecked == {}  # their runs are kept by default
    plan = plan_prune(root, 1, keep_review_sources=False)
    assert plan.unchecked == {first.run_id: 1, third.run_id: 1}
    code, out = cli("runs", "prune", "--keep", "1", "--no-keep-review-sources", "--dry-run",
                    "-p", str(root))
    assert code == 0 and (f"2 review decisions would lose their text check: exported from "
                          f"{first.run_id} (1), {third.run_id} (1) and imported before the "
                          "ledger recorded the text decided on (text_hash)") in out, out
    assert list_runs(root / "runs")[0] == first.run_id  # a dry run removes nothing
    # a decision on r03 from the third run with the hash: ana's there is checked by it
    # (one run exported one text), as runs check it, and keeps its check too
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        "r03", "negative", "bo", "", now, now, "h.csv", "h", "line 2", third.run_id, "csv",
        "queue", text_hash="00000000000000cd")],
        sha256="h", reviewer="bo", source_file="h.csv", fmt="csv", imported_at=now)
    assert plan_prune(root, 1, keep_review_sources=False).unchecked == {first.run_id: 1}


def test_keep_manifests_keeps_a_pruned_run_a_checked_link_of_the_chain(runs, cli):
    """A pruned run could not be verified or its code read: --keep-manifests keeps its
    manifest and sources in runs/pruned/<id>/, and runs verify checks them."""
    root, first, second, third, fourth = runs
    code, out = cli("runs", "prune", "--keep", "1", "--no-keep-review-sources",
                    "--keep-manifests", "--no-caches", "-p", str(root))
    assert code == 0, out
    archive = root / "runs" / "pruned" / second.run_id
    assert sorted(p.name for p in archive.iterdir()) == ["manifest.json", "sources"]
    assert not second.run_dir.exists()
    record = read_pruned(root / "runs")[second.run_id]
    assert record.archive == f"pruned/{second.run_id}"
    assert record.manifest_sha256 == file_sha256(archive / "manifest.json")
    assert "--keep-manifests" in record.command
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out
    assert (f"{second.run_id}: ok (pruned; its archive runs/pruned/{second.run_id}: its "
            f"manifest's sha256 is the one runs/PRUNED.jsonl recorded and run "
            f"{third.run_id} recorded; its") in out, out
    assert out.index(first.run_id + ": ok") < out.index(fourth.run_id + ": ok")
    path = archive / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["seed"] = 7
    path.write_text(json.dumps(manifest), encoding="utf-8")
    code, out = cli("runs", "verify", second.run_id, "-p", str(root))
    assert code == 1, out
    assert "not the" in out and "runs/PRUNED.jsonl recorded when the run was pruned" in out
    code, out = cli("explain", "r02", "--run", second.run_id, "-p", str(root))
    assert code == 0, out
    assert (f"item r02 in run {second.run_id}, pruned on") in out, out
    assert (f"its archive runs/pruned/{second.run_id} keeps manifest.json and sources/ only; "
            "the item's text, votes, glossary matches, probabilities and label went with its "
            "folder") in out, out
    assert f"at runs/pruned/{second.run_id}/sources/labeling_functions/" in out, out
    # second read the decision on r02 exported from the first run
    assert "Reviews the run read on it (1 of the ledger's first 1): positive by ana" in out, out
    assert "manifest.json: not the one pruned" in out, out  # the edit above
    code, out = cli("runs", "diff", second.run_id, "-p", str(root))
    assert code == 0 and "was pruned on" in out and f"from its archive {archive}" in out, out


def test_without_keep_manifests_nothing_is_archived(runs):
    root, *_ = runs
    labelwright.prune_runs(root, 1, keep_review_sources=False, caches=False)
    assert not (root / "runs" / "pruned").exists()
    assert all(not r.archive for r in read_pruned(root / "runs").values())


def test_a_pruned_runs_record_edited_is_named_by_the_run_after_it(runs, cli):
    """The record of a pruned run keeps its manifest's sha256, which the run after it
    recorded too: an edit of the record passed every check, the chain running through it."""
    root, _, second, third, _ = runs
    labelwright.prune_runs(root, 1, keep_review_sources=True, caches=False)
    path = root / "runs" / PRUNED_FILE
    (record,) = [json.loads(line) for line in path.read_text().splitlines()]
    assert record["run_id"] == second.run_id
    kept = record["manifest_sha256"]
    path.write_text(json.dumps({**record, "manifest_sha256": "0" * 64}) + "\n")
    code, out = cli("runs", "verify", third.run_id, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert (f"PRUNED.jsonl: the record of run {second.run_id} (pruned on ") in said, out
    assert (f"gives its manifest's sha256 as 000000000000, but this run's manifest recorded "
            f"{kept[:12]} of it (previous_run): the record was edited since") in said, out
