"""find_item gives an item as read_dataset gives it: the same text and the same fields,
value for value and type for type, in every format and with the settings that change
how a file reads."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from labelwright.config import DataConfig
from labelwright.data.dataset import read_dataset
from labelwright.data.item_lookup import find_item
from labelwright.errors import DataError

LABELS = ("neg", "pos")


def _plain(value: Any) -> Any:
    """A field value compared by value and type; NaN as a marker (NaN != NaN)."""
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    if value is None or value is pd.NA:
        return (repr(value),)
    return (type(value), value if not isinstance(value, np.ndarray) else value.tolist())


def _row(fields: pd.DataFrame, row: int) -> list[tuple[str, Any]]:
    part = fields.iloc[row:row + 1]
    return [(str(c), _plain(part[c].tolist()[0])) for c in part.columns]


def check_every_item(config: DataConfig) -> int:
    """Every item of ``config``'s file found alone is the whole read's; returns how many."""
    dataset = read_dataset(config, LABELS)
    for row, item_id in enumerate(dataset.ids):
        found = find_item(config, item_id)
        assert found is not None, item_id
        assert found.text == dataset.texts[row], item_id
        assert list(found.fields.columns) == list(dataset.fields.columns), item_id
        assert [str(d) for d in found.fields.dtypes] == [
            str(d) for d in dataset.fields.dtypes], item_id
        assert _row(found.fields, 0) == _row(dataset.fields, row), item_id
        # told the file's fields (as a run records them), the same
        told = find_item(config, item_id, fields=list(dataset.fields.columns))
        assert told is not None and told.text == found.text, item_id
        assert list(told.fields.columns) == list(dataset.fields.columns), item_id
        assert [str(d) for d in told.fields.dtypes] == [str(d) for d in found.fields.dtypes]
        assert _row(told.fields, 0) == _row(dataset.fields, row), item_id
    for absent in ("nope", " ", "", dataset.ids[0] + " ", dataset.ids[0].upper() + "x"):
        if absent not in dataset.ids:
            assert find_item(config, absent) is None, absent
    return len(dataset)


TRICKY_CSV = (
    '\ufeffid,text,note,stars,,gold\n'
    '1,"hello, world",a,5,x,pos\n'
    '01,"two\nlines ""quoted""",,3,,neg\n'
    '1.0,plain,"",,y,\n'
    ' 7 ,  spaced text  ,NA,null,,pos\n'
    'é,e acute composed,n,1,,\n'
    'e\u0301,e acute decomposed,n,1,,\n'
    'ID-1,case,n,2,,\n'
    'id-1,lower case,n,2,,\n'
    '42,,empty text,4,,neg\n'
    '"x,y","quoted id, with comma",n,0,,\n'
)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_csv_with_quotes_newlines_bom_and_lookalike_ids(tmp_path: Path, newline: str) -> None:
    path = tmp_path / "items.csv"
    path.write_bytes(TRICKY_CSV.replace("\n", newline).encode("utf-8"))
    assert check_every_item(DataConfig(path=path, gold_column="gold")) == 10


def test_csv_with_lone_carriage_returns(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_bytes(b"id,text,note\r1,a,\r2,\"b\rc\",x\r\r3,d,y\r")
    assert check_every_item(DataConfig(path=path)) == 3


def test_csv_across_many_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from labelwright.data import item_lookup

    monkeypatch.setattr(item_lookup, "CSV_BLOCK", 256)  # many blocks, records across them
    path = tmp_path / "items.csv"
    rows = [f'{i},"text {i}\nline {i}, with comma",{"" if i % 7 == 0 else i * 3}'
            for i in range(300)]
    path.write_text("id,text,n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert check_every_item(DataConfig(path=path)) == 300


@pytest.mark.parametrize("quoting", ["none", "csv", "auto"])
def test_tsv_quoting(tmp_path: Path, quoting: str) -> None:
    path = tmp_path / "items.tsv"
    path.write_text('id\ttext\tnote\n1\t"Hi" she said\tx\n2\t"quoted"\t\n3\tplain\t"n"\n'
                    if quoting == "none" else
                    'id\ttext\tnote\n1\t"Hi, she said"\tx\n2\t"quoted"\t\n3\tplain\t"n"\n',
                    encoding="utf-8")
    assert check_every_item(DataConfig(path=path, quoting=quoting)) == 3


def test_csv_without_header_and_own_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text('a;one;"x;y"\nb;"two\nlines";\nc;three;z\n', encoding="utf-8")
    config = DataConfig(path=path, columns=("id", "text", "note"), delimiter=";")
    assert check_every_item(config) == 3


def test_csv_bad_rows_skipped(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text("id,text,note\n1,a,x\n2,b\n,no id,z\n   ,spaces id,z\n3,c,y,extra\n4,d,w\n",
                    encoding="utf-8")
    config = DataConfig(path=path, bad_rows="skip")
    assert check_every_item(config) == 2
    assert find_item(config, "2") is None  # a row of too few values is left out
    assert find_item(config, "3") is None


def test_jsonl_numbers_as_ids_and_keys_in_later_rows(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    rows = [{"id": 17.0, "text": "float id", "stars": 5},
            {"id": 18, "text": None, "stars": None, "tags": ["a", 1]},
            {"id": "19", "text": "string id", "meta": {"k": [1, None]}},
            {"id": "e\u0301", "text": "decomposed", "stars": 2.5},
            {"id": "\u00e9", "text": "composed", "late": True},
            {"id": 1e3, "text": "exponent"}]
    escaped = b'{"id": "r\\u0035x", "text": "an id written with an escape"}\n'
    path.write_bytes(b"\xef\xbb\xbf" + "\n\n".join(json.dumps(r) for r in rows).encode()
                     + b"\n" + escaped)
    assert check_every_item(DataConfig(path=path)) == 7
    assert find_item(DataConfig(path=path), "r5x", fields=["stars", "tags", "meta", "late"])
    assert find_item(DataConfig(path=path), "17.0") is None  # the whole read says "17"
    assert find_item(DataConfig(path=path), "1000") is not None


def test_jsonl_bad_rows_skipped(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text('{"id": "a", "text": "x"}\nnot json\n{"text": "no id"}\n'
                    '{"id": "b", "text": "y", "n": 1}\n', encoding="utf-8")
    assert check_every_item(DataConfig(path=path, bad_rows="skip")) == 2


@pytest.mark.parametrize("ids", [
    ["a", "b", "A", "a "],
    [1, 2, 30, -4],
    [1.0, 2.5, 3.0, 4.25],
    pd.array([1, 2, None, 4], dtype="Int64"),
])
@pytest.mark.parametrize("group_rows", [1, 3])
def test_parquet_ids_and_field_types(tmp_path: Path, ids: Any, group_rows: int) -> None:
    path = tmp_path / "items.parquet"
    frame = pd.DataFrame({
        "id": ids,
        "text": ["one", None, "three", "four"],
        "stars": pd.array([5, None, 3, 1], dtype="Int64"),
        "score": [0.5, float("nan"), 1.0, 2.0],
        "flag": pd.array([True, None, False, True], dtype="boolean"),
        "tags": [["x"], [], None, ["y", "z"]],
        "when": pd.to_datetime(["2026-01-01", None, "2026-03-01", "2026-04-01"]),
        "kind": pd.Categorical(["p", "q", "p", None]),
        "gold": ["pos", None, "neg", "pos"],
    })
    frame.to_parquet(path, row_group_size=group_rows)
    bad_rows = "skip" if any(pd.isna(i) for i in ids) else "error"
    config = DataConfig(path=path, gold_column="gold", bad_rows=bad_rows)
    assert check_every_item(config) == 4 - (bad_rows == "skip")


def test_parquet_ids_in_the_index(tmp_path: Path) -> None:
    path = tmp_path / "items.parquet"
    pd.DataFrame({"id": ["a", "b", "c"], "text": ["x", "y", "z"], "n": [1, 2, 3]}
                 ).set_index("id").to_parquet(path, row_group_size=2)
    assert check_every_item(DataConfig(path=path)) == 3


def test_no_such_column(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text("id,text\n1,a\n", encoding="utf-8")
    assert find_item(DataConfig(path=path, id_column="key"), "1") is None
    assert find_item(DataConfig(path=path, text_column="body"), "1") is None


def test_csv_record_longer_than_a_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                        ) -> None:
    from labelwright.data import item_lookup

    monkeypatch.setattr(item_lookup, "CSV_BLOCK", 256)
    path = tmp_path / "items.csv"
    long = "word, " * 2000 + "\nend"
    path.write_text(f'id,text\na,short\nb,"{long}"\nc,after\n', encoding="utf-8")
    assert check_every_item(DataConfig(path=path)) == 3


def test_jsonl_told_its_fields_stops_at_the_item(tmp_path: Path) -> None:
    path = tmp_path / "items.jsonl"
    path.write_text('{"id": "a", "text": "x", "n": 1}\n{"id": "b", "text": "y", "m": 2}\n'
                    "not json\n", encoding="utf-8")
    config = DataConfig(path=path)
    found = find_item(config, "a", fields=["n", "m"])
    assert found is not None and _row(found.fields, 0) == [("n", (int, 1)), ("m", ("nan",))]
    with pytest.raises(DataError, match="malformed JSON"):  # read to the end otherwise
        find_item(config, "a")
    # a key the fields do not name: read on to the end for the others
    with pytest.raises(DataError, match="malformed JSON"):
        find_item(config, "b", fields=["n"])
