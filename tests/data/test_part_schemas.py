"""Parts of one dataset written otherwise: a column of another type in one part is said,
read whole or streamed, and a Parquet part that cannot be opened, or lacks the id or text
column, stops a stream before any LF runs, naming the part."""

import pandas as pd
import pyarrow.parquet as pq
import pytest

from labelwright import ABSTAIN, labeling_function
from labelwright.apply import Applier, apply_file
from labelwright.config.schema import DataConfig
from labelwright.data.dataset import read_dataset
from labelwright.errors import DataError

LABELS = ("spam", "ham")
CALLED: list[str] = []


@labeling_function()
def whatsapp(item):
    CALLED.append(item.id)
    return "ham" if item.channel == "whatsapp" else ABSTAIN


def _part(k, channel):
    return pd.DataFrame({"id": [f"m{k}-{i}" for i in range(3)],
                         "text": ["hi there", "WIN cash now", "see you"],
                         "channel": channel})


def _parts(folder, frames):
    folder.mkdir(parents=True, exist_ok=True)
    for k, frame in enumerate(frames):
        frame.to_parquet(folder / f"part-{k:05d}.parquet", index=False)
    return folder


def _stream(folder, out):
    CALLED.clear()
    return apply_file(Applier([whatsapp], LABELS), folder, out)


TYPED_APART = ("column 'channel' holds numbers in 3 rows and text in 6 rows (first a "
               "number: part-00001.parquet: row 1, 2): an LF sees a number")


def test_a_column_of_another_type_in_one_part_is_said_read_whole(tmp_path):
    """Each part held one type, so no part warned, and an LF comparing the column with
    text never voted on the part of numbers, without a word."""
    folder = _parts(tmp_path / "parts", [_part(0, ["sms", "whatsapp", "rcs"]),
                                        _part(1, [2, 1, 3]),
                                        _part(2, ["sms", "sms", "whatsapp"])])
    said = [w for w in read_dataset(DataConfig(folder), LABELS).warnings
            if "holds numbers" in w]
    assert said == [w for w in said if w.startswith(f"{folder}: {TYPED_APART}")], said
    assert len(said) == 1


def test_a_column_of_another_type_in_one_part_is_said_streamed(tmp_path):
    folder = _parts(tmp_path / "parts", [_part(0, ["sms", "whatsapp", "rcs"]),
                                        _part(1, [2, 1, 3]),
                                        _part(2, ["sms", "sms", "whatsapp"])])
    said = [w for w in _stream(folder, tmp_path / "m.parquet").warnings
            if "holds numbers" in w]
    assert len(said) == 1 and said[0].startswith(f"{folder}: {TYPED_APART}"), said


def test_a_part_mixing_the_types_itself_is_said_once(tmp_path):
    folder = _parts(tmp_path / "parts", [_part(0, ["sms", "whatsapp", "rcs"])])
    (folder / "part-00001.jsonl").write_text(
        '{"id": "j1", "text": "x", "channel": 4}\n{"id": "j2", "text": "y", "channel": "sms"}\n')
    said = [w for w in read_dataset(DataConfig(folder), LABELS).warnings
            if "holds numbers" in w]
    assert len(said) == 1 and "part-00001.jsonl" in said[0], said


def test_parts_of_one_type_each_alike_say_nothing(tmp_path):
    folder = _parts(tmp_path / "parts", [_part(0, [1, 2, 3]), _part(1, [4, 5, 6])])
    assert not [w for w in read_dataset(DataConfig(folder), LABELS).warnings
                if "holds numbers" in w]


def _corrupt(path):
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def test_a_part_that_cannot_be_opened_stops_a_stream_before_any_lf_runs(tmp_path):
    """pyarrow's own error, naming no file, came once the parts before it were applied."""
    folder = _parts(tmp_path / "parts", [_part(k, ["sms"] * 3) for k in range(3)])
    _corrupt(folder / "part-00002.parquet")
    with pytest.raises(DataError) as raised:
        _stream(folder, tmp_path / "m.parquet")
    said = str(raised.value)
    assert said.startswith(f"{folder / 'part-00002.parquet'}: cannot read as Parquet: "), said
    assert said.endswith(f"(found in 1 of the 3 files of {folder} before any LF ran: mend "
                         "it, or leave it out of the files applied, naming the others with "
                         "a wildcard or a list)"), said
    assert CALLED == []
    assert not (tmp_path / "m.parquet").exists()


def test_parts_without_the_text_or_id_column_are_all_named_before_any_lf_runs(tmp_path):
    folder = _parts(tmp_path / "parts", [_part(0, ["sms"] * 3),
                                        _part(1, ["sms"] * 3).rename(columns={"text": "body"}),
                                        _part(2, ["sms"] * 3).drop(columns=["id"])])
    with pytest.raises(DataError) as raised:
        _stream(folder, tmp_path / "m.parquet")
    lines = str(raised.value).splitlines()
    assert lines[0] == (f"{folder / 'part-00001.parquet'}: no text column 'text'; columns "
                        "present: id, body, channel")
    assert lines[1].startswith(f"{folder / 'part-00002.parquet'}: no id column 'id'; ")
    assert lines[2].startswith("(found in 2 of the 3 files of ")
    assert CALLED == []


def test_one_parquet_file_that_cannot_be_opened_is_named(tmp_path):
    path = tmp_path / "items.parquet"
    _part(0, ["sms"] * 3).to_parquet(path, index=False)
    _corrupt(path)
    with pytest.raises(DataError, match=r"items\.parquet: cannot read as Parquet: "):
        _stream(path, tmp_path / "m.parquet")
    assert CALLED == []


def _corrupt_page(path):
    """12 rows in row groups of 6, the second group's texts overwritten: a footer that
    reads, and a page that does not."""
    frame = pd.concat([_part(k, ["sms"] * 3) for k in range(4)], ignore_index=True)
    frame.to_parquet(path, index=False, row_group_size=6, compression="snappy")
    meta = pq.ParquetFile(path).metadata
    column = meta.row_group(1).column(1)  # the second row group's texts
    data = bytearray(path.read_bytes())
    start = column.data_page_offset
    data[start + 4:start + column.total_compressed_size] = \
        b"\xff" * (column.total_compressed_size - 4)
    path.write_bytes(bytes(data))
    return path


def test_a_parquet_file_whose_data_cannot_be_read_is_named_with_the_rows_read(tmp_path):
    """A page corrupt on disk behind a whole footer was pyarrow's OSError mid-stream."""
    path = _corrupt_page(tmp_path / "items.parquet")
    with pytest.raises(DataError, match=r"items\.parquet: cannot read as Parquet \(after "
                                        r"its first 6 rows\): "):
        apply_file(Applier([whatsapp], LABELS, chunk_size=6), path, tmp_path / "m.parquet")
    assert not (tmp_path / "m.parquet").exists()


def test_a_dask_workers_partition_whose_data_cannot_be_read_is_named_with_its_rows(tmp_path):
    from labelwright.apply.partitions import file_spec, plan_partitions, read_partition

    path = _corrupt_page(tmp_path / "items.parquet")
    spec = file_spec(str(path), str(path), "parquet", id_column="id", text_column="text",
                     hidden=("id", "text"))
    first, second = plan_partitions(spec, 6)
    assert len(read_partition(first)[0]) == 6
    with pytest.raises(DataError, match=r"items\.parquet: cannot read as Parquet \(rows "
                                        r"7-12\): "):
        read_partition(second)


def test_a_part_a_run_cannot_read_as_parquet_is_said_with_the_way_out(tmp_path):
    folder = _parts(tmp_path / "parts", [_part(k, ["sms"] * 3) for k in range(3)])
    _corrupt(folder / "part-00001.parquet")
    with pytest.raises(DataError) as raised:
        read_dataset(DataConfig(folder), LABELS)
    said, compared = str(raised.value).rsplit("\n", 1)
    assert said.startswith(f"{folder / 'part-00001.parquet'}: cannot read as Parquet: "), said
    assert said.endswith(" (write the part again, or leave it out of the files read, naming "
                         "the others with a wildcard or a list)"), said
    assert compared == ("(ids compared across 2 of the 3 files: not those of "
                        "part-00001.parquet, which could not be read; an id in two files may "
                        "still be found once it is mended)")
