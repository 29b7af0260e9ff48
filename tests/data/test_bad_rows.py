"""``[data] bad_rows = "skip"``: a row that breaks a rule of its own is left out and listed,
whole-file problems stay errors, and a stream skips what a whole read skips."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pandas as pd
import pytest

from labelwright.apply import Applier, apply_file
from labelwright.apply.file_blocks import iter_frames
from labelwright.config import load_config
from labelwright.data.dataset import read_dataset
from labelwright.data.formats import read_frame
from labelwright.errors import ConfigError, DataError
from labelwright.matrix import LabelMatrix
from labelwright.project import load_project, run_project
from ticket_data import TICKETS

HEADER = "id,text,plan,gold\n"
GOOD = [f'{r["id"]},"{r["text"]}",{r["plan"]},{r["gold"]}\n' for r in TICKETS]
# (line in the file, its text): too many values, too few, no id
BAD_CSV = ['m99999,"hello there",,extra,more\n', 'm5,"two values"\n',
           ',"a text without its id",pro,billing\n']


def _csv(bad: bool) -> str:
    """The tickets, with a bad row after the 2nd, 4th and 5th good ones when ``bad``."""
    lines = list(GOOD)
    if bad:
        lines.insert(5, BAD_CSV[2])
        lines.insert(4, BAD_CSV[1])
        lines.insert(2, BAD_CSV[0])
    return HEADER + "".join(lines)


def _jsonl(bad: bool) -> str:
    lines = [json.dumps(r) + "\n" for r in TICKETS]
    if bad:
        lines.insert(5, json.dumps({"id": None, "text": "no id", "plan": "pro"}) + "\n")
        lines.insert(4, '["an", "array"]\n')
        lines.insert(3, '{"id": "t9", "text": "a key twice", "text": "b"}\n')
        lines.insert(1, '{"id": "t8", "text": "cut off\n')
    return "".join(lines)


def _skip(root, on: bool = True):
    toml = root / "labelwright.toml"
    setting = 'bad_rows = "skip"\n' if on else ""
    toml.write_text(toml.read_text().replace("[data]\n", f"[data]\n{setting}"))
    return root


def _project(make_project, tmp_path, name, data: str, fmt: str):
    root = make_project(root=tmp_path / name)
    path = root / "data" / f"items.{fmt}"
    path.write_text(data, encoding="utf-8")
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("data/items.csv", f"data/items.{fmt}"))
    return root


def test_default_stops_at_the_bad_rows_naming_each_with_its_line_and_row(make_project,
                                                                         tmp_path):
    """The first line is the first bad row's error, as when a read stopped there; the
    other bad row and the row without an id follow in the same error."""
    root = _project(make_project, tmp_path, "p", _csv(bad=True), "csv")
    with pytest.raises(DataError) as raised:
        run_project(root)
    path = root / "data" / "items.csv"
    assert str(raised.value).split("\n") == [
        f"{path}:4: row 3: malformed CSV: 5 values where the header has 4; quote texts that "
        "contain ',' (\"like, this\")",
        f"  and 1 more row that cannot be read: {path}:7: row 6: malformed CSV: 2 values "
        "where the header has 4; check for a missing value or quote",
        '  ([data] bad_rows = "skip" leaves such rows out instead, each listed in the '
        "skipped_rows.jsonl `labelwright run` writes in its run folder)",
        f"{path}:9: row 8 has no id in column 'id'; every item needs a unique id",
        f"(2 kinds of problem in {path}, all found in one read: fix them together)"]
    assert not (root / "runs").exists() or not any((root / "runs").iterdir())


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_skip_labels_the_good_rows_as_a_file_without_the_bad_ones(make_project, tmp_path, fmt):
    write = _csv if fmt == "csv" else _jsonl
    clean = run_project(_project(make_project, tmp_path, "clean", write(bad=False), fmt))
    root = _skip(_project(make_project, tmp_path, "bad", write(bad=True), fmt))
    result = run_project(root)

    def labels(run):
        frame = pd.read_parquet(run.run_dir / "labels.parquet")
        return frame[["id", "label", "confidence", "status"]]

    pd.testing.assert_frame_equal(labels(result), labels(clean))
    assert result.dataset.ids == [r["id"] for r in TICKETS]

    listed = [json.loads(line) for line in
              (result.run_dir / "skipped_rows.jsonl").read_text().splitlines()]
    if fmt == "csv":
        assert [(r["line"], r["row"]) for r in listed] == [(4, 3), (7, 6), (9, 8)]
        assert [r["raw"] for r in listed[:2]] == [BAD_CSV[0].rstrip(), BAD_CSV[1].rstrip()]
        assert listed[0]["reason"].startswith("malformed CSV: 5 values where the header has 4")
        assert listed[1]["reason"].startswith("malformed CSV: 2 values where the header has 4")
        assert listed[2]["raw"] is None and listed[2]["values"] == {
            "id": None, "text": "a text without its id", "plan": "pro", "gold": "billing"}
    else:
        assert [(r["line"], r["row"]) for r in listed] == [(2, 2), (5, 5), (7, 7), (9, 9)]
        assert listed[0]["raw"] == '{"id": "t8", "text": "cut off'
        assert listed[0]["reason"].startswith("malformed JSON: ")
        assert listed[1]["reason"].startswith("key 'text' is given twice")
        assert listed[2] == {"line": 7, "row": 7, "raw": '["an", "array"]',
                             "reason": "expected a JSON object per line, got list"}
        assert listed[3]["values"]["text"] == "no id"
    assert listed[-1]["reason"] == "no id in column 'id'; every item needs a unique id"

    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    file_hash = hashlib.sha256((result.run_dir / "skipped_rows.jsonl").read_bytes()).hexdigest()
    assert manifest["data"]["bad_rows"] == "skip"
    assert manifest["data"]["skipped_rows"] == {
        "count": len(listed), "file": "skipped_rows.jsonl", "sha256": file_hash}
    assert manifest["data"]["rows"] == len(TICKETS)
    warning = next(w for w in manifest["data"]["warnings"] if "bad rows skipped" in w)
    assert warning.startswith(f"{root / 'data' / f'items.{fmt}'}: {len(listed)} bad rows "
                              "skipped")
    assert f"line {listed[0]['line']}, row {listed[0]['row']}: {listed[0]['reason']}" in warning
    assert "other messages number rows as the file does, skipped ones counted" in warning
    assert "bad rows skipped" in (result.run_dir / "report.html").read_text()


def test_skip_on_a_file_without_bad_rows_writes_an_empty_list(make_project, tmp_path):
    result = run_project(_skip(_project(make_project, tmp_path, "p", _csv(bad=False), "csv")))
    assert (result.run_dir / "skipped_rows.jsonl").read_text() == ""
    manifest = json.loads((result.run_dir / "manifest.json").read_text())
    assert manifest["data"]["skipped_rows"]["count"] == 0
    assert not any("bad row" in w for w in result.dataset.warnings)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_stream_skips_what_a_whole_read_skips(make_project, tmp_path, fmt):
    write = _csv if fmt == "csv" else _jsonl
    root = _skip(_project(make_project, tmp_path, "p", write(bad=True), fmt))
    clean = tmp_path / f"clean.{fmt}"
    clean.write_text(write(bad=False))
    loaded = load_project(root)
    whole = read_dataset(loaded.config.data, loaded.labels)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=2)
    streamed = apply_file(applier, loaded.config.data.path, tmp_path / "m.parquet",
                          hidden_columns=("gold",), bad_rows="skip")
    expected = apply_file(applier, clean, tmp_path / "clean.parquet", hidden_columns=("gold",))
    assert streamed.skipped_rows == whole.skipped_rows
    assert streamed.rows == len(TICKETS)
    got, want = LabelMatrix.read_parquet(streamed.path), LabelMatrix.read_parquet(expected.path)
    assert got.item_ids == want.item_ids and (got.votes == want.votes).all()
    assert any("bad rows skipped" in w for w in streamed.warnings)
    with pytest.raises(DataError, match="malformed"):  # the default: an error, streamed too
        apply_file(applier, loaded.config.data.path, tmp_path / "n.parquet")
    dask = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, engine="dask")
    with pytest.raises(DataError, match="not available on the dask engine"):
        apply_file(dask, loaded.config.data.path, tmp_path / "d.parquet", bad_rows="skip")

    skipped: list = []  # the reader's own bad rows (no id column to tell a missing id)
    frames = pd.concat(iter_frames(loaded.config.data.path, chunk_size=2, skipped=skipped))
    read: list = []
    assert frames.reset_index(drop=True).equals(
        read_frame(loaded.config.data.path, skipped=read).reset_index(drop=True)
        .astype(frames.dtypes.to_dict()))
    assert skipped == read == whole.skipped_rows[:-1]


# a bad record of each format, and how each format writes a good row
BAD = {"csv": BAD_CSV[0], "jsonl": '{"id": "t8", "text": "cut off\n'}


def _row(fmt: str, **values: object) -> str:
    ticket = {**TICKETS[0], **values}
    if fmt == "jsonl":
        return json.dumps(ticket) + "\n"
    return f'{ticket["id"]},"{ticket["text"]}",{ticket["plan"]},{ticket["gold"]}\n'


def _after_a_bad_row(make_project, tmp_path, fmt: str, later: list[str]):
    """A project whose file has a good row, a bad one, then ``later``; and where each row
    of the file is: its 1-based row and line."""
    rows = [_row(fmt), BAD[fmt], *later]
    header = 1 if fmt == "csv" else 0
    root = _skip(_project(make_project, tmp_path, fmt, (HEADER if header else "")
                          + "".join(rows), fmt))
    return root, root / "data" / f"items.{fmt}", header


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_rows_after_a_skipped_row_are_named_as_the_file_has_them(make_project, tmp_path, fmt):
    """A duplicate id after a skipped row names the rows and lines the file has, as
    skipped_rows.jsonl numbers them (row 2 is the skipped one: the repeat is row 4)."""
    # t1 again, the file's 4th row, with another text (identical rows are said otherwise)
    later = [_row(fmt, id="t2"), _row(fmt, text="a second message under t1")]
    root, path, header = _after_a_bad_row(make_project, tmp_path, fmt, later)
    with pytest.raises(DataError) as raised:
        run_project(root)
    assert str(raised.value) == (
        f"{path}:{4 + header}: duplicate id 't1' at rows 1 and 4 (lines {1 + header} and "
        f"{4 + header}); ids in column 'id' must be unique")
    skipped: list = []
    read_frame(path, skipped=skipped)
    assert [(r.row, r.line) for r in skipped] == [(2, 2 + header)]

    loaded = load_project(root)  # streamed, the same rows and lines
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=1)
    with pytest.raises(DataError) as streamed:
        apply_file(applier, path, tmp_path / "m.parquet", hidden_columns=("gold",),
                   bad_rows="skip")
    assert str(streamed.value) == str(raised.value)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_unknown_gold_label_after_a_skipped_row_names_the_files_row(make_project,
                                                                      tmp_path, fmt):
    later = [_row(fmt, id="t2", gold="biling")]  # the file's 3rd row
    root, path, header = _after_a_bad_row(make_project, tmp_path, fmt, later)
    with pytest.raises(DataError) as raised:
        run_project(root)
    assert str(raised.value).startswith(
        f"{path}:{3 + header}: row 3 (id 't2'): unknown gold label 'biling'")


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_warnings_after_a_skipped_row_name_the_files_rows(make_project, tmp_path, fmt):
    """An empty text and a gold label with spaces around it, whole and streamed."""
    later = [_row(fmt, id="t2"), _row(fmt, id="t3", text=""), _row(fmt, id="t4", gold=" billing")]
    root, path, _ = _after_a_bad_row(make_project, tmp_path, fmt, later)
    result = run_project(root)
    assert result.dataset.file_rows.tolist() == [0, 2, 3, 4]
    warnings = result.dataset.warnings
    assert any("empty or missing text in column 'text': row 4 (id 't3')" in w
               for w in warnings), warnings
    assert any("(first: row 5, id 't4', ' billing')" in w for w in warnings), warnings

    loaded = load_project(root)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=2)
    streamed = apply_file(applier, path, tmp_path / "m.parquet", hidden_columns=("gold",),
                          bad_rows="skip")
    assert any("empty or missing text in column 'text': row 4 (id 't3')" in w
               for w in streamed.warnings), streamed.warnings


def test_a_row_without_an_id_after_a_skipped_one_counts_it_in_a_stream(make_project, tmp_path):
    """A text of the wrong type after two skipped rows (a bad record, a row without an id)
    names the file's row, read whole and streamed in chunks of one."""
    later = ['{"text": "no id"}\n', _row("jsonl", id="t2", text=7)]
    root, path, _ = _after_a_bad_row(make_project, tmp_path, "jsonl", later)
    with pytest.raises(DataError) as raised:
        run_project(root)
    assert str(raised.value).startswith(f"{path}:4: row 4 (id 't2'): the text in column "
                                        "'text' is 7")
    loaded = load_project(root)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, chunk_size=1)
    with pytest.raises(DataError) as streamed:
        apply_file(applier, path, tmp_path / "m.parquet", hidden_columns=("gold",),
                   bad_rows="skip")
    assert str(streamed.value) == str(raised.value)


@pytest.mark.parametrize(("data", "error"), [
    (HEADER + GOOD[0] + GOOD[0], "duplicate id 't1'"),
    (HEADER + GOOD[0] + '2,"caf\xe9",pro,billing\n', "not valid UTF-8"),
    (HEADER + GOOD[0] + '2,"open quote,pro,billing\n', "quote"),
    ("id,body,plan,gold\n" + GOOD[0], "no text column 'text'"),
    (HEADER + GOOD[0] + '2,"text",pro,biling\n', "unknown gold label 'biling'"),
])
def test_problems_of_the_file_or_of_several_rows_stay_errors(make_project, tmp_path, data,
                                                              error):
    root = _skip(_project(make_project, tmp_path, "p", "", "csv"))
    path = root / "data" / "items.csv"
    path.write_bytes(data.encode("latin-1") if "\xe9" in data else data.encode())
    with pytest.raises(DataError, match=error):
        run_project(root)


def test_a_parquet_file_has_no_bad_rows_to_skip(make_project, tmp_path):
    root = _skip(make_project())
    config = load_config(root)
    path = root / "data" / "items.parquet"
    pd.read_csv(config.data.path, dtype=str).to_parquet(path, index=False)
    dataset = read_dataset(replace(config.data, path=path), config.labels)
    assert dataset.ids == [r["id"] for r in TICKETS] and dataset.skipped_rows == []


@pytest.mark.parametrize(("value", "said"), [
    ('"skp"', "[data] bad_rows 'skp'; did you mean 'skip'? valid: \"error\""),
    ("true", "[data] bad_rows True; valid: \"error\""),
])
def test_an_unknown_bad_rows_value_is_a_config_error_listing_the_valid_ones(
        make_project, value, said):
    root = make_project()
    toml = root / "labelwright.toml"
    toml.write_text(toml.read_text().replace("[data]\n", f"[data]\nbad_rows = {value}\n"))
    with pytest.raises(ConfigError) as raised:
        load_config(root)
    assert said in str(raised.value) and '"skip"' in str(raised.value)
    assert "labelwright.toml:" in str(raised.value)
