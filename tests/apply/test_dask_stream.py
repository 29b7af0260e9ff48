"""Streaming a file on the dask engine: workers read their own partitions of the file.

The label matrix, failures and term hits equal a local run's, byte for byte; a bad row
is reported by its file row and line as a local run reports it. One shared two-worker
LocalCluster (``dask_scheduler``) serves every test here.
"""

from __future__ import annotations

import json
import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from labelwright.apply import Applier, apply_file
from labelwright.apply.dask_engine import DaskEngine
from labelwright.apply.partitions import Partition, run_partition
from labelwright.data.read_problems import skip_hint
from labelwright.errors import DataError
from labelwright.project import load_project
from ticket_data import BILLING_GLOSSARY, OPTIONAL_KEY_LFS, STARS_LFS, optional_key_rows
from ticket_data import TICKETS_WITH_NEGATION as TICKETS

pytest.importorskip("distributed")

LFS = '''
import os
from labelwright import ABSTAIN, labeling_function

with open({marker!r}, "a") as handle:  # one line per process that loads this module
    handle.write(f"{{os.getpid()}}\\n")


@labeling_function()
def mentions_refund(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def fragile(item):
    if "app" in item.text:
        raise ValueError("no apps here")
    return "technical" if item.plan == "free" else ABSTAIN


@labeling_function()
def long_words(item):
    return "technical" if any(len(t.text) > 7 for t in item.doc) else ABSTAIN
'''

# texts a CSV must quote: line breaks, commas, quotes; a stray quote; "NA", which is text
ODD = ["Refund, please:\n\"the app\" crashed", 'My 5" screen; no charge', "NA",
       "line one\r\nline two, with the invoice", ""]
ROWS = [dict(row, id=f"{row['id']}-{k}") for k in range(5) for row in TICKETS]
ROWS += [{"id": f"odd-{k}", "text": text, "plan": "free", "gold": ""}
         for k, text in enumerate(ODD)]
CHUNK = 4  # items per chunk and per partition: 9 partitions


@pytest.fixture
def project(make_project, tmp_path):
    marker = tmp_path / "loads.txt"
    root = make_project(rows=ROWS, lfs={"tickets": LFS.format(marker=str(marker))},
                        glossaries={"billing": BILLING_GLOSSARY})
    return root, load_project(root), marker


def _write(folder, fmt, rows=ROWS):
    frame = pd.DataFrame(rows)
    path = folder / f"items.{fmt}"
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "parquet":  # row groups of 7: partitions of 4 cross them
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path,
                       row_group_size=7)
    else:
        path.write_text("".join(json.dumps(r) + "\n" + ("\n" if i % 5 == 0 else "")
                                for i, r in enumerate(rows)))
    return path


def _applier(root, loaded, engine, scheduler=None):
    return Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, glossaries=loaded.glossaries,
                   engine=engine, scheduler=scheduler, root=root, chunk_size=CHUNK)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_workers_read_partitions_and_match_local_byte_for_byte(
        project, tmp_path, dask_scheduler, monkeypatch, fmt):
    root, loaded, marker = project
    source = _write(tmp_path, fmt)
    sent = []
    map_tasks = DaskEngine.map_tasks

    def spy(self, task, items):
        sent.append(task)
        return map_tasks(self, task, (sent.append(item) or item for item in items))

    monkeypatch.setattr(DaskEngine, "map_tasks", spy)
    local = apply_file(_applier(root, loaded, "local"), source, tmp_path / "local.parquet",
                       hidden_columns=("gold",))
    steps = []
    dask = apply_file(_applier(root, loaded, "dask", dask_scheduler), source,
                      tmp_path / "dask.parquet", hidden_columns=("gold",),
                      progress=steps.append)

    assert (tmp_path / "dask.parquet").read_bytes() == (tmp_path / "local.parquet").read_bytes()
    assert dask.rows == local.rows == len(ROWS) and sum(steps) == len(ROWS)
    app_rows = [r["id"] for r in ROWS if "app" in r["text"]]
    assert local.failures["fragile"].count == len(app_rows) > CHUNK
    assert local.failures["fragile"].item_ids == app_rows[:5]
    assert dask.failures == local.failures
    assert "no apps here" in dask.failures["fragile"].traceback
    assert dask.term_hits.equals(local.term_hits) and local.term_hits["hits"].sum() > 0
    assert dask.lf_counts == local.lf_counts
    # the workers were sent plans, never texts
    assert sent[0] is run_partition and len(sent) == 1 + len(steps) == 1 + 9
    assert all(isinstance(item, Partition) for item in sent[1:])
    # each worker process loaded the project once, not once per partition
    workers = [line for line in marker.read_text().split() if line != str(os.getpid())]
    assert 1 <= len(workers) <= 2 and len(set(workers)) == len(workers)


def test_finished_runs_leave_no_runner_on_the_workers(project, tmp_path, dask_scheduler):
    from distributed import Client

    from labelwright.apply import engines

    root, loaded, _ = project
    apply_file(_applier(root, loaded, "dask", dask_scheduler), _write(tmp_path, "parquet"),
               tmp_path / "matrix.parquet", hidden_columns=("gold",))
    with Client(dask_scheduler) as client:
        held = client.run(lambda: len(engines._RUNNERS))
    assert held and set(held.values()) == {0}


def _bad_jsonl(folder):
    lines = [json.dumps(r) for r in ROWS[:20]]
    lines[10] = '{"id": "broken", "text": "no closing brace"'  # row 11: partition 3
    lines.insert(3, "")  # a blank line: line numbers run one ahead of rows from here
    path = folder / "items.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path, "items.jsonl:12: malformed JSON"


def _bad_csv(folder):
    rows = [dict(r) for r in ROWS[:20]]
    rows[1]["text"] = "two\nlines"  # a quoted line break: lines run one ahead of rows
    path = _write(folder, "csv", rows)
    lines = path.read_text().split("\n")
    lines[11] = lines[11] + ",extra"  # line 12 holds row 10: partition 3
    path.write_text("\n".join(lines))
    return path, "items.csv:12: row 10: malformed CSV: 5 values where the header has 4"


def _bad_parquet(folder):
    rows = [dict(r) for r in ROWS[:20]]
    rows[9]["id"] = None  # row 10: partition 3
    return _write(folder, "parquet", rows), ("items.parquet: row 10 has no id in column 'id'; "
                                             "every item needs a unique id")


@pytest.mark.parametrize("bad", [_bad_jsonl, _bad_csv, _bad_parquet])
def test_a_bad_row_is_reported_by_its_file_row_and_line(project, tmp_path, dask_scheduler,
                                                        bad):
    root, loaded, _ = project
    source, expected = bad(tmp_path)
    messages = []
    for engine in ("local", "dask"):
        with pytest.raises(DataError) as caught:
            apply_file(_applier(root, loaded, engine, dask_scheduler), source,
                       tmp_path / f"{engine}.parquet", hidden_columns=("gold",))
        messages.append(str(caught.value))
    assert expected in messages[0]
    # the row said alike; the way out named on dask is an engine that takes bad_rows="skip"
    assert messages[1] == messages[0].replace(skip_hint("python"), skip_hint("dask"))
    assert skip_hint("dask") in messages[1]  # a row without an id too: "skip" leaves it out


def test_workers_see_every_jsonl_key_of_the_file(make_project, tmp_path, dask_scheduler):
    """A partition in which an optional key never appears still has it (the client reads
    the file's keys once), so an LF reading it votes as in a local run."""
    rows = optional_key_rows()
    root = make_project(rows=[{"id": "x", "text": "y"}], lfs={"optional": OPTIONAL_KEY_LFS},
                        root=tmp_path / "optional")
    loaded = load_project(root)
    source = tmp_path / "items.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    local = apply_file(_applier(root, loaded, "local"), source, tmp_path / "local.parquet")
    dask = apply_file(_applier(root, loaded, "dask", dask_scheduler), source,
                      tmp_path / "dask.parquet")
    assert dask.failures == local.failures == {}
    assert (tmp_path / "dask.parquet").read_bytes() == (tmp_path / "local.parquet").read_bytes()
    assert dask.lf_counts == {"has_note": 3, "first_priority": 4}


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_empty_texts_of_every_partition_are_warned_of_as_in_a_local_run(
        project, tmp_path, dask_scheduler, fmt):
    """Partitions kept their empty or missing texts, but nothing said so: the workers now
    send back how many, and the first rows, counted over the whole file."""
    root, loaded, _ = project
    rows = [dict(r, text="" if i % 3 == 1 else r["text"]) for i, r in enumerate(ROWS)]
    empty = [i for i, r in enumerate(rows) if not r["text"]]
    source = _write(tmp_path, fmt, rows)
    local = apply_file(_applier(root, loaded, "local"), source, tmp_path / "local.parquet",
                       hidden_columns=("gold",))
    dask = apply_file(_applier(root, loaded, "dask", dask_scheduler), source,
                      tmp_path / "dask.parquet", hidden_columns=("gold",))

    assert dask.empty_texts == local.empty_texts == len(empty) > CHUNK
    named = ", ".join(f"row {i + 1} (id {rows[i]['id']!r})" for i in empty[:5])
    assert dask.warnings == local.warnings == [
        f"{source}: {len(empty)} empty or missing texts in column 'text': {named} and "
        f"{len(empty) - 5} more; they are kept (a missing text as \"\", one of only spaces "
        "as written): LFs that read the words find none there, LFs that read other columns "
        "still vote"]


def test_workers_say_what_a_whole_read_says_of_columns_and_ids_and_who_ran(
        make_project, tmp_path, dask_scheduler):
    """Partitions said nothing of a column holding 5 in some rows and "5" in others, of the
    LF comparing it with 5, of an id with spaces around it nor of two ids that are one in
    other Unicode forms; and the result did not say which workers ran. Each partition now
    sends back its columns' counts and its ids' notes, merged as a local stream's chunks
    are, and the result names the workers that read partitions."""
    root = make_project(lfs={"stars": STARS_LFS})
    loaded = load_project(root)
    rows = [{"id": f"s{i}", "text": f"item {i}", "stars": "5" if i in (6, 13) else 5,
             "seats": i} for i in range(15)]
    rows[3]["id"], rows[2]["id"], rows[9]["id"] = "s3 ", "caf\u00e9", "cafe\u0301"
    source = tmp_path / "stars.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    local = apply_file(_applier(root, loaded, "local"), source, tmp_path / "local.parquet")
    dask = apply_file(_applier(root, loaded, "dask", dask_scheduler), source,
                      tmp_path / "dask.parquet")

    assert dask.warnings == local.warnings and len(dask.warnings) == 4
    spaced, twins, mixed, compared = dask.warnings
    assert spaced.endswith("names another item): 's3 ' (row 4)")
    assert "kept as distinct items: 'caf\\xe9' (row 3) and 'cafe\\u0301' (row 10); " in twins
    assert mixed.startswith(f"{source}: column 'stars' holds numbers in 13 rows and text in "
                            "2 rows (first text: row 7, '5'): ")
    assert "LF five_stars compares x.stars with the number 5, but column 'stars' holds text " \
           "in 2 rows (first: row 7, '5') and numbers in 13 rows" in compared
    assert local.workers_seen is None
    assert dask.workers_seen and all(a.startswith("tcp://") for a in dask.workers_seen)


def test_a_folder_of_parts_on_the_workers_matches_the_file_whole(project, tmp_path,
                                                                  dask_scheduler):
    """apply_file on a folder was "is a folder, not a file ... combine the parts"; now the
    workers read each part's partitions and the matrix is the whole file's."""
    root, loaded, _ = project
    whole = _write(tmp_path, "parquet")
    parts = tmp_path / "parts"
    parts.mkdir()
    _write(parts, "parquet", ROWS[:17]).rename(parts / "part-0.parquet")
    _write(parts, "jsonl", ROWS[17:]).rename(parts / "part-1.jsonl")
    local = apply_file(_applier(root, loaded, "local"), whole, tmp_path / "local.parquet",
                       hidden_columns=("gold",))
    dask = apply_file(_applier(root, loaded, "dask", dask_scheduler), parts,
                      tmp_path / "dask.parquet", hidden_columns=("gold",))
    assert pq.read_table(tmp_path / "dask.parquet").equals(
        pq.read_table(tmp_path / "local.parquet"))
    assert dask.rows == local.rows and dask.lf_counts == local.lf_counts
    assert dask.failures["fragile"].count == local.failures["fragile"].count
    assert dask.term_hits.equals(local.term_hits)
