"""Each run's manifest records the previous run's manifest sha256, and ``runs verify``
checks it: a manifest rewritten with its edited outputs' new hashes passed every check
that reads them, unless its sha256 had been kept elsewhere by hand."""

from __future__ import annotations

import json

import labelwright
from labelwright.project import run_project
from labelwright.runs.manifest_chain import later_link
from labelwright.runs.store import file_sha256, read_manifest


def test_a_run_records_the_previous_manifests_sha256(make_project):
    root = make_project()
    first = run_project(root, report=False)
    assert read_manifest(first.run_dir)["previous_run"] is None  # the project's first run
    second = run_project(root, report=False)
    assert read_manifest(second.run_dir)["previous_run"] == {
        "run_id": first.run_id, "manifest_sha256": file_sha256(first.run_dir / "manifest.json")}


def test_a_rewritten_manifest_is_told_by_the_run_after_it(make_project, cli):
    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    code, out = cli("runs", "verify", first.run_id, "-p", str(root))
    assert code == 0, out
    assert f"its manifest's sha256 is the one run {second.run_id} recorded" in out, out
    path = first.run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["seed"] = 7  # any edit: every hash the manifest holds still matches
    path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    code, out = cli("runs", "verify", first.run_id, "-p", str(root))
    assert code == 1, out
    assert (f"manifest.json: sha256 {file_sha256(path)}, not the "
            f"{read_manifest(second.run_dir)['previous_run']['manifest_sha256']} run "
            f"{second.run_id}, made after it, recorded of it: the manifest was edited or "
            "replaced since") in out, out
    (check,) = labelwright.verify_runs(root, second.run_id)
    assert check.ok, check.failures  # the later run's own files are as it wrote them


def test_a_run_without_a_link_after_it_is_not_checked(make_project):
    """The latest run, and a run followed only by runs of a labelwright that recorded no
    link: nothing vouches, and nothing is said to."""
    root = make_project()
    first = run_project(root, report=False)
    second = run_project(root, report=False)
    assert later_link(second.run_dir) is None
    path = second.run_dir / "manifest.json"
    manifest = read_manifest(second.run_dir)
    del manifest["previous_run"]
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert later_link(first.run_dir) is None


def test_an_exports_provenance_vouches_for_the_manifest_too(make_project, cli):
    """`export` records the run's manifest sha256 in the training set's provenance: the
    latest run, which no later run vouches for, is checked against it."""
    from labelwright.review.training_set import export_training_set

    root = make_project()
    run = run_project(root, report=False)
    export_training_set(root, root / "train.csv", fmt="csv")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 0, out
    assert ("its manifest's sha256 is the one the provenance of 1 exported training set "
            "recorded") in out, out
    path = run.run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["seed"] = 7
    path.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1, out
    assert (f"manifest.json: sha256 {file_sha256(path)}, not the ") in out, out
    assert (f"the provenance of a training set exported from the run "
            f"({root / 'train.csv.provenance.json'}) recorded of it") in out, out


def _three_runs(make_project):
    root = make_project()
    return root, [run_project(root, report=False) for _ in range(3)]


def test_a_middle_run_deleted_by_hand_is_named_by_verify_list_and_diff(make_project, cli):
    """Every run left passed its own checks and the runs around the hole read as
    neighbours: the manifest after it names it (previous_run), so it is told."""
    import shutil

    root, (first, middle, last) = _three_runs(make_project)
    shutil.rmtree(middle.run_dir)
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 1, out
    assert (f"{last.run_id}: 1 problem(s) manifest.json: previous_run names run "
            f"{middle.run_id}, the run before this one, but its folder is gone") in out, out
    assert "runs/PRUNED.jsonl does not record it as pruned" in out, out
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0, out
    assert (f"run {middle.run_id} is missing: run {last.run_id}'s manifest (previous_run) "
            "names it as the run before it") in out, out
    code, out = cli("runs", "diff", first.run_id, last.run_id, "-p", str(root))
    assert (f"{first.run_id} and {last.run_id} are not neighbours: run {middle.run_id} is "
            "missing") in out, out


def test_the_latest_run_deleted_by_hand_is_named_by_verify(make_project, cli):
    """runs/LATEST still names it; the newest folder left is no longer the latest run."""
    import shutil

    from labelwright.runs.manifest_chain import chain_gaps

    root, (_, middle, last) = _three_runs(make_project)
    shutil.rmtree(last.run_dir)
    code, out = cli("runs", "verify", "-p", str(root))
    assert code == 1, out
    assert f"{middle.run_id}: ok" in out, out
    assert (f"{last.run_id}: 1 problem(s) runs/LATEST: run {last.run_id} is missing: "
            "runs/LATEST names it as the latest run") in out, out
    assert [gap.run_id for gap in chain_gaps(root / "runs")] == [last.run_id]


def test_a_pruned_run_is_no_gap(make_project, cli):
    """`runs prune` records what it removes: the hole it leaves is accounted for."""
    from labelwright.runs.manifest_chain import chain_gaps
    from labelwright.runs.prune import prune_runs

    root, (first, _, last) = _three_runs(make_project)
    prune_runs(root, keep=1)
    assert chain_gaps(root / "runs") == []
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0, out
    assert "is missing" not in out, out
    assert not (first.run_dir).exists() and last.run_dir.exists()
