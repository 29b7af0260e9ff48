"""Streaming a file through the LFs gives the label matrix of an in-memory apply."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from labelwright.apply import Applier, apply_file
from labelwright.apply.file_blocks import iter_frames
from labelwright.data.dataset import read_dataset
from labelwright.data.formats import read_frame
from labelwright.data.read_problems import skip_hint
from labelwright.errors import DataError, RowError
from labelwright.matrix import LabelMatrix
from labelwright.project import load_project
from ticket_data import BILLING_GLOSSARY, OPTIONAL_KEY_LFS, STARS_LFS, optional_key_rows
from ticket_data import TICKETS_WITH_NEGATION as TICKETS

ROWS = [dict(row, id=f"{row['id']}-{k}") for k in range(5) for row in TICKETS]


@pytest.fixture
def project(make_project):
    root = make_project(rows=ROWS, glossaries={"billing": BILLING_GLOSSARY})
    return root, load_project(root)


def _errors(loaded, path, out):
    """The errors reading ``path`` gives: as a project's dataset, and streamed by
    apply_file into ``out``."""
    with pytest.raises(DataError) as whole:
        read_dataset(type(loaded.config.data)(path), loaded.labels)
    with pytest.raises(DataError) as streamed:
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), path,
                   out / "matrix.parquet")
    return str(whole.value), str(streamed.value)


#: how the rows that cannot be read end: read whole as a project's data, the [data] setting;
#: streamed by apply_file, its argument
CONFIG_HINT, PYTHON_HINT = skip_hint("config"), skip_hint("python")


def _same_but_hint(whole, streamed):
    """Whether ``whole`` and ``streamed`` say the rows that cannot be read in one wording,
    each ending them with the way to leave them out in its caller's terms."""
    return CONFIG_HINT in whole and whole.replace(CONFIG_HINT, PYTHON_HINT) == streamed


def _write(folder, fmt):
    frame = pd.DataFrame(ROWS)
    path = folder / f"items.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in ROWS))
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_streamed_matrix_equals_in_memory_matrix(project, tmp_path, fmt):
    root, loaded = project
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp,
                      glossaries=loaded.glossaries, chunk_size=4)
    expected = applier.apply(read_dataset(loaded.config.data, loaded.labels))
    steps = []
    result = apply_file(applier, _write(tmp_path, fmt), tmp_path / "out" / "matrix.parquet",
                        hidden_columns=("gold",), progress=steps.append)
    streamed = LabelMatrix.read_parquet(result.path)
    assert result.rows == len(ROWS) and sum(steps) == len(ROWS) and len(steps) == 8
    assert streamed.item_ids == expected.matrix.item_ids
    assert (streamed.votes == expected.matrix.votes).all()
    assert result.term_hits.equals(expected.term_hits)


def test_csv_chunks_have_the_asked_size(tmp_path):
    path = _write(tmp_path, "csv")
    sizes = [len(frame) for frame in iter_frames(path, chunk_size=7)]
    assert sizes == [7, 7, 7, 7, 2]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_path_given_as_text_reads_as_a_path(tmp_path, fmt):
    from labelwright.apply import iter_frames as exported  # beside apply_file

    path = _write(tmp_path, fmt)
    as_text = pd.concat(list(exported(str(path), chunk_size=7)), ignore_index=True)
    pd.testing.assert_frame_equal(
        as_text, pd.concat(list(iter_frames(path, chunk_size=7)), ignore_index=True))
    assert len(as_text) == len(ROWS)


def test_csv_texts_like_na_are_text_and_only_empty_values_are_missing(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text('id,text,plan\n1,NA,null\n2,,N/A\n3,"",x\n')
    frame = next(iter_frames(path))
    assert frame["text"].tolist()[0] == "NA" and frame["plan"].tolist()[:2] == ["null", "N/A"]
    assert frame["text"].isna().tolist() == [False, True, True]


@pytest.mark.parametrize("fmt, content, where", [
    # the line too, and "unique", as a whole read says it (UX41: the stream reads its bad
    # rows again for that)
    ("csv", 'id,text\n1,"two\nlines"\n,no id here\n', "items.csv:4: row 2 has no id"),
    ("jsonl", '{"id": 1, "text": "a"}\n\n{"id": " ", "text": "b"}\n',
     "items.jsonl:3: row 2 has no id"),
])
def test_an_item_without_an_id_names_its_row(project, tmp_path, fmt, content, where):
    root, loaded = project
    path = tmp_path / f"items.{fmt}"
    path.write_text(content)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries)
    with pytest.raises(DataError, match=f"{where} in column 'id'; every item needs a unique "
                                        "id") as caught:
        apply_file(applier, path, tmp_path / "matrix.parquet")
    # the argument that leaves it out, as after a row that cannot be read
    assert str(caught.value).endswith(PYTHON_HINT)


@pytest.mark.parametrize("content, message", [
    ('{"id": 1, "text": "a"}\n{"id": 2, "text": ["a", "b"]}\n',
     "items.jsonl:2: row 2 (id '2'): the text in column 'text' is ['a', 'b'] (type list)"),
    ('{"id": 1, "text": "a"}\n{"id": true, "text": "b"}\n',
     "items.jsonl:2: row 2: the id in column 'id' is True (type bool)"),
])
def test_streamed_values_that_are_not_strings_are_errors(project, tmp_path, content, message):
    """In memory such values were already errors; streamed, they were stringified."""
    root, loaded = project
    path = tmp_path / "items.jsonl"
    path.write_text(content)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries)
    with pytest.raises(DataError, match=re.escape(message)):
        apply_file(applier, path, tmp_path / "matrix.parquet")


def test_a_malformed_csv_row_names_its_line_and_row(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text('id,text\n1,"two\nlines"\n2,a,b\n')
    with pytest.raises(DataError, match=r"items.csv:4: row 2: malformed CSV: 3 values where "
                                        "the header has 2"):
        list(iter_frames(path))


def test_a_streamed_csv_header_naming_a_column_twice(project, tmp_path):
    root, loaded = project
    path = tmp_path / "items.csv"
    path.write_text("id,text,text\n1,a,b\n")
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries)
    with pytest.raises(DataError, match="the header names column\\(s\\) 'text' more than once"):
        apply_file(applier, path, tmp_path / "matrix.parquet")


def test_a_failure_half_way_leaves_no_matrix(project, tmp_path):
    """A bad row after the first chunks left a valid Parquet file holding only the rows
    before it: a downstream job could not tell it was incomplete."""
    root, loaded = project
    path = tmp_path / "items.csv"
    rows = "".join(f"{i},text number {i}\n" for i in range(30))
    path.write_text("id,text\n" + rows + "bad,row,extra\n")
    out = tmp_path / "matrix.parquet"
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries,
                      chunk_size=10)
    with pytest.raises(DataError, match="malformed CSV"):
        apply_file(applier, path, out)
    assert not out.exists() and list(tmp_path.glob(".matrix.parquet*")) == []
    path.write_text("id,text\n" + rows)
    apply_file(applier, path, out)
    assert pq.read_metadata(out).num_rows == 30



def test_a_jsonl_key_missing_from_a_chunk_is_none_and_ints_stay_ints(make_project, tmp_path):
    """A key that no row of a streamed chunk has was no field there (``item.note`` raised
    in every chunk before the last), and an int key missing from some rows became a float
    (``str(item.priority)`` was ``"1.0"``) in a stream and in a whole-file read alike."""
    rows = optional_key_rows()
    root = make_project(rows=[{"id": "x", "text": "y"}], lfs={"optional": OPTIONAL_KEY_LFS})
    loaded = load_project(root)
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=4)
    config = loaded.config.data
    whole = applier.apply(read_dataset(type(config)(path=path), loaded.labels))
    result = apply_file(applier, path, tmp_path / "matrix.parquet")
    streamed = LabelMatrix.read_parquet(result.path)
    assert result.failures == {} and whole.failures == {}
    noted = [r["id"] for r in rows if "note" in r]
    urgent = [r["id"] for r in rows if r.get("priority") == 1]
    for matrix in (whole.matrix, streamed):
        votes = dict(zip(matrix.item_ids, matrix.votes.tolist()))
        assert [i for i, v in votes.items() if v[0] >= 0] == noted
        assert [i for i, v in votes.items() if v[1] >= 0] == urgent
    assert (streamed.votes == whole.matrix.votes).all()


@pytest.mark.parametrize("fmt, content, message", [
    ("jsonl", b'{"id": 1, "text": "a"}\n{"id": 2, "text": "caf\xe9"}\n',
     "items.jsonl:2: not valid UTF-8 (byte 0xe9 at column 23; the file may be Latin-1"),
    ("jsonl", b'\xef\xbb\xbf{"id": 1, "text": "caf\xe9"}\n',  # the column after the BOM
     "items.jsonl:1: not valid UTF-8 (byte 0xe9 at column 23; the file may be Latin-1"),
    ("csv", b'\n\nid,t\xe9xt\n1,hello\n',  # was pyarrow's own UnicodeDecodeError
     "items.csv:3: the header: not valid UTF-8 (byte 0xe9 at column 5; the file may be"),
    ("jsonl", '{"id": 1, "text": "éé caf'.encode() + b'\xe9"}\n',  # characters, not bytes
     "items.jsonl:1: not valid UTF-8 (byte 0xe9 at column 26; the file may be Latin-1"),
    ("csv", b'id,text\n1,fine\n2,"two\nlines, caf\xe9"\n',
     "items.csv:4: row 2: not valid UTF-8 (byte 0xe9 at column 11; the file may be Latin-1"),
    # lines that end in \r alone (old Excel's "CSV (Macintosh)"), or \r\n
    ("csv", b'id,text\r1,fine\r2,"two\rlines, caf\xe9"\r',
     "items.csv:4: row 2: not valid UTF-8 (byte 0xe9 at column 11; the file may be Latin-1"),
    ("csv", b'id,text\r\n1,fine\r\n2,"two\r\nlines, caf\xe9"\r\n',
     "items.csv:4: row 2: not valid UTF-8 (byte 0xe9 at column 11; the file may be Latin-1"),
    ("csv", b'\r\rid,t\xe9xt\r1,hello\r',
     "items.csv:3: the header: not valid UTF-8 (byte 0xe9 at column 5; the file may be"),
])
def test_streamed_bytes_that_are_not_utf8_name_line_column_and_byte(project, tmp_path, fmt,
                                                                   content, message):
    root, loaded = project
    path = tmp_path / f"items.{fmt}"
    path.write_bytes(content)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries)
    with pytest.raises(DataError, match=re.escape(message)):
        apply_file(applier, path, tmp_path / "matrix.parquet")


def test_not_utf8_is_the_same_error_read_whole_or_streamed(project, tmp_path):
    """Read whole, a CSV's bad byte was named by line and byte offset in the file; streamed,
    by line, row and column. A quoted value over two lines makes line and row differ."""
    root, loaded = project
    path = tmp_path / "items.csv"
    path.write_bytes(b'id,text\n1,fine\n2,"two\nlines, caf\xe9"\n')
    expected = (f"{path}:4: row 2: not valid UTF-8 (byte 0xe9 at column 11; the file may be "
                "Latin-1 or Windows-1252, in which byte 0xe9 is 'é'); save the file as UTF-8")
    assert _errors(loaded, path, tmp_path / "out") == (expected, expected)


def test_a_streamed_jsonl_file_may_start_with_a_bom(project, tmp_path):
    root, loaded = project
    path = tmp_path / "items.jsonl"
    path.write_bytes(b'\xef\xbb\xbf\n{"id": "a", "text": "refund please"}\n')  # then blank
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries)
    assert apply_file(applier, path, tmp_path / "matrix.parquet").rows == 1


@pytest.mark.parametrize("spaces", ["  ", "\t", " \t "])
def test_csv_line_of_spaces_is_the_same_error_streamed_or_not(project, tmp_path, spaces):
    """pandas skipped a line of spaces that the streaming reader reads as a record of one
    value: the same file gave other rows, or an error, depending on the reader."""
    root, loaded = project
    path = tmp_path / "d.csv"
    path.write_text(f"id,text\n1,a\n\n{spaces}\n2,b\n", encoding="utf-8")
    expected = (f"{path}:4: row 2: malformed CSV: 1 value where the header has 2; the line "
                "holds only spaces or tabs; delete it or give it its values")
    assert _errors(loaded, path, tmp_path / "out") == (expected + CONFIG_HINT,
                                                       expected + PYTHON_HINT)


@pytest.mark.parametrize(("name", "content", "hint"), [
    ("d.tsv", "id\ttext\n1\ta\n\t\t\n", "the line holds only spaces or tabs"),
    ("d.csv", 'id,text\n1,a\n""\n', "check for a missing value or quote"),
])
def test_a_line_of_tabs_or_an_empty_quoted_value_gets_one_hint_on_both_paths(
        project, tmp_path, name, content, hint):
    """Read whole, a line of tabs (values to the CSV module) was not said to hold only tabs,
    and a quoted empty value ("") was said to be a line of spaces."""
    root, loaded = project
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    whole, streamed = _errors(loaded, path, tmp_path / "out")
    kind = "TSV" if name.endswith(".tsv") else "CSV"
    assert _same_but_hint(whole, streamed)
    assert whole.startswith(f"{path}:3: row 2: malformed {kind}: ")
    assert hint in whole and whole.endswith(CONFIG_HINT)


@pytest.mark.parametrize("content", [b"text,id\r\r,r1\rb,r2\r", b"text,id\r\r,r1\r",
                                     b"text,id\rb,r2\r\r,\r"])
def test_a_row_after_an_empty_line_ended_by_cr_keeps_its_values_in_place(tmp_path, content):
    """With lines ended by \\r alone, pandas read ',r1' after an empty line as 'r1,' (the
    text 'r1', no id), and a row of only empty values there not at all."""
    path = tmp_path / "d.csv"
    path.write_bytes(content)
    whole = read_frame(path)
    streamed = pd.concat(list(iter_frames(path)), ignore_index=True)
    assert whole.equals(streamed)
    expected = [[v or None for v in line.split(",")] for line in content.decode().split("\r")
                if line][1:]
    assert whole.astype(object).where(whole.notna(), None).to_numpy().tolist() == expected


@pytest.mark.parametrize(("content", "line", "name"), [
    ("  \nid,text\n1,a\n", 1, "d.csv"), ("\n\t \nid,text\n1,a\n", 2, "d.csv"),
    ("\t\t\nid\ttext\n1\ta\n", 1, "d.tsv"),  # tabs: values to the CSV module
    ("  \rid,text\r1,a\r", 1, "d.csv"),  # a lone \r ends lines too
])
def test_csv_line_of_spaces_before_the_header_is_one_error(project, tmp_path, content, line,
                                                           name):
    """The whole-file reader skipped it; the streaming one took it for a header of one
    column and then called every row malformed."""
    root, loaded = project
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    expected = (f"{path}:{line}: a line of only spaces or tabs where the header should be; "
                "delete it (the header is the first line, the column names)")
    assert _errors(loaded, path, tmp_path / "out") == (expected, expected)


@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
@pytest.mark.parametrize("fmt, content, message", [
    # a quoted value may hold line breaks and empty lines hold no row: the lines are named
    ("csv", 'id,text\n1,"a\nb"\n2,b\n\n1,c\n',
     "items.csv:6: duplicate id '1' at rows 1 and 3 (lines 2 and 6);"),
    ("tsv", 'id\ttext\n1\ta\n2\tb\n1\tc\n',
     "items.tsv:4: duplicate id '1' at rows 1 and 3 (lines 2 and 4);"),
    # blank lines hold no row: the lines are named too, as a whole-file read names them
    ("jsonl", '{"id": 1, "text": "a"}\n\n{"id": 2, "text": "b"}\n\n{"id": "1", "text": "c"}\n',
     "items.jsonl:5: duplicate id '1' at rows 1 and 3 (lines 1 and 5);"),
])
def test_a_streamed_id_given_twice_is_the_error_a_dataset_gives(project, tmp_path, fmt,
                                                                  content, message, chunk_size):
    """Streamed, a repeated id was written twice without a word (read whole, it is an error)."""
    root, loaded = project
    path = tmp_path / f"items.{fmt}"
    path.write_text(content)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries,
                      chunk_size=chunk_size)
    message += " ids in column 'id' must be unique"
    with pytest.raises(DataError, match=re.escape(message)):
        apply_file(applier, path, tmp_path / "matrix.parquet")
    assert not (tmp_path / "matrix.parquet").exists()
    with pytest.raises(DataError, match=re.escape(message)):  # the same error, read whole
        read_dataset(type(loaded.config.data)(path), loaded.labels)


def test_a_streamed_file_without_rows_is_an_error(project, tmp_path):
    root, loaded = project
    path = tmp_path / "items.csv"
    path.write_text("id,text\n")
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries)
    with pytest.raises(DataError, match="items.csv: the dataset has no rows"):
        apply_file(applier, path, tmp_path / "matrix.parquet")


FIELD_NAMES_LF = '''
from labelwright import labeling_function


@labeling_function()
def field_names(item):
    return "billing" if sorted(item.fields) == ["Unnamed: 2", "Unnamed: 4", "plan"] else "technical"
'''


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_a_tab_separated_file_without_the_suffix_streams_with_format_tsv(project, tmp_path,
                                                                         engine):
    """fmt="tsv" reads a file of any name as the .tsv suffix does, on every engine (a
    Dask worker reads its own part of the file)."""
    root, loaded = project
    path = tmp_path / "SMSSpamCollection"
    pd.DataFrame(ROWS).to_csv(path, sep="\t", index=False)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp,
                      glossaries=loaded.glossaries, chunk_size=4, engine=engine, root=root)
    expected = applier.apply(read_dataset(loaded.config.data, loaded.labels)).matrix
    result = apply_file(applier, path, tmp_path / "matrix.parquet", fmt="tsv",
                        hidden_columns=("gold",))
    streamed = LabelMatrix.read_parquet(result.path)
    assert result.rows == len(ROWS) and streamed.item_ids == expected.item_ids
    assert (streamed.votes == expected.votes).all()
    assert next(iter_frames(path, "tsv", chunk_size=3))["text"].tolist() == \
        [row["text"] for row in ROWS[:3]]


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_empty_csv_header_names_are_the_columns_a_whole_read_gives(make_project, tmp_path,
                                                                    engine):
    """Streamed, an empty name was the column "" (read whole, "Unnamed: 2"), and two empty
    names crashed the stream."""
    root = make_project(lfs={"names": FIELD_NAMES_LF}, gold=None)
    path = root / "data" / "items.csv"
    path.write_text("id,text,,plan,\nt1,refund,,pro,\nt2,crash,x,free,\n")
    loaded = load_project(root)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, engine=engine, root=root,
                      chunk_size=1)
    expected = applier.apply(read_dataset(loaded.config.data, loaded.labels)).matrix
    assert expected.column("field_names").tolist() == [0, 0]
    streamed = LabelMatrix.read_parquet(
        apply_file(applier, path, tmp_path / "matrix.parquet").path)
    assert (streamed.votes == expected.votes).all()


STARS_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def by_stars(item):
    if item.stars is None:
        return ABSTAIN
    assert type(item.stars) is int, type(item.stars)  # a failure, if not
    return {1: "technical", 5: "billing"}.get(item.stars, ABSTAIN)
'''


@pytest.mark.parametrize("chunk_size", [1, 2, 1000])
def test_parquet_ints_with_a_null_stay_ints_however_the_file_is_read(make_project, tmp_path,
                                                                       chunk_size):
    """Read whole, an int column with a null came as floats (1.0: no vote, or a failure);
    streamed, as ints in chunks without the null and floats in the chunk with it."""
    root = make_project(lfs={"stars": STARS_LF}, gold=None)
    path = root / "data" / "items.parquet"
    import pyarrow as pa

    pq.write_table(pa.table({"id": ["a", "b", "c", "d"], "text": ["w", "x", "y", "z"],
                             "stars": pa.array([1, None, 5, 3], type=pa.int64())}), path)
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace("data/items.csv", "data/items.parquet"))
    loaded = load_project(root)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=chunk_size)
    whole = applier.apply(read_dataset(loaded.config.data, loaded.labels))
    assert not whole.failures
    assert whole.matrix.column("by_stars").tolist() == [1, -1, 0, -1]
    streamed = apply_file(applier, path, tmp_path / "matrix.parquet")
    assert not streamed.failures
    assert (LabelMatrix.read_parquet(streamed.path).votes == whole.matrix.votes).all()



def test_a_header_naming_a_column_as_pandas_would_name_an_empty_one(make_project, tmp_path):
    """'Unnamed: 2' given and an empty third name: two columns of one name crashed the
    stream; read whole, the second is 'Unnamed: 2.1'."""
    root = make_project(gold=None)
    path = root / "data" / "items.csv"
    path.write_text("id,text,Unnamed: 2,\nt1,refund,x,y\n")
    frames = list(iter_frames(path))
    assert list(frames[0].columns) == ["id", "text", "Unnamed: 2", "Unnamed: 3"]
    for header in ("id,text,Unnamed: 3,", "id,text,,Unnamed: 2", "a,,Unnamed: 1,Unnamed: 1.1"):
        path.write_text(f"{header}\n" + ",".join(["v"] * 4) + "\n")
        expected = list(pd.read_csv(path).columns)  # as a whole-file read names them
        assert list(next(iter(iter_frames(path))).columns) == expected, header


def test_float32_parquet_ids_read_the_same_streamed_and_whole(make_project, tmp_path):
    """A float32 id 1.1 read as '1.100000023841858' (float64's digits)."""
    root = make_project(rows=[{"id": "x", "text": "y"}])
    loaded = load_project(root)
    path = tmp_path / "items.parquet"
    pd.DataFrame({"id": np.array([1.1, 2.0, 2.5], dtype=np.float32),
                  "text": ["refund please", "app crashes", "hello"]}).to_parquet(path)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=2)
    whole = read_dataset(type(loaded.config.data)(path=path), loaded.labels)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")
    assert whole.ids == ["1.1", "2", "2.5"]
    assert LabelMatrix.read_parquet(result.path).item_ids == whole.ids


def test_a_streamed_parquet_file_with_a_repeated_column_name(make_project, tmp_path):
    """Streaming it raised AttributeError ('DataFrame' object has no attribute 'tolist')."""
    import pyarrow as pa

    root = make_project(rows=[{"id": "x", "text": "y"}])
    loaded = load_project(root)
    table = pa.table([pa.array(["1"]), pa.array(["a"]), pa.array(["b"])],
                     names=["id", "text", "text"])
    pq.write_table(table, tmp_path / "d.parquet")
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp)
    with pytest.raises(DataError, match=r"column name\(s\) 'text' appear more than once"):
        apply_file(applier, str(tmp_path / "d.parquet"), str(tmp_path / "m.parquet"))


def test_a_streamed_parquet_file_starts_no_more_workers_than_chunks(project, tmp_path,
                                                                     monkeypatch):
    """apply_file started every worker of the pool even for a file of one chunk."""
    import labelwright.apply.applier as applier_module  # Applier.start_engine makes it

    root, loaded = project
    asked = []
    real = applier_module.make_engine

    def spy(*args, **kwargs):
        asked.append(kwargs.get("chunks"))
        return real(*args, **kwargs)

    monkeypatch.setattr(applier_module, "make_engine", spy)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp,
                      glossaries=loaded.glossaries, chunk_size=len(ROWS) // 2 + 1)
    for fmt in ("parquet", "csv"):
        apply_file(applier, _write(tmp_path, fmt), tmp_path / f"{fmt}.parquet",
                   hidden_columns=("gold",))
    assert asked == [2, None]


def test_an_lf_file_saved_after_loading_stops_a_streamed_apply(project, tmp_path):
    """The workers of a streamed apply import the LF folder again: a module saved after
    the project was loaded gave votes of code the project does not describe."""
    from labelwright.errors import RunError

    root, _ = project
    loaded = load_project(root)
    module = next((root / "labeling_functions").glob("*.py"))
    module.write_text(module.read_text() + "\nEXTRA = 1\n")
    applier = loaded.applier(cache=False)
    out = tmp_path / "out.parquet"
    with pytest.raises(RunError, match=r"changed after the LFs were loaded \(before the LFs "
                                       r"were applied\)"):
        apply_file(applier, _write(tmp_path, "csv"), out, hidden_columns=("gold",))
    assert not out.exists()


@pytest.mark.parametrize(("content", "line", "row"), [
    ('id,text\n1,a\n2,b\n3,"oops\n4,d\n5,e\n', 4, 3),
    ('id,text\r\n1,"a ""quoted"" word"\r\n2,"never closed\r\n3,c\r\n', 3, 2),
    ('id,text\n1,"ok"\n2,"runs ""to"" the end', 3, 2),
    # not in the last column: read whole, it first looked like a row short of values
    ('id,text,plan\n1,a,pro\n2,"oops,free\n3,c,pro\n', 3, 2),
    ('id,text\n1,a\n"2,oops\n3,c\n', 3, 2),
])
def test_a_quote_the_file_ends_inside_is_one_error_on_every_path(project, tmp_path, content,
                                                                 line, row):
    """The streaming reader read every line after the quote into one text, without an
    error (rows 4 and 5 were lost); the whole-file reader gave pandas' own message."""
    root, loaded = project
    path = tmp_path / "d.csv"
    path.write_bytes(content.encode())
    expected = (f"{path}:{line}: row {row}: malformed CSV: a quoted value starts in this row "
                "and its closing quote never comes")
    whole, streamed = _errors(loaded, path, tmp_path / "out")
    assert expected in whole and expected in streamed
    assert not (tmp_path / "out" / "matrix.parquet").exists()


def test_a_header_name_with_a_space_is_shown_quoted_on_both_paths(project, tmp_path):
    """'columns present: id, text ' hid the space that made 'text' missing."""
    root, loaded = project
    path = tmp_path / "d.csv"
    path.write_text("id,text \n1,a\n")
    expected = (f"{path}: no text column 'text'; columns present: id, 'text ' (the header "
                "has 'text ', with spaces around it: remove them)")
    assert _errors(loaded, path, tmp_path / "out") == (expected, expected)


def test_parquet_lists_and_structs_are_the_same_values_whole_or_streamed(project, tmp_path):
    """A list<int64> or struct column with a null inside came as floats ([3.0], {'n': 3.0})
    read whole, and as ints in streamed chunks without a null: an LF comparing item.tags
    to 3 voted differently by how the file was read."""
    import pyarrow as pa

    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({
        "id": ["a", "b", "c", "d"], "text": ["x"] * 4,
        "tags": pa.array([[1, None], [2], [3], [4]], pa.list_(pa.int64())),
        "meta": pa.array([{"n": None}, {"n": 2}, {"n": 3}, {"n": 4}]),
        # a map came as a list of (key, value) pairs, where the README promises a dict
        "counts": pa.array([[("k", 1), ("j", None)], [], None, [("a", 4)]],
                           pa.map_(pa.string(), pa.int64()))}), path)
    expected = {"tags": [[1, None], [2], [3], [4]],
                "meta": [{"n": None}, {"n": 2}, {"n": 3}, {"n": 4}],
                "counts": [{"k": 1, "j": None}, {}, None, {"a": 4}]}
    whole = read_frame(path)
    streamed = pd.concat(list(iter_frames(path, chunk_size=2)), ignore_index=True)
    for frame in (whole, streamed):
        for column, values in expected.items():
            got = frame[column].tolist()
            assert got == values
            assert [type(x) for x in got[0]] == [type(x) for x in values[0]]


@pytest.mark.parametrize(("content", "line"), [
    (b"id,text,plan\r1,a,pro\r2,b\r3,c,free\r", 3),
    (b"id,text,plan\r\n1,\"a\rb\",pro\r\n2,b\r\n", 4),  # a \r in a value breaks its line too
])
def test_a_streamed_csv_error_counts_lines_ended_by_cr_as_lines(tmp_path, content, line):
    """With lines ended by \\r alone the streaming reader named line 1 for every row (it
    counted \\n only), where the whole-file reader names line 3."""
    path = tmp_path / "d.csv"
    path.write_bytes(content)
    expected = f"{path}:{line}: row 2: malformed CSV: 2 values where the header has 3"
    for read in (read_frame, lambda path: list(iter_frames(path))):
        with pytest.raises(DataError, match=re.escape(expected)):
            read(path)


def test_a_parquet_list_column_named_twice_is_the_usual_error(project, tmp_path):
    """Making list columns Python lists looked columns up by name, and a name given twice
    raised pyarrow's KeyError before the check that names the column."""
    import pyarrow as pa

    root, loaded = project
    path = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_arrays(
        [pa.array(["a", "b"]), pa.array(["x", "y"]), pa.array([[1], [2]]),
         pa.array([[3], [4]])], names=["id", "text", "tags", "tags"]), path)
    with pytest.raises(DataError, match="'tags' appear more than once"):
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), path,
                   tmp_path / "out" / "matrix.parquet")


def test_a_parquet_map_with_a_key_twice_keeps_the_last_value_and_says_so(tmp_path):
    """pyarrow's own warning named no column, and other warnings of the conversion were
    taken for it. The frame says the rows (the dataset's warnings name them: see
    tests/data/test_parquet_format.py), no Python warning does."""
    import warnings

    import pyarrow as pa

    from labelwright.data.parquet_format import KEY_TWICE

    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({
        "id": ["a", "b"], "text": ["x", "y"],
        "counts": pa.array([[("k", 1), ("k", 2)], [("j", 3)]],
                           pa.map_(pa.string(), pa.int64()))}), path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        frame = read_frame(path)
    assert frame["counts"].tolist() == [{"k": 2}, {"j": 3}]
    assert frame.attrs[KEY_TWICE] == {"counts": [0]}
    assert not caught, [str(w.message) for w in caught]


# texts an item keeps as empty: an empty value, only spaces, a missing key or null
EMPTY_ROWS = {2: "", 5: None, 9: "   ", 13: "", 17: None, 21: "\t"}


def _with_empty_texts(folder, fmt, n=23):
    """``n`` items, those at EMPTY_ROWS (0-based) with an empty or missing text: they fall
    in several chunks of 4; a JSONL file has blank lines, so lines and rows differ."""
    rows = [{"id": f"e{i}", "text": EMPTY_ROWS.get(i, f"refund {i}")} for i in range(n)]
    path = folder / f"empty.{fmt}"
    if fmt == "csv":  # None: an empty value; the others quoted
        path.write_text("id,text\n" + "".join(
            f"{r['id']},{'' if r['text'] is None else chr(34) + r['text'] + chr(34)}\n"
            for r in rows))
    elif fmt == "parquet":
        pd.DataFrame(rows).to_parquet(path, index=False)
    else:  # a missing text as a missing key, then as null
        path.write_text("".join(
            json.dumps({k: v for k, v in r.items() if v is not None or i > 10}) + "\n"
            + ("\n" if i % 4 == 0 else "") for i, r in enumerate(rows)))
    return path


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_streamed_empty_texts_are_warned_of_as_a_whole_read_says_it(project, tmp_path, fmt):
    """A stream kept empty or missing texts and said nothing of them, where a project's
    dataset read whole lists them in a warning."""
    root, loaded = project
    path = _with_empty_texts(tmp_path, fmt)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=4)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")
    whole = read_dataset(type(loaded.config.data)(path), loaded.labels)

    assert result.rows == 23 and result.empty_texts == len(EMPTY_ROWS)
    assert result.warnings == whole.warnings
    assert result.warnings == [
        f"{path}: 6 empty or missing texts in column 'text': row 3 (id 'e2'), row 6 "
        "(id 'e5'), row 10 (id 'e9'), row 14 (id 'e13'), row 18 (id 'e17') and 1 more; they "
        "are kept (a missing text as \"\", one of only spaces as written): LFs that read "
        "the words find none there, LFs that read other columns still vote"]
    assert LabelMatrix.read_parquet(result.path).item_ids == [f"e{i}" for i in range(23)]


def test_a_stream_without_empty_texts_warns_of_nothing(project, tmp_path):
    root, loaded = project
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=4)
    result = apply_file(applier, _write(tmp_path, "csv"), tmp_path / "matrix.parquet")
    assert result.empty_texts == 0 and result.warnings == []


def test_streamed_long_texts_are_warned_of_as_a_whole_read_says_it(project, tmp_path,
                                                                   monkeypatch):
    """A whole read warns of texts longer than LONG_TEXT characters (spaCy's limit); a
    stream kept them and said nothing. Seven of them over chunks of 4: five named."""
    from labelwright.data import text_notes

    monkeypatch.setattr(text_notes, "LONG_TEXT", 12)
    root, loaded = project
    texts = ["refund please" if i % 3 == 0 else "ok" for i in range(20)]
    texts[4] = ""
    path = tmp_path / "long.csv"
    path.write_text("id,text\n" + "".join(f"L{i},{t}\n" for i, t in enumerate(texts)))
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=4)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")
    whole = read_dataset(type(loaded.config.data)(path), loaded.labels)

    assert (result.long_texts, result.empty_texts) == (7, 1)
    assert result.warnings == whole.warnings
    assert result.warnings[0] == (
        f"{path}: 7 texts longer than 12 characters: row 1 (id 'L0', 13 characters), row 4 "
        "(id 'L3', 13 characters), row 7 (id 'L6', 13 characters), row 10 (id 'L9', 13 "
        "characters), row 13 (id 'L12', 13 characters) and 2 more; kept: the blank pipeline "
        "parses any length, with memory and time, and a named pipeline refuses a text longer "
        "than its max_length")
    assert result.warnings[1].startswith(f"{path}: 1 empty or missing text in column 'text': "
                                         "row 5 (id 'L4'); ")


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_many_streamed_empty_texts_are_counted_and_the_first_named(project, tmp_path, engine):
    """Thousands of empty texts over dozens of chunks: one warning, of bounded length,
    naming the file's first five by their rows over the whole file."""
    root, loaded = project
    n = 20_000
    path = tmp_path / "many.csv"
    path.write_text("id,text\n0,refund\n" + "".join(f"{i},\n" for i in range(1, n)))
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=250,
                      engine=engine, workers=2, root=root)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")

    assert result.empty_texts == n - 1
    [warning] = result.warnings
    assert warning.startswith(f"{path}: 19,999 empty or missing texts in column 'text': "
                              "row 2 (id '1'), row 3 (id '2'), row 4 (id '3'), "
                              "row 5 (id '4'), row 6 (id '5') and 19,994 more; ")
    assert len(warning) < 400


def _whole_warnings(loaded, path):
    """The warnings of ``path`` read whole as a project's dataset, with those the run adds
    of its LFs (a column compared with a number)."""
    from labelwright.project import apply_project

    dataset = read_dataset(type(loaded.config.data)(path), loaded.labels)
    apply_project(loaded, dataset)
    return dataset.warnings


@pytest.mark.parametrize("engine", ["local", "processes"])
def test_a_column_of_numbers_and_text_is_said_as_a_whole_read_says_it(make_project, tmp_path,
                                                                      engine):
    """A stream said nothing of a column holding 5 in some rows and "5" in others, nor of
    the LF comparing it with 5, which misses the text rows: a whole read and its run say
    both, counted over every row. The texts fall in the 2nd and 4th chunks of 4."""
    root = make_project(lfs={"stars": STARS_LFS})
    loaded = load_project(root)
    text_at = {5, 13}
    rows = [{"id": f"s{i}", "text": f"item {i}", "stars": str(5) if i in text_at else 5,
             "seats": 30 + i} for i in range(15)]
    path = tmp_path / "stars.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=4,
                      engine=engine, workers=2, root=root)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")

    mixed = (f"{path}: column 'stars' holds numbers in 13 rows and text in 2 rows (first "
             "text: row 6, '5'): an LF sees a number and the same number written as text")
    compared = (f"{root / 'labeling_functions' / 'stars.py'}:7: LF five_stars compares "
                "x.stars with the number 5, but column 'stars' holds text in 2 rows (first: "
                "row 6, '5') and numbers in 13 rows: text is never equal to a number")
    assert [w[:len(mixed)] for w in result.warnings if "holds numbers" in w] == [mixed]
    assert [w[:len(compared)] for w in result.warnings if "LF five_stars" in w] == [compared]
    # word for word what the whole read and its run say (seats are numbers: no order
    # comparison of text)
    assert result.warnings == _whole_warnings(loaded, path)
    assert len(result.warnings) == 2
    # each with the kind a run gives it (the data reader's `data`): a stream's had none
    from labelwright.warning_kinds import kinded_as, warning_kind

    assert [warning_kind(w) for w in result.warnings] == ["data", "lf_code"]
    assert [warning_kind(w) for w in kinded_as("data", _whole_warnings(loaded, path))] == [
        "data", "lf_code"]


def test_a_csv_column_compared_with_a_number_is_said_as_a_whole_read_says_it(make_project,
                                                                             tmp_path):
    """In a CSV file every value is text: `x.stars == 5` never votes, and `x.seats > "40"`
    orders numbers as text ("100" < "40"). A whole read's run says both; a stream said
    neither."""
    root = make_project(lfs={"stars": STARS_LFS})
    loaded = load_project(root)
    path = tmp_path / "stars.csv"
    path.write_text("id,text,stars,seats\n" + "".join(
        f"c{i},item {i},{i % 5 + 1},{'n/a' if i == 9 else 35 + i}\n" for i in range(15)))
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=4)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")

    lfs_file = root / "labeling_functions" / "stars.py"
    assert result.warnings == _whole_warnings(loaded, path)
    assert [w.split(": convert")[0].split(": compare")[0] for w in result.warnings] == [
        f"{lfs_file}:7: LF five_stars compares x.stars with the number 5, but column 'stars' "
        "holds text (e.g. '1'), which is never equal to a number",
        f"{lfs_file}:12: LF many_seats compares x.seats with '40' by >, but column 'seats' "
        "holds text (e.g. '35'), which is ordered character by character ('100' < '40'), "
        "not by value"]
    assert "1 of the 15 values read is no number (e.g. 'n/a')" in result.warnings[1]


def test_a_column_whose_first_text_is_in_a_late_chunk_is_named_by_its_file_row(make_project,
                                                                               tmp_path):
    """Numbers in most rows, text in one row of the last chunk and lists in another: the
    row named is the file's, the number of each kind counted over every chunk; a column
    of numbers and lists, with no text, is said of by neither read."""
    root = make_project(lfs={"stars": STARS_LFS})
    loaded = load_project(root)
    rows = [{"id": f"t{i}", "text": "x", "stars": 4, "tags": [i] if i % 2 else i}
            for i in range(11)]
    rows[10]["stars"] = "four"
    rows[3]["stars"] = [4]
    path = tmp_path / "late.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" + ("\n" if i == 1 else "")
                            for i, r in enumerate(rows)))
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=3)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")

    [said] = result.warnings
    assert said.startswith(f"{path}: column 'stars' holds numbers in 9 rows and text in 1 "
                           "row (first text: row 11, 'four'): ")
    # "four" spells no number: the comparison with 5 is right not to match it
    assert result.warnings == _whole_warnings(loaded, path)


NFD = "cafe\u0301"  # "café" as "e" plus a combining accent


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
@pytest.mark.parametrize("engine", ["local", "processes"])
def test_ids_that_look_alike_and_a_column_named_doc_are_said_as_a_whole_read_says_them(
        make_project, tmp_path, fmt, engine):
    """A stream said nothing of ids with spaces around them, of ids that are one id in
    other Unicode forms, nor of a column an LF cannot read as item.<name>, where a
    project's whole read and run say all three. Six spaced ids over chunks of 3 (five
    named), twins in other chunks than each other."""
    from dataclasses import replace

    from labelwright.project.apply import project_dataset

    root = make_project()
    loaded = load_project(root)
    ids = [f"d{i}" + (" " if i % 3 == 1 else "") for i in range(20)]
    ids[4], ids[11], ids[17], ids[18] = "café", NFD, "\u212b", "\u00c5"  # Angstrom sign, Å
    path = tmp_path / f"ids.{fmt}"
    rows = [{"id": i, "text": "refund" if k % 2 else "app", "doc": "x"}
            for k, i in enumerate(ids)]
    if fmt == "csv":
        pd.DataFrame(rows).to_csv(path, index=False)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=3,
                      engine=engine, workers=2, root=root)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")
    config = replace(loaded.config, data=type(loaded.config.data)(path))

    assert result.warnings == project_dataset(config).warnings
    spaced, twins, doc = result.warnings
    assert spaced.startswith(f"{path}: 6 id(s) in column 'id' have spaces around them, ")
    assert spaced.endswith("'d1 ' (row 2), 'd7 ' (row 8), 'd10 ' (row 11), 'd13 ' (row 14), "
                           "'d16 ' (row 17) and 1 more")
    assert ("2 group(s) of ids in column 'id' are one id written in other Unicode forms "
            "(equal after NFC normalisation), kept as distinct items: 'caf\\xe9' (row 5) and "
            "'cafe\\u0301' (row 12), '\\u212b' (row 18) and '\\xc5' (row 19); ") in twins
    assert doc.startswith(f"{path}: column(s) 'doc' share a name with what an item has itself")


def test_a_parquet_map_with_a_key_twice_is_said_by_a_stream_as_a_whole_read_says_it(
        make_project, tmp_path):
    """The rows of a map giving a key twice went into the dataset's warnings, but a stream
    said nothing of them (before, a Python warning naming no row). Seven such rows over
    chunks of 3, two columns: counted over the file, the first five named."""
    from dataclasses import replace

    import pyarrow as pa

    from labelwright.project.apply import project_dataset

    root = make_project()
    loaded = load_project(root)
    twice = {1, 2, 5, 9, 10, 14, 19}
    path = tmp_path / "maps.parquet"
    pq.write_table(pa.table({
        "id": [f"m{i}" for i in range(20)], "text": ["refund"] * 20,
        "counts": pa.array([[("k", 1), ("k", 2)] if i in twice else [("k", i)]
                            for i in range(20)], pa.map_(pa.string(), pa.int64())),
        "tags": pa.array([[("a", 1), ("a", 1)] if i == 7 else [] for i in range(20)],
                         pa.map_(pa.string(), pa.int64()))}), path)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=3, root=root)
    result = apply_file(applier, path, tmp_path / "matrix.parquet")
    config = replace(loaded.config, data=type(loaded.config.data)(path))

    assert result.warnings == project_dataset(config).warnings
    counts, tags = result.warnings
    assert counts == (f"{path}: column 'counts' holds a map that gives a key more than once "
                      "in 7 rows: row 2 (id 'm1'), row 3 (id 'm2'), row 6 (id 'm5'), row 10 "
                      "(id 'm9'), row 11 (id 'm10') and 2 more; the item gets the key's last "
                      "value, as from a JSON object that names a key twice")
    assert tags.startswith(f"{path}: column 'tags' holds a map that gives a key more than "
                           "once in 1 row: row 8 (id 'm7');")


def test_a_parquet_map_with_a_key_twice_is_said_by_a_stream_past_rows_without_an_id(
        make_project, tmp_path):
    """Under bad_rows="skip" a row without an id is left out of the frame the stream
    reads; the rows whose map gives a key twice were numbered in the frame as read, so the
    stream named the row after the right one (row 4, id 'm3', for m2). Named as a whole
    read names them, the row without an id (which gives a key twice too) not counted."""
    import pyarrow as pa

    from labelwright.data.dataset import dataset_from_frame

    root = make_project()
    loaded = load_project(root)
    path = tmp_path / "maps.parquet"
    pq.write_table(pa.table({
        "id": [None, "m1", "m2", "m3"], "text": ["refund"] * 4,
        "counts": pa.array([[("k", 1), ("k", 2)] if i in (0, 2) else [("k", i)]
                            for i in range(4)], pa.map_(pa.string(), pa.int64()))}), path)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=2, root=root)
    result = apply_file(applier, path, tmp_path / "matrix.parquet", bad_rows="skip")
    whole = dataset_from_frame(read_frame(path), id_column="id", text_column="text",
                               labels=loaded.labels, source=str(path), bad_rows="skip")

    said = [w for w in result.warnings if "column 'counts'" in w]
    assert said == [w for w in whole.warnings if "column 'counts'" in w]
    assert said == [f"{path}: column 'counts' holds a map that gives a key more than once "
                    "in 1 row: row 3 (id 'm2'); the item gets the key's last value, as from "
                    "a JSON object that names a key twice"]


def test_a_streamed_file_says_every_bad_row_as_a_whole_read_does(project, tmp_path):
    """UX41: the stream stopped at its first bad row; a whole read named them all, one kind
    a line. Bad rows early and late, in chunks of 10: the two errors are one."""
    root, loaded = project
    path = tmp_path / "items.csv"
    rows = [f"{i},text number {i}" for i in range(60)]
    rows[2] = "2,a,b"  # early: a record of 3 values
    rows[5] = ",no id"
    rows[47] = "47,x,y,z"  # late, past several chunks
    rows[49] = ",no id either"
    rows[58] = ",nor here"
    path.write_text("id,text\n" + "\n".join(rows) + "\n")
    (tmp_path / "out").mkdir()
    whole, streamed = _errors(loaded, path, tmp_path / "out")
    assert _same_but_hint(whole, streamed)
    first, more, hint, no_ids, kinds = streamed.split("\n")
    assert first.startswith(f"{path}:4: row 3: malformed CSV: 3 values where the header has 2")
    assert more.startswith(f"  and 1 more row that cannot be read: {path}:49: row 48: ")
    assert hint == '  (bad_rows="skip" leaves such rows out instead, each listed in the ' \
        "result's skipped_rows)"  # apply_file's argument, after the rows it leaves out
    assert no_ids.startswith(f"{path}:7: 3 rows have no id in column 'id': rows 6, 50, 59")
    assert kinds == f"(2 kinds of problem in {path}, all found in one read: fix them together)"
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=10)
    with pytest.raises(DataError) as caught:
        apply_file(applier, path, tmp_path / "out" / "matrix.parquet")
    assert str(caught.value) == streamed  # whatever the chunks
    assert list((tmp_path / "out").iterdir()) == []  # no matrix of the rows before


def test_the_way_out_a_bad_row_error_names_reads_the_file(project, tmp_path):
    """A streamed bad row ends with apply_file's own argument (a RowError still, the type a
    caller may catch), and that argument reads the file, the row listed in the result."""
    root, loaded = project
    path = tmp_path / "items.jsonl"
    path.write_text('{"id": "a", "text": "refund please"}\n{"id": "b", "text": \n'
                    '{"id": "c", "text": "late delivery"}\n')
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries)
    with pytest.raises(RowError) as caught:
        apply_file(applier, path, tmp_path / "matrix.parquet")
    assert str(caught.value).startswith(f"{path}:2: malformed JSON: ")
    assert str(caught.value).endswith(PYTHON_HINT)
    result = apply_file(applier, path, tmp_path / "matrix.parquet", bad_rows="skip")
    assert result.rows == 2 and [(r.line, r.row) for r in result.skipped_rows] == [(2, 2)]
    # the warning names the argument the caller gave, not the [data] setting it never wrote
    [said] = [w for w in result.warnings if "skipped" in w]
    assert said.startswith(f'{path}: 1 bad row skipped (bad_rows="skip"), not in the labels; '
                           "each is listed in the result's skipped_rows: line 2, row 2: "), said
    assert "[data]" not in said
