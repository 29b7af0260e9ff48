"""An LF returning values that are no votes: one error names them all, each counted with
its first item, a guess at the label meant and the `return` that gave it."""

import inspect

import pandas as pd
import pytest

from labelwright import ABSTAIN, labeling_function
from labelwright.apply import Applier
from labelwright.data.dataset import dataset_from_frame
from labelwright.errors import BadVoteError

LABELS = ("katyperry", "eminem", "psy")
ARTISTS = {"rihanna": "rihanna", "eminem": "Eminem", "katy": "katy perry"}


def dataset(texts):
    frame = pd.DataFrame({"id": [f"i{k}" for k in range(len(texts))], "text": texts})
    return dataset_from_frame(frame, id_column="id", text_column="text", labels=LABELS)


def line_of(func, text):
    """The line of ``func``'s source holding ``text``."""
    lines, first = inspect.getsourcelines(func)
    return first + next(i for i, line in enumerate(lines) if text in line)


@labeling_function()
def looked_up(item):
    for key, artist in ARTISTS.items():
        if key in item.text:
            return artist
    return ABSTAIN


@labeling_function()
def two_returns(item):
    if "x" in item.text:
        return item.text.upper()
    if "y" in item.text:
        return item.text * 2
    return ABSTAIN


def stopped(lf, texts, **kwargs):
    with pytest.raises(BadVoteError) as info:
        Applier([lf], LABELS, **kwargs).apply(dataset(texts))
    return info.value


@pytest.mark.parametrize("chunk_size", [10_000, 2])
def test_every_computed_value_in_one_error_at_its_return(chunk_size):
    """The run stopped at the first value, "katy perry", cited at the decorator: three
    values took three failed runs. (In chunks of 2 items, the chunk that has one.)"""
    texts = ["katy", "eminem", "nothing", "katy again", "rihanna", "eminem"]
    error = stopped(looked_up, texts, chunk_size=chunk_size)
    said = str(error)
    at = f"({looked_up.file}:{line_of(looked_up.func, 'return artist')})"
    if chunk_size == 2:  # the first chunk: "katy", "eminem"
        assert f"'looked_up' {at} returned 2 values that are not labels, on 2 of the 2 " \
               "items it ran on: 'katy perry' on 1 item (first 'i0'; did you mean " \
               "'katyperry'?); 'Eminem' on 1 item (first 'i1'; did you mean 'eminem'?); " \
               "return one of 'katyperry', 'eminem', 'psy'" in said, said
        return
    assert f"'looked_up' {at} returned 3 values that are not labels, on 5 of the 6 items " \
           "it ran on: 'katy perry' on 2 items (first 'i0'; did you mean 'katyperry'?); " \
           "'Eminem' on 2 items (first 'i1'; did you mean 'eminem'?); 'rihanna' on 1 item " \
           "(first 'i4'); return one of" in said, said
    assert error.lf_name == "looked_up" and error.returned == "'katy perry'"


def test_one_value_on_several_items():
    said = str(stopped(looked_up, ["a", "rihanna", "rihanna too"]))
    at = f"{looked_up.file}:{line_of(looked_up.func, 'return artist')}"
    assert f"'looked_up' ({at}) returned 'rihanna' on 2 of the 3 items it ran on (first " \
           "'i1'), which is not a label; return one of" in said, said


def test_values_from_other_returns_each_name_theirs():
    said = str(stopped(two_returns, ["x1", "y", "x2"]))
    upper = line_of(two_returns.func, "return item.text.upper()")
    doubled = line_of(two_returns.func, "return item.text * 2")
    assert f"'two_returns' ({two_returns.location}) returned 3 values" in said, said
    assert f"'X1' on 1 item (first 'i0', {two_returns.file}:{upper})" in said
    assert f"'yy' on 1 item (first 'i1', {two_returns.file}:{doubled})" in said
    assert f"'X2' on 1 item (first 'i2', {two_returns.file}:{upper})" in said


def test_many_values_are_capped():
    said = str(stopped(two_returns, [f"x{k}" for k in range(8)]))
    assert "returned 8 values that are not labels, on 8 of the 8 items" in said
    assert "'X4' on 1 item" in said and "'X5'" not in said
    assert "; and 3 more; return one of" in said, said


def test_every_lf_is_named_in_their_order():
    with pytest.raises(BadVoteError) as info:  # two_returns meets its value first
        Applier([looked_up, two_returns], LABELS).apply(dataset(["x", "katy"]))
    said = str(info.value).splitlines()
    assert len(said) == 2 and "'looked_up'" in said[0] and "'two_returns'" in said[1], said
    assert info.value.lf_name == "looked_up"


@labeling_function()
def as_float(item):
    return 1.0 if "x" in item.text else -1.0


@labeling_function()
def as_bool(item):
    return "x" in item.text


def test_a_float_or_a_bool_is_said_what_to_return_instead():
    """Snorkel LFs written against a float column (``1.0``, ``-1.0``) or a test
    (``return "x" in text``) were refused with the values alone; the error now says a
    whole float is no index and what int it would be, and that a bool is no vote."""
    said = str(stopped(as_float, ["x", "y"]))
    assert "1.0 on 1 item (first 'i0'; a float, not an index: return int(...), here 1 for " \
           "label 'eminem')" in said, said
    assert "-1.0 on 1 item (first 'i1'; a float, not an index: return int(...), here -1 " \
           "for ABSTAIN)" in said, said
    said = str(stopped(as_bool, ["x"]))
    assert "returned True for item 'i0', which is not a label (True and False are no " \
           "votes: return a label, or ABSTAIN); return one of" in said, said
