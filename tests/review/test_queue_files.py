"""The run's review and sample files written a block of items at a time
(:mod:`labelwright.review.queue.files`) are byte for byte those of the records made all at
once and written by the CSV and JSONL writers one after the other."""

from __future__ import annotations

import numpy as np
import pytest

import labelwright.review.queue.files as queue_files
import labelwright.runs.outputs as outputs
from labelwright.project import run_project
from labelwright.review.queue.export import write_review
from ticket_data import BILLING_GLOSSARY, TICKET_LFS

FILES = ("review.csv", "review.jsonl", "sample.csv", "sample.jsonl")


def _rows() -> list[dict[str, str]]:
    """Items with fields, glossary matches (some an exclusion cancelled), texts shared by
    several items, a text longer than an Excel cell, non-ASCII text and ids, and a text a
    spreadsheet would take for a formula."""
    rows = []
    for i in range(30):
        text = ["Please refund order %d", "The app crashes on invoice %d",
                "The invoice %d crashes, no charge", "Rechnung für café %d — 請求書",
                "=HYPERLINK(\"x\") crash, invoice %d", "hello %d"][i % 6] % i
        rows.append({"id": f"t{i}" if i % 5 else f"ü{i}", "text": text,
                     "plan": ["pro", "free", "Ünternehmen"][i % 3], "gold": ""})
    rows += [{"id": f"c{i}", "text": "The invoice crashes, again", "plan": "pro", "gold": ""}
             for i in range(4)]  # copies of one text
    rows.append({"id": "long", "text": "invoice overcharge crash " * 2000, "plan": "pro",
                 "gold": ""})
    return rows


def _whole_list(order, matches, make, *, size=None):
    """The records as a run made them before: every item's matches found in one batch,
    the records of the whole queue in one list."""
    if hasattr(matches, "prefetch"):
        matches.prefetch(np.asarray(order).tolist())
    yield make(order=np.asarray(order, dtype=np.int64), matches=matches, first_rank=1)


def _one_after_the_other(csv_path, jsonl_path, blocks, *, labels, lf_names, show=()):
    """The files as a run wrote them before: the whole list as CSV, then as JSONL."""
    records = [record for block in blocks for record in block]
    long: list = []
    write_review(records, csv_path, "csv", labels=labels, lf_names=lf_names, long=long,
                 show=show)
    write_review(records, jsonl_path, "jsonl", labels=labels, lf_names=lf_names)
    return long


def _files(root, monkeypatch, block: int | None) -> dict[str, bytes]:
    """The review and sample files of a run of the project at ``root``, written a block
    of ``block`` items at a time (None: all at once, as before), the run id taken out."""
    with monkeypatch.context() as patch:
        if block is None:
            patch.setattr(outputs, "record_blocks", _whole_list)
            patch.setattr(outputs, "write_review_files", _one_after_the_other)
        else:
            patch.setattr(queue_files, "BLOCK", block)
        result = run_project(root)
    return {name: (result.run_dir / name).read_bytes().replace(result.run_id.encode(), b"RUN")
            for name in FILES}


@pytest.fixture
def project(make_project):
    return make_project(rows=_rows(), lfs={"tickets": TICKET_LFS},
                        glossaries={"money": BILLING_GLOSSARY}, gold=None,
                        extra="random_sample = 8\n")


def test_blocks_write_the_files_the_whole_list_wrote(project, monkeypatch):
    # the first run matches the items (no match cache yet) and stores them block by block
    first = _files(project, monkeypatch, 3)
    before = _files(project, monkeypatch, None)  # read back from the match cache
    queue = before["review.jsonl"]  # what the files hold: all of it is in the queue
    assert "für".encode() in queue and b"'=HYPERLINK" in before["review.csv"]
    assert b'"copies": 3' in queue and b'"excluded_by": "no"' in queue
    assert b"invoice overcharge crash " * 1999 in before["review.csv"] and b"\"plan\"" in queue
    assert len(queue.splitlines()) > 20 and before["sample.csv"]
    assert first == before
    for block in (1, 3, 7, 10_000):
        assert _files(project, monkeypatch, block) == before, block


def test_blocks_of_a_list_of_matches():
    """Matches held as a list (every item's at hand): blocks read it as it is."""
    matches = [[f"m{i}"] for i in range(10)]
    seen = []

    def make(*, order, matches, first_rank):
        seen.append((order.tolist(), first_rank))
        return [{"rank": first_rank + k, "matches": matches[i]}
                for k, i in enumerate(order.tolist())]

    blocks = list(queue_files.record_blocks(np.array([9, 2, 5, 0, 7]), matches, make, size=2))
    assert seen == [([9, 2], 1), ([5, 0], 3), ([7], 5)]
    assert [r["matches"] for block in blocks for r in block] == [["m9"], ["m2"], ["m5"], ["m0"],
                                                                ["m7"]]
