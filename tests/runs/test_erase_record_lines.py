"""A run file an erasure rewrote whose line of runs/ERASURES.jsonl was removed since is
said to hold the erased marker with no record leading to it: it was reported only as
"changed since the run wrote it", like any edit."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.runs.erase.items import erase_items
from ticket_data import TICKETS

ROWS = [*TICKETS, {"id": "t7", "text": "Call me back about my card", "plan": "pro",
                   "gold": ""}]


def test_a_removed_record_line_is_named(make_project, cli):
    root = make_project(rows=ROWS)
    run = run_project(root, report=False)
    path = root / "data" / "items.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8")
                            .splitlines(keepends=True) if not line.startswith("t7,")),
                    encoding="utf-8")
    erase_items(root, ["t7"], reviewer="dana", reason="request 42")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 0, out
    (root / "runs" / "ERASURES.jsonl").write_text("", encoding="utf-8")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert ("changed since the run wrote it (sha256" in said and "it holds the marker "
            "[erased] that erase writes, but no line of runs/ERASURES.jsonl leads from the "
            "run's hash to it") in said, out


def test_an_edit_without_the_marker_says_no_more(make_project, cli):
    root = make_project(rows=ROWS)
    run = run_project(root, report=False)
    with open(run.run_dir / "review.jsonl", "a", encoding="utf-8") as handle:
        handle.write("\n")
    code, out = cli("runs", "verify", run.run_id, "-p", str(root))
    assert code == 1 and "review.jsonl: changed since the run wrote it" in out, out
    assert "marker" not in out, out
