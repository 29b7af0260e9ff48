"""explain finds the item alone in the file a run read, and reads a file whole when it may
not read as the run read it, so that it says what a whole read says (an error, the item
gone)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from labelwright.config import load_config
from labelwright.data.dataset import read_dataset
from labelwright.project import run_project
from labelwright.runs.explain import data as explain_data
from labelwright.runs.explain.item import explain_item


@pytest.fixture
def whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files explain reads whole, as it reads them."""
    read: list[Path] = []

    def counted(config: Any, labels: Any) -> Any:
        read.append(Path(config.path))
        return read_dataset(config, labels)

    monkeypatch.setattr(explain_data, "read_dataset", counted)
    return read


def _config(root: Path, old: str, new: str) -> None:
    path = root / "labelwright.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_runs_file_is_not_read_whole_and_shows_what_a_whole_read_shows(
        make_project: Any, whole_reads: list[Path]) -> None:
    root = make_project()
    run_project(root, report=False)
    dataset = read_dataset(load_config(root).data, ("billing", "technical"))
    for row, item_id in enumerate(dataset.ids):
        e = explain_item(root, item_id)
        assert e.text == dataset.texts[row] and e.warnings == []
        assert e.fields == {"plan": dataset.fields["plan"].iloc[row]}
    assert whole_reads == []


def test_a_changed_file_is_read_whole_and_its_errors_said(
        make_project: Any, whole_reads: list[Path]) -> None:
    root = make_project()
    run_project(root, report=False)
    data = root / "data" / "items.csv"
    data.write_text(data.read_text(encoding="utf-8") + "t1,again,pro,\n", encoding="utf-8")
    e = explain_item(root, "t2")
    assert whole_reads == [data]
    assert e.text is None
    assert any(w.startswith("cannot read the dataset to show the text: ") and "duplicate id"
               in w for w in e.warnings), e.warnings


def test_rows_the_run_skipped_are_read_whole_when_they_would_stop_a_run_now(
        make_project: Any, whole_reads: list[Path]) -> None:
    root = make_project()
    _config(root, '[data]\n', '[data]\nbad_rows = "skip"\n')
    data = root / "data" / "items.csv"
    data.write_text(data.read_text(encoding="utf-8") + "t9,too,many,values,here\n",
                    encoding="utf-8")
    run_project(root, report=False)
    assert explain_item(root, "t2").text == "The app crashes when I log in"
    assert whole_reads == []
    _config(root, 'bad_rows = "skip"\n', "")
    e = explain_item(root, "t2")
    assert whole_reads == [data] and e.text is None
    assert any("malformed CSV" in w for w in e.warnings), e.warnings


def test_a_gold_column_the_run_did_not_check_is_read_whole(
        make_project: Any, whole_reads: list[Path]) -> None:
    root = make_project(gold=None)
    run_project(root, report=False)
    _config(root, 'path = "data/items.csv"\n', 'path = "data/items.csv"\ngold_column = "gold"\n')
    e = explain_item(root, "t2")
    assert whole_reads == [root / "data" / "items.csv"]
    assert e.text == "The app crashes when I log in" and e.fields == {"plan": "free"}


def test_other_labels_with_a_gold_column_are_read_whole(
        make_project: Any, whole_reads: list[Path]) -> None:
    root = make_project()
    run_project(root, report=False)
    _config(root, 'labels = ["billing", "technical"]', 'labels = ["billing", "account"]')
    e = explain_item(root, "t2")
    assert whole_reads == [root / "data" / "items.csv"]
    assert any("cannot read the dataset" in w and "technical" in w for w in e.warnings), \
        e.warnings


def _jsonl_project(make_project: Any, gold: str | None) -> Path:
    rows = [{"id": "j1", "text": "refund my order", "plan": "pro", "gold": "billing"},
            {"id": 2, "text": "the app crashes", "seats": 3, "gold": "technical"},
            {"id": "j3", "text": None, "plan": None, "gold": None, "late": True}]
    root = make_project(gold=gold)
    (root / "data" / "items.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    _config(root, 'path = "data/items.csv"', 'path = "data/items.jsonl"')
    run_project(root, report=False)
    return root


@pytest.mark.parametrize("gold", ["gold", None])
def test_a_jsonl_file_the_run_read_is_read_up_to_the_item(
        make_project: Any, whole_reads: list[Path], monkeypatch: pytest.MonkeyPatch,
        gold: str | None) -> None:
    told: list[Any] = []
    find = explain_data.find_item

    def spied(data: Any, item_id: str, *, fields: Any = None) -> Any:
        told.append(fields)
        return find(data, item_id, fields=fields)

    monkeypatch.setattr(explain_data, "find_item", spied)
    root = _jsonl_project(make_project, gold)
    dataset = read_dataset(load_config(root).data, ("billing", "technical"))
    for row, item_id in enumerate(dataset.ids):
        e = explain_item(root, item_id)
        assert e.text == dataset.texts[row] and e.warnings == []
        part = dataset.fields.iloc[row]
        assert e.fields == {c: None if pd.isna(part[c]) else part[c] for c in part.index}
        assert list(e.fields) == list(dataset.fields.columns)
    assert whole_reads == []
    assert told == [list(dataset.fields.columns)] * 3  # the run's record of them
    # the config changed, without a gold column: the record cannot tell, the file is
    # read to its end for them
    _config(root, "threshold = 0.7", "threshold = 0.8")
    told.clear()
    assert explain_item(root, "2").fields == {c: None if pd.isna(v) else v for c, v
                                              in dataset.fields.iloc[1].items()}
    assert told == [list(dataset.fields.columns) if gold else None]


def test_an_item_of_the_run_its_file_seems_not_to_hold_is_looked_for_in_a_whole_read(
        make_project: Any, whole_reads: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project()
    run_project(root, report=False)
    monkeypatch.setattr(explain_data, "find_item", lambda *args, **kwargs: None)
    e = explain_item(root, "t2")
    assert whole_reads == [root / "data" / "items.csv"]
    assert e.text == "The app crashes when I log in" and e.warnings == []
