"""``runs list`` and ``runs verify --all`` read each run's files once: ``runs list`` read
every manifest twice (the chain's gaps, then the table), ``runs verify`` hashed each
kept source twice (its own check, then the manifest's hashes against the copies), and
``runs verify --all`` read three manifests a run."""

from __future__ import annotations

import builtins
import io
import json
from collections import Counter
from pathlib import Path

from labelwright.project import run_project
from labelwright.runs.store import read_manifest
from labelwright.runs.verify.runs import verify_runs


def test_runs_list_reads_each_manifest_once(make_project, cli, monkeypatch):
    root = make_project()
    runs = [run_project(root, report=False) for _ in range(3)]
    read = Counter()
    read_bytes = Path.read_bytes

    def counted(path, *args, **kwargs):
        if path.name == "manifest.json":
            read[path.parent.name] += 1
        return read_bytes(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", counted)  # (read_text reads no manifest)
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and all(run.run_id in out for run in runs), out
    assert read == {run.run_id: 1 for run in runs}


def test_verify_hashes_each_kept_source_once(make_project, cli, monkeypatch):
    import labelwright.file_hashes as file_hashes  # where the run store's file_sha256 is

    root = make_project()
    runs = [run_project(root, report=False) for _ in range(2)]
    hashed = Counter()

    def counted(file, mode="r", *args, **kwargs):
        if mode == "rb" and "sources" in Path(file).parts:
            hashed[str(Path(file).relative_to(root / "runs"))] += 1
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(file_hashes, "open", counted, raising=False)
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0 and "kept sources match" in out, out
    assert hashed and set(hashed.values()) == {1}, hashed
    assert {name.split("/")[0] for name in hashed} == {run.run_id for run in runs}


def test_verify_all_reads_each_manifest_once_and_still_checks_the_links(make_project,
                                                                       monkeypatch):
    """``runs verify --all`` read three manifests a run (its own, the next run's for the link
    and its own again for its sha256) and listed the runs folder once a run: each is read
    once now, and the link is checked against the bytes the run's check read."""
    root = make_project()
    runs = [run_project(root, report=False) for _ in range(3)]
    path = runs[1].run_dir / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**manifest, "seed": 7}, indent=2), encoding="utf-8")
    opened: list[str] = []
    real = io.open

    def counting(file, *args, **kwargs):
        if str(file).endswith("manifest.json"):
            opened.append(str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting)
    monkeypatch.setattr(builtins, "open", counting)
    checks = verify_runs(root, every=True)
    monkeypatch.undo()
    assert sorted(opened) == sorted(str(run.run_dir / "manifest.json") for run in runs)
    assert [check.ok for check in checks] == [True, False, True]
    recorded = read_manifest(runs[2].run_dir)["previous_run"]["manifest_sha256"]
    assert any(f"not the {recorded} run {runs[2].run_id}, made after it, recorded of it"
               in problem.message for problem in checks[1].problems), checks[1].problems
    assert checks[0].linked_by == runs[1].run_id  # its sha256 as run 2 recorded it


def test_verify_hashes_a_manifest_once_for_every_link_that_vouches_for_it(make_project,
                                                                          monkeypatch):
    """A run a later run and an exported training set both vouch for: its check read the
    manifest, hashed it again for the later run's link and once more for the export's, so
    three reads could see three files; now one read gives the manifest and its sha256."""
    from labelwright.review.training_set import export_training_set

    root = make_project()
    first = run_project(root, report=False)
    export_training_set(root, root / "train.csv", fmt="csv")
    run_project(root, report=False)
    opened: list[str] = []
    real = io.open

    def counting(file, *args, **kwargs):
        if Path(str(file)) == first.run_dir / "manifest.json":
            opened.append(str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting)
    monkeypatch.setattr(builtins, "open", counting)
    (check,) = verify_runs(root, first.run_id)
    monkeypatch.undo()
    assert check.ok and check.linked_by and check.linked_exports == 1
    assert len(opened) == 1, opened
