"""Class priors: from reviewed labels where there are enough, else from the votes.

With at least :data:`MIN_GOLD_FOR_BALANCE` reviewed labels (gold) a model takes the class
balance from them (:func:`gold_class_balance`); every model and the report ask this one
rule. That is their raw mix, right for gold drawn at random; a project's run first asks
:func:`~labelwright.models.gold_use.reviewed_class_balance`, which post-stratifies reviews
of the queue's head, and passes its answer to every model as ``class_balance``.

Without gold, the default model assumes equal classes (as Snorkel's LabelModel does): on
the two data sets with our own LFs and the WRENCH ones that is as good as any estimate on
the items a run labels. On strongly imbalanced data it is not: with 90% of one class and
LFs that vote both ways, the default model invents a large minority class
(``benchmarks/class_prior.py``). A project can then give its class balance, or ask for
one estimated from the votes:

* :func:`vote_share` — each class's share of the majority vote over the items some LF
  voted on, ties split evenly (plus one pseudo-item per class), a group of exact-copy LFs
  voting once;
* :func:`votes_prior` — halfway between equal classes and that share, geometrically
  (the square root of the share, renormalised). The full share recovers imbalanced
  synthetic data best, but where one class has few, precise LFs it costs the rare class.
  So does the square root, less: on WRENCH sms's train split (its rules' own votes) 96.0%
  of the covered items right against equal classes' 97.0% (94.3% before a given balance
  spread the default model's prior over the classes) -- a single vote of a rarely firing
  spam rule no longer outweighs the prior. Hence opt-in for two classes.

With three classes or more the default model takes :func:`votes_prior` itself when the
majority vote's shares are :data:`IMBALANCE_RATIO` or more apart
(:func:`uneven_votes_prior`): there, equal classes give a label of 1% the prior of one of
30%, and EM fills it with the common label's items whose votes conflict (a user's 14
contract clause labels: audit_rights, 6 items, took 78 confidentiality items' mass and
labelled 23 of them; see benchmarks/RESULTS.md, "Rare labels absorbing a common one").
"""

from __future__ import annotations

import textwrap

import numpy as np

from labelwright.models import duplicate_lfs
from labelwright.models.one_sided import several_sided
from labelwright.models.patterns import blocks, class_vote_counts

IMBALANCE_RATIO = 3.0  # largest / smallest vote share at which a run warns
#: gold rows needed before the class balance is taken from gold instead of assumed (equal
#: classes, or the prior a project gives)
MIN_GOLD_FOR_BALANCE = 20
#: LFs voting two classes or more needed before the default model learns the class
#: balance by EM (:func:`identifying_lfs`)
MIN_IDENTIFYING_LFS = 3
#: where a class balance :func:`uneven_votes_prior` gave came from, in words (the run's
#: model table and the report say it)
VOTES_BALANCE_NOTE = ("estimated from the votes: 3 or more labels whose majority-vote shares "
                      "are 3:1 or more apart (equal classes let a rare label take a common "
                      "one's items); [label_model] class_balance overrides it")
#: where a class balance the default model's EM learned came from, in words (see
#: ``DawidSkene(learn_class_balance="auto")``)
LEARNED_BALANCE_NOTE = ("learned by the label model's fit: 3 or more LFs vote several labels, "
                        "and their votes show it; [label_model] class_balance overrides it")
#: the width the imbalance warning's lines are wrapped to: indented by two, they fit an
#: 80-column terminal, whose own wrap (cli.output.tagged) then leaves them as they are
LINE = 76


def gold_class_balance(y_dev: np.ndarray | None, cardinality: int,
                       min_gold: int) -> np.ndarray | None:
    """Class balance from gold rows (add-one smoothed), or None with fewer than ``min_gold``."""
    if y_dev is None:
        return None
    gold = y_dev[y_dev >= 0]
    if len(gold) < min_gold:
        return None
    counts = np.bincount(gold, minlength=cardinality).astype(np.float64) + 1.0
    return counts / counts.sum()


def vote_share(L: np.ndarray, cardinality: int) -> np.ndarray:
    """Each class's share of the soft majority vote over covered items (sums to 1)."""
    won, _ = _tallies(L, cardinality)
    return _share(won)


def _tallies(L: np.ndarray, k: int,
             copy_of: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(k,) each: the covered items' majority vote per class (a tie split evenly), and the
    votes per class. Counted per vote pattern (:func:`~labelwright.models.patterns.blocks`),
    so a 10M-row matrix costs no per-row arrays.

    Each group of exact copies votes once (``copy_of``: its
    :func:`~labelwright.models.duplicate_lfs.copy_of`, found here when None), as the default
    model counts it: a regex pasted four times would win every item it shares with
    another LF, and the run's warning and ``class_balance = "votes"`` would read a
    balance the model's own estimate from the votes does not."""
    L = np.asarray(L)
    L = duplicate_lfs.one_per_group(L, duplicate_lfs.copy_of(L) if copy_of is None
                                    else copy_of)
    won, votes = np.zeros(k), np.zeros(k)
    for b in blocks(L):
        counts = class_vote_counts(b.votes, k)
        best = counts.max(axis=1, keepdims=True)
        winners = (counts == best) & (best > 0)
        soft = winners / np.maximum(winners.sum(axis=1, keepdims=True), 1)
        won += b.weights @ soft
        votes += b.weights @ counts
    return won, votes


def _share(won: np.ndarray) -> np.ndarray:
    """Shares from :func:`_tallies`'s majority-vote counts, plus one pseudo-item per class."""
    share = won + 1.0
    return share / share.sum()


def uneven_votes_prior(L: np.ndarray, cardinality: int, *,
                       copy_of: np.ndarray | None = None) -> np.ndarray | None:
    """:func:`votes_prior` where the default model takes it without being asked: three
    classes or more, and the majority vote's shares of the classes some LF votes for
    :data:`IMBALANCE_RATIO` or more apart (where a run would warn of equal classes); else
    None (equal classes). ``copy_of``: ``L``'s groups of exact copies, if a fit has found
    them already (see :func:`_tallies`)."""
    if cardinality < 3:
        return None
    won, votes = _tallies(L, cardinality, copy_of)
    if _uneven(won, votes) is None:
        return None
    return _root_prior(won)  # the tallies counted once (they are half of a fit's time)


def _uneven(won: np.ndarray, votes: np.ndarray) -> np.ndarray | None:
    """The majority vote's shares (:func:`_share` of ``won``) of the classes some LF votes
    for, renormalised, when they are :data:`IMBALANCE_RATIO` or more apart; else None."""
    voted = votes > 0
    if voted.sum() < 2:
        return None
    share = _share(won)[voted]
    if share.max() / share.min() < IMBALANCE_RATIO:
        return None
    return share / share.sum()


def identifying_lfs(L: np.ndarray, copy_of: np.ndarray | None = None) -> np.ndarray | None:
    """The LFs whose votes let Dawid-Skene learn the class balance without gold (see
    ``DawidSkene(learn_class_balance="auto")``): those voting two classes or more
    (:func:`~labelwright.models.one_sided.several_sided`), when there are at least
    :data:`MIN_IDENTIFYING_LFS` of them; else None. ``copy_of`` (the first LF of each LF's
    group of exact copies, :func:`~labelwright.models.duplicate_lfs.copy_of`): a group
    counts as one LF, as the fit counts it.

    An LF that votes one class (a keyword rule) tells the classes apart only by where it
    abstains, and abstains follow coverage as much as classes: learned from such LFs, the
    balance went far wrong on real data (WRENCH sms: 70% spam learned, ~13% true). LFs
    that vote several classes show it in their votes; three conditionally independent
    ones are the least Dawid-Skene's model is identified from."""
    lfs = several_sided(L)
    if copy_of is not None:
        lfs = lfs[np.asarray(copy_of)[lfs] == lfs]
    return lfs if len(lfs) >= MIN_IDENTIFYING_LFS else None


def balance_agrees(votes: np.ndarray, lfs: np.ndarray, balance: np.ndarray) -> bool:
    """Whether ``balance`` (a learned class balance) has as its largest class the one the
    LFs ``lfs`` (:func:`identifying_lfs`) vote most often; ``votes`` (m, k) counts each
    LF's votes per class (a fit counts them on its first round).

    With errors spread over the other classes, an LF right more often than chance votes a
    class more often the more items it has, so its vote counts keep the classes' order.
    The check catches a balance the one-sided LFs beside them pulled away: WRENCH sms's 62
    keyword LFs with three generated LFs that vote both classes learned 70% spam; those
    three vote ham most."""
    return int(np.argmax(votes[lfs].sum(axis=0))) == int(np.argmax(balance))


def majority_vote_items(L: np.ndarray, cardinality: int) -> np.ndarray:
    """(k,) how many covered items each class wins by majority vote (a tie split evenly,
    a group of exact-copy LFs voting once): the items the votes give each class."""
    return _tallies(L, cardinality)[0]


def votes_prior(L: np.ndarray, cardinality: int) -> np.ndarray:
    """The class balance ``class_balance = "votes"`` gives: the square root of
    :func:`vote_share`, renormalised."""
    return _root_prior(_tallies(L, cardinality)[0])


def _root_prior(won: np.ndarray) -> np.ndarray:
    """:func:`votes_prior` from :func:`_tallies`'s majority-vote counts."""
    root = np.sqrt(_share(won))
    return root / root.sum()


def _review_advice(can_sample: bool, random_sample: int | None = None) -> str:
    """The warning's advice to review, when no item has a reviewed label yet; a project
    whose ``[triage] random_sample`` is 0 draws no sample to review, so it is told to set
    one first (the advice pointed to a sample that was not there)."""
    if can_sample and random_sample == 0:
        return (", or set [triage] random_sample = N (e.g. 100) in labelwright.toml, run "
                f"again and review that random sample (>= {MIN_GOLD_FOR_BALANCE} reviewed "
                "labels set the balance)")
    if can_sample:
        return (f", or review a random sample (>= {MIN_GOLD_FOR_BALANCE} reviewed labels set "
                "the balance)")
    # every item has held-out gold (or a review): no sample can be drawn to review
    return (f", or import >= {MIN_GOLD_FOR_BALANCE} gold labels as reviews (`labelwright "
            "review import`; every item has held-out gold, so no random sample can be "
            "drawn; imported gold no longer measures the run)")


def imbalance_warning(L: np.ndarray, labels: tuple[str, ...], class_balance: np.ndarray,
                      *, reviewed: int = 0, can_sample: bool = True,
                      copy_of: np.ndarray | None = None,
                      random_sample: int | None = None) -> str | None:
    """A warning when a model assumed equal classes but the votes say they are far from it.

    Labels no LF votes for are left out of the comparison (the votes say nothing about
    them) and named apart; ``reviewed`` (reviewed items) drops the advice to review.
    ``can_sample``: are there items a random sample can be drawn from (with neither gold
    nor a review)? When there are none, the advice is to import gold as reviews instead.
    ``copy_of``: the LFs' groups of exact copies, when already found (:func:`_tallies`).
    ``random_sample``: the config's ``[triage] random_sample`` (None: not known); at 0 the
    advice is to set it first.
    """
    k = len(labels)
    if not np.allclose(class_balance, 1.0 / k, atol=1e-9):
        return None
    won, votes = _tallies(L, k, copy_of)
    share = _uneven(won, votes)
    if share is None:
        return None
    voted = votes > 0
    shown = ", ".join(f"{label} {100 * p:.0f}%"
                      for label, p in zip(np.asarray(labels)[voted], share))
    silent = [label for label, v in zip(labels, voted) if not v]
    advice = ("if the classes really are this imbalanced, equal classes can cost accuracy: "
              'set [label_model] class_balance (the shares you know, or "votes" to estimate '
              "them from the votes)"
              + ("" if reviewed else _review_advice(can_sample, random_sample))
              + ". Shares from the votes follow the LFs' coverage, not only the classes")
    # short lines: with 16 labels the shares and the advice made one line of 700 characters
    return "\n".join([
        "the label model assumed equal classes, but the majority vote splits the covered "
        "items:",
        *textwrap.wrap(shown + (f" ({', '.join(silent)}: no LF votes for it)" if silent
                                else ""), LINE, initial_indent="  ", subsequent_indent="  "),
        *textwrap.wrap(advice, LINE, initial_indent="  ", subsequent_indent="  ")])
