"""The labels a DataFrame's gold is read with: the rules of ``[project] labels``, and a
dataset read with other labels than its project's is refused by ``apply_project``."""

import numpy as np
import pandas as pd
import pytest

from labelwright.data import Dataset, dataset_from_frame

FRAME = pd.DataFrame({"id": ["1", "2", "3"], "text": ["win cash", "hi", "free"],
                      "gold": ["spam", "ham", None]})


def _read(labels, gold="gold"):
    return dataset_from_frame(FRAME, id_column="id", text_column="text", gold_column=gold,
                              labels=labels)


@pytest.mark.parametrize(("labels", "error", "message"), [
    # a string was read as its characters: labels h, a, m
    ("ham", TypeError, "labels must list at least two label names, in order; got the string "
                       "'ham', which would be read as its characters"),
    (5, TypeError, "labels must list at least two label names, in order; got 5 (int)"),
    (("ham",), ValueError, "labels must list at least two label names, in order"),
    # gold "spam" was index 2, past the two distinct labels
    (("ham", "ham", "spam"), ValueError, "labels lists 'ham' twice"),
    (("ham", "Ham", "spam"), ValueError, "labels lists 'ham' and 'Ham', which differ only "
                                         "in case"),
    (("ham", None), TypeError, "labels: None is not a label name (a label is a string, not "
                               "NoneType)"),
    # raised a bare "normalize() argument 2 must be str, not int"
    ((0, 1), TypeError, "labels: 0 is not a label name (a label is a string, not int)"),
    (("ham", "spam "), ValueError, "labels: 'spam ' has spaces around it; write 'spam'"),
    (("ham", "(none)"), ValueError, "labels: '(none)' is how labelwright shows an item "
                                    "without a label"),
])
def test_labels_follow_the_rules_of_project_labels(labels, error, message):
    with pytest.raises(error) as info:
        _read(labels)
    assert str(info.value).startswith(f"dataset_from_frame: {message}"), str(info.value)
    with pytest.raises(error, match="labels"):  # with no gold column as well
        _read(labels, gold=None)


def test_the_config_says_the_same_of_a_string(tmp_path):
    from labelwright.config import load_config
    from labelwright.errors import ConfigError

    (tmp_path / "labelwright.toml").write_text('[project]\nlabels = "ham"\n[data]\n'
                                               'path = "x.csv"\n')
    with pytest.raises(ConfigError, match=r"labelwright\.toml:2: \[project\] labels must list "
                                          r"at least two label names, in order; got the "
                                          r"string 'ham'"):
        load_config(tmp_path)


def test_a_dataset_remembers_the_labels_its_gold_was_read_with():
    assert _read(["spam", "ham"]).gold_labels == ("spam", "ham")
    assert _read(("spam", "ham")).gold.tolist() == [0, 1, -1]
    assert _read(("spam", "ham"), gold=None).gold_labels is None  # no gold was read
    made = Dataset(ids=["1"], texts=["x"], fields=pd.DataFrame(index=[0]),
                   gold=np.array([-1]), source="<made>", sha256="0")
    assert made.gold_labels is None  # made directly, as before


def test_apply_project_refuses_a_dataset_read_with_other_labels(make_project):
    """A reversed label list gave every gold item the other label: LF accuracy on gold was
    counted against the wrong labels, without a word."""
    import labelwright

    root = make_project(labels=("billing", "technical"))
    project = labelwright.load_project(root)
    frame = pd.read_csv(root / "data" / "items.csv", dtype=str)

    def read(labels):
        return dataset_from_frame(frame, id_column="id", text_column="text",
                                  gold_column="gold", labels=labels, source="items.csv")

    with pytest.raises(ValueError) as info:
        labelwright.apply_project(project, read(("technical", "billing")))
    assert str(info.value) == (
        "items.csv: the dataset's gold was read with labels=['technical', 'billing'], the "
        "project's labels are ['billing', 'technical'] (the same labels in another order): "
        "gold index i names the i-th label of the list it was read with, so the gold would "
        "name other labels; read the dataset with labels=project.config.labels")
    with pytest.raises(ValueError, match=r"labels=\['billing', 'technical', 'other'\], the "
                                         r"project's labels are \['billing', 'technical'\]: "):
        labelwright.apply_project(project, read(("billing", "technical", "other")))
    dataset, applied = labelwright.apply_project(project, read(list(project.config.labels)))
    assert applied.matrix.votes.shape[0] == len(dataset)
    no_gold = dataset_from_frame(frame, id_column="id", text_column="text",
                                 labels=("x", "y"))  # no gold read: its labels do not matter
    assert labelwright.apply_project(project, no_gold)[0] is no_gold


def test_labels_from_an_array_or_index_are_a_list_of_labels():
    """`labels=frame.label.unique()` (an ndarray) was refused as no list."""
    import numpy as np
    import pandas as pd

    from labelwright.data.dataset import dataset_from_frame

    frame = pd.DataFrame({"id": ["a", "b"], "text": ["x", "y"], "gold": ["pos", "neg"]})
    for labels in (np.array(["neg", "pos"]), pd.Index(["neg", "pos"]),
                   pd.Series(["neg", "pos"])):
        dataset = dataset_from_frame(frame, id_column="id", text_column="text",
                                     labels=labels, gold_column="gold")
        assert dataset.gold.tolist() == [1, 0] and dataset.gold_labels == ("neg", "pos")
