"""``runs verify --data PATH``: a run compared with (and recomputed from) a kept copy of
the file it read, once the project's data file has grown; and each data file read once for
every run of ``runs verify --all``."""

from __future__ import annotations

import shutil

import pytest

import labelwright
from labelwright.config import load_config
from labelwright.data import dataset
from labelwright.data.data_hash import dataset_sha256
from labelwright.errors import DataError
from labelwright.project import run_project
from labelwright.runs.store import read_manifest


def _grow(root, row="t99,My invoice is wrong,pro,billing\n"):
    with open(root / "data" / "items.csv", "a", encoding="utf-8") as handle:
        handle.write(row)


@pytest.fixture
def grown(make_project, tmp_path):
    """A run, the day's file kept beside the project as ``kept.csv``, then a row appended
    to the project's data and a second run of it."""
    root = make_project()
    first = run_project(root, report=False)
    kept = shutil.copy(root / "data" / "items.csv", tmp_path / "kept.csv")
    _grow(root)
    return root, first, kept, run_project(root, report=False)


def test_a_run_is_compared_with_the_file_given(grown, cli, monkeypatch, tmp_path):
    root, first, kept, _ = grown
    code, out = cli("runs", "verify", first.run_id, "--inputs", "-p", str(root))
    assert code == 1 and "data file data/items.csv: sha256" in out, out  # the data grew
    monkeypatch.chdir(tmp_path)  # PATH is relative to the current folder
    code, out = cli("runs", "verify", first.run_id, "--data", "kept.csv", "-p", str(root))
    assert code == 0, out
    assert (f"inputs: data file: compared with {kept} (given with runs verify --data), which "
            "holds the data the run read from data/items.csv") in out
    assert "inputs: as the run read them (data file, config" in out  # --data implies --inputs


def test_another_file_is_named_with_both_hashes_and_what_the_run_read(grown, cli):
    root, first, kept, second = grown
    then = read_manifest(root / "runs" / first.run_id)["data"]["sha256"]
    now = read_manifest(root / "runs" / second.run_id)["data"]["sha256"]
    grown_file = root / "data" / "items.csv"
    code, out = cli("runs", "verify", first.run_id, "--data", str(grown_file), "-p", str(root))
    assert code == 1, out
    assert (f"data file data/items.csv (given with runs verify --data): sha256 {then[:12]} -> "
            f"{now[:12]}; not the data the run read from data/items.csv") in out
    assert "items added since the run: 1 (t99)" in out  # the file's items against the run's


def test_with_all_each_run_is_compared_with_the_file(grown, cli):
    root, first, kept, second = grown
    code, out = cli("runs", "verify", "--all", "--data", str(kept), "-p", str(root))
    assert code == 1, out
    assert f"{first.run_id}: ok" in out
    assert f"{second.run_id}: differs (below)" in out
    assert "items gone since the run: 1 (t99)" in out


def test_recompute_applies_the_lfs_to_the_file_given(grown):
    root, first, kept, _ = grown
    (check,) = labelwright.verify_runs(root, first.run_id, recompute=True)
    assert check.recomputed is not None and check.recomputed.refused  # the data grew
    (check,) = labelwright.verify_runs(root, first.run_id, recompute=True, data=kept)
    assert check.ok, (check.inputs, check.recomputed)
    assert check.recomputed is not None and not check.recomputed.refused
    assert check.recomputed.items == len(first.dataset.ids) and check.recomputed.refit


def test_the_file_is_hashed_with_the_settings_the_run_recorded(grown):
    """[data] quoting set since the run: the kept file, read as the run read it, is the
    run's data (the config's own change is named apart)."""
    root, first, kept, _ = grown
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[data]\n", '[data]\nquoting = "none"\n'))
    config = load_config(root)
    assert dataset_sha256(config.data.__class__(**{**config.data.__dict__, "path": kept})) \
        != read_manifest(root / "runs" / first.run_id)["data"]["sha256"]
    (check,) = labelwright.verify_runs(root, first.run_id, data=kept)
    assert check.inputs is not None
    assert [c.what for c in check.inputs.changes] == ["config"], check.inputs.changes


def test_a_file_that_is_not_there_is_an_error_naming_it(grown, cli, tmp_path):
    root, first, *_ = grown
    with pytest.raises(DataError, match="--data nope.csv: dataset file not found"):
        labelwright.verify_runs(root, first.run_id, data="nope.csv")
    code, out = cli("runs", "verify", "--data", str(tmp_path / "nope.csv"), "-p", str(root))
    assert code == 2 and "dataset file not found" in out, out  # trouble, not a finding


def test_all_reads_each_data_file_once(make_project, monkeypatch):
    """Three runs whose data changed since: the data's items were read (and every text
    hashed) for each of them."""
    root = make_project()
    for k in range(3):
        run_project(root, report=False)
        _grow(root, f"n{k},New text {k},pro,billing\n")
    reads = []
    read = dataset.read_dataset

    def counted(*args, **kwargs):
        reads.append(args[0].path)
        return read(*args, **kwargs)
    monkeypatch.setattr(dataset, "read_dataset", counted)
    checks = labelwright.verify_runs(root, every=True, inputs=True)
    assert [bool(c.inputs) for c in checks] == [True, True, True]
    assert all(c.inputs.changes[0].items for c in checks)  # each names its items
    assert len(reads) == 1


def _erasure_line(root, items):
    """A line of runs/ERASURES.jsonl for ``items``, written by hand (no file named)."""
    import json

    from labelwright.runs.erase.records import ERASURES_FILE

    record = {"erased_at": "2026-12-06T03:00:00+00:00", "reviewer": "x", "reason": "y",
              "command": "labelwright erase", "items": items, "files": []}
    with open(root / "runs" / ERASURES_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def test_an_erasure_is_checked_against_the_projects_data_not_the_file_given(
        make_project, cli, tmp_path):
    """The README's route to recompute a run whose items were erased since (`--data` the
    day's file) failed on a false `no such erasure took place`: the erased items were
    looked for in the file given, which holds them, not in the project's data, which no
    longer does. A line naming an item the project's data still holds is still found."""
    from labelwright.runs.erase.items import erase_items

    root = make_project()
    first = run_project(root, report=False)
    kept = shutil.copy(root / "data" / "items.csv", tmp_path / "kept.csv")
    path = root / "data" / "items.csv"
    path.write_text("".join(line for line in path.read_text().splitlines(keepends=True)
                            if not line.startswith("t6,")))
    assert erase_items(root, ["t6"], reviewer="dana", reason="request 42").written
    code, out = cli("runs", "verify", first.run_id, "--recompute", "--data", str(kept),
                    "-p", str(root))
    assert code == 0, out
    assert "no such erasure took place" not in out, out
    assert "inputs: as the run read them (data file" in out, out
    assert "--recompute needs the data as the run read it" not in out, out
    assert ("the run's data held items erased since: their rows are gone from the project's "
            "data, and the file given with --data still holds them") in out, out
    _erasure_line(root, ["t2"])  # t2 is in the project's data: no erasure took place
    code, out = cli("runs", "verify", first.run_id, "--data", str(kept), "-p", str(root))
    assert code == 1, out
    assert ("ERASURES.jsonl: line 2, the erasure of 2026-12-06 by x (y), names 1 item the "
            "data still holds ('t2')") in out, out
    assert "line 1, the erasure" not in out, out
