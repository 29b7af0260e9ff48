"""An LF that reads a JSON object's keys as attributes (``item.meta.customer.tier``) is told
to read them with brackets: it was told only "'dict' object has no attribute 'customer'"."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from labelwright import check_project
from labelwright.lfs.nested_fields import nested_field_hint, nested_field_rows_hint
from ticket_data import TICKETS

ERROR = "AttributeError: 'dict' object has no attribute 'customer'"


def _traceback_of(line: str) -> str:
    """A traceback whose LF line is ``line``, raising :data:`ERROR`."""
    return (f'Traceback (most recent call last):\n  File "/p/labeling_functions/t.py", '
            f'line 3, in tier\n    {line}\n{ERROR}\n')


META = {"customer": {"tier": "gold"}}


def test_the_keys_read_as_attributes_are_written_with_brackets():
    hint = nested_field_hint(ERROR, _traceback_of('if x.meta.customer.tier == "gold":'),
                             {"channel": "app", "meta": META})
    assert hint == ("item.meta holds a JSON object (a dict), whose keys are read with "
                    "brackets, not as attributes: write `item.meta[\"customer\"][\"tier\"]` "
                    "for `item.meta.customer.tier` (or `.get(\"customer\")` where a key may "
                    "be missing)")


def test_a_method_after_the_keys_is_not_taken_for_a_key():
    hint = nested_field_hint(ERROR, _traceback_of("if item.meta.customer.tier.lower():"),
                             {"meta": META})
    assert "`item.meta[\"customer\"][\"tier\"]` for `item.meta.customer.tier`" in hint, hint


def test_no_hint_for_another_error_field_or_key():
    line = "if item.meta.customer.tier:"
    assert nested_field_hint("KeyError: 'customer'", _traceback_of(line), {"meta": META}) == ""
    assert nested_field_hint(ERROR, _traceback_of("if item.other.customer:"),
                             {"meta": META}) == ""
    # the object lacks the key: brackets would raise too, so no brackets are offered
    assert nested_field_hint(ERROR, _traceback_of(line), {"meta": {"client": {}}}) == ""
    assert nested_field_hint(ERROR, _traceback_of(line), {"meta": "text"}) == ""


def test_the_first_row_it_raised_on_is_the_one_read():
    fields = pd.DataFrame({"meta": [None, META]})
    line = "if item.meta.customer.tier:"
    assert nested_field_rows_hint(ERROR, _traceback_of(line), fields, np.array([1])) != ""
    assert nested_field_rows_hint(ERROR, _traceback_of(line), fields, np.array([0])) == ""


TIER_LF = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def tier(item):
    if item.meta.customer.tier == "gold":
        return "billing"
    return ABSTAIN
'''


def test_check_and_fail_fast_say_how_to_read_the_keys(make_project, cli):
    root = make_project(lfs={"tier": TIER_LF})
    (root / "data" / "items.jsonl").write_text(
        "".join(json.dumps({**row, "meta": META}) + "\n" for row in TICKETS), encoding="utf-8")
    config = root / "labelwright.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("items.csv", "items.jsonl"),
                      encoding="utf-8")
    expected = "write `item.meta[\"customer\"][\"tier\"]` for `item.meta.customer.tier`"
    [said] = [p for p in check_project(root).problems if p.startswith("LF tier (")]
    assert expected in said, said
    code, out = cli("run", "-p", str(root), "--no-report", "--fail-fast")
    assert code != 0 and "raised on item 't1'" in out and expected in out, out
