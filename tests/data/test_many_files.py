"""A dataset in many files (a folder of parts, a wildcard, a list of files) is read as one:
parts in order, each in its own format, errors naming the part and its row, ids unique
across parts, every part in the manifest and checked by ``runs verify --inputs``."""

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from labelwright import check_project, load_project, run_project, verify_runs
from labelwright.apply import Applier, apply_file
from labelwright.config.schema import DataConfig
from labelwright.data.dataset import read_dataset
from labelwright.data.formats import read_frame
from labelwright.errors import ConfigError, DataError

ROWS = pd.DataFrame({"id": ["a1", "a2", "a3"],
                     "text": ["refund please", "app crashes", "charged twice, refund"],
                     "gold": ["billing", "technical", "billing"]})


def _parts(folder, frames=None):
    """Parquet parts in ``folder``, one a row of ROWS unless ``frames`` are given."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = frames if frames is not None else [ROWS[k:k + 1] for k in range(len(ROWS))]
    for k, frame in enumerate(frames):
        frame.to_parquet(folder / f"part-{k:05d}.parquet", index=False)
    return folder


def _with_path(root, value):
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('path = "data/items.csv"', f"path = {value}"))
    return config


def _read(path, **settings):
    return read_dataset(DataConfig(path, gold_column="gold", **settings), ("billing", "technical"))


@pytest.mark.parametrize("value", ['"data/parts"', '"data/parts/*.parquet"',
                                   '["data/parts/part-00000.parquet", '
                                   '"data/parts/part-00001.parquet", '
                                   '"data/parts/part-00002.parquet"]'])
def test_a_folder_a_wildcard_or_a_list_runs_with_every_part_in_the_manifest(
        make_project, value):
    """`[data] path = "data/parts"` was "is a folder, not a file ... combine the parts", and
    the combined file's manifest named only the combined file."""
    root = make_project()
    folder = _parts(root / "data" / "parts")
    _with_path(root, value)
    assert check_project(root).ok, check_project(root).problems
    result = run_project(root, report=False)
    assert list(result.dataset.ids) == ["a1", "a2", "a3"]
    data = json.loads((result.run_dir / "manifest.json").read_text())["data"]
    files = sorted(folder.glob("*.parquet"))
    assert [p["path"] for p in data["parts"]] == [str(f) for f in files]
    assert [p["rows"] for p in data["parts"]] == [1, 1, 1]
    assert len({p["sha256"] for p in data["parts"]}) == 3
    assert data["sha256"] not in {p["sha256"] for p in data["parts"]}
    assert data["rows"] == 3


def test_parts_are_read_in_name_order_and_a_list_in_its_own(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    ROWS[2:].to_parquet(folder / "b.parquet", index=False)
    ROWS[:2].to_json(folder / "a.jsonl", orient="records", lines=True)
    (folder / "_SUCCESS").write_text("")  # a Spark marker is no part
    assert list(_read(folder).ids) == ["a1", "a2", "a3"]
    given = read_dataset(DataConfig(folder, gold_column="gold",
                                    parts=(folder / "b.parquet", folder / "a.jsonl")),
                         ("billing", "technical"))
    assert list(given.ids) == ["a3", "a1", "a2"]


def test_an_error_names_the_part_and_its_own_row(tmp_path):
    """The error named the combined file's row 3, not the part that holds it."""
    bad = pd.DataFrame({"id": ["b1", None], "text": ["ok", "no id here"],
                        "gold": ["billing", "billing"]})
    folder = _parts(tmp_path / "parts", [ROWS, bad])
    with pytest.raises(DataError, match=r"part-00001\.parquet: row 2"):
        _read(folder)


def test_problems_of_every_part_are_said_in_one_error(tmp_path):
    no_text = pd.DataFrame({"id": ["b1"], "body": ["x"], "gold": ["billing"]})
    no_id = pd.DataFrame({"id": [None], "text": ["y"], "gold": ["billing"]})
    folder = _parts(tmp_path / "parts", [ROWS, no_text, no_id])
    with pytest.raises(DataError) as info:
        _read(folder)
    said = str(info.value)
    assert "part-00001.parquet: no text column 'text'; columns present: id, body, gold\n" \
        in said  # not "name it in [data] text_column": the other parts have 'text'
    assert "part-00002.parquet: row 1" in said
    assert "problems in 2 of the 3 files" in said


def test_skipped_rows_name_their_part(tmp_path):
    bad = pd.DataFrame({"id": ["b1", None], "text": ["ok", "no id"], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS, bad])
    dataset = _read(folder, bad_rows="skip")
    assert list(dataset.ids) == ["a1", "a2", "a3", "b1"]
    (row,) = dataset.skipped_rows
    assert (row.file, row.row) == (str(folder / "part-00001.parquet"), 2)
    assert any(w.startswith(f"{folder / 'part-00001.parquet'}: 1 bad row skipped")
               for w in dataset.warnings), dataset.warnings
    assert [p.skipped for p in dataset.parts] == [0, 1]


def test_a_part_of_only_bad_rows_is_an_error_saying_why_and_the_way_out(tmp_path):
    """A part whose every row is skipped is refused, as a file of only bad rows is (a whole
    part lost is no row's own problem: a job wrote it wrong); the error said "the dataset
    has no rows but the 2 bad rows skipped", neither why nor what to do."""
    bad = pd.DataFrame({"id": [None, None], "text": ["x", "y"], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS, bad])
    with pytest.raises(DataError) as info:
        _read(folder, bad_rows="skip")
    said = str(info.value)
    assert said.startswith(f"{folder / 'part-00001.parquet'}: every row is a bad row (2 "
                           "skipped under [data] bad_rows = \"skip\": row 1: no id"), said
    assert said.endswith("mend the part, or leave it out of [data] path (name the other "
                         "parts with a wildcard or a list)"), said


def test_an_id_in_two_parts_names_both_files_and_rows(tmp_path):
    again = pd.DataFrame({"id": ["b1", "a2"], "text": ["x", "y"], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS, again])
    with pytest.raises(DataError) as info:
        _read(folder)
    assert str(info.value).startswith(
        f"{folder / 'part-00001.parquet'}: row 2: duplicate id 'a2' in column 'id', also at "
        f"{folder / 'part-00000.parquet'}: row 2; ids must be unique across the 2 files")


def test_int_ids_in_one_part_and_string_ids_in_another_are_read_as_text(tmp_path):
    """Combining such parts into one Parquet file raised pyarrow's ArrowTypeError."""
    ints = pd.DataFrame({"id": [12, 13], "text": ["x", "y"], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS, ints])
    assert list(_read(folder).ids) == ["a1", "a2", "a3", "12", "13"]


def test_a_column_only_some_parts_have_is_said(tmp_path):
    more = ROWS[:1].assign(id="b1", stars=4)
    dataset = _read(_parts(tmp_path / "parts", [ROWS, more]))
    assert dataset.fields["stars"].isna().tolist() == [True, True, True, False]
    assert any("column 'stars' is in 1 of the 2 files" in w and "part-00000.parquet" in w
               for w in dataset.warnings), dataset.warnings


def test_an_empty_part_adds_no_rows_and_is_listed(tmp_path):
    folder = _parts(tmp_path / "parts", [ROWS, ROWS[:0]])
    dataset = _read(folder)
    assert len(dataset) == 3 and [p.rows for p in dataset.parts] == [3, 0]


@pytest.mark.parametrize("content", ["", "\n\n"])
def test_an_empty_jsonl_part_adds_no_rows_in_a_run_as_in_apply_file(make_project, tmp_path,
                                                                    content):
    """A JSONL part with no line (a job's empty part) stopped a run with "no rows; expected
    one JSON object per line", while apply_file read the folder without it."""
    folder = _parts(tmp_path / "parts", [ROWS])
    (folder / "part-00001.jsonl").write_text(content)
    dataset = _read(folder)
    assert len(dataset) == 3 and [p.rows for p in dataset.parts] == [3, 0]
    loaded = load_project(make_project())
    result = apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                        tmp_path / "m.parquet")
    assert result.rows == 3


def test_a_jsonl_file_of_only_malformed_lines_names_them_as_apply_file_does(make_project,
                                                                           tmp_path):
    """Under bad_rows = "skip" a read said "no rows; expected one JSON object per line" of
    a file whose every line was skipped, hiding why; apply_file named the lines."""
    path = tmp_path / "items.jsonl"
    path.write_text('{"id": "a1", "text": \n{bad\n')
    with pytest.raises(DataError) as read:
        read_dataset(DataConfig(path, bad_rows="skip"), ("billing", "technical"))
    assert str(read.value).startswith(f"{path}: every row is a bad row (2 skipped under "
                                      "[data] bad_rows = \"skip\": line 1, row 1: malformed "
                                      "JSON"), str(read.value)
    loaded = load_project(make_project())
    with pytest.raises(DataError) as streamed:
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), path,
                   tmp_path / "m.parquet", bad_rows="skip")
    assert str(streamed.value) == str(read.value)


@pytest.mark.parametrize(("make", "said"), [
    (lambda f: (f / "notes.txt").write_text("x"), r"notes\.txt: not a dataset file"),
    (lambda f: (f / "day=1").mkdir(), r"holds the folder 'day=1'.*wildcard"),
])
def test_a_folder_holding_what_is_no_part_is_refused_by_name(tmp_path, make, said):
    folder = _parts(tmp_path / "parts")
    make(folder)
    with pytest.raises(DataError, match=said):
        _read(folder)


def test_a_wildcard_matching_nothing_and_an_empty_folder_are_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="the folder holds no dataset file"):
        _read(tmp_path / "empty")
    with pytest.raises(DataError, match="no file matches the wildcard"):
        _read(tmp_path / "none" / "*.parquet")


@pytest.mark.parametrize(("value", "said"), [
    ("[]", "[data] path is an empty list"),
    ('["data/a.parquet", "data/a.parquet"]', "[data] path lists 'data/a.parquet' twice"),
])
def test_a_list_empty_or_naming_a_file_twice_is_a_config_error(make_project, value, said):
    root = make_project()
    _with_path(root, value)
    with pytest.raises(ConfigError, match=said.replace("[", r"\[").replace("]", r"\]")):
        load_project(root)


def test_read_frame_still_reads_one_file_and_says_where_many_are_read(tmp_path):
    folder = _parts(tmp_path / "parts")
    with pytest.raises(DataError, match=r"is a folder.*\[data\] path \(or --data\) names"):
        read_frame(folder)


def test_runs_verify_inputs_names_the_part_changed_added_or_removed(make_project):
    root = make_project()
    folder = _parts(root / "data" / "parts")
    _with_path(root, '"data/parts"')
    run_project(root, report=False)
    (check,) = verify_runs(root, inputs=True)
    assert check.ok, (check.problems, check.inputs)
    ROWS[:1].assign(text="changed").to_parquet(folder / "part-00000.parquet", index=False)
    ROWS[:0].to_parquet(folder / "part-00009.parquet", index=False)
    (folder / "part-00002.parquet").unlink()
    (check,) = verify_runs(root, inputs=True)
    said = [str(c) for c in check.inputs.changes]
    assert len(said) == 3, said
    assert said[0].startswith("data part data/parts/part-00000.parquet: sha256 ")
    assert said[1].startswith("data part data/parts/part-00002.parquet: gone")
    assert said[2].startswith("data part data/parts/part-00009.parquet: added since the run")


def test_runs_verify_inputs_says_why_a_folder_cannot_be_hashed_not_that_it_is_gone(
        make_project):
    """A file that is no part, dropped into the folder, made verify say "data file
    data/parts: gone": the folder is there, and the read names the file to move out."""
    root = make_project()
    folder = _parts(root / "data" / "parts")
    _with_path(root, '"data/parts"')
    run_project(root, report=False)
    (folder / "notes.txt").write_text("to do")
    (check,) = verify_runs(root, inputs=True)
    assert not check.ok
    assert [str(c) for c in check.inputs.changes] == []
    (said,) = check.inputs.problems
    assert said.startswith("data folder data/parts: cannot be hashed now: ")
    assert "notes.txt: not a dataset file" in said


def test_apply_file_streams_the_parts_as_one_matrix(make_project, tmp_path):
    loaded = load_project(make_project())
    folder = _parts(tmp_path / "parts")
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp)
    one = tmp_path / "all.parquet"
    ROWS.to_parquet(one, index=False)
    whole = apply_file(applier, one, tmp_path / "whole.parquet")
    parts = apply_file(applier, folder, tmp_path / "parts.parquet")
    assert parts.rows == whole.rows == 3
    assert pq.read_table(tmp_path / "parts.parquet").equals(
        pq.read_table(tmp_path / "whole.parquet"))
    assert parts.lf_counts == whole.lf_counts
    files = sorted(folder.iterdir())
    listed = apply_file(applier, [files[2], *files[:2]], tmp_path / "listed.parquet")
    assert listed.rows == 3
    assert pq.read_table(tmp_path / "listed.parquet").column("id").to_pylist() == [
        "a3", "a1", "a2"]


def test_apply_file_names_an_id_in_two_parts(make_project, tmp_path):
    loaded = load_project(make_project())
    folder = _parts(tmp_path / "parts", [ROWS, ROWS[1:2]])
    with pytest.raises(DataError, match=r"part-00001\.parquet: row 1: duplicate id 'a2'.*"
                                        r"part-00000\.parquet: row 2"):
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                   tmp_path / "m.parquet")
    assert not (tmp_path / "m.parquet").exists()


def test_apply_file_stops_at_the_part_that_repeats_an_id(make_project, tmp_path):
    """An id in two parts was found once every part had been applied: the parts after the
    second were streamed through the LFs for nothing."""
    loaded = load_project(make_project())
    later = pd.DataFrame({"id": ["b1", "b2"], "text": ["x", "y"], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS, ROWS[1:2], later])
    streamed: list[int] = []
    with pytest.raises(DataError, match=r"part-00001\.parquet: row 1: duplicate id 'a2'.*"
                                        r"part-00000\.parquet: row 2; ids must be unique "
                                        r"across the 3 files"):
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                   tmp_path / "m.parquet", progress=streamed.append)
    assert sum(streamed) == 4  # the first two parts; not the third
    assert not (tmp_path / "m.parquet").exists()


def test_apply_file_goes_on_past_two_parts_whose_ids_differ(make_project, tmp_path,
                                                             monkeypatch):
    """Ids are compared by a hash first: parts whose ids share a hash, not an id, are no
    error (the ids themselves are compared then)."""
    from labelwright.apply import stream  # the hashes each stream keeps, the parts' too

    monkeypatch.setattr(stream, "id_hashes", lambda ids: np.zeros(len(ids), dtype=np.int64))
    loaded = load_project(make_project())
    folder = _parts(tmp_path / "parts")
    result = apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                        tmp_path / "m.parquet")
    assert pq.read_table(result.path).column("id").to_pylist() == ["a1", "a2", "a3"]


def test_empty_texts_of_every_part_are_one_warning_naming_part_and_row(tmp_path):
    """Each part warned of its own empty texts: a folder of 8 parts gave 8 warnings."""
    blank = pd.DataFrame({"id": ["b1", "b2"], "text": ["ok", ""], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS.assign(text=["", "x", "y"]), blank])
    said = [w for w in _read(folder).warnings if "empty or missing" in w]
    assert len(said) == 1, said
    assert said[0].startswith(f"{folder}: 2 empty or missing texts in column 'text': "
                              "part-00000.parquet: row 1 (id 'a1'), part-00001.parquet: row 2 "
                              "(id 'b2')"), said


def test_a_warning_every_part_gives_is_one_line_naming_the_parts(tmp_path):
    """Each part said its own gold labels with spaces around them: 5 parts gave 5 lines of
    one condition. The first part's is said in full, the others named after it."""
    spaced = [pd.DataFrame({"id": [f"p{k}"], "text": ["x"], "gold": [" billing"]})
              for k in range(5)]
    folder = _parts(tmp_path / "parts", [ROWS, *spaced])
    said = [w for w in _read(folder).warnings if "spaces around them" in w]
    assert said == [f"{folder / 'part-00001.parquet'}: 1 gold label(s) in column 'gold' have "
                    "spaces around them (first: row 1, id 'p0', ' billing'); read as the "
                    "label without them (the same in part-00002.parquet, "
                    "part-00003.parquet, part-00004.parquet and 1 more: 5 files in all, 1 in "
                    "each)"]


def _jsonl_parts(folder, bad_per_part, good=3):
    """Gzip JSONL parts in ``folder``, each ``good`` rows and then its count of
    ``bad_per_part`` lines cut short."""
    import gzip

    folder.mkdir(parents=True)
    for k, bad in enumerate(bad_per_part):
        lines = [json.dumps({"id": f"p{k}-{i}", "text": "refund", "gold": "billing"})
                 for i in range(good)]
        with gzip.open(folder / f"part-{k:05d}.jsonl.gz", "wt") as handle:
            handle.write("\n".join(lines + ['{"id": "x", "text": '] * bad) + "\n")
    return folder


def test_bad_rows_of_every_part_are_said_with_their_total(tmp_path):
    """4 parts of 50 bad rows each said "part-00000.jsonl.gz: 50 bad rows skipped ... (the
    same in part-00001.jsonl.gz, ...: 4 files in all)": the 200 bad rows in all were said
    nowhere."""
    folder = _jsonl_parts(tmp_path / "parts", [50] * 4)
    dataset = _read(folder, bad_rows="skip")
    assert len(dataset.skipped_rows) == 200
    [said] = [w for w in dataset.warnings if "bad rows skipped" in w]
    assert said.startswith(f"{folder / 'part-00000.jsonl.gz'}: 50 bad rows skipped"), said
    assert said.endswith("(the same in part-00001.jsonl.gz, part-00002.jsonl.gz, "
                         "part-00003.jsonl.gz: 4 files in all, 200 bad rows skipped, 50 in "
                         "each)"), said


def test_bad_rows_of_parts_in_other_counts_are_said_by_part_and_in_all(tmp_path):
    """Parts whose counts differ name each other part's own beside it, and the total; the
    parts past those named are in the total only."""
    folder = _jsonl_parts(tmp_path / "parts", [1, 700, 2, 300, 4])
    [said] = [w for w in _read(folder, bad_rows="skip").warnings if "skipped" in w]
    assert said.startswith(f"{folder / 'part-00000.jsonl.gz'}: 1 bad row skipped"), said
    assert said.endswith("(the same in part-00001.jsonl.gz (700), part-00002.jsonl.gz (2), "
                         "part-00003.jsonl.gz (300) and 1 more: 5 files in all, 1,007 bad "
                         "rows skipped)"), said
    # one in each: the files' count is the total
    ones = [w for w in _read(_jsonl_parts(tmp_path / "ones", [1, 1]), bad_rows="skip").warnings
            if "skipped" in w]
    assert ones[0].endswith("(the same in part-00001.jsonl.gz: 2 files in all, 1 in each)")


def test_warnings_of_one_kind_about_other_columns_stay_apart(tmp_path):
    """Grouping goes by what a warning is about: the numbers-and-text warning of one column
    is not folded into that of another."""
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "a.jsonl").write_text(
        '{"id": "a1", "text": "x", "code": "1"}\n{"id": "a2", "text": "y", "code": 2}\n'
        '{"id": "a3", "text": "z", "code": 3}\n')
    (folder / "b.jsonl").write_text(
        '{"id": "b1", "text": "x", "price": 1.5}\n{"id": "b2", "text": "y", "price": "2"}\n'
        '{"id": "b3", "text": "z", "price": 3.0}\n')
    said = [w for w in read_dataset(DataConfig(folder), ("billing", "technical")).warnings
            if "holds numbers" in w]
    assert len(said) == 2, said
    assert {"'code'", "'price'"} == {w.split("column ")[1].split(" ")[0] for w in said}


def _mixed(name, *columns):
    """Three JSONL rows (ids ``name``-0 ...) whose ``columns`` each hold a text and two
    numbers."""
    return "".join(json.dumps({"id": f"{name}-{k}", "text": "x",
                               **dict.fromkeys(columns, value)}) + "\n"
                   for k, value in enumerate(["1", 2, 3]))


@pytest.mark.parametrize(("first", "second"), [("q1", "q2"), ("price (usd)", "price (eur)")])
def test_warnings_of_columns_told_apart_by_a_digit_or_a_bracket_stay_apart(
        make_project, tmp_path, first, second):
    """Counts were read as any digits and a warning's subject cut at its first " (", inside
    the column's name too: the warning of 'q2' was taken for that of 'q1' and lost, in one
    part (said as "the same in a.jsonl", the part itself) or in two."""
    folder = tmp_path / "parts"
    folder.mkdir()
    (folder / "a.jsonl").write_text(_mixed("a", first, second))
    (folder / "b.jsonl").write_text(_mixed("b", first))
    (folder / "c.jsonl").write_text(_mixed("c", second))
    said = [w for w in read_dataset(DataConfig(folder), ("billing", "technical")).warnings
            if "holds numbers" in w]
    assert len(said) == 2, said
    by_column = {column: w for w in said for column in (first, second)
                 if f"column {column!r} holds" in w}
    assert set(by_column) == {first, second}, said
    assert by_column[first].endswith("(the same in b.jsonl: 2 files in all)"), said
    assert by_column[second].endswith("(the same in c.jsonl: 2 files in all)"), said
    loaded = load_project(make_project())
    result = apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                        tmp_path / "m.parquet")
    assert sorted(w for w in result.warnings if "holds numbers" in w) == sorted(said)


def test_no_file_is_written_into_the_folder_of_parts(make_project, tmp_path):
    """A label matrix or review export written there would be read as a part next time."""
    from labelwright.errors import RunError

    root = make_project()
    folder = _parts(root / "data" / "parts")
    _with_path(root, '"data/parts"')
    loaded = load_project(root)
    applier = Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp, root=root)
    with pytest.raises(RunError, match="the dataset's folder, whose every file a run reads"):
        apply_file(applier, root / "data" / "items.csv", folder / "matrix.parquet")
    with pytest.raises(DataError, match="whose every file is read as a part"):
        apply_file(applier, folder, folder / "matrix.parquet")
    assert sorted(p.name for p in folder.iterdir()) == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]


def test_the_data_hash_of_parts_is_the_readme_recipe(tmp_path):
    """README "Hash recipes": computed again from each part's sha256sum and name."""
    import hashlib

    folder = _parts(tmp_path / "parts")
    digest = hashlib.sha256(b"labelwright dataset parts\n")
    for part in sorted(folder.iterdir()):
        sha = hashlib.sha256(part.read_bytes()).hexdigest()
        digest.update(f"{part.name}\x1f{sha}\n".encode())
    assert _read(folder).sha256 == digest.hexdigest()
    assert _read(folder / "*.parquet").sha256 == digest.hexdigest()


def test_runs_show_names_each_part_and_what_the_hash_is_of(make_project, cli):
    root = make_project()
    _parts(root / "data" / "parts")
    _with_path(root, '"data/parts"')
    run_project(root, report=False)
    code, said = cli("runs", "show", "-p", str(root))
    flat = " ".join(said.split())
    assert code == 0, said
    assert "data in 3 files: sha256 is one digest of each file's name" in flat, said
    assert "data parts: 3 files: part-00000.parquet (1 row, sha256 " in flat, said


def test_apply_file_says_the_empty_texts_of_every_part_once(make_project, tmp_path):
    loaded = load_project(make_project())
    blank = pd.DataFrame({"id": ["b1", "b2"], "text": ["ok", ""], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS.assign(text=["", "x", "y"]), blank])
    result = apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                        tmp_path / "m.parquet")
    said = [w for w in result.warnings if "empty or missing" in w]
    assert result.empty_texts == 2 and len(said) == 1, result.warnings
    assert said[0].startswith(f"{folder}: 2 empty or missing texts in column 'text': "
                              "part-00000.parquet: row 1 (id 'a1'), part-00001.parquet: row 2 "
                              "(id 'b2')"), said


def test_apply_file_says_a_warning_every_part_gives_once(make_project, tmp_path):
    """apply_file gave one line a part for ids with spaces around them in every part."""
    loaded = load_project(make_project())
    folder = tmp_path / "parts"
    folder.mkdir()
    for k in range(4):
        (folder / f"day{k}.jsonl").write_text(f'{{"id": " d{k}", "text": "refund"}}\n')
    result = apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                        tmp_path / "m.parquet")
    said = [w for w in result.warnings if "spaces around them" in w]
    assert len(said) == 1, result.warnings
    assert said[0].startswith(f"{folder / 'day0.jsonl'}: 1 id(s) in column 'id' have "), said
    assert said[0].endswith("(the same in day1.jsonl, day2.jsonl, day3.jsonl: 4 files in "
                            "all, 1 in each)"), said
    # said once for the parts, it keeps the kind each part's said (warning_kinds)
    from labelwright.warning_kinds import warning_kind

    assert [warning_kind(w) for w in result.warnings] == ["data"] * len(result.warnings)


def test_apply_file_reads_a_folder_with_an_empty_part_as_a_run_does(make_project, tmp_path):
    """A run read the folder (an empty part adds no rows); apply_file stopped at the empty
    part with "the dataset has no rows"."""
    loaded = load_project(make_project())
    empty = ROWS[:0]
    folder = _parts(tmp_path / "parts", [ROWS, empty])
    assert len(_read(folder)) == 3
    result = apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                        tmp_path / "m.parquet")
    assert result.rows == 3
    assert pq.read_table(tmp_path / "m.parquet").column("id").to_pylist() == ["a1", "a2", "a3"]


def test_apply_file_names_a_part_of_only_bad_rows_and_the_way_out(make_project, tmp_path):
    loaded = load_project(make_project())
    folder = _parts(tmp_path / "parts", [ROWS])
    (folder / "part-00001.jsonl").write_text('{"id": null, "text": "x"}\n')
    with pytest.raises(DataError, match=r"part-00001\.jsonl: every row is a bad row .*"
                                        r"mend the part, or leave it out of \[data\] path"):
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                   tmp_path / "m.parquet", bad_rows="skip")


def test_apply_file_and_a_run_say_ids_in_two_parts_alike(make_project, tmp_path):
    """apply_file had its own copy of the check, which said the further ids otherwise
    ("and 1 more ids in two files: ...; ..." against a read's "and 1 more id")."""
    loaded = load_project(make_project())
    folder = _parts(tmp_path / "parts", [ROWS, ROWS[1:], ROWS[:0]])  # an empty part too
    with pytest.raises(DataError) as streamed:
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                   tmp_path / "m.parquet")
    with pytest.raises(DataError) as read:
        _read(folder)
    assert "and 1 more id in two files: 'a3' at " in str(read.value)
    assert str(streamed.value) == str(read.value)


def test_parts_of_one_name_in_sub_folders_are_told_apart_in_warnings(make_project, tmp_path):
    """With data/**/*.jsonl, two parts named items.jsonl were both said as 'items.jsonl'."""
    for day, extra in (("day1", ', "plan": "pro"'), ("day2", "")):
        (tmp_path / "data" / day).mkdir(parents=True)
        (tmp_path / "data" / day / "items.jsonl").write_text(
            f'{{"id": "{day}", "text": ""{extra}}}\n')
    dataset = read_dataset(DataConfig(tmp_path / "data" / "**" / "*.jsonl"),
                           ("billing", "technical"))
    (column,) = [w for w in dataset.warnings if "column 'plan'" in w]
    assert "not in day2/items.jsonl:" in column, column
    loaded = load_project(make_project())
    result = apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp),
                        tmp_path / "data" / "**" / "*.jsonl", tmp_path / "m.parquet")
    (empty,) = [w for w in result.warnings if "empty or missing" in w]
    assert "day1/items.jsonl: row 1 (id 'day1'), day2/items.jsonl: row 1 (id 'day2')" in empty
    # the read says a part's row as apply_file does (they had "p row 1" and "p: row 1")
    (empty,) = [w for w in dataset.warnings if "empty or missing" in w]
    assert "day1/items.jsonl: row 1 (id 'day1'), day2/items.jsonl: row 1 (id 'day2')" in empty


def test_runs_show_tells_apart_parts_of_one_name_in_sub_folders(make_project, cli):
    """`runs show` named each part by its file name: two parts of a `**` wildcard,
    day1/items.csv and day2/items.csv, read alike."""
    root = make_project()
    for day in ("day1", "day2"):
        (root / "data" / "days" / day).mkdir(parents=True)
        (root / "data" / "days" / day / "items.csv").write_text(
            f"id,text,gold\n{day},Please refund me,billing\n", encoding="utf-8")
    _with_path(root, '"data/days/**/items.csv"')
    run_project(root, report=False)
    code, said = cli("runs", "show", "-p", str(root))
    assert code == 0, said
    assert "data parts: 2 files: day1/items.csv (1 row, sha256 " in said, said
    assert "; day2/items.csv (1 row, sha256 " in said, said


def test_apply_file_names_parts_from_the_wildcards_folder_as_a_run_does(make_project,
                                                                      tmp_path):
    """apply_file named parts from the folder all of them share: with data/**/*.jsonl and
    every part in data/day1, 'a.jsonl' where a run said 'day1/a.jsonl'."""
    (tmp_path / "data" / "day1").mkdir(parents=True)
    for name in ("a", "b"):
        (tmp_path / "data" / "day1" / f"{name}.jsonl").write_text(
            f'{{"id": "{name}", "text": ""}}\n')
    wildcard = tmp_path / "data" / "**" / "*.jsonl"
    (read,) = [w for w in read_dataset(DataConfig(wildcard), ("billing", "technical")).warnings
               if "empty or missing" in w]
    assert "day1/a.jsonl: row 1 (id 'a'), day1/b.jsonl: row 1 (id 'b')" in read, read
    loaded = load_project(make_project())
    result = apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), wildcard,
                        tmp_path / "m.parquet")
    assert [w for w in result.warnings if "empty or missing" in w] == [read]


def test_a_subset_of_a_dataset_in_many_files_names_no_wrong_part(tmp_path):
    """A subset made with dataclasses.replace (check's trial items) kept the parts' row
    counts of the whole: its 2nd item, from the 3rd part, was said to be in the 2nd."""
    from dataclasses import replace

    dataset = _read(_parts(tmp_path / "parts"))
    assert dataset.where(2) == f"{tmp_path / 'parts' / 'part-00002.parquet'}: row 1"
    subset = replace(dataset, ids=[dataset.ids[0], dataset.ids[2]],
                     texts=[dataset.texts[0], dataset.texts[2]],
                     file_rows=dataset.file_rows[[0, 2]])
    assert subset.file_of(1) == str(tmp_path / "parts")


def test_checks_reversed_trial_items_are_not_placed_in_the_parts_of_their_positions(tmp_path):
    """check's second trial pass applies the items in reverse; for a dataset no larger than
    the trial the count stays the same, and each item was said to be in the part of its
    new position."""
    import numpy as np

    from labelwright.project.check_trial import _rows

    dataset = _read(_parts(tmp_path / "parts"))
    n = len(dataset)
    forward = _rows(dataset, np.arange(n))
    assert forward.file_of(n - 1) == dataset.file_of(n - 1)
    backward = _rows(dataset, np.arange(n)[::-1])
    assert backward.ids[0] == dataset.ids[n - 1]
    assert dataset.file_of(0) != dataset.file_of(n - 1)
    # the folder, not the first part (where position 0 lies)
    assert backward.file_of(0) == dataset.source


def test_runs_verify_inputs_names_the_items_of_a_changed_part(make_project):
    """A changed part said only `data part X: sha256 a -> b`, though the run keeps a text
    hash per item: the items of that part whose text changed, added or gone are named."""
    root = make_project()
    folder = _parts(root / "data" / "parts", [ROWS[:2], ROWS[2:]])
    _with_path(root, '"data/parts"')
    run_project(root, report=False)
    (check,) = verify_runs(root, inputs=True)
    assert check.ok and "data parts" in check.inputs.checked  # not "data file": a folder
    changed = ROWS[:2].copy()
    changed.loc[1, "text"] = "the app crashes on start"
    extra = pd.DataFrame({"id": ["a9"], "text": ["new"], "gold": ["billing"]})
    pd.concat([changed[1:], extra]).to_parquet(folder / "part-00000.parquet", index=False)
    (check,) = verify_runs(root, inputs=True)
    (change,) = check.inputs.changes
    assert str(change).startswith("data part data/parts/part-00000.parquet: sha256 ")
    assert change.items == ("items whose text changed since the run: 1 (a2)",
                            "items added since the run: 1 (a9)",
                            "items gone since the run: 1 (a1)"), change.items


def test_a_stray_file_in_a_folder_of_csv_parts_is_told_a_csv_wildcard(tmp_path):
    """A stray .xlsx among CSV parts got the advice to name the parts `*.parquet`."""
    folder = tmp_path / "parts"
    folder.mkdir()
    for k in range(2):
        ROWS.to_csv(folder / f"complaints_2026-0{k + 1}.csv.gz", index=False)
    ROWS.to_csv(folder / "complaints_2026-03.csv", index=False)
    (folder / "complaints_2026-03.xlsx").write_bytes(b"PK")
    with pytest.raises(DataError) as raised:
        _read(folder)
    assert f"({folder / '*.csv*'}, or {folder / '**' / '*.csv*'} to read" \
        in str(raised.value), raised.value
    assert "parquet" not in str(raised.value).split("move it out")[1]


STARS_LF = """
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mid(item):
    return "billing" if item.stars == 3 else ABSTAIN
"""


def test_a_column_of_numbers_in_one_part_and_text_in_another_names_the_part(tmp_path):
    """"holds text in 2 rows (first: row 1, ...)" named no part of a folder of parts, where
    the mixed types come from parts written otherwise."""
    from labelwright.lfs.discovery import discover
    from labelwright.lfs.number_comparisons import number_comparisons

    folder = _parts(tmp_path / "parts", [ROWS.assign(stars=[3, 4, 5]),
                                        pd.DataFrame({"id": ["b1", "b2"], "text": ["x", "y"],
                                                      "gold": ["billing"] * 2,
                                                      "stars": ["3", "4"]})])
    lfs = tmp_path / "lfs"
    lfs.mkdir()
    (lfs / "rules.py").write_text(STARS_LF, encoding="utf-8")
    (found,) = number_comparisons(discover(lfs), _read(folder))
    assert "holds text in 2 rows (first: part-00001.parquet: row 1, '3') and numbers in " \
        "3 rows" in str(found), str(found)


def test_a_part_is_named_within_its_folder_or_by_its_file_name(tmp_path):
    """Messages of the read, of an LF's failures and of explain each chose a part's name
    their own way; one rule names it for all: within the parts' folder, else its name."""
    from labelwright.data.part_files import shown_part

    base = tmp_path / "parts"
    assert shown_part(base / "2025" / "01.csv", str(base)) == "2025/01.csv"
    assert shown_part(str(base / "2026" / "01.csv"), str(base)) == "2026/01.csv"
    assert shown_part(base / "2025" / "01.csv", "") == "01.csv"
    dataset = _read(_parts(base))
    assert dataset.part_place(2) == "part-00002.parquet: row 1"


def _corrupt(path):
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def test_an_id_in_two_parts_is_said_with_the_problems_of_the_others(tmp_path):
    """A folder of parts took three reads to show its problems: an id in two parts was said
    only once every part read cleanly. A part whose rows have problems compares the ids it
    read all the same; one that cannot be read is named as not compared."""
    no_id = pd.DataFrame({"id": [None, "a2"], "text": ["x", "y"], "gold": ["billing"] * 2})
    again = pd.DataFrame({"id": ["c1", "a3"], "text": ["x", "y"], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS, no_id, ROWS.assign(id=["b1", "b2", "b3"]),
                                        again])
    _corrupt(folder / "part-00002.parquet")
    with pytest.raises(DataError) as info:
        _read(folder)
    lines = str(info.value).splitlines()
    assert lines[0].startswith(f"{folder / 'part-00001.parquet'}: row 1"), lines
    assert "no id in column 'id'" in lines[0], lines
    assert lines[1].startswith('  ([data] bad_rows = "skip" leaves such rows out instead'), lines
    assert lines[2].startswith(f"{folder / 'part-00002.parquet'}: cannot read as Parquet: ")
    assert lines[3] == (
        f"{folder / 'part-00001.parquet'}: row 2: duplicate id 'a2' in column 'id', also at "
        f"{folder / 'part-00000.parquet'}: row 2; ids must be unique across the 4 files of "
        f"{folder}"), lines
    assert lines[4] == (f"  and 1 more id in two files: 'a3' at {folder / 'part-00000.parquet'}"
                        f": row 3 and {folder / 'part-00003.parquet'}: row 2"), lines
    assert lines[5] == (f"(problems in 2 of the 4 files of {folder}, and ids in two files, all "
                        "found in one read: fix them together)")
    assert lines[6] == ("(ids compared across 3 of the 4 files: not those of "
                        "part-00002.parquet, which could not be read; an id in two files may "
                        "still be found once it is mended)")
    assert len(lines) == 7


def test_csv_parts_compare_the_ids_of_the_rows_read_and_say_which_were_not(tmp_path):
    """A row that cannot be read may hold an id in another part too: the error says the
    part's ids were compared only in its rows read; its own repeated id is its own problem,
    not an id in two files."""
    folder = tmp_path / "parts"
    folder.mkdir()
    ROWS.to_csv(folder / "p1.csv", index=False)
    (folder / "p2.csv").write_text("id,text,gold\nb1,x,billing\nb2,one,two,three,four\n"
                                   "a1,y,billing\nb1,z,billing\n")
    with pytest.raises(DataError) as info:
        _read(folder)
    said = str(info.value)
    lines = said.splitlines()
    assert lines[0].startswith(f"{folder / 'p2.csv'}:3: row 2: "), lines
    assert any(line.startswith(f"{folder / 'p2.csv'}:5: duplicate id 'b1' at rows 1 and 4")
               for line in lines), lines
    assert (f"{folder / 'p2.csv'}: row 3: duplicate id 'a1' in column 'id', also at "
            f"{folder / 'p1.csv'}: row 1; ids must be unique across the 2 files of {folder}"
            in lines), lines
    assert "more id in two files" not in said  # b1 is in p2 alone
    assert lines[-2] == (f"(problems in 1 of the 2 files of {folder}, and ids in two files, "
                         "all found in one read: fix them together)"), lines
    assert lines[-1] == ("(ids compared across 2 of the 2 files: of p2.csv only those of the "
                         "rows read; an id in two files may still be found once it is mended)")


def test_ids_of_the_wrong_type_leave_the_others_of_their_part_compared(tmp_path):
    folder = tmp_path / "parts"
    folder.mkdir()
    ROWS.to_csv(folder / "p1.csv", index=False)
    (folder / "p2.jsonl").write_text('{"id": ["b1"], "text": "x", "gold": "billing"}\n'
                                     '{"id": "a3", "text": "y", "gold": "billing"}\n')
    with pytest.raises(DataError) as info:
        _read(folder)
    said = str(info.value)
    assert said.startswith(f"{folder / 'p2.jsonl'}:1: row 1: the id in column 'id' is "), said
    assert (f"{folder / 'p2.jsonl'}: row 2: duplicate id 'a3' in column 'id', also at "
            f"{folder / 'p1.csv'}: row 3" in said), said
    assert said.endswith("(ids compared across 2 of the 2 files: of p2.jsonl only those of "
                         "the rows read; an id in two files may still be found once it is "
                         "mended)"), said


def test_parts_read_whole_with_no_id_in_two_say_nothing_of_ids(tmp_path):
    """Every part's ids known and none in two parts: the error is the parts' problems."""
    no_id = pd.DataFrame({"id": [None, "b2"], "text": ["x", "y"], "gold": ["billing"] * 2})
    folder = _parts(tmp_path / "parts", [ROWS, no_id])
    with pytest.raises(DataError) as info:
        _read(folder)
    said = str(info.value)
    assert said.startswith(f"{folder / 'part-00001.parquet'}: row 1"), said
    assert "no id in column 'id'" in said and len(said.splitlines()) == 2, said
    assert said.splitlines()[1].startswith('  ([data] bad_rows = "skip" leaves such rows out')
