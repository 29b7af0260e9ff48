"""Dataset files compressed with gzip, bzip2 or xz are read through: whole, streamed, on
Dask, by explain and runs verify; errors name the file as given, with the line of its
decompressed text, and a run's manifest hashes the file as given."""

import bz2
import gzip
import hashlib
import json
import lzma
from pathlib import Path

import pandas as pd
import pytest

import labelwright
from labelwright.apply import Applier, apply_file
from labelwright.apply.file_blocks import iter_frames
from labelwright.data.formats import read_frame
from labelwright.errors import DataError, RunError
from labelwright.matrix import LabelMatrix
from labelwright.project import load_project
from ticket_data import TICKETS

COMPRESS = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}


@pytest.fixture(autouse=True)
def _copies_here(tmp_path, monkeypatch):
    """Copies of files in no project go to this test's folder, not the machine's temp."""
    monkeypatch.setattr("labelwright.data.compressed._temp_folder",
                        lambda: tmp_path / "temp-copies")
    monkeypatch.setattr("labelwright.data.compressed._FOUND", {})  # copies of other tests


def _jsonl(rows):
    return "".join(json.dumps(row) + "\n" for row in rows).encode()


def _csv(rows):
    frame = pd.DataFrame(rows)
    return frame.to_csv(index=False).encode()


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    suffix = Path(name).suffix
    path.write_bytes(COMPRESS[suffix](data) if suffix in COMPRESS else data)
    return path


def _values(frame):
    return [[None if pd.isna(v) else v for v in row]
            for row in frame.astype(object).itertuples(index=False)]


@pytest.mark.parametrize("name", ["items.csv.gz", "items.tsv.bz2", "items.jsonl.xz",
                                  "items.jsonl.gz", "items.ndjson.gz"])
def test_a_compressed_file_reads_as_the_file_it_holds(tmp_path, name):
    rows = [{"id": "007", "text": "NA"}, {"id": "1e3", "text": "refund"}, {"id": "x", "text": ""}]
    kind = Path(Path(name).stem).suffix
    data = (_jsonl(rows) if kind in (".jsonl", ".ndjson")
            else _csv(rows).replace(b",", b"\t") if kind == ".tsv" else _csv(rows))
    path = _write(tmp_path, name, data)
    plain = _write(tmp_path, "plain" + kind, data)
    expected = _values(read_frame(plain))
    assert _values(read_frame(path)) == expected
    streamed = pd.concat(list(iter_frames(path, chunk_size=2)), ignore_index=True)
    assert _values(streamed) == _values(pd.concat(list(iter_frames(plain, chunk_size=2)),
                                                  ignore_index=True))


def test_a_file_not_named_for_its_compression_is_read_by_its_bytes(tmp_path):
    path = _write(tmp_path, "tickets.jsonl", gzip.compress(_jsonl([{"id": "1", "text": "a"}])))
    assert read_frame(path)["id"].tolist() == ["1"]


def test_the_copy_is_made_once_and_again_when_the_file_changes(tmp_path):
    path = _write(tmp_path, "items.jsonl.gz", _jsonl([{"id": "1", "text": "a"}]))
    read_frame(path)
    copies = tmp_path / "temp-copies"
    [copy] = copies.iterdir()
    assert copy.name == hashlib.sha256(path.read_bytes()).hexdigest() + ".plain"
    made = copy.stat().st_ino
    read_frame(path)
    assert [c.stat().st_ino for c in copies.iterdir()] == [made]  # read again, not remade
    _write(tmp_path, "items.jsonl.gz", _jsonl([{"id": "2", "text": "b"}]))
    assert read_frame(path)["id"].tolist() == ["2"]
    assert len(list(copies.iterdir())) == 2


@pytest.mark.parametrize(("name", "data", "said"), [
    ("items.jsonl.gz", b'{"id": "1", "text": "a"}\n\n{"id": "2", "text": "b"\n',
     "items.jsonl.gz:3: malformed JSON"),
    ("items.csv.bz2", b"id,text\n1,a\n2,b,c\n", "items.csv.bz2:3: row 2: malformed CSV"),
])
def test_an_error_names_the_file_as_given_and_the_line_of_its_text(tmp_path, name, data, said):
    path = _write(tmp_path, name, data)
    for read in (lambda: read_frame(path), lambda: list(iter_frames(path))):
        with pytest.raises(DataError) as err:
            read()
        assert str(err.value).startswith(f"{tmp_path / said}"), str(err.value)
        assert ".plain" not in str(err.value)


def test_a_file_cut_short_is_an_error_saying_so(tmp_path):
    whole = gzip.compress(_jsonl([{"id": str(i), "text": "x" * 50 + str(i)} for i in range(500)]))
    path = tmp_path / "items.jsonl.gz"
    path.write_bytes(whole[:len(whole) // 2])
    with pytest.raises(DataError, match=r"items.jsonl.gz: the file is gzip-compressed but does "
                                        r"not decompress whole .*cut short"):
        read_frame(path)
    assert not list((tmp_path / "temp-copies").glob("*.plain"))


def _project(make_project, rows=TICKETS):
    root = make_project(rows=rows)
    data = root / "data" / "items.jsonl.gz"
    data.write_bytes(gzip.compress(_jsonl(rows)))
    (root / "data" / "items.csv").unlink()
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('"data/items.csv"', '"data/items.jsonl.gz"'))
    return root, data


def test_a_project_runs_explains_and_verifies_on_a_compressed_file(make_project, tmp_path):
    root, data = _project(make_project)
    result = labelwright.run_project(root, report=False)
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    # the hash sha256sum gives of the file as given
    assert manifest["data"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert list((root / ".labelwright" / "cache" / "decompressed").glob("*.plain"))
    assert not (tmp_path / "temp-copies").exists()  # the project's cache, not the machine's
    item = TICKETS[1]
    explained = labelwright.explain_item(root, str(item["id"]))
    assert explained.item_id == str(item["id"])
    [check] = labelwright.verify_runs(root, inputs=True)
    assert check.ok, check.failures
    changed = [dict(row, text=row["text"] + " now") if row is item else row for row in TICKETS]
    data.write_bytes(gzip.compress(_jsonl(changed)))
    [check] = labelwright.verify_runs(root, inputs=True)
    assert not check.ok and check.inputs is not None
    [change] = check.inputs.changes
    assert change.what == "data file"


def test_a_duplicate_id_names_the_compressed_file_and_the_lines(make_project):
    rows = [*TICKETS, dict(TICKETS[0])]
    root, data = _project(make_project, rows)
    with pytest.raises(DataError) as err:
        labelwright.run_project(root, report=False)
    said = str(err.value)
    assert said.startswith(f"{data}:{len(rows)}: duplicate id {str(TICKETS[0]['id'])!r} at "
                           f"rows 1 and {len(rows)} (lines 1 and {len(rows)})"), said


def test_erase_checks_the_items_are_gone_from_the_compressed_file(make_project):
    root, data = _project(make_project)
    labelwright.run_project(root, report=False)
    gone = str(TICKETS[2]["id"])
    with pytest.raises(RunError, match=r"remove its row from .*items.jsonl.gz first"):
        labelwright.erase_items(root, [gone], reviewer="dana", reason="request")
    copies = root / ".labelwright" / "cache" / "decompressed"
    [before] = copies.glob("*.plain")  # the file as it was, with the text to erase
    data.write_bytes(gzip.compress(_jsonl([r for r in TICKETS if str(r["id"]) != gone])))
    report = labelwright.erase_items(root, [gone], reviewer="dana", reason="request")
    assert report.written and before in {c.path for c in report.cache_entries}
    assert not list(copies.glob("*.plain"))  # the new file's copy too: every copy goes


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_apply_file_streams_a_compressed_file(make_project, tmp_path, engine, request):
    rows = [dict(row, id=f"{row['id']}-{k}") for k in range(3) for row in TICKETS]
    root = make_project(rows=rows)
    loaded = load_project(root)
    scheduler = request.getfixturevalue("dask_scheduler") if engine == "dask" else None
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=4, engine=engine,
                      scheduler=scheduler)
    plain = tmp_path / "items.jsonl"
    plain.write_bytes(_jsonl(rows))
    packed = _write(tmp_path, "items.jsonl.gz", _jsonl(rows))
    expected = LabelMatrix.read_parquet(
        apply_file(applier, plain, tmp_path / "plain.parquet", hidden_columns=("gold",)).path)
    got = LabelMatrix.read_parquet(
        apply_file(applier, packed, tmp_path / "packed.parquet", hidden_columns=("gold",)).path)
    assert got.item_ids == expected.item_ids and (got.votes == expected.votes).all()
    broken = _write(tmp_path, "broken.jsonl.gz", _jsonl(rows) + b'{"id": "z", "text": \n')
    with pytest.raises(DataError) as err:
        apply_file(applier, broken, tmp_path / "broken.parquet", hidden_columns=("gold",))
    assert str(err.value).startswith(f"{broken}:{len(rows) + 1}: malformed JSON"), str(err.value)


def test_data_option_copies_into_the_project_that_reads_it(make_project, cli, tmp_path):
    """The copy of a file given with --data goes to the project run, not to another
    project the file's folder lies in, nor the machine's temporary folder."""
    root = make_project()
    other = make_project(root=tmp_path / "other")
    given = _write(other / "drops", "day2.jsonl.gz", _jsonl(TICKETS))
    code, out = cli("check", "-p", str(root), "--data", str(given))
    assert code == 0, out
    sha = hashlib.sha256(given.read_bytes()).hexdigest()
    assert (root / ".labelwright" / "cache" / "decompressed" / f"{sha}.plain").is_file()
    assert not (other / ".labelwright").exists() and not (tmp_path / "temp-copies").exists()


def test_a_copy_that_cannot_be_written_anywhere_is_a_data_error(tmp_path, monkeypatch):
    """Neither the project's folder nor the temporary one writable (a full disk): the
    error names the file and how to read it without a copy, not an OSError traceback."""
    from labelwright.data import compressed

    path = _write(tmp_path, "items.jsonl.gz", _jsonl([{"id": "1", "text": "refund"}]))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(compressed, "store_newest", full)
    with pytest.raises(DataError) as caught:
        compressed.plain_file(path, tmp_path / "project-copies")
    said = str(caught.value)
    assert said.startswith(f"{path}: its decompressed copy cannot be written in ")
    assert "No space left on device" in said and "gunzip -k" in said
