"""A run folder without a manifest, named or the newest: the error names the finished runs
there are to read in its place, newest first, and what to do, as "no run matching" lists
the runs."""

from __future__ import annotations

import pytest

from labelwright.errors import RunError
from labelwright.project import run_project
from labelwright.runs.run_folders import RUNS_NAMED
from labelwright.runs.run_writer import RunWriter
from labelwright.runs.store import resolve_run


def publish(runs, run_id, manifest=None):
    return RunWriter(runs, run_id).publish(manifest or {})


def test_a_newest_folder_without_a_manifest_names_the_runs_to_read(tmp_path):
    ids = [f"20260101-000000-{k:06d}" for k in range(1, RUNS_NAMED + 3)]
    for run_id in ids:
        publish(tmp_path, run_id)
    (tmp_path / "20260301-000000-000000").mkdir()  # newer than every run: no manifest
    with pytest.raises(RunError) as caught:
        resolve_run(tmp_path)
    newest = ", ".join(reversed(ids[-RUNS_NAMED:]))
    assert str(caught.value).startswith(f"{tmp_path / '20260301-000000-000000'}: no "
                                        "manifest.json")
    assert str(caught.value).endswith(
        f"restore it, or name a finished run: {newest} (the newest {RUNS_NAMED} of "
        f"{len(ids)}, newest first; `labelwright runs list` lists them)")
    assert ids[0] not in str(caught.value)
    # named, the same: not "no run matching"
    with pytest.raises(RunError, match=r"20260301-000000-000000: no manifest\.json.*"
                                       rf"name a finished run: {ids[-1]}, "):
        resolve_run(tmp_path, "20260301")


def test_a_failed_run_is_named_as_failed(tmp_path):
    publish(tmp_path, "20260101-000000-000001")
    publish(tmp_path, "20260101-000000-000002", {"outcome": {"status": "failed"}})
    (tmp_path / "20260101-000000-000003").mkdir()
    with pytest.raises(RunError, match=r"name a finished run: 20260101-000000-000002 "
                                       r"\(failed\), 20260101-000000-000001 \(newest first;"):
        resolve_run(tmp_path)


def test_one_run_or_none_to_name(tmp_path):
    (tmp_path / "20260101-000000-000002").mkdir()
    with pytest.raises(RunError, match=r"restore it, or run `labelwright run` for a new one "
                                       r"\(.* holds no finished run to name\)$"):
        resolve_run(tmp_path)
    publish(tmp_path, "20260101-000000-000001")
    with pytest.raises(RunError, match=r"restore it, or name the one finished run there is: "
                                       r"20260101-000000-000001$"):
        resolve_run(tmp_path, "20260101-000000-000002")


def test_commands_that_need_a_run_name_the_runs_to_read(make_project, cli):
    """`review export` on a project whose newest run folder lost its manifest said only
    "restore it, or name another run", with no word of which runs there were."""
    root = make_project()
    first = run_project(root, report=False).run_id
    broken = root / "runs" / "20991231-000000-000000"
    broken.mkdir()
    for args in (["review", "export"], ["report"], ["runs", "show"]):
        code, said = cli(*args, "--project", str(root))
        assert code != 0, (args, said)
        assert f"{broken}: no manifest.json" in said, (args, said)
        assert f"name the one finished run there is: {first}" in said, (args, said)
    code, said = cli("review", "export", "--project", str(root), "--run", first)
    assert code == 0, said
