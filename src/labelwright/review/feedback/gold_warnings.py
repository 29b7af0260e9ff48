"""What a run says about the reviews it could not use (items gone from the data or with
another text now, labels the project no longer has, ties and items awaiting adjudication)
and about random samples reviewed with gaps: nothing in the ledger is left out without a
word (:mod:`~labelwright.review.feedback.gold`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from labelwright.counts import some_of
from labelwright.errors import both_spellings
from labelwright.review.decisions.raters import rater_warnings
from labelwright.review.feedback.label_changes import stale_warning
from labelwright.review.feedback.run_label_gaps import gap_warnings

if TYPE_CHECKING:
    from labelwright.review.feedback.gold import ReviewedLabels


def float_hint(pairs: Sequence[tuple[str, str]]) -> str:
    """What a warning about reviewed items gone from the data adds when the data holds
    them written as floats (or the reverse): ``pairs`` of (reviewed id, data id)."""
    if not pairs:
        return ""
    floats = any(data_id.endswith(".0") for _, data_id in pairs)
    cause = ("written as floats by the tool that exported the file? Ids are text as "
             "written: export the id column as whole numbers or as text" if floats else
             "the reviews were made when the file had them written as floats? Ids are "
             "text as written: export the id column as it was")
    return (f"; the data has ids {some_of([repr(d) for _, d in pairs])} where the reviews "
            f"name {some_of([repr(r) for r, _ in pairs])}: {cause}")


def review_warnings(reviewed: ReviewedLabels, source: str = "the dataset", *,
                    labels_are: str = "the project no longer has ([project] labels)",
                    labels: Sequence[str] = (), data_given: bool = False,
                    erased: Mapping[str, str] | None = None, as_read: bool = False
                    ) -> list[str]:
    """What a run should say about reviews it could not use, and about samples reviewed
    with gaps: nothing in the ledger is left out without a word. ``source`` names where
    the item ids come from, ``labels_are`` why a label is not one of those in use, and
    ``labels`` the ones in use. ``data_given``: the run read ``source`` in place of
    ``[data] path`` (``--data``, a DataFrame), so a reviewed item it lacks is most likely
    in the project's data file, not deleted: no retirement is suggested. ``erased``: the
    items ``labelwright erase`` erased, each with its erasure said (``erased on ... by
    ...``): a reviewed item gone among them is said as erased (:func:`erased_warning`).
    ``as_read``: ``reviewed`` holds only the decisions a run read (``review stats
    --as-read``), and the lines on raters say so."""
    out = []
    gone_erased = [i for i in reviewed.unknown_items if i in (erased or {})]
    if gone_erased and not data_given:
        out.append(erased_warning(gone_erased, erased or {}))
        reviewed = replace(reviewed, unknown_items=[
            i for i in reviewed.unknown_items if i not in set(gone_erased)])
    if reviewed.unknown_items and data_given:
        # "not in data/batch2.csv any more ... review retire --missing" had a team about to
        # retire 750 valid decisions of items of the project's main data file
        out.append(f"{len(reviewed.unknown_items)} reviewed item(s) are not in {source}, "
                   "which this run read in place of [data] path, so their reviews are not "
                   f"used in it: {some_of([repr(i) for i in reviewed.unknown_items])}; they "
                   "are most likely items of the project's data file, not of this one: keep "
                   "their decisions (`review retire --missing` would retire them for every "
                   "run)")
    elif reviewed.unknown_items:
        out.append(f"{len(reviewed.unknown_items)} reviewed item(s) are not in {source} any "
                   "more, so their reviews are not used: "
                   f"{some_of([repr(i) for i in reviewed.unknown_items])}"
                   + (float_hint(reviewed.float_spelt) or
                      "; if they were deleted on purpose, `labelwright review retire "
                      "--missing` retires their decisions and this warning stops"))
    # an item reviewed again on its new text needs nothing more: its old decisions stay
    # set aside (the manifest records them, explain marks them), and a warning on every
    # run could not be silenced
    again = {d.item_id for d in reviewed.decisions}
    unreviewed = [i for i in reviewed.text_changed if i not in again]
    if unreviewed:
        redone = len(reviewed.text_changed) - len(unreviewed)
        out.append(f"{len(unreviewed)} reviewed item(s) have another text now than "
                   "the one their reviewers saw, so those reviews are not used: "
                   f"{some_of([repr(i) for i in unreviewed])}"
                   "; review them again (labelwright explain ID shows the decisions)"
                   + (f" ({redone} other item(s) with reviews set aside so were reviewed "
                      "again on their new text)" if redone else ""))
    out += unchecked_warnings(reviewed.text_unchecked)
    if reviewed.stale:
        out.append(stale_warning(reviewed.stale_labels, reviewed.stale_items, labels,
                                 labels_are))
    out += gap_warnings(reviewed.label_gaps, labels)
    waiting = disagreement_groups(reviewed)[AWAITING]
    if reviewed.adjudicators_split:
        split = set(reviewed.adjudicators_split)
        shown = some_of([repr(i) for i in reviewed.adjudicators_split])
        out.append(f"{len(split)} item(s) have adjudicators who disagree with each other, so "
                   f"they have no reviewed label: {shown}; one of them must change their "
                   "decision (review import "
                   + both_spellings("--relabel", "relabel=True")
                   + "; a run puts them first in its review queue, "
                   "reason `disputed`)")
    if waiting:
        named = ", ".join(reviewed.adjudicators) or "none named yet"
        why = ("their reviewers disagree, and [review] policy = \"adjudicate\""
               if reviewed.policy == "adjudicate" else "their reviewers are split evenly")
        out.append(f"{len(waiting)} item(s) await adjudication ({why}), so they have no "
                   f"reviewed label: {some_of([repr(i) for i in waiting])}"
                   + f"; a decision by one of [review] adjudicators ({named}) settles each "
                   "(a run puts them first in its review queue, reason `disputed`)")
    out += rater_warnings(reviewed.adjudicators, {d.rater for d in reviewed.decisions},
                          unused=reviewed.same_rater_unused, as_read=as_read,
                          split=reviewed.same_rater_split)
    return out + sample_warnings(reviewed.samples)


#: the groups of :func:`disagreement_groups`
ADJUDICATED, AWAITING, SPLIT, MAJORITY = ("settled by an adjudicator", "awaiting an adjudicator",
                                          "adjudicators disagree", "settled by the majority")


def disagreement_groups(reviewed: ReviewedLabels) -> dict[str, list[str]]:
    """The items whose raters disagree (adjudicators aside), by where each stands, every
    group in the ledger's order: settled by an adjudicator; adjudicators who disagree with
    each other; awaiting an adjudicator (under ``"majority"`` a tie, under ``"adjudicate"``
    every other disagreement); settled by the majority of the raters (``"majority"``)."""
    done = set(reviewed.adjudicated) | set(reviewed.adjudicators_split)
    # under "majority" a tie has no label; under "adjudicate" no disagreement has one
    open_ = set(reviewed.disagreements if reviewed.policy == "adjudicate" else reviewed.ties)
    return {
        ADJUDICATED: list(reviewed.adjudicated),
        SPLIT: list(reviewed.adjudicators_split),
        AWAITING: [i for i in reviewed.disagreements if i in open_ and i not in done],
        MAJORITY: [i for i in reviewed.disagreements if i not in open_ and i not in done],
    }


def erased_warning(items: Sequence[str], erased: Mapping[str, str]) -> str:
    """The line on reviewed items gone from the data that ``labelwright erase`` erased
    (``erased``: each item's erasure, said): their decisions cannot be used, erase took
    their notes out of the ledger, and nothing is left to do."""
    by: dict[str, list[str]] = {}
    for item in items:
        by.setdefault(erased[item], []).append(item)
    said = "; ".join(f"{some_of([repr(i) for i in ids])} {when}" for when, ids in by.items())
    return (f"{len(items)} reviewed item(s) were erased (`labelwright erase`, "
            f"runs/ERASURES.jsonl: {said}), so their reviews are not used: erase took their "
            "texts out of the project and the raters' notes on them out of the review "
            "ledger, whose decisions on them stay on record (labels, raters, files: no "
            "text) for the runs that used them; nothing to do (`labelwright review retire "
            "--missing` retires those decisions, and this line stops)")


def unchecked_warnings(unchecked: Mapping[str, tuple[int, str]]) -> list[str]:
    """A warning per run whose decisions could not be checked for a changed text: they
    record no hash of the text decided on (imported before the ledger recorded one) and the
    run cannot be read (``unchecked``: run id -> (decisions, why)). They are used, but an
    item edited since would take a label decided on its old text."""
    return [f"{n} decision(s) exported from run {run_id} cannot be checked for a changed "
            f"text ({why}): they were imported before the review ledger recorded the hash "
            "of the text decided on, so whether their items' texts changed since can no "
            "longer be told, and they are used as they are; restore the run folder to have "
            "them checked, or, if their items were edited, retire them (labelwright review "
            "retire) and review the items again"
            for run_id, (n, why) in sorted(unchecked.items())]


def sample_warnings(samples: Sequence[dict[str, Any]]) -> list[str]:
    """A warning per random sample reviewed with gaps (see
    :func:`~labelwright.review.feedback.sample_reviews.sample_coverage`)."""
    return [f"the random sample of run {s['run_id']} has {s['skipped']} unreviewed item(s) "
            f"before its last reviewed one ({s['reviewed']} of {s['drawn']} reviewed): a "
            f"sample stays random when reviewed in its order; skipping the items that are "
            f"hard to decide biases it (auto checks it, and uses it only if it still looks "
            f"random)" for s in samples if s["skipped"]]
