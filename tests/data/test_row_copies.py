"""``[data] duplicate_rows = "skip"``: a row the same in every column as an earlier row of
its file is left out and listed, said in the run's output, manifest and ``check``; rows of
one id that differ stay an error naming both."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from labelwright.apply import Applier, apply_file
from labelwright.cli.app import app
from labelwright.config import load_config
from labelwright.config.schema import DataConfig
from labelwright.data.dataset import dataset_from_frame, read_dataset
from labelwright.errors import ConfigError, DataError
from labelwright.project import load_project, run_project
from ticket_data import TICKETS

HEADER = "id,text,plan,gold\n"
GOOD = [f'{r["id"]},"{r["text"]}",{r["plan"]},{r["gold"]}\n' for r in TICKETS]
LABELS = ("billing", "technical")


def _setting(root, *lines: str):
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[data]\n", "[data]\n" + "".join(
        f"{line}\n" for line in lines)))
    return root


def _with_copies(make_project, tmp_path, *settings: str, data: str | None = None):
    """A project whose CSV holds t2 again after t3 and t1 again at the end, with a text
    of two lines (t1 quoted over two lines) so a row and its line differ."""
    root = _setting(make_project(root=tmp_path / "p"), *settings)
    lines = list(GOOD)
    lines[0] = 't1,"Please refund\nmy order",pro,billing\n'
    lines.insert(3, lines[1])
    lines.append(lines[0])
    (root / "data" / "items.csv").write_text(data or HEADER + "".join(lines), encoding="utf-8")
    return root


def test_copies_are_left_out_listed_and_said_in_the_manifest(make_project, tmp_path):
    root = _with_copies(make_project, tmp_path, 'duplicate_rows = "skip"')
    result = run_project(root)
    assert result.dataset.ids == [r["id"] for r in TICKETS]
    listed = [json.loads(line) for line in
              (result.run_dir / "skipped_rows.jsonl").read_text().splitlines()]
    n = len(TICKETS)
    assert [(r["line"], r["row"]) for r in listed] == [(6, 4), (n + 4, n + 2)]
    assert listed[0]["reason"] == ("a copy of row 2 (line 4), the same in every column (id "
                                   "'t2'); [data] duplicate_rows = \"skip\" keeps the first")
    assert listed[1]["reason"].startswith("a copy of row 1 (line 2), ")
    assert listed[1]["values"] == {"id": "t1", "text": "Please refund\nmy order",
                                   "plan": "pro", "gold": "billing"}
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    file_hash = hashlib.sha256((result.run_dir / "skipped_rows.jsonl").read_bytes()).hexdigest()
    assert manifest["data"]["duplicate_rows"] == "skip" and "bad_rows" not in manifest["data"]
    assert manifest["data"]["skipped_rows"] == {
        "count": 2, "file": "skipped_rows.jsonl", "sha256": file_hash, "copies": 2}
    warning = next(w for w in manifest["data"]["warnings"] if "same in every column" in w)
    assert warning == (
        f"{root / 'data' / 'items.csv'}: 2 rows the same in every column as an earlier row "
        "left out ([data] duplicate_rows = \"skip\": the first of each is kept), not in the "
        "labels; each is listed in the skipped_rows.jsonl `labelwright run` writes in its "
        "run folder: line 6, row 4: a copy of "
        f"row 2 (line 4); line {n + 4}, row {n + 2}: a copy of row 1 (line 2)")
    assert "2 rows the same in every column" in (result.run_dir / "report.html").read_text()
    # later rows are numbered as the file numbers them, the copies counted
    assert result.dataset.where(3) == f"{root / 'data' / 'items.csv'}: row 5"


def test_copies_and_bad_rows_are_listed_together(make_project, tmp_path):
    lines = [*GOOD[:2], 'm5,"two values"\n', GOOD[1], *GOOD[2:]]
    root = _with_copies(make_project, tmp_path, 'duplicate_rows = "skip"', 'bad_rows = "skip"',
                        data=HEADER + "".join(lines))
    result = run_project(root)
    listed = [json.loads(line) for line in
              (result.run_dir / "skipped_rows.jsonl").read_text().splitlines()]
    assert [(r["row"], r["reason"][:14]) for r in listed] == [
        (3, "malformed CSV:"), (4, "a copy of row ")]
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["data"]["bad_rows"] == manifest["data"]["duplicate_rows"] == "skip"
    assert manifest["data"]["skipped_rows"]["count"] == 2
    assert manifest["data"]["skipped_rows"]["copies"] == 1
    said = " ".join(result.dataset.warnings)
    assert "1 bad row skipped" in said and "1 row the same in every column" in said


@pytest.mark.parametrize("settings", [(), ('bad_rows = "skip"',)])
def test_without_the_setting_a_copy_stays_an_error_that_names_it(make_project, tmp_path,
                                                                 settings):
    """``bad_rows = "skip"`` alone does not drop copies: a repeated row is no row's own
    problem; the error names the setting that does."""
    root = _with_copies(make_project, tmp_path, *settings)
    with pytest.raises(DataError) as raised:
        run_project(root)
    said = str(raised.value)
    assert "2 rows of them are a copy of an earlier row" in said
    assert 'or set [data] duplicate_rows = "skip" to keep the first of each' in said


def test_an_error_of_copies_and_differing_rows_says_the_setting_mends_only_the_copies(
        make_project, tmp_path):
    """t2 twice the same and t3 twice with other texts: the error that offers
    duplicate_rows = "skip" for the copy says that t3's rows are left, so a user who sets
    it is not met by t3's error as a new one on the next run."""
    other = GOOD[2].replace('",', ' again",', 1)  # t3 with another text
    assert other.startswith("t3,") and other != GOOD[2]
    root = _with_copies(make_project, tmp_path,
                        data=HEADER + "".join([*GOOD[:2], GOOD[1], GOOD[2], other, *GOOD[3:]]))
    with pytest.raises(DataError) as raised:
        run_project(root)
    said = str(raised.value)
    assert "1 row of them is a copy of an earlier row" in said, said
    assert ("the rows of 't3' differ, two items given one id, which duplicate_rows = \"skip\" "
            "does not mend: give each its own id, or delete the wrong row") in said, said


def test_rows_of_one_id_that_differ_stay_an_error_naming_both(make_project, tmp_path):
    """t2 copied, then t2 again with another plan: the copy is left out, the conflict is
    the error a repeated id gives, naming the first row and the different one."""
    other = GOOD[1].replace(",free,", ",pro,")
    root = _with_copies(make_project, tmp_path, 'duplicate_rows = "skip"',
                        data=HEADER + "".join([*GOOD[:2], GOOD[1], other, *GOOD[2:]]))
    with pytest.raises(DataError) as raised:
        run_project(root)
    assert str(raised.value) == (
        f"{root / 'data' / 'items.csv'}:5: duplicate id 't2' at rows 2 and 4 (lines 3 and "
        "5); ids in column 'id' must be unique")


def test_a_jsonl_file_and_a_frame_leave_copies_out_too(make_project, tmp_path):
    path = tmp_path / "d.jsonl"
    rows = [{"id": "a", "text": "x", "tags": ["p"]}, {"id": "b", "text": "y"},
            {"id": "a", "text": "x", "tags": ["p"]}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    dataset = read_dataset(DataConfig(path=path, duplicate_rows="skip"), LABELS)
    assert dataset.ids == ["a", "b"]
    assert [(r.line, r.row, r.values) for r in dataset.skipped_rows] == [
        (3, 3, {"id": "a", "text": "x", "tags": ["p"]})]
    frame = pd.DataFrame({"id": ["a", "b", "a"], "text": ["x", "y", "x"]})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS,
                                 duplicate_rows="skip")
    assert dataset.ids == ["a", "b"] and dataset.skipped_rows[0].row == 3
    root = _setting(make_project(), 'duplicate_rows = "skip"')
    ran = run_project(root, data=frame.assign(gold=["billing", "", "billing"]))
    assert ran.dataset.ids == ["a", "b"] and len(ran.dataset.skipped_rows) == 1
    with pytest.raises(ValueError, match="duplicate_rows must be one of 'error', 'skip'"):
        dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS,
                           duplicate_rows="drop")


def test_a_copy_in_one_part_is_left_out_a_copy_across_parts_stays_an_error(tmp_path):
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    one.write_text("id,text\na,x\nb,y\na,x\n", encoding="utf-8")
    two.write_text("id,text\nc,z\n", encoding="utf-8")
    config = DataConfig(path=tmp_path, parts=(one, two), duplicate_rows="skip")
    dataset = read_dataset(config, LABELS)
    assert dataset.ids == ["a", "b", "c"]
    assert [(r.file, r.row) for r in dataset.skipped_rows] == [(str(one), 3)]
    two.write_text("id,text\nc,z\na,x\n", encoding="utf-8")
    with pytest.raises(DataError, match="duplicate id 'a' in column 'id', also at"):
        read_dataset(config, LABELS)


def test_a_stream_refuses_the_setting_before_any_lf_runs(make_project, tmp_path):
    root = _with_copies(make_project, tmp_path)
    loaded = load_project(root)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp)
    out = tmp_path / "m.parquet"
    with pytest.raises(DataError, match="duplicate_rows='skip' cannot be streamed"):
        apply_file(applier, root / "data" / "items.csv", out, hidden_columns=("gold",),
                   duplicate_rows="skip")
    assert not out.exists()


def test_an_unknown_value_is_a_config_error_listing_the_valid_ones(make_project):
    root = _setting(make_project(), 'duplicate_rows = "skp"')
    with pytest.raises(ConfigError) as raised:
        load_config(root)
    assert "[data] duplicate_rows 'skp'; did you mean 'skip'?" in str(raised.value)
    assert "labelwright.toml:" in str(raised.value)


def test_check_says_what_run_says(make_project, tmp_path):
    root = _with_copies(make_project, tmp_path, 'duplicate_rows = "skip"')
    runner = CliRunner()
    checked = runner.invoke(app, ["check", "-p", str(root)])
    ran = runner.invoke(app, ["run", "-p", str(root)])
    assert checked.exit_code == ran.exit_code == 0, checked.output + ran.output

    def said(output: str) -> str:
        flat = "".join(output.split())
        start = flat.index("2rowsthesameineverycolumn")
        return flat[start:flat.index("(line2)", start)]

    assert said(checked.output) == said(ran.output)


def test_explain_names_an_item_after_a_copy_by_its_row_in_the_file(make_project, tmp_path):
    """The run left a copy out; ``explain`` of a later item reads the file as the run did
    and names the file's row, the copy counted."""
    root = _with_copies(make_project, tmp_path, 'duplicate_rows = "skip"')
    run_project(root)
    explained = CliRunner().invoke(app, ["explain", "t4", "-p", str(root)])
    assert explained.exit_code == 0, explained.output
    assert "from: data/items.csv row 5\n" in explained.output, explained.output
