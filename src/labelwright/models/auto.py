"""``auto``: choose the label model and its settings by cross-validation on gold rows.

With gold (``y_dev`` >= 0 on enough rows), every candidate (model name + hyperparameters)
is scored by stratified k-fold over the gold rows: each fold fits the candidate on all of
``L`` with the other folds' gold as ``y_dev`` (so gold is also used inside the fit: class
balance, gold-clamped EM posteriors, gold LF accuracies) and scores the held-out gold rows.
The default model (and each of an explicit ``candidates`` list) is also scored fit without
the gold rows (one fit, which no fold's gold is in), in the same folds: gold rows as known
labels inside a fit can make it worse (500 random gold headlines moved the default model
from 76.9% to 74.3% on the other items, before
:func:`~labelwright.models.monotone.gold_shows_against` asked for more than a larger
share), and nothing else compared the two. Every built-in candidate scored both ways made
34 to choose from: on UCI YouTube (150 gold rows) one of them beat the default model in 96%
of bootstrap resamples by chance, and accuracy on test fell from 90.75% to 86.5%. The best
mean score wins; it is refit on all gold, or without it (``chosen_["gold_in_fit"]``). Its
out-of-fold probabilities then fit a calibration, so a probability of 0.9 means right about
9 times in 10 (:mod:`~labelwright.models.chosen_calibration`: it changes the model's own
labels only where its decisions beat them out-of-fold), and per-class decision weights
(``decision_weights_``) maximising ``scoring``: ``predict`` is the argmax of
``decision_weights_`` times the probabilities -- for F1-type scores the best decision is not
always the most probable class (:mod:`~labelwright.models.decisions`). Where a weight moves
a label off the most probable class, :meth:`predict_proba` trades the two classes'
probabilities, so ``predict`` is always the argmax of ``predict_proba`` (bar ties).

Gold rows that are not a random sample of the items (the head of a review queue; see
:mod:`~labelwright.models.gold_sample`; checked from 20 gold rows on) are known labels
inside the default model's fit and nothing more: no choice (explicit ``candidates``
included), calibration or decision weights, and a class balance post-stratified to all
items unless one is given (``gold_sample_`` holds the check).

Gold rows known to be drawn at random (``fit(..., sampled=mask)``: reviews of a run's
random sample, ``labelwright review export --sample``) need no check. With at least
``min_gold`` of them (``n_splits`` per class), the choice, calibration and decision weights
come from them alone; the other gold rows stay in every fit as known labels, and the class
balance counts those as themselves and post-stratifies the sampled rows' mix to every other
item (estimated once from all sampled rows, so the CV fits see a balance their held-out
rows helped estimate). That balance is itself a choice: the model is chosen at it, at the
votes' and at equal classes, and another balance replaces the reviews' only if its model
scores higher over the sampled rows' folds and beats the reviews' in >= 95% of bootstrap
resamples (``gold_sample_["balance_choice"]``; :mod:`~labelwright.models.balance_choice`).
So a reviewer can work through the queue head and a random sample, and both count. With
fewer (a rare class short of ``n_splits``), every gold row is a known label in the default
model's fit, the other gold rows are still the queue's and never taken for random, and the
class balance is the votes' for each class the sample does not show it wrong for (no CV can
check it: :func:`~labelwright.models.short_sample.sample_against_votes`).
:mod:`~labelwright.models.gold_use` decides which case applies.

No test data is involved: everything is chosen on the gold rows of ``y_dev``. Without gold
(fewer than ``min_gold`` rows, or fewer than ``n_splits`` per class), ``auto`` is the default
model, and ``chosen_["reason"]`` says so.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from typing import Any, Self

import numpy as np

from labelwright.models.balance_choice import Choice, balance_reason, choose_balance
from labelwright.models.balance_notes import balance_from_sample, missing_labels_warning
from labelwright.models.base import LabelModel
from labelwright.models.calibration import Calibrator
from labelwright.models.calibration_document import temperature_calibration
from labelwright.models.candidate_choice import (
    CANDIDATES,
    CandidateSearch,
    check_candidates,
    cv_rows,
    scored_where,
    tried_candidates,
)
from labelwright.models.chosen_calibration import calibrate_chosen, calibrated_probabilities
from labelwright.models.decisions import (
    DecisionRules,
    decided_on_top,
    weighted,
)
from labelwright.models.default_fit import default_fit_proba
from labelwright.models.document import check_document, plain
from labelwright.models.fit_warnings import fit_named, fit_warnings_wanted
from labelwright.models.folds import stratified_folds
from labelwright.models.gold_use import GoldPolicy
from labelwright.models.input_warnings import inputs_said_elsewhere
from labelwright.models.inputs import check_label_matrix, check_sampled
from labelwright.models.learned_fields import Field
from labelwright.models.metrics import check_scoring
from labelwright.models.registry import (
    DEFAULT_MODEL,
    DEFAULT_PARAMS,
    get_model,
    model_from_dict,
)
from labelwright.models.row_names import GOLD_ROWS, REVIEWED_LABELS, RowNames
from labelwright.models.ties import break_ties

log = logging.getLogger(__name__)
#: the cross-validation fits see every gold row plus at most this many other rows (drawn
#: with ``random_state``); the chosen model is refit on all rows
CV_ROWS = 200_000


class AutoLabelModel(LabelModel):
    """Label model chosen by cross-validated ``scoring`` on gold rows (see module docstring).

    Learned: ``chosen_`` ({"model", "params", "reason", "gold_in_fit", "all_params"}:
    ``params``, the settings auto gave the candidate; ``gold_in_fit``, whether the gold
    rows are known labels inside its fit, missing in a model saved before: they were;
    ``all_params``, every setting of the model fit, its defaults included, so that a run
    naming that model later is compared with it setting by setting; missing in a model
    saved before),
    ``cv_scores_`` (one record per candidate and way of fitting: model, params,
    gold_in_fit, mean score, fold scores; a fit without gold is left out where it scores
    the gold rows as the fit with them does), ``model_`` (the refit model),
    ``calibration_`` (:meth:`Calibrator.to_dict`: method, temperature, biases),
    ``temperature_`` (the calibration's temperature; 1.0 = not calibrated),
    ``decision_weights_``, ``decide_on_`` (``"model"``: ``predict`` weighs the chosen model's
    own probabilities at the calibration's temperature, which keeps their argmax;
    ``"calibrated"``: the calibrated ones), ``gold_sample_``
    (:meth:`~labelwright.models.gold_sample.GoldSample.to_dict` of the gold rows' check;
    None when there were too few gold rows to use), ``calibration_rows_`` (the rows of ``L``
    whose gold the calibration was fit on, in order; None when none was fit: a run's
    manifest records their ids and labels' hash, ``calibration.gold``).

    ``max_iter``: EM rounds at most of every ``dawid_skene`` it fits (the default model's and
    the candidates', unless a candidate's settings say otherwise); None: dawid_skene's own
    default.
    """

    name = "auto"
    learned_fields = {**LabelModel.learned_fields, "chosen_": Field("object"),
                      "cv_scores_": Field("list"), "calibration_": Field("object"),
                      "temperature_": Field("positive"),
                      "decision_weights_": Field("positive", ("k",)),
                      "decide_on_": Field("text"), "gold_sample_": Field("object", nullable=True),
                      "calibration_rows_": Field("list", nullable=True)}
    gold_sample_: dict[str, Any] | None
    params_added_later = ("max_iter",)
    #: cross-validation folds, the calibrator's optimiser and its confidence map
    fit_imports = ("sklearn.model_selection", "scipy.optimize", "sklearn.isotonic")

    def __init__(self, cardinality: int = 2, *, random_state: int | None = 0,
                 tie_break: str = "random", scoring: str = "macro_f1", n_splits: int = 5,
                 min_gold: int = 20, calibrate: bool = True, tune_decision: bool = True,
                 candidates: list[list[Any]] | None = None,
                 max_iter: int | None = None) -> None:
        super().__init__(cardinality, random_state=random_state, tie_break=tie_break)
        self.scoring = scoring
        self.n_splits = n_splits
        self.min_gold = min_gold
        self.calibrate = calibrate
        self.tune_decision = tune_decision
        self.candidates = candidates
        self.max_iter = max_iter

    def prepare(self) -> Self:
        """:meth:`LabelModel.prepare` for ``auto`` and for every candidate it may fit."""
        self.check_params()
        super().prepare()
        for name, params in self.candidates or CANDIDATES:
            self._make(name, dict(params)).prepare()
        return self

    def _gold_policy(self) -> GoldPolicy:
        """The rules for what the gold rows may do, with the default model to estimate class
        balances (fit on at most :data:`CV_ROWS` rows)."""
        fit_proba = default_fit_proba(self.cardinality, self.random_state, self.tie_break,
                                      max_iter=self.max_iter)
        return GoldPolicy(self.cardinality, self.min_gold, self.n_splits, self._seed(),
                          fit_proba, max_rows=CV_ROWS, names=self._row_names(),
                          labels=getattr(self, "_labels", None))

    def _row_names(self) -> RowNames:
        """What the reasons call the gold rows (:meth:`fit`'s ``reviewed``)."""
        names: RowNames = getattr(self, "_names", GOLD_ROWS)
        return names

    def _make(self, name: str, params: dict[str, Any]) -> LabelModel:
        if name == "dawid_skene" and self.max_iter is not None:
            params = {"max_iter": self.max_iter, **params}
        return get_model(name, self.cardinality, random_state=self.random_state,
                         tie_break=self.tie_break, **params)

    def fit(self, L: Any, *, y_dev: Any = None, class_balance: Any = None,
            sampled: Any = None, reviewed: bool = False, sample_unsettled: int = 0,
            labels: Sequence[str] | None = None, names: RowNames | None = None) -> Self:
        """:meth:`LabelModel.fit`, plus ``sampled``: a bool per row, True for gold rows drawn
        at random from the items (reviews of a run's random sample). When other gold rows
        sit beside at least ``min_gold`` of them, the model is chosen, calibrated and tuned
        on the sampled rows alone, and the others are known labels (module docstring).

        ``reviewed``: ``y_dev`` holds reviewed labels (a project's run), and
        ``chosen_["reason"]`` calls them so rather than gold rows; nothing else changes.
        ``sample_unsettled``: how many items of the random sample were reviewed but have no
        label in ``y_dev`` (raters tied, or awaiting adjudication); a sample that does not
        look random is then said to lack those, not to have had hard items skipped.
        ``labels``: the classes' names, for a reason that names the classes short of gold.
        ``names``: what the reasons call the gold rows and how they name the ``n_splits``
        setting, in place of the ones ``reviewed`` picks (the WRENCH bench passes
        :data:`~labelwright.models.row_names.BENCH_GOLD_ROWS`: it has no such setting).
        """
        self._sampled = sampled
        self._unsettled = sample_unsettled
        self._names = names or (REVIEWED_LABELS if reviewed else GOLD_ROWS)
        self._labels = labels
        try:
            return super().fit(L, y_dev=y_dev, class_balance=class_balance)
        finally:
            del self._sampled, self._names, self._unsettled, self._labels

    def _check_params(self) -> None:
        self._require_number("n_splits", 2, whole=True)
        self._require_number("min_gold", 1, whole=True)
        if self.max_iter is not None:
            self._require_number("max_iter", 1, whole=True)
        check_scoring(self.scoring, self.cardinality)
        check_candidates(self.candidates, self.cardinality)

    def _fit(self, L, y_dev, class_balance, rng):
        k = self.cardinality
        gold_rows = np.flatnonzero(y_dev >= 0) if y_dev is not None else np.array([], int)
        sampled = check_sampled(getattr(self, "_sampled", None), len(L))
        self.temperature_ = 1.0
        self.calibration_: dict[str, Any] = temperature_calibration(k)
        self.calibration_rows_: list[int] | None = None
        self.decision_weights_ = np.ones(k)
        self.decide_on_ = "model"
        self.cv_scores_: list[dict[str, Any]] = []
        given_balance = class_balance
        use = self._gold_policy().decide(L, y_dev, gold_rows, sampled, class_balance,
                                         unsettled=getattr(self, "_unsettled", 0))
        scored, class_balance, reason = use.scored, use.class_balance, use.reason
        self.gold_sample_ = use.record
        if reason is not None:
            self.model_ = self._make(DEFAULT_MODEL, dict(DEFAULT_PARAMS))
            with inputs_said_elsewhere(), fit_named(f"auto's {DEFAULT_MODEL}, fit on all "
                                                    "items"):  # auto's own fit says them, once
                self.model_.fit(L, y_dev=y_dev, class_balance=class_balance)
            self.chosen_ = {"model": DEFAULT_MODEL, "params": dict(DEFAULT_PARAMS),
                            "reason": reason, "gold_in_fit": True,
                            "all_params": plain(self.model_.get_params())}
            self.class_balance_ = self.model_.class_balance_
            self._warn_missing_labels()
            return
        y_gold = y_dev[scored]
        seed = int(rng.integers(2**31 - 1))
        folds = stratified_folds(self.n_splits, y_gold, seed)
        L_cv, y_cv, scored_cv = cv_rows(L, y_dev, gold_rows, scored, rng, most=CV_ROWS)
        names = self._row_names()
        where = scored_where(names, len(scored), len(gold_rows))
        candidates = tried_candidates(self.candidates, L)
        if self.candidates is None:  # the default model is the one to beat
            candidates = [(DEFAULT_MODEL, dict(DEFAULT_PARAMS)), *candidates]

        rules = DecisionRules(self.scoring, k, self._decide)
        search = CandidateSearch(candidates, explicit=self.candidates is not None,
                                 make=self._make, rules=rules, L_cv=L_cv, y_cv=y_cv,
                                 scored_cv=scored_cv, scored=scored, y_gold=y_gold,
                                 folds=folds, where=where, names=names, rng=rng)

        if given_balance is None and balance_from_sample(use.record):
            def wins(a: Choice, b: Choice) -> float:
                return rules.bootstrap_wins(a.oof, b.oof, y_gold, rng,
                                            pred=self._decide(a.oof, scored),
                                            base=self._decide(b.oof, scored))

            class_balance, chosen, balance_record = choose_balance(
                L, class_balance, search.choose,
                partial(rules.decided_score, y_gold=y_gold, rows=scored, folds=folds,
                        seed=seed, n_splits=self.n_splits, tune=self.tune_decision),
                wins, cardinality=self.cardinality, scoring=self.scoring)
            self.gold_sample_ = {**(use.record or {}), "balance_choice": balance_record}
            reason = chosen.reason + balance_reason(balance_record)
        else:
            chosen = search.choose(class_balance)
            reason = chosen.reason
        best, best_oof = chosen.best, chosen.oof
        self.cv_scores_ = chosen.cv_scores
        gold_in_fit = bool(best.get("gold_in_fit", True))
        self.model_ = self._make(best["model"], best["params"])
        self.chosen_ = {"model": best["model"], "params": best["params"], "reason": reason,
                        "gold_in_fit": gold_in_fit, "all_params": plain(self.model_.get_params())}
        with inputs_said_elsewhere(), fit_named(f"auto's chosen {best['model']}, refit on "
                                                "all items"):  # auto's own fit says them, once
            self.model_.fit(L, y_dev=y_dev if gold_in_fit else None,
                            class_balance=class_balance)
        self.class_balance_ = self.model_.class_balance_
        if self.calibrate:
            fitted = calibrate_chosen(best_oof, y_gold, scored, L[scored], rules, seed=seed,
                                      rng=rng)
            self.calibration_, self.temperature_ = fitted.calibration, fitted.temperature
            self.calibration_rows_ = [int(row) for row in scored]
            self.decide_on_, best_oof = fitted.decide_on, fitted.oof
        if self.tune_decision:
            self.decision_weights_ = rules.checked_weights(best_oof, y_gold, scored,
                                                           n_splits=self.n_splits, seed=seed)

    def _warn_missing_labels(self) -> None:
        """Log :func:`~labelwright.models.balance_notes.missing_labels_warning`, if any (a
        project's run gives it among its warnings instead)."""
        labels = getattr(self, "_labels", None) or [f"class {c}"
                                                    for c in range(self.cardinality)]
        said = missing_labels_warning(self.gold_sample_, self.class_balance_, labels)
        if said and fit_warnings_wanted():
            log.warning("%s", said)

    def _decide(self, probs: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Labels of the gold rows ``rows`` (their indices in the label matrix) from
        ``probs``, ties broken as :meth:`predict` breaks them there: choosing or tuning by
        another rule scores decisions that predict does not make (with majority vote's
        many exact ties, tie-break "first" had scored 0.84 accuracy in CV where predict
        reached 0.79)."""
        return break_ties(probs, self.tie_break, self._seed(), row_ids=rows)

    def _probabilities(self, L: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The calibrated probabilities of ``L``, and those the decision weights weigh (the
        chosen model's own at the calibration's temperature, or the calibrated ones)."""
        return calibrated_probabilities(self.model_.predict_proba(L), np.asarray(L),
                                        self.calibration_, decide_on=self.decide_on_,
                                        temperature=self.temperature_)

    def _predict_proba(self, L):
        probs, decide = self._probabilities(L)
        if np.all(self.decision_weights_ == 1.0):
            return probs
        # a label a decision weight moved off the most probable class is on top too
        return decided_on_top(probs, weighted(decide, self.decision_weights_))

    def _fill_missing(self) -> None:
        if not hasattr(self, "calibration_"):  # saved when auto calibrated by temperature only
            self.calibration_ = temperature_calibration(self.cardinality, self.temperature_)
        if not hasattr(self, "decide_on_"):  # saved when predictions were always calibrated
            self.decide_on_ = "calibrated"
        if not hasattr(self, "gold_sample_"):  # saved before the gold rows were checked
            self.gold_sample_ = None
        if not hasattr(self, "calibration_rows_"):  # saved before they were kept
            self.calibration_rows_ = None

    def learned_accuracies(self) -> np.ndarray | None:
        """The chosen model's (:meth:`LabelModel.learned_accuracies`)."""
        self._check_fitted()
        return self.model_.learned_accuracies()

    def predict(self, L: Any, *, row_ids: Any = None) -> np.ndarray:
        self._check_fitted()
        if self.decide_on_ == "model" and np.all(self.decision_weights_ == 1.0):
            # the model's own labels
            return break_ties(self.model_.predict_proba(L), self.tie_break, self._seed(),
                              row_ids)
        _, probs = self._probabilities(check_label_matrix(L, self.cardinality))
        return break_ties(weighted(probs, self.decision_weights_), self.tie_break,
                          self._seed(), row_ids)

    # -- save / load: the refit model is stored as a nested document --------------------
    def to_dict(self) -> dict[str, Any]:
        doc = super().to_dict()
        doc["learned"]["model_"] = self.model_.to_dict()
        return doc

    @classmethod
    def _from_dict(cls, doc: dict[str, Any]) -> Self:
        inner = dict(doc.get("learned") or {})
        if "model_" not in inner:
            raise ValueError("label model document: auto's learned field model_ missing")
        nested = inner.pop("model_")
        model = super()._from_dict({**doc, "learned": inner})
        check_document(nested, "label model document: auto's model_")
        model.model_ = model_from_dict(nested, "label model document: auto's model_")
        if model.model_.cardinality != model.cardinality:
            raise ValueError(f"label model document: auto's model_ has "
                             f"{model.model_.cardinality} classes, auto {model.cardinality}")
        if model.decide_on_ not in ("model", "calibrated"):
            raise ValueError(f"label model document: decide_on_ {model.decide_on_!r}; valid: "
                             "model, calibrated")
        try:  # temperature_, decision_weights_ and the kinds: checked by learned_fields
            Calibrator.from_dict(model.calibration_)
        except (KeyError, TypeError, ValueError) as exc:
            detail = f"field {exc} missing" if isinstance(exc, KeyError) else str(exc)
            raise ValueError(f"label model document: calibration_: {detail}") from None
        if model.model_.n_lfs_ != model.n_lfs_:
            raise ValueError(f"label model document: auto's model_ has {model.model_.n_lfs_} "
                             f"LFs, auto {model.n_lfs_}")
        super(AutoLabelModel, model)._check_learned()
        return model

    def _check_learned(self) -> None:
        pass  # checked by from_dict once model_ is in place
