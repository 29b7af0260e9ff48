"""Planning and reading partitions of a file, as dask workers do (no cluster needed)."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labelwright.apply.file_blocks import iter_frames
from labelwright.apply.partitions import (
    chunk_from_frame,
    file_spec,
    plan_partitions,
    read_partition,
    run_partition,
)
from labelwright.errors import DataError

HIDDEN = ("id", "text")


def _spec(path: Path):
    kind = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}[path.suffix]
    return file_spec(str(path), str(path), kind, id_column="id", text_column="text",
                     hidden=HIDDEN)


def _items(path: Path, chunk_size: int) -> tuple[list[str], list[str]]:
    """Ids and texts read partition by partition."""
    ids: list[str] = []
    texts: list[str] = []
    for part in plan_partitions(_spec(path), chunk_size):
        frame, lines = read_partition(part)
        chunk = chunk_from_frame(frame, path=str(path), start=part.first_row, id_column="id",
                                 text_column="text", hidden=HIDDEN, lines=lines)
        assert chunk.start == len(ids) and len(chunk) == part.rows
        ids += chunk.ids
        texts += chunk.texts
    return ids, texts


def _csv_value(text: str, quote: bool) -> str:
    if quote or text.startswith('"') or any(c in text for c in ',\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text  # a quote inside an unquoted value is text


@settings(max_examples=150, deadline=None)
@given(rows=st.lists(st.tuples(st.text(alphabet='ab ,"\r\né', max_size=8), st.booleans(),
                               st.sampled_from(["\n", "\r\n"]), st.booleans()),
                     min_size=1, max_size=14),
       chunk_size=st.integers(1, 5))
def test_csv_partitions_start_at_records_whatever_the_quoting(rows, chunk_size):
    body = "id,text\n"
    for i, (text, quote, newline, blank) in enumerate(rows):
        body += ("\n" if blank else "") + f"{i},{_csv_value(text, quote)}{newline}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "items.csv"
        path.write_bytes(body.encode())
        ids, texts = _items(path, chunk_size)
        whole = pd.concat(list(iter_frames(path, chunk_size=chunk_size)), ignore_index=True)
    assert ids == [str(i) for i in range(len(rows))]
    assert texts == [text for text, *_ in rows]
    assert texts == [t if isinstance(t, str) else "" for t in whole["text"].tolist()]


def test_jsonl_partitions_skip_blank_lines_and_know_their_lines(tmp_path):
    path = tmp_path / "items.jsonl"
    lines = ["", json.dumps({"id": 1, "text": "a"}), "  ", json.dumps({"id": 2, "text": "b"}),
             json.dumps({"id": 3, "text": "c"}), "", "", json.dumps({"id": 4, "text": "d"})]
    path.write_text("\n".join(lines) + "\n")
    parts = list(plan_partitions(_spec(path), 2))
    assert [(p.first_row, p.rows, p.first_line) for p in parts] == [(0, 2, 1), (2, 2, 5)]
    assert [read_partition(p)[1] for p in parts] == [[2, 4], [5, 8]]
    assert _items(path, 2) == (["1", "2", "3", "4"], ["a", "b", "c", "d"])


def test_a_jsonl_line_of_only_a_bom_holds_no_item(tmp_path):
    """The planner counted a first line holding only the UTF-8 BOM as an item, the reader
    (which drops the BOM) as a blank line: 'planned 2 items, read 1' on Dask."""
    path = tmp_path / "items.jsonl"
    rows = [json.dumps({"id": i, "text": f"t{i}"}) for i in range(5)]
    path.write_bytes(b"\xef\xbb\xbf\n" + "\n".join(rows).encode() + b"\n")
    assert [p.rows for p in plan_partitions(_spec(path), 2)] == [2, 2, 1]
    assert _items(path, 2) == ([str(i) for i in range(5)], [f"t{i}" for i in range(5)])


def test_parquet_partitions_cross_row_groups(tmp_path):
    path = tmp_path / "items.parquet"
    table = pa.table({"id": [f"r{i}" for i in range(10)], "text": list("abcdefghij")})
    pq.write_table(table, path, row_group_size=3)
    parts = list(plan_partitions(_spec(path), 4))
    assert [(p.first_row, p.rows) for p in parts] == [(0, 4), (4, 4), (8, 2)]
    assert _items(path, 4) == ([f"r{i}" for i in range(10)], list("abcdefghij"))


def test_a_worker_refuses_a_file_it_cannot_read_or_that_changed(tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": "x"}) + "\n" for i in range(4)))
    part = next(plan_partitions(_spec(path), 2))
    with open(path, "a") as handle:
        handle.write(json.dumps({"id": 9, "text": "late"}) + "\n")
    with pytest.raises(DataError, match="the file changed during the run"):
        read_partition(part)
    path.unlink()
    with pytest.raises(DataError, match="storage that every worker can read"):
        read_partition(part)


@pytest.mark.parametrize("kind", ["csv", "jsonl"])
def test_a_worker_refuses_a_copy_of_the_file_of_the_same_size_with_other_bytes(tmp_path,
                                                                              kind):
    """A worker whose copy of the file had the planned size but other bytes (a row edited
    on the client's copy only) applied the LFs to its texts in silence."""
    path = tmp_path / f"items.{kind}"
    texts = ["refund now", "app crashed", "refund later", "it crashed"]
    path.write_text("id,text\n" + "".join(f"{i},{t}\n" for i, t in enumerate(texts))
                    if kind == "csv" else
                    "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)))
    first, second = plan_partitions(_spec(path), 2)
    path.write_bytes(path.read_bytes().replace(b"refund later", b"refund never"))
    read_partition(first)  # its bytes are the planned ones
    with pytest.raises(DataError, match=rf"items\.{kind}: the worker process \d+ \(host "
                       rf"[^)]+\) reads other bytes {second.start}-{second.stop} than the "
                       r"client planned \(for items 3-4; the file has the same size\): the "
                       r"worker reads another copy of the file at that path"):
        read_partition(second)


def test_a_worker_refuses_a_parquet_copy_of_the_same_size_with_another_footer(tmp_path):
    path = tmp_path / "items.parquet"

    def write(text: str) -> None:
        table = pa.table({"id": ["a", "b"], "text": ["refund now", text]})
        pq.write_table(table, path, compression="none", use_dictionary=False)

    write("app crashed")
    part = next(plan_partitions(_spec(path), 2))
    size = path.stat().st_size
    write("zzz crashed")  # another maximum in the footer's statistics, the same size
    assert path.stat().st_size == size
    with pytest.raises(DataError, match=r"items\.parquet: the worker process \d+ \(host [^)]+\) "
                       r"reads another footer \(schema, row groups, column statistics\) than "
                       r"the client planned \(for items 1-2; the file has the same size\)"):
        read_partition(part)


def test_an_empty_csv_names_the_file(tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("")
    with pytest.raises(DataError, match="items.csv: the file is empty; expected a header row"):
        _spec(path)


@pytest.mark.parametrize("chunk_size", [1, 2, 100])
def test_planning_names_a_quote_the_file_ends_inside(tmp_path, chunk_size):
    """The planner counted everything after an unclosed quote as one last record: a dask
    run read the rest of the file into one text."""
    path = tmp_path / "d.csv"
    path.write_text('id,text\n1,a\n2,b\n3,"oops\n4,d\n5,e\n')
    with pytest.raises(DataError, match=r"d.csv:4: row 3: malformed CSV: a quoted value "
                                        "starts in this row"):
        list(plan_partitions(_spec(path), chunk_size))


def _read_all_ways(path: Path, chunk_size: int, **settings) -> list[object]:
    """Rows (or the error) read whole, streamed and partition by partition."""
    from labelwright.data.formats import read_frame

    def rows(frames: list[pd.DataFrame]) -> list[list[str]]:
        if not frames:
            return []
        frame = pd.concat(frames, ignore_index=True).fillna("")
        return frame.astype(str).to_numpy().tolist()

    spec = file_spec(str(path), str(path), "tsv", id_column="id", text_column="text",
                     hidden=HIDDEN, **settings)
    ways = [lambda: [read_frame(path, "tsv", **settings)],
            lambda: list(iter_frames(path, "tsv", chunk_size=chunk_size, **settings)),
            # planned whole first, as apply_file plans them
            lambda: [read_partition(part)[0]
                     for part in list(plan_partitions(spec, chunk_size))]]
    out: list[object] = []
    for way in ways:
        try:
            out.append(rows(way()))
        except DataError as exc:
            out.append(str(exc))
    return out


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.text(alphabet='ab "\t\r\n', max_size=8), min_size=1, max_size=10),
       chunk_size=st.integers(1, 4), quoting=st.sampled_from(["auto", "none"]))
def test_tsv_quoting_reads_alike_on_every_path(texts, chunk_size, quoting):
    """Values with quotes anywhere, read "none" (every line a record, quotes kept) or
    "auto" (the same rows or the same error, whole, streamed and in partitions)."""
    body = "".join(f"{i}\t{text}\n" for i, text in enumerate(texts))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "items"
        path.write_bytes(body.encode())
        results = _read_all_ways(path, chunk_size, quoting=quoting, columns=["id", "text"])
    assert results[1:] == results[:1] * 2
    if quoting == "none":
        lines = [line for line in re.split("\r\n|\r|\n", body) if line]
        if all(line.count("\t") == 1 for line in lines):
            assert results[0] == [line.split("\t") for line in lines]
        else:
            assert isinstance(results[0], str) and "malformed TSV" in results[0]


def test_a_partition_sends_back_a_bounded_count_of_its_empty_texts(tmp_path):
    """However many empty texts a partition holds, a worker sends back their number and
    the first five, by file row; merged in any order, the parts give the file's first."""
    from labelwright.apply.core import ChunkRunner
    from labelwright.data.text_notes import TextNotes

    path = tmp_path / "items.csv"
    path.write_text("id,text\n" + "".join(f"{i},{'x' if i % 7 == 0 else ''}\n"
                                          for i in range(1000)))
    runner = ChunkRunner([], ("a", "b"))
    results = [run_partition(runner, part) for part in plan_partitions(_spec(path), 300)]
    empty = [i for i in range(1000) if i % 7]

    assert [r.text_notes.empty for r in results] == [
        sum(1 for i in empty if r.start <= i < r.start + 300) for r in results]
    assert all(r.text_notes.first_empty == [(i, str(i), 0) for i in empty if i >= r.start][:5]
               for r in results)
    merged = TextNotes()
    for result in reversed(results):
        merged.merge(result.text_notes)
    assert merged.empty == len(empty)
    assert merged.first_empty == [(i, str(i), 0) for i in empty[:5]]
