"""``[data] gold_values``: gold written as something other than the labels' names (Snorkel's
indices, ``CLASS`` 0 and 1) is read as the labels it stands for. Such gold was refused,
and the only way on was to rewrite the data with the labels' names."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from labelwright import check_project, run_project
from labelwright.config import DataConfig, load_config
from labelwright.data import dataset_from_frame, read_dataset
from labelwright.errors import ConfigError, DataError

LABELS = ("ham", "spam")
INDICES = (("0", "ham"), ("1", "spam"))


def test_a_csv_of_indices_is_read_as_the_labels(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text,CLASS\na,x,0\nb,y,1\nc,z,\nd,w,-1\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown gold label '0'"):
        read_dataset(DataConfig(path=path, gold_column="CLASS"), LABELS)
    dataset = read_dataset(DataConfig(path=path, gold_column="CLASS",
                                      gold_values=(*INDICES, ("-1", ""))), LABELS)
    assert dataset.gold.tolist() == [0, 1, -1, -1]


def test_a_value_the_table_does_not_name_is_still_unknown(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("id,text,CLASS\na,x,0\nb,y,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown gold label '2'"):
        read_dataset(DataConfig(path=path, gold_column="CLASS", gold_values=INDICES), LABELS)


def test_a_frame_of_numbers_with_a_missing_value_and_a_dict_of_numbers():
    """A column of indices with a gap is read by pandas as floats (1.0): it is 1."""
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": "t", "y": [1, np.nan, 0]})
    dataset = dataset_from_frame(frame, id_column="id", text_column="text", gold_column="y",
                                 labels=LABELS, gold_values={0: "ham", 1: "spam"})
    assert dataset.gold.tolist() == [1, -1, 0]
    # a table naming the float as written reads it too
    assert dataset_from_frame(frame, id_column="id", text_column="text", gold_column="y",
                              labels=LABELS, gold_values={"0.0": "ham", "1.0": "spam"}
                              ).gold.tolist() == [1, -1, 0]
    # the labels' own names are read as before beside the values named
    names = pd.DataFrame({"id": ["a", "b"], "text": "t", "y": ["spam", "0"]})
    assert dataset_from_frame(names, id_column="id", text_column="text", gold_column="y",
                              labels=LABELS, gold_values={0: "ham"}).gold.tolist() == [1, 0]


def _config(tmp_path: Path, data: str) -> Path:
    (tmp_path / "labelwright.toml").write_text(
        f'[project]\nlabels = ["ham", "spam"]\n\n[data]\npath = "d.csv"\n{data}',
        encoding="utf-8")
    return tmp_path


def test_the_config_reads_the_table(tmp_path):
    config = load_config(_config(tmp_path, 'gold_column = "CLASS"\n'
                                           'gold_values = { 0 = "ham", 1 = "spam", -1 = "" }\n'))
    assert config.data.gold_values == (*INDICES, ("-1", ""))


@pytest.mark.parametrize(("data", "said"), [
    ('gold_column = "CLASS"\ngold_values = { 0 = "ham", 1 = "spma" }\n',
     "labelwright.toml:7: [data] gold_values: 1 = 'spma' is not one of [project] labels; "
     "did you mean 'spam'? valid: ham, spam, or \"\" for no gold label"),
    ('gold_values = { 0 = "ham" }\n',
     "[data] gold_values says what the gold column's values stand for, but no gold_column "
     "is set"),
    ('gold_column = "CLASS"\ngold_values = { 0 = 0 }\n',
     "[data] gold_values: 0 = 0; a gold value stands for a label, written as its name"),
    ('gold_column = "CLASS"\ngold_values = ["ham", "spam"]\n',
     "[data] gold_values must be a table of the gold column's values"),
])
def test_a_wrong_table_is_an_error_naming_it(tmp_path, data, said):
    with pytest.raises(ConfigError) as info:
        load_config(_config(tmp_path, data))
    assert said in str(info.value), str(info.value)


def test_a_project_of_snorkel_gold_measures_its_accuracy(make_project):
    rows = [{"id": "t1", "text": "refund my charge", "CLASS": "0"},
            {"id": "t2", "text": "the app crashes", "CLASS": "1"},
            {"id": "t3", "text": "refund please", "CLASS": ""}]
    root = make_project(rows=rows, gold=None)
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'path = "data/items.csv"\n',
        'path = "data/items.csv"\ngold_column = "CLASS"\n'
        'gold_values = { 0 = "billing", 1 = "technical" }\n'), encoding="utf-8")
    assert check_project(root).problems == []
    result = run_project(root, report=False)
    assert result.dataset.gold.tolist() == [0, 1, -1]
