"""`review import --skip-bad-rows`: each skipped row's line goes to stderr with the
warnings, the result line to stdout, so `labelwright review import ... > import.log`
keeps a log of what was added and a script that reads stdout gets no row complaints."""

from __future__ import annotations

import csv
import sys

from labelwright.cli import entry
from labelwright.review.queue.export import read_review


def test_skipped_rows_go_to_stderr(reviewed_project, tmp_path, monkeypatch, capsys):
    """W63 reported them on stdout; kept on stderr (not reproduced on this code)."""
    queue = read_review(reviewed_project.run_dir)
    rows = [{"id": record["id"], "run_id": reviewed_project.run_id,
             "review_label": record["suggested_label"] or "billing"} for record in queue[:3]]
    assert len(rows) >= 2
    rows[1]["review_label"] = "Bilng"
    sheet = tmp_path / "review.csv"
    with sheet.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=["id", "run_id", "review_label"])
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setattr(sys, "argv", ["labelwright", "review", "import", str(sheet),
                                      "--reviewer", "ops", "--skip-bad-rows",
                                      "-p", str(reviewed_project.root)])
    assert entry.run_app() == 0
    out, err = capsys.readouterr()
    assert "skipped:" not in out and "line 3" not in out, out
    assert " ".join(err.split()).startswith(f"skipped: {sheet}: line 3: unknown label 'Bilng'")
    assert (f"{len(rows) - 1} decision(s) added to the ledger ({len(rows)} rows, 1 bad)"
            in " ".join(out.split())), out
