"""An LF that reads the gold column (a Snorkel LF written against a DataFrame that held the
labels: ``x.gold``) is told the column is held out: it was told only "has no field 'gold'"
and a list of fields without it."""

from __future__ import annotations

from labelwright import check_project
from labelwright.lfs.gold_field import gold_field_hint

HELD_OUT = "'gold' is the gold column ([data] gold_column): held out from the LFs"

GOLD_LF = '''
from snorkel.labeling import labeling_function


@labeling_function()
def reads_gold(x):
    return 0 if x.gold == "billing" else -1


@labeling_function()
def reads_gold_key(x):
    return 0 if x["gold"] == "billing" else -1


@labeling_function()
def refund(x):
    return 0 if "refund" in x.text.lower() else -1
'''


def test_the_gold_column_read_by_an_lf_is_named_as_held_out():
    error = "AttributeError: item 't1' has no field 'gold'; available: id, text, plan"
    assert gold_field_hint(error, "gold").startswith(HELD_OUT)
    keyed = "KeyError: \"item 't1' has no field 'gold'; available: id, text, plan\""
    assert gold_field_hint(keyed, "gold").startswith(HELD_OUT)


def test_no_hint_for_another_field_or_without_a_gold_column():
    error = "AttributeError: item 't1' has no field 'tier'; available: id, text, plan"
    assert gold_field_hint(error, "gold") == ""
    assert gold_field_hint(error.replace("tier", "gold"), None) == ""


def test_check_and_run_say_the_column_is_the_gold_column(make_project, cli):
    root = make_project(lfs={"gold_lfs": GOLD_LF})
    said = [p for p in check_project(root).problems if p.startswith("LF reads_gold")]
    assert len(said) == 2 and all(HELD_OUT in p for p in said), said
    code, out = cli("run", "-p", str(root), "--no-report")
    assert out.count(HELD_OUT) == 2, out


def test_fail_fast_says_it_too(make_project, cli):
    root = make_project(lfs={"gold_lfs": GOLD_LF})
    code, out = cli("run", "-p", str(root), "--no-report", "--fail-fast")
    assert code != 0 and "raised on item 't1'" in out and HELD_OUT in out, out
