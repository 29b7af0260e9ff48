"""The review CSV for Excel (``review export --format csv --excel``): UTF-8 with a byte-order
mark and ``;`` between cells, which Excel in a German (comma-decimal) locale opens in
columns with its umlauts intact; the plain export showed every row in column A and
``störung`` as ``stÃ¶rung``. The import reads it back, and ``labelwright erase`` finds its
texts."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from labelwright.cli.review import review_app
from labelwright.review.imports.file import import_file
from labelwright.review.queue.export import export_run
from labelwright.runs.erase.files import erase_csv
from labelwright.runs.erase.records import MARKER

BOM = b"\xef\xbb\xbf"


def rows_of(raw: bytes, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""),
                           delimiter=delimiter))


def test_the_excel_export_is_the_plain_one_with_a_bom_and_semicolons(reviewed_project,
                                                                      tmp_path):
    plain = export_run(reviewed_project.run_dir, "csv", tmp_path / "plain.csv")[0].read_bytes()
    excel = export_run(reviewed_project.run_dir, "csv", tmp_path / "excel.csv",
                       excel=True)[0].read_bytes()
    assert excel.startswith(BOM) and excel[3:].startswith(b"id;run_id;")
    assert not plain.startswith(BOM) and plain.startswith(b"id,run_id,")  # the default stays
    # cell for cell the same sheet; a text holding ';' is quoted, not split
    assert rows_of(excel, ";") == rows_of(plain, ",")
    assert len(rows_of(excel, ";")) > 1


def test_a_filled_excel_export_imports(reviewed_project, tmp_path):
    """Filled in and saved by Excel as it opened it (BOM and ';' kept), the sheet imports."""
    path = export_run(reviewed_project.run_dir, "csv", tmp_path / "excel.csv", excel=True)[0]
    header, *rows = rows_of(path.read_bytes(), ";")
    rows[0][header.index("review_label")] = "billing"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([header, *rows])
    path.write_bytes(BOM + buffer.getvalue().encode("utf-8"))
    report = import_file(reviewed_project.root, path, reviewer="greta")
    assert (report.added, report.bad) == (1, 0)


def test_the_cli_option_and_its_misuse(reviewed_project, tmp_path):
    runner = CliRunner()
    out = tmp_path / "q.csv"
    result = runner.invoke(review_app, ["export", "--format", "csv", "--excel", "--out",
                                        str(out), "--project", str(reviewed_project.root)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(BOM + b"id;run_id;")
    result = runner.invoke(review_app, ["export", "--format", "jsonl", "--excel", "--out",
                                        str(tmp_path / "q.jsonl"), "--project",
                                        str(reviewed_project.root)])
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())  # a usage error's box, unwrapped
    assert "writes the CSV export for Excel; the jsonl export" in said
    assert not (tmp_path / "q.jsonl").exists()


def test_python_refuses_excel_for_another_format(reviewed_project, tmp_path):
    with pytest.raises(ValueError, match=r"--excel \(excel=True from Python\) writes the CSV "
                                         r"export for Excel; the prodigy export"):
        export_run(reviewed_project.run_dir, "prodigy", tmp_path / "p.jsonl", excel=True)


def test_erase_finds_the_text_in_a_semicolon_sheet():
    """``labelwright erase`` read every review CSV with commas: in the Excel export it found
    no id column, and the erased item's text stayed in the file."""
    text = 'id;run_id;text;review_label\r\nt1;r1;"Grüße; bis bald";\r\nt2;r1;ok;\r\n'
    new, n = erase_csv(text, {"t1"})
    assert n == 1
    assert new == f"id;run_id;text;review_label\r\nt1;r1;{MARKER};\r\nt2;r1;ok;\r\n"
