"""Calibration: fixing it (measuring it: :mod:`labelwright.models.reliability`).

:class:`Calibrator` chooses, by cross-validated log loss on the gold rows, among

* ``identity`` -- the probabilities as they are (kept when nothing beats it by more than
  ``min_gain``);
* ``temperature`` -- ``softmax(log p / T)``;
* ``vote_pattern`` -- one temperature per vote pattern of the item (``agree``, ``conflict``,
  ``split``, ``one_vote``, ``no_vote``: :func:`~labelwright.models.vote_calibration.vote_patterns`),
  tried when :meth:`Calibrator.fit` is given the rows' votes. Where LFs overlap, a label
  model is sure of items whose votes conflict and unsure of those with one vote; log loss
  weighs a confident mistake far above an unsure right answer, so the one temperature it
  fits softens every item, and a model under-confident on most of them came out less
  confident still (a 4-label project's ``auto``: temperature 1.73, held-out ECE 0.150 ->
  0.152, one-vote items 100% right at 0.67). Per pattern, one-vote items sharpen and
  conflicts soften (there: held-out ECE 0.030, log loss 0.52 -> 0.28);
* ``no_vote_bias`` -- on the items some LF voted on, one temperature per vote pattern and
  top class (:func:`~labelwright.models.pattern_calibration.pattern_keys`); on the items none
  voted on, the gold class shares of such items, shrunk toward the model's own
  (:func:`~labelwright.models.pattern_calibration.no_vote_probs`); tried when given the votes
  and at least ``min_uncovered`` uncovered gold rows. A label model gives every uncovered
  item its class balance; where that is not their mix, no temperature moves them, and a
  bias on every class also moves covered items (UCI SMS, 13.6% spam at an even balance:
  ``class_bias`` moved right answers and was refused; the temperature left in its place
  raised the test ECE 1.4 -> 8.9 points). This one can move only uncovered items' classes;
* ``class_bias`` -- ``softmax(log p / T + b)``: one temperature plus one bias per class, which
  also corrects a wrong class balance;
* ``coverage`` -- ``class_bias`` plus a second bias per class added on items no LF voted on:
  a label model gives all of those the same probabilities (its class balance), so this learns
  the class distribution of uncovered items separately from the covered ones.

All of them are fit by maximum likelihood (small L2 penalty on the biases; the patterns'
temperatures shrunk toward the shared one; ``no_vote_bias``'s shares counted, not fit). A
bias can make another class the more probable one; a method that does must also be right
more often out-of-fold (``argmax_moves``, below;
:mod:`~labelwright.models.top_class_moves` says why); the choice by log loss alone is
``argmax_moves="allowed"``.

After any scaling but ``coverage`` and ``no_vote_bias``, the *no-vote shares*
(:mod:`~labelwright.models.no_vote_shares`): the items no LF voted on take the class shares
of the gold rows with no vote, every other item keeps the scaling's probabilities.

After that, a :class:`~labelwright.models.confidence_map.ConfidenceMap`
(``bins=True``, the default) may map each
item's top-class probability to the share of gold rows that were right at that probability:
an isotonic fit on the gold rows' *out-of-fold* scaled probabilities (the scaling-then-binning
recipe of Kumar, Liang & Ma 2019, "Verified uncertainty calibration"), kept when it lowers
the cross-validated log loss like any other method. A scaling cannot bend where a label
model is over-confident at one confidence and right at another; the map can, and it never
changes which class is on top. It cannot undo a model that is surer where it is wrong more
often (conflicts above one-vote items): that takes the votes, ``vote_pattern``.

The methods themselves (and :class:`TemperatureScaler`, the temperature alone) are in
:mod:`~labelwright.models.calibration_methods`; the saved document in
:mod:`~labelwright.models.calibration_document`; the checks of the arrays given in
:mod:`~labelwright.models.calibration_inputs`. Their public names (and
:data:`~labelwright.models.top_class_moves.ARGMAX_MOVES`) are importable from here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.models.calibration_document import (
    SavedCalibration,
    describe_calibration,
    read_calibration,
    saved_no_vote_shares,
    temperature_calibration,
)
from labelwright.models.calibration_inputs import calibration_inputs
from labelwright.models.calibration_methods import (
    ARGMAX_KEEPING_METHODS,
    CALIBRATION_METHODS,
    PER_PATTERN,
    Scaling,
    TemperatureScaler,
    at_temperature,
    cv_log_loss,
    log_probs,
    out_of_fold,
)
from labelwright.models.confidence_map import ConfidenceMap
from labelwright.models.folds import stratified_folds
from labelwright.models.metrics import log_loss
from labelwright.models.no_vote_shares import shares_move_top_class, shares_of, with_no_vote_shares
from labelwright.models.pattern_calibration import pattern_keys
from labelwright.models.top_class_moves import ARGMAX_MOVES, TopClassGate
from labelwright.models.vote_blocks import blas_controller

__all__ = ["ARGMAX_KEEPING_METHODS", "ARGMAX_MOVES", "CALIBRATION_METHODS", "Calibrator",
           "ConfidenceMap", "TemperatureScaler", "at_temperature", "describe_calibration",
           "temperature_calibration"]


def _gain_shares(method: str, k: int) -> int:
    """How many times ``min_gain`` ``method`` must lower the log loss by: once per
    temperature it fits per vote pattern (``vote_pattern`` 5; ``no_vote_bias`` 4 per class,
    and once per class share it gives the items with no vote: 5 per class), else once. Once
    only, ``vote_pattern`` was chosen on 2 of 16 synthetic sets whose label model was right
    as often as it said (independent LFs, 200 gold rows: out-of-fold gains of 0.008 and
    0.010 nats, then test log loss +0.01, ECE +1 point); where the patterns differ, it
    gains 0.3-0.5 nats."""
    shares = len(pattern_keys(method, k)) + (k if method == "no_vote_bias" else 0)
    return max(1, shares)


class Calibrator:
    """Calibration chosen by cross-validation on gold rows (see the module docstring).

    Parameters
    ----------
    methods
        Candidates, from :data:`CALIBRATION_METHODS`; ``identity`` is always one. They are
        tried in that tuple's order, simplest first, whatever the order given.
    n_splits
        Folds of the stratified cross-validation over the gold rows.
    min_gold
        Fewer gold rows than this (or fewer than ``n_splits`` of some class present):
        ``identity``, nothing is learned. A class with fewer than ``n_splits`` gold rows (or
        none) rules out the per-class biases: only :data:`ARGMAX_KEEPING_METHODS`.
    min_uncovered
        ``coverage`` and ``no_vote_bias`` are only tried with at least this many uncovered
        gold rows (and ``no_vote_bias``, like ``vote_pattern``, only when :meth:`fit` is
        given the rows' ``votes``).
    min_gain
        A method replaces the simpler one chosen so far only if it lowers the
        cross-validated log loss by more than this (nats per item; ``vote_pattern`` by five
        times this, once per pattern; ``no_vote_bias`` by five times this per class, once
        per temperature and class share), so noise in the folds does not pick a method
        that fits nothing real.
    random_state
        Seed of the folds and of the bootstrap resamples of ``argmax_moves``.
    no_vote_shares
        After the chosen scaling, try the no-vote shares (module docstring). A calibrator
        that keeps them needs ``covered`` or ``votes`` in :meth:`transform` too.
    argmax_moves
        What a method that changes the top class of some gold row (``class_bias``, ``coverage``;
        ``no_vote_bias``, of an uncovered one) must show besides a lower log loss:
        ``"if_more_accurate"`` (the default), that its out-of-fold top classes are right more often
        than the probabilities' own in >= 95% of bootstrap resamples of the gold rows
        (``accuracy_wins_``); ``"never"``: such a method is not chosen; ``"allowed"``: log loss
        alone decides (``auto`` checks the decisions itself, by its ``scoring``).
    bins
        After the scaling, try a :class:`ConfidenceMap` fit on the gold rows' out-of-fold
        scaled probabilities (the same folds). Like a scaling method, it is kept only if it
        lowers the cross-validated log loss (``cv_log_loss_["confidence_map"]``: scaling and
        map both fit on the other folds, nested) by more than ``min_gain``: on a model that
        is calibrated already, a map learned from a few hundred rows only adds noise.

    Learned: ``method_`` (the chosen method), ``cv_log_loss_`` (method -> mean held-out log loss),
    ``temperature_``, ``class_bias_`` (k), ``uncovered_bias_`` (k; zeros unless ``coverage``),
    ``pattern_temperatures_`` (vote pattern, or ``"pattern/top class"`` for ``no_vote_bias`` ->
    temperature; {} otherwise), ``no_vote_probs_`` (k: the probabilities ``no_vote_bias`` gives
    items no LF voted on, or the no-vote shares; None otherwise), ``no_vote_shares_`` (whether
    the no-vote shares follow the scaling; ``cv_log_loss_["no_vote_shares"]`` when tried),
    ``no_vote_moves_`` (whether they put another class on top of an uncovered gold row),
    ``confidence_map_`` (a :class:`ConfidenceMap` or None),
    ``cv_probs_`` (each gold row's probabilities calibrated by the chosen calibration fit on the
    other folds; None when there were too few gold rows to learn anything, or when read by
    :meth:`from_dict`, which leaves ``cv_log_loss_`` and ``accuracy_wins_`` empty too),
    ``accuracy_wins_`` (method -> the share of bootstrap resamples in which its out-of-fold top
    classes were right more often than the probabilities' own, for each method that moved one
    and beat the log loss of the method chosen before it).
    """

    def __init__(self, *, methods: tuple[str, ...] = CALIBRATION_METHODS, n_splits: int = 5,
                 min_gold: int = 30, min_uncovered: int = 10, min_gain: float = 0.005,
                 random_state: int | None = 0, bins: bool = True,
                 argmax_moves: str = "if_more_accurate", no_vote_shares: bool = True) -> None:
        self.methods = methods
        self.n_splits = n_splits
        self.min_gold = min_gold
        self.min_uncovered = min_uncovered
        self.min_gain = min_gain
        self.random_state = random_state
        self.bins = bins
        self.argmax_moves = argmax_moves
        self.no_vote_shares = no_vote_shares

    def fit(self, probs: np.ndarray, y: np.ndarray, *, covered: np.ndarray | None = None,
            votes: np.ndarray | None = None) -> Calibrator:
        """Choose and fit the calibration on gold rows: ``probs`` (n x k), gold class
        indices ``y`` (n), and optionally whether an LF voted on each row (``covered``) or
        the rows' votes (``votes``, n x m, -1 abstain: their rows of the label matrix;
        ``covered`` then defaults to whether a row has a vote), which let ``vote_pattern``
        and ``no_vote_bias`` be tried.

        BLAS runs in one thread meanwhile: the fits are hundreds of small optimizer
        steps, and each waited on every core whenever another job held one (a 5-label fit
        on 70 gold rows: 5.6 s, against 1.2 s in one thread; the same answer)."""
        with blas_controller().limit(limits=1, user_api="blas"):
            return self._fit(probs, y, covered, votes)

    def _fit(self, probs: np.ndarray, y: np.ndarray, covered: np.ndarray | None,
             votes: np.ndarray | None) -> Calibrator:
        logp, y, facts = calibration_inputs(probs, y, covered, votes)
        uncovered = facts[:, 0]
        unknown = [m for m in self.methods if m not in CALIBRATION_METHODS]
        if unknown:
            raise ValueError(f"unknown calibration method {unknown[0]!r}; valid: "
                             f"{', '.join(CALIBRATION_METHODS)}")
        gate = TopClassGate(self.argmax_moves, self.random_state)
        k = logp.shape[1]
        # simplest first, whatever the order given: each must beat the one chosen before it
        candidates = [m for m in CALIBRATION_METHODS if m == "identity" or m in self.methods]
        if (covered is None and votes is None) or uncovered.sum() < self.min_uncovered \
                or uncovered.all():
            candidates = [m for m in candidates if m != "coverage"]
        if votes is None:
            candidates = [m for m in candidates if m not in PER_PATTERN]
        elif uncovered.sum() < self.min_uncovered or uncovered.all():
            candidates = [m for m in candidates if m != "no_vote_bias"]
        counts = np.bincount(y, minlength=k)
        present = counts[counts > 0]
        self.cv_log_loss_: dict[str, float] = {}
        held_out: dict[str, np.ndarray] = {}
        fold_fits: dict[str, list[Scaling]] = {}
        if len(y) < self.min_gold or present.size < 2 or present.min() < self.n_splits:
            candidates = ["identity"]
        else:
            if counts.min() < self.n_splits:
                # a class without gold would get a bias that only pushes it down
                candidates = [m for m in candidates if m in ARGMAX_KEEPING_METHODS]
            folds = stratified_folds(self.n_splits, y, self.random_state)
            for method in candidates:
                held_out[method], fold_fits[method] = out_of_fold(method, logp, y,
                                                                   facts, folds)
                self.cv_log_loss_[method] = cv_log_loss(held_out[method], y, folds)
        # candidates are in order of complexity: a more complex one must earn its place
        self.method_ = "identity"
        self.accuracy_wins_ = gate.wins
        for method in candidates[1:]:
            if method in self.cv_log_loss_ and self.cv_log_loss_[method] \
                    < self.cv_log_loss_[self.method_] - self.min_gain * _gain_shares(method, k) \
                    and gate.allows(method, held_out[method], logp, y):
                self.method_ = method
        self._scaling = Scaling(self.method_, k).fit(logp, y, facts)
        theta = self._scaling.theta
        self.temperature_ = 1.0 if self.method_ == "identity" else float(np.exp(theta[0]))
        self.class_bias_ = theta[1:1 + k].copy() if self._scaling.n_bias else np.zeros(k)
        self.uncovered_bias_ = theta[1 + k:].copy() if self.method_ == "coverage" \
            else np.zeros(k)
        self.pattern_temperatures_ = self._scaling.pattern_temperatures()
        self.no_vote_probs_ = self._scaling.no_vote.copy() \
            if self.method_ == "no_vote_bias" else None
        self.no_vote_shares_ = self.no_vote_moves_ = False
        if self.method_ in held_out and self._no_vote_shares_tried(uncovered):
            shared = with_no_vote_shares(held_out[self.method_], logp, y, facts, folds,
                                         fold_fits[self.method_])
            self.cv_log_loss_["no_vote_shares"] = cv_log_loss(shared, y, folds)
            if self.cv_log_loss_["no_vote_shares"] < self.cv_log_loss_[self.method_] \
                    - self.min_gain * k and self._shares_allowed(shared, held_out[self.method_],
                                                                 uncovered > 0, y, gate):
                self.no_vote_shares_ = True
                held_out[self.method_] = shared
                self.no_vote_probs_ = shares_of(self._scaling, logp, y, facts,
                                                np.arange(len(y)))
        self.cv_probs_ = held_out.get(self.method_)
        self.confidence_map_ = None
        if self.bins and self.method_ in held_out:
            scaled = held_out[self.method_]
            with_map = self._held_out_with_map(logp, y, facts, folds,
                                               fold_fits[self.method_])
            if with_map is not None:
                self.cv_log_loss_["confidence_map"] = log_loss(y, with_map)
                if self.cv_log_loss_["confidence_map"] < log_loss(y, scaled) - self.min_gain:
                    self.confidence_map_ = ConfidenceMap().fit(scaled, y)
                    self.cv_probs_ = with_map
        return self

    def _no_vote_shares_tried(self, uncovered: np.ndarray) -> bool:
        """Whether the no-vote shares are tried after the chosen scaling: it does not
        give the items with no vote probabilities of their own already (``coverage``,
        ``no_vote_bias``), and at least ``min_uncovered`` gold rows, not all, had no vote
        (known only when :meth:`fit` was given ``covered`` or ``votes``)."""
        return self.no_vote_shares and self.method_ not in ("coverage", "no_vote_bias") \
            and self.min_uncovered <= uncovered.sum() < len(uncovered)

    def _shares_allowed(self, shared: np.ndarray, scaled: np.ndarray, uncovered: np.ndarray,
                        y: np.ndarray, gate: TopClassGate) -> bool:
        """Whether the no-vote shares may be kept as far as the top classes go: where
        they put no other class on top of an uncovered gold row than the scaling did (nor
        one on top of a tie), as ``argmax_moves`` says for a method that does (``gate``);
        with ``argmax_moves="never"`` and in an argmax-keeping choice (``methods`` within
        :data:`ARGMAX_KEEPING_METHODS`), not at all."""
        if not shares_move_top_class(shared, scaled, uncovered):
            return True
        self.no_vote_moves_ = True
        if self.argmax_moves != "allowed" and all(m in ARGMAX_KEEPING_METHODS
                                                  for m in self.methods):
            return False
        return gate.allows("no_vote_shares", shared, log_probs(scaled), y)

    def _held_out_with_map(self, logp: np.ndarray, y: np.ndarray, facts: np.ndarray,
                           folds: list[tuple[np.ndarray, np.ndarray]],
                           fits: list[Scaling]) -> np.ndarray | None:
        """Each gold row's probabilities from the chosen scaling plus a map, both fit on
        the other folds only (``fits``: the scaling fit on each fold's other rows; the map on
        those rows' own out-of-fold scaled probabilities, as in the final fit). None when
        some fold leaves a class too few rows to split."""
        k = logp.shape[1]
        out = np.empty_like(logp)
        for (tr, te), fit in zip(folds, fits):
            counts = np.bincount(y[tr], minlength=k)
            inner_splits = min(self.n_splits, int(counts[counts > 0].min()))
            if inner_splits < 2:
                return None
            inner_folds = stratified_folds(inner_splits, y[tr], self.random_state)
            inner, inner_fits = out_of_fold(self.method_, logp[tr], y[tr], facts[tr],
                                            inner_folds)
            scaled = fit.transform(logp[te], facts[te])
            if self.no_vote_shares_:  # the shares of the rows the map is fit on
                inner = with_no_vote_shares(inner, logp[tr], y[tr], facts[tr], inner_folds,
                                            inner_fits)
                scaled[facts[te, 0] > 0] = shares_of(fit, logp, y, facts, tr)
            out[te] = ConfidenceMap().fit(inner, y[tr]).apply(scaled)
        return out

    def to_dict(self) -> dict[str, Any]:
        """The fitted calibration as plain JSON values (what a saved ``auto`` model keeps)."""
        if not hasattr(self, "method_"):
            raise RuntimeError("Calibrator is not fitted; call fit(probs, y) first")
        return SavedCalibration(self.method_, self.temperature_, self.class_bias_,
                                self.uncovered_bias_, self.pattern_temperatures_,
                                self.no_vote_probs_, self.confidence_map_).to_dict()

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Calibrator:
        """A fitted calibrator from :meth:`to_dict`'s document (checked)."""
        saved = read_calibration(doc)
        out = cls()
        # what the cross-validation showed is not saved
        out.method_, out.cv_log_loss_, out.accuracy_wins_ = saved.method, {}, {}
        out.cv_probs_ = None
        out.temperature_, out.class_bias_ = saved.temperature, saved.class_bias
        out.uncovered_bias_ = saved.uncovered_bias
        out.pattern_temperatures_ = saved.pattern_temperatures
        out.no_vote_probs_, out.confidence_map_ = saved.no_vote_probs, saved.confidence_map
        # shares saved beside another method: whether they moved a top class is not saved
        out.no_vote_shares_ = out.no_vote_moves_ = saved_no_vote_shares(doc)
        out._scaling = saved.scaling()
        return out

    def transform(self, probs: np.ndarray, *, covered: np.ndarray | None = None,
                  votes: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities (n x k). ``covered`` (or ``votes``) is required when
        ``method_`` is ``coverage``, ``votes`` (the items' rows of the label matrix) when it
        is ``vote_pattern``."""
        if not hasattr(self, "method_"):
            raise RuntimeError("Calibrator is not fitted; call fit(probs, y) first")
        if self.method_ == "coverage" and covered is None and votes is None:
            raise ValueError("this calibrator was fit with method 'coverage': pass covered= "
                             "(whether an LF voted on each item) to transform")
        if self.method_ in PER_PATTERN and votes is None:
            raise ValueError(f"this calibrator was fit with method {self.method_!r}: pass "
                             "votes= (the items' rows of the label matrix) to transform")
        shares = self.no_vote_shares_
        if shares and covered is None and votes is None:
            raise ValueError("this calibrator gives the items no LF voted on class shares of "
                             "their own: pass covered= (whether an LF voted on each item) or "
                             "votes= to transform")
        # the votes are read only where the method reads them (a million items' patterns)
        logp, _, facts = calibration_inputs(
            probs, None, covered if self.method_ == "coverage" or shares else None,
            votes if self.method_ in ("coverage", *PER_PATTERN) or shares else None,
            patterns=self.method_ in PER_PATTERN)
        if logp.shape[1] != self._scaling.k:
            raise ValueError(f"probs has {logp.shape[1]} columns; the calibrator was fit on "
                             f"{self._scaling.k} classes")
        probs = self._scaling.transform(logp, facts)
        if shares:
            probs[facts[:, 0] > 0] = self.no_vote_probs_
        if self.confidence_map_ is not None:
            probs = self.confidence_map_.apply(probs)
        return probs

    @property
    def keeps_argmax(self) -> bool:
        """True when :meth:`transform` never changes an item's most probable class: no
        per-class bias (:data:`ARGMAX_KEEPING_METHODS`; a confidence map keeps it too), and
        no-vote shares, if any, that put no other class on top of an uncovered gold row."""
        return self.method_ in ARGMAX_KEEPING_METHODS \
            and not (self.no_vote_shares_ and self.no_vote_moves_)

    @property
    def learned_anything(self) -> bool:
        """False when :meth:`transform` returns the probabilities as they are."""
        return self.method_ != "identity" or self.confidence_map_ is not None \
            or self.no_vote_shares_

    def describe(self) -> str:
        """What :meth:`transform` does, e.g. ``"class_bias + confidence map"``."""
        return describe_calibration(self.method_, self.confidence_map_ is not None,
                                    no_vote_shares=self.no_vote_shares_)
