"""review.csv's rows are written from precomputed cells (labels, reasons and run ids
protected once each, vote cells filled from the LFs that voted): the bytes are those of
protecting every cell of every row, as the writer did before, whatever the values."""

from __future__ import annotations

import csv
from pathlib import Path

from labelwright.review.queue.csv_sheet import protect_cell
from labelwright.review.queue.export import write_csv, write_jsonl
from labelwright.review.queue.terms import terms_text

LABELS = ["=bad", "good", "-neutral"]
LF_NAMES = ["lf_a", "lf_b", "lf_c"]


def _records() -> list[dict]:
    match = {"glossary": "g", "label": "good", "term": "-refund", "text": "-refund",
             "note": None, "excluded_by": None}
    return [
        {"id": "=HYPERLINK(1)", "run_id": "r1", "project": "+p", "export": "queue", "rank": 1,
         "text": "@mention me", "suggested_label": "=bad", "confidence": 0.5,
         "reasons": ["low_confidence", "conflict"], "signals": [],
         "probabilities": {"=bad": 0.5, "good": 0.25, "-neutral": 0.25},
         "votes": {"lf_a": "=bad", "lf_c": "-neutral"}, "glossary_matches": [match],
         "fields": {}, "copies": 2, "why": "=end model says good", "end_model_label": "good",
         "vote_pattern": "-lf=bad"},
        {"id": "2", "run_id": "r1", "project": "+p", "export": "sample", "rank": 2,
         "text": "plain", "suggested_label": None, "confidence": 0.0, "reasons": [],
         "signals": ["-margin"], "probabilities": {"=bad": 0.0, "good": 1.0, "-neutral": 0.0},
         "votes": {"lf_gone": "good"}, "glossary_matches": [], "fields": {}},
        {"id": "'3", "run_id": "r1", "rank": 3, "text": "\tTabbed\r\nlines, \"quoted\"",
         "suggested_label": "good", "confidence": 1 / 3, "reasons": ["audit"],
         "probabilities": {"=bad": 1 / 3, "good": 1 / 3, "-neutral": 1 / 3},
         "votes": {"lf_b": "good"}, "glossary_matches": [match, match], "fields": {},
         "copies": 0},
    ]


def _every_cell_protected(records: list[dict], path: Path) -> None:
    """The writer as it was: the row built whole, then every cell protected."""
    header = ["id", "run_id", "project", "rank", "text", "suggested_label", "review_label",
              "note", "confidence", "reasons", "signals", "why", "end_model_label",
              *[f"prob_{label}" for label in LABELS], "glossary_terms",
              *[f"vote_{name}" for name in LF_NAMES], "pattern", "export", "copies"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for r in records:
            row = [r["id"], r["run_id"], r.get("project", ""), r["rank"], r["text"],
                   r["suggested_label"] or "", "", "", r["confidence"], ";".join(r["reasons"]),
                   ";".join(r.get("signals", [])), r.get("why", ""),
                   r.get("end_model_label") or "",
                   *[r["probabilities"][label] for label in LABELS],
                   terms_text(r["glossary_matches"]),
                   *[r["votes"].get(name, "") for name in LF_NAMES],
                   r.get("vote_pattern", ""), r.get("export", "queue"), r.get("copies", "")]
            writer.writerow([protect_cell(cell) for cell in row])


def test_review_csv_bytes_are_those_of_protecting_every_cell(tmp_path):
    records = _records()
    write_csv(records, tmp_path / "new.csv", labels=LABELS, lf_names=LF_NAMES)
    _every_cell_protected(records, tmp_path / "old.csv")
    written = (tmp_path / "new.csv").read_bytes()
    assert written == (tmp_path / "old.csv").read_bytes()
    assert b"'=HYPERLINK(1)" in written and b"'=bad" in written and b"'-refund" in written


def test_review_jsonl_is_one_json_document_a_line(tmp_path):
    import json

    records = _records()
    write_jsonl(records, tmp_path / "r.jsonl")
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines == [json.dumps(r, ensure_ascii=False) for r in records]


def test_record_votes_name_the_lfs_that_voted_in_lf_order():
    import numpy as np

    from labelwright.review.queue.export import review_records

    rng = np.random.default_rng(3)
    votes = rng.integers(-1, 3, size=(50, 3)).astype(np.int16)
    votes[7] = -1  # an item no LF voted on
    n = len(votes)
    for order in (np.array([7, 3, 3, 49, 0, 12]), np.arange(n)[::-1], np.array([], int)):
        records = review_records(
            run_id="r", order=order, ids=[str(i) for i in range(n)],
            texts=["t"] * n, labels=LABELS, predicted=np.zeros(n, int),
            probs=np.full((n, 3), 1 / 3), confidence=np.full(n, 1 / 3),
            reasons=[()] * n, votes=votes, lf_names=LF_NAMES, matches=[[]] * n)
        assert [r["votes"] for r in records] == [
            {name: LABELS[v] for name, v in zip(LF_NAMES, votes[i].tolist()) if v >= 0}
            for i in order.tolist()]
        assert [list(r["votes"]) for r in records] == [
            [name for name, v in zip(LF_NAMES, votes[i].tolist()) if v >= 0]
            for i in order.tolist()]


def test_an_lf_named_pattern_keeps_its_own_vote_column(tmp_path):
    """The vote pattern's column was ``vote_pattern``: an LF named ``pattern`` gave the
    header that name twice, and a reader kept one of the two columns."""
    records = _records()[:1]
    records[0]["votes"] = {"pattern": "good"}
    write_csv(records, tmp_path / "q.csv", labels=LABELS, lf_names=["pattern"])
    with open(tmp_path / "q.csv", encoding="utf-8", newline="") as handle:
        header, row = list(csv.reader(handle))
    assert len(header) == len(set(header))
    cells = dict(zip(header, row, strict=True))
    # the pattern cell is escaped, as a formula
    assert cells["vote_pattern"] == "good" and cells["pattern"] == "'-lf=bad"
