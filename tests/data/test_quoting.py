"""`[data] quoting` and `[data] columns`: what a quote in a CSV or TSV file is, and files
without a header row, read alike whole, streamed and in Dask partitions."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from labelwright.apply.file_blocks import iter_frames
from labelwright.apply.partitions import file_spec, plan_partitions, read_partition
from labelwright.data.formats import read_frame
from labelwright.errors import DataError


def _reads(path: Path, **settings) -> list[object]:
    """What each reader makes of ``path``: its rows (as lists of values, a missing value
    None), or its error's message: read whole, streamed, and in partitions of 2 rows."""
    kind = settings.pop("fmt", None) or path.suffix[1:]

    def whole() -> pd.DataFrame:
        return read_frame(path, kind, **settings)

    def streamed() -> pd.DataFrame:
        return _joined(list(iter_frames(path, kind, chunk_size=2, **settings)))

    def partitioned() -> pd.DataFrame:
        spec = file_spec(str(path), str(path), kind, id_column="id", text_column="text",
                         hidden=(), **settings)
        return _joined([read_partition(part)[0] for part in list(plan_partitions(spec, 2))])

    out: list[object] = []
    for read in (whole, streamed, partitioned):
        try:
            frame = read()
        except DataError as exc:
            out.append(str(exc))
        else:
            out.append([[None if pd.isna(v) else v for v in row]
                        for row in frame.astype(object).to_numpy().tolist()])
    return out


def _joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode())
    return path


def _one(results: list[object]) -> object:
    """The one result every reader gave."""
    assert all(result == results[0] for result in results), results
    return results[0]


# -- TSV read "auto": CSV quoting, stopping where a quote is ambiguous ----------------------

def test_a_tsv_quote_that_is_text_and_spans_lines_is_an_error_naming_both_lines(tmp_path):
    """Read as CSV, the quote opening "Wen took lines 3-4 into one value: 4 lines gave
    2 rows, silently."""
    path = _write(tmp_path, "sms.tsv", 'label\ttext\nham\tok then\nham\t"Wen u miss\n'
                                       'spam\tWIN a "prize" now\nham\tbye\n')
    message = _one(_reads(path))
    assert isinstance(message, str)
    assert message.startswith(f"{path}:3: row 2: a quoted value starts here ('\"Wen u miss') "
                              "and ends on line 4; in a tab-separated file a quote at the "
                              "start of a value may be text")
    assert 'set [data] quoting = "none" to read quotes as text (one line is one record), ' \
           'or quoting = "csv" to accept quoted values that span lines' in message


def test_tsv_text_after_a_closing_quote_is_an_error_naming_its_line(tmp_path):
    """UCI's SMS line 617: the quotes were dropped and the text joined, silently."""
    path = _write(tmp_path, "sms.tsv", 'label\ttext\nham\tfine\n'
                                       'ham\t"Happy valentines day" I know its early\n')
    assert _one(_reads(path)) == (
        f"{path}:3: row 2: a value starts with a quote and has text after its closing quote "
        "('\"Happy valentines day\" I know its early'): malformed under CSV quoting, which "
        "would drop the quotes and join the text; in a tab-separated file such a quote is "
        'likely text: set [data] quoting = "none" to read quotes as text (one line is one '
        "record)")


def test_a_tsv_quote_never_closed_says_quoting_none_reads_it_as_text(tmp_path):
    path = _write(tmp_path, "d.tsv", 'id\ttext\n1\ta\n2\t"oops\n3\tc\n')
    message = _one(_reads(path))
    assert isinstance(message, str)
    assert message.startswith(f"{path}:3: row 2: malformed TSV: a quoted value starts in this "
                              "row and its closing quote never comes")
    assert message.endswith('set [data] quoting = "none" to read quotes as text (one line is '
                            "one record)")


def test_a_quoted_tsv_header_spanning_lines_is_named_as_the_header(tmp_path):
    path = _write(tmp_path, "d.tsv", '\n"id\ntext"\tplan\n1\ta\n')
    message = _one(_reads(path))
    assert isinstance(message, str)
    assert message.startswith(f"{path}:2: the header: a quoted value starts here ('\"id') and "
                              "ends on line 3")


def test_a_well_formed_quoted_tsv_reads_as_before(tmp_path):
    """Quoted values on one line, holding tabs, commas or "" quotes, are CSV quoting."""
    path = _write(tmp_path, "d.tsv", 'id\ttext\n1\t"tab\there, comma"\n2\t"say ""hi"""\n'
                                     '3\tplain "quoted" inside\n4\t""\n')
    assert _one(_reads(path)) == [["1", "tab\there, comma"], ["2", 'say "hi"'],
                                  ["3", 'plain "quoted" inside'], ["4", None]]


# -- quoting = "csv" -----------------------------------------------------------------------

def test_quoting_csv_reads_tsv_quoted_values_spanning_lines(tmp_path):
    path = _write(tmp_path, "d.tsv", 'id\ttext\n1\t"two\nlines"\n2\tb\n')
    assert _one(_reads(path, quoting="csv")) == [["1", "two\nlines"], ["2", "b"]]


@pytest.mark.parametrize(("name", "content", "where", "shown"), [
    ("d.csv", 'id,text\n1,a\n2,"abc" def\n', "3: row 2", "'\"abc\" def'"),
    ("d.csv", 'id,text\n1,"a""b" c,\n', "2: row 1", "'\"a\"\"b\" c,'"),
    ("d.csv", 'id,text\n1,"two\nlines"x\n', "2: row 1", "'\"two'"),
    ("d.tsv", 'id\ttext\n1\t"abc"def\n', "2: row 1", "'\"abc\"def'"),
])
def test_csv_quoting_refuses_text_after_a_closing_quote(tmp_path, name, content, where, shown):
    """pandas and pyarrow read "abc" def as `abc def`: the quotes dropped, silently."""
    path = _write(tmp_path, name, content)
    settings = {"quoting": "csv"} if name.endswith(".tsv") else {}
    message = _one(_reads(path, **settings))
    assert isinstance(message, str)
    kind = "TSV" if name.endswith(".tsv") else "CSV"
    assert message.startswith(f"{path}:{where}: malformed {kind}: text after the closing "
                              f"quote of a quoted value ({shown})"), message
    assert 'or, if the quotes in this file are text, set [data] quoting = "none"' in message


def test_text_after_a_closing_quote_on_a_later_line_names_both(tmp_path):
    path = _write(tmp_path, "d.csv", 'id,text\n1,"two\nlines" and more\n')
    message = _one(_reads(path))
    assert isinstance(message, str)
    assert message.startswith(f"{path}:2: row 1: malformed CSV: text after the closing quote "
                              "of a quoted value ('\"two') (its closing quote is on line 3)")


def test_a_quote_problem_is_named_before_a_row_short_of_values_earlier(tmp_path):
    """Read whole, the csv module met the short row first; streamed, the scan before the
    read met the quote: both name the quote, whichever comes first in the file."""
    path = _write(tmp_path, "d.csv", 'id,text,plan\n1,a\n2,"b" c,pro\n')
    message = _one(_reads(path))
    assert isinstance(message, str) and message.startswith(f"{path}:3: row 2: malformed CSV: "
                                                            "text after the closing quote")


# -- quoting = "none" ----------------------------------------------------------------------

def test_quoting_none_keeps_every_line_and_every_quote(tmp_path):
    lines = ['ham\t"Wen u miss', 'spam\tWIN a "prize" now', 'ham\t""',
             'ham\t"Happy valentines day" I know', 'ham\tsays "hi', 'ham\tdone"']
    path = _write(tmp_path, "d.tsv", "label\ttext\n" + "\n".join(lines) + "\n")
    assert _one(_reads(path, quoting="none")) == [line.split("\t") for line in lines]


def test_quoting_none_in_a_csv_file_too(tmp_path):
    path = _write(tmp_path, "d.csv", 'id,text\r\n1,"a\r\n2,b" c\r\n3,""\r\n')
    assert _one(_reads(path, quoting="none")) == [["1", '"a'], ["2", 'b" c'], ["3", '""']]


def test_quoting_none_counts_values_at_every_delimiter(tmp_path):
    path = _write(tmp_path, "d.csv", 'id,text\n1,a\n2,"b,c"\n')
    message = _one(_reads(path, quoting="none"))
    assert message == (f"{path}:3: row 2: malformed CSV: 3 values where the header has 2; a "
                       "value holds ',', which [data] quoting = \"none\" reads as the end of "
                       "the value")


# -- [data] columns: a file without a header row -------------------------------------------

def test_columns_name_a_header_less_file_whose_first_line_is_a_record(tmp_path):
    path = _write(tmp_path, "sms", "\ufeffham\tGo until jurong\n\nspam\tFree entry\n")
    assert _one(_reads(path, fmt="tsv", columns=["label", "text"])) == [
        ["ham", "Go until jurong"], ["spam", "Free entry"]]
    assert list(read_frame(path, "tsv", columns=["label", "text"]).columns) == ["label",
                                                                                 "text"]


@pytest.mark.parametrize(("content", "expected"), [
    ("ham\ta\n\nspam\tb\tc\n", ":3: row 2: malformed TSV: 3 values where [data] columns names "
                               "2"),
    ("ham\ta\nspam\n", ":2: row 2: malformed TSV: 1 value where [data] columns names 2"),
    ('ham\ta\nspam\t"b" c\n', ":2: row 2: a value starts with a quote and has text after"),
])
def test_a_header_less_file_names_the_line_of_a_bad_row(tmp_path, content, expected):
    """Its first line is row 1: the lines are not shifted by a header."""
    path = _write(tmp_path, "d.tsv", content)
    message = _one(_reads(path, columns=["label", "text"]))
    assert isinstance(message, str) and message.startswith(f"{path}{expected}"), message


def test_header_less_and_quoting_none_together(tmp_path):
    path = _write(tmp_path, "sms", 'ham\t"Hi" she said\nspam\t""\n')
    assert _one(_reads(path, fmt="tsv", quoting="none", columns=["label", "text"])) == [
        ["ham", '"Hi" she said'], ["spam", '""']]


def test_an_empty_header_less_file_has_no_rows(tmp_path):
    path = _write(tmp_path, "d.csv", "\n\n")
    assert _reads(path, columns=["id", "text"])[1:] == [[], []]  # streamed, partitioned
    assert read_frame(path, columns=["id", "text"]).empty


@pytest.mark.parametrize(("fmt", "settings"), [
    ("jsonl", {"columns": ["id", "text"]}), ("parquet", {"columns": ["id", "text"]}),
    ("jsonl", {"quoting": "none"}), ("jsonl", {"delimiter": ";"}),
])
def test_columns_and_quoting_are_refused_for_jsonl_and_parquet(tmp_path, fmt, settings):
    path = _write(tmp_path, f"d.{fmt}", '{"id": 1, "text": "a"}\n')
    with pytest.raises(DataError, match=re.escape(f"{path}: quoting, columns and delimiter "
                                                  f"are settings of a CSV or TSV file; this "
                                                  f"one is read as {fmt}")):
        read_frame(path, **settings)


@pytest.mark.parametrize("columns", [["id", "id"], ["id", " "], []])
def test_columns_must_name_every_column_once(tmp_path, columns):
    path = _write(tmp_path, "d.csv", "1,a\n")
    with pytest.raises(DataError, match="columns must name every column once"):
        read_frame(path, columns=columns)


# -- [data] delimiter ----------------------------------------------------------------------


def test_a_semicolon_separated_file_reads_as_its_comma_twin_in_every_reader(tmp_path):
    """German Excel saves CSV with ';': every reader splits at it, and a quoted value may
    hold it (and commas, which are text there)."""
    semi = _write(tmp_path, "semi.csv", 'id;text\n1;"Rechnung; doppelt"\n2;hallo, welt\n'
                                        '3;"zwei\nZeilen"\n')
    comma = _write(tmp_path, "comma.csv", 'id,text\n1,"Rechnung; doppelt"\n2,"hallo, welt"\n'
                                          '3,"zwei\nZeilen"\n')
    rows = _one(_reads(semi, delimiter=";"))
    assert rows == _one(_reads(comma)) == [["1", "Rechnung; doppelt"], ["2", "hallo, welt"],
                                           ["3", "zwei\nZeilen"]]
    # with quoting = "none" too, and for a TSV file read at '|'
    assert _one(_reads(semi, delimiter=";", quoting="none")) != rows  # quotes are text
    piped = _write(tmp_path, "p.tsv", "id|text\n1|a\tb\n")
    assert _one(_reads(piped, delimiter="|")) == [["1", "a\tb"]]


def test_without_the_delimiter_a_semicolon_file_is_an_error_that_names_it(tmp_path):
    semi = _write(tmp_path, "semi.csv", "id;text\n1;hallo, welt\n")
    for said in _reads(semi):
        assert isinstance(said, str) and 'set [data] delimiter = ";"' in said, said


@pytest.mark.parametrize("bad", ["ab", "", "a", "7", '"', "\n", "é", 1])
def test_a_delimiter_must_be_one_plain_character(tmp_path, bad):
    path = _write(tmp_path, "d.csv", "id,text\n1,a\n")
    with pytest.raises(DataError, match=r"delimiter must be one character such as"):
        read_frame(path, delimiter=bad)


def test_a_project_reads_its_semicolon_file_as_its_comma_twin_and_records_the_delimiter(
        make_project):
    """The same rows saved by German Excel: the same labels, another data hash (the
    settings are in it), and the delimiter in the manifest."""
    import csv
    import json

    from labelwright.project import run_project

    root = make_project()
    comma = run_project(root, report=False)
    items = root / "data" / "items.csv"
    with open(items, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with open(items, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("[data]\n", '[data]\ndelimiter = ";"\n'))
    semi = run_project(root, report=False)
    read = [pd.read_parquet(r.run_dir / "labels.parquet") for r in (comma, semi)]
    pd.testing.assert_frame_equal(read[0], read[1])
    manifest = json.loads((semi.run_dir / "manifest.json").read_text())
    assert manifest["data"]["delimiter"] == ";"
    assert manifest["data"]["sha256"] != json.loads(
        (comma.run_dir / "manifest.json").read_text())["data"]["sha256"]


def test_a_tsv_row_short_of_values_under_quoting_none_is_malformed_tsv_not_a_quote(tmp_path):
    """It was "malformed CSV ... check for a missing value or quote", though the file is TSV
    and quoting = "none" reads quotes as text."""
    path = _write(tmp_path, "d.tsv", "id\ttext\tplan\n1\thello\tpro\n2\tbye\n")
    message = _one(_reads(path, quoting="none"))
    assert message == (f"{path}:3: row 2: malformed TSV: 2 values where the header has 3; "
                       "check for a missing value, or a line break inside a value ([data] "
                       'quoting = "none" reads each line as one record)'), message
