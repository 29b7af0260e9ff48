"""Dawid–Skene: one confusion matrix per LF, fit by expectation–maximisation.

Dawid & Skene (1979), "Maximum likelihood estimation of observer error-rates using the EM
algorithm". LFs are conditionally independent given the true class; LF ``j`` votes ``v`` for
an item of class ``y`` with probability ``confusion_[j, y, v]``. EM starts from the majority
vote, Dirichlet pseudo-counts keep confusion matrices away from degenerate solutions (and
favour LFs that are better than chance, which also fixes the label permutation), and without
gold no vote is read as evidence against the class it votes for (``monotone``).

How the fit stays fast on large label matrices:

* rows that repeat are fit once, weighted by their count (see :mod:`patterns`);
* each block is kept as its votes only, its rows ordered by their number of votes (see
  :mod:`sparse_votes`): one E-step and one M-step are two sparse products over the
  ~(coverage x LFs) votes per row, and informative abstains cost nothing extra (the
  abstain term of every LF is folded into a per-class constant);
* the products run against class 0 (k-1 columns, a single vector for two classes): class
  0's counts follow from sums taken once per fit, since each posterior sums to 1;
* blocks are spread over threads (see :mod:`vote_blocks`). On synthetic 1M x 50 and
  10M x 50 binary matrices EM settles in 7 full rounds; on 2 cores a fit takes ~0.19 s and
  ~1.8 s (snorkel's LabelModel: ~2.1 s at 1M), about a third of it making the blocks;
* optionally (``sample_rows``), EM first runs on a random sample of rows to warm-start the
  full rounds. Measured with 100k sampled rows: 1M x 50, 0.18 s against 0.19 s on all
  rows; 10M, 1.55 s against 1.89 s. It saves full rounds but stops within ``tol`` of the
  full-data fit rather than where EM from the majority vote stops (a few predictions per
  million differ), so it is off by default.

This module is the model: its settings, how a fit is set up (class balance, held LFs, the
row sample) and prediction. The EM rounds, and the state a fit carries between them, are
in :mod:`~labelwright.models.em_rounds`; the arithmetic inside a round (the prior's
pseudo-counts, one block's E-step and sums) in :mod:`~labelwright.models.em_steps`; the
log tables a confusion matrix is read by in :mod:`~labelwright.models.confusion_tables`;
the ``monotone`` constraint, and where gold rows lift it, in
:mod:`~labelwright.models.monotone`.
"""

from __future__ import annotations

import copy
import logging
import math
import numbers
from typing import Self

import numpy as np

from labelwright.models import vote_blocks
from labelwright.models.base import LabelModel
from labelwright.models.class_prior import (
    MIN_GOLD_FOR_BALANCE,
    balance_agrees,
    gold_class_balance,
    identifying_lfs,
    uneven_votes_prior,
)
from labelwright.models.confusion_tables import against_own_class, log_tables
from labelwright.models.convergence import convergence_warning
from labelwright.models.duplicate_lfs import copy_of
from labelwright.models.em_rounds import EMRounds
from labelwright.models.fit_warnings import fit_name, fit_warnings_wanted
from labelwright.models.held_votes import held_accuracy
from labelwright.models.learned_fields import Field
from labelwright.models.monotone import gold_shows_against
from labelwright.models.one_sided import gold_accuracy, one_sided, warn_without_gold
from labelwright.models.patterns import map_patterns
from labelwright.models.sparse_votes import (
    one_hot_votes,
    softmax_rows,
)

ABSTAIN_MODELS = ("ignore", "informative", "fit_only")
log = logging.getLogger(__name__)


class DawidSkene(LabelModel):
    """Dawid–Skene label model.

    Parameters
    ----------
    prior_accuracy, prior_strength
        Dirichlet prior on every confusion matrix, worth ``prior_strength`` votes of an LF
        that is right ``prior_accuracy`` of the time (errors spread evenly) and whose coverage
        does not depend on the class. Being counted in *votes*, it shrinks rarely-voting LFs
        toward ``prior_accuracy`` and barely moves LFs with thousands of votes; it also keeps
        EM away from degenerate solutions and from the label permutation (LFs start better
        than chance).
    abstain
        ``"ignore"``: abstains carry no information (``confusion_[j, y]`` is over votes only).
        An LF that votes a single class then votes it whatever the class, so its rows are
        held rather than fit: right as often as on the gold rows it votes on, shrunk toward
        ``prior_accuracy`` (see :mod:`~labelwright.models.one_sided`).
        ``"informative"``: abstaining is one more outcome whose rate may depend on the class
        (an LF that only ever votes "spam" says "probably ham" by abstaining).
        ``"fit_only"``: informative while fitting (so LFs that only vote one class are
        identifiable), ignored when predicting, as snorkel's ``LabelModel`` does: an item's
        probabilities depend only on the votes it got.
    learn_class_balance
        True: fit the class balance by EM. False: the class balance is ``class_balance`` if
        given, else the gold class balance (>= 20 gold rows), else the votes' (see
        ``balance_from_votes``), else uniform. ``"auto"`` (the default): as False, except
        that without a given or gold class balance, when at least three LFs vote two
        classes or more (:func:`~labelwright.models.class_prior.identifying_lfs`), EM fits
        the balance, kept if its largest class is the one those LFs vote most
        (:func:`~labelwright.models.class_prior.balance_agrees`; else the fit is redone as
        with False). Such LFs (classifiers, crowd workers) show the balance in their votes;
        at equal classes, EM bends their confusion matrices to fit a wrong balance (5
        generated classes 40% to 8%: 74.0% of the covered items right against majority
        vote's 74.6%, 78.1% learned; see ``benchmarks/multiclass_votes.py``).
    balance_from_votes
        Without a given or gold class balance and with three classes or more, take
        :func:`~labelwright.models.class_prior.votes_prior` when the majority vote's class
        shares are 3:1 or more apart (:func:`~labelwright.models.class_prior.uneven_votes_prior`):
        under equal classes a rare class's prior is many times its share, and EM fills it
        with a common class's items whose votes conflict. Two classes keep equal classes
        (measured: the votes' balance costs precise rules of a rare class there).
    max_iter, tol
        EM stops after ``max_iter`` rounds or when the mean log-likelihood changes < ``tol``.
    gold_weight
        Gold rows of ``y_dev`` enter EM with their posterior fixed to the gold class, each
        counting as ``gold_weight`` items.
    sample_rows
        With more distinct rows than this, EM first runs (at most
        :data:`~labelwright.models.em_rounds.SAMPLE_ROUNDS` rounds) on about this many rows
        drawn with ``random_state`` (plus every gold row),
        then on all rows until converged (up to ``max_iter`` rounds of its own), so the
        answer is the full-data fit's (within ``tol``). ``None`` (default): all rows from
        the start.
    n_threads
        Threads that fit blocks of rows in parallel (numpy and scipy release the GIL); the
        result does not depend on it. 1 = no thread pool.
    monotone
        A vote never counts against the class it votes for unless the gold rows show it
        does. In every M-step, no class's P(LF ``j`` votes ``v`` | class) may exceed class
        ``v``'s own for an LF that votes one class
        (:func:`~labelwright.models.monotone.monotone_counts`: the classes above it share
        one rate with it; :func:`~labelwright.models.monotone.unconstrained_votes` says
        which are left to EM): without
        it, a class could be fit to the items another LF votes a different label on, and a
        rare class whose only evidence is one precise LF lost its items (60,000 posts:
        ``self_harm`` 8.6% recall, its share taken by the items a "questions are ok" LF
        voted on; see :mod:`~labelwright.models.monotone`).
        Where the fitted model still does not read LF ``j``'s vote ``v`` as more likely on
        class ``v`` than elsewhere (the constraint held it down), that vote's evidence is
        held: an LF right ``prior_accuracy`` of the time, moved by
        the gold rows the vote was cast on (``held_accuracy_``, see
        :mod:`~labelwright.models.held_votes`).
        LFs are written to vote for their class; this is the assumption that also fixes the
        label permutation. Gold can lift it for one (LF, vote) pair, in the fit and after:
        see :func:`~labelwright.models.monotone.gold_shows_against` (a few gold rows
        elsewhere leave it in place).

    Defaults (``abstain="fit_only"``, ``learn_class_balance="auto"``): without gold, EM cannot
    tell a class balance from LF coverage when LFs vote one class each (keyword LFs do).
    Ignoring abstains leaves such LFs' accuracies unlearnable (they are held at the prior's
    or the gold rows'; fit, they had ended uninformative and a learned balance put every
    item in one class: WRENCH youtube 52.8% accuracy, the example project's tickets 35%). A
    balance learned with informative abstains stays sane in shape but can be
    far off (sms: 70% spam learned, ~13% true), and decides every item no LF voted on.
    Hence ``"auto"`` learns it only from LFs that vote several classes.

    Learned: ``confusion_`` (m, k, k+1) with column 0 = abstain (0 under ``"ignore"``) and
    column ``v+1`` = vote ``v``; ``class_balance_``; ``n_iter_`` (EM rounds: on the sample,
    then on all rows); ``log_likelihood_`` (mean over items, of the last full round);
    ``converged_`` (whether the full rounds stopped within ``tol`` before ``max_iter``; a
    fit that did not logs a warning; None in a model saved before it was recorded);
    ``prior_votes_`` (m, k) bool, the (LF, vote) pairs whose evidence is held (see
    ``monotone``), read at ``held_accuracy_`` (m, k), which counts ``held_reviews_`` (m, k)
    gold rows (``prior_accuracy`` and 0 in a model saved before they were recorded);
    ``balance_from_votes_``: whether the class balance is the votes' (see
    ``balance_from_votes``; False in a model saved before it was recorded);
    ``balance_learned_``: whether EM fit the class balance (``learn_class_balance``; False
    in a model saved before it was recorded); ``copy_of_``
    (m,) the first LF of each LF's group of exact copies: each copy's evidence weighs
    1/(copies in its group), in the fit and in ``predict_proba`` (see
    :mod:`~labelwright.models.duplicate_lfs`; none in a model saved before it was recorded).
    """

    name = "dawid_skene"
    learned_fields = {**LabelModel.learned_fields,
                      "confusion_": Field("distribution", ("m", "k", "k+1")),
                      "n_iter_": Field("whole"), "log_likelihood_": Field("number"),
                      "converged_": Field("bool", nullable=True),
                      "prior_votes_": Field("bool", ("m", "k")),
                      "held_accuracy_": Field("probability", ("m", "k")),
                      "held_reviews_": Field("whole", ("m", "k")),
                      "balance_from_votes_": Field("bool"),
                      "balance_learned_": Field("bool"),
                      "copy_of_": Field("whole", ("m",))}
    params_added_later = ("sample_rows", "monotone", "n_threads", "balance_from_votes")
    param_kinds = {"learn_class_balance": (bool, str)}  # true, false or "auto"
    #: what :func:`~labelwright.models.vote_blocks.blas_controller` imports on the first
    #: fit of a process (:meth:`prepare` also finds the BLAS libraries it controls)
    fit_imports = ("scipy.linalg",)
    confusion_: np.ndarray  # set by the fit's EM rounds (:mod:`em_rounds`)
    converged_: bool | None  # None: a model saved before it was recorded

    def __init__(self, cardinality: int = 2, *, random_state: int | None = 0,
                 tie_break: str = "random", prior_accuracy: float = 0.7,
                 prior_strength: float = 10.0,
                 abstain: str = "fit_only", learn_class_balance: bool | str = "auto",
                 max_iter: int = 100, tol: float = 1e-6, gold_weight: float = 1.0,
                 sample_rows: int | None = None, monotone: bool = True,
                 n_threads: int = 2, balance_from_votes: bool = True) -> None:
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break)
        self.prior_accuracy = prior_accuracy
        self.prior_strength = prior_strength
        self.abstain = abstain
        self.learn_class_balance = learn_class_balance
        self.max_iter = max_iter
        self.tol = tol
        self.gold_weight = gold_weight
        self.sample_rows = sample_rows
        self.monotone = monotone
        self.n_threads = n_threads
        self.balance_from_votes = balance_from_votes

    # -- tables ----------------------------------------------------------------------------
    def _tables(self) -> tuple[np.ndarray, np.ndarray]:
        """``(W, base)``, the fitted model's log tables
        (:func:`~labelwright.models.confusion_tables.log_tables`): abstains inform under
        ``"informative"`` only, and the held (LF, vote) pairs are read at their held
        accuracy."""
        return log_tables(self.confusion_, self.class_balance_,
                          informative=self.abstain == "informative",
                          copy_of=getattr(self, "copy_of_", None),
                          held=getattr(self, "prior_votes_", None),
                          held_accuracy=getattr(self, "held_accuracy_", None))

    def _check_params(self) -> None:
        self._require_number("prior_accuracy", 0.0, 1.0)
        for name in ("prior_strength", "gold_weight", "tol"):
            self._require_number(name, 0.0)
        for name in ("max_iter", "n_threads"):
            self._require_number(name, 1, whole=True)
        rows = self.sample_rows
        if rows is not None and (isinstance(rows, bool) or not isinstance(rows, numbers.Real)
                                 or not math.isfinite(rows) or rows < 0
                                 or float(rows) != int(rows)):
            raise ValueError(f"sample_rows must be None (off) or a whole number >= 0 (0: off), "
                             f"got {rows!r}")
        for name in ("monotone", "balance_from_votes"):
            self._require_bool(name)
        if not (isinstance(self.learn_class_balance, str)
                and self.learn_class_balance == "auto"):
            try:
                self._require_bool("learn_class_balance")
            except ValueError:
                raise ValueError(f"learn_class_balance must be true, false or 'auto', got "
                                 f"{self.learn_class_balance!r}") from None
        self._require_choice("abstain", ABSTAIN_MODELS)

    def prepare(self) -> Self:
        """:meth:`LabelModel.prepare`, and the BLAS libraries the EM rounds limit to one
        thread found (:func:`~labelwright.models.vote_blocks.blas_controller`, once per
        process): the bench's first dawid_skene-family fit had timed that setup too, about
        0.1-0.2 s, which no later fit pays."""
        super().prepare()
        vote_blocks.blas_controller()
        return self

    def _fit(self, L, y_dev, class_balance, rng):
        auto = isinstance(self.learn_class_balance, str)  # "auto", as _check_params allows
        self.copy_of_ = copy_of(L)  # before EM: each group of copies counts once
        lfs = None  # under "auto": the LFs whose votes the learned balance must agree with
        if auto and class_balance is None and gold_class_balance(
                y_dev, self.cardinality, MIN_GOLD_FOR_BALANCE) is None:
            lfs = identifying_lfs(L, self.copy_of_)
        learn = lfs is not None or (not auto and bool(self.learn_class_balance)
                                    and class_balance is None)
        # a fit that falls back starts from the generator's state, as without the try
        votes = self._fit_em(L, y_dev, class_balance,
                             rng if lfs is None else copy.deepcopy(rng), learn=learn)
        if lfs is not None and not balance_agrees(votes, lfs, self.class_balance_):
            log.info("learn_class_balance='auto': the learned class balance's largest class "
                     "is not the one the %d LFs voting several classes vote most; fit again "
                     "without learning it", len(lfs))
            # the refit does not repeat the first fit's warning
            self._fit_em(L, y_dev, class_balance, rng, learn=False, warn=False)
        self._warn_unconverged()

    def _warn_unconverged(self) -> None:
        """Log the fit's convergence warning, if any (once: of the fit that is kept)."""
        unconverged = convergence_warning(self)
        if unconverged and fit_warnings_wanted():  # which fit, when a block names it
            log.warning("%s%s", fit_name(), unconverged)

    def _fit_em(self, L: np.ndarray, y_dev: np.ndarray | None,
                class_balance: np.ndarray | None, rng: np.random.Generator,
                learn: bool, warn: bool = True) -> np.ndarray:
        """One fit by EM; ``learn``: the class balance is fit too (see
        ``learn_class_balance``); ``warn``: say that one-sided LFs are held without gold.
        Returns each LF's votes per class (m, k), counted on the first round over all rows
        (``learn_class_balance="auto"`` checks the learned balance against them)."""
        k = self.cardinality
        self.balance_learned_ = learn
        held = None
        if self.abstain == "ignore":
            lfs, classes = one_sided(L)
            if len(lfs):
                held = (lfs, classes, gold_accuracy(
                    L, y_dev, lfs, classes, self.prior_accuracy, self.prior_strength))
            if warn and (y_dev is None or not np.any(y_dev >= 0)) and fit_warnings_wanted():
                warn_without_gold(len(lfs), L.shape[1])
        given = class_balance is not None
        if class_balance is None:
            class_balance = gold_class_balance(y_dev, k, MIN_GOLD_FOR_BALANCE)
        self.balance_from_votes_ = False
        if class_balance is None and self.balance_from_votes and not learn:
            class_balance = uneven_votes_prior(L, k, copy_of=self.copy_of_)
            self.balance_from_votes_ = class_balance is not None
        self.class_balance_ = np.full(k, 1.0 / k) if class_balance is None else class_balance
        # the (LF, vote) pairs the gold rows show against their class: once per fit (the
        # constraint leaves them free, and they are not held after it); completed on EM's
        # first round, from each LF's votes (see unconstrained_votes)
        shown_against = gold_shows_against(L, y_dev, k) if self.monotone else None
        # how the prior's pseudo-votes fall on the classes (see dirichlet_prior)
        em = EMRounds(self, learn, spread=self.class_balance_ if given else np.full(k, 1.0 / k),
                      held=held, free=shown_against)
        rounds, more, ll, change, votes = em.fit(L, y_dev, rng)
        self.n_iter_ = rounds + more
        self.log_likelihood_ = ll
        self.converged_ = bool(change < self.tol)
        self.prior_votes_ = np.zeros((L.shape[1], k), dtype=bool)
        if shown_against is not None:
            held_down = np.zeros_like(self.prior_votes_) if em.bound is None else em.bound
            against = against_own_class(self._tables()[0], k)  # no vote held yet
            self.prior_votes_ = (against | held_down) & ~shown_against
        self.held_accuracy_, self.held_reviews_ = held_accuracy(
            L, y_dev, k, self.prior_accuracy, self.prior_strength)
        return votes

    def _fill_missing(self) -> None:
        if not hasattr(self, "converged_"):  # saved before it was recorded: not known
            self.converged_ = None
        if not hasattr(self, "balance_from_votes_"):  # saved before it was recorded
            self.balance_from_votes_ = False
        if not hasattr(self, "balance_learned_"):  # saved before it was recorded
            self.balance_learned_ = False
        if not hasattr(self, "copy_of_"):  # saved before copies were found: none
            self.copy_of_ = np.arange(self.confusion_.shape[0])
        m, k = int(self.n_lfs_), self.cardinality  # n_lfs_: checked before any field
        if not hasattr(self, "prior_votes_"):  # saved before the monotone rule: none replaced
            self.prior_votes_ = np.zeros((m, k), dtype=bool)
        if not hasattr(self, "held_accuracy_"):  # saved before reviews moved a held vote:
            self.held_accuracy_ = np.full((m, k), float(self.prior_accuracy))  # the prior's
        if not hasattr(self, "held_reviews_"):  # saved before it was recorded: none counted
            self.held_reviews_ = np.zeros((m, k), dtype=np.int64)

    # -- predict ---------------------------------------------------------------------------
    def _predict_proba(self, L):
        W, base = self._tables()

        def fn(votes: np.ndarray) -> np.ndarray:
            joint = one_hot_votes(votes, self.cardinality) @ W
            joint += base
            return softmax_rows(joint)[0]

        return map_patterns(L, fn, self.cardinality, chunk_rows=vote_blocks.BLOCK_ROWS)

    @property
    def accuracies_(self) -> np.ndarray:
        """P(vote is right | LF votes), per LF, under ``class_balance_``."""
        votes = self.confusion_[:, :, 1:]
        voted = votes.sum(axis=2)  # P(vote | y)
        right = np.einsum("jyy->jy", votes)
        p = self.class_balance_
        return (right * p).sum(axis=1) / np.maximum((voted * p).sum(axis=1), 1e-12)

