"""One read of a dataset says every problem it finds, one kind a line, in the order a read
meets them: the rows the reader cannot read, rows without an id, ids and texts of the wrong
type, repeated ids. A read that stopped at the first showed a file's problems one kind per
attempt (a walkthrough's JSONL export: the key given twice, then the missing ids, then the
text that is a number)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from labelwright.config import load_config
from labelwright.data.dataset import read_dataset
from labelwright.data.read_problems import ROWS_SHOWN, SKIP_HINTS
from labelwright.errors import DataError, RowError
from ticket_data import TICKETS

TOML = """[project]
name = "t"
labels = ["billing", "technical"]

[data]
path = "data/items.{fmt}"
id_column = "id"
text_column = "text"
{extra}
"""


def _read(tmp_path, fmt: str, data: str | bytes | pd.DataFrame, extra: str = ""):
    (tmp_path / "labelwright.toml").write_text(TOML.format(fmt=fmt, extra=extra))
    path = tmp_path / "data" / f"items.{fmt}"
    path.parent.mkdir(exist_ok=True)
    if isinstance(data, pd.DataFrame):
        data.to_parquet(path)
    else:
        path.write_text(data, encoding="utf-8")
    config = load_config(tmp_path)
    return path, lambda: read_dataset(config.data, config.labels)


def _good_jsonl(n: int = 100) -> list[str]:
    return [json.dumps({"id": f"t{i}", "text": TICKETS[i % len(TICKETS)]["text"]}) + "\n"
            for i in range(n)]


def test_every_kind_of_problem_of_a_jsonl_file_is_said_in_one_error(tmp_path):
    lines = _good_jsonl() + ['{"id": null, "text": "no id here"}\n',
                             '{"text": "no id key"}\n', '{"id": "x3", "text": 42}\n',
                             '{"id": "x4", "text": "a", "text": "b"}\n']
    path, read = _read(tmp_path, "jsonl", "".join(lines))
    with pytest.raises(DataError) as raised:
        read()
    assert str(raised.value).split("\n") == [
        f"{path}:104: key 'text' is given twice in one object; JSON readers keep only the "
        "last value, so the other would be lost: keep one",  # the error a read stopped at
        f"  ({SKIP_HINTS['config']})",  # the way to leave such rows out, after them
        f"{path}:101: 2 rows have no id in column 'id': rows 101, 102 (lines 101, 102); "
        "every item needs a unique id",
        f"{path}:103: row 103 (id 'x3'): the text in column 'text' is 42 (type int); a text "
        "must be a string (in JSON, in quotes) or missing",
        f"(3 kinds of problem in {path}, all found in one read: fix them together)"]


def test_a_single_problem_is_the_error_it_was(tmp_path):
    path, read = _read(tmp_path, "jsonl", "".join(
        _good_jsonl(5) + ['{"id": "x4", "text": "a", "text": "b"}\n']))
    with pytest.raises(RowError) as raised:  # its type kept too
        read()
    assert str(raised.value) == (f"{path}:6: key 'text' is given twice in one object; JSON "
                                 "readers keep only the last value, so the other would be "
                                 f"lost: keep one\n  ({SKIP_HINTS['config']})")
    assert raised.value.reason.startswith("key 'text' is given twice")


def test_many_of_a_kind_are_named_up_to_a_cap_and_counted(tmp_path):
    bad = 12
    lines = _good_jsonl(10) + [json.dumps({"id": f"n{i}", "text": i}) + "\n"
                               for i in range(bad)]
    lines += ["not json\n"] * 3
    path, read = _read(tmp_path, "jsonl", "".join(lines))
    with pytest.raises(DataError) as raised:
        read()
    said = str(raised.value).split("\n")
    assert said[0] == f"{path}:23: malformed JSON: Expecting value (column 1)"
    assert said[1] == (f"  and 2 more rows that cannot be read: {path}:24: row 24: malformed "
                       f"JSON: Expecting value (column 1); {path}:25: row 25: malformed JSON: "
                       "Expecting value (column 1)")
    assert said[2] == f"  ({SKIP_HINTS['config']})"
    said.pop(2)
    assert said[2].startswith(f"{path}:11: row 11 (id 'n0'): the text in column 'text' is 0 "
                              "(type int)")
    shown = "; ".join(f"{path}:{12 + i}: row {12 + i} (id 'n{1 + i}'): {1 + i} (type int)"
                      for i in range(ROWS_SHOWN))
    assert said[3] == (f"  and {bad - 1} more texts that are not strings: {shown}; and "
                       f"{bad - 1 - ROWS_SHOWN} more")
    assert said[4].startswith("(2 kinds of problem in ")


def test_a_csv_file_says_its_bad_records_missing_and_repeated_ids_together(tmp_path):
    rows = ["id,text\n", "a1,first\n", "a2,second,extra\n", ",no id\n", "a1,again\n",
            "a5,fine\n"]
    path, read = _read(tmp_path, "csv", "".join(rows))
    with pytest.raises(DataError) as raised:
        read()
    said = str(raised.value).split("\n")
    assert said[0].startswith(f"{path}:3: row 2: malformed CSV: 3 values where the header "
                              "has 2")
    assert said.pop(1) == f"  ({SKIP_HINTS['config']})"
    assert said[1] == f"{path}:4: row 3 has no id in column 'id'; every item needs a unique id"
    assert said[2] == (f"{path}:5: duplicate id 'a1' at rows 1 and 4 (lines 2 and 5); ids in "
                       "column 'id' must be unique")
    assert said[3].startswith("(3 kinds of problem in ")


def test_a_parquet_file_says_its_missing_ids_ids_of_another_type_and_repeats(tmp_path):
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"id": [None, "b", "b", "c", None],
                          "text": ["x", "y", "z", "w", "v"]})
    path, read = _read(tmp_path, "parquet", frame)
    with pytest.raises(DataError) as raised:
        read()
    said = str(raised.value).split("\n")
    assert said[0] == (f"{path}: 2 rows have no id in column 'id': rows 1, 5; every item "
                       "needs a unique id")
    assert said[1] == f"  ({SKIP_HINTS['config']})"
    assert said[2] == (f"{path}: duplicate id 'b' at rows 2 and 3; ids in column 'id' must "
                       "be unique")
    assert said[3].startswith("(2 kinds of problem in ")


@pytest.mark.parametrize("fmt, data, line", [
    ("csv", "id,text\na1,x\n,y\na3,z\n", 3),
    ("jsonl", '{"id": "a1", "text": "x"}\n{"text": "y"}\n{"id": "a3", "text": "z"}\n', 2)])
def test_rows_without_an_id_end_with_the_setting_that_leaves_them_out(tmp_path, fmt, data,
                                                                        line):
    """Rows that cannot be read ended with [data] bad_rows = "skip", which leaves them out;
    rows without an id, which it leaves out too, said nothing of it."""
    path, read = _read(tmp_path, fmt, data)
    with pytest.raises(DataError) as raised:
        read()
    assert str(raised.value).split("\n") == [
        f"{path}:{line}: row 2 has no id in column 'id'; every item needs a unique id",
        f"  ({SKIP_HINTS['config']})"]
    path, read = _read(tmp_path, fmt, data, extra='bad_rows = "skip"')
    assert read().ids == ["a1", "a3"]  # as the hint says


def test_skip_still_leaves_the_bad_rows_out_and_reports_the_rest(tmp_path):
    lines = _good_jsonl(5) + ['{"id": "x4", "text": "a", "text": "b"}\n', '{"text": "no id"}\n']
    _, read = _read(tmp_path, "jsonl", "".join(lines), extra='bad_rows = "skip"')
    dataset = read()
    assert len(dataset) == 5
    assert [(r.line, r.row) for r in dataset.skipped_rows] == [(6, 6), (7, 7)]


def test_every_id_of_another_type_is_named(tmp_path):
    lines = _good_jsonl(3) + [json.dumps({"id": [i], "text": "t"}) + "\n" for i in range(3)]
    path, read = _read(tmp_path, "jsonl", "".join(lines))
    with pytest.raises(DataError) as raised:
        read()
    assert str(raised.value).split("\n") == [
        f"{path}:4: row 4: the id in column 'id' is [0] (type list); an id must be a string "
        "or a number",
        f"  and 2 more such ids: {path}:5: row 5: [1] (type list); {path}:6: row 6: [2] "
        "(type list)"]


def test_the_hint_of_rows_that_cannot_be_read_is_said_in_the_callers_terms(tmp_path):
    """A project's data names the [data] setting, Python code the argument; nothing else."""
    from labelwright.data.read_problems import skip_hint

    assert skip_hint("config") == f"\n  ({SKIP_HINTS['config']})"
    assert 'bad_rows="skip"' in skip_hint("python") and "[data]" not in skip_hint("python")
    assert "local or processes engine" in skip_hint("dask")  # the dask engine refuses it
    with pytest.raises(ValueError, match="hints must be one of 'config', 'python', 'dask', "
                                         "got 'toml'"):
        skip_hint("toml")
