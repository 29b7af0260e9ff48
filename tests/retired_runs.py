"""A project whose runs read reviews before and after two decisions were retired, for the
tests of what runs record of retirements and how ``runs verify`` checks them."""

from __future__ import annotations

from labelwright.project import run_project
from labelwright.review import retire_decisions
from review_csv import review_items


def retired_project(make_project):
    """Run ``before`` read reviews of t6 and of a deleted item ``gone1``; both were
    retired, then run ``after`` honoured that. (No gold column: train has items to learn.)
    Returns ``(root, before, after)``."""
    root = make_project(gold=None)
    first = run_project(root, report=False)
    review_items(root, {"t6": "technical", "gone1": "billing"}, run_id=first.run_id)
    before = run_project(root, report=False)
    retire_decisions(root, items=["t6"], reviewer="lead", reason="misread the guidelines")
    retire_decisions(root, missing=True, reviewer="lead", reason="row deleted")
    return root, before, run_project(root, report=False)
