"""The kinds of warnings beyond ``run --json``: ``check --json`` gives its warnings with their
kinds (``warning_messages``) and a run's manifest records the kind of each of its
``run_warnings`` (``run_warning_kinds``), which ``runs verify`` reads and checks."""

from __future__ import annotations

import json

import pandas as pd

from cli_streams import run_cli
from labelwright.runs.store import list_runs, read_manifest
from ticket_data import TICKETS

#: an LF raising on every item but t2 (a warning, not a failure), and one that votes
MOSTLY = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def mostly(item):
    if item.id != "t2":
        raise KeyError(item.id)
    return "technical"


@labeling_function()
def refunds(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN
'''


def test_check_json_gives_each_warning_with_its_kind(make_project, monkeypatch, capsys):
    root = make_project(lfs={"lfs": MOSTLY})
    code, out, err = run_cli(monkeypatch, capsys, "check", "-p", str(root), "--json")
    record = json.loads(out)
    assert code == 0, err
    # the plain texts stay as they were; warning_messages gives the same ones, in order
    assert [w["message"] for w in record["warning_messages"]] == record["warnings"]
    assert len(record["warnings"]) == err.count("warning:") >= 1
    (mostly,) = [w for w in record["warning_messages"] if w["message"].startswith("LF mostly (")]
    assert mostly["kind"] == "lf_mostly_failing" and record["mostly_failing"] == ["mostly"]


def _manifest_path(root):
    (run_id, *_) = list_runs(root / "runs")
    return root / "runs" / run_id / "manifest.json"


def test_the_manifest_records_a_kind_for_each_run_warning(make_project, monkeypatch, capsys):
    root = make_project(lfs={"lfs": MOSTLY})
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--quiet")
    assert code == 0, err
    manifest = read_manifest(root / "runs" / json.loads(out)["run_id"])
    kinds = dict(zip(manifest["run_warnings"], manifest["run_warning_kinds"], strict=True))
    (said,) = [w for w in kinds if "LF 'mostly' raised on" in w]
    assert kinds[said] == "lf_mostly_failing"
    # the comparison's warnings, added as the run is published, with their kinds too
    pd.DataFrame(TICKETS[:-1]).to_csv(root / "data" / "items.csv", index=False)
    code, out, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report",
                             "--json", "--quiet")
    assert code == 0, err
    record = json.loads(out)
    manifest = read_manifest(root / "runs" / record["run_id"])
    assert len(manifest["run_warning_kinds"]) == len(manifest["run_warnings"])
    assert manifest["run_warning_kinds"][-1] == "items_gone"
    assert "is gone from the data (t6)" in manifest["run_warnings"][-1]
    assert [w["kind"] for w in record["warning_messages"] if w["kind"] != "data"] == \
        manifest["run_warning_kinds"]


def test_runs_verify_checks_the_kinds_recorded(make_project, monkeypatch, capsys):
    root = make_project(lfs={"lfs": MOSTLY})
    code, _, err = run_cli(monkeypatch, capsys, "run", "-p", str(root), "--no-report", "-q")
    assert code == 0, err
    path = _manifest_path(root)
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert kept["run_warning_kinds"]
    # a manifest from before the kinds were recorded reads and verifies as before ...
    older = {k: v for k, v in kept.items() if k != "run_warning_kinds"}
    path.write_text(json.dumps(older), encoding="utf-8")
    assert "run_warning_kinds" not in read_manifest(path.parent)
    code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "-p", str(root), "--json")
    assert code == 0 and json.loads(out)["ok"] is True, out + err
    # ... one whose kinds are not one per warning, or not words, is a problem (exit 1)
    for kinds, said in ((kept["run_warning_kinds"][1:], "run_warning_kinds holds"),
                        ([1] * len(kept["run_warnings"]), "run_warning_kinds[0] is a JSON "
                                                          "number, where a run writes a string")):
        path.write_text(json.dumps({**kept, "run_warning_kinds": kinds}), encoding="utf-8")
        code, out, err = run_cli(monkeypatch, capsys, "runs", "verify", "-p", str(root),
                                 "--json")
        record = json.loads(out)
        assert code == 1 and record["ok"] is False, out + err
        assert any(said in p["message"] for p in record["problems"]), record["problems"]


#: an LF voting on every item and one voting the same on a subset of them: nested
NESTED = '''
from labelwright import ABSTAIN, labeling_function


@labeling_function()
def broad(item):
    return "billing"


@labeling_function()
def refunds(item):
    return "billing" if "refund" in item.text.lower() else ABSTAIN
'''


def test_check_json_gives_nested_lfs_the_kind_run_gives_them(make_project, monkeypatch,
                                                             capsys):
    rows = [{"id": f"r{k}", "text": f"refund {k}" if k % 2 else f"crash {k}", "plan": "pro",
             "gold": ""} for k in range(12)]
    root = make_project(lfs={"lfs": NESTED}, rows=rows)
    code, out, err = run_cli(monkeypatch, capsys, "check", "-p", str(root), "--json")
    assert code == 0, err
    (nested,) = [w for w in json.loads(out)["warning_messages"] if "nested LFs" in w["message"]]
    assert nested["kind"] == "lf_code"


#: an LF whose vote has no `return` (a warning of its code, which the apply step adds to the
#: data reader's), beside one that votes
SILENT = MOSTLY.replace('''def mostly(item):
    if item.id != "t2":
        raise KeyError(item.id)
    return "technical"''', '''def sorry(item):
    "technical" if "crash" in item.text else ABSTAIN''')


def test_run_gives_a_warning_the_kind_check_gives_it(make_project, monkeypatch, capsys):
    """run tagged every warning it printed before the apply as `data`: an LF that never
    returns a value was `lf_code` in check --json and `data` in run --json."""
    root = make_project(lfs={"lfs": SILENT})
    kinds = {}
    for command in (("check",), ("run", "--no-report")):
        code, out, err = run_cli(monkeypatch, capsys, *command, "-p", str(root), "--json")
        assert code == 0, err
        (said,) = [w for w in json.loads(out)["warning_messages"]
                   if "LF sorry never returns a value" in w["message"]]
        kinds[command[0]] = said["kind"]
    assert kinds == {"check": "lf_code", "run": "lf_code"}
