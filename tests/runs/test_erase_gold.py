"""An erasure accounts for the items gone from the data, not for gold labels changed with
it: `runs verify --inputs` took every change of a data file that lost only erased items'
rows as the erasure's, so gold blanked or edited beside the erasure passed unnamed."""

from __future__ import annotations

from pathlib import Path

from labelwright.project import run_project
from labelwright.runs.erase.items import erase_items
from ticket_data import TICKETS

ROWS = [*TICKETS, {"id": "t7", "text": "Call me back about my card", "plan": "pro",
                   "gold": ""}]


def _rewrite(root: Path, drop: str, edit: tuple[str, str, str] | None = None) -> None:
    path = root / "data" / "items.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = [line for line in lines if line.split(",")[0] != drop]
    if edit is not None:
        item, old, new = edit
        lines = [line.replace(old, new) if line.startswith(f"{item},") else line
                 for line in lines]
    path.write_text("".join(lines), encoding="utf-8")


def test_gold_changed_beside_an_erasure_is_a_difference(make_project, cli):
    root = make_project(rows=ROWS)
    run = run_project(root, report=False)
    _rewrite(root, "t7", ("t1", ",billing", ","))  # t1's gold blanked with the erasure
    erase_items(root, ["t7"], reviewer="dana", reason="request 42")
    code, out = cli("runs", "verify", run.run_id, "--inputs", "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert "accounts for it" not in said, out
    assert "items whose gold label changed since the run: 1 (t1)" in said, out
    assert "items gone since the run: 1 (t7)" in said, out


def test_an_erasure_alone_still_accounts_for_the_change(make_project, cli):
    root = make_project(rows=ROWS)
    run = run_project(root, report=False)
    _rewrite(root, "t7")
    erase_items(root, ["t7"], reviewer="dana", reason="request 42")
    code, out = cli("runs", "verify", run.run_id, "--inputs", "-p", str(root))
    said = " ".join(out.split())
    assert code == 0, out
    assert "the recorded erasure accounts for it (not a difference)" in said, out
    assert "gold label" not in said, out


def test_gold_changed_alone_is_named_under_the_data_line(make_project, cli):
    root = make_project(rows=ROWS)
    run = run_project(root, report=False)
    _rewrite(root, "none", ("t3", ",billing", ",technical"))
    code, out = cli("runs", "verify", run.run_id, "--inputs", "-p", str(root))
    said = " ".join(out.split())
    assert code == 1, out
    assert "items whose gold label changed since the run: 1 (t3)" in said, out
