"""``review stats`` says how many of the ledger's decisions are retired (its count holds
them; no figure counts them), and what its per-rater counts count."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.review import retire_decisions
from review_csv import review_items


def test_stats_says_how_many_decisions_are_retired(make_project, cli):
    root = make_project()
    run = run_project(root, report=False)
    review_items(root, {"t1": "billing", "t2": "technical", "t3": "billing"},
                 run_id=run.run_id, rater="ana", sha="a")
    review_items(root, {"t1": "billing", "t2": "billing", "t3": "billing"},
                 run_id=run.run_id, rater="bo", sha="b")
    retire_decisions(root, items=["t3"], rater="bo", reviewer="lead", reason="misread")
    code, out = cli("review", "stats", "-p", str(root))
    assert code == 0, out
    assert "ledger now: 6 decisions (1 retired: counted in no figure below), 3 items reviewed" \
        in out, out
    # bo's retired decision on t3 is in no pair: the pair shares t1 and t2
    assert "┃ rater a ┃ rater b ┃ items both decided ┃ kappa ┃" in out
    assert "ana │ bo │ 2 │" in out
    assert ("items: those the rater decided on which the other raters have a clear majority "
            "(each rater's latest decision per item, retired ones aside)") in out


def test_stats_of_a_ledger_without_retirements_says_none(make_project, cli):
    root = make_project()
    run = run_project(root, report=False)
    review_items(root, {"t1": "billing"}, run_id=run.run_id)
    code, out = cli("review", "stats", "-p", str(root))
    assert code == 0 and "ledger now: 1 decision, 1 item reviewed" in out, out
