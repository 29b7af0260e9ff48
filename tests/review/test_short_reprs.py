"""Results that hold a dataset's worth of ids, shown in a notebook cell: one line of counts
(``ShortRepr``), not every list they hold (``project_reviews``' repr ran to 230,000
characters on 20,000 items, an import's listed every early id, a check's the whole config)."""

from __future__ import annotations

import json

import labelwright
from labelwright.project import load_project, project_reviews
from labelwright.project.apply import project_dataset
from labelwright.review import import_file
from ticket_data import TICKETS

TEXT_OF = {row["id"]: row["text"] for row in TICKETS}


def _prodigy_answers(path, run_id, answers):
    with open(path, "w", encoding="utf-8") as handle:
        for item_id, label in answers.items():
            handle.write(json.dumps({"text": TEXT_OF.get(item_id, ""), "answer": "accept",
                                     "accept": [label], "lw_id": item_id,
                                     "lw_run_id": run_id}) + "\n")
    return path


def _short(shown: object, name: str) -> str:
    text = repr(shown)
    assert text.startswith(f"{name}(") and "\n" not in text and len(text) < 400, text
    assert f"<b>{name}</b>" in shown._repr_html_()  # type: ignore[attr-defined]
    return text


def test_an_import_report_is_one_line_of_counts(reviewed_project, tmp_path):
    answers = {"t1": "technical", "t6": "billing", "nope": "billing"}
    path = _prodigy_answers(tmp_path / "db.jsonl", reviewed_project.run_id, answers)
    report = import_file(reviewed_project.root, path, reviewer="ana", skip_bad_rows=True)
    shown = _short(report, "ImportReport")
    assert f"added={report.added}" in shown and "bad=1" in shown and "format='prodigy'" in shown
    assert report.problems and report.problems[0] not in shown


def test_reviewed_labels_are_one_line_of_counts(reviewed_project, tmp_path):
    path = _prodigy_answers(tmp_path / "db.jsonl", reviewed_project.run_id,
                            {"t1": "technical", "t6": "billing"})
    import_file(reviewed_project.root, path, reviewer="ana")
    project = load_project(reviewed_project.root)
    reviewed = project_reviews(project.config, project_dataset(project.config))
    shown = _short(reviewed, "ReviewedLabels")
    assert f"items={len(reviewed.gold)}" in shown and f"gold={reviewed.n_gold}" in shown
    assert reviewed.n_gold >= 2 and "array(" not in shown


def test_a_check_report_is_one_line_without_the_config(reviewed_project):
    report = labelwright.check_project(reviewed_project.root)
    shown = _short(report, "CheckReport")
    assert f"ok={report.ok}" in shown and f"lfs={report.n_lfs}" in shown
    assert "ProjectConfig" not in shown
