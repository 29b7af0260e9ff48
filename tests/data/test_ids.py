"""Repeated ids are one error naming each (up to a limit) with its rows and count; a frame
that is no DataFrame is a TypeError saying what is accepted."""

import re

import pandas as pd
import pytest

from labelwright.config import DataConfig
from labelwright.data import dataset_from_frame, read_dataset
from labelwright.data.read_problems import skip_hint
from labelwright.errors import DataError

LABELS = ("ham", "spam")


def _frame(ids):
    """Rows of ``ids``, each with its own text: repeated ids, not repeated rows."""
    return pd.DataFrame({"id": ids, "text": [f"t{k}" for k in range(len(ids))]})


def test_every_repeated_id_is_named_with_its_rows_and_count():
    """Several repeated ids named only the first: fixing it showed the next, one run each."""
    with pytest.raises(DataError) as info:
        dataset_from_frame(_frame(["a", "b", "a", "c", "b", "a", "a", "a", "a", "a"]),
                           id_column="id", text_column="text", labels=LABELS)
    assert str(info.value) == (
        "<DataFrame>: 2 ids in column 'id' are in more than one row, 9 rows in all: 'a' in "
        "7 rows (rows 1, 3, 6, 7, 8 and 2 more), 'b' in 2 rows (rows 2, 5); ids must be unique")


def test_one_id_in_several_rows_is_counted_as_one():
    """Said "1 id(s) ... are" and "rows 1, 2 and 3": the counts read as every message's."""
    with pytest.raises(DataError) as info:
        dataset_from_frame(_frame(["a", "a", "b", "a"]), id_column="id", text_column="text",
                           labels=LABELS)
    assert str(info.value) == (
        "<DataFrame>: 1 id in column 'id' is in more than one row, 3 rows in all: 'a' in 3 "
        "rows (rows 1, 2, 4); ids must be unique")


def test_past_the_limit_the_rest_are_counted():
    from labelwright.data.ids import DUPLICATES_SHOWN

    ids = [f"x{i}" for i in range(DUPLICATES_SHOWN + 3)] * 2
    with pytest.raises(DataError) as info:
        dataset_from_frame(_frame(ids), id_column="id", text_column="text", labels=LABELS)
    message = str(info.value)
    assert message.count(" in 2 rows (rows ") == DUPLICATES_SHOWN
    assert message.endswith(f"'x{DUPLICATES_SHOWN - 1}' in 2 rows (rows {DUPLICATES_SHOWN}, "
                            f"{2 * DUPLICATES_SHOWN + 3}); and 3 more repeated ids, in 6 "
                            "rows; ids must be unique")


def test_one_id_in_two_rows_is_said_as_before():
    with pytest.raises(DataError, match=re.escape("<DataFrame>: duplicate id 'a' at rows 1 and "
                                                  "3; ids in column 'id' must be unique")):
        dataset_from_frame(_frame(["a", "b", "a"]), id_column="id", text_column="text",
                           labels=LABELS)


def test_a_file_names_the_lines_of_every_repeated_id(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text('id,text\na,"two\nlines"\nb,y\na,z\n\nb,w\na,v\n', encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_dataset(DataConfig(path=path), LABELS)
    assert str(info.value) == (
        f"{path}:5: 2 ids in column 'id' are in more than one row, 5 rows in all: 'a' in 3 "
        "rows (rows 1, 3, 5 (lines 2, 5, 8)), 'b' in 2 rows (rows 2, 4 (lines 4, 7)); ids must "
        "be unique")


def test_a_streamed_file_names_them_as_a_file_read_whole(make_project, tmp_path):
    from labelwright.apply.stream import apply_file
    from labelwright.project import load_project

    project = load_project(make_project())
    path = tmp_path / "items.jsonl"
    path.write_text("".join(f'{{"id": "{i}", "text": "t{k}"}}\n' for k, i in enumerate("abcabda")))
    with pytest.raises(DataError) as whole:
        read_dataset(DataConfig(path=path), project.config.labels)
    with pytest.raises(DataError) as streamed:
        apply_file(project.applier(engine="local"), path, tmp_path / "m.parquet")
    assert str(streamed.value) == str(whole.value)
    assert "'a' in 3 rows (rows 1, 4, 7 (lines 1, 4, 7)), 'b' in 2 rows" in str(
        whole.value)


@pytest.mark.parametrize(("frame", "hint"), [
    ([{"id": "1", "text": "x"}], "got list; a list of rows or columns becomes one with "
                                 "pd.DataFrame(...)"),
    ({"id": ["1"], "text": ["x"]}, "got dict; a dict of rows or columns"),
    ("items.csv", "got str; read a file with labelwright.data.read_frame(path)"),
])
def test_a_frame_that_is_no_dataframe_says_what_is_accepted(frame, hint):
    """A list of dicts raised AttributeError: 'list' object has no attribute 'columns'."""
    with pytest.raises(TypeError, match=re.escape(
            f"dataset_from_frame: frame must be a pandas DataFrame, {hint}")):
        dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)


def test_every_row_without_an_id_is_named_as_repeated_ids_are(tmp_path):
    """The first empty id stopped the read, and fixing it showed the next, one run each."""
    path = tmp_path / "items.csv"
    path.write_text("id,text\na,t\n,t\nb,t\n  ,t\nc,t\n,t\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_dataset(DataConfig(path=path, id_column="id", text_column="text"), LABELS)
    assert str(info.value) == (
        f"{path}:3: 3 rows have no id in column 'id': rows 2, 4, 6 (lines 3, 5, 7); every "
        f"item needs a unique id{skip_hint('config')}")
    # one is said as it was
    with pytest.raises(DataError, match=r"<DataFrame>: row 2 has no id in column 'id'; every"):
        dataset_from_frame(_frame(["a", None]), id_column="id", text_column="text",
                           labels=LABELS)


def test_a_long_repeated_id_is_cut_with_its_length():
    long_id = "L" * 50_000
    for ids in ([long_id, long_id], [long_id, "b", long_id, "b"]):
        with pytest.raises(DataError) as info:
            dataset_from_frame(_frame(ids), id_column="id", text_column="text", labels=LABELS)
        said = str(info.value)
        assert len(said) < 400 and "'LLLL" in said and "... (50,000 characters)" in said


def test_only_numbers_are_taken_for_ids_written_as_floats():
    """``release-2.0`` is no float spelling of ``release-2``: the hint named it as one."""
    from labelwright.data.ids import float_spelt

    present = {"release-2", "v1.0", "17.0", "-3", "2"}
    assert float_spelt(["release-2.0", "v1", "17", "-3.0", "2.0"], present) == [
        ("17", "17.0"), ("-3.0", "-3"), ("2.0", "2")]


def test_a_row_in_the_file_twice_is_said_so_with_the_row_to_delete(tmp_path):
    """A nightly drop appended twice stopped the run with "ids must be unique", as if two
    items shared an id: the rows are one item written twice, and which to delete is known."""
    path = tmp_path / "d.csv"
    path.write_text("id,text,plan\na,x,pro\nb,y,\na,x,pro\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_dataset(DataConfig(path=path), LABELS)
    assert str(info.value) == (
        f"{path}:4: duplicate id 'a' at rows 1 and 3 (lines 2 and 4), the same in every "
        "column: one row in the file more than once (a drop appended or an export written "
        "again?): delete row 3 (line 4), or set [data] duplicate_rows = \"skip\" to keep the "
        "first of each, and run again; ids in column 'id' must be unique")
    path.write_text("id,text,plan\na,x,pro\nb,y,\na,x,free\n", encoding="utf-8")
    with pytest.raises(DataError) as info:  # another plan: two items, one id
        read_dataset(DataConfig(path=path), LABELS)
    assert "same in every column" not in str(info.value)


FRAME_FIX = ("one row in the frame more than once (parts that overlap, concatenated?): "
             "df.drop_duplicates() keeps the first of each (rows are counted from 1 in the "
             "frame's order: row n is df.iloc[n - 1])")


def test_rows_in_the_file_twice_among_repeated_ids_are_counted_and_named():
    frame = pd.DataFrame({"id": ["a", "b", "a", "b", "a"], "text": ["x", "y", "x", "z", "x"],
                          "tags": [["p"], None, ["p"], None, ["p"]]})
    said = [
        (frame, "<DataFrame>: 2 ids in column 'id' are in more than one row, 5 rows in all: "
                "'a' in 3 rows (rows 1, 3, 5), the same in every column, 'b' in 2 rows "
                f"(rows 2, 4); 2 rows of them are a copy of an earlier row, {FRAME_FIX}; the "
                "rows of 'b' differ, two items given one id, which df.drop_duplicates() does "
                "not mend: give each its own id, or delete the wrong row; ids must be unique"),
        # one id in two rows: said as one pair
        (frame.iloc[:3].drop(index=1), "<DataFrame>: duplicate id 'a' at rows 1 and 2, the "
                                       f"same in every column: {FRAME_FIX}; ids in column "
                                       "'id' must be unique"),
    ]
    for rows, expected in said:
        with pytest.raises(DataError) as info:
            dataset_from_frame(rows, id_column="id", text_column="text", labels=LABELS)
        assert str(info.value) == expected


def test_rows_of_one_id_in_two_pairs_of_copies_are_not_all_the_same():
    """Rows x, x, z, z of one id each have a twin, but are two texts: "the same in every
    column" and "3 rows ... a copy of an earlier row" told the user to delete row z too."""
    frame = pd.DataFrame({"id": ["a", "a", "a", "a"], "text": ["x", "x", "z", "z"]})
    with pytest.raises(DataError) as info:
        dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)
    said = str(info.value)
    assert "'a' in 4 rows" in said and "same in every column" not in said, said
    assert "copy of an earlier row" not in said, said


def test_same_rows_tells_each_repeated_id_apart_in_one_pass():
    """Every repeated id at once (a file appended to itself repeats them all): one row
    repeated is the same; twins of two rows (x, x, z, z) are not; lists compare as written."""
    from labelwright.data.ids import same_rows

    frame = pd.DataFrame({"id": ["a", "b", "a", "b", "c", "c", "c", "c"],
                          "text": ["x", "y", "x", "w", "x", "x", "z", "z"]})
    repeats = {"a": [0, 2], "b": [1, 3], "c": [4, 5, 6, 7]}
    assert same_rows(frame)(repeats) == {"a"}
    listed = frame.assign(tags=[["p"], ["q"], ["p"], ["q"], ["r"], ["r"], ["r"], ["r"]])
    assert same_rows(listed)(repeats) == {"a"}
    assert same_rows(listed.assign(text="x"))(repeats) == {"a", "b", "c"}
