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


@pytest.mark.parametrize("suffix", [".json", ".jsonl", ".toml"])
def test_a_file_with_a_byte_order_mark_is_read_as_its_kind(tmp_path, suffix):
    """A JSON, JSON lines or TOML file saved with a byte-order mark (as Windows editors and
    PowerShell write UTF-8) could not be parsed, so any one of its letters equal to a
    rater's name counted as the rater's: a label 'carol' was called a naming."""
    bom = "\ufeff"
    body = {".json": '{"label": "carol", "reviewer": "dave"}',
            ".jsonl": '{"label": "carol", "reviewer": "dave"}\r\n{"label": "erin"}\r\n',
            ".toml": 'label = "carol"\nreviewer = "dave"\n'}[suffix]
    path = tmp_path / f"kept{suffix}"
    path.write_text(bom + body, encoding="utf-8", newline="")
    assert holds_rater_name(path, {"dave"})
    assert not holds_rater_name(path, {"carol"})
    assert not holds_rater_name(path, {"erin"})


@pytest.mark.parametrize("name", ["Siobhán O'Brien", "Ana & Bo", "<ana>"])
def test_a_copy_of_the_report_names_a_rater_whose_name_html_escapes(tmp_path, name):
    """A report names its reviewers escaped for HTML (``O&#x27;Brien``): a copy of it that
    erase does not rewrite was searched for the name's own letters first, found none, and
    was not said to still name the rater."""
    from labelwright.report.html import user

    page = (f'<html><body><section id="reviews"><h2>Reviews</h2><p>Reviewed by '
            f'{user(name)}.</p></section></body></html>')
    assert name not in page  # as the page writes it
    path = tmp_path / "report copy.html"
    path.write_text(page, encoding="utf-8")
    assert holds_rater_name(path, {name})
    assert not holds_rater_name(path, {"Ana"})
