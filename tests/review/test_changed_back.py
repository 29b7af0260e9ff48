"""A label changed back (A, then B, then A again) in a tool whose export gives no times:
Argilla's re-export after the change back is the first export byte for byte, and its
decisions are new ones all the same, under the --relabel rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_import import argilla_flat, decisions, write_jsonl

from labelwright.review.decisions import ledger
from labelwright.review.imports.file import ReviewError, import_file


def _day(n):
    return datetime(2026, 12, n, tzinfo=UTC)


def _export(path, run, t6):
    return write_jsonl(path, [
        argilla_flat("t6", run, [(t6, "u-1", "submitted")]),
        argilla_flat("t5", run, [("technical", "u-1", "submitted")]),
    ])


def test_a_byte_identical_file_that_changes_a_label_back_imports_it(reviewed_project, tmp_path,
                                                                   cli):
    root, run = reviewed_project.root, reviewed_project.run_id
    first = _export(tmp_path / "a.jsonl", run, "billing")
    import_file(root, first, reviewer="erin", now=_day(1))
    changed = _export(tmp_path / "b.jsonl", run, "technical")
    import_file(root, changed, reviewer="erin", relabel=True, now=_day(2))
    back = _export(tmp_path / "c.jsonl", run, "billing")
    assert back.read_bytes() == first.read_bytes()
    with pytest.raises(ReviewError, match=r"(?s)t6 by argilla:u-1: technical -> billing.*this "
                       r"file was imported before: 1 of its decisions give back a label"):
        import_file(root, back, reviewer="erin", now=_day(3))
    report = import_file(root, back, reviewer="erin", relabel=True, now=_day(3))
    assert (report.added, report.said_again, report.already_imported) == (1, 1, False)
    assert report.relabeled == [("t6", "argilla:u-1", "technical", "billing")]
    latest = ledger.latest_per_rater(decisions(root))
    assert latest["t6"] == {"argilla:u-1": "billing"}
    assert [d.source_row for d in decisions(root) if d.item_id == "t6"][-1].endswith(
        ", again on 2026-12-03T00:00:00")
    # said once: the same file again brings nothing new
    assert import_file(root, back, reviewer="erin", now=_day(4)).already_imported
    # and back again, from the command line
    import_file(root, changed, reviewer="erin", relabel=True, now=_day(5))
    code, out = cli("review", "import", str(back), "--reviewer", "erin", "--relabel",
                    "-p", str(root))
    assert code == 0, out
    assert ("the file was imported before (sha256 "
            f"{decisions(root)[0].source_sha256[:12]}); 1 of its decisions give a label their "
            "rater has changed since (a label changed back; the file gives no times) and are "
            "new decisions") in out
    assert ledger.latest_per_rater(decisions(root))["t6"] == {"argilla:u-1": "billing"}


def test_a_byte_identical_file_whose_labels_are_current_adds_nothing(reviewed_project,
                                                                     tmp_path):
    root, run = reviewed_project.root, reviewed_project.run_id
    first = _export(tmp_path / "a.jsonl", run, "billing")
    import_file(root, first, reviewer="erin", now=_day(1))
    report = import_file(root, first, reviewer="erin", now=_day(2))
    assert (report.already_imported, report.said_again, report.added) == (True, 0, 0)
    assert len(decisions(root)) == 2
