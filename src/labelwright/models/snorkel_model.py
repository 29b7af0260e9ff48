"""Wrapper of snorkel's ``LabelModel`` (Ratner et al. 2019, matrix completion; "MeTaL").

snorkel fits ``mu`` (P(vote | class) per LF) from the LF overlap matrix with torch. This
wrapper keeps snorkel's fit unchanged and adds the labelwright contract:

* hyperparameters go to ``__init__`` (snorkel takes them in ``fit(**kwargs)``);
* snorkel seeds Python's, numpy's and torch's *global* RNGs inside ``fit``; we pass it
  ``seed=random_state`` and restore all three global RNG states afterwards, so fitting does
  not leak seeds into the caller;
* predictions are computed here in numpy from the learned ``mu_`` on unique vote patterns,
  so memory grows with patterns, not items. (snorkel's own ``fit`` still builds a dense
  ``n x (m k)`` float64 one-hot matrix: ~8 GB for 10M x 50 binary votes.)
* snorkel needs >= 3 LFs; with fewer, the model falls back to majority vote and sets
  ``fallback_ = "majority"`` (and logs a warning).

The class balance is ``class_balance`` if given, else the gold balance (>= 20 gold rows),
else uniform -- snorkel's own defaults. (A project's run gives it ``auto``'s estimate from
reviewed labels: :func:`~labelwright.models.gold_use.reviewed_class_balance`.)
:meth:`SnorkelLabelModel.learned_accuracies` reads each LF's accuracy off ``mu_``.
"""

from __future__ import annotations

import logging
from typing import Self

import numpy as np

from labelwright.models.base import LabelModel, global_random_kept
from labelwright.models.class_prior import MIN_GOLD_FOR_BALANCE, gold_class_balance
from labelwright.models.fit_warnings import fit_warnings_wanted
from labelwright.models.learned_fields import Field
from labelwright.models.patterns import class_vote_counts, map_patterns
from labelwright.models.ties import row_max, row_sum

log = logging.getLogger(__name__)

MIN_LFS = 3
#: the optimizers snorkel's LabelModel knows
OPTIMIZERS = ("sgd", "adam", "adamax")


def fallback_note(n_lfs: int) -> str:
    """What a fit with fewer than :data:`MIN_LFS` LFs says: it fell back to majority vote."""
    return (f"snorkel's LabelModel needs >= {MIN_LFS} LFs, got {n_lfs}: fell back to majority "
            "vote (fallback_ = \"majority\")")


class SnorkelLabelModel(LabelModel):
    """snorkel's ``LabelModel`` behind the labelwright contract (see module docstring)."""

    name = "snorkel"
    # mu_ is snorkel's own estimate, unconstrained (predictions clip it at 1e-12): finite
    # numbers of its shape, or none at all where the fit fell back to majority vote
    learned_fields = {**LabelModel.learned_fields,
                      "mu_": Field("number", ("m*k", "k"), may_be_empty=True),
                      "fallback_": Field("text")}

    def __init__(self, cardinality: int = 2, *, random_state: int | None = 0,
                 tie_break: str = "random", n_epochs: int = 100, lr: float = 0.01,
                 l2: float = 0.0, optimizer: str = "sgd", prec_init: float = 0.7,
                 mu_eps: float | None = None) -> None:
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break)
        self.n_epochs = n_epochs
        self.lr = lr
        self.l2 = l2
        self.optimizer = optimizer
        self.prec_init = prec_init
        self.mu_eps = mu_eps

    def prepare(self) -> Self:
        """Import torch and snorkel, and fit snorkel once for an epoch on a tiny label
        matrix: torch imports more on its first optimizer (``torch._dynamo``: seconds),
        which only a fit reaches, whatever the torch version."""
        _fit_snorkel(np.array([[0, 1, -1], [1, 1, 0], [0, -1, 0]]), 2, np.full(2, 0.5),
                     seed=0, n_epochs=1)
        return self

    def _check_params(self) -> None:
        self._require_number("n_epochs", 1, whole=True)
        self._require_number("l2", 0.0)
        self._require_share("prec_init", per_lf=True)  # snorkel takes one per LF too
        self._require_choice("optimizer", OPTIMIZERS)
        self._require_positive("lr")
        if self.mu_eps is not None:
            self._require_positive("mu_eps")

    def _fit(self, L, y_dev, class_balance, rng):
        k = self.cardinality
        p = class_balance
        if p is None:
            p = gold_class_balance(y_dev, k, MIN_GOLD_FOR_BALANCE)
        if p is None:
            p = np.full(k, 1.0 / k)
        self.class_balance_ = p
        if L.shape[1] < MIN_LFS:
            if fit_warnings_wanted():  # else its caller says it (the bench: once, a note)
                log.warning("%s", fallback_note(L.shape[1]))
            self.fallback_ = "majority"
            self.mu_ = np.zeros((0, k))
            return
        self.fallback_ = ""
        seed = int(rng.integers(2**31 - 1)) if self.random_state is None else self._seed()
        self.mu_ = _fit_snorkel(
            L, k, p, seed=seed, n_epochs=self.n_epochs, lr=self.lr, l2=self.l2,
            optimizer=self.optimizer, prec_init=self.prec_init, mu_eps=self.mu_eps,
        )

    def _predict_proba(self, L):
        k = self.cardinality
        if self.fallback_:
            def vote_share(votes: np.ndarray) -> np.ndarray:
                counts = class_vote_counts(votes, k)
                total = row_sum(counts)
                return np.where(total > 0, counts / np.maximum(total, 1), self.class_balance_)

            return map_patterns(L, vote_share, k)
        # snorkel: P(y | votes) ∝ p_y * prod_{j votes v} mu[j*k + v, y]; abstains ignored
        log_mu = np.log(np.clip(self.mu_, 1e-12, None)).reshape(-1, k, k)  # (m, v, y)
        log_p = np.log(self.class_balance_)

        def fn(votes: np.ndarray) -> np.ndarray:
            z = np.broadcast_to(log_p, (len(votes), k)).copy()
            for j in range(votes.shape[1]):
                v = votes[:, j].astype(np.intp)
                hit = v >= 0
                z[hit] += log_mu[j][v[hit]]
            return np.exp(z - row_max(z))

        return map_patterns(L, fn, k)

    def learned_accuracies(self) -> np.ndarray | None:
        """P(LF j's vote is right | LF j votes) from ``mu_`` and ``class_balance_``:
        ``sum_y p_y mu[j k + y, y] / sum_y p_y sum_v mu[j k + v, y]`` (``mu_`` as
        :meth:`_predict_proba` reads it, clipped at 1e-12); None under the majority-vote
        fallback, which learns nothing."""
        self._check_fitted()
        if self.fallback_:
            return None
        k = self.cardinality
        mu = np.clip(self.mu_, 1e-12, None).reshape(-1, k, k)  # (m, v, y)
        p = self.class_balance_
        right = np.einsum("jyy->jy", mu) @ p
        voted = mu.sum(axis=1) @ p
        return np.asarray(right / np.maximum(voted, 1e-12), dtype=np.float64)


def _fit_snorkel(L: np.ndarray, k: int, p: np.ndarray, *, seed: int, **train: object) -> np.ndarray:
    """Fit snorkel's LabelModel and return its ``mu`` ((m k) x k), global RNGs restored
    (saved before the imports: a first import of snorkel draws from numpy's)."""
    with global_random_kept():
        import torch
        from snorkel.labeling.model import LabelModel as _Snorkel

        torch_state = torch.get_rng_state()
        # The training steps work on (m k) x (m k) matrices, too small to split among
        # threads: with torch's default of one thread per core, a fit waited on every core
        # at each of its steps, and took 2-8 s instead of 0.4 s on 520 items x 13 LFs
        # whenever another job held a core (benchmarks/RESULTS.md, "auto with reviewed
        # labels on a busy machine"). The answer is the same to the bit.
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            model = _Snorkel(cardinality=k, verbose=False)
            model.fit(np.asarray(L, dtype=np.int64), class_balance=list(p),
                      progress_bar=False, seed=seed,
                      **{key: v for key, v in train.items() if v is not None})
            return model.mu.detach().cpu().numpy().astype(np.float64)
        finally:
            torch.set_num_threads(threads)
            torch.set_rng_state(torch_state)
