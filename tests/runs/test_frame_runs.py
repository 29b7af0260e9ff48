"""``run_project(path, data=df)``: a pandas DataFrame as a run's data, recorded so the run
is as traceable as one on a file, and ``verify_runs`` saying what it can check of it."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import labelwright
from labelwright.errors import DataError, RunError
from labelwright.project import load_project, run_project
from labelwright.runs.verify.runs import verify_runs
from ticket_data import TICKETS


def _frame() -> pd.DataFrame:
    frame = pd.DataFrame(TICKETS)
    frame["stars"] = np.arange(len(frame), dtype=np.int64)  # typed values, hashed as numbers
    frame["score"] = [0.1, np.nan, 2.5, 3.0, 1e-7, 4.25]
    return frame


def _recipe(frame: pd.DataFrame) -> str:
    """README "Hash recipes", written out here from its words alone."""
    lines = [json.dumps([str(c) for c in frame.columns], ensure_ascii=False)]
    for row in frame.itertuples(index=False, name=None):
        lines.append(json.dumps(list(row), ensure_ascii=False, default=lambda v: (
            v.tolist() if hasattr(v, "tolist") else str(v))))
    return hashlib.sha256("".join(f"{line}\n" for line in lines).encode("utf-8")).hexdigest()


def _manifest(result) -> dict:
    return json.loads((result.run_dir / "manifest.json").read_text())


def test_a_run_on_a_frame_records_where_its_data_came_from(make_project):
    root = make_project()
    frame = _frame()
    result = run_project(root, data=frame, report=False)
    data = _manifest(result)["data"]
    assert data["path"] == "<DataFrame>" and data["path_from"] == "DataFrame"
    assert data["frame"] == {"shape": list(frame.shape), "columns": list(frame.columns)}
    assert data["sha256"] == _recipe(frame)
    assert data["rows"] == len(frame) and data["gold_rows"] == 5
    assert "quoting" not in data  # no file, no file settings
    assert list(result.labels["id"]) == list(frame["id"])
    # a project loaded already (its LFs, maybe some added in the session) runs on it too
    again = run_project(project=load_project(root), data=frame, report=False)
    assert _manifest(again)["data"]["sha256"] == data["sha256"]
    # the frame is read, not the project's file: another frame is another hash
    other = run_project(root, data=frame.assign(score=frame["score"] + 1), report=False)
    assert _manifest(other)["data"]["sha256"] != data["sha256"]


def test_a_frame_is_read_with_the_projects_data_columns_and_errors_name_them(make_project):
    root = make_project()
    with pytest.raises(DataError, match=r"<DataFrame>: no id column 'id'; columns present: "
                                        r"ticket, text"):
        run_project(root, data=_frame().rename(columns={"id": "ticket"}), report=False)
    wrong = _frame()
    wrong.loc[2, "gold"] = "Billing"
    with pytest.raises(DataError, match=r"<DataFrame>: row 3 \(id 't3'\): unknown gold label "
                                        r"'Billing'.*valid labels: billing, technical"):
        run_project(root, data=wrong, report=False)
    with pytest.raises(TypeError, match="give a dataset file's path or a pandas DataFrame"):
        run_project(root, data=TICKETS, report=False)


def test_a_frame_given_to_load_project_says_where_a_frame_is_given(make_project):
    """``load_project('.', data=df)`` failed in pathlib (``expected str, bytes or
    os.PathLike object, not DataFrame``) while run_project and check_project take frames: a
    Project holds no items, so the error names what reads them."""
    root = make_project()
    with pytest.raises(TypeError) as raised:
        load_project(root, data=_frame())
    assert str(raised.value) == (
        "load_project: data is a pandas DataFrame; it names the dataset file the project "
        "reads in place of [data] path, and a Project holds no items: give the frame to what "
        "reads them, run_project(project=project, data=df) (or run_project(path, data=df)), "
        "check_project(path, data=df), or apply_project(project, dataset_from_frame(df, "
        "...))")
    with pytest.raises(TypeError, match=r"^load_project: data is a list; it names the dataset "
                                        r"file the project reads in place of \[data\] path: "
                                        r"give the file's path$"):
        load_project(root, data=TICKETS)
    # what the error advises works
    result = run_project(project=load_project(root), data=_frame(), report=False)
    assert list(result.labels["id"]) == list(_frame()["id"])


def test_verify_says_a_frames_data_cannot_be_compared_without_it(make_project):
    root = make_project()
    frame = _frame()
    run_project(root, data=frame, report=False)
    (check,) = verify_runs(root, inputs=True)
    assert check.ok, [str(p) for p in check.problems]
    assert "data file" not in check.inputs.checked
    assert not check.inputs.changes  # not compared with the project's own data file
    (note,) = check.inputs.notes
    assert "the run read a pandas DataFrame (6 rows x 6 columns" in note
    assert "data=df" in note and "not compared" in note
    (check,) = labelwright.verify_runs(root, inputs=True, data=frame)
    assert check.ok and check.inputs.checked[0] == "DataFrame" and not check.inputs.notes
    (check,) = verify_runs(root, inputs=True, data=frame.iloc[:-1])
    assert not check.ok
    (change,) = check.inputs.changes
    assert change.what == "DataFrame"
    assert "the run's had 6 rows x 6 columns, this one 5 rows x 6 columns" in str(change)


def test_recompute_needs_the_frame_and_recomputes_with_it(make_project):
    root = make_project()
    frame = _frame()
    run_project(root, data=frame, report=False)
    (check,) = verify_runs(root, recompute=True)
    assert check.outcome == "not recomputed"
    assert "the run read a pandas DataFrame" in check.recomputed.refused
    (check,) = verify_runs(root, recompute=True, data=frame)
    assert check.ok, (check.recomputed, check.inputs)
    assert check.recomputed.items == len(frame) and not check.recomputed.refused


def test_a_file_run_given_a_frame_to_verify_is_compared_with_its_file(make_project):
    root = make_project()
    run_project(root, report=False)
    (check,) = verify_runs(root, inputs=True, data=_frame())
    assert check.ok and "data file" in check.inputs.checked
    assert any("compared with its file" in note for note in check.inputs.notes)


def test_runs_show_says_the_data_was_a_frame(make_project, cli):
    root = make_project()
    run_project(root, data=_frame(), report=False)
    code, out = cli("runs", "show", "-p", str(root))
    assert code == 0, out
    assert "data: <DataFrame> (no file) 6 rows (5 gold)" in out
    assert ("data: a pandas DataFrame of 6 rows x 6 columns given to run_project(data=df); "
            "sha256 is of its content") in out
    assert "sha256sum" not in out  # no file to hash so


def test_train_and_the_training_set_of_a_frame_run_read_the_frame_given_again(make_project):
    root = make_project()
    frame = _frame()
    frame.loc[:2, "gold"] = None  # items to train on: only items without gold are
    result = run_project(root, data=frame, report=False)
    with pytest.raises(RunError, match=r"read its items from a pandas DataFrame \(6 rows x 6 "
                                       r"columns\), not a file, and train needs their texts: "
                                       r"from Python, give that frame again \(labelwright"
                                       r"\.train_run\(path, run, data=df\)\)"):
        labelwright.train_run(root)
    with pytest.raises(RunError, match=r"and export needs their texts.*export_training_set"):
        labelwright.export_training_set(root)
    trained = labelwright.train_run(root, data=frame)
    out = pd.read_parquet(result.run_dir / "end_model_labels.parquet")
    assert list(out["id"]) == list(frame["id"])
    assert trained.n_train > 0 and trained.n_gold == 2
    training = labelwright.export_training_set(root, data=frame, with_gold=True)
    texts = dict(zip(frame["id"], frame["text"]))
    assert len(training) > 0
    assert all(texts[i] == t for i, t in zip(training["id"], training["text"]))


def test_a_frame_not_the_runs_is_refused_naming_both(make_project):
    root = make_project()
    frame = _frame()
    result = run_project(root, data=frame, report=False)
    edited = frame.copy()
    edited.loc[0, "text"] = "another text under the same id"
    with pytest.raises(RunError, match=rf"the DataFrame given \(data=, 6 rows x 6 columns, "
                                       rf"sha256 \w+\) is not the one run {result.run_id} "
                                       rf"read \(6 rows x 6 columns"):
        labelwright.train_run(root, data=edited)
    with pytest.raises(RunError, match="is not the one run"):
        labelwright.export_training_set(root, data=edited)
    assert not (result.run_dir / "end_model.json").exists()


def test_a_file_run_given_a_frame_to_train_is_told_it_read_a_file(make_project):
    root = make_project()
    run_project(root, report=False)
    with pytest.raises(RunError, match=r"read its items from the file .*, not a DataFrame: "
                                       r"train reads that file; leave out data="):
        labelwright.train_run(root, data=_frame())


def test_the_review_queue_of_a_frame_run_exports_without_the_frame(make_project):
    root = make_project()
    frame = _frame()
    frame.loc[:2, "gold"] = None
    result = run_project(root, data=frame, report=False)
    (path,) = labelwright.review.export_run(result.run_dir, "jsonl")
    records = [json.loads(line) for line in path.read_text().splitlines()]
    texts = dict(zip(frame["id"], frame["text"]))
    assert records and all(texts[r["id"]] == r["text"] for r in records)


def test_explain_shows_a_frame_runs_text_from_the_frame_given_again(make_project):
    root = make_project()
    frame = _frame()
    frame.loc[1, "text"] = "a text only the frame holds: refund my invoice"
    run_project(root, data=frame, report=False)
    item = str(frame.loc[1, "id"])
    shown = labelwright.explain_item(root, item, data=frame)
    assert shown.text == frame.loc[1, "text"]
    assert not [w for w in shown.warnings if "DataFrame" in w]
    assert shown.fields["stars"] == 1
    # without the frame: the project's file, said to be perhaps not the run's
    from_file = labelwright.explain_item(root, item)
    assert from_file.text != frame.loc[1, "text"]
    assert any("read its items from a pandas DataFrame, not a file" in w
               and "data=df" in w for w in from_file.warnings)
    edited = frame.assign(text=frame["text"].str.upper())
    other = labelwright.explain_item(root, item, data=edited)
    assert any("the DataFrame given" in w and "is not the one run" in w
               for w in other.warnings)
    run_project(root, report=False)  # the latest run now read the project's file
    with pytest.raises(RunError, match="not a DataFrame: explain reads that file"):
        labelwright.explain_item(root, item, data=frame)


def test_explain_without_the_frame_and_no_file_says_the_run_read_a_frame(make_project):
    """The CLI's explain on a run made from a DataFrame, with no file at [data] path, said
    only 'dataset file not found'."""
    from labelwright.review.queue.export import export_run

    root = make_project()
    frame = _frame()
    run_dir = run_project(root, data=frame, report=False).run_dir
    (root / "data" / "items.csv").unlink()
    item = str(frame.loc[1, "id"])
    shown = labelwright.explain_item(root, item)
    (said,) = [w for w in shown.warnings if "cannot read the dataset" in w]
    assert "read a pandas DataFrame, not a file" in said and "data=df" in said
    assert shown.text is None
    paths = export_run(run_dir, "jsonl")  # an item exported: its text is shown
    exported = {json.loads(line)["id"] for f in paths
                for line in f.read_text(encoding="utf-8").splitlines()}
    item = next(i for i in map(str, frame["id"]) if i in exported)
    shown = labelwright.explain_item(root, item)
    assert shown.text == frame.set_index(frame["id"].astype(str)).loc[item, "text"]
    assert any("the one run" in w and "exported for review" in w for w in shown.warnings)


@pytest.mark.parametrize("data, hint", [
    (pa.table({"id": ["t1"], "text": ["x"]}), "convert it with .to_pandas()"),
    (pd.Series(["x"], name="text"), "pass the frame it came from (df, not df['text'])"),
    (["refund please", "app crashes"], "pd.DataFrame({'id': ids, 'text': texts})"),
], ids=["arrow", "series", "texts"])
def test_data_of_another_kind_says_how_to_make_a_frame_of_it(make_project, data, hint):
    """run_project(data=table) said only "data is a Table", where dataset_from_frame says
    to convert it."""
    from labelwright.data import dataset_from_frame

    root = make_project()
    for call in (lambda: run_project(root, data=data, report=False),
                 lambda: labelwright.check_project(root, data=data)):
        with pytest.raises(TypeError, match="give a dataset file's path or a pandas "
                                            "DataFrame") as raised:
            call()
        assert hint in str(raised.value)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame") as raised:
        dataset_from_frame(data, id_column="id", text_column="text", labels=["a", "b"])
    assert hint in str(raised.value)
