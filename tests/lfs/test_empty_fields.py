"""An LF that raises on an empty cell is told which field was empty and what to test."""

from __future__ import annotations

import numpy as np
import pandas as pd

from labelwright import check_project
from labelwright.lfs.empty_fields import empty_field_hint, empty_fields
from ticket_data import TICKETS

#: t2 and t4 have no plan
BLANK_PLANS = [{**row, "plan": "" if row["id"] in ("t2", "t4") else row["plan"]}
               for row in TICKETS]

PLAN_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def pro_plan(item):
    if item.plan.lower() == "pro" and "refund" in item.text.lower():
        return "billing"
    return ABSTAIN
'''

TRACEBACK = '''Traceback (most recent call last):
  File "/p/labeling_functions/more.py", line 23, in ambulance
    if item.arrival.lower() == "ambulance":
       ^^^^^^^^^^^^^^^^^^
AttributeError: 'NoneType' object has no attribute 'lower'
'''
ERROR = "AttributeError: 'NoneType' object has no attribute 'lower'"


def test_the_empty_field_the_code_reads_is_named_with_its_count():
    fields = pd.DataFrame({"arrival": [None, "walk-in", np.nan, "ambulance"],
                           "ward": [None, None, None, "a"]})
    hint = empty_field_hint(ERROR, TRACEBACK, fields, np.array([0, 1, 2]))
    # ward is empty too, but the code does not read it
    assert hint == ("item.arrival is None (an empty cell) on 2 of the 3 items it raised on; "
                    "test it first: `if item.arrival and ...`")


def test_an_error_not_about_none_or_a_field_not_read_gives_no_hint():
    first = {"arrival": None}
    assert empty_fields("KeyError: 'x'", TRACEBACK, first) == []
    assert empty_fields(ERROR, TRACEBACK.replace("item.arrival", "match"), first) == []
    assert empty_fields(ERROR, TRACEBACK, {"arrival": "walk-in"}) == []
    # a field read by its name in brackets is read too
    assert empty_fields(ERROR, TRACEBACK.replace("item.arrival", 'item["arrival"]'),
                        first) == ["arrival"]


def test_run_check_and_analyze_name_the_empty_field(make_project, cli):
    """Only Python's error was said: 'NoneType' object has no attribute 'lower'."""
    root = make_project(rows=BLANK_PLANS, lfs={"plans": PLAN_LF})
    [said] = [w for w in check_project(root).warnings if w.startswith("LF pro_plan (")]
    assert "item.plan is None (an empty cell) on every one of the 2 items it raised on; " \
        "test it first: `if item.plan and ...`" in said, said
    code, out = cli("run", "-p", str(root), "--no-report")
    assert "LF 'pro_plan' raised on 2 items" in out and \
        "item.plan is None (an empty cell) on every one of the 2 items" in out, out
    code, out = cli("analyze", "-p", str(root), "--lf", "pro_plan")
    assert "t2: raised, known technical | item.plan = None" in out, out


def test_fail_fast_names_the_empty_field_of_the_item(make_project, cli):
    root = make_project(rows=BLANK_PLANS, lfs={"plans": PLAN_LF})
    code, out = cli("run", "-p", str(root), "--no-report", "--fail-fast")
    assert code != 0 and "raised on item 't2'" in out, out
    assert "item.plan is None (an empty cell) on this item; test it first: " \
        "`if item.plan and ...`" in out, out


def _traceback_of(line: str, error: str) -> str:
    """A traceback whose LF line is ``line``, raising ``error``."""
    return (f'Traceback (most recent call last):\n  File "/p/labeling_functions/more.py", '
            f'line 3, in triage\n    {line}\n{error}\n')


VISITS = pd.DataFrame({"arrival": [None, None, "car", "walk"], "mode": [None, "x", None, "y"],
                       "age": [None, None, None, 30.0]})


def test_each_empty_field_is_counted_on_its_own():
    """Two fields were said to be None "on every one of the 3 items" when each was None
    on 2 of them (the items where either was None were counted)."""
    error = "TypeError: '>' not supported between instances of 'NoneType' and 'int'"
    tb = _traceback_of('return item.arrival == "car" and item.mode == "x" and item.age > 60',
                       error)
    hint = empty_field_hint(error, tb, VISITS, np.array([0, 1, 2]))
    assert hint.startswith("item.arrival is None (an empty cell) on 2, item.mode on 2, "
                           "item.age on 3 of the 3 items it raised on; "), hint
    # age is a number: 0 is falsy, so the test is `is not None`
    assert hint.endswith("`if item.arrival and item.mode and item.age is not None and ...`"), hint


def test_the_field_whose_attribute_failed_is_named_not_the_one_the_code_handles():
    """``(item.arrival or "").lower() + item.mode.lower()`` named arrival as well, which
    the code already handles."""
    error = "AttributeError: 'NoneType' object has no attribute 'lower'"
    tb = _traceback_of('return (item.arrival or "").lower() + item.mode.lower()', error)
    assert empty_field_hint(error, tb, VISITS, np.array([0, 2])) == (
        "item.mode is None (an empty cell) on every one of the 2 items it raised on; "
        "test it first: `if item.mode and ...`")
    tb = _traceback_of('return item.arrival.lower() == "car" and item.age > 60', error)
    assert empty_field_hint(error, tb, VISITS, np.array([0, 1, 2])).startswith(
        "item.arrival is None (an empty cell) on 2 of the 3 items")
