"""An LF that orders text by a number (``item.rating >= 4`` where a JSON row gives ``"4"``)
is told which field holds text, on how many items, the first row, and the conversion: it
was told only "TypeError: '>=' not supported between instances of 'str' and 'int'"."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from labelwright import check_project
from labelwright.lfs.empty_fields import empty_words
from labelwright.lfs.text_order import text_order_hint, text_order_on_item
from ticket_data import TICKETS


def _traceback_of(line: str, error: str) -> str:
    """A traceback whose LF line is ``line``, raising ``error``."""
    return (f'Traceback (most recent call last):\n  File "/p/labeling_functions/r.py", '
            f'line 3, in rated\n    {line}\n{error}\n')


STR_INT = "TypeError: '>=' not supported between instances of 'str' and 'int'"
NONE_INT = "TypeError: '>=' not supported between instances of 'NoneType' and 'int'"
RATINGS = pd.DataFrame({"rating": [5, "3", None, "2.5", "4"],
                        "channel": ["app", "app", "mail", "app", "chat"]})


def test_the_text_field_is_named_with_its_count_first_row_and_conversion():
    line = 'if item.channel == "app" and item.rating >= 4:'
    hint = text_order_hint(STR_INT, _traceback_of(line, STR_INT), RATINGS,
                           np.array([1, 3, 4]), lambda k: f"row {k + 1}")
    # channel is text too, but it is compared with ==, not ordered: it did not raise
    assert hint == ("item.rating holds text on 3 of the 3 items it raised on (first: row 2, "
                    "'3'), and text does not order with a number (4 and '4'); convert it "
                    "first: `float(item.rating)`")


def test_none_among_the_rows_is_said_unless_the_kept_error_is_of_it():
    line = "if 4 <= item['rating']:"
    hint = text_order_hint(STR_INT, _traceback_of(line, STR_INT), RATINGS.iloc[:3],
                           np.array([1, 2]), words=empty_words("data/m.jsonl"))
    assert hint.startswith("item.rating holds text on 1 of the 2 items it raised on (first: "
                           "row 1, '3')"), hint
    assert hint.endswith("convert it first: `int(item.rating)`, after testing it is not None "
                         "(item.rating is not None): it is None (null or missing) on 1 of "
                         "them"), hint
    # the kept error is of the None: the empty-field hint says it
    assert "is None" not in text_order_hint(NONE_INT, _traceback_of(line, NONE_INT),
                                            RATINGS.iloc[:3], np.array([2, 1]))


def test_no_hint_for_another_error_or_a_field_not_ordered():
    line = "if item.rating >= 4:"
    rows = np.array([1])
    assert text_order_hint("KeyError: 'rating'", _traceback_of(line, STR_INT), RATINGS,
                           rows) == ""
    assert text_order_hint(STR_INT, _traceback_of("if item.score >= 4:", STR_INT), RATINGS,
                           rows) == ""
    assert text_order_hint(STR_INT, _traceback_of(line, STR_INT), RATINGS,
                           np.array([0])) == ""  # a number there: not text that raised


def test_the_words_for_none_follow_the_format():
    assert empty_words("data/m.jsonl.gz")[0] == "null or missing"
    assert empty_words("data/m.csv")[0] == "an empty cell"
    assert empty_words("data/m.parquet")[0] == "null"
    assert empty_words("<DataFrame>")[0] == "empty"


def test_fail_fast_names_the_text_of_the_item():
    line = "if item.rating > 3:"
    said = text_order_on_item(STR_INT.replace(">=", ">"), _traceback_of(line, STR_INT),
                              {"rating": "4", "channel": "app"})
    assert said == ("; item.rating is the text '4' on this item, and text does not order "
                    "with a number (4 and '4'); convert it first: `int(item.rating)` "
                    "(float(...) for a fraction)")
    assert text_order_on_item(STR_INT, _traceback_of(line, STR_INT), {"rating": None}) == ""


RATED_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def rated(item):
    if item.rating >= 4:
        return "billing"
    return ABSTAIN
'''


def test_check_and_run_name_the_text_field_of_a_jsonl_file(make_project, cli):
    root = make_project(lfs={"rated": RATED_LF})
    ratings = [5, "4", None, 1, "2", 3]
    rows = [{**row, "rating": rating} for row, rating in zip(TICKETS, ratings, strict=True)]
    (root / "data" / "items.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("items.csv", "items.jsonl"),
                      encoding="utf-8")
    [said] = [w for w in check_project(root).warnings if w.startswith("LF rated (")]
    assert ("item.rating holds text on 2 of the 3 items it raised on (first: row 2 (id 't2'), "
            "'4')") in said, said
    code, out = cli("run", "-p", str(root), "--no-report")
    assert "LF 'rated' raised on 3 items" in out, out
    assert ("convert it first: `int(item.rating)`, after testing it is not None (item.rating "
            "is not None): it is None (null or missing) on 1 of them") in out, out
