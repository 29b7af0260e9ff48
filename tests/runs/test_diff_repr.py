"""A run's ``changes`` (a ``RunDiff``) shown in a notebook cell: its dataclass repr printed
every field (the flips' examples, each LF's vote changes, the first ids), pages of text
for a look at what changed; it is one line of counts, as a run's own result is."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.runs.diff import diff_runs
from ticket_data import TICKET_LFS, TICKETS


def test_a_run_diff_is_one_line_of_counts(make_project):
    rows = [{**row, "id": f"{row['id']}-{k}"} for k in range(50) for row in TICKETS]
    root = make_project(rows=rows)
    run_project(root, report=False)
    edited = TICKET_LFS.replace('"refund" in', '"refund" in item.text.lower() or "charge" in')
    (root / "labeling_functions" / "tickets.py").write_text(edited, encoding="utf-8")
    changes = run_project(root, report=False).changes
    assert changes is not None and changes.lfs.edited == ["mentions_refund"]
    shown = repr(changes)
    assert shown.startswith(f"RunDiff(run_a={changes.run_a!r}, run_b={changes.run_b!r}, "
                            f"compared={len(rows)}, flipped={changes.flipped}, "
                            "only_a=0, only_b=0, lfs_changed=1, ")
    assert shown.endswith(", inputs_changed=True)") and "\n" not in shown, shown
    assert len(shown) < 400 and "examples" not in shown
    assert str(changes) == shown
    html = changes._repr_html_()
    assert "<b>RunDiff</b>" in html and f"<td style='text-align:left'>{changes.run_b}</td>" in html
    again = diff_runs(root / "runs" / changes.run_a, root / "runs" / changes.run_b)
    assert repr(again) == shown
