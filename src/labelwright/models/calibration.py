"""Calibration: fixing it (measuring it: :mod:`labelwright.models.reliability`).

:class:`TemperatureScaler` (Guo et al. 2017) divides log-probabilities by one temperature
fit on gold rows; it keeps the ranking (and argmax) and makes a 0.9 mean "right 9 times in
10" on the gold distribution.

:class:`Calibrator` chooses, by cross-validated log loss on the gold rows, among

* ``identity`` -- the probabilities as they are (kept when nothing beats it by more than
  ``min_gain``);
* ``temperature`` -- ``softmax(log p / T)``;
* ``vote_pattern`` -- one temperature per vote pattern of the item (``agree``, ``conflict``,
  ``split``, ``one_vote``, ``no_vote``: :func:`~labelwright.vote_calibration.vote_patterns`),
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
temperatures shrunk toward the shared one). A bias can make
another class the more probable one, and log loss pays for moving the top class of items
that were right when it softens confident mistakes elsewhere (a 4-label project's default
model: 12.5% of its labels moved, held-out accuracy 0.91 -> 0.83-0.86, while log loss and
ECE fell). So a method that moves a top class must also be right more often out-of-fold
(``argmax_moves``, below); the choice by log loss alone is ``argmax_moves="allowed"``.

After the scaling, a :class:`~labelwright.models.confidence_map.ConfidenceMap`
(``bins=True``, the default) may map each
item's top-class probability to the share of gold rows that were right at that probability:
an isotonic fit on the gold rows' *out-of-fold* scaled probabilities (the scaling-then-binning
recipe of Kumar, Liang & Ma 2019, "Verified uncertainty calibration"), kept when it lowers
the cross-validated log loss like any other method. A scaling cannot bend where a label
model is over-confident at one confidence and right at another; the map can, and it never
changes which class is on top. It cannot undo a model that is surer where it is wrong more
often (conflicts above one-vote items): that takes the votes, ``vote_pattern``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from labelwright.models.confidence_map import ConfidenceMap
from labelwright.models.decisions import BOOTSTRAP_ROUNDS, BOOTSTRAP_SURE
from labelwright.models.folds import stratified_folds
from labelwright.models.pattern_calibration import (
    no_vote_probs,
    pattern_keys,
    read_no_vote_probs,
    read_pattern_temperatures,
)
from labelwright.models.vote_blocks import blas_controller
from labelwright.vote_calibration import vote_pattern_codes


class TemperatureScaler:
    """Temperature scaling of probabilistic labels, fit on gold rows.

    ``fit(probs, y)`` finds ``temperature_`` minimising the log loss of
    ``softmax(log(probs) / T)``; ``transform(probs)`` applies it.
    """

    def __init__(self, *, bounds: tuple[float, float] = (0.05, 20.0)) -> None:
        self.bounds = bounds

    def fit(self, probs: np.ndarray, y: np.ndarray) -> TemperatureScaler:
        logp = np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0))
        y = np.asarray(y)
        rows = np.arange(len(y))

        def nll(log_t: float) -> float:
            z = logp / np.exp(log_t)
            z = z - z.max(axis=1, keepdims=True)
            return float(-(z[rows, y] - np.log(np.exp(z).sum(axis=1))).mean())

        lo, hi = np.log(self.bounds[0]), np.log(self.bounds[1])
        from scipy.optimize import minimize_scalar  # scipy.optimize: 0.1 s to import

        res = minimize_scalar(nll, bounds=(lo, hi), method="bounded")
        self.temperature_ = float(np.exp(res.x))
        return self

    def transform(self, probs: np.ndarray) -> np.ndarray:
        return at_temperature(probs, self.temperature_)


def at_temperature(probs: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(log probs / temperature)``: softer (T > 1) or sharper, the same argmax."""
    if temperature == 1.0:
        return np.asarray(probs, dtype=np.float64)
    return _softmax(_log_probs(probs) / temperature)


#: calibration methods of :class:`Calibrator`, simplest first
CALIBRATION_METHODS = ("identity", "temperature", "vote_pattern", "no_vote_bias", "class_bias",
                       "coverage")
#: the methods that never change which class is on top (nor does the confidence map;
#: ``no_vote_bias`` changes it on items no LF voted on only)
ARGMAX_KEEPING_METHODS = ("identity", "temperature", "vote_pattern")
#: what :class:`Calibrator` asks of a method that moves some gold row's top class
ARGMAX_MOVES = ("if_more_accurate", "never", "allowed")
_LOG_T_BOUNDS = (float(np.log(0.05)), float(np.log(20.0)))
_BIAS_PENALTY = 1e-3
#: ``vote_pattern``: each pattern's log-temperature is the shared one plus an offset in these
#: bounds (a factor of 20 either way), with a normal prior around 0 of this weight on the summed
#: log loss (3: a standard deviation of 0.41, a factor of 1.5), so a pattern of a few gold
#: rows moves little from the shared temperature
_PATTERN_BOUNDS = (-3.0, 3.0)
_PATTERN_PRIOR = 3.0

#: the methods with one temperature per vote pattern
_PER_PATTERN = ("vote_pattern", "no_vote_bias")


def _gain_shares(method: str, k: int) -> int:
    """How many times ``min_gain`` ``method`` must lower the log loss by: once per
    temperature it fits per vote pattern (``vote_pattern`` 5, ``no_vote_bias`` 5 per class),
    else once. Once only, ``vote_pattern`` was chosen on 2 of 16 synthetic sets whose label
    model was right as often as it said (independent LFs, 200 gold rows: out-of-fold gains
    of 0.008 and 0.010 nats, then test log loss +0.01, ECE +1 point); where the patterns
    differ, it gains 0.3-0.5 nats."""
    return max(1, len(pattern_keys(method, k)))


def _log_probs(probs: np.ndarray) -> np.ndarray:
    return np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _mean_nll(probs: np.ndarray, y: np.ndarray) -> float:
    return float(-np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, 1.0)).mean())


def _row_facts(n: int, covered: np.ndarray | None, patterns: np.ndarray | None
               ) -> np.ndarray:
    """(n, 2) floats the scalings read beside the probabilities: column 0, 1 where no LF
    voted on the row; column 1, the row's vote pattern (its place in
    :data:`~labelwright.vote_calibration.VOTE_PATTERNS`; -1 when the votes were not
    given)."""
    facts = np.zeros((n, 2))
    facts[:, 1] = -1
    if covered is not None:
        facts[:, 0] = ~covered
    if patterns is not None:
        facts[:, 1] = patterns
    return facts


class _Scaling:
    """``softmax(log p / (T * t[pattern]) + b + uncovered * c)`` with the parts ``method``
    uses (``no_vote_bias``: ``t[pattern, top class]``, and ``no_vote`` on the uncovered rows
    instead); ``facts``:
    :func:`_row_facts`."""

    def __init__(self, method: str, k: int) -> None:
        self.method, self.k = method, k
        self.n_bias = {"identity": 0, "temperature": 0, "vote_pattern": 0, "no_vote_bias": 0,
                       "class_bias": k,
                       "coverage": 2 * k}[method]
        self.n_pattern = len(pattern_keys(method, k))
        self.theta = np.zeros(1 + self.n_bias + self.n_pattern)
        #: ``no_vote_bias``'s probabilities of the uncovered rows (fit, not optimised)
        self.no_vote = np.full(k, 1.0 / k)

    def logits(self, theta: np.ndarray, logp: np.ndarray, facts: np.ndarray) -> np.ndarray:
        if self.method == "identity":
            return logp
        log_t = theta[0]
        if self.n_pattern:
            # a row whose pattern is not known (-1) takes the shared temperature
            offsets = np.r_[theta[1:], 0.0]
            log_t = theta[0] + offsets[self._pattern_index(logp, facts)]
            z = logp / np.exp(log_t)[:, None]
            if self.method == "no_vote_bias":
                z = np.where(facts[:, :1] > 0, np.log(self.no_vote), z)
            return z
        z = logp / np.exp(log_t)
        if self.n_bias:
            z = z + theta[1:1 + self.k]
        if self.method == "coverage":
            z = z + facts[:, :1] * theta[1 + self.k:]
        return z

    def _pattern_index(self, logp: np.ndarray, facts: np.ndarray) -> np.ndarray:
        """Each row's place among :func:`pattern_keys` (-1, the shared temperature, when its
        pattern is not known): its vote pattern, and for ``no_vote_bias`` its top class too."""
        codes = facts[:, 1].astype(np.int64)
        if self.method != "no_vote_bias":
            return codes
        return np.where(codes >= 0, codes * self.k + logp.argmax(axis=1), -1)

    def pattern_temperatures(self) -> dict[str, float]:
        """Each of :func:`pattern_keys`' temperature ({} without them)."""
        keys = pattern_keys(self.method, self.k)
        return {p: float(np.exp(self.theta[0] + d)) for p, d in zip(keys, self.theta[1:])}

    def fit(self, logp: np.ndarray, y: np.ndarray, facts: np.ndarray) -> _Scaling:
        if self.method == "identity":
            return self
        rows = np.arange(len(y))
        if self.method == "no_vote_bias":
            uncovered = facts[:, 0] > 0
            self.no_vote = no_vote_probs(np.exp(logp[uncovered]), y[uncovered], self.k)
        penalty = _PATTERN_PRIOR / len(y) if self.n_pattern else _BIAS_PENALTY

        def loss(theta: np.ndarray) -> float:
            z = self.logits(theta, logp, facts)
            z = z - z.max(axis=1, keepdims=True)
            nll = -(z[rows, y] - np.log(np.exp(z).sum(axis=1))).mean()
            return float(nll + penalty * (theta[1:] ** 2).sum())

        bounds = ([_LOG_T_BOUNDS] + [(-20.0, 20.0)] * self.n_bias
                  + [_PATTERN_BOUNDS] * self.n_pattern)
        from scipy.optimize import minimize

        self.theta = minimize(loss, np.zeros(len(bounds)), method="L-BFGS-B",
                              bounds=bounds).x
        return self

    def transform(self, logp: np.ndarray, facts: np.ndarray) -> np.ndarray:
        return _softmax(self.logits(self.theta, logp, facts))


def _out_of_fold(method: str, logp: np.ndarray, y: np.ndarray, facts: np.ndarray,
                 folds: list[tuple[np.ndarray, np.ndarray]]
                 ) -> tuple[np.ndarray, list[_Scaling]]:
    """Each row's probabilities from scaling ``method`` fit on the other folds, and those
    fits (one per fold)."""
    out = np.empty_like(logp)
    fits = []
    for tr, te in folds:
        fit = _Scaling(method, logp.shape[1]).fit(logp[tr], y[tr], facts[tr])
        out[te] = fit.transform(logp[te], facts[te])
        fits.append(fit)
    return out, fits


def describe_calibration(method: str, mapped: bool) -> str:
    """A calibration in words: its scaling method, and "confidence map" when one follows."""
    if not mapped:
        return method
    return ("" if method == "identity" else f"{method} + ") + "confidence map"


def temperature_calibration(k: int, temperature: float = 1.0) -> dict[str, Any]:
    """:meth:`Calibrator.to_dict`'s document of a temperature alone (``identity`` at 1.0)."""
    return {"method": "identity" if temperature == 1.0 else "temperature",
            "temperature": float(temperature), "class_bias": [0.0] * k,
            "uncovered_bias": [0.0] * k, "pattern_temperatures": None, "no_vote_probs": None,
            "confidence_map": None}


class Calibrator:
    """Calibration chosen by cross-validation on gold rows (see the module docstring).

    Parameters
    ----------
    methods
        Candidates, from :data:`CALIBRATION_METHODS`; ``identity`` is always one.
    n_splits
        Folds of the stratified cross-validation over the gold rows.
    min_gold
        Fewer gold rows than this (or fewer than ``n_splits`` of some class present):
        ``identity``, nothing is learned. A class with fewer than ``n_splits`` gold rows (or
        none) rules out the per-class biases: only :data:`ARGMAX_KEEPING_METHODS`.
    min_uncovered
        ``coverage`` and ``no_vote_bias`` are only tried with at least this many uncovered
        gold rows.
        ``vote_pattern`` is tried when :meth:`fit` is given the rows' ``votes``.
    min_gain
        A method replaces the simpler one chosen so far only if it lowers the
        cross-validated log loss by more than this (nats per item; ``vote_pattern``, by five
        times this: once per pattern), so noise in the folds does not pick a method that
        fits nothing real.
    random_state
        Seed of the folds and of the bootstrap resamples of ``argmax_moves``.
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
    items no LF voted on; None otherwise), ``confidence_map_`` (a :class:`ConfidenceMap` or None),
    ``cv_probs_`` (each gold row's probabilities calibrated by the chosen calibration fit on the
    other folds; None when there were too few gold rows to learn anything), ``accuracy_wins_``
    (method -> the share of bootstrap resamples in which its out-of-fold top classes were right more
    often than the probabilities' own, for each method that moved one and beat the log loss of the
    method chosen before it).
    """

    def __init__(self, *, methods: tuple[str, ...] = CALIBRATION_METHODS, n_splits: int = 5,
                 min_gold: int = 30, min_uncovered: int = 10, min_gain: float = 0.005,
                 random_state: int | None = 0, bins: bool = True,
                 argmax_moves: str = "if_more_accurate") -> None:
        self.methods = methods
        self.n_splits = n_splits
        self.min_gold = min_gold
        self.min_uncovered = min_uncovered
        self.min_gain = min_gain
        self.random_state = random_state
        self.bins = bins
        self.argmax_moves = argmax_moves

    def fit(self, probs: np.ndarray, y: np.ndarray, *, covered: np.ndarray | None = None,
            votes: np.ndarray | None = None) -> Calibrator:
        """Choose and fit the calibration on gold rows: ``probs`` (n x k), gold class
        indices ``y`` (n), and optionally whether an LF voted on each row (``covered``) or
        the rows' votes (``votes``, n x m, -1 abstain: their rows of the label matrix;
        ``covered`` then defaults to whether a row has a vote), which let ``vote_pattern``
        be tried.

        BLAS runs in one thread meanwhile: the fits are hundreds of small optimizer
        steps, and each waited on every core whenever another job held one (a 5-label fit
        on 70 gold rows: 5.6 s, against 1.2 s in one thread; the same answer)."""
        with blas_controller().limit(limits=1, user_api="blas"):
            return self._fit(probs, y, covered, votes)

    def _fit(self, probs: np.ndarray, y: np.ndarray, covered: np.ndarray | None,
             votes: np.ndarray | None) -> Calibrator:
        logp, y, facts = self._inputs(probs, y, covered, votes)
        uncovered = facts[:, 0]
        unknown = [m for m in self.methods if m not in CALIBRATION_METHODS]
        if unknown:
            raise ValueError(f"unknown calibration method {unknown[0]!r}; valid: "
                             f"{', '.join(CALIBRATION_METHODS)}")
        if self.argmax_moves not in ARGMAX_MOVES:
            raise ValueError(f"unknown argmax_moves {self.argmax_moves!r}; valid: "
                             f"{', '.join(ARGMAX_MOVES)}")
        k = logp.shape[1]
        candidates = ["identity", *(m for m in self.methods if m != "identity")]
        if (covered is None and votes is None) or uncovered.sum() < self.min_uncovered \
                or uncovered.all():
            candidates = [m for m in candidates if m != "coverage"]
        if votes is None:
            candidates = [m for m in candidates if m not in _PER_PATTERN]
        elif uncovered.sum() < self.min_uncovered or uncovered.all():
            candidates = [m for m in candidates if m != "no_vote_bias"]
        counts = np.bincount(y, minlength=k)
        present = counts[counts > 0]
        self.cv_log_loss_: dict[str, float] = {}
        held_out: dict[str, np.ndarray] = {}
        fold_fits: dict[str, list[_Scaling]] = {}
        if len(y) < self.min_gold or present.size < 2 or present.min() < self.n_splits:
            candidates = ["identity"]
        else:
            if counts.min() < self.n_splits:
                # a class without gold would get a bias that only pushes it down
                candidates = [m for m in candidates if m in ARGMAX_KEEPING_METHODS]
            folds = stratified_folds(self.n_splits, y, self.random_state)
            for method in candidates:
                held_out[method], fold_fits[method] = _out_of_fold(method, logp, y,
                                                                   facts, folds)
                self.cv_log_loss_[method] = float(np.mean(
                    [_mean_nll(held_out[method][te], y[te]) for _, te in folds]))
        # candidates are in order of complexity: a more complex one must earn its place
        self.method_ = "identity"
        self.accuracy_wins_: dict[str, float] = {}
        for method in candidates[1:]:
            if method in self.cv_log_loss_ and self.cv_log_loss_[method] \
                    < self.cv_log_loss_[self.method_] - self.min_gain * _gain_shares(method, k) \
                    and self._top_classes_allowed(method, held_out[method], logp, y):
                self.method_ = method
        self._scaling = _Scaling(self.method_, k).fit(logp, y, facts)
        theta = self._scaling.theta
        self.temperature_ = 1.0 if self.method_ == "identity" else float(np.exp(theta[0]))
        self.class_bias_ = theta[1:1 + k].copy() if self._scaling.n_bias else np.zeros(k)
        self.uncovered_bias_ = theta[1 + k:].copy() if self.method_ == "coverage" \
            else np.zeros(k)
        self.pattern_temperatures_ = self._scaling.pattern_temperatures()
        self.no_vote_probs_ = self._scaling.no_vote.copy() \
            if self.method_ == "no_vote_bias" else None
        self.cv_probs_ = held_out.get(self.method_)
        self.confidence_map_ = None
        if self.bins and self.method_ in held_out:
            scaled = held_out[self.method_]
            with_map = self._held_out_with_map(logp, y, facts, folds,
                                               fold_fits[self.method_])
            if with_map is not None:
                self.cv_log_loss_["confidence_map"] = _mean_nll(with_map, y)
                if self.cv_log_loss_["confidence_map"] < _mean_nll(scaled, y) - self.min_gain:
                    self.confidence_map_ = ConfidenceMap().fit(scaled, y)
                    self.cv_probs_ = with_map
        return self

    def _top_classes_allowed(self, method: str, held_out: np.ndarray, logp: np.ndarray,
                             y: np.ndarray) -> bool:
        """Whether ``method`` (its out-of-fold probabilities ``held_out`` of the gold rows)
        may be chosen as far as the top classes go (``argmax_moves``): a method that
        moves none, or one whose top classes are right more often than the probabilities'
        own in >= :data:`BOOTSTRAP_SURE` of bootstrap resamples of the gold rows."""
        if method in ARGMAX_KEEPING_METHODS or self.argmax_moves == "allowed":
            return True
        moved, own = held_out.argmax(axis=1), logp.argmax(axis=1)
        if np.array_equal(moved, own):
            return True
        if self.argmax_moves == "never":
            return False
        gain = (moved == y).astype(np.int64) - (own == y)
        rng = np.random.default_rng(self.random_state)
        resamples = rng.integers(0, len(y), (BOOTSTRAP_ROUNDS, len(y)))
        self.accuracy_wins_[method] = float((gain[resamples].sum(axis=1) > 0).mean())
        return self.accuracy_wins_[method] >= BOOTSTRAP_SURE

    def _held_out_with_map(self, logp: np.ndarray, y: np.ndarray, facts: np.ndarray,
                           folds: list[tuple[np.ndarray, np.ndarray]],
                           fits: list[_Scaling]) -> np.ndarray | None:
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
            inner, _ = _out_of_fold(self.method_, logp[tr], y[tr], facts[tr], inner_folds)
            out[te] = ConfidenceMap().fit(inner, y[tr]).apply(
                fit.transform(logp[te], facts[te]))
        return out

    def to_dict(self) -> dict[str, Any]:
        """The fitted calibration as plain JSON values (what a saved ``auto`` model keeps)."""
        if not hasattr(self, "method_"):
            raise RuntimeError("Calibrator is not fitted; call fit(probs, y) first")
        return {"method": self.method_, "temperature": self.temperature_,
                "class_bias": self.class_bias_.tolist(),
                "uncovered_bias": self.uncovered_bias_.tolist(),
                "pattern_temperatures": self.pattern_temperatures_ or None,
                "no_vote_probs": None if self.no_vote_probs_ is None
                else self.no_vote_probs_.tolist(),
                "confidence_map": None if self.confidence_map_ is None
                else self.confidence_map_.to_dict()}

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> Calibrator:
        """A fitted calibrator from :meth:`to_dict`'s document."""
        method = doc.get("method")
        if method not in CALIBRATION_METHODS:
            raise ValueError(f"unknown calibration method {method!r}; valid: "
                             f"{', '.join(CALIBRATION_METHODS)}")
        class_bias = np.asarray(doc["class_bias"], dtype=np.float64)
        out = cls()
        out.method_, out.cv_log_loss_, out.accuracy_wins_ = method, {}, {}
        out.temperature_ = float(doc["temperature"])
        out.class_bias_ = class_bias
        out.uncovered_bias_ = np.asarray(doc["uncovered_bias"], dtype=np.float64)
        # documents written before the map existed have no "confidence_map"
        bins = doc.get("confidence_map")
        out.confidence_map_ = None if bins is None else ConfidenceMap.from_dict(bins)
        scaling = _Scaling(method, len(class_bias))
        theta = [np.log(out.temperature_)]
        if scaling.n_bias:
            theta += class_bias.tolist()
        if method == "coverage":
            theta += out.uncovered_bias_.tolist()
        out.pattern_temperatures_, out.no_vote_probs_ = {}, None
        if method == "no_vote_bias":
            out.no_vote_probs_ = read_no_vote_probs(doc, len(class_bias))
            scaling.no_vote = out.no_vote_probs_
        if method in _PER_PATTERN:
            keys = pattern_keys(method, len(class_bias))
            out.pattern_temperatures_ = read_pattern_temperatures(doc, keys)
            theta += [np.log(out.pattern_temperatures_[p]) - theta[0] for p in keys]
        scaling.theta = np.asarray(theta)
        out._scaling = scaling
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
        if self.method_ in _PER_PATTERN and votes is None:
            raise ValueError(f"this calibrator was fit with method {self.method_!r}: pass "
                             "votes= (the items' rows of the label matrix) to transform")
        # the votes are read only where the method reads them (a million items' patterns)
        logp, _, facts = self._inputs(
            probs, None, covered if self.method_ == "coverage" else None,
            votes if self.method_ in ("coverage", *_PER_PATTERN) else None,
            patterns=self.method_ in _PER_PATTERN)
        if logp.shape[1] != self._scaling.k:
            raise ValueError(f"probs has {logp.shape[1]} columns; the calibrator was fit on "
                             f"{self._scaling.k} classes")
        probs = self._scaling.transform(logp, facts)
        if self.confidence_map_ is not None:
            probs = self.confidence_map_.apply(probs)
        return probs

    @property
    def keeps_argmax(self) -> bool:
        """True when :meth:`transform` never changes an item's most probable class: no
        per-class bias (:data:`ARGMAX_KEEPING_METHODS`; a confidence map keeps it too)."""
        return self.method_ in ARGMAX_KEEPING_METHODS

    @property
    def learned_anything(self) -> bool:
        """False when :meth:`transform` returns the probabilities as they are."""
        return self.method_ != "identity" or self.confidence_map_ is not None

    def describe(self) -> str:
        """What :meth:`transform` does, e.g. ``"class_bias + confidence map"``."""
        return describe_calibration(self.method_, self.confidence_map_ is not None)

    @staticmethod
    def _inputs(probs: np.ndarray, y: np.ndarray | None, covered: np.ndarray | None,
                votes: np.ndarray | None, *, patterns: bool = True
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The log-probabilities, the gold classes (zeros without ``y``) and
        :func:`_row_facts` (the vote patterns only if ``patterns``), each checked against
        ``probs``' rows."""
        logp = _log_probs(probs)
        if logp.ndim != 2:
            raise ValueError(f"probs must be (n_items, n_labels), got shape {logp.shape}")
        n = len(logp)
        y_arr = np.zeros(n, dtype=np.int64)
        if y is not None:
            y_arr = np.asarray(y, dtype=np.int64)
            if y_arr.shape != (n,):
                raise ValueError(f"y must have one gold class per row of probs ({n}), "
                                 f"got shape {y_arr.shape}")
            if n and (y_arr.min() < 0 or y_arr.max() >= logp.shape[1]):
                raise ValueError(f"y must hold class indices 0..{logp.shape[1] - 1}; "
                                 f"got values {y_arr.min()}..{y_arr.max()}")
        cov, codes = None, None
        if votes is not None:
            votes = np.asarray(votes)
            if votes.ndim != 2 or len(votes) != n:
                raise ValueError(f"votes must be the label matrix's rows of the {n} rows of "
                                 f"probs (n_items, n_lfs), got shape {votes.shape}")
            cov = np.asarray((votes >= 0).any(axis=1))
            if patterns:
                codes = vote_pattern_codes(votes, logp.shape[1])
        if covered is not None:
            cov = np.asarray(covered, dtype=bool)
            if cov.shape != (n,):
                raise ValueError(f"covered must have one entry per row of probs ({n}), "
                                 f"got shape {cov.shape}")
        return logp, y_arr, _row_facts(n, cov, codes)

