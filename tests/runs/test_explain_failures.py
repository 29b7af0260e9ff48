"""explain says exactly "failed" or "abstained" for an LF that raised on more items than
the manifest lists: the run keeps every item each LF raised on (``lf_failures.parquet``)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from labelwright.project import run_project
from labelwright.runs.explain.item import explain_item
from labelwright.runs.file_names import LF_FAILURES_FILE

#: 12 items; ``third_word`` raises on the 8 short ones (more than the 5 ids a manifest lists)
ROWS = [*({"id": f"s{k:02d}", "text": f"short {k}", "gold": ""} for k in range(8)),
        *({"id": f"l{k:02d}", "text": f"a long text {k} with an invoice", "gold": ""}
          for k in range(4))]
LFS = {"flaky": '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def third_word(item):
    return "billing" if item.text.split()[2] == "invoice" else ABSTAIN
'''}


def _vote(root, item_id, run=None):
    (vote,) = [v for v in explain_item(root, item_id, run).votes if v.lf == "third_word"]
    return vote


@pytest.fixture
def failing(make_project):
    root = make_project(rows=ROWS, lfs=LFS)
    return root, run_project(root, report=False)


def test_the_run_keeps_every_item_an_lf_raised_on(failing):
    _, run = failing
    manifest = json.loads((run.run_dir / "manifest.json").read_text())
    record = manifest["failures"]["third_word"]
    assert record["count"] == 8 and len(record["item_ids"]) == 5  # the manifest's first ids
    assert record["rows_in"] == LF_FAILURES_FILE
    assert LF_FAILURES_FILE in manifest["outputs"]  # hashed: runs verify checks it
    kept = pd.read_parquet(run.run_dir / LF_FAILURES_FILE)
    ids = pd.read_parquet(run.run_dir / "label_matrix.parquet", columns=["id"])["id"]
    assert sorted(ids.iloc[kept["row"]]) == [r["id"] for r in ROWS if len(r["text"].split()) < 3]
    assert set(kept["lf"].astype(str)) == {"third_word"}


def test_explain_says_failed_or_abstained_beyond_the_listed_ids(failing, cli):
    """'abstain, or failed: the LF raised on 3,494 items of the run, which lists only some
    of them' left the user unable to tell."""
    root, run = failing
    assert _vote(root, "s07").failed is True  # the 8th failure: not among the listed ids
    code, out = cli("explain", "s07", "-p", str(root))
    assert code == 0, out
    assert "failed (raised)" in out and "which lists only some" not in out
    # a long text whose third word is no invoice: the LF ran and abstained
    vote = _vote(root, "l00")
    assert vote.vote is None and vote.failed is False
    code, out = cli("explain", "l00", "-p", str(root))
    assert "Abstained: 1 LF (third_word)" in out


def test_a_second_run_from_the_vote_cache_keeps_them_too(failing):
    """Failures read back from the vote cache are every one of them, not the first."""
    root, first = failing
    second = run_project(root, report=False)
    assert second.run_id != first.run_id
    assert second.applied.computed.get("third_word") == 0  # from the cache
    kept = pd.read_parquet(second.run_dir / LF_FAILURES_FILE)
    assert len(kept) == 8
    assert _vote(root, "s07", second.run_id).failed is True


def test_an_older_run_or_a_broken_file_says_what_it_says_before(failing):
    root, run = failing
    path = run.run_dir / LF_FAILURES_FILE
    path.write_bytes(path.read_bytes() + b"x")  # edited since the run wrote it
    e = explain_item(root, "s07")
    (vote,) = [v for v in e.votes if v.lf == "third_word"]
    assert vote.failed is None and vote.failures == 8
    assert any(f"{LF_FAILURES_FILE}: changed since the run wrote it" in w for w in e.warnings)
    # a run from before the file: no rows_in, no file; no warning, the listed ids still count
    manifest_path = run.run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["failures"]["third_word"]["rows_in"]
    del manifest["outputs"][LF_FAILURES_FILE]
    manifest_path.write_text(json.dumps(manifest))
    path.unlink()
    e = explain_item(root, "s07")
    assert not any(LF_FAILURES_FILE in w for w in e.warnings)
    (vote,) = [v for v in e.votes if v.lf == "third_word"]
    assert vote.failed is None
    assert _vote(root, "s00").failed is True  # listed in the manifest
