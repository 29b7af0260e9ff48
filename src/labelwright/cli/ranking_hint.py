"""``run``'s hint after a slow review ranking: how to skip it while iterating on LFs.

Under ``[triage] ranking = "combined"`` every run whose labels moved fits the end model's
out-of-fold folds again (:mod:`labelwright.review.ranking.rank`): on 40,000 legal clauses
15-36 s of a 30-45 s edit-run-diff loop. The queue's order matters when reviewing, not
while editing LFs and reading the diff, so the run says how to leave it out for a run.
"""

from __future__ import annotations

from typing import Any

#: a ranking that took longer than this many seconds gets the hint
RANK_HINT_SECONDS = 5.0


def ranking_hint(seconds: float | None, triage: dict[str, Any]) -> str | None:
    """The hint for a run whose ranking step took ``seconds`` (its ``timings["rank"]``),
    ``triage`` the manifest's record of it; None when the ranking was quick, read back
    from the ranking cache, or not the combined one."""
    if seconds is None or seconds <= RANK_HINT_SECONDS or triage.get("ranking") != "combined":
        return None
    if (triage.get("ranking_cache") or {}).get("reused"):
        return None
    return (f"review ranking took {seconds:.1f}s of this run; while editing LFs, "
            "`labelwright run --ranking confidence` skips it (the queue ordered by the "
            "label model's confidence for that run; [triage] ranking stays as written)")
