"""Parquet files read whole: a map that gives a key more than once is said with the
dataset's other warnings, naming the column, the rows and their ids."""

import warnings

import pyarrow as pa
import pyarrow.parquet as pq

from labelwright.config import DataConfig
from labelwright.data.dataset import dataset_from_frame, read_dataset, read_frame

LABELS = ("a", "b")


def _write(path, maps, ids=None, value_type=None):
    ids = ids or [f"i{k}" for k in range(len(maps))]
    pq.write_table(pa.table({
        "id": ids, "text": ["x"] * len(maps),
        "counts": pa.array(maps, value_type or pa.map_(pa.string(), pa.int64()))}), path)


def test_a_map_with_a_key_twice_is_a_dataset_warning_naming_rows_and_ids(tmp_path):
    """It was a Python UserWarning naming no row, not in dataset.warnings (nor the run's
    manifest and report)."""
    path = tmp_path / "d.parquet"
    _write(path, [[("k", 1), ("k", 2)], [("j", 3)], [("j", 1), ("j", 1)]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no Python warning
        dataset = read_dataset(DataConfig(path=path), LABELS)
    assert dataset.fields["counts"].tolist() == [{"k": 2}, {"j": 3}, {"j": 1}]
    said = [w for w in dataset.warnings if "more than once" in w]
    assert len(said) == 1, dataset.warnings
    assert said[0].startswith(f"{path}: column 'counts' holds a map that gives a key more "
                              "than once in 2 rows: row 1 (id 'i0'), row 3 (id 'i2');")
    assert "the key's last value" in said[0]


def test_a_key_twice_in_a_map_nested_in_a_list_is_found(tmp_path):
    path = tmp_path / "d.parquet"
    _write(path, [[[("k", 1)]], [[("k", 1)], [("j", 1), ("j", 2)]]],
           value_type=pa.list_(pa.map_(pa.string(), pa.int64())))
    dataset = read_dataset(DataConfig(path=path), LABELS)
    assert any("in 1 row: row 2 (id 'i1')" in w for w in dataset.warnings), dataset.warnings


def test_only_the_rows_kept_are_named_and_counted(tmp_path):
    """A row left out for its missing id (bad_rows = "skip") is not an item: not said."""
    path = tmp_path / "d.parquet"
    _write(path, [[("k", 1), ("k", 2)], [("j", 1), ("j", 2)]], ids=[None, "b"])
    frame = read_frame(path)
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS,
                                 bad_rows="skip")
    assert any("more than once in 1 row: row 2 (id 'b')" in w for w in dataset.warnings), \
        dataset.warnings


def test_a_map_without_a_key_twice_says_nothing(tmp_path):
    path = tmp_path / "d.parquet"
    _write(path, [[("k", 1), ("j", 2)], []])
    assert not any("more than once" in w
                   for w in read_dataset(DataConfig(path=path), LABELS).warnings)
