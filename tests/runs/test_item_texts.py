"""Each item's text hash: which items' text changed between two runs (``runs diff``), why
each label flipped, and which items' text changed since a run (``runs verify --inputs``)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.runs.item_texts import TEXT_HASH, text_hashes
from labelwright.runs.store import LABELS_FILE, file_sha256, read_manifest
from labelwright.runs.verify import verify_runs
from ticket_data import TICKETS


def _write_rows(root, rows) -> None:
    pd.DataFrame(rows).to_csv(root / "data" / "items.csv", index=False)


def _with_text(rows, item, text):
    return [{**row, "text": text} if row["id"] == item else row for row in rows]


def _recipe(text: str) -> int:
    """README "Hash recipes": the first 8 bytes of the text's SHA-256, big-endian."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _without_text_hashes(run_dir) -> None:
    """``run_dir`` as a run made before runs recorded text hashes: no such column, and
    its manifest's hash of labels.parquet the file's."""
    path = run_dir / LABELS_FILE
    pd.read_parquet(path).drop(columns=[TEXT_HASH]).to_parquet(path, index=False)
    manifest = read_manifest(run_dir)
    manifest["outputs"][LABELS_FILE] = file_sha256(path)
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_run_records_each_items_text_hash_by_the_readme_recipe(make_project):
    root = make_project()
    labels = pd.read_parquet(run_project(root, report=False).run_dir / LABELS_FILE)
    assert labels[TEXT_HASH].tolist() == [_recipe(row["text"]) for row in TICKETS]
    assert labels.columns[-1] == TEXT_HASH  # added after the columns scripts read
    assert text_hashes(["é\ud800"]).tolist() == [int.from_bytes(hashlib.sha256(
        "é\ud800".encode("utf-8", "surrogatepass")).digest()[:8], "big")]


def test_a_run_on_a_dataframe_records_the_same_hashes(make_project):
    root = make_project()
    frame = pd.DataFrame(TICKETS)
    labels = run_project(root, data=frame, report=False).labels
    assert labels[TEXT_HASH].tolist() == [_recipe(t) for t in frame["text"]]


def test_verify_inputs_names_the_item_whose_text_changed(make_project, cli):
    root = make_project()
    run = run_project(root, report=False)
    _write_rows(root, _with_text(TICKETS, "t4", "Error 502 on the login page"))
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1 and "items whose text changed since the run: 1 (t4)" in out, out
    (change,) = [c for c in verify_runs(root, inputs=True)[0].inputs.changes
                 if c.what == "data file"]
    assert change.items == ("items whose text changed since the run: 1 (t4)",)
    _write_rows(root, [*reversed(TICKETS[1:]), {**TICKETS[0], "id": "t9"}])
    (change,) = [c for c in verify_runs(root, inputs=True)[0].inputs.changes
                 if c.what == "data file"]
    assert change.items == ("items added since the run: 1 (t9)",
                            "items gone since the run: 1 (t1)")
    _write_rows(root, list(reversed(TICKETS)))  # the order alone
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1 and "item texts: every item the run labeled has its text" in out, out
    _without_text_hashes(run.run_dir)
    code, out = cli("runs", "verify", "--inputs", "-p", str(root))
    assert code == 1 and out.count(f"item texts: not compared (run {run.run_id} recorded no "
                                   "per-item text hash") == 1, out


def test_verify_names_the_edited_item_of_a_dataframe_given_again(make_project):
    root = make_project()
    frame = pd.DataFrame(TICKETS)
    run_project(root, data=frame, report=False)
    edited = pd.DataFrame(_with_text(TICKETS, "t3", "Refunded yet? I still see two charges"))
    (check,) = verify_runs(root, inputs=True, data=edited)
    (change,) = check.inputs.changes
    assert change.what == "DataFrame"
    assert change.items == ("items whose text changed since the run: 1 (t3)",)


@pytest.mark.parametrize("texts", [[], ["a"], ["a", "b", ""]])
def test_text_hashes_are_one_per_text(texts):
    assert text_hashes(texts).tolist() == [_recipe(t) for t in texts]
