"""The CSV field-count check counts a regular file's records in C and reads record by
record only when something is off: both ways give the same count, and an irregular file
goes the record-by-record way (whose errors tests/data/test_quoting.py and
test_bad_rows.py check)."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelwright.data.csv_field_counts import _records, _regular_records
from labelwright.data.csv_format import CsvDialect
from labelwright.errors import DataError

PATH = Path("data.csv")
REGULAR = [
    ("id,text\n1,a\n2,b\n", CsvDialect()),
    ("id,text\r\n1,a\r\n\r\n2,\"b, c\"\r\n", CsvDialect()),  # an empty line is no record
    ("\n\nid,text\n1,a\n", CsvDialect()),  # empty lines before the header
    ('id,text\n1,"two\nlines"\n2,b\n', CsvDialect()),  # csv quoting: a value may span lines
    ("id\ttext\n1\ta\n", CsvDialect(delimiter="\t", quoting="auto")),
    ('id,text\n1,"a\n', CsvDialect(quoting="none")),  # quotes are text
    ("1,a\n2,b\n", CsvDialect(columns=("id", "text"))),
    ("", CsvDialect()),
    ("id,text\n", CsvDialect()),
]
IRREGULAR = [
    ("id,text\n1,a,extra\n2,b\n", CsvDialect()),  # a value too many
    ("id,text\n1\n", CsvDialect()),  # one too few
    ('id\ttext\n1\t"two\nlines"\n', CsvDialect(delimiter="\t", quoting="auto")),
    ('id,text\n1,"a"b\n', CsvDialect()),  # text after a closing quote
    ('id,text\n1,"never closed\n', CsvDialect()),
    ("1,a,b\n", CsvDialect(columns=("id", "text"))),
]


@pytest.mark.parametrize(("text", "dialect"), REGULAR)
def test_a_regular_file_is_counted_as_record_by_record(text, dialect):
    assert _regular_records(PATH, text, dialect) == _records(PATH, text, dialect, frozenset())


@pytest.mark.parametrize(("text", "dialect"), IRREGULAR)
def test_an_irregular_file_is_read_record_by_record(text, dialect):
    assert _regular_records(PATH, text, dialect) is None
    with pytest.raises(DataError):
        _records(PATH, text, dialect, frozenset())


def test_skipped_bad_rows_are_counted_record_by_record():
    text = "id,text\n1,a\n2,b,c\n3,d\n"
    assert _regular_records(PATH, text, CsvDialect()) is None
    assert _records(PATH, text, CsvDialect(), frozenset({2})) == 3
