import json
from datetime import UTC, datetime

import pytest

from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.runs.run_data import check_run_data
from labelwright.runs.run_writer import RunWriter, new_run_id
from labelwright.runs.store import (
    atomic_write,
    atomic_write_text,
    file_sha256,
    list_runs,
    package_versions,
    read_manifest,
    resolve_run,
)


def test_run_ids_sort_by_time_and_are_unique(tmp_path):
    early = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    late = datetime(2026, 1, 2, 3, 4, 6, 0, tzinfo=UTC)
    assert new_run_id(tmp_path, early) == "20260102-030405-000006"
    assert new_run_id(tmp_path, early) < new_run_id(tmp_path, late)
    (tmp_path / "20260102-030405-000006").mkdir()
    (tmp_path / ".20260102-030405-000007.partial").mkdir()
    assert new_run_id(tmp_path, early) == "20260102-030405-000008"
    ids = [RunWriter(tmp_path).run_id for _ in range(5)]
    assert len(set(ids)) == 5 and ids == sorted(ids)


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    path = tmp_path / "out.txt"
    atomic_write_text(path, "one")
    atomic_write_text(path, "two")
    assert path.read_text() == "two"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_failure_keeps_old_file(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old and whole")

    def half(tmp):
        tmp.write_text("half a fi")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(path, half)
    assert path.read_text() == "old and whole"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_failure_creates_nothing(tmp_path):
    def fail(tmp):
        raise ValueError("no")

    with pytest.raises(ValueError):
        atomic_write(tmp_path / "new.txt", fail)
    assert list(tmp_path.iterdir()) == []


def test_writer_stages_then_publishes(tmp_path):
    runs = tmp_path / "runs"
    writer = RunWriter(runs, "20260101-000000-000001")
    writer.write_text("a.txt", "alpha")
    writer.write("b.bin", lambda p: p.write_bytes(b"\x00\x01"))
    assert writer.staging.name == ".20260101-000000-000001.partial"
    assert (writer.staging / "a.txt").read_text() == "alpha"
    assert not writer.final.exists()
    assert list_runs(runs) == []
    final = writer.publish({"seed": 3})
    assert final == runs / "20260101-000000-000001"
    assert not writer.staging.exists()
    assert sorted(p.name for p in final.iterdir()) == ["a.txt", "b.bin", "manifest.json"]
    manifest = read_manifest(final)
    assert manifest["seed"] == 3
    import hashlib

    assert manifest["outputs"] == {"a.txt": hashlib.sha256(b"alpha").hexdigest(),
                                   "b.bin": hashlib.sha256(b"\x00\x01").hexdigest()}
    assert (runs / "LATEST").read_text() == "20260101-000000-000001\n"
    assert list_runs(runs) == ["20260101-000000-000001"]


def test_abandon_removes_staging(tmp_path):
    writer = RunWriter(tmp_path)
    writer.write_text("a.txt", "x")
    writer.abandon()
    assert not writer.staging.exists() and not writer.final.exists()
    assert list(tmp_path.iterdir()) == []


def publish(runs, run_id):
    writer = RunWriter(runs, run_id)
    return writer.publish({})


def test_list_runs_ignores_partial_and_unfinished(tmp_path):
    publish(tmp_path, "20260101-000000-000002")
    publish(tmp_path, "20260101-000000-000001")
    RunWriter(tmp_path, "20260101-000000-000003")  # staged, never published
    (tmp_path / "20260101-000000-000004").mkdir()  # no manifest
    (tmp_path / "notes.txt").write_text("x")
    assert list_runs(tmp_path) == ["20260101-000000-000001", "20260101-000000-000002"]
    assert list_runs(tmp_path / "missing") == []


def test_resolve_run(tmp_path):
    for run_id in ("20260101-000000-000001", "20260102-000000-000001", "20260102-000000-000002"):
        publish(tmp_path, run_id)
    assert resolve_run(tmp_path) == tmp_path / "20260102-000000-000002"
    assert resolve_run(tmp_path, "20260101") == tmp_path / "20260101-000000-000001"
    assert resolve_run(tmp_path, "20260102-000000-000001") == tmp_path / "20260102-000000-000001"
    with pytest.raises(RunError, match="2 runs matching '20260102'"):
        resolve_run(tmp_path, "20260102")
    with pytest.raises(RunError, match="no run matching '1999'.*runs: 20260101-000000-000001"):
        resolve_run(tmp_path, "1999")


def test_a_run_folder_path_names_its_run(tmp_path, monkeypatch):
    """``runs verify runs/<id>`` (a path, as a shell completes it) was "no run matching"."""
    runs = tmp_path / "runs"
    for run_id in ("20260101-000000-000001", "20260101-000000-000002"):
        publish(runs, run_id)
    monkeypatch.chdir(tmp_path)
    first = runs / "20260101-000000-000001"
    for given in ("runs/20260101-000000-000001", "./runs/20260101-000000-000001/",
                  str(first), f"../{tmp_path.name}/runs/20260101-000000-000001"):
        assert resolve_run(runs, given) == first, given
    # a path names its run whole: not a prefix, and not a folder of another runs folder
    with pytest.raises(RunError, match="no run matching '20260101'"):
        resolve_run(runs, "runs/20260101")
    (tmp_path / "elsewhere" / "20260101-000000-000001").mkdir(parents=True)
    with pytest.raises(RunError, match="not a run folder of this project's runs folder"):
        resolve_run(runs, "elsewhere/20260101-000000-000001")


def test_an_ambiguous_prefix_lists_the_runs_it_matches(tmp_path):
    """The error listed the 10 newest runs, none of which matched the prefix."""
    matching = ["20260101-000000-000001", "20260101-000000-000002"]
    for run_id in matching + [f"20260201-000000-{k:06d}" for k in range(11)]:
        publish(tmp_path, run_id)
    with pytest.raises(RunError) as caught:
        resolve_run(tmp_path, "20260101")
    assert str(caught.value).endswith(f"2 runs matching '20260101' in {tmp_path}: "
                                      f"{', '.join(matching)}; give more of the id")
    with pytest.raises(RunError, match=r"11 runs matching '202602'.*000009 and 1 more;"):
        resolve_run(tmp_path, "202602")


def test_resolve_run_without_runs(tmp_path):
    with pytest.raises(RunError, match="no finished runs; run `labelwright run` first"):
        resolve_run(tmp_path)


def test_read_manifest_errors(tmp_path):
    with pytest.raises(RunError, match="cannot read the manifest"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text("{broken")
    with pytest.raises(RunError, match="cannot read the manifest"):
        read_manifest(tmp_path)


def test_package_versions():
    from importlib import metadata

    versions = package_versions()
    assert versions["spacy"] == metadata.version("spacy")
    assert versions["labelwright"] == metadata.version("labelwright")
    assert "python" in versions
    json.dumps(versions)


def test_latest_names_the_newest_run_whichever_finishes_last(tmp_path):
    """Two runs at once: the one that started first finished last and LATEST named it,
    while export, train and explain took the newer one as the latest."""
    newer = RunWriter(tmp_path, "20260101-000000-000002")
    older = RunWriter(tmp_path, "20260101-000000-000001")
    newer.publish({})
    older.publish({})
    assert (tmp_path / "LATEST").read_text() == "20260101-000000-000002\n"
    assert resolve_run(tmp_path).name == "20260101-000000-000002"


def test_a_dataset_read_otherwise_than_the_run_read_it_is_said_so(tmp_path):
    """[data] quoting = "none" reads the same bytes as other items: the message said the
    file had changed, which it had not."""
    from labelwright.config import DataConfig
    from labelwright.data.data_hash import dataset_sha256

    data = tmp_path / "d.tsv"
    data.write_text('id\ttext\n1\t"a"\n')
    manifest = {"data": {"sha256": file_sha256(data)}}
    now = dataset_sha256(DataConfig(path=data, quoting="none"))
    with pytest.raises(RunError, match=r"d\.tsv is read otherwise \(\[data\] quoting or columns\) "
                                       r"than by run r1 \(sha256 "):
        check_run_data(tmp_path / "r1", manifest, data, now, "exporting")
    data.write_text('id\ttext\n1\t"b"\n')
    with pytest.raises(RunError, match=r"d\.tsv changed since run r1 \(sha256 "):
        check_run_data(tmp_path / "r1", manifest, data, file_sha256(data), "exporting")


def test_a_missing_labels_file_is_said_to_be_missing(tmp_path):
    """pyarrow's error named the path alone: "cannot read the labels: <path>"."""
    from labelwright.runs.store import read_labels_table

    with pytest.raises(RunError, match=r"labels\.parquet: missing \(deleted or moved"):
        read_labels_table(tmp_path / "labels.parquet")


def test_export_and_train_name_the_data_file_the_run_read(make_project, cli):
    """With [data] path moved to an edited copy, export and train said the copy "changed
    since run X": a file the run never read. They name the file its manifest records."""
    root = make_project()
    run = run_project(root, report=False)
    read, copy = root / "data" / "items.csv", root / "data" / "items_v2.csv"
    copy.write_bytes(read.read_bytes())
    config = root / "labelwright.toml"
    original = config.read_text()
    config.write_text(original.replace('path = "data/items.csv"', 'path = "data/items_v2.csv"'
                                       ).replace("[data]\n", '[data]\ntext_column = "plan"\n'))
    for command in ("export", "train"):  # the same bytes, other texts
        code, out = cli(command, "-p", str(root))
        assert code == 1, out
        assert (f"run {run.run_id} read its ids and texts from the columns 'id' and 'text' of "
                f"{read}; [data] now names 'id' and 'plan' of {copy}, so its labels would go "
                "with other texts") in out
    config.write_text(original.replace('path = "data/items.csv"', 'path = "data/items_v2.csv"'))
    copy.write_text(copy.read_text().replace("charged twice", "charged three times"))
    for command in ("export", "train"):
        code, out = cli(command, "-p", str(root))
        assert code == 1, out
        assert (f"run {run.run_id} read its items from {read} (sha256 {run.dataset.sha256[:12]}"
                f"); [data] path now names {copy}, which holds other data (sha256 "
                f"{file_sha256(copy)[:12]}); run `labelwright run` again before") in out
        assert f"{copy} changed since run" not in out


def test_a_project_moved_since_its_run_reads_the_same_file(make_project, tmp_path, cli):
    """The run recorded the data file under the project's old folder: moved, the project's
    file in the same place is the one the run read, so an edit is said as a change of it."""
    import shutil

    root = make_project()
    run = run_project(root, report=False)
    moved = tmp_path / "moved"
    shutil.move(root, moved)
    data = moved / "data" / "items.csv"
    data.write_text(data.read_text().replace("charged twice", "charged three times"))
    code, out = cli("export", "-p", str(moved))
    assert code == 1, out
    assert f"{data} changed since run {run.run_id} (sha256 {file_sha256(data)[:12]}" in out
