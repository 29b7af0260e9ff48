"""Each item's text hash: which items' text changed between two runs (``runs diff``), why
each label flipped, and which items' text changed since a run (``runs verify --inputs``)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.runs.diff.compare import diff_runs
from labelwright.runs.diff.flip_causes import MODEL, TEXT, VOTES, VOTES_UNKNOWN_TEXT
from labelwright.runs.diff.lines import effect_lines, since_line
from labelwright.runs.file_names import LABELS_FILE
from labelwright.runs.item_texts import TEXT_HASH, text_hashes
from labelwright.runs.store import file_sha256, read_manifest
from labelwright.runs.verify.runs import verify_runs
from ticket_data import TICKET_LFS, TICKETS

#: t6 draws one vote each way: its label is the tie break's
TIED = [*TICKETS[:5], {"id": "t6", "text": "Refund the invoice, the app crashes",
                       "plan": "free", "gold": "billing"}]


def _write_rows(root, rows) -> None:
    pd.DataFrame(rows).to_csv(root / "data" / "items.csv", index=False)


def _with_text(rows, item, text):
    return [{**row, "text": text} if row["id"] == item else row for row in rows]


def _recipe(text: str) -> int:
    """README "Hash recipes": the first 8 bytes of the text's SHA-256, big-endian."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def _rewrite_labels(run_dir, edit) -> None:
    """The run's labels.parquet as ``edit`` returns it, its manifest's hash of the file
    the new file's (so the run still passes as unedited)."""
    path = run_dir / LABELS_FILE
    edit(pd.read_parquet(path)).to_parquet(path, index=False)
    manifest = read_manifest(run_dir)
    manifest["outputs"][LABELS_FILE] = file_sha256(path)
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _without_text_hashes(run_dir) -> None:
    """``run_dir`` as a run made before runs recorded text hashes."""
    _rewrite_labels(run_dir, lambda labels: labels.drop(columns=[TEXT_HASH]))


def test_a_run_records_each_items_text_hash_by_the_readme_recipe(make_project):
    root = make_project()
    labels = pd.read_parquet(run_project(root, report=False).run_dir / LABELS_FILE)
    assert labels[TEXT_HASH].tolist() == [_recipe(row["text"]) for row in TICKETS]
    # added after the columns scripts read (queue_rank, added later still, after it)
    assert list(labels.columns[-2:]) == [TEXT_HASH, "queue_rank"]
    assert text_hashes(["é\ud800"]).tolist() == [int.from_bytes(hashlib.sha256(
        "é\ud800".encode("utf-8", "surrogatepass")).digest()[:8], "big")]


def test_a_run_on_a_dataframe_records_the_same_hashes(make_project):
    root = make_project()
    frame = pd.DataFrame(TICKETS)
    labels = run_project(root, data=frame, report=False).labels
    assert labels[TEXT_HASH].tolist() == [_recipe(t) for t in frame["text"]]


def test_diff_names_the_edited_item_and_says_its_flip_followed_its_text(make_project):
    root = make_project()
    first = run_project(root, report=False)
    rows = _with_text(TICKETS, "t2", "Please refund me, the app crashes")  # tie: billing
    rows = _with_text(rows, "t5", "Thanks, all fine now")  # no LF votes either way
    _write_rows(root, rows)
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert (d.text_changed, d.ids_text_changed, d.no_text_hashes) == (2, ["t2", "t5"], [])
    assert d.flipped == 1 and d.flip_causes == {TEXT: 1}
    assert [(e["id"], e["cause"]) for e in d.examples] == [("t2", TEXT)]
    assert "items whose text changed: 2 (t2, t5)" in effect_lines(d)
    assert "; 2 item texts changed;" in since_line(d)
    # why the labels flipped, as runs diff counts it, in the run's line too
    assert "1 label flipped (technical -> billing 1); flipped because: text changed 1;" in \
        since_line(d), since_line(d)
    assert diff_runs(first.run_dir, second.run_dir, max_examples=1).ids_text_changed == ["t2"]


def test_added_removed_and_reordered_rows_are_no_text_change(make_project, cli):
    root = make_project()
    first = run_project(root, report=False)
    extra = {"id": "t7", "text": "Where is my invoice?", "plan": "pro", "gold": ""}
    _write_rows(root, [*reversed(TICKETS[1:]), extra])  # t1 gone, t7 new, the rest reversed
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.data is not None and (d.only_a, d.only_b) == (1, 1)
    assert "; items added 1, gone 1;" in since_line(d)
    assert (d.text_changed, d.ids_text_changed, d.flipped) == (0, [], 0)
    assert not any("text" in line for line in effect_lines(d))
    code, out = cli("runs", "diff", "-p", str(root))
    assert code == 0 and f"only in {first.run_id}: t1" in out and "text changed" not in out


def test_a_flip_with_the_same_text_is_the_votes_or_the_label_model(make_project, cli):
    root = make_project(rows=TIED)
    first = run_project(root, report=False)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('tie_break = "first"', 'tie_break = "abstain"'))
    second = run_project(root, report=False)  # t6's tie now leaves it without a label
    d = diff_runs(first.run_dir, second.run_dir)
    assert (d.text_changed, d.flip_causes) == (0, {MODEL: 1})
    edited = TICKET_LFS.replace('"crash" in item.text.lower() or ', "")
    (root / "labeling_functions" / "tickets.py").write_text(edited)
    third = run_project(root, report=False)  # no technical vote on t2 and t6 now
    d = diff_runs(second.run_dir, third.run_dir)
    assert {e["id"]: e["cause"] for e in d.examples} == {"t2": VOTES, "t6": VOTES}
    code, out = cli("runs", "diff", "-p", str(root))
    assert code == 0 and f"flipped because: {VOTES} 2" in out, out


def test_a_run_without_text_hashes_is_said_once_and_compared_as_before(make_project, cli):
    root = make_project(rows=TIED)
    first = run_project(root, report=False)
    _without_text_hashes(first.run_dir)
    same = run_project(root, report=False)
    d = diff_runs(first.run_dir, same.run_dir)  # the same data: the same texts
    assert (d.no_text_hashes, d.text_changed) == ([], 0)
    _write_rows(root, _with_text(TIED, "t1", "The app crashes, I was charged twice"))
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert (d.no_text_hashes, d.text_changed) == ([first.run_id], 0)
    assert d.flip_causes == {VOTES_UNKNOWN_TEXT: 1}  # t1: billing -> technical
    notes = [line for line in effect_lines(d) if "text" in line]
    assert notes == [f"item texts: not compared (run {first.run_id} recorded no per-item "
                     "text hash: it was made before runs recorded one)"]
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code == 0 and out.count("item texts: not compared") == 1, out


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


def test_verify_tells_hashes_apart_in_their_last_bit_with_rows_added(make_project):
    """Hashes compared as the uint64 they are: joined with rows added (missing values), a
    float64 column cannot tell two hashes apart that differ in the low bits."""
    root = make_project()
    run = run_project(root, report=False)
    def last_bit_flipped(labels):  # as if t1's text had hashed so
        labels.loc[labels["id"] == "t1", TEXT_HASH] ^= 1
        return labels
    _rewrite_labels(run.run_dir, last_bit_flipped)
    _write_rows(root, [*TICKETS, {**TICKETS[0], "id": "t9"}])
    (change,) = [c for c in verify_runs(root, inputs=True)[0].inputs.changes
                 if c.what == "data file"]
    assert change.items == ("items whose text changed since the run: 1 (t1)",
                            "items added since the run: 1 (t9)")
