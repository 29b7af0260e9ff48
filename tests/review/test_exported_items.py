"""What an import says of a row whose item its run did not export: a decision on an item
the data has was filed as from the run's queue, which never held it, in silence; one on an
item the data lacks was said to be "deleted from the data since", as if the run had
exported it; and an Argilla record without ``lw_id`` metadata did not say its id was the
record's."""

from __future__ import annotations

import json

import pytest
from test_import import argilla_flat, decisions, filled_csv, prodigy_row, write_jsonl
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.review.imports.file import ReviewError, import_file


def queued_and_not(reviewed_project):
    """An item the run's queue holds and one in the data it neither queued nor sampled."""
    queued = {str(r["id"]) for r in reviewed_project.queue()}
    sample = reviewed_project.run_dir / "sample.jsonl"
    if sample.is_file():
        queued |= {str(json.loads(line)["id"]) for line in sample.read_text().splitlines()
                   if line.strip()}
    ids = [f"t{k}" for k in range(1, 30)]
    data = (reviewed_project.root / "data" / "items.csv").read_text(encoding="utf-8")
    held = [i for i in ids if i in queued]
    other = [i for i in ids if i not in queued and f"\n{i}," in data]
    return held[0], other[0]


def test_a_decision_on_an_item_the_run_did_not_export_is_said_and_filed_as_no_export(
        reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    held, other = queued_and_not(reviewed_project)
    rows = [{**prodigy_row(item, run, "accept", ["billing"]), "lw_export": "queue"}
            for item in (held, other)]
    path = write_jsonl(tmp_path / "db-out.jsonl", rows)
    result = CliRunner().invoke(review_app, ["import", str(path), "--reviewer", "alice",
                                             "--project", str(root)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert f"1 decision on an item run {run} did not export: {other} (neither its " in said
    exports = {d.item_id: d.export for d in decisions(root)}
    assert exports == {held: "queue", other: ""}


def test_an_unknown_id_the_run_exported_is_said_deleted_since(reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    held, _ = queued_and_not(reviewed_project)
    items = root / "data" / "items.csv"
    lines = items.read_text(encoding="utf-8").splitlines(keepends=True)
    items.write_text("".join(line for line in lines if not line.startswith(f"{held},")),
                     encoding="utf-8")  # deleted on request between export and import
    path = filled_csv(tmp_path / "review.csv", [(held, run, "billing")])
    with pytest.raises(ReviewError) as info:
        import_file(root, path, reviewer="dana")
    assert (f"unknown item id {held!r}: not in the project dataset (run {run} exported it: "
            "deleted from the data since?)") in str(info.value)


def test_an_unknown_id_the_run_never_exported_says_so(reviewed_project, tmp_path):
    run = reviewed_project.run_id
    path = filled_csv(tmp_path / "review.csv", [("t99", run, "billing")])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="dana")
    text = str(info.value)
    assert (f"unknown item id 't99': not in the project dataset, and run {run} did not export "
            "it (neither its review queue nor its random sample holds it): a mistyped id") in text
    assert "deleted from the data since" not in text


def test_an_argilla_record_without_lw_id_says_its_record_id_was_read(reviewed_project,
                                                                    tmp_path):
    record = argilla_flat("t6", reviewed_project.run_id, [("billing", "u1", "submitted")])
    record["id"] = "6f1c2d9e-0000-4000-8000-000000000001"  # Argilla's own record id
    path = write_jsonl(tmp_path / "argilla.jsonl", [record])
    with pytest.raises(ReviewError) as info:
        import_file(reviewed_project.root, path, reviewer="dana")
    text = str(info.value)
    assert ("unknown item id '6f1c2d9e-0000-4000-8000-000000000001': not in the project "
            "dataset; the record has no lw_id metadata, so its record id was read as the item "
            "id") in text
    assert "exported it" not in text


def _import_without_run_exports(reviewed_project, path, reviewer):
    """Import ``path`` while the run's queue and sample files are away, as a labelwright
    from before the check did (or an import after the files were gone): a decision on an
    item the run never exported is filed as the file marks it, ``queue``."""
    run_dir = reviewed_project.run_dir
    away = [p for p in (run_dir / "review.jsonl", run_dir / "sample.jsonl") if p.is_file()]
    for p in away:
        p.rename(p.with_suffix(".away"))
    try:
        return import_file(reviewed_project.root, path, reviewer=reviewer)
    finally:
        for p in away:
            p.with_suffix(".away").rename(p)


def test_a_cumulative_file_does_not_add_again_a_decision_filed_as_queue_before(
        reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    held, other = queued_and_not(reviewed_project)
    first = [{**prodigy_row(other, run, "accept", ["billing"]), "lw_export": "queue"}]
    _import_without_run_exports(reviewed_project, write_jsonl(tmp_path / "one.jsonl", first),
                                "alice")
    assert [d.export for d in decisions(root)] == ["queue"]
    later = [*first, {**prodigy_row(held, run, "accept", ["billing"]), "lw_export": "queue"}]
    import_file(root, write_jsonl(tmp_path / "two.jsonl", later), reviewer="alice")
    assert sorted(d.item_id for d in decisions(root)) == sorted([held, other])


def test_a_decision_filed_as_no_export_is_not_added_again_once_the_run_files_are_gone(
        reviewed_project, tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    held, other = queued_and_not(reviewed_project)
    first = [{**prodigy_row(other, run, "accept", ["billing"]), "lw_export": "queue"}]
    import_file(root, write_jsonl(tmp_path / "one.jsonl", first), reviewer="alice")
    assert [d.export for d in decisions(root)] == [""]
    later = [*first, {**prodigy_row(held, run, "accept", ["billing"]), "lw_export": "queue"}]
    _import_without_run_exports(reviewed_project, write_jsonl(tmp_path / "two.jsonl", later),
                                "alice")
    assert sorted(d.item_id for d in decisions(root)) == sorted([held, other])


def test_an_undated_decision_filed_as_queue_before_is_not_said_again(reviewed_project,
                                                                    tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    _, other = queued_and_not(reviewed_project)
    path = tmp_path / "review.csv"
    path.write_text(f"id,run_id,export,review_label\n{other},{run},queue,billing\n",
                    encoding="utf-8")
    _import_without_run_exports(reviewed_project, path, "dana")
    assert [d.export for d in decisions(root)] == ["queue"]
    report = import_file(root, path, reviewer="dana")
    assert report.already_imported
    assert len(decisions(root)) == 1


def test_a_change_of_label_on_an_item_filed_as_queue_before_is_not_two_exports(
        reviewed_project, tmp_path):
    """Filed as the queue's by an earlier import and as from no export now: one export, so
    the refusal does not say the rater decided the item in two of the run's exports."""
    root, run = reviewed_project.root, reviewed_project.run_id
    _, other = queued_and_not(reviewed_project)
    first = tmp_path / "a.csv"
    first.write_text(f"id,run_id,export,review_label\n{other},{run},queue,billing\n",
                     encoding="utf-8")
    _import_without_run_exports(reviewed_project, first, "dana")
    second = tmp_path / "b.csv"
    second.write_text(f"id,run_id,export,review_label\n{other},{run},queue,technical\n",
                      encoding="utf-8")
    with pytest.raises(ReviewError) as info:
        import_file(root, second, reviewer="dana")
    text = str(info.value)
    assert f"{other} by dana: billing -> technical" in text
    assert "in another of the run's exports" not in text
