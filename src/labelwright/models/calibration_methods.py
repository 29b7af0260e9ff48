"""The calibration methods: scalings of a label model's log-probabilities fit on gold rows.

:class:`~labelwright.models.calibration.Calibrator` chooses among them by cross-validation
(its module docstring says what each is for); :class:`Scaling` fits and applies one, and
:class:`TemperatureScaler` is the temperature alone, for a caller who wants no choice.
"""

from __future__ import annotations

import numpy as np

from labelwright.models.metrics import log_loss
from labelwright.models.pattern_calibration import no_vote_probs, pattern_keys, pattern_places

#: calibration methods of :class:`~labelwright.models.calibration.Calibrator`, simplest first
CALIBRATION_METHODS = ("identity", "temperature", "vote_pattern", "no_vote_bias", "class_bias",
                       "coverage")
#: the methods that never change which class is on top (nor does the confidence map;
#: ``no_vote_bias`` changes it on items no LF voted on only)
ARGMAX_KEEPING_METHODS = ("identity", "temperature", "vote_pattern")
#: the methods with one temperature per vote pattern
PER_PATTERN = ("vote_pattern", "no_vote_bias")
#: bounds of the log-temperature: a factor of 20 either way
_LOG_T_BOUNDS = (float(np.log(0.05)), float(np.log(20.0)))
_BIAS_PENALTY = 1e-3
#: ``vote_pattern``: each pattern's log-temperature is the shared one plus an offset in these
#: bounds (a factor of 20 either way), with a normal prior around 0 of this weight on the summed
#: log loss (3: a standard deviation of 0.41, a factor of 1.5), so a pattern of a few gold
#: rows moves little from the shared temperature
_PATTERN_BOUNDS = (-3.0, 3.0)
_PATTERN_PRIOR = 3.0


def log_probs(probs: np.ndarray) -> np.ndarray:
    """``log(probs)`` as float64, a probability of 0 taken as 1e-12 (so a scaling can move it)."""
    return np.log(np.clip(np.asarray(probs, dtype=np.float64), 1e-12, 1.0))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _mean_nll(z: np.ndarray, y: np.ndarray) -> float:
    """Mean negative log-likelihood of classes ``y`` under ``softmax(z)``."""
    z = z - z.max(axis=1, keepdims=True)
    return float(-(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1))).mean())


def at_temperature(probs: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(log probs / temperature)``: softer (T > 1) or sharper, the same argmax."""
    if temperature == 1.0:
        return np.asarray(probs, dtype=np.float64)
    return softmax(log_probs(probs) / temperature)


class TemperatureScaler:
    """Temperature scaling of probabilistic labels, fit on gold rows (Guo et al. 2017).

    ``fit(probs, y)`` finds ``temperature_`` minimising the log loss of
    ``softmax(log(probs) / T)``; ``transform(probs)`` applies it. It keeps the ranking (and
    argmax) and makes a 0.9 mean "right 9 times in 10" on the gold distribution.
    """

    def __init__(self, *, bounds: tuple[float, float] = (0.05, 20.0)) -> None:
        self.bounds = bounds

    def fit(self, probs: np.ndarray, y: np.ndarray) -> TemperatureScaler:
        logp, y = log_probs(probs), np.asarray(y)
        lo, hi = np.log(self.bounds[0]), np.log(self.bounds[1])
        from scipy.optimize import minimize_scalar  # scipy.optimize: 0.1 s to import

        res = minimize_scalar(lambda log_t: _mean_nll(logp / np.exp(log_t), y),
                              bounds=(lo, hi), method="bounded")
        self.temperature_ = float(np.exp(res.x))
        return self

    def transform(self, probs: np.ndarray) -> np.ndarray:
        return at_temperature(probs, self.temperature_)


def row_facts(n: int, covered: np.ndarray | None, patterns: np.ndarray | None
              ) -> np.ndarray:
    """(n, 2) floats the scalings read beside the probabilities: column 0, 1 where no LF
    voted on the row; column 1, the row's vote pattern (its place in
    :data:`~labelwright.models.vote_calibration.VOTE_PATTERNS`; -1 when the votes were not
    given)."""
    facts = np.zeros((n, 2))
    facts[:, 1] = -1
    if covered is not None:
        facts[:, 0] = ~covered
    if patterns is not None:
        facts[:, 1] = patterns
    return facts


class Scaling:
    """``softmax(log p / (T * t[pattern]) + b + uncovered * c)`` with the parts ``method``
    uses (``no_vote_bias``: ``t[pattern, top class]`` on the covered rows, and
    ``no_vote`` on the uncovered ones instead); ``facts``: :func:`row_facts`.

    ``theta`` holds the log-temperature, then the biases (``class_bias``: k; ``coverage``:
    2k), then each of :func:`pattern_keys`' log-temperature offsets from the shared one."""

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
        """Each row's place among :func:`pattern_keys` (:func:`pattern_places`)."""
        return pattern_places(self.method, facts[:, 1].astype(np.int64), logp.argmax(axis=1),
                              self.k)

    def pattern_temperatures(self) -> dict[str, float]:
        """Each of :func:`pattern_keys`' temperature ({} without them)."""
        keys = pattern_keys(self.method, self.k)
        return {p: float(np.exp(self.theta[0] + d)) for p, d in zip(keys, self.theta[1:])}

    def fit(self, logp: np.ndarray, y: np.ndarray, facts: np.ndarray) -> Scaling:
        if self.method == "identity":
            return self
        if self.method == "no_vote_bias":
            uncovered = facts[:, 0] > 0
            self.no_vote = no_vote_probs(np.exp(logp[uncovered]), y[uncovered], self.k)
        penalty = _PATTERN_PRIOR / len(y) if self.n_pattern else _BIAS_PENALTY

        def loss(theta: np.ndarray) -> float:
            return _mean_nll(self.logits(theta, logp, facts), y) \
                + penalty * float((theta[1:] ** 2).sum())

        bounds = ([_LOG_T_BOUNDS] + [(-20.0, 20.0)] * self.n_bias
                  + [_PATTERN_BOUNDS] * self.n_pattern)
        from scipy.optimize import minimize

        self.theta = minimize(loss, np.zeros(len(bounds)), method="L-BFGS-B",
                              bounds=bounds).x
        return self

    def transform(self, logp: np.ndarray, facts: np.ndarray) -> np.ndarray:
        return softmax(self.logits(self.theta, logp, facts))


def out_of_fold(method: str, logp: np.ndarray, y: np.ndarray, facts: np.ndarray,
                folds: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, list[Scaling]]:
    """Each row's probabilities from scaling ``method`` fit on the other folds, and those
    fits (one per fold)."""
    out = np.empty_like(logp)
    fits = []
    for tr, te in folds:
        fit = Scaling(method, logp.shape[1]).fit(logp[tr], y[tr], facts[tr])
        out[te] = fit.transform(logp[te], facts[te])
        fits.append(fit)
    return out, fits


def cv_log_loss(probs: np.ndarray, y: np.ndarray,
                folds: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """The mean over ``folds`` of the log loss of their held-out rows' ``probs``."""
    return float(np.mean([log_loss(y[te], probs[te]) for _, te in folds]))
