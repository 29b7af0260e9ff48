"""The review ledger two runs read, in the lines ``runs diff`` prints for it (part of
:mod:`~labelwright.runs.diff.lines`): its counts, the decisions set aside as made on
another text, how the reviews settled, and the other fields of the manifests' ``reviews``
records that differ."""

from __future__ import annotations

from typing import Any

from labelwright.counts import counted, some_of
from labelwright.runs.diff.compare import MAX_EXAMPLES
from labelwright.runs.store import decision_count

#: how the reviews settled under a run's review policy, as its manifest counts it
SETTLEMENTS = (("disagreements", "items with disagreeing raters"), ("ties", "ties"),
               ("disagreements_adjudicated", "settled by an adjudicator"),
               ("overruled_by_adjudicators", "overruled by an adjudicator"),
               ("adjudicators_disagree", "adjudicators disagree"))


def settlement_lines(a: dict[str, Any] | None, b: dict[str, Any] | None) -> list[str]:
    """``review settlements: ties 18 -> 25, settled by an adjudicator 0 -> 18``: the counts
    both runs recorded that differ ([] when none)."""
    a, b = a or {}, b or {}
    moved = [f"{words} {a[key]} -> {b[key]}" for key, words in SETTLEMENTS
             if key in a and key in b and a[key] != b[key]]
    return [f"review settlements: {', '.join(moved)}"] if moved else []


def _review_state(reviews: dict[str, Any] | None) -> str:
    if not reviews:
        return "no ledger"
    state = counted(decision_count(reviews), "decision")
    if "items_with_gold" in reviews:
        state += f", {counted(reviews['items_with_gold'], 'item')} with a reviewed label"
    if reviews.get("reviewed_on_other_text"):
        state += f", {reviews['reviewed_on_other_text']} set aside (made on another text)"
    if reviews.get("decisions_retired"):
        state += f", {reviews['decisions_retired']} retired (review retire)"
    return state


#: review fields other lines of runs diff show (the ledger line's counts, the settings,
#: the settlements, the decisions set aside)
_SHOWN_ELSEWHERE = {"decisions", "count", "items_with_gold", "reviewed_on_other_text",
                    "decisions_retired",
                    "policy", "adjudicators", "same_rater", "set_aside_other_text",
                    *(key for key, _ in SETTLEMENTS)}


def _other_review_fields(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """Each field of two runs' ``reviews`` records that differs and that no other line
    shows: ``random samples: run 20261204-101446-314705 (40 drawn, 40 reviewed) ->
    (none)``, ``ledger_sha256 a3898b80a5f1 -> 0c1d...``, ``items_from_random_sample 40 -> 0``."""
    moved = []
    for key in sorted({*a, *b} - _SHOWN_ELSEWHERE):
        then, now = a.get(key), b.get(key)
        if then == now:
            continue
        if key == "random_samples":
            moved.append(f"random samples: {_samples(then)} -> {_samples(now)}")
        elif key in ("ledger_sha256", "retirements_sha256"):
            moved.append(f"{key.removesuffix('_sha256')} sha256 {_short(then)} -> "
                         f"{_short(now)}")
        else:
            moved.append(f"{key} {'(not recorded)' if then is None else then} -> "
                         f"{'(not recorded)' if now is None else now}")
    return moved


def _short(digest: Any) -> str:
    """A digest as a line shows it: its first 12 characters, ``(none)`` when not recorded."""
    return str(digest)[:12] if digest else "(none)"


def _samples(samples: Any) -> str:
    """A run's ``random_samples`` as a line shows them."""
    if not isinstance(samples, list) or not samples:
        return "(none)"
    return ", ".join(f"run {s.get('run_id')} ({s.get('drawn')} drawn, {s.get('reviewed')} "
                     "reviewed)" for s in samples if isinstance(s, dict))


def _set_aside(reviews: dict[str, Any] | None) -> set[tuple[str, str]]:
    return {(str(d.get("run_id")), str(d.get("id")))
            for d in (reviews or {}).get("set_aside_other_text") or []}


def ledger_lines(a: dict[str, Any] | None, b: dict[str, Any] | None) -> list[str]:
    """The ledger line, and which decisions run b set aside because their item's text
    changed (or no longer sets aside), named by item and the run they were made on."""
    state_a, state_b = _review_state(a), _review_state(b)
    if state_a != state_b:
        lines = [f"reviews: {state_a} -> {state_b}"]
    else:  # the same counts: say what did change, rather than a line with two equal sides
        moved = _other_review_fields(a or {}, b or {})
        lines = [f"reviews: {state_a} in both" + (f"; changed: {'; '.join(moved)}" if moved
                                                  else "")]
    if a and b and "set_aside_other_text" in a and "set_aside_other_text" in b:
        before, after = _set_aside(a), _set_aside(b)
        # one no longer set aside was used again (its text is back as reviewed), or was
        # retired, or its item left the data: the manifests do not say which
        for what, keys in (("set aside (text changed since the review)", after - before),
                           ("no longer set aside (used again, retired or the item gone: "
                            "`labelwright explain ITEM` says which)", before - after)):
            if keys:
                named = [f"{item} (reviewed on {run})" for run, item in sorted(keys)]
                lines.append(f"reviews {what}: {some_of(named, MAX_EXAMPLES)}")
    return lines
