"""The same inputs give byte-identical labels.parquet and label_matrix.parquet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from labelwright.project import run_project
from labelwright.scaffold import init_project

OUTPUTS = ("labels.parquet", "label_matrix.parquet", "lf_summary.csv", "glossary_hits.csv",
           "label_model.json")


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("repro")
    init_project(root)
    return root


def test_two_runs_write_identical_bytes(project):
    first, second = run_project(project), run_project(project)
    assert first.run_id != second.run_id
    for name in OUTPUTS:
        assert (first.run_dir / name).read_bytes() == (second.run_dir / name).read_bytes(), name
    hashes = [run.run_dir.joinpath("manifest.json").read_text() for run in (first, second)]
    assert hashes[0] != hashes[1]  # the manifests differ (run id, times) ...
    outputs = [json.loads(text)["outputs"] for text in hashes]
    for name in ("labels.parquet", "label_matrix.parquet"):
        assert outputs[0][name] == outputs[1][name]  # ... but record the same output hashes


@pytest.mark.slow
def test_a_run_in_another_process_writes_identical_bytes(project):
    """A fresh interpreter with another hash seed (set and dict order) changes nothing."""
    here = run_project(project)
    code = ("import sys; from labelwright.project import run_project; "
            "print(run_project(sys.argv[1]).run_dir)")
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True,
                          text=True, env=env, check=True, timeout=120)
    there = Path(done.stdout.strip().splitlines()[-1])
    assert there != here.run_dir
    for name in ("labels.parquet", "label_matrix.parquet"):
        assert (here.run_dir / name).read_bytes() == (there / name).read_bytes(), name


@pytest.mark.parametrize(("engine", "workers"), [("processes", 1), ("processes", 2)])
def test_engines_and_process_counts_write_identical_bytes(project, engine, workers):
    """In-process and pooled runs, with one or two workers, give the same outputs."""
    config = project / "labelwright.toml"
    original = config.read_text()
    local = run_project(project, engine="local", cache=False, report=False)
    try:
        config.write_text(original + f"\n[apply]\nworkers = {workers}\nchunk_size = 3\n")
        pooled = run_project(project, engine=engine, cache=False, report=False)
    finally:
        config.write_text(original)
    manifest = json.loads((pooled.run_dir / "manifest.json").read_text())
    assert manifest["apply"]["engine"] == engine
    for name in ("labels.parquet", "label_matrix.parquet"):
        assert (local.run_dir / name).read_bytes() == (pooled.run_dir / name).read_bytes(), name
