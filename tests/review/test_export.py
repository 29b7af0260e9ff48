import csv
import json

import numpy as np
import pandas as pd
import pytest

from labelwright.lfs.item import GlossaryMatch
from labelwright.review.export import review_records, write_csv, write_jsonl, write_review

LABELS = ("billing", "technical")
LF_NAMES = ["refund", "crash", "glossary:money"]


def records():
    match = GlossaryMatch("money", "billing", "charge", "charged", 1, 2, note="Money taken")
    cancelled = GlossaryMatch("money", "billing", "refund", "refund", 3, 4, excluded_by="no")
    return review_records(
        run_id="20260101-000000-000001",
        order=np.array([2, 0]),
        ids=["a", "b", "c"],
        texts=["refund, crash", "fine", "I charged, no refund"],
        labels=LABELS,
        predicted=np.array([0, 1, -1]),
        probs=np.array([[0.55, 0.45], [0.1, 0.9], [0.5, 0.5]]),
        confidence=np.array([0.55, 0.9, 0.0]),
        reasons=[("conflict",), (), ("uncovered",)],
        votes=np.array([[0, 1, -1], [-1, -1, -1], [-1, -1, 0]], dtype=np.int8),
        lf_names=LF_NAMES,
        matches=[[], [], [match, cancelled]],
        fields=pd.DataFrame({"plan": ["pro", "free", "pro"]}),
    )


def test_records():
    first, second = records()
    assert (first["id"], first["rank"], second["id"], second["rank"]) == ("c", 1, "a", 2)
    assert first["run_id"] == second["run_id"] == "20260101-000000-000001"
    assert first["suggested_label"] is None and second["suggested_label"] == "billing"
    assert second["votes"] == {"refund": "billing", "crash": "technical"}
    assert first["votes"] == {"glossary:money": "billing"}
    assert second["probabilities"] == {"billing": 0.55, "technical": 0.45}
    assert second["reasons"] == ["conflict"]
    assert first["fields"] == {"plan": "pro"}
    assert [m["term"] for m in first["glossary_matches"]] == ["charge", "refund"]


def test_csv(tmp_path):
    path = tmp_path / "review.csv"
    write_csv(records(), path, labels=LABELS, lf_names=LF_NAMES)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 2
    assert list(rows[0]) == ["id", "run_id", "project", "rank", "text", "suggested_label",
                             "review_label",
                             "confidence", "reasons", "signals", "prob_billing", "prob_technical",
                             "glossary_terms", "vote_refund", "vote_crash",
                             "vote_glossary:money", "export"]
    assert [r["export"] for r in rows] == ["queue", "queue"]
    assert [r["review_label"] for r in rows] == ["", ""]
    c, a = rows
    assert (c["id"], a["id"]) == ("c", "a")
    assert c["suggested_label"] == "" and a["suggested_label"] == "billing"
    assert a["vote_refund"] == "billing" and a["vote_crash"] == "technical"
    assert a["vote_glossary:money"] == "" and c["vote_glossary:money"] == "billing"
    assert a["reasons"] == "conflict" and a["prob_billing"] == "0.55"
    assert "charged [money → billing]: Money taken" in c["glossary_terms"]
    assert "refund [money → billing] (cancelled by 'no')" in c["glossary_terms"]
    assert c["text"] == "I charged, no refund"


def test_jsonl(tmp_path):
    path = tmp_path / "review.jsonl"
    write_jsonl(records(), path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["id"], r["run_id"]) for r in lines] == [("c", "20260101-000000-000001"),
                                                       ("a", "20260101-000000-000001")]
    assert lines[0]["glossary_matches"][0]["note"] == "Money taken"
    assert lines[0]["glossary_matches"][1]["excluded_by"] == "no"


def test_numpy_fields_serialise(tmp_path):
    recs = records()
    recs[0]["fields"] = {"n": np.int64(3), "x": float("nan")}
    path = tmp_path / "r.jsonl"
    write_jsonl(recs, path)
    assert json.loads(path.read_text().splitlines()[0])["fields"]["n"] == 3


def test_write_review_formats(tmp_path):
    write_review(records(), tmp_path / "r.csv", "csv", labels=LABELS, lf_names=LF_NAMES)
    assert (tmp_path / "r.csv").exists()
    with pytest.raises(ValueError, match="unknown review format 'xlsx'; valid: csv, jsonl"):
        write_review(records(), tmp_path / "r.x", "xlsx", labels=LABELS, lf_names=LF_NAMES)


@pytest.mark.parametrize("fmt, name", [("jsonl", "q.csv"), ("csv", "q.jsonl"),
                                       ("label-studio", "q.jsonl"), ("prodigy", "q.json")])
def test_a_file_named_for_another_format_is_refused(reviewed_project, tmp_path, fmt, name):
    """review export --format jsonl --out q.csv wrote JSONL into q.csv (training-set
    export refused the same mismatch)."""
    from labelwright.review.export import export_run

    with pytest.raises(ValueError, match=rf"{name}: the suffix says {name.split('.')[1]}, the "
                                         rf"format is {fmt}"):
        export_run(reviewed_project.run_dir, fmt, tmp_path / name)
    assert not (tmp_path / name).exists()
    suffix = {"csv": ".csv", "label-studio": ".json"}.get(fmt, ".jsonl")
    written = export_run(reviewed_project.run_dir, fmt, tmp_path / f"ok{suffix}")
    assert written and written[0].exists()
