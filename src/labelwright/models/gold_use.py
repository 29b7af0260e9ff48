"""What ``auto``'s gold (reviewed) rows may do: choose, calibrate and tune, or only be known
labels -- and the class balance that goes with each case.

* Gold rows that pass for a random sample of the items (:mod:`~labelwright.models.gold_sample`)
  do everything.
* Gold rows that do not (the head of a review queue) are known labels inside the default
  model's fit and nothing more, with a class balance post-stratified to all items by the
  votes' count, agreement and class.
* Gold rows whose votes name classes unlike all items' (picked by label) are known labels
  too, with equal classes (or the balance given): their mix says nothing of all items'.
* Beside those, gold rows known to be drawn at random (reviews of a run's random sample)
  choose, calibrate and tune on their own, checked against the items they stand for by the
  p-value alone; the class balance counts the other gold rows as themselves and
  post-stratifies the sample's mix over the rest. Once the ledger marks a sample, the other
  gold rows are known to be the queue's and never pass for random: a sample too short of a
  class to choose leaves every gold row a known label, with the votes' balance except
  where the sample shows it wrong (:func:`~labelwright.models.short_sample.
  sample_against_votes`), which nothing else can check.

The class balance part is not ``auto``'s alone: :func:`reviewed_class_balance` gives it to
any model (a project's ``[label_model] name = "snorkel"`` fits with it), and
:func:`~labelwright.models.balance_notes.balance_note` says in words where it came from.
The balance is estimated with the default model fit without gold
(:mod:`~labelwright.models.default_fit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# what a check's record says in words, the default model's estimating fits and the rows'
# names were defined here: they import from here too
from labelwright.models.balance_notes import balance_from_sample as balance_from_sample
from labelwright.models.balance_notes import balance_note as balance_note
from labelwright.models.balance_notes import missing_labels_warning as missing_labels_warning
from labelwright.models.class_prior import MIN_GOLD_FOR_BALANCE, votes_prior
from labelwright.models.default_fit import FitProba, default_fit_proba
from labelwright.models.default_fit import fitted_default_model as fitted_default_model
from labelwright.models.gold_sample import (
    check_gold_classes,
    check_gold_sample,
    class_strata,
    post_stratified_balance,
    vote_strata,
)
from labelwright.models.row_names import BENCH_GOLD_ROWS as BENCH_GOLD_ROWS
from labelwright.models.row_names import GOLD_ROWS, REVIEWED_LABELS, RowNames
from labelwright.models.short_sample import SHORT_SAMPLE_VOTE_ROWS as SHORT_SAMPLE_VOTE_ROWS
from labelwright.models.short_sample import missing_labels, sample_against_votes

#: rounds of the class balance estimate from gold rows that are not a random sample
BALANCE_ROUNDS = 50

#: ``auto``'s defaults for what counts as enough gold rows to choose with
MIN_GOLD, N_SPLITS = 20, 5
#: the rows the default model's balance estimate is fit on at most (``auto``'s ``CV_ROWS``)
MAX_ROWS = 200_000
#: the next step for a project whose reviewed labels are no random sample: what draws one
#: and exports it, so that its reviews choose, calibrate and measure
SAMPLE_STEP = ("reviews of a random sample would: [triage] random_sample = N, e.g. 100, "
               "draws one each run, `labelwright review export --sample` exports it")


@dataclass(frozen=True)
class GoldUse:
    """The decision: ``scored`` gold rows choose, calibrate and tune; a ``reason`` means
    none of that happens (the default model is fit with the gold rows as known labels),
    and says why. ``record`` is ``auto``'s ``gold_sample_``."""

    scored: np.ndarray
    class_balance: np.ndarray | None
    reason: str | None
    record: dict[str, Any] | None


@dataclass(frozen=True)
class GoldPolicy:
    cardinality: int
    min_gold: int
    n_splits: int
    seed: int
    fit_proba: FitProba
    max_rows: int  # the balance's label model is fit on at most this many rows
    names: RowNames = GOLD_ROWS  # what the reasons call the gold rows
    labels: Sequence[str] | None = None  # the classes' names in the reasons (else "class c")

    def enough(self, y: np.ndarray) -> bool:
        """Whether gold labels ``y`` are enough to choose by ``n_splits``-fold CV."""
        return len(y) >= self.min_gold and int(
            np.bincount(y, minlength=self.cardinality).min()) >= self.n_splits

    def short(self, y: np.ndarray, shown: int = 6) -> str:
        """``"; short: <label> <count>, ..."``: the classes with fewer than ``n_splits`` of
        the gold labels ``y``, fewest first (``shown`` of them, then how many more); "" when
        there are no gold labels, or none is short. When only the short classes hold the
        choice back (enough rows in all, and at least 2 of each class), it names the
        ``n_splits`` that would choose, as the reader sets it (``names``; not where it cannot
        be set): a label of a few items in a hundred rarely reaches 5 in a random sample of
        reviews."""
        counts = np.bincount(y, minlength=self.cardinality)
        short = sorted(map(int, np.flatnonzero(counts < self.n_splits)),
                       key=lambda c: (counts[c], c))
        if not len(y) or not short:
            return ""
        names = self.labels or [f"class {c}" for c in range(self.cardinality)]
        listed = ", ".join(f"{names[c]} {counts[c]}" for c in short[:shown])
        more = f" and {len(short) - shown} more below {self.n_splits}" \
            if len(short) > shown else ""
        fewest = int(counts[short[0]])
        # each of the n_splits folds needs some of every label; a rare label holds it back
        setting = self.names.n_splits_setting
        advice = (f"; {setting.format(n=fewest)} chooses with {fewest} of each"
                  if setting and len(y) >= self.min_gold and fewest >= 2 else "")
        return f"; short: {listed}{more}{advice}"

    def settled_balance(self, L: np.ndarray, gold_rows: np.ndarray, y_gold: np.ndarray, *,
                        by_class: bool = False) -> np.ndarray:
        """:func:`~labelwright.models.gold_sample.post_stratified_balance`, with the label
        model (fit on at most ``max_rows`` rows) refit at the balance found so far until it
        settles (at most :data:`BALANCE_ROUNDS` rounds).

        The strata are vote counts and agreement for gold rows drawn at random (strata only
        make the estimate steadier); ``by_class`` splits them by the class the votes name,
        for gold rows the queue picked (:func:`~labelwright.models.gold_sample.class_strata`:
        on UCI YouTube, 152 queue items set the balance to 87% spam, not 51%, and accuracy
        on held-out gold fell from 82% to 51%; split by class, 62% spam and 84%).

        The refits correct the first round's pull toward equal classes (the label model's
        mean in strata without gold, fit at equal classes) where the label model reads its
        LFs the same at any prior. Where it does not, the loop feeds on itself: fit at a
        smaller share of a class, the model reads that class's LFs as less accurate, its
        mean gives the class less still (UCI YouTube in 3 classes, 40 queue reviews:
        spamlink 13.8% in the first round, 0.7% after 50, against 13.2% true, and no
        spamlink label left). So each round's balance is judged by the gold rows' own
        labels: the mean log-probability the model fit at it gives them. The queue picks
        items by their votes, so its reviews are no fair sample of the classes but a fair
        one of the label given the votes, which is what the model's probabilities say. The
        balance kept is the one whose model gives them the most; on data the label model
        fits (conditionally independent LFs) that is the settled one."""
        k = self.cardinality
        population, sampled = L, len(L) > self.max_rows
        if sampled:  # the strata's means need no more rows than this
            population = L[np.random.default_rng(self.seed).choice(len(L), self.max_rows,
                                                                   replace=False)]
        strata_of = class_strata if by_class else vote_strata
        gold_L = L[gold_rows]
        strata, gold_strata = strata_of(population, k), strata_of(gold_L, k)
        balance = np.full(k, 1.0 / k)
        best, best_score = None, -np.inf
        for round_ in range(BALANCE_ROUNDS):
            probs = (self.fit_proba(population, balance, gold_L) if sampled
                     else self.fit_proba(population, balance))
            of_gold = probs[len(population):] if sampled else probs[gold_rows]
            if round_:  # the balance found so far, judged by the gold rows' labels
                score = float(np.log(np.maximum(
                    of_gold[np.arange(len(y_gold)), y_gold], 1e-12)).mean())
                if score > best_score:
                    best, best_score = balance, score
            new = post_stratified_balance(strata, probs[:len(population)], gold_strata,
                                          y_gold, k)
            settled = np.abs(new - balance).max() < 1e-4
            balance = new
            if settled:
                break
        return balance if best is None else best

    def balance_with_sample(self, L: np.ndarray, y_dev: np.ndarray, drawn: np.ndarray,
                            known: np.ndarray, rest: np.ndarray, *,
                            against_votes: bool = False) -> np.ndarray:
        """All items' class balance from two kinds of gold rows: the ``drawn`` ones, a random
        sample of the ``rest`` (every row but the ``known`` ones), and the ``known`` ones
        (the queue's), which count as themselves. The drawn rows' mix is post-stratified to
        the rest (:meth:`settled_balance`): random within each vote stratum, and the strata
        weighed by their shares of the rest. ``against_votes`` (a sample too short of a
        class for CV to check its mix): the rest's votes' balance
        (:func:`~labelwright.models.class_prior.votes_prior`) stands for each class the
        sample does not show it wrong for
        (:func:`~labelwright.models.short_sample.sample_against_votes`)."""
        share = self.settled_balance(L[rest], np.searchsorted(rest, drawn), y_dev[drawn])
        if against_votes:
            share = sample_against_votes(
                share, votes_prior(L[rest], self.cardinality),
                np.bincount(y_dev[drawn], minlength=self.cardinality))
        counts = np.bincount(y_dev[known], minlength=self.cardinality) + len(rest) * share
        return counts / counts.sum()

    def known_labels_only(self, L: np.ndarray, y_dev: np.ndarray, gold_rows: np.ndarray,
                          class_balance: np.ndarray | None, why: str
                          ) -> tuple[str, np.ndarray | None]:
        """The reason and class balance for gold rows that are not a random sample: they
        tell about themselves, not about all items, so they are known labels inside the
        fit, and choose, balance and calibrate nothing (a class balance given is kept; else
        it is post-stratified to all items)."""
        reason = why + ": using the default model with them as known labels"
        if class_balance is None:
            class_balance = self.settled_balance(L, gold_rows, y_dev[gold_rows],
                                                 by_class=True)
            reason += " and a class balance re-weighted to all items' mix"
        return (reason + ", but no model choice, calibration or decision weights from them",
                class_balance)

    def _short_sample(self, y: np.ndarray, drawn: np.ndarray, known: np.ndarray) -> str:
        """What a random sample's reviews (``y[drawn]``) too short of a class to choose on
        lack, beside the queue's (``known``) when there are any: the start of a reason."""
        need = f"need >= {self.min_gold} and >= {self.n_splits} per class{self.short(y[drawn])}"
        if not len(known):
            return f"{self.names.count(len(drawn))} ({need})"
        few = (f"too few to set the class balance, below {MIN_GOLD_FOR_BALANCE}; "
               if len(drawn) < MIN_GOLD_FOR_BALANCE else "")
        return (f"{self.names.count(len(drawn) + len(known))}: {len(drawn)} from a random "
                f"sample ({few}{need}) and {len(known)} from the queue, which are no random "
                "sample")

    def decide(self, L: np.ndarray, y_dev: np.ndarray | None, gold_rows: np.ndarray,
               sampled: np.ndarray | None, class_balance: np.ndarray | None, *,
               unsettled: int = 0) -> GoldUse:
        """What the gold rows may do (see the module docstring). ``unsettled``: items of
        the random sample reviewed without a label in ``y_dev`` (tied, or awaiting
        adjudication), which a sample that does not look random is said to lack."""
        k = self.cardinality
        y = y_dev if y_dev is not None else np.full(len(L), -1, dtype=np.int64)
        scored = gold_rows
        drawn = gold_rows[sampled[gold_rows]] if sampled is not None else gold_rows[:0]
        reason, record = None, None
        if len(drawn) and (self.enough(y[drawn]) or len(gold_rows) >= MIN_GOLD_FOR_BALANCE):
            # a random sample (beside other gold rows, the queue's, or alone): drawn at
            # random by the run that exported it, and checked all the same against the rows
            # it stands for, in case reviewers skipped its hard items -- by the p-value
            # alone, as a random draw differs significantly 1 time in 100. The other gold
            # rows are known to be the queue's: never a random sample, however few of them
            # there are beside it, and whether or not the sample can choose
            known = np.setdiff1d(gold_rows, drawn)  # the queue's rows count as themselves
            rest = np.setdiff1d(np.arange(len(L)), known)  # what the sample stands for
            short = not self.enough(y[drawn])
            record = {
                **check_gold_sample(L[rest], np.searchsorted(rest, drawn), k,
                                    seed=self.seed, min_distance=0.0).to_dict(),
                "source": "random sample", "sampled_rows": len(drawn),
                "other_rows": len(known), **({"short": True} if short else {})}
            if not record["representative"]:
                reason, class_balance = self.known_labels_only(
                    L, y, gold_rows, class_balance,
                    f"{self.names.count(len(gold_rows))}: the {len(drawn)} from a random "
                    f"sample do not look random (distance {record['distance']:.2f} from the "
                    f"items they stand for, p={record['p_value']:.3f}; "
                    + (f"{unsettled} more of the sample were reviewed but have no label: "
                       "their raters are tied or they await adjudication, and left out they "
                       "bias it; settling them (reason `disputed` in the review queue) "
                       "restores it)" if unsettled else "were hard items skipped?)")
                    + (", and the others are the queue's" if len(known) else ""))
            elif short and len(drawn) < MIN_GOLD_FOR_BALANCE:
                # a handful of sample reviews beside the queue's: too few to set a balance,
                # so every reviewed row counts as the queue's do (post-stratified by class)
                record["too_few"] = True
                reason, class_balance = self.known_labels_only(
                    L, y, gold_rows, class_balance, self._short_sample(y, drawn, known))
            elif short:
                # too short of a class for CV to choose, or to check the sample's mix: a
                # class of a few items in a hundred has 0-4 of them, and its share taken
                # as found sets its LFs' accuracies by it; the votes' share stands unless
                # the sample shows it wrong
                balance = ("" if class_balance is not None else
                           ", the votes' class balance except where the sample's reviews "
                           "show it wrong")
                reason = (self._short_sample(y, drawn, known) + ": using the default model "
                          f"with them{' all' if len(known) else ''} as known labels{balance}, "
                          "but no model choice, calibration or decision weights from them")
                if class_balance is None:  # a balance given is no votes' share to warn of
                    class_balance = self.balance_with_sample(L, y, drawn, known, rest,
                                                             against_votes=True)
                    record["missing"] = missing_labels(L[rest], y[drawn], k)
            else:
                scored = drawn
                if class_balance is None:  # the queue's rows would skew it
                    class_balance = self.balance_with_sample(L, y, drawn, known, rest)
            return GoldUse(scored, class_balance, reason, record)
        if not self.enough(y[gold_rows]):
            reason = (f"{self.names.count(len(gold_rows))} (need >= {self.min_gold} and >= "
                      f"{self.n_splits} per class{self.short(y[gold_rows])}): using the "
                      f"default model")
        if len(gold_rows) >= MIN_GOLD_FOR_BALANCE:
            # enough for a class balance, and not known to be a random sample: check them
            record = {**check_gold_sample(L, gold_rows, k, seed=self.seed).to_dict(),
                      "source": "check"}
            classes = check_gold_classes(L, gold_rows, k, seed=self.seed)
            record["classes"] = classes.to_dict()
            if record["representative"] and not classes.representative:
                # picked by class: their mix says nothing of all items', and the fit would
                # take it as the class balance
                balance = "the class balance given" if class_balance is not None \
                    else "equal classes"
                if class_balance is None:
                    class_balance = np.full(k, 1.0 / k)
                reason = (f"{self.names.count(len(gold_rows))}, but their votes name classes "
                          f"unlike all items' votes (distance {classes.distance:.2f}, "
                          f"p={classes.p_value:.3f}; most over-represented: "
                          f"{classes.most_over}): picked by label, not drawn at random; "
                          f"using the default model with them as known labels, {balance}, "
                          "and no model choice, calibration or decision weights from them")
                return GoldUse(scored, class_balance, reason, record)
            if not record["representative"]:
                why = (f"{self.names.count(len(gold_rows))}, but not a random sample of the "
                       f"items (their mix of vote counts and agreement is "
                       f"{record['distance']:.2f} from all items', p={record['p_value']:.3f}; "
                       f"most over-represented: {record['most_over']})")
                reason, class_balance = self.known_labels_only(L, y, gold_rows,
                                                               class_balance, why)
                reason += f" ({SAMPLE_STEP})"  # no random sample among them: the next step
        return GoldUse(scored, class_balance, reason, record)


def reviewed_class_balance(L: np.ndarray, y_dev: np.ndarray | None, cardinality: int, *,
                           sampled: np.ndarray | None = None, random_state: int | None = 0,
                           tie_break: str = "random", names: RowNames = REVIEWED_LABELS,
                           sample_unsettled: int = 0
                           ) -> tuple[np.ndarray | None, dict[str, Any] | None]:
    """The class balance gold rows give any label model, as ``auto`` takes it: (balance,
    the check's record as ``auto``'s ``gold_sample_``). The balance is None where a model's
    own rule stands: fewer than :data:`~labelwright.models.class_prior.MIN_GOLD_FOR_BALANCE`
    gold rows, or rows that pass for a random sample (their own mix). Rows that do not (the
    head of a review queue) get a balance post-stratified to all items; rows picked by
    label, equal classes; a random sample (``sampled``) beside queue rows, its mix
    post-stratified to the items the queue did not take, the queue's rows as themselves --
    the votes' balance except where the sample, short of a class, shows it wrong,
    and, below that many sampled rows, every gold row post-stratified as the queue's are.
    The record is None below that many gold rows."""
    L = np.asarray(L)
    y = np.full(len(L), -1, dtype=np.int64) if y_dev is None else np.asarray(y_dev)
    gold_rows = np.flatnonzero(y >= 0)
    seed = 0 if random_state is None else int(random_state) % 2**32
    policy = GoldPolicy(cardinality, MIN_GOLD, N_SPLITS, seed,
                        default_fit_proba(cardinality, random_state, tie_break),
                        max_rows=MAX_ROWS, names=names)
    use = policy.decide(L, y, gold_rows, sampled, None, unsettled=sample_unsettled)
    return use.class_balance, use.record
