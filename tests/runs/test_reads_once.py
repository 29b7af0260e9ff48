"""``runs list`` and ``runs verify --all`` read each run's files once: ``runs list`` read
every manifest twice (the chain's gaps, then the table), and ``runs verify`` hashed each
kept source twice (its own check, then the manifest's hashes against the copies)."""

from __future__ import annotations

import builtins
from collections import Counter
from pathlib import Path

from labelwright.project import run_project


def test_runs_list_reads_each_manifest_once(make_project, cli, monkeypatch):
    root = make_project()
    runs = [run_project(root, report=False) for _ in range(3)]
    read = Counter()
    read_text = Path.read_text

    def counted(path, *args, **kwargs):
        if path.name == "manifest.json":
            read[path.parent.name] += 1
        return read_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counted)
    code, out = cli("runs", "list", "-p", str(root))
    assert code == 0 and all(run.run_id in out for run in runs), out
    assert read == {run.run_id: 1 for run in runs}


def test_verify_hashes_each_kept_source_once(make_project, cli, monkeypatch):
    import labelwright.runs.store as store

    root = make_project()
    runs = [run_project(root, report=False) for _ in range(2)]
    hashed = Counter()

    def counted(file, mode="r", *args, **kwargs):
        if mode == "rb" and "sources" in Path(file).parts:
            hashed[str(Path(file).relative_to(root / "runs"))] += 1
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(store, "open", counted, raising=False)
    code, out = cli("runs", "verify", "--all", "-p", str(root))
    assert code == 0 and "kept sources match" in out, out
    assert hashed and set(hashed.values()) == {1}, hashed
    assert {name.split("/")[0] for name in hashed} == {run.run_id for run in runs}
