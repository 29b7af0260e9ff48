"""``labelwright erase --rater`` looking through review CSVs a spreadsheet saved: the one
``review export --excel`` writes (UTF-8 with a byte-order mark, ``;``-separated) and one
saved as text (tabs). Every CSV had been read as comma-separated without the mark, so its
``reviewer`` column was never found and a sheet naming the rater was not said to."""

from __future__ import annotations

import pytest

from labelwright.review.queue.csv_sheet import EXCEL_ENCODING, EXCEL_SEPARATOR
from labelwright.runs.erase.rater_files import holds_rater_name


def _sheet(path, rows, separator, encoding="utf-8"):
    path.write_text("\r\n".join(separator.join(row) for row in rows) + "\r\n",
                    encoding=encoding, newline="")
    return path


@pytest.mark.parametrize(("separator", "encoding"), [
    (EXCEL_SEPARATOR, EXCEL_ENCODING), ("\t", "utf-8"), (",", EXCEL_ENCODING),
    (",", "utf-8")])
def test_a_sheet_names_the_rater_in_its_reviewer_column(tmp_path, separator, encoding):
    path = _sheet(tmp_path / "review.csv", [["id", "run_id", "review_label", "reviewer"],
                                            ["t1", "r1", "billing", " carol "],
                                            ["t2", "r1", "technical", "'dave"]],
                  separator, encoding)
    assert holds_rater_name(path, {"carol"})
    assert holds_rater_name(path, {"dave"})  # a spreadsheet's formula escape taken off
    assert not holds_rater_name(path, {"erin"})


def test_a_name_outside_a_rater_column_is_no_raters(tmp_path):
    path = _sheet(tmp_path / "review.csv", [["id", "run_id", "review_label", "note"],
                                            ["t1", "r1", "carol", "asked carol"]],
                  EXCEL_SEPARATOR, EXCEL_ENCODING)
    assert not holds_rater_name(path, {"carol"})
    quoted = _sheet(tmp_path / "quoted.csv", [['"id"', '"reviewer"'], ['"t1"', '"carol"']],
                    EXCEL_SEPARATOR, EXCEL_ENCODING)
    assert holds_rater_name(quoted, {"carol"})
