"""A command refused because the data changed since its run (`export`, `train`) names the
erasures recorded since the run: after a data subject's erasure the refusal gave only two
hashes, as if the data had been changed by accident."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.runs.erase.items import erase_items
from ticket_data import TICKETS

ROWS = [*TICKETS, {"id": "t7", "text": "Call me back about my card", "plan": "pro",
                   "gold": ""}]


def test_export_after_an_erasure_names_it(make_project, cli):
    root = make_project(rows=ROWS)
    run_project(root, report=False)
    path = root / "data" / "items.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8")
                            .splitlines(keepends=True) if not line.startswith("t7,")),
                    encoding="utf-8")
    code, out = cli("export", "-p", str(root))
    assert code == 1 and "changed since run" in out and "erasures" not in out, out
    erase_items(root, ["t7"], reviewer="dana", reason="request 42")
    code, out = cli("export", "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert ("erasures recorded since the run deleted rows from the data: ERASURES.jsonl "
            "line 1 (erased on") in said and "by dana (request 42))" in said, out
    assert "run `labelwright run` again before exporting" in said, out


def test_a_rater_erasure_is_not_named_as_rows_deleted(make_project, cli):
    """`erase --rater` renames a rater in the ledger and deletes no row: named among the
    erasures that deleted rows from the data, it passed for the data's change."""
    from labelwright.review.decisions import ledger
    from labelwright.runs.erase.raters import erase_rater_names

    root = make_project(rows=ROWS)
    run = run_project(root, report=False)
    ledger.append(ledger.ledger_path(root), [ledger.Decision(
        "t1", "billing", "dana", "", "now", "now", "f.csv", "s1", "row 1", run.run_id,
        "csv")], sha256="s1", reviewer="dana", source_file="f.csv", fmt="csv",
        imported_at="now")
    erase_rater_names(root, ["dana"], reviewer="lead", reason="request 44")
    path = root / "data" / "items.csv"
    path.write_text(path.read_text(encoding="utf-8") + "t8,Another ticket,pro,\n",
                    encoding="utf-8")
    code, out = cli("export", "-p", str(root))
    assert code == 1 and "changed since run" in out, out
    assert "erasures" not in out and "request 44" not in out, out
