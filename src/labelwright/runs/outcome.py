"""How a run ended, as its manifest records it (``outcome``), and what follows from it.

A run whose LF raised on every item (its votes all abstains: a broken LF, as ``check``
calls it), or, run with ``--strict`` (``strict=True`` from Python), whose LF raised on any
item, failed: ``labelwright run`` exits 1 for it. It is written all the same, under
``runs/<run_id>/``, for a look at what went wrong, but ``runs/LATEST`` does not move to it,
nor do the commands that read "the latest run" (``export``, ``train``, ``review export``)
take it: a nightly job that failed must not hand its labels on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from labelwright.counts import counted
from labelwright.errors import both_spellings

OUTCOME_KEY = "outcome"


def run_outcome(failures: Mapping[str, Any], items: int, *, strict: bool) -> dict[str, Any]:
    """The manifest's ``outcome``: ``status`` (``"ok"`` or ``"failed"``), whether the run was
    ``strict``, ``failed_because`` (``"lf_raised_on_every_item"``, ``"strict"`` or None)
    and the LFs it names (``failed_lfs``). ``failures``: the apply's failures by LF (each
    with its ``count`` of items), ``items``: how many items the run read."""
    everywhere = [name for name, failure in failures.items() if failure.count >= items > 0]
    because, lfs = ("lf_raised_on_every_item", everywhere) if everywhere else (
        ("strict", list(failures)) if strict and failures else (None, []))
    return {"status": "failed" if because else "ok", "strict": strict,
            "failed_because": because, "failed_lfs": lfs}


def failed(manifest: Mapping[str, Any]) -> bool:
    """Whether the run of ``manifest`` failed (manifests from before runs recorded their
    outcome: no)."""
    return (manifest.get(OUTCOME_KEY) or {}).get("status") == "failed"


def failure_text(outcome: Mapping[str, Any], *, strict_flag: str = "--strict") -> str:
    """Why a failed run failed, one line; "" for one that did not. ``strict_flag``: how the
    caller spells the option (``--strict``, ``strict=True``)."""
    lfs: Sequence[str] = outcome.get("failed_lfs") or []
    named = ", ".join(map(repr, lfs))
    if outcome.get("failed_because") == "lf_raised_on_every_item":
        return (f"{counted(len(lfs), 'LF')} raised on every item, so "
                f"{'its votes are' if len(lfs) == 1 else 'their votes are'} all abstains: "
                f"{named}")
    if outcome.get("failed_because") == "strict":
        return f"{strict_flag}: {counted(len(lfs), 'LF')} raised ({named})"
    return ""


def not_latest_text(run_id: str, run_dir: object) -> str:
    """What a failed run's message says of where it is: written, but not the latest."""
    return (f"run {run_id} is written all the same ({run_dir}), but as a failed run it is "
            "not runs/LATEST, nor the latest run export, train and review export take")


def failed_run_message(outcome: Mapping[str, Any], run_id: str, run_dir: object, *,
                       strict_flag: str = "--strict") -> str:
    """What a failed run says of itself: why it failed, that it is written but not the
    latest run, and for a broken LF, to fix or remove it."""
    return (f"{failure_text(outcome, strict_flag=strict_flag)}; "
            f"{not_latest_text(run_id, run_dir)}{fix_text(outcome)}")


def fix_text(outcome: Mapping[str, Any]) -> str:
    """``; fix or remove it`` (or ``them``) for LFs that raised on every item, "" for
    other failures (``--strict``: the LFs may be right on most items): how a failed run
    and a failed ``analyze`` close their error."""
    if outcome.get("failed_because") != "lf_raised_on_every_item":
        return ""
    return f"; fix or remove {'it' if len(outcome.get('failed_lfs') or []) == 1 else 'them'}"


def failed_run_warning(outcome: Mapping[str, Any], run_id: str, run_dir: object) -> str:
    """The failed run's line among its warnings (``RunResult.warnings``, the manifest's
    ``run_warnings``, which the report leads with): the option spelt for both callers."""
    return failed_run_message(outcome, run_id, run_dir,
                              strict_flag=both_spellings("--strict", "strict=True"))


def mostly_failing_lfs(failures: Mapping[str, Any], items: int,
                       computed: Mapping[str, int]) -> dict[str, str]:
    """Each LF that raised on most items but not on every one (which fails the run), or
    on most of the items it was run on in this run, as ``computed`` counts them (the
    others' votes read from the vote cache): the run's warning for it. A broken LF the
    vote cache hides (every new item of a growing dataset raising) is not read as one that
    abstains. Either needs the LF to have raised on
    :data:`~labelwright.lfs.failure_text.MOSTLY_FAILING_MIN` items or more (in this run,
    for the second): one new row that raised is an LF failure, said as such, not a broken
    LF."""
    from labelwright.lfs.failure_text import MOSTLY_FAILING_MIN, fails_mostly, mostly_failing

    said: dict[str, str] = {}
    for name, failure in failures.items():
        ran, now = computed.get(name, 0), failure.count - getattr(failure, "cached", 0)
        if fails_mostly(failure.count, items):
            said[name] = (f"LF {name!r} raised on {failure.count} of {counted(items, 'item')}"
                          f": {mostly_failing(failure.count, items)}")
        elif failure.count < items and 0 < ran <= 2 * now and now >= MOSTLY_FAILING_MIN:
            said[name] = (f"LF {name!r} raised on {now} of the {counted(ran, 'item')} it was "
                          f"run on in this run (the others' votes came from the vote cache): "
                          f"{mostly_failing(now, ran, 'them')}")
    return said


def mostly_failing_warning(name: str, said: str) -> str:
    """The run's warning for an LF that fails on most items (:func:`mostly_failing_lfs`):
    its votes there are abstains, and how to make a nightly job stop on it."""
    return (f"{said}; its votes on those items are abstains: fix {name!r} or remove it "
            f"({both_spellings('--strict', 'strict=True')} fails a run whose LF raised)")
