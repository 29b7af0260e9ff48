"""What a run warns of its LFs from their statistics: an LF that gold labels show right
less often than chance (:func:`below_chance`), one the label model reads far from what
gold shows (:func:`misread`), and LFs that voted on no item (:func:`never_voted`)."""

from __future__ import annotations

import textwrap
from collections.abc import Collection, Mapping

import numpy as np

from labelwright.counts import counted, some_of
from labelwright.lfs.stats import right_wrong
from labelwright.matrix import LabelMatrix

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
        correct, wrong = right_wrong(column, column >= 0, gold)
        n = correct + wrong
        if n < BELOW_CHANCE_VOTES or correct / n >= chance:
            continue
        from labelwright.review.stats.agreement import wilson_interval

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
    from labelwright.review.stats.agreement import exact_interval  # scipy.special: only here

    found: list[tuple[float, str, str]] = []  # (how far, the LF's line, its short form)
    for j, name in enumerate(matrix.lf_names):
        value = learned.get(name)
        if value is None or np.isnan(value):
            continue
        column = matrix.votes[:, j]
        correct, wrong = right_wrong(column, column >= 0, gold)
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
    wrong_votes = any(right_wrong(matrix.votes[:, j], matrix.votes[:, j] >= 0, gold)[1]
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
