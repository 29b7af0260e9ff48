"""``runs verify --inputs`` names an item moved from one data part to another (same id and
text): both parts' hashes changed, and each part said its items were as the run read them."""

from __future__ import annotations

from data_parts import P1, P2, two_parts_project
from labelwright import run_project, verify_runs


def _parts_project(make_project, extra: str = ""):
    return two_parts_project(make_project(), extra)


def test_a_row_moved_to_another_part_is_named_with_both_places(make_project):
    root, folder = _parts_project(make_project)
    run_project(root, report=False)
    (folder / "p1.csv").write_text("id,text,gold\na1,refund please,billing\n", encoding="utf-8")
    (folder / "p2.csv").write_text(P2 + "a2,app crashes,technical\n", encoding="utf-8")
    (check,) = verify_runs(root, inputs=True)
    changes = {c.key: c for c in check.inputs.changes}
    assert set(changes) == {"data/parts/p1.csv", "data/parts/p2.csv"}, check.inputs.changes
    moved = ("items moved to another part since the run: 1 (a2 from data/parts/p1.csv row 2 "
             "to data/parts/p2.csv row 2)")
    for change in changes.values():
        assert change.items == (moved,), change.items  # not "every item has its text"


def test_a_moved_row_is_placed_past_the_rows_the_run_skipped(make_project):
    """The run's row is counted back past a bad row it left out, as the run numbered it;
    an item moved and edited is said in both lines."""
    root, folder = _parts_project(make_project, '\nbad_rows = "skip"')
    (folder / "p1.csv").write_text("id,text,gold\na1,refund please,billing\n"
                                   ",no id,billing\na2,app crashes,technical\n",
                                   encoding="utf-8")
    run_project(root, report=False)
    (folder / "p1.csv").write_text("id,text,gold\na1,refund please,billing\n", encoding="utf-8")
    (folder / "p2.csv").write_text("id,text,gold\na2,the app crashes,technical\n" + P2[13:],
                                   encoding="utf-8")
    (check,) = verify_runs(root, inputs=True)
    [p2] = [c for c in check.inputs.changes if c.key == "data/parts/p2.csv"]
    assert p2.items == (
        "items whose text changed since the run: 1 (a2)",
        "items moved to another part since the run: 1 (a2 from data/parts/p1.csv row 3 to "
        "data/parts/p2.csv row 1)"), p2.items


def test_only_the_moves_named_have_their_run_row_counted_back(make_project, monkeypatch):
    """The run's row was counted back (re-reading its skipped rows) for up to 100 moved
    items, though the line names 5: now only for those it names."""
    from labelwright.runs import item_origin

    root, folder = _parts_project(make_project)
    moved = "".join(f"m{k},moved text {k},billing\n" for k in range(12))
    (folder / "p1.csv").write_text(P1 + moved, encoding="utf-8")
    run_project(root, report=False)
    (folder / "p1.csv").write_text(P1, encoding="utf-8")
    (folder / "p2.csv").write_text(P2 + moved, encoding="utf-8")
    counted_back = []
    real = item_origin.item_origin

    def counting(run_dir, manifest, position):
        counted_back.append(position)
        return real(run_dir, manifest, position)

    monkeypatch.setattr(item_origin, "item_origin", counting)
    (check,) = verify_runs(root, inputs=True)
    assert len(counted_back) == 5, counted_back
    [p2] = [c for c in check.inputs.changes if c.key == "data/parts/p2.csv"]
    (line,) = p2.items
    assert line.startswith("items moved to another part since the run: 12 (m0 from "
                           "data/parts/p1.csv row 3 to data/parts/p2.csv row 2, m1 from "), line
    assert line.endswith("m4 from data/parts/p1.csv row 7 to data/parts/p2.csv row 6, and 7 "
                         "more)"), line
