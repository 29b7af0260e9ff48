"""LF statistics in the field's vocabulary: polarity, coverage, overlaps, conflicts,
and, where gold labels exist, correct / incorrect / empirical accuracy.

Which labels count: ``correct`` / ``incorrect`` / ``emp_accuracy`` are over labels that
picture an LF's votes, the data's gold column and reviews of a run's random sample; the
review queue's and audit's reviewed labels are items picked *because* LFs conflict, the
model is unsure or (the audit) the label was accepted, so they are counted apart, in
``queue_correct`` / ``queue_incorrect`` / ``queue_accuracy``."""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from labelwright.config import NO_LABEL
from labelwright.counts import counted, some_of
from labelwright.lfs.stats_inputs import checked_matrix, class_indices
from labelwright.matrix import LabelMatrix

if TYPE_CHECKING:  # annotations only: the glossaries import spaCy, and with it torch
    from labelwright.config import ProjectConfig
    from labelwright.data.dataset import Dataset
    from labelwright.glossaries.core import Glossary
    from labelwright.lfs.item import GlossaryMatch
    from labelwright.review.feedback.gold import ReviewedLabels


def vote_counts(votes: np.ndarray, n_labels: int) -> np.ndarray:
    """(n_items, n_labels) count of votes per label per item."""
    counts = np.zeros((votes.shape[0], n_labels), dtype=np.int32)
    for j in range(votes.shape[1]):
        column = votes[:, j]
        voted = column >= 0
        counts[np.flatnonzero(voted), column[voted]] += 1
    return counts


def known_labels(config: ProjectConfig, dataset: Dataset, reviewed: ReviewedLabels
                 ) -> tuple[np.ndarray, list[str]]:
    """The labels the LF table's correct / incorrect / emp_accuracy count, and a warning
    where they clash: labels that picture an LF's votes, the data's gold and reviews of a
    run's random sample (on a gold item a review wins where they disagree: it is the newer
    decision). The review queue's and audit's reviewed labels are :func:`queue_labels`.
    ``run`` and ``analyze`` count the same."""
    sampled = reviewed.sampled if reviewed.sampled is not None \
        else np.zeros(len(reviewed.gold), dtype=bool)
    drawn = (dataset.gold >= 0) | (sampled & (reviewed.gold >= 0))
    known = np.where(drawn, np.where(reviewed.gold >= 0, reviewed.gold, dataset.gold), -1)
    clash = np.flatnonzero((reviewed.gold >= 0) & (dataset.gold >= 0)
                           & (reviewed.gold != dataset.gold))
    if not clash.size:
        return known, []
    shown = ", ".join(repr(dataset.ids[i]) for i in clash[:5])
    return known, [
        f"{clash.size} item(s) have a reviewed label that differs from their gold label "
        f"in {config.data.path} (e.g. {shown}); LF accuracies count the reviewed label, "
        "and the label model's accuracy on gold leaves reviewed items out: check the "
        "gold file or the reviews"]


def queue_labels(reviewed: ReviewedLabels) -> np.ndarray:
    """The reviewed labels of the items reviewed from a run's review queue or audit (every
    review but a random sample's; -1 elsewhere): items picked because LFs conflict, the
    model is unsure or no LF voted (the audit: accepted labels only), so the LF table counts
    them apart from the labels that picture an LF's votes (:func:`known_labels`)."""
    if reviewed.sampled is None:
        return reviewed.gold.copy()
    return np.where(reviewed.sampled, -1, reviewed.gold)


def lf_summary(
    matrix: LabelMatrix,
    *,
    gold: np.ndarray | None = None,
    failures: Mapping[str, int] | None = None,
    kinds: Sequence[str] | None = None,
    queue: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per LF of ``matrix`` (a :class:`LabelMatrix`, e.g. ``applied.matrix``).

    ``gold`` (keyword only) holds one value per item, in ``matrix.item_ids`` order: a class
    index (-1 where there is no gold label, as ``dataset.gold``) or a label name of
    ``matrix.labels`` (``None``, NaN or ``""`` where there is none, as a DataFrame's gold
    column); rows without gold are left out of correct / incorrect / empirical accuracy.
    Give it labels that picture the LF's votes: the data's gold, reviews of a random sample.
    ``queue`` (the same form): the reviewed labels of the review queue and audit, counted
    apart as ``queue_correct`` / ``queue_incorrect`` / ``queue_accuracy`` (the columns are
    there when some item has one). Another matrix, a ``gold`` of another length, an index
    out of range or a name that is no label is an error saying what is expected
    (:mod:`~labelwright.lfs.stats_inputs`).
    """
    matrix = checked_matrix(matrix)
    gold = class_indices(gold, matrix, "gold")
    queue = class_indices(queue, matrix, "queue")
    votes = matrix.votes
    n = max(votes.shape[0], 1)
    counts = vote_counts(votes, len(matrix.labels))
    total = counts.sum(axis=1)
    rows = []
    has_gold = gold is not None and bool((gold >= 0).any())
    has_queue = queue is not None and bool((queue >= 0).any())
    for j, name in enumerate(matrix.lf_names):
        column = votes[:, j].astype(np.int64)
        voted = column >= 0
        own = np.zeros(votes.shape[0], dtype=np.int32)
        own[voted] = counts[np.flatnonzero(voted), column[voted]]
        others = total - voted
        different = total - own
        # in the printed table's order (kind after the name), so the CSV reads as it does
        row = {"lf": name, **({"kind": kinds[j]} if kinds is not None else {}),
               "polarity": ", ".join(matrix.labels[k] for k in np.unique(column[voted])),
               "coverage": voted.sum() / n,
               "overlaps": (voted & (others > 0)).sum() / n,
               "conflicts": (voted & (different > 0)).sum() / n}
        if has_gold:
            assert gold is not None
            correct, incorrect = _right_wrong(column, voted, gold)
            row.update(correct=correct, incorrect=incorrect,
                       emp_accuracy=_share(correct, incorrect))
        if has_queue:
            assert queue is not None
            correct, incorrect = _right_wrong(column, voted, queue)
            row.update(queue_correct=correct, queue_incorrect=incorrect,
                       queue_accuracy=_share(correct, incorrect))
        if failures is not None:
            row["failures"] = int(failures.get(name, 0))
        rows.append(row)
    return pd.DataFrame(rows)


def _right_wrong(column: np.ndarray, voted: np.ndarray, known: np.ndarray) -> tuple[int, int]:
    """(right, wrong) votes of an LF's ``column`` on the items with a ``known`` label."""
    judged = voted & (known >= 0)
    right = int((column[judged] == known[judged]).sum())
    return right, int(judged.sum()) - right


def _share(right: int, wrong: int) -> float:
    return right / (right + wrong) if right + wrong else np.nan


#: gold votes an LF needs before a run calls it worse than chance
BELOW_CHANCE_VOTES = 5


def below_chance(matrix: LabelMatrix, gold: np.ndarray,
                 assumed: Mapping[str, float] | None = None, *,
                 learned: Mapping[str, float] | None = None,
                 fit_on: np.ndarray | None = None,
                 predicted: np.ndarray | None = None) -> list[str]:
    """Warnings for the LFs that ``gold`` shows right less often than chance, one in the
    number of labels (``gold``: labels that picture the LF's votes, as the LF table's
    ``emp_accuracy`` counts them: the data's gold column and reviews of a random sample, not
    the review queue's, the items the LFs get wrong most): the upper end of a one-sided
    95% Wilson interval of their accuracy on >= :data:`BELOW_CHANCE_VOTES` gold votes is
    below it. Such an LF votes for the wrong label more often than not: a reversed rule, or
    one returning label indices after the labels changed order. ``assumed``: LF -> the
    accuracy the label model reads its votes at instead of the one it learned (a model
    that never reads a vote against its class without reviewed labels showing it, such as
    ``dawid_skene``'s ``monotone``), said too, as it is why those votes still label items,
    with what is true of the run (:func:`_prior_reading`): ``learned``, the LF table's
    learned accuracy (LF -> the share of its votes the model takes to be right);
    ``fit_on``, the reviewed labels the model was fit on (-1 elsewhere); ``predicted``, the
    label model's label per item (-1: none)."""
    n_labels = len(matrix.labels)
    chance = 1.0 / n_labels
    out = []
    for j, name in enumerate(matrix.lf_names):
        column = matrix.votes[:, j]
        correct, wrong = _right_wrong(column, column >= 0, gold)
        n = correct + wrong
        if n < BELOW_CHANCE_VOTES or correct / n >= chance:
            continue
        from labelwright.review.stats.agreement import wilson_interval  # statsmodels: only here

        if wilson_interval(correct, n, alpha=0.10)[1] >= chance:
            continue
        message = (f"LF {name!r} is right on {correct} of the {n} gold items it voted on "
                   f"({correct / n:.0%}), below chance ({chance:.0%} with {n_labels} labels): "
                   "check the rule, and whether it returns label indices (a change of "
                   "[project] labels' order changes what an index votes for)")
        if assumed and name in assumed:
            message += _prior_reading(matrix.votes, j, assumed[name],
                                      (learned or {}).get(name), fit_on, predicted)
        out.append(message)
    return out


def _prior_reading(votes: np.ndarray, j: int, prior: float, learned: float | None,
                   fit_on: np.ndarray | None, predicted: np.ndarray | None) -> str:
    """What :func:`below_chance` adds of an LF (column ``j``) some of whose votes the label
    model weighs at its prior accuracy ``prior``: why (no reviewed labels of its votes, or
    reviewed labels that do not show them to be evidence against their label), how much of
    its votes it then takes to be right (said as "reads its votes as right 70%" only where
    ``learned``, the LF table's learned accuracy, is that: the prior sets the weight of a
    vote, the class balance and the other LFs' votes set the rest), and how many of the
    items it alone votes on get its label."""
    from labelwright.models.base import MIN_GOLD_VOTES  # the models package: only here

    column = votes[:, j]
    voted = column >= 0
    reviewed = int((voted & (fit_on >= 0)).sum()) if fit_on is not None else 0
    if not reviewed:
        why = "; without reviewed labels showing it, the label model"
    else:
        why = (f"; its {counted(reviewed, 'reviewed label')} "
               f"{'does' if reviewed == 1 else 'do'} not show its votes to be "
               "evidence against their label (the label model's `monotone` rule needs a "
               "vote to fall on a clearly larger share of another label's reviewed items than of "
               f"its own label's, on {MIN_GOLD_VOTES} or more of them), so the model")
    if learned is None or np.isnan(learned) or round(learned, 2) == round(prior, 2):
        reading = f" reads its votes as right {prior:.0%} of the time"
    else:
        reading = (f" weighs its votes as those of an LF right {prior:.0%} of the time and "
                   f"takes {learned:.0%} of them to be right (learned acc.)")
    if predicted is None:
        return why + reading
    alone = voted & ((votes >= 0).sum(axis=1) == 1)
    if not alone.any():
        return why + reading + "; no item has its vote alone"
    given = int((predicted[alone] == column[alone]).sum())
    return (why + reading + f"; it gives its label to {given} of the "
            f"{counted(int(alone.sum()), 'item')} it alone votes on")


#: how far (a share) the label model's reading of an LF must be from its accuracy on
#: held-out gold, besides lying outside that accuracy's exact 95% interval: with thousands
#: of gold votes the interval is a point and a model reading an LF at 99.5% where gold shows
#: 98.5% fell outside it (5 of 8 LFs on the SMS collection, half the eligible LFs of every
#: project measured); 10 points leaves the misreads that move labels. No count of gold votes
#: is needed besides: on a few the interval is wide (3 of 3 right: 29%-100%), so only a
#: reading far from it warns (19 of 19 right: 82%-100%, a reading of 48% does)
MISREAD_GAP = 0.10


#: LFs the misread warning names one per line; past them it names the farthest misread
#: on one line and counts the rest (a 12-label run named 11 of its 18 LFs, 13 lines
#: that pushed the LFs worth fixing off the screen)
MISREAD_SHOWN = 4
#: the width the condensed misread line wraps at, as the advice's lines
MISREAD_WIDTH = 100


def misread(matrix: LabelMatrix, gold: np.ndarray, learned: Mapping[str, float],
            assumed: Mapping[str, float] | None = None, *, sampled: int = 0,
            can_sample: bool = True, random_sample: int | None = None,
            reused: str | None = None) -> list[str]:
    """A warning naming the LFs the label model misreads: their ``learned`` accuracy (the
    share of their votes the model takes to be right) lies outside the exact 95% interval
    (:func:`~labelwright.review.stats.agreement.exact_interval`) of their accuracy on the items of
    held-out ``gold`` (gold the model was not fit on) they voted on, and
    :data:`MISREAD_GAP` or more from that accuracy. The interval is what keeps noise out:
    an LF with few gold votes is named only when its reading is far from anything they
    allow (a fixed count of 20 votes left every LF of a rare label unchecked). The items
    they vote on then get labels on a wrong reading of them. ``assumed``: as for
    :func:`below_chance` (LFs with votes the model reads at its prior accuracy instead of
    what it learned, as its fit takes them for evidence against their label). ``sampled``:
    the reviewed items from a random sample the model fit on (the advice is then not to
    start reviewing one). ``can_sample``: are there items a random sample can be drawn from
    (neither reviewed nor with gold)? If not, the advice is not to review one, which the
    run cannot draw. ``random_sample``: the project's ``[triage] random_sample``; at 0 the
    run draws no sample and ``review export --sample`` fails, so the advice is to set it
    first (None: not known, the advice names the export alone). ``reused``: ``"reused
    from run X (fit by run Y)"`` when the run reused another run's model (``run
    --label-model-from``): no review of this run moves its reading, so the advice is to
    fit one.

    The warning is one string of short lines: a heading, one line per LF (``'name' 100%
    learned, 72% on gold (18/25, 95% interval 51%-88%)``), and the advice; with more than
    :data:`MISREAD_SHOWN` LFs, one line names the farthest misread and counts the rest."""
    from labelwright.review.stats.agreement import exact_interval  # statsmodels: only here

    found: list[tuple[float, str, str]] = []  # (how far, the LF's line, its short form)
    for j, name in enumerate(matrix.lf_names):
        value = learned.get(name)
        if value is None or np.isnan(value):
            continue
        column = matrix.votes[:, j]
        correct, wrong = _right_wrong(column, column >= 0, gold)
        n = correct + wrong
        if n == 0:
            continue
        low, high = exact_interval(correct, n)
        if low <= value <= high or abs(value - correct / n) < MISREAD_GAP:
            continue
        prior = (f"; it reads some of its votes at its prior, {assumed[name]:.0%}"
                 if assumed and name in assumed else "")
        reading = f"{name!r} {value:.0%} learned, {correct / n:.0%} on gold ({correct}/{n}"
        # how far outside what its gold votes allow: 0 of 2 right read at 100% is less
        # sure a misread (0%-84%) than 23 of 25 read at 30% (74%-99%)
        found.append((max(low - value, value - high),
                      f"  {reading}, 95% interval {low:.0%}\u2013{high:.0%}){prior}",
                      f"{reading})"))
    if not found:
        return []
    # the LF table's list of LFs wrong most often is there only when one has wrong votes
    wrong_votes = any(_right_wrong(matrix.votes[:, j], matrix.votes[:, j] >= 0, gold)[1]
                      for j in range(len(matrix.lf_names)))
    return [_misread_text(found, _misread_advice(sampled, can_sample, random_sample, reused),
                          wrong_votes)]


def _misread_text(found: list[tuple[float, str, str]], advice: str,
                  wrong_votes: bool) -> str:
    """:func:`misread`'s warning: one line per LF, or past :data:`MISREAD_SHOWN` one line
    of those read farthest outside the interval of their gold accuracy and a count, as a
    long list read as LFs to fix: it is the model's weights for them that are off, not
    their rules (their emp. acc. says that). ``wrong_votes``: has an LF a wrong vote on
    gold (then the LFs wrong most often are named under the LF table, and the advice says
    so)."""
    # short lines: a run re-run many times a day printed 700 characters in one line; the
    # criteria and what the model does with the reading are in the README
    head = (f"the label model misreads {counted(len(found), 'LF')} (learned acc. far from the "
            "accuracy on held-out gold):")
    named = (" (the LFs wrong most often\n  on gold are named under the LF table)"
             if wrong_votes else "")
    advice = f"  this is the model's weight for their votes, not their rules{named}\n" + advice
    if len(found) <= MISREAD_SHOWN:
        return "\n".join([head, *(line for _, line, _ in found), advice])
    farthest = sorted(found, key=lambda f: -f[0])[:MISREAD_SHOWN - 1]
    said = (f"farthest: {'; '.join(short for _, _, short in farthest)}; and "
            f"{len(found) - len(farthest)} more (the LF table's learned acc. beside emp. acc.)")
    return "\n".join([head, *textwrap.wrap(said, MISREAD_WIDTH, initial_indent="  ",
                                            subsequent_indent="  "), advice])


def _misread_advice(sampled: int, can_sample: bool, random_sample: int | None,
                    reused: str | None) -> str:
    """The misread warning's last lines: what gives the label model labels to fit on, in
    steps the project's config allows (a project drawing no sample is told to set one)."""
    if reused:  # not fit here: this run's reviews do not move its reading
        advice = (f"  labels where they vote may be off; the label model was {reused},\n"
                  "  not fit on this run's reviews: run without --label-model-from to fit one "
                  "on them")
    elif sampled:  # the advice below is followed already
        advice = (f"  labels where they vote may be off; the model already fits on "
                  f"{counted(sampled, 'reviewed random-sample item')}: more of them, or an LF\n"
                  "  that votes less where it is wrong, moves its reading")
    elif not can_sample:  # every item has gold or a review: there is no sample to draw
        advice = ("  labels where they vote may be off; every item has a review or held-out "
                  "gold, so no random\n  sample can be drawn: gold the model should fit on "
                  "can be imported as reviews\n  (`labelwright review import`), which then "
                  "no longer measure the run")
    elif random_sample == 0:  # the export of a sample fails until the config asks for one
        advice = ("  labels where they vote may be off; reviewing a random sample gives the "
                  "model labels to fit on:\n  set [triage] random_sample = N (e.g. 100) in "
                  "labelwright.toml, then `labelwright run`,\n  then `labelwright review "
                  "export --sample`")
    else:
        advice = ("  labels where they vote may be off; reviewing a random sample gives the "
                  "model labels to fit on\n  (`labelwright review export --sample`)")
    return advice


#: LFs a warning of LFs that never voted names; the others are counted
SILENT_SHOWN = 10


def never_voted(matrix: LabelMatrix, silent: Collection[str], failed: Mapping[str, int],
                locations: Mapping[str, str]) -> str | None:
    """A warning naming the LFs of ``silent`` (LFs that voted on none of the matrix's items
    and that no other warning explains), or None: a run showed such an LF at 0.0% coverage
    and said nothing, while a label no LF votes for is warned of. An LF that raised on every
    item is left to its failures' warning (``failed``: how many items each LF raised on);
    one that raised on some says how many."""
    n = len(matrix.votes)
    named = [f"{name} ({locations.get(name, '?')}"
             + (f"; raised on {counted(failed[name], 'item')}" if failed.get(name) else "")
             + ")"
             for name in matrix.lf_names if name in silent and failed.get(name, 0) < n]
    if not named:
        return None
    return (f"{counted(len(named), 'LF')} voted on none of the {n:,} items they were applied "
            f"to (0% coverage, abstaining on every one): "
            f"{some_of(named, SILENT_SHOWN, clauses=True)}; an LF that never votes adds "
            "nothing to the labels: check the condition it votes on against items it should "
            "vote on, or drop it")


def coverage(matrix: LabelMatrix) -> float:
    """Share of items with at least one vote."""
    return vote_coverage(matrix.votes)


def vote_coverage(votes: np.ndarray) -> float:
    """:func:`coverage` of a label matrix's votes (items by LFs, -1 abstain): what a run
    records as its ``coverage``, and what ``runs verify`` derives again from its files."""
    if votes.shape[0] == 0:
        return 0.0
    return float((votes >= 0).any(axis=1).mean())


def label_distribution(labels: Sequence[str], predicted: Sequence[str | None]) -> pd.Series:
    series = pd.Series([p if p else NO_LABEL for p in predicted], dtype=object)
    counts = series.value_counts()
    order = [label for label in labels if label in counts.index]
    if NO_LABEL in counts.index:
        order.append(NO_LABEL)
    return counts.reindex(order)


def glossary_hits(glossaries: Sequence[Glossary], matches: Sequence[Sequence[GlossaryMatch]]
                  ) -> pd.DataFrame:
    """Hits per glossary term, including terms that never matched.

    ``hits`` counts items where the term matched and no exclusion cancelled it;
    ``cancelled`` counts items where every match of the term was cancelled.
    """
    hits: dict[tuple[str, str], int] = {}
    cancelled: dict[tuple[str, str], int] = {}
    for found in matches:
        active = {(m.glossary, m.term) for m in found if m.excluded_by is None}
        for key in active:
            hits[key] = hits.get(key, 0) + 1
        for key in {(m.glossary, m.term) for m in found} - active:
            cancelled[key] = cancelled.get(key, 0) + 1
    rows = [
        {"glossary": g.name, "term": t.term, "label": g.label,
         "hits": hits.get((g.name, t.term), 0), "cancelled": cancelled.get((g.name, t.term), 0)}
        for g in glossaries for t in g.terms
    ]
    return pd.DataFrame(rows, columns=["glossary", "term", "label", "hits", "cancelled"])
