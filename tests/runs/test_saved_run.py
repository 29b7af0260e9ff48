"""labelwright.load_run: a finished run read back from its folder (after a notebook's
kernel restarted), as the run wrote it, with errors naming the folder and the runs."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import labelwright
from labelwright.errors import RunError
from labelwright.project import run_project
from ticket_data import TICKETS


def test_a_run_reads_back_as_it_was_written(make_project):
    root = make_project()
    result = run_project(root, report=False)
    saved = labelwright.load_run(str(root))
    assert saved.run_id == result.run_id and saved.run_dir == result.run_dir
    assert saved.labels.equals(result.labels)
    assert saved.matrix.lf_names == result.applied.matrix.lf_names
    assert np.array_equal(saved.matrix.votes, result.applied.matrix.votes)
    assert list(saved.labels_used) == list(result.project.labels)
    assert np.allclose(saved.model.predict_proba(saved.matrix.votes), result.probs)
    assert saved.evaluation == result.evaluation and saved.model_name == result.model_name
    assert saved.outcome["status"] == "ok" and saved.warnings == result.warnings
    assert list(saved.lf_table["lf"]) == list(result.lf_table["lf"])
    assert repr(saved).startswith(f"SavedRun(run_id={result.run_id!r}, ")
    # its labels by the ids of your data, as the run's own result gives them
    ids = pd.Index(["t3", "t1"], name="ticket")
    pd.testing.assert_frame_equal(saved.frame(ids), result.frame(ids))
    pd.testing.assert_frame_equal(saved.frame(model=True), result.frame(model=True))
    # a named run, by a prefix of its id, is that run, not the latest
    later = run_project(root, report=False)
    assert labelwright.load_run(root, result.run_id).run_id == result.run_id
    assert labelwright.load_run(root).run_id == later.run_id


def test_a_run_read_back_gives_the_review_queue_the_run_gave(make_project):
    """A notebook that reloaded a finished run had no queue frame: load_run's SavedRun
    gives the one the run's result gives, with the same arguments."""
    more = [{"id": f"u{k}", "text": text, "plan": "free", "gold": ""} for k, text in
            enumerate(["hello there", "refund? the app crashes", "nothing to add", "ok"])]
    root = make_project(rows=[*TICKETS, *more], extra="random_sample = 2\n")
    result = run_project(root, report=False)
    saved = labelwright.load_run(root)
    queue = saved.review_queue()
    assert len(queue) > 2 and (queue["run_id"] == result.run_id).all()
    pd.testing.assert_frame_equal(queue, result.review_queue())
    pd.testing.assert_frame_equal(saved.review_queue(sample=True),
                                  result.review_queue(sample=True))
    picked = saved.review_queue(spread=True, per_pattern=1)
    pd.testing.assert_frame_equal(picked, result.review_queue(spread=True, per_pattern=1))
    assert picked.attrs["held_back"] == len(queue) - len(picked) > 0
    with pytest.raises(ValueError, match="random sample"):
        saved.review_queue(sample=True, spread=True)
    # read from the run's files, checked as the run's result reads them
    (saved.run_dir / "review.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(RunError, match=r"review\.jsonl"):
        saved.review_queue()


def test_an_unknown_run_names_the_runs_folder_and_its_runs(make_project):
    root = make_project()
    result = run_project(root, report=False)
    with pytest.raises(RunError, match=rf"no run matching 'nope' in .*runs; runs: "
                                       rf"{result.run_id}"):
        labelwright.load_run(root, "nope")


def test_a_folder_without_manifest_names_itself_and_the_runs(make_project):
    root = make_project()
    result = run_project(root, report=False)
    (root / "runs" / "20991231-000000-000000").mkdir()
    with pytest.raises(RunError) as error:
        labelwright.load_run(root, "20991231-000000-000000")
    assert "20991231-000000-000000: no manifest.json" in str(error.value)
    # named once, as the runs to read in its place
    assert str(error.value).endswith(f"name the one finished run there is: {result.run_id}")
    assert str(error.value).count(result.run_id) == 1


def test_a_missing_or_edited_output_names_the_run_folder(make_project):
    root = make_project()
    result = run_project(root, report=False)
    (result.run_dir / "label_model.json").unlink()
    with pytest.raises(RunError, match=r"label_model\.json: missing.*not read back") as error:
        labelwright.load_run(root)
    assert str(result.run_dir) in str(error.value)
    other = run_project(root, report=False)
    pd.DataFrame({"x": [1]}).to_parquet(other.run_dir / "label_matrix.parquet")
    with pytest.raises(RunError, match=r"label_matrix\.parquet: changed"):
        labelwright.load_run(root, other.run_id)


def test_a_pruned_run_says_it_was_pruned(make_project):
    root = make_project()
    first = run_project(root, report=False)
    run_project(root, report=False)
    labelwright.prune_runs(root, keep=1)
    assert not first.run_dir.exists()
    with pytest.raises(RunError, match="prune") as error:
        labelwright.load_run(root, first.run_id)
    assert "; runs: " in str(error.value)
    shutil.rmtree(root / "runs")
    with pytest.raises(RunError, match="no finished runs"):
        labelwright.load_run(root)
