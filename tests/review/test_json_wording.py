"""What the review import says of a JSON file's missing or null values: JSON's words (a
null, no key) and the line, not a CSV's empty cell nor Python's ``None``."""

from __future__ import annotations

import json

import pytest

from labelwright.review.imports.file import ReviewError, import_file
from labelwright.review.queue.export import export_run, read_review


def _write(path, rows):
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def test_a_null_and_a_missing_review_label_are_said_as_json_has_them(reviewed_project, tmp_path):
    first, second = read_review(reviewed_project.run_dir)[:2]
    path = _write(tmp_path / "queue.jsonl", [{**first, "review_label": "billing"},
                                             {**second, "review_label": None}])
    report = import_file(reviewed_project.root, path, reviewer="dana")
    assert report.added == 1 and report.skipped == {"review_label null (not reviewed)": 1}
    path = _write(tmp_path / "none.jsonl", [second])  # no review_label key
    with pytest.raises(ReviewError, match=r"no decision in its 1 row\(s\) read as jsonl \(1 no "
                                          r"review_label \(not reviewed\)\)"):
        import_file(reviewed_project.root, path, reviewer="dana")


@pytest.mark.parametrize(("fmt", "key"), [
    ("jsonl", "blind"), ("prodigy", "lw_blind"), ("doccano", "lw_blind"),
    ("label-studio", "lw_blind")])
def test_a_bad_blind_mark_in_json_names_null_or_no_key(reviewed_project, tmp_path, fmt, key):
    run = reviewed_project.run_id
    record = {"id": "t1", "run_id": run, "review_label": "billing", key: "maybe"}
    if fmt == "prodigy":
        record = {"text": "x", "lw_id": "t1", "lw_run_id": run, "answer": "accept",
                  "accept": ["billing"], key: "maybe"}
    elif fmt == "doccano":
        record = {"text": "x", "lw_id": "t1", "lw_run_id": run, "label": ["billing"],
                  key: "maybe"}
    elif fmt == "label-studio":
        record = {"id": 1, "data": {"text": "x", "lw_id": "t1", "lw_run_id": run, key: "maybe"},
                  "annotations": [{"id": 9, "completed_by": 2, "result": [
                      {"from_name": "label", "to_name": "text", "type": "choices",
                       "value": {"choices": ["billing"]}}]}]}
    path = tmp_path / ("tasks.json" if fmt == "label-studio" else f"{fmt}.jsonl")
    if fmt == "label-studio":
        path.write_text(json.dumps([record]), encoding="utf-8")
    else:
        _write(path, [record])
    with pytest.raises(ReviewError) as raised:
        import_file(reviewed_project.root, path, reviewer="alice", fmt=fmt)
    said = str(raised.value)
    assert f"blind mark 'maybe'; expected true (a blind export's), false, or none (null, or " \
           f"no {key!r} key: not known)" in said, said
    assert "empty cell" not in said and ("line 1" in said or "task 1" in said), said


def test_the_csv_keeps_its_empty_cell(reviewed_project, tmp_path):
    path = tmp_path / "marked.csv"
    path.write_text(f"id,run_id,review_label,blind\nt1,{reviewed_project.run_id},billing,maybe\n",
                    encoding="utf-8")
    with pytest.raises(ReviewError, match=r"line 2: blind mark 'maybe'; .*\(an empty cell: "):
        import_file(reviewed_project.root, path, reviewer="alice")


def test_a_prodigy_task_without_an_answer_says_so_in_json(reviewed_project, tmp_path):
    # "answer None" named Python's value: the file has no key, or a null
    exported = [json.loads(line) for line in export_run(
        reviewed_project.run_dir, "prodigy", tmp_path / "p.jsonl")[0].read_text(
            encoding="utf-8").splitlines()][:2]
    exported[1]["answer"] = None
    path = _write(tmp_path / "answers.jsonl", exported)
    with pytest.raises(ReviewError) as raised:
        import_file(reviewed_project.root, path, reviewer="alice", fmt="prodigy")
    said = str(raised.value)
    assert "line 1: no 'answer' key; expected accept, reject or ignore" in said, said
    assert "line 2: answer null; expected accept, reject or ignore" in said, said
    assert "None" not in said, said
