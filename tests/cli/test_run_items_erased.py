"""Items ``labelwright erase`` took out of the project are not "gone from the data" to the
next run: the nightly job that deleted a person's rows on purpose read a warning to restore
them. The run counts them as erased instead (``items_erased``), and still warns of items gone
that no erasure names."""

from __future__ import annotations

import json

from cli_streams import run_cli
from labelwright.runs.store import read_manifest
from ticket_data import TICKETS


def _erase(monkeypatch, capsys, root, *ids: str) -> None:
    args = [arg for item in ids for arg in ("--item", item)]
    code, out, err = run_cli(monkeypatch, capsys, "erase", *args, "--reviewer", "dana",
                             "--reason", "erasure request 42", "-p", str(root))
    assert code == 0, out + err


def test_items_erased_since_the_previous_run_are_not_gone(make_project, monkeypatch, capsys):
    root = make_project()
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--quiet")
    assert code == 0, err
    make_project(root=root, rows=[r for r in TICKETS if r["id"] != "t6"])
    _erase(monkeypatch, capsys, root, "t6")
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    record = json.loads(out)
    assert (record["items_gone"], record["items_erased"]) == (0, 1)
    assert "gone from the data" not in err and record["warnings"] == err.count("warning:")
    assert "items added 0, gone 1 (1 of them erased: `labelwright erase`)" in \
        " ".join(err.split())
    manifest = read_manifest(root / "runs" / record["run_id"])
    assert (manifest["items_gone"], manifest["items_erased"]) == (0, 1)
    assert not any("gone from the data" in w for w in manifest["run_warnings"])


def test_items_gone_beside_erased_ones_still_warn_naming_only_those(make_project,
                                                                     monkeypatch, capsys):
    root = make_project()
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json")
    assert code == 0, err
    first = json.loads(out)["run_id"]
    make_project(root=root, rows=[r for r in TICKETS if r["id"] not in ("t5", "t6")])
    _erase(monkeypatch, capsys, root, "t6")
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--quiet")
    assert code == 0, err
    record = json.loads(out)
    assert (record["items_gone"], record["items_erased"]) == (1, 1)
    said = " ".join(err.split())
    assert (f"warning: 1 item of run {first} is gone from the data (t5), besides 1 erased "
            "(`labelwright erase`)") in said


def test_an_item_erased_before_the_previous_run_is_gone_again(tmp_path):
    """An id erased long ago that came back in the data, then went again, was not erased
    since the run that held it: it is gone, not erased."""
    from labelwright.runs.erase.records import ERASURES_FILE, erased_since

    (tmp_path / ERASURES_FILE).write_text(json.dumps({
        "erased_at": "2026-12-05T09:00:00+00:00", "reviewer": "dana", "reason": "r",
        "command": "labelwright erase", "items": ["t6"], "files": []}) + "\n",
        encoding="utf-8")
    assert erased_since(tmp_path, "2026-12-05T09:00:00.5+00:00") == {"t6"}  # that second
    assert erased_since(tmp_path, "2026-12-06T10:00:00.000001+00:00") == set()
    assert erased_since(tmp_path, None) == {"t6"}
    assert erased_since(tmp_path / "none", None) == set()


def test_erased_items_beside_items_of_another_data_file(make_project, monkeypatch, capsys,
                                                        tmp_path):
    """A weekly --data job whose last week's file also lost a row to an erasure: the items
    only the other file held are said as such (kind ``items_other_data``: not rows lost),
    the erased one counted apart, after what each run read, not between the ids and it."""
    import pandas as pd

    root = make_project()
    weeks = [tmp_path / "week-48.csv", tmp_path / "week-49.csv"]
    pd.DataFrame(TICKETS[:4]).to_csv(weeks[0], index=False)
    pd.DataFrame(TICKETS[3:]).to_csv(weeks[1], index=False)
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--quiet", "--data", str(weeks[0]))
    assert code == 0, err
    first = json.loads(out)["run_id"]
    code, out, err = run_cli(monkeypatch, capsys, "erase", "--item", "t1", "--reviewer",
                             "dana", "--reason", "erasure request 42", "--data",
                             str(weeks[1]), "-p", str(root))
    assert code == 0, out + err
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--quiet", "--data", str(weeks[1]))
    assert code == 0, err
    record = json.loads(out)
    assert (record["items_gone"], record["items_erased"]) == (2, 1)
    said = " ".join(err.split())
    assert (f"warning: 2 items of run {first} are not in the data this run read (t2, t3): "
            f"it read {weeks[1]}, run {first} read {weeks[0]}; their labels are in run "
            f"{first}; besides them, 1 item was erased (`labelwright erase`)") in said, said
    assert "gone from the data" not in said and "restore it" not in said
    (kind,) = [w["kind"] for w in record["warning_messages"] if "this run read" in
               w["message"]]
    assert kind == "items_other_data"
    assert "items_gone" not in [w["kind"] for w in record["warning_messages"]]
