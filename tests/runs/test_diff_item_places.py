"""``runs diff`` names items that moved to another data part or to another order (same id,
same text): it had said nothing of them, though the data's hash changed."""

from __future__ import annotations

import numpy as np

from data_parts import P2, two_parts_project
from labelwright import run_project
from labelwright.runs.diff import diff_runs
from labelwright.runs.diff.item_places import moved_lines, out_of_order


def _parts_project(make_project):
    return two_parts_project(make_project())


def test_an_item_moved_to_another_part_is_named_with_both_places(make_project, cli):
    root, folder = _parts_project(make_project)
    first = run_project(root, report=False)
    (folder / "p1.csv").write_text("id,text,gold\na1,refund please,billing\n", encoding="utf-8")
    (folder / "p2.csv").write_text(P2 + "a2,app crashes,technical\n", encoding="utf-8")
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    assert d.item_places is not None and list(d.item_places.moved) == ["a2"]
    assert d.item_places.reordered == 0
    line = ("items moved to another data part: 1 (a2 from data/parts/p1.csv row 2 to "
            "data/parts/p2.csv row 2)")
    assert moved_lines(d.item_places) == [line]
    code, out = cli("runs", "diff", first.run_id, second.run_id, "-p", str(root))
    assert code in (0, 1) and line in out, out


def test_rows_put_in_another_order_are_counted_and_placed(make_project):
    root = make_project()
    first = run_project(root, report=False)
    items = root / "data" / "items.csv"
    header, *rows = items.read_text(encoding="utf-8").splitlines(keepends=True)
    items.write_text(header + rows[-1] + "".join(rows[:-1]), encoding="utf-8")  # last first
    second = run_project(root, report=False)
    d = diff_runs(first.run_dir, second.run_dir)
    places = d.item_places
    assert places is not None and not places.moved
    assert places.reordered == 1  # one row moved, not every row after it
    (line,) = moved_lines(places)
    last_id = rows[-1].split(",")[0]
    assert line == (f"items in another order within their data part (the fewest that, "
                    f"moved, give run b's order): 1 ({last_id} from data/items.csv row "
                    f"{len(rows)} to data/items.csv row 1)")
    # the same data read again: nothing moved
    assert moved_lines(diff_runs(second.run_dir, run_project(root, report=False).run_dir)
                       .item_places) == []


def test_the_items_out_of_order_are_the_fewest_to_move():
    assert out_of_order(np.array([0, 1, 2, 3])).tolist() == []
    assert out_of_order(np.array([3, 0, 1, 2])).tolist() == [0]
    assert out_of_order(np.array([0, 2, 1, 3])).size == 1
    assert out_of_order(np.array([3, 2, 1, 0])).size == 3
    assert out_of_order(np.array([0, 5, 9])).tolist() == []  # gaps: items added between


def test_the_order_is_read_within_each_part_of_many():
    """Items are grouped by part once (comparing every item with each part in turn took
    18 s on 1,000 parts); each part's order is read on its own, and an item that left its
    part is not in any part's order."""
    from labelwright.runs.diff.item_places import _reordered

    part_b = np.array(["p2", "p1", "p2", "p1", "p2", "p1", "p3"], dtype=object)
    pos_a = np.array([0, 1, 2, 3, 4, 5, 6])
    pos_b = np.array([4, 1, 0, 3, 2, 5, 6])  # p2: 4, 0, 2 -> the first is out of order
    stayed = np.array([True, True, True, True, True, True, False])
    assert np.flatnonzero(_reordered(part_b, stayed, pos_a, pos_b)).tolist() == [0]
    pos_b[5] = 0  # p1: 1, 3, 0 -> its last is out of order too
    assert np.flatnonzero(_reordered(part_b, stayed, pos_a, pos_b)).tolist() == [0, 5]
    assert not _reordered(part_b, np.zeros(7, dtype=bool), pos_a, pos_b).any()
