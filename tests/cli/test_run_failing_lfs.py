"""A run whose LF raised on most items, but not on every one (which fails the run), warns
of it: a nightly job read "status ok" with no warning for an LF broken on 1952 of 1953
items, or on every new item of a growing dataset whose other votes came from the vote
cache."""

from __future__ import annotations

import json

from cli_streams import run_cli
from labelwright.runs.store import list_runs, read_manifest
from ticket_data import TICKETS

#: raises on every item but t1
MOSTLY = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mostly(item):
    if item.id != "t1":
        raise ValueError("no such field")
    return "billing"


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text.lower() else ABSTAIN
'''

#: raises on the items added later (ids "n...") alone
NEW_ROWS = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def new_rows(item):
    if item.id.startswith("n"):
        raise ValueError("a column the new rows lack")
    return "billing" if "refund" in item.text.lower() else ABSTAIN


@labeling_function()
def crashes(item):
    return "technical" if "crash" in item.text.lower() else ABSTAIN
'''


def test_an_lf_failing_on_most_items_is_a_warning_not_a_failure(make_project, monkeypatch,
                                                                  capsys):
    root = make_project(lfs={"lfs": MOSTLY})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--quiet")
    assert code == 0, err
    record = json.loads(out)
    assert record["status"] == "ok" and record["mostly_failing"] == ["mostly"]
    said = [line for line in err.splitlines() if line.startswith("warning: LF 'mostly'")]
    assert len(said) == 1 and "raised on 5 of 6 items" in said[0], err
    assert record["warnings"] == err.count("warning:") == len(record["warning_messages"])
    (kinded,) = [w for w in record["warning_messages"] if w["kind"] == "lf_mostly_failing"]
    assert kinded["message"] == said[0].removeprefix("warning: ")
    (run_id,) = list_runs(root / "runs")
    assert any("LF 'mostly' raised on 5 of 6" in w
               for w in read_manifest(root / "runs" / run_id)["run_warnings"])
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--strict")
    assert code == 1 and json.loads(out)["failed_because"] == "strict"


def test_an_lf_failing_on_every_new_item_warns_though_the_cache_held_the_rest(
        make_project, monkeypatch, capsys):
    root = make_project(lfs={"lfs": NEW_ROWS})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 0 and json.loads(out)["mostly_failing"] == [], err
    make_project(lfs={"lfs": NEW_ROWS}, root=root, rows=[
        *TICKETS, {"id": "n1", "text": "A new refund", "plan": "pro", "gold": ""},
        {"id": "n2", "text": "Another crash", "plan": "free", "gold": ""}])
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert record["status"] == "ok" and record["mostly_failing"] == ["new_rows"]
    assert record["failures"] == {"new_rows": 2}  # of 8 items: not most of them
    assert "warning: LF 'new_rows' raised on 2 of the 2 items it was run on in this run" \
        in " ".join(err.split())


def test_one_new_row_raising_is_a_failure_not_a_broken_lf(make_project, monkeypatch,
                                                           capsys):
    """An LF that raised on the one row a night added was called broken ("raised on 1 of
    the 1 item it was run on ... it fails on 100%"): the row is said as a failure, and an
    LF raising on every one of many new rows is still called broken."""
    from labelwright.lfs.failure_text import MOSTLY_FAILING_MIN

    root = make_project(lfs={"lfs": NEW_ROWS})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 0, err
    new = [{"id": f"n{i}", "text": f"Refund number {i}", "plan": "pro", "gold": ""}
           for i in range(12)]
    make_project(lfs={"lfs": NEW_ROWS}, root=root, rows=[*TICKETS, *new[:1]])
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 0, err
    record = json.loads(out)
    assert record["failures"] == {"new_rows": 1} and record["mostly_failing"] == []
    assert "LF 'new_rows' raised on 1 item" in err and "it is broken" not in err
    assert MOSTLY_FAILING_MIN == 2  # README: "2 items or more"
    make_project(lfs={"lfs": NEW_ROWS}, root=root, rows=[*TICKETS, *new])
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    record = json.loads(out)
    assert code == 0 and record["mostly_failing"] == ["new_rows"], err
    assert "warning: LF 'new_rows' raised on 12 of 18 items: it fails on 66% of items: it " \
        "is broken" in " ".join(err.split())


def test_one_item_of_two_raising_is_not_most_of_them():
    from labelwright.lfs.failure_text import fails_mostly
    from labelwright.runs.outcome import mostly_failing_lfs

    class Failure:
        def __init__(self, count: int, cached: int = 0) -> None:
            self.count, self.cached = count, cached

    assert not fails_mostly(1, 2) and fails_mostly(2, 3) and not fails_mostly(3, 3)
    assert mostly_failing_lfs({"lf": Failure(1)}, 2, {"lf": 2}) == {}
    assert list(mostly_failing_lfs({"lf": Failure(2)}, 4, {"lf": 4})) == ["lf"]
    # 1 of 1 computed (the rest from the vote cache): not called broken
    assert mostly_failing_lfs({"lf": Failure(1)}, 1000, {"lf": 1}) == {}
    assert list(mostly_failing_lfs({"lf": Failure(3)}, 1000, {"lf": 3})) == ["lf"]


def test_items_gone_since_the_previous_run_warn_and_name_the_part_file(make_project,
                                                                       monkeypatch, capsys):
    """A data part removed overnight: the run said nothing under --quiet."""
    from data_parts import split_into_parts

    root = make_project()
    split_into_parts(root, {"part-1.csv": TICKETS[:4], "part-2.csv": TICKETS[4:]})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["items_gone"] is None and first["items_added"] is None
    (root / "data" / "parts" / "part-2.csv").unlink()
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--quiet")
    assert code == 0, err
    record = json.loads(out)
    assert (record["items_added"], record["items_gone"], record["items_changed"]) == (0, 2, 0)
    said = " ".join(err.split())
    assert f"warning: 2 items of run {first['run_id']} are gone from the data (t5, t6)" in said
    assert "part files gone:" in said and "part-2.csv" in said
    assert record["warnings"] == err.count("warning:")
    assert [w["kind"] for w in record["warning_messages"]] == ["items_gone"]
    manifest = read_manifest(root / "runs" / record["run_id"])
    assert manifest["items_gone"] == 2
    assert any("are gone from the data" in w for w in manifest["run_warnings"])


def test_items_of_another_file_given_with_data_are_not_said_lost(make_project, monkeypatch,
                                                                 capsys, tmp_path):
    """A weekly job labels each week's file with --data: every run warned that last week's
    items were "gone from the data" and to "restore it and run again"."""
    import pandas as pd

    root = make_project()
    weeks = [tmp_path / "week-48.csv", tmp_path / "week-49.csv"]
    pd.DataFrame(TICKETS[:4]).to_csv(weeks[0], index=False)
    pd.DataFrame(TICKETS[3:]).to_csv(weeks[1], index=False)
    records = []
    for week in weeks:
        code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                                 "--json", "--quiet", "--data", str(week))
        assert code == 0, err
        records.append(json.loads(out))
    said = " ".join(err.split())
    first = records[0]["run_id"]
    assert records[1]["items_gone"] == 3
    assert (f"warning: 3 items of run {first} are not in the data this run read (t1, t2, "
            f"t3): it read {weeks[1]}, run {first} read {weeks[0]}; their labels are in run "
            f"{first}") in said, said
    assert "restore it" not in said
    # its own kind: a script alerting on items_gone is not told of rows lost every week
    assert [w["kind"] for w in records[1]["warning_messages"]
            if "this run read" in w["message"]] == ["items_other_data"]
