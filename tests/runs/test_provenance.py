"""Provenance: git state, dataset schema and fingerprint, review-ledger state."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from labelwright.config import DataConfig
from labelwright.data.dataset import dataset_from_frame
from labelwright.runs import provenance
from labelwright.runs.provenance import data_fingerprint, data_schema, git_state


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com",
         "-c", "commit.gpgsign=false", *args],
        check=True, capture_output=True, text=True,
    ).stdout.strip()


needs_git = pytest.mark.skipif(provenance.shutil.which("git") is None, reason="git not installed")


def test_git_state_outside_a_repository_is_none(tmp_path):
    assert git_state(tmp_path) is None


def test_git_state_of_a_missing_folder_is_none(tmp_path):
    assert git_state(tmp_path / "nope") is None


def test_git_state_without_git_installed_is_none(tmp_path, monkeypatch):
    monkeypatch.setattr(provenance.shutil, "which", lambda name: None)
    assert git_state(tmp_path) is None


@needs_git
def test_git_state_of_a_repository_without_commits_is_none(tmp_path):
    _git(tmp_path, "init", "-q")
    assert git_state(tmp_path) is None


@needs_git
def test_git_state_commit_and_dirty_flag(tmp_path):
    _git(tmp_path, "init", "-q")
    (tmp_path / "labelwright.toml").write_text("x = 1\n")
    _git(tmp_path, "add", "labelwright.toml")
    _git(tmp_path, "commit", "-q", "-m", "first")
    head = _git(tmp_path, "rev-parse", "HEAD")
    assert git_state(tmp_path) == {"commit": head, "dirty": False, "changed": 0,
                                     "changed_files": []}
    (tmp_path / "labelwright.toml").write_text("x = 2\n")
    (tmp_path / "new.py").write_text("")
    # the files are named, so a dirty run says what with (git's status letters)
    assert git_state(tmp_path) == {"commit": head, "dirty": True, "changed": 2,
                                   "changed_files": ["M labelwright.toml", "?? new.py"]}
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "second")
    head = _git(tmp_path, "rev-parse", "HEAD")
    (tmp_path / "runs" / "20261128-000000-000000").mkdir(parents=True)
    (tmp_path / "runs" / "LATEST").write_text("20261128-000000-000000\n")
    assert git_state(tmp_path) == {"commit": head, "dirty": False, "changed": 0,
                                     "changed_files": []}  # runs/ ignored
    # nor does labelwright's cache, which the first run makes (no .gitignore names it here)
    (tmp_path / ".labelwright" / "cache" / "votes").mkdir(parents=True)
    (tmp_path / ".labelwright" / "cache" / "votes" / "k.npz").write_bytes(b"x")
    assert git_state(tmp_path) == {"commit": head, "dirty": False, "changed": 0,
                                     "changed_files": []}
    sub = tmp_path / "sub"
    sub.mkdir()
    assert git_state(sub)["commit"] == head  # a project inside a repository


@needs_git
def test_git_state_with_the_runs_folder_outside_the_project(tmp_path):
    """A runs folder outside the project (``runs = "../runs"`` or an absolute path) went
    into git's pathspec as an exclusion git refuses, so every run recorded dirty: None."""
    root = tmp_path / "proj"
    root.mkdir()
    _git(root, "init", "-q")
    (root / "labelwright.toml").write_text("x = 1\n")
    _git(root, "add", "labelwright.toml")
    _git(root, "commit", "-q", "-m", "first")
    head = _git(root, "rev-parse", "HEAD")
    (root / "labelwright.toml").write_text("x = 2\n")
    edited = {"commit": head, "dirty": True, "changed": 1,
              "changed_files": ["M labelwright.toml"]}
    assert git_state(root, ignore=("../elsewhere",)) == edited
    assert git_state(root, ignore=(str(tmp_path / "elsewhere"),)) == edited
    # a folder inside the project is still left out, however it is named
    (root / "out" / "20261128-000000-000000").mkdir(parents=True)
    (root / "out" / "LATEST").write_text("20261128-000000-000000\n")
    assert git_state(root, ignore=(str(root / "out"),)) == edited
    assert git_state(root, ignore=("./out",)) == edited


@needs_git
def test_git_state_leaves_out_the_ledgers_side_files(tmp_path):
    """SQLite keeps reviews.sqlite-wal and -shm beside the ledger while it is open: a clean
    project recorded every run as dirty while they were there. The ledger itself counts."""
    _git(tmp_path, "init", "-q")
    (tmp_path / "reviews.sqlite").write_bytes(b"ledger")
    _git(tmp_path, "add", "reviews.sqlite")
    _git(tmp_path, "commit", "-q", "-m", "first")
    head = _git(tmp_path, "rev-parse", "HEAD")
    (tmp_path / "reviews.sqlite-wal").write_bytes(b"log")
    (tmp_path / "reviews.sqlite-shm").write_bytes(b"index")
    assert git_state(tmp_path) == {"commit": head, "dirty": False, "changed": 0,
                                     "changed_files": []}
    (tmp_path / "reviews.sqlite").write_bytes(b"ledger, one decision more")
    (tmp_path / "notes-wal").write_bytes(b"")  # only the ledger's are left out
    assert git_state(tmp_path) == {"commit": head, "dirty": True, "changed": 2,
                                   "changed_files": ["M reviews.sqlite", "?? notes-wal"]}


def _dataset():
    frame = pd.DataFrame({"id": ["a", "b"], "text": ["x", ""], "plan": ["pro", "free"],
                          "score": [1.5, 2.0], "gold": ["pos", None]})
    return dataset_from_frame(frame, id_column="id", text_column="text", gold_column="gold",
                              labels=("neg", "pos"), source="d.csv")


def test_data_schema_lists_every_column_with_its_dtype():
    config = DataConfig(path=Path("d.csv"), gold_column="gold")
    assert data_schema(_dataset(), config) == [
        {"name": "id", "dtype": "string"}, {"name": "text", "dtype": "string"},
        {"name": "gold", "dtype": "string"}, {"name": "plan", "dtype": "string"},
        {"name": "score", "dtype": "float64"},
    ]


def test_data_fingerprint_has_hash_rows_and_schema():
    dataset = _dataset()
    fingerprint = data_fingerprint(dataset)
    assert fingerprint["sha256"] == dataset.sha256 and len(fingerprint["sha256"]) == 64
    assert fingerprint["rows"] == 2 and fingerprint["gold_rows"] == 1
    assert [c["name"] for c in fingerprint["schema"]] == ["id", "text", "plan", "score"]
    assert fingerprint["warnings"] == dataset.warnings and fingerprint["warnings"]


def test_data_fingerprint_records_quoting_and_columns_when_set():
    dataset = _dataset()
    path = Path("SMSSpamCollection")
    assert "quoting" not in data_fingerprint(dataset, DataConfig(path=path))
    assert "columns" not in data_fingerprint(dataset, DataConfig(path=path, quoting="auto"))
    fingerprint = data_fingerprint(dataset, DataConfig(path=path, format="tsv",
                                                       quoting="none",
                                                       columns=("id", "text", "plan")))
    assert (fingerprint["quoting"], fingerprint["columns"]) == ("none", ["id", "text", "plan"])
    assert data_fingerprint(dataset, DataConfig(path=path, quoting="csv"))["columns"] is None


def test_jsonl_fields_are_named_by_the_values_they_hold(tmp_path):
    """JSONL fields are kept as the JSON gave them (object columns); the schema had named
    them all "object"."""
    from labelwright.data.dataset import read_dataset

    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "x", "n": 3, "ok": true, "r": 1.5, "m": 1}\n'
                    '{"id": "b", "text": "y", "n": 4, "ok": false, "r": 2, "m": "one"}\n'
                    '{"id": "c", "text": "z", "ok": null}\n')
    config = DataConfig(path=path)
    dtypes = {c["name"]: c["dtype"] for c in data_schema(read_dataset(config, ("a", "b")), config)}
    assert dtypes == {"id": "string", "text": "string", "n": "int64", "ok": "bool",
                      "r": "float64", "m": "object"}
    # every value counts, not the first thousand
    path.write_text("".join(json.dumps({"id": str(i), "text": "x", "n": i}) + "\n"
                            for i in range(1000)) + '{"id": "z", "text": "x", "n": "lots"}\n')
    dtypes = {c["name"]: c["dtype"] for c in data_schema(read_dataset(config, ("a", "b")), config)}
    assert dtypes["n"] == "object"
