"""A dataset in many files (a folder of parts, a wildcard, a list of paths) is refused with
what labelwright reads, one file, and what to do: combine the parts, or pass a DataFrame."""

import pandas as pd
import pytest

from labelwright import check_project, load_project, run_project
from labelwright.apply import Applier, apply_file
from labelwright.apply.file_blocks import iter_frames
from labelwright.data.formats import read_frame
from labelwright.errors import ConfigError, DataError

ROWS = pd.DataFrame({"id": ["a1", "a2"], "text": ["refund please", "app crashes"],
                     "gold": ["billing", "technical"]})


def _parts(folder):
    folder.mkdir(parents=True)
    ROWS[:1].to_parquet(folder / "part-00000.parquet", index=False)
    ROWS[1:].to_parquet(folder / "part-00001.parquet", index=False)
    return folder


def _with_path(root, value):
    config = root / "labelwright.toml"
    config.write_text(config.read_text().replace('path = "data/items.csv"', f"path = {value}"))
    return config


@pytest.mark.parametrize(("value", "shown", "what"), [
    ('"data/parts"', "data/parts", "is a folder, not a file"),
    ('"data/spark.parquet"', "data/spark.parquet",
     "is a folder (a folder of parts, as Spark and Dask write a dataset), not a file"),
    ('"data/parts/*.parquet"', "data/parts/*.parquet",
     "dataset file not found; the name holds a wildcard (*, ? or [), which is not expanded"),
])
def test_data_path_naming_many_files_says_one_file_is_read_and_what_to_do(
        make_project, value, shown, what):
    """A folder was "is a folder; [data] path must name a file", without the config key a
    missing file's error names, and a wildcard only "dataset file not found"."""
    root = make_project()
    _parts(root / "data" / "parts")
    _parts(root / "data" / "spark.parquet")
    config = _with_path(root, value)
    expected = (f"{config}: [data] path = '{shown}': {root / shown}: {what}"
                "; labelwright reads one dataset file: combine the parts into one file (see "
                "\"Data in many files\" in the README), or read each with pandas, concatenate "
                "them and pass the frame: run_project(path, data=df)")
    assert expected in check_project(root).problems
    with pytest.raises(DataError) as info:
        run_project(root)
    assert str(info.value) == expected


def test_data_path_given_a_list_says_one_file_is_read(make_project):
    root = make_project()
    config = _with_path(root, '["data/a.parquet", "data/b.parquet"]')
    with pytest.raises(ConfigError) as info:
        load_project(root)
    said = str(info.value)
    line = config.read_text().splitlines().index('path = ["data/a.parquet", "data/b.parquet"]')
    assert said.startswith(f"{config}:{line + 1}: [data] path names one dataset file, got a "
                           "list of 2; labelwright reads one dataset file: combine the parts"
                           ), said


@pytest.mark.parametrize("name", ["parts", "spark.parquet"])
def test_reading_or_streaming_a_folder_is_the_clear_error(make_project, tmp_path, name):
    """apply_file on a folder said "cannot tell the format from the suffix ''", and on a
    folder named *.parquet gave pyarrow's "Cannot open for reading: ... is a directory"."""
    folder = _parts(tmp_path / name)
    with pytest.raises(DataError, match="is a folder.*, not a file; labelwright reads one"):
        read_frame(folder)
    loaded = load_project(make_project())
    streamed = "is a folder.*, not a file; a streamed read takes one dataset file: stream each"
    with pytest.raises(DataError, match=streamed):
        apply_file(Applier(loaded.lfs, loaded.labels, nlp=loaded.nlp), folder,
                   tmp_path / "matrix.parquet")
    with pytest.raises(DataError, match=streamed):
        list(iter_frames(folder))
    assert not (tmp_path / "matrix.parquet").exists()


def test_the_combined_parts_run(make_project):
    """What the errors advise: the parts read one by one and concatenated, as a frame."""
    root = make_project()
    parts = sorted(_parts(root / "data" / "parts").glob("*.parquet"))
    frame = pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
    result = run_project(root, data=frame)
    assert list(result.dataset.ids) == ["a1", "a2"]


def test_the_readme_combining_snippet_keeps_ids_columns_and_finds_duplicates(
        tmp_path, monkeypatch):
    """README "Data in many files": the parts read one by one keep an id 007 as written, a
    column only one part has, and ints an int column has; an id in two parts (the integer
    12 of a Parquet part, the text "12" of a JSONL drop) is then the duplicate error, where
    pd.read_parquet of the folder dropped the column and cast the ids silently."""
    import gzip
    import json
    import re
    from pathlib import Path

    from labelwright.config.schema import DataConfig
    from labelwright.data.dataset import read_dataset

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"```python\n(# combine_parts\.py.*?)```", readme, re.S).group(1)
    monkeypatch.setattr("labelwright.data.compressed._temp_folder", lambda: tmp_path / "copies")
    monkeypatch.setattr("labelwright.data.compressed._FOUND", {})
    monkeypatch.chdir(tmp_path)
    parts, daily = Path("data/parts"), Path("data/daily")
    parts.mkdir(parents=True)
    daily.mkdir()
    pd.DataFrame({"id": ["007", "a2"], "text": ["great", "bad"], "stars": [5, 1]}
                 ).to_parquet(parts / "part-00000.parquet", index=False)
    pd.DataFrame({"id": ["a3"], "text": ["ok"], "stars": [3], "helpful_votes": [4]}
                 ).to_parquet(parts / "part-00001.parquet", index=False)
    pd.DataFrame({"id": [12, 13], "text": ["meh", "fine"], "stars": [2, 4]}
                 ).to_parquet(parts / "part-00002.parquet", index=False)
    (daily / "day1.jsonl").write_text(json.dumps({"id": "1e3", "text": "NA", "stars": 4})
                                      + "\n" + json.dumps({"id": "0008", "text": "null"}) + "\n")
    (daily / "day2.jsonl.gz").write_bytes(gzip.compress(
        (json.dumps({"id": "0009", "text": "NA", "stars": 2}) + "\n").encode()))
    exec(snippet, {})
    items = read_dataset(DataConfig(Path("data/all.jsonl")), ["a", "b"])
    assert list(items.ids) == ["007", "a2", "a3", "12", "13", "1e3", "0008", "0009"]
    assert list(items.texts)[-3:] == ["NA", "null", "NA"]
    stars = read_frame(Path("data/all.jsonl"))["stars"].tolist()
    assert stars[:6] == [5, 1, 3, 2, 4, 4] and all(type(s) is int for s in stars[:6])
    assert read_frame(Path("data/all.jsonl"))["helpful_votes"].tolist()[2] == 4
    # the trap the README warns of, as pyarrow reads a folder today
    assert "helpful_votes" not in pd.read_parquet(parts).columns
    (daily / "day3.jsonl").write_text(json.dumps({"id": "12", "text": "again"}) + "\n")
    exec(snippet, {})
    with pytest.raises(DataError, match=r"data/all.jsonl:9: duplicate id '12' at rows 4 and 9"):
        read_dataset(DataConfig(Path("data/all.jsonl")), ["a", "b"])
