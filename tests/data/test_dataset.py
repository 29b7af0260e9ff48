import re

import numpy as np
import pandas as pd
import pytest

from labelwright.config import DataConfig
from labelwright.data.dataset import dataset_from_frame, read_dataset
from labelwright.data.formats import detect_format, read_frame
from labelwright.data.jsonl_format import jsonl_row_lines
from labelwright.errors import DataError
from labelwright.project import run_project

LABELS = ("billing", "technical")
TEXTS = ["Please refund my order", "The app crashes on login", "Where is my invoice?"]


def read(path, gold="gold", fmt=None, **kw):
    return read_dataset(DataConfig(path=path, gold_column=gold, format=fmt, **kw), LABELS)


def check_tickets(dataset):
    assert dataset.ids == ["1", "2", "3"]
    assert dataset.texts == TEXTS
    assert list(dataset.fields.columns) == ["plan"]
    assert dataset.fields["plan"].tolist() == ["pro", "free", "pro"]
    assert dataset.gold.tolist() == [0, 1, -1]
    assert dataset.n_gold == 2
    assert dataset.warnings == []
    assert len(dataset) == 3


@pytest.mark.parametrize("name", ["tickets.csv", "tickets.jsonl", "tickets.tsv"])
def test_read_text_formats(fixtures, name):
    dataset = read(fixtures / name)
    check_tickets(dataset)
    assert dataset.source == str(fixtures / name)
    assert len(dataset.sha256) == 64


def test_read_parquet(fixtures, tmp_path):
    frame = pd.read_csv(fixtures / "tickets.csv", dtype=str, keep_default_na=False)
    frame["id"] = frame["id"].astype(int)  # numeric ids come back as strings
    frame.to_parquet(tmp_path / "tickets.parquet", index=False)
    check_tickets(read(tmp_path / "tickets.parquet"))


def test_format_override(fixtures, tmp_path):
    path = tmp_path / "tickets.txt"
    path.write_bytes((fixtures / "tickets.jsonl").read_bytes())
    with pytest.raises(DataError, match=r"cannot tell the format from the suffix '\.txt'"):
        read(path)
    check_tickets(read(path, fmt="jsonl"))


def test_a_tab_separated_file_without_the_tsv_suffix_reads_with_format_tsv(fixtures, tmp_path):
    """UCI's SMSSpamCollection has no suffix: [data] format could only name csv, which
    split at commas."""
    path = tmp_path / "SMSSpamCollection"
    path.write_bytes((fixtures / "tickets.tsv").read_bytes())
    check_tickets(read(path, fmt="tsv"))
    assert detect_format(tmp_path / "items.TSV") == "tsv" == detect_format(path, "tsv")


def test_a_tab_separated_file_read_as_csv_gets_the_format_hint(fixtures, tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_bytes((fixtures / "tickets.tsv").read_bytes())
    with pytest.raises(DataError, match=r'header looks separated by tabs: set \[data\] '
                                        r'format = "tsv"'):
        read(path)


def test_detect_format():
    from pathlib import Path

    assert detect_format(Path("a.CSV")) == "csv"
    assert detect_format(Path("a.ndjson")) == "jsonl"
    assert detect_format(Path("a.pq")) == "parquet"
    with pytest.raises(DataError, match="unknown format 'xlsx'; valid: csv, tsv, jsonl, parquet"):
        detect_format(Path("a.csv"), "xlsx")


def test_sha256_is_of_the_file(fixtures):
    import hashlib

    expected = hashlib.sha256((fixtures / "tickets.csv").read_bytes()).hexdigest()
    assert read(fixtures / "tickets.csv").sha256 == expected


def test_the_hash_tells_apart_the_readings_quoting_and_columns_give(tmp_path):
    """One file read with quotes as text, or without a header, gives other items: with
    the file's sha256 alone, runs and reviews of one reading passed for the other's."""
    import hashlib

    path = tmp_path / "d.tsv"
    path.write_text('id\ttext\tgold\n1\t"a"\tbilling\n2\tb\ttechnical\n')
    of_file = hashlib.sha256(path.read_bytes()).hexdigest()
    as_before = {read(path).sha256, read(path, quoting="csv").sha256}
    other = {read(path, quoting="none").sha256,
             read(path, quoting="none", columns=("id", "text", "gold"), gold=None).sha256,
             read(path, columns=("id", "text", "gold"), gold=None).sha256}
    assert as_before == {of_file}
    assert len(other) == 3 and of_file not in other
    assert read(path).texts == ["a", "b"] and read(path, quoting="none").texts == ['"a"', "b"]


@pytest.mark.parametrize(("roles", "message"), [
    ({"id_column": "body", "text_column": "body"},
     "<DataFrame>: id_column and text_column are both 'body'; each role needs its own column"),
    ({"id_column": "key", "text_column": "body", "gold_column": "body"},
     "<DataFrame>: text_column and gold_column are both 'body'"),
])
def test_a_frame_refuses_one_column_in_two_roles(roles, message):
    """The config refuses it; a frame took its unique texts as ids too, and with a
    repeated text said "duplicate id '<the text>'", or "unknown gold label '<the text>'"."""
    frame = pd.DataFrame({"key": ["1", "2"], "body": ["a b", "c"]})
    with pytest.raises(DataError, match=re.escape(message)):
        dataset_from_frame(frame, labels=LABELS, **roles)


def test_ids_in_an_index_of_another_name_are_said_to_be_there():
    """``data=df.set_index("comment_id")`` with ``[data] id_column = "id"`` said "no id
    column 'id'; columns present: author, ..." with no word of the index, which holds the
    ids and is not read."""
    frame = pd.DataFrame({"comment_id": ["a", "b"], "video": [1, 2], "text": ["x", "y"]})
    with pytest.raises(DataError, match=re.escape(
            "<DataFrame>: no id column 'id'; columns present: video, text (the DataFrame's "
            "index is named 'comment_id' and is not read: if it holds the ids, pass "
            "df.reset_index() with [data] id_column = \"comment_id\", or "
            "df.reset_index().rename(columns={'comment_id': 'id'}))")):
        dataset_from_frame(frame.set_index("comment_id"), id_column="id",
                           text_column="text", labels=LABELS)
    with pytest.raises(DataError, match=re.escape(
            "(the DataFrame's index levels 'comment_id', 'video' are not read: if one holds "
            "the ids, pass df.reset_index() and name it in [data] id_column)")):
        dataset_from_frame(frame.set_index(["comment_id", "video"]), id_column="id",
                           text_column="text", labels=LABELS)
    # the advice works
    renamed = frame.set_index("comment_id").reset_index().rename(columns={"comment_id": "id"})
    assert dataset_from_frame(renamed, id_column="id", text_column="text",
                              labels=LABELS).ids == ["a", "b"]


def test_a_frame_without_an_id_column_says_its_unnamed_index_is_not_read(make_project):
    """run_project(data=df) with the ids in df's default RangeIndex said only "no id column
    'id'; columns present: gold, text", while a named index got a hint; row positions are
    still not taken as ids."""
    frame = pd.DataFrame({"gold": ["billing", "technical"], "text": ["refund", "crash"]},
                         index=[7, 9])
    hint = ("<DataFrame>: no id column 'id'; columns present: gold, text (the DataFrame's "
            "index is not read, and row positions are never used as ids: if the index holds "
            "the ids, pass df.reset_index(names='id'); if a column does, name it in [data] "
            "id_column (dataset_from_frame's id_column=))")
    with pytest.raises(DataError, match=re.escape(hint)):
        run_project(make_project(), data=frame.reset_index(drop=True), report=False)
    with pytest.raises(DataError, match=re.escape(hint.replace("'id'", "'key'"))):
        dataset_from_frame(frame, id_column="key", text_column="text", labels=LABELS)
    # the advice works, and the ids are the index's values, not the rows' positions
    assert dataset_from_frame(frame.reset_index(names="key"), id_column="key",
                              text_column="text", labels=LABELS).ids == ["7", "9"]
    # a file's rows have no index to speak of
    (path := make_project().parent / "no_ids.csv").write_text("text\nrefund\n")
    with pytest.raises(DataError) as raised:
        read_dataset(DataConfig(path=path, id_column="id", text_column="text"), LABELS)
    assert "index" not in str(raised.value)


def test_ids_in_the_frames_index_and_a_column_that_is_no_name():
    """ids kept as the index (df.set_index('cid')) gave "no id column 'cid'; columns
    present: ..." with no word of the index; id_column=None ended in KeyError: None."""
    frame = pd.DataFrame({"cid": ["a", "b"], "text": ["x", "y"]}).set_index("cid")
    with pytest.raises(DataError, match=re.escape(
            "<DataFrame>: no id column 'cid'; columns present: text ('cid' is the "
            "DataFrame's index, not one of its columns, and the index is not read: pass "
            "df.reset_index())")):
        dataset_from_frame(frame, id_column="cid", text_column="text", labels=LABELS)
    assert dataset_from_frame(frame.reset_index(), id_column="cid", text_column="text",
                              labels=LABELS).ids == ["a", "b"]
    with pytest.raises(TypeError, match=r"dataset_from_frame: id_column must name a column "
                                        r"of the frame \(a non-empty string\), got None"):
        dataset_from_frame(frame.reset_index(), id_column=None, text_column="text",
                           labels=LABELS)


def test_dataframe_input():
    frame = pd.DataFrame({"key": [10, 11], "body": ["a b", "c"], "x": [1.5, 2.5],
                          "truth": ["technical", None]})
    dataset = dataset_from_frame(frame, id_column="key", text_column="body", labels=LABELS,
                                 gold_column="truth")
    assert dataset.ids == ["10", "11"]
    assert dataset.texts == ["a b", "c"]
    assert list(dataset.fields.columns) == ["x"]  # id, text and gold are not fields
    assert dataset.gold.tolist() == [1, -1]
    assert dataset.source == "<DataFrame>"
    assert len(dataset.sha256) == 64
    changed = frame.assign(body=["a b", "d"])
    other = dataset_from_frame(changed, id_column="key", text_column="body", labels=LABELS)
    assert other.sha256 != dataset.sha256


def test_float_ids_become_integer_strings():
    frame = pd.DataFrame({"id": [1.0, 2.0, 3.5], "text": ["a", "b", "c"]})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
    assert dataset.ids == ["1", "2", "3.5"]


def test_ids_keep_leading_zeros(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text\n007,a\n010,b\n", encoding="utf-8")
    assert read(path, gold=None).ids == ["007", "010"]


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="nope.csv: dataset file not found"):
        read(tmp_path / "nope.csv")


def test_a_folder_without_a_dataset_file_says_so(tmp_path):
    """A folder is read as a dataset in many files (tests/data/test_many_files.py)."""
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(DataError, match="the folder holds no dataset file"):
        read(tmp_path / "d.csv")


def test_empty_csv(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(DataError, match="the file is empty"):
        read(path)


def test_malformed_csv(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text\n1,a\n2,b,extra,more\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read(path, gold=None)
    message = str(info.value)
    assert "d.csv" in message and "malformed CSV" in message
    assert "d.csv:3:" in message  # file:line of the row with extra fields


def test_malformed_jsonl_names_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n{"id": 2, "text": "b"}\n{"id": 3, "text": }\n',
                    encoding="utf-8")
    with pytest.raises(DataError, match=r"d\.jsonl:3: malformed JSON"):
        read(path, gold=None)


def test_jsonl_with_bare_carriage_returns_says_so(tmp_path):
    """Lines ending in a lone \\r run together into one line; the error says why, whole
    file or streamed."""
    from labelwright.apply.file_blocks import iter_frames

    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"id": 1, "text": "a"}\r{"id": 2, "text": "b"}\r')
    with pytest.raises(DataError, match=r"d\.jsonl:1: malformed JSON: Extra data .*"
                                        r"bare carriage return"):
        read(path, gold=None)
    with pytest.raises(DataError, match="bare carriage return"):
        list(iter_frames(path))
    path.write_bytes(b'{"id": 1, "text": "a"} {"id": 2, "text": "b"}\n')
    with pytest.raises(DataError, match="Extra data") as info:
        read(path, gold=None)
    assert "carriage return" not in str(info.value)


def test_jsonl_line_not_an_object(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"d\.jsonl:2: expected a JSON object per line, got list"):
        read(path, gold=None)


def test_csv_not_utf8_names_line(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes("id,text\n1,fine\n2,caf\xe9 au lait\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"d\.csv:3: row 2: not valid UTF-8 \(byte 0xe9 at "
                                        r"column 6;"):
        read(path, gold=None)


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_csv_not_utf8_names_line_whatever_the_line_endings(tmp_path, newline):
    """Lines that end in \\r alone (old Excel's "CSV (Macintosh)") were one line: the
    error said line 1 wherever the byte was."""
    path = tmp_path / "d.csv"
    path.write_bytes(newline.join(["id,text", "1,fine", '2,"two', 'lines"', "3,caf\xe9", ""])
                     .encode("latin-1"))
    with pytest.raises(DataError, match=r"d\.csv:5: row 3: not valid UTF-8 \(byte 0xe9 at "
                                        r"column 6;"):
        read(path, gold=None)


def test_jsonl_not_utf8_names_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'{"id": 1, "text": "a"}\n{"id": 2, "text": "caf\xe9"}\n')
    with pytest.raises(DataError, match=r"d\.jsonl:2: not valid UTF-8 \(byte 0xe9 at column 23; "
                                        r"the file may be Latin-1"):
        read(path, gold=None)


def test_bad_parquet(tmp_path):
    path = tmp_path / "d.parquet"
    path.write_text("not parquet", encoding="utf-8")
    with pytest.raises(DataError, match="cannot read as Parquet"):
        read(path)


@pytest.mark.parametrize(("kw", "role", "column"), [
    ({"id_column": "key"}, "id", "key"),
    ({"text_column": "body"}, "text", "body"),
    ({"gold": "label"}, "gold", "label"),
])
def test_missing_column_lists_columns(fixtures, kw, role, column):
    with pytest.raises(DataError) as info:
        read(fixtures / "tickets.csv", **{"gold": "gold", **kw})
    message = str(info.value)
    assert f"no {role} column {column!r}" in message
    assert "columns present: id, text, plan, gold" in message


def test_duplicate_ids_name_both_rows(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text\na,x\nb,y\nc,z\nb,w\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"d.csv:5: duplicate id 'b' at rows 2 and 4 "
                                        r"\(lines 3 and 5\)"):
        read(path, gold=None)


@pytest.mark.parametrize(("last", "message"), [
    ("1,c", "d.csv:7: duplicate id '1' at rows 1 and 3 (lines 2 and 7)"),
    (",c", "d.csv:7: row 3 has no id in column 'id'"),
])
def test_csv_errors_about_a_row_name_the_line_it_starts_on(tmp_path, last, message):
    """A quoted text held three lines: a duplicate id said "rows 1 and 3" of a file whose
    third row is on line 7 (a 300k-row file's row 250001 was on line 300307)."""
    path = tmp_path / "d.csv"
    path.write_text('id,text\n1,"multi\nline\ntext"\n2,plain\n\n' + last + "\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        read(path, gold=None)


@pytest.mark.parametrize(("last", "message"), [
    ('{"text": "c"}', "d.jsonl:6: row 3 has no id in column 'id'"),
    ('{"id": 1, "text": "c"}', "d.jsonl:6: duplicate id '1' at rows 1 and 3 (lines 1 and 6); "
                               "ids in column 'id' must be unique"),
    ('{"id": 3, "text": 5}', "d.jsonl:6: row 3 (id '3'): the text in column 'text' is 5 "
                             "(type int)"),
    ('{"id": [3], "text": "c"}', "d.jsonl:6: row 3: the id in column 'id' is [3] (type list)"),
    ('{"id": 3, "text": "c", "gold": "sales"}', "d.jsonl:6: row 3 (id '3'): unknown gold "
                                                "label 'sales'"),
])
def test_jsonl_errors_about_a_row_name_its_line(tmp_path, last, message):
    """Blank lines hold no row: read whole, an error said "row 3" of the item on line 6
    (streamed, it named the line too)."""
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n\n\n{"id": 2, "text": "b"}\n \n' + last + "\n",
                    encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        read(path, gold="gold" if "gold" in last else None)


def test_jsonl_row_lines_skip_blank_lines_and_a_bom(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(b'\xef\xbb\xbf\n{"id": 1}\n\t\n{"id": 2}\n{"id": 3}\n')
    assert jsonl_row_lines(path, [2, 0]) == {0: 2, 2: 5}
    assert jsonl_row_lines(path, [3]) == {}  # no such row


@pytest.mark.parametrize("content", ["id,text\na,x\n,y\n", "id,text\na,x\n  ,y\n"])
def test_missing_id(tmp_path, content):
    path = tmp_path / "d.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2 has no id in column 'id'"):
        read(path, gold=None)


def test_no_rows(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text\n", encoding="utf-8")
    with pytest.raises(DataError, match="has no rows"):
        read(path, gold=None)


def test_blank_texts_kept_with_warning():
    frame = pd.DataFrame({"id": ["a", "b", "c", "d", "e"],
                          "text": ["ok", "", np.nan, "   ", None]})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
    assert len(dataset) == 5
    assert dataset.texts == ["ok", "", "", "   ", ""]
    assert len(dataset.warnings) == 1
    warning = dataset.warnings[0]
    assert "4 empty or missing texts" in warning
    for row, item_id in ((2, "b"), (3, "c"), (4, "d"), (5, "e")):
        assert f"row {row} (id {item_id!r})" in warning
    assert "row 1 " not in warning
    # said as it is: the text of only spaces is kept as written, not made empty
    assert "kept (a missing text as \"\", one of only spaces as written)" in warning
    assert "with an empty text" not in warning


def test_blank_texts_in_csv_kept(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('id,text\n1,hello\n2,\n3,""\n', encoding="utf-8")
    dataset = read(path, gold=None)
    assert dataset.texts == ["hello", "", ""]
    assert "row 2 (id '2'), row 3 (id '3')" in dataset.warnings[0]


def test_many_blank_texts_are_summarised():
    frame = pd.DataFrame({"id": [str(i) for i in range(8)], "text": [""] * 8})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
    assert "8 empty or missing texts" in dataset.warnings[0]
    assert "and 3 more" in dataset.warnings[0]


def test_unknown_gold_label_names_row_and_labels(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text,gold\na,x,billing\nb,y,sales\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read(path)
    message = str(info.value)
    assert "row 2 (id 'b')" in message
    assert "unknown gold label 'sales'" in message
    assert "valid labels: billing, technical" in message


def test_unknown_gold_values_are_counted_with_their_first_rows_and_a_close_label(tmp_path):
    """Only the first bad row was named, without a count or a guess, while 13 rows held
    the same 'Billing'."""
    rows = ["billing", "Billing", "technical", "sales", "Billing", "Billing"] * 3
    path = tmp_path / "d.csv"
    path.write_text("id,text,gold\n" + "".join(f"r{i},t,{g}\n" for i, g in enumerate(rows)),
                    encoding="utf-8")
    with pytest.raises(DataError) as info:
        read(path)
    billing, sales = str(info.value).splitlines()
    assert billing == (
        f"{path}:3: row 2 (id 'r1'): unknown gold label 'Billing', in 9 rows of column 'gold' "
        "(also row 5 (id 'r4', line 6), row 6 (id 'r5', line 7), row 8 (id 'r7', line 9), "
        "row 11 (id 'r10', line 12) and 4 more); did you mean 'billing'? valid labels: "
        "billing, technical")
    assert sales.startswith(f"{path}:5: row 4 (id 'r3'): unknown gold label 'sales', in 3 rows")


def test_gold_values_are_spelt_out_up_to_a_limit_and_the_rest_counted():
    names = [f"x{i}" for i in range(14)]
    frame = pd.DataFrame({"id": range(16), "text": "t", "gold": names + ["x0", "billing"]})
    with pytest.raises(DataError) as info:
        dataset_from_frame(frame, id_column="id", text_column="text", gold_column="gold",
                           labels=LABELS, source="d")
    lines = str(info.value).splitlines()
    assert len(lines) == 11 and "'x0', in 2 rows" in lines[0]
    assert lines[-1] == ("d: 4 more unknown gold values in column 'gold', in 4 rows: 'x10', "
                         "'x11', 'x12', 'x13'; valid labels: billing, technical")


@pytest.mark.parametrize(("fmt", "write"), [
    ("csv", lambda path: path.write_text("id,text,gold\na,x,0\nb,y,1\nc,z,\n")),
    ("jsonl", lambda path: path.write_text('{"id": "a", "text": "x", "gold": 0}\n'
                                           '{"id": "b", "text": "y", "gold": 1}\n'
                                           '{"id": "c", "text": "z"}\n')),
    ("parquet", lambda path: pd.DataFrame({"id": list("abc"), "text": list("xyz"),
                                           "gold": [0, 1, None]}).to_parquet(path)),
])
def test_integer_gold_labels_are_said_to_be_label_names_not_indices(tmp_path, fmt, write):
    """Gold 0..n-1, as Snorkel keeps it, was "unknown gold label '1'; valid labels: ..."
    without a word of why; integers are still no label (a label may be named "1")."""
    path = tmp_path / f"d.{fmt}"
    write(path)
    with pytest.raises(DataError) as info:
        read(path)
    zero, one = str(info.value).splitlines()
    assert "gold values are label names, not indices (if the project meant indices, 0" in zero
    assert "would be label index 1, 'technical': [data] gold_values = { 0 = " in one
    assert "df['gold'] = df['gold'].map({0: " in one


def test_integer_gold_labels_are_said_how_to_map_to_names():
    """The error said what an index meant but not how to turn a column of them into
    names; it now gives the pandas line, the mapping written out for a few labels."""
    frame = pd.DataFrame({"id": ["a", "b"], "text": "t", "label": [0, 1]})
    with pytest.raises(DataError) as info:
        dataset_from_frame(frame, id_column="id", text_column="text", gold_column="label",
                           labels=("ham", "spam"))
    # called from Python, the hint names the argument, not the config setting
    assert ("would be label index 0, 'ham': gold_values={0: 'ham', 1: 'spam'} reads them "
            "so, or df['label'] = df['label'].map({0: 'ham', 1: 'spam'}) names them); valid "
            "labels: ham, spam") in str(info.value)
    assert "[data]" not in str(info.value)
    # a project's data (read with hints="config") is told the setting of its config
    with pytest.raises(DataError) as info:
        dataset_from_frame(frame, id_column="id", text_column="text", gold_column="label",
                           labels=("ham", "spam"), hints="config")
    assert ("would be label index 0, 'ham': [data] gold_values = { 0 = \"ham\", 1 = "
            "\"spam\" } reads them so, or df['label'] = df['label'].map({0: 'ham', "
            "1: 'spam'}) names them); valid labels: ham, spam") in str(info.value)
    with pytest.raises(ValueError, match="hints must be 'python' or 'config', got 'toml'"):
        dataset_from_frame(frame, id_column="id", text_column="text", labels=("ham", "spam"),
                           hints="toml")
    many = tuple("abcdef")
    with pytest.raises(DataError, match=r"\.map\(dict\(enumerate\(labels\)\)\) names them"):
        dataset_from_frame(frame, id_column="id", text_column="text", gold_column="label",
                           labels=many)


def test_a_gold_of_minus_one_is_said_to_be_left_empty():
    frame = pd.DataFrame({"id": ["a", "b"], "text": "t", "gold": ["billing", "-1"]})
    with pytest.raises(DataError, match=r"unknown gold label '-1'; gold values are label names, "
                                        r"not indices \(for no gold label, leave the cell "
                                        r"empty, or read it as none: "
                                        r"gold_values=\{-1: \"\"\}\); valid labels"):
        dataset_from_frame(frame, id_column="id", text_column="text", gold_column="gold",
                           labels=LABELS)


def test_a_gold_label_left_out_of_the_labels_given_is_said_to_be_missing_from_them():
    """A label left out of labels=[...] was only "unknown gold label 'other' in 3 rows",
    with nothing to say the list given may be short; a typo still gets its guess."""
    frame = pd.DataFrame({"id": list("abcd"), "text": "t",
                          "gold": ["billing", "other", "other", "techincal"]})
    with pytest.raises(DataError) as info:
        dataset_from_frame(frame, id_column="id", text_column="text", gold_column="gold",
                           labels=LABELS)
    other, typo = str(info.value).splitlines()
    assert ("unknown gold label 'other', in 2 rows of column 'gold' (also row 3 (id 'c')); "
            "if 'other' is a label, labels=[...] is missing it: add it there (the list's "
            "order gives each label's index); valid labels: billing, technical") in other
    assert "did you mean 'technical'? valid labels" in typo and "missing it" not in typo
    # a project's data file (read with hints="config"): its config's setting
    with pytest.raises(DataError, match=r"if 'other' is a label, \[project\] labels is "
                                        r"missing it"):
        dataset_from_frame(frame.iloc[:3], id_column="id", text_column="text",
                           gold_column="gold", labels=LABELS, source="data/items.csv",
                           hints="config")


def test_a_label_named_by_a_number_is_a_gold_label():
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": "t",
                          "gold": pd.Series([2, 10, None], dtype=object)})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", gold_column="gold",
                                 labels=("10", "2"))
    assert dataset.gold.tolist() == [1, 0, -1]


def test_gold_labels_are_stripped(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text,gold\na,x, technical \nb,y,\n", encoding="utf-8")
    assert read(path).gold.tolist() == [1, -1]


def test_a_gold_label_in_another_unicode_form_is_the_label(tmp_path):
    """A decomposed "négatif" was an unknown gold label, listed beside the composed
    "négatif" that looks the same."""
    import unicodedata

    composed, decomposed = (unicodedata.normalize(f, "négatif") for f in ("NFC", "NFD"))
    path = tmp_path / "d.csv"
    path.write_text(f"id,text,gold\na,x,{decomposed}\nb,y,ok\nc,z,{decomposed}\n",
                    encoding="utf-8")
    dataset = read_dataset(DataConfig(path=path, gold_column="gold"), (composed, "ok"))
    assert dataset.gold.tolist() == [0, 1, 0]


def test_read_frame_reads_csv_as_strings(fixtures):
    frame = read_frame(fixtures / "tickets.csv")
    assert frame["id"].tolist() == ["1", "2", "3"]


@pytest.mark.parametrize(("content", "where"), [
    ("id,text,plan\n1,a,pro\n2,b\n", r"d\.csv:3: row 2: malformed CSV: 2 values where the "
                                     r"header has 3; check for a missing value or quote"),
    ('id,text,plan\n1,"two\nlines",pro\n\n2,"b\nc"\n', r"d\.csv:5: row 2: malformed CSV: 2 "
                                                        "values where the header has 3"),
    ("id,text,plan\n1,a,pro\n2,b,free,x\n", r"d\.csv:3: row 2: malformed CSV: 4 values where "
                                            r"the header has 3; quote texts"),
])
def test_csv_row_with_too_few_or_too_many_values_names_line_and_row(tmp_path, content, where):
    path = tmp_path / "d.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=where):
        read(path, gold=None)


def test_csv_bom_blank_lines_and_quoted_line_breaks_are_fine(tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(b'\xef\xbb\xbfid,text,plan\r\n\r\n1,"two\r\nlines, here",pro\r\n2,b,\r\n'
                     b'\r\n3,"a line of spaces\r\n  \r\nin a text",\r\n\r\n')
    dataset = read(path, gold=None)
    assert dataset.ids == ["1", "2", "3"]
    assert dataset.texts == ["two\r\nlines, here", "b", "a line of spaces\r\n  \r\nin a text"]


def test_jsonl_may_start_with_a_bom(fixtures, tmp_path):
    path = tmp_path / "tickets.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (fixtures / "tickets.jsonl").read_bytes())
    check_tickets(read(path))


@pytest.mark.parametrize(("value", "shown"), [
    ("5", "5 (type int)"), ("2.5", "2.5 (type float)"), ('["a", "b"]', "['a', 'b'] (type list)"),
    ('{"x": 1}', "{'x': 1} (type dict)"), ("true", "True (type bool)"),
])
def test_jsonl_text_that_is_not_a_string_is_an_error(tmp_path, value, shown):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "fine"}\n' f'{{"id": "b", "text": {value}}}\n',
                    encoding="utf-8")
    with pytest.raises(DataError) as info:
        read(path, gold=None)
    said = (f"{path}:2: row 2 (id 'b'): the text in column 'text' is {shown}; "
            "a text must be a string (in JSON, in quotes) or missing")
    # an object: its keys are no columns, and the error says how to make them some
    nested = " (keys nested in an object are not read as columns: flatten the file"
    assert str(info.value) == said if "dict" not in shown else \
        str(info.value).startswith(said + nested)


@pytest.mark.parametrize(("value", "shown"), [
    ("true", "True (type bool)"), ("[1]", "[1] (type list)"), ('{"a": 1}', "{'a': 1} (type dict)"),
])
def test_jsonl_id_that_is_not_a_string_or_number_is_an_error(tmp_path, value, shown):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "x"}\n' f'{{"id": {value}, "text": "y"}}\n',
                    encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(
            f"{path}:2: row 2: the id in column 'id' is {shown}; an id must be a string or a "
            "number")):
        read(path, gold=None)


def test_number_ids_and_missing_texts_are_fine(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 17, "text": "x"}\n{"id": 18}\n{"id": 19, "text": null}\n',
                    encoding="utf-8")
    assert read(path, gold=None).ids == ["17", "18", "19"]
    frame = pd.DataFrame({"id": ["a", "b"], "text": pd.array(["x", None], dtype="string")})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
    assert dataset.texts == ["x", ""]


def test_parquet_binary_text_is_an_error(tmp_path):
    path = tmp_path / "d.parquet"
    pd.DataFrame({"id": ["a"], "text": [b"caf\xc3\xa9"]}).to_parquet(path, index=False)
    with pytest.raises(DataError, match=r"row 1 \(id 'a'\): the text in column 'text' is "
                                        r"b'caf\\xc3\\xa9' \(type bytes\)"):
        read(path, gold=None)


def test_a_csv_header_naming_a_column_twice(tmp_path):
    """pandas renamed the second 'text' to 'text.1' and the LFs read the first."""
    path = tmp_path / "items.csv"
    path.write_text("id,text,text\nt1,a,b\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"items.csv:1: the header names column\(s\) 'text' more "
                                        "than once"):
        read_frame(path)


def test_a_header_with_trailing_empty_names_is_fine(tmp_path):
    """Spreadsheets write 'id,text,gold,,': empty names are not a column named twice."""
    path = tmp_path / "items.csv"
    path.write_text("id,text,gold,,\nt1,a,,,\n", encoding="utf-8")
    assert read_frame(path)["text"].tolist() == ["a"]


def test_not_utf8_after_a_bom_names_the_right_line(tmp_path):
    path = tmp_path / "items.csv"
    path.write_bytes(b"\xef\xbb\xbfid,text\nt1,fine\nt2,caf\xe9\n")
    with pytest.raises(DataError, match=r"items.csv:3: row 2: not valid UTF-8"):
        read_frame(path)


def test_a_semicolon_separated_file_gets_a_hint(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("id;text;gold\nr1;hello there;\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"no id column 'id'; columns present: id;text;gold "
                                        r"\(the header looks separated by semicolons"):
        read(path)


def test_a_semicolon_separated_file_whose_text_holds_a_comma_gets_the_same_hint(tmp_path):
    # the comma splits the record before the header is found missing: whole and streamed
    from labelwright.apply.file_blocks import iter_frames

    path = tmp_path / "items.csv"
    path.write_text("id;text;gold\nr1;hallo, welt;a\nr2;rechnung;b\n", encoding="utf-8")
    hint = (r"items.csv:2: row 1: malformed CSV: 2 values where the header has 1; the header "
            r"looks separated by semicolons")
    with pytest.raises(DataError, match=hint):
        read_frame(path)
    with pytest.raises(DataError, match=hint):
        list(iter_frames(path, chunk_size=1))
    # a header of one column with no semicolon keeps the comma hint
    path.write_text("text\nhallo, welt\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"quote texts that contain ','"):
        read_frame(path)


@pytest.mark.parametrize("drop", [True, False])
def test_parquet_with_the_ids_as_its_pandas_index(tmp_path, drop):
    """df.set_index("id").to_parquet(): 'no id column' though the ids are in the file;
    with drop=False (the ids twice) the fix raised pandas' ValueError."""
    from labelwright.apply.file_blocks import iter_frames

    path = tmp_path / "d.parquet"
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": ["refund", "crash", "login"]})
    frame.set_index("id", drop=drop).to_parquet(path)
    dataset = read(path, gold=None)
    assert dataset.ids == ["a", "b", "c"] and dataset.texts == ["refund", "crash", "login"]
    streamed = pd.concat(list(iter_frames(path, chunk_size=2)), ignore_index=True)
    assert streamed["id"].tolist() == ["a", "b", "c"] and list(streamed.index) == [0, 1, 2]


@pytest.mark.parametrize("chunk_size", [2, 10])
def test_a_named_row_number_index_is_no_column_in_any_parquet_reader(tmp_path, chunk_size):
    """df.index.name = "row": pandas keeps it as metadata, not as a column. The whole-file
    reader made it a column; streamed batches had it or not depending on their size."""
    from labelwright.apply.file_blocks import iter_frames

    path = tmp_path / "d.parquet"
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": ["refund", "crash", "login"]})
    frame.index.name = "row"
    frame.to_parquet(path)
    assert list(read_frame(path).columns) == ["id", "text"]
    streamed = pd.concat(list(iter_frames(path, chunk_size=chunk_size)), ignore_index=True)
    assert list(streamed.columns) == ["id", "text"] and streamed["id"].tolist() == ["a", "b", "c"]


def test_ids_in_a_row_number_index_get_a_message_that_says_so(tmp_path):
    path = tmp_path / "d.parquet"
    frame = pd.DataFrame({"text": ["refund", "crash"]},
                         index=pd.RangeIndex(1000, 1002, name="ticket_id"))
    frame.to_parquet(path)
    with pytest.raises(DataError, match=r"no id column 'ticket_id'; columns present: text "
                                        r"\('ticket_id' is the file's pandas row-number index"):
        read(path, gold=None, id_column="ticket_id")


def test_a_jsonl_escape_for_half_a_character_names_its_line_and_key(tmp_path):
    """"\\ud83d" without its pair decoded, then hashing or parsing the text failed with a
    UnicodeEncodeError that named no file, row or id."""
    from labelwright.data.formats import read_frame

    path = tmp_path / "items.jsonl"
    path.write_text('{"id": 1, "text": "ok \\ud83d\\ude00"}\n'
                    '{"id": 2, "text": "Great phone \\ud83d", "meta": {"k": "x"}}\n')
    with pytest.raises(DataError, match=r"items.jsonl:2: the value of 'text' holds \\ud83d, "
                                        r"half of a character"):
        read_frame(path, None)
    path.write_text('{"id": 1, "text": "ok \\ud83d\\ude00"}\n')  # a pair is one character
    assert read_frame(path, None)["text"].tolist() == ["ok \U0001f600"]


def test_a_frame_with_list_and_array_values_is_a_dataset(tmp_path):
    """dataset_from_frame failed with "unhashable type: 'list'" while hashing the frame."""
    frame = pd.DataFrame({"id": ["a", "b"], "text": ["x", "y"],
                          "tags": [["p", 1], {"k": 2}], "emb": [np.arange(3.0), np.arange(3.0)]})
    data = dataset_from_frame(frame, id_column="id", text_column="text", labels=("p", "q"))
    nudged = frame.copy()
    nudged.at[1, "emb"] = np.arange(3.0) + 1e-12
    other = dataset_from_frame(nudged, id_column="id", text_column="text", labels=("p", "q"))
    assert data.sha256 != other.sha256
    assert data.fields["tags"].tolist() == [["p", 1], {"k": 2}]


def test_gold_with_spaces_is_read_and_said(tmp_path):
    """"positive " was read as positive, and a cell of spaces as no gold, without a word."""
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "text": ["x", "y", "z", "w"],
                          "gold": ["pos ", " neg", "  ", ""]})
    data = dataset_from_frame(frame, id_column="id", text_column="text", labels=("neg", "pos"),
                              gold_column="gold")
    assert data.gold.tolist() == [1, 0, -1, -1]
    assert any("2 gold label(s) in column 'gold' have spaces around them (first: row 1, id "
               "'a', 'pos ')" in w for w in data.warnings), data.warnings
    assert any("1 gold cell(s) in column 'gold' hold only spaces (first: row 3, id 'c')" in w
               for w in data.warnings)


def test_a_frame_with_column_names_that_are_not_text(tmp_path):
    """Integer column names gave KeyError '0'; names equal as text were taken apart."""
    frame = pd.DataFrame({"id": ["a", "b"], 0: ["one", "two"], 1: [3, 4]})
    data = dataset_from_frame(frame, id_column="id", text_column="0", labels=("x", "y"))
    assert data.texts == ["one", "two"] and list(data.fields.columns) == ["1"]
    twice = pd.DataFrame([["a", "t", 1, 2]], columns=["id", "text", "n", "n"])
    with pytest.raises(DataError, match=r"column name\(s\) 'n' appear more than once"):
        dataset_from_frame(twice, id_column="id", text_column="text", labels=("x", "y"))
    mixed = pd.DataFrame([["a", "t", 1, 2]], columns=["id", "text", 5, "5"])
    with pytest.raises(DataError, match=r"column name\(s\) '5' appear more than once"):
        dataset_from_frame(mixed, id_column="id", text_column="text", labels=("x", "y"))


def test_float_ids_keep_their_digits_or_are_refused(tmp_path):
    """A JSONL id 12345678901234567890.0 became 12345678901234567168, Infinity became
    "inf", and a float32 Parquet 1.1 became 1.100000023841858."""
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 12345678901234567890.0, "text": "a"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"row 1: the id in column 'id' is 1\.2345678901234567e\+19"
                                        r", a float too large to hold every digit"):
        read(path, gold=None)
    # 2**53 + 1 with a decimal point is read as the float 2**53: a digit already lost
    path.write_text('{"id": 9007199254740993.0, "text": "a"}\n', encoding="utf-8")
    with pytest.raises(DataError, match="a float too large to hold every digit"):
        read(path, gold=None)
    path.write_text('{"id": 9007199254740991.0, "text": "a"}\n', encoding="utf-8")
    assert read(path, gold=None).ids == ["9007199254740991"]
    path.write_text('{"id": Infinity, "text": "a"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"the id in column 'id' is inf; an id must be a string "
                                        r"or a finite number"):
        read(path, gold=None)
    path.write_text('{"id": 12345678901234567890, "text": "a"}\n{"id": 17.0, "text": "b"}\n',
                    encoding="utf-8")
    assert read(path, gold=None).ids == ["12345678901234567890", "17"]
    frame = pd.DataFrame({"id": np.array([1.1, 2.0, 2.5], dtype=np.float32),
                          "text": ["a", "b", "c"]})
    assert dataset_from_frame(frame, id_column="id", text_column="text",
                              labels=("x", "y")).ids == ["1.1", "2", "2.5"]


def test_a_parquet_file_with_a_repeated_column_name(tmp_path):
    """pyarrow's message was a dump of its internal schema (__fragment_index ...)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table([pa.array(["1"]), pa.array(["a"]), pa.array(["b"])],
                     names=["id", "text", "text"])
    pq.write_table(table, tmp_path / "d.parquet")
    with pytest.raises(DataError, match=r"d.parquet: column name\(s\) 'text' appear more than "
                                        r"once; give every column its own name"):
        read(tmp_path / "d.parquet", gold=None)


@pytest.mark.parametrize(("content", "expected"), [
    # a lone \r in an unquoted text ends the line for pandas: the row was split in two
    ("id,text,gold\nr1,fine,pos\nr2,broke after a day\rnot happy,neg\n",
     "d.csv:3: row 2: malformed CSV: 2 values where the header has 3"),
    # lines ended by \r alone
    ("id,text,plan\r1,a,pro\r2,b\r3,c,free\r",
     "d.csv:3: row 2: malformed CSV: 2 values where the header has 3"),
    # a value longer than the csv module's default limit (131,072 characters)
    ("id,text,plan\n1," + "x" * 200_000 + ",pro\n2,b\n",
     "d.csv:3: row 2: malformed CSV: 2 values where the header has 3"),
])
def test_every_csv_row_is_checked_for_its_values(tmp_path, content, expected):
    """The check of each row's values stopped at the first row the csv module refused (a
    line break it did not expect, a value over its size limit), and pandas then filled
    the short rows with missing values or split a row into two items, silently."""
    path = tmp_path / "d.csv"
    path.write_bytes(content.encode())
    with pytest.raises(DataError, match=re.escape(expected)):
        read_frame(path)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_utf16_file_is_named_as_utf16(tmp_path, suffix):
    """A UTF-16 file (byte order mark FF FE) was guessed to be Latin-1."""
    path = tmp_path / f"d{suffix}"
    text = "id,text\n1,a\n" if suffix == ".csv" else '{"id": 1, "text": "a"}\n'
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(DataError, match=r"d\.(csv|jsonl):1: .*not valid UTF-8 \(byte 0xff at "
                                        r"(offset|column) \d+; it starts with a UTF-16 byte"):
        read_frame(path)


@pytest.mark.parametrize("ids", [
    pd.Series(["a", "b", "007"], dtype="str"),
    pd.Series(["a", "b", "007"], dtype=object),
    pd.Series([3, 1, 2], dtype="int64"),
    pd.Series([3, 1, 2], dtype="uint8"),
    pd.Series([1.0, 2.5, 3.0]),
    pd.Series([1.1, 2.0, 3.0], dtype="float32"),
    pd.Series(["a", 1, 2.0], dtype=object),
])
@pytest.mark.parametrize("texts", [
    pd.Series(["x", None, "  "], dtype="str"),
    pd.Series(["x", None, np.nan], dtype=object),
    pd.Series(["x", "y", ""], dtype=object),
])
@pytest.mark.parametrize("gold", [
    pd.Series(["1", None, " technical "], dtype="str"),
    pd.Series([1, True, " "], dtype=object),
    pd.Series([1.0, np.nan, pd.NA], dtype=object),
    pd.Series([1, 1, 1], dtype="int64"),
    pd.Series([1.0, np.nan, 1.0]),
    pd.Series([True, True, True]),
])
def test_columns_read_whole_are_read_as_each_cell_is(ids, texts, gold):
    """Strings, whole-number ids and each distinct gold value are read without a call per
    row (a million rows took 6 s); they must give what each cell read alone gives."""
    from labelwright.data.dataset import id_cells, id_value
    from labelwright.data.text_cells import text_value

    labels = ("billing", "technical", "1", "1.0", "True")
    frame = pd.DataFrame({"id": ids, "text": texts, "gold": gold})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", gold_column="gold",
                                 labels=labels)
    assert dataset.ids == [id_value(v, "", "id") for v in id_cells(frame["id"])]
    assert dataset.texts == [text_value(v, "", "text") for v in frame["text"].tolist()]
    missing = [v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v))
               for v in frame["gold"].tolist()]
    names = ["" if m else str(v).strip() for m, v in zip(missing, frame["gold"].tolist())]
    assert dataset.gold.tolist() == [labels.index(n) if n else -1 for n in names]


def test_bytes_texts_in_a_frame_are_told_to_be_decoded_not_quoted_as_json():
    frame = pd.DataFrame({"id": ["a", "b"], "text": [b"fine", b"caf\xc3\xa9"]})
    with pytest.raises(DataError) as info:
        dataset_from_frame(frame, id_column="id", text_column="text", labels=("x", "y"))
    said = str(info.value)
    assert said.startswith("<DataFrame>: row 1 (id 'a'): the text in column 'text' is "
                           "b'fine' (type bytes); a text must be a string or missing; decode "
                           "the column first: df['text'] = df['text'].str.decode('utf-8')")
    assert "JSON" not in said
    frame["text"] = frame["text"].str.decode("utf-8")  # as the message says
    texts = dataset_from_frame(frame, id_column="id", text_column="text",
                               labels=("x", "y")).texts
    assert texts == ["fine", "café"]


def test_a_number_in_a_frame_is_no_json_matter():
    frame = pd.DataFrame({"id": ["a"], "text": pd.Series([12345], dtype=object)})
    with pytest.raises(DataError, match=r"is 12345 \(type int\); a text must be a string or "
                                        r"missing$"):
        dataset_from_frame(frame, id_column="id", text_column="text", labels=("x", "y"))


def test_a_parquet_binary_text_column_is_told_to_be_written_as_text(tmp_path):
    path = tmp_path / "items.parquet"
    pd.DataFrame({"id": ["a"], "text": [b"fine"], "gold": ["x"]}).to_parquet(path)
    with pytest.raises(DataError, match=r"items\.parquet: row 1 \(id 'a'\): .* \(type bytes\); "
                                        r"a text must be a string or missing; decode the column "
                                        r"first: .*, and write the file again"):
        read(path, gold=None)


def test_a_frame_of_only_rows_without_ids_says_to_mend_the_frame():
    """dataset_from_frame(df, bad_rows="skip") of rows that all lack an id said "mend the
    file", of a DataFrame that has none."""
    frame = pd.DataFrame({"id": [None, None], "text": ["a", "b"]})
    with pytest.raises(DataError) as info:
        dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS,
                           bad_rows="skip")
    said = str(info.value)
    assert said.startswith("<DataFrame>: every row is a bad row (2 skipped"), said
    assert said.endswith("so no item is left; give the frame's rows their ids in column "
                         "'id'"), said


def test_jsonl_line_cut_inside_a_text_says_so(tmp_path):
    """A line that ends inside a text was "Invalid control character" (the line's own
    break, parsed with it); it is the unterminated text it is, with what likely cut it."""
    from labelwright.apply.file_blocks import iter_frames

    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n{"id": 2, "text": "pas fini\nsuite"}\n',
                    encoding="utf-8")
    expected = (r"d\.jsonl:2: malformed JSON: Unterminated string starting at \(column 19\); "
                r"the line ends inside a text: cut off, or the text holds a raw line break "
                r"and goes on at line 3")
    with pytest.raises(DataError, match=expected) as info:
        read(path, gold=None)
    assert "control character" not in str(info.value)
    with pytest.raises(DataError, match=expected):
        list(iter_frames(path))
