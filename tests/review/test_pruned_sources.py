"""``review import`` of a file whose run ``runs prune`` removed since: the decisions are
taken, each with its row's text checked against the data now, and a row that cannot be
checked says the run was pruned (the import blamed the file for being another project's)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

import labelwright
from csv_rows import rewrite_rows, write_rows
from labelwright.errors import ReviewError
from labelwright.project import run_project
from labelwright.review.decisions.ledger import ledger_path, read_decisions
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run
from labelwright.scaffold import init_project
from review_csv import fill_review_csv


@pytest.fixture
def pruned_sheet(tmp_path):
    """A review sheet of the first of three runs, filled in after that run was pruned."""
    root = tmp_path / "proj"
    init_project(root)
    first = run_project(root, report=False)
    (sheet,) = export_run(first.run_dir, "csv", root / "erin.csv", budget=3)
    filled = root / "erin_done.csv"
    rows = fill_review_csv(sheet, filled, None, "positive")
    sheet.unlink()  # the export awaits import no more: nothing keeps the run
    run_project(root, report=False)
    run_project(root, report=False)
    labelwright.prune_runs(root, 1, caches=False)
    assert not first.run_dir.exists()
    return root, first.run_id, filled, rows


def test_decisions_of_a_pruned_run_are_imported_with_their_texts_checked(pruned_sheet, cli):
    root, run_id, filled, rows = pruned_sheet
    code, out = cli("review", "import", str(filled), "--reviewer", "erin", "-p", str(root))
    assert code == 0, out
    today = datetime.now(UTC).date().isoformat()
    assert f"{len(rows)} decision(s) added to the ledger" in out
    assert (f"{len(rows)} decision(s) were exported from run {run_id}, pruned on {today} by "
            "`prune_runs(keep=1)`: imported") in out
    decisions = read_decisions(ledger_path(root))
    assert sorted(d.item_id for d in decisions) == sorted(r["id"] for r in rows)
    assert {d.run_id for d in decisions} == {run_id}


def test_a_row_of_a_pruned_run_that_cannot_be_checked_says_the_run_was_pruned(pruned_sheet):
    root, run_id, filled, rows = pruned_sheet
    data = root / "data" / "reviews.csv"
    rewrite_rows(data, lambda item: {**item, "text": "A different text altogether."}
                 if item["id"] == rows[0]["id"] else item)
    rows[1]["export"] = "sample"
    write_rows(filled, rows)
    with pytest.raises(ReviewError) as caught:
        import_file(root, filled, reviewer="erin")
    message = str(caught.value)
    assert "2 bad row(s); nothing imported" in message
    assert f"the text in this row is not the text of item {rows[0]['id']!r}" in message
    assert (f"item {rows[1]['id']!r} was exported from run {run_id}, pruned on "
            in message and "marked as from that run's random sample" in message)
    assert "another project" not in message
