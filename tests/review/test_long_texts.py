"""Long texts (contracts of a million characters) in the review exports and their import:
each glossary match shown once with its count, cells past what an Excel cell holds warned
of, and a decision made on a text Excel cut recorded as made on a cut text."""

from __future__ import annotations

import csv
import hashlib
import json

import numpy as np
import pytest

from labelwright.lfs.item import GlossaryMatch
from labelwright.review.cell_limit import EXCEL_CELL_CHARS, excel_length, long_cells
from labelwright.review.export import EXPORT_FORMATS, review_records, write_review

LABELS = ["billing", "technical"]


def _repeating_record() -> dict:
    """One queue record whose text matched the term "refund" 300 times and "charge" once."""
    refund = [GlossaryMatch("money", "billing", "refund", "refund", k, k + 6,
                            note="Money given back") for k in range(300)]
    charge = GlossaryMatch("money", "billing", "charge", "charged", 0, 7)
    (record,) = review_records(
        run_id="r1", order=np.array([0]), ids=["c1"], texts=["refund " * 300],
        labels=LABELS, predicted=np.array([0]), probs=np.array([[0.9, 0.1]]),
        confidence=np.array([0.9]), reasons=[("audit",)],
        votes=np.array([[0]], dtype=np.int8), lf_names=["glossary:money"],
        matches=[[refund[0], charge, *refund[1:]]])
    return record


def _shown_terms(path, fmt) -> str:
    """The glossary terms the export at ``path`` shows for its one record."""
    if fmt == "csv":
        with open(path, encoding="utf-8", newline="") as handle:
            return next(csv.DictReader(handle))["glossary_terms"]
    if fmt == "label-studio":
        return json.loads(path.read_text(encoding="utf-8"))[0]["data"]["glossary_terms"]
    (record,) = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    if fmt == "jsonl":
        return json.dumps(record["glossary_matches"])
    return record["meta"]["glossary_terms"] if fmt == "prodigy" else record["glossary_terms"]


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_export_shows_each_glossary_match_once_with_its_count(fmt, tmp_path):
    """A 1.2-million-character appendix listed every hit: Prodigy's glossary_terms was
    219,479 characters, one term and its note repeated hundreds of times."""
    path = tmp_path / f"queue-{fmt}"
    write_review([_repeating_record()], path, fmt, labels=LABELS, lf_names=["glossary:money"])
    shown = _shown_terms(path, fmt)
    if fmt == "jsonl":
        assert json.loads(shown) == [
            {"glossary": "money", "label": "billing", "term": "refund", "text": "refund",
             "note": "Money given back", "excluded_by": None, "count": 300},
            {"glossary": "money", "label": "billing", "term": "charge", "text": "charged",
             "note": None, "excluded_by": None, "count": 1}]
    else:
        assert shown == ("refund [money → billing] x300: Money given back | "
                         "charged [money → billing]")


def test_an_old_runs_queue_listing_every_hit_is_exported_grouped(reviewed_project, tmp_path):
    """A run from before the grouping wrote each hit into review.jsonl: exported now, each
    match is shown once, with its count."""
    from labelwright.review.export import export_run

    queue = reviewed_project.run_dir / "review.jsonl"
    records = [json.loads(line) for line in queue.read_text(encoding="utf-8").splitlines()]
    hit = {"glossary": "g", "label": "billing", "term": "fee", "text": "fee", "note": "n",
           "excluded_by": None}
    records[0]["glossary_matches"] = [hit] * 4
    queue.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                     encoding="utf-8")
    # as the old run wrote it: its manifest holds the queue's sha256
    manifest_path = reviewed_project.run_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["outputs"]["review.jsonl"] = hashlib.sha256(queue.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    (path,) = export_run(reviewed_project.run_dir, "prodigy", tmp_path / "p.jsonl")
    task = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert task["meta"]["glossary_terms"] == "fee [g → billing] x4: n"


def test_excel_counts_a_character_past_u_ffff_twice():
    assert excel_length("abc") == 3
    assert excel_length("é" * 4) == 4
    assert excel_length("\U0001f600" * 3) == 6
    over = "\U0001f600" * (EXCEL_CELL_CHARS // 2 + 1)  # fewer code points than the limit
    assert [c.chars for c in long_cells([("i1", [("text", over)])])] == [EXCEL_CELL_CHARS + 1]
    assert long_cells([("i1", [("text", "a" * EXCEL_CELL_CHARS), ("n", 10**6)])]) == []
