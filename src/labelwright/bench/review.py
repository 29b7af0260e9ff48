"""Review measurements on WRENCH data: ranking strategies, calibration, the end model.

For ``labelwright bench wrench``'s ``--ranking`` (the default): how much of the
:data:`RANKED_MODEL` label model's test errors each review ranking puts in its first 10% /
20% of items (``catch10`` / ``catch20``), its test ECE after a calibrator fit on the valid
labels, and the test accuracy of end models trained on label models' output. Datasets and
label-model fits come from :mod:`labelwright.bench.wrench`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import partial
from typing import Any

import numpy as np

from labelwright.bench.wrench import fit_data
from labelwright.bench.wrench_folders import WrenchDataset
from labelwright.models import ece, get_model
from labelwright.models.metrics import accuracy
from labelwright.models.ties import break_ties
from labelwright.review.feedback.shown_labels import NO_LABEL, NOT_KNOWN

#: ranking strategies measured by :func:`evaluate_ranking` ("cleanlab" only when the
#: optional cleanlab package is installed)
RANKINGS = ("confidence", "conflicts", "end_model", "cleanlab", "combined", "random")
RANKED_MODEL = "default"  # the model whose errors the rankings are measured on
#: with gold (``gold="valid"``) also measured on this one: what a project with reviewed
#: labels runs
RANKED_WITH_GOLD = "auto"


def is_ranked(model_name: str, gold: str) -> bool:
    """Whether ``labelwright bench wrench`` measures review rankings on this model's errors."""
    return model_name == RANKED_MODEL or (model_name == RANKED_WITH_GOLD and gold == "valid")


@dataclass
class RankingRecord:
    """How much of the label model's test errors one ranking puts in its first 10% / 20%."""

    dataset: str
    model: str
    gold: str
    ranking: str
    catch10: float
    catch20: float
    errors: int  # label-model errors on test
    items: int  # test items
    catch10_max: float  # best possible: min(100, 10% of items / errors)
    catch20_max: float
    weights_source: str  # "default" weights, or learned on "reviewed" (valid) items
    tie_break: str  # of the label model's predictions, whose errors are ranked
    random_state: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def catch_share(score: np.ndarray, wrong: np.ndarray, share: float) -> float:
    """Percent of ``wrong`` items among the top ``share`` of items by ``score`` (ties: index)."""
    n = len(score)
    if not wrong.any():
        return 100.0
    top = np.lexsort((np.arange(n), -np.asarray(score)))[: int(round(share * n))]
    return round(100 * float(wrong[top].sum()) / float(wrong.sum()), 2)


def strategy_scores(result: Any, seed: int) -> dict[str, np.ndarray]:
    """Scores of every strategy in :data:`RANKINGS` from a ``RankResult``."""
    sig = result.signals
    n = len(result.score)
    scores = {
        "confidence": sig["uncertainty"],
        # conflict share first; among equal conflict, least confident first
        "conflicts": sig["conflict"] + 1e-3 * sig["uncertainty"],
        "end_model": sig["end_model_disagrees"],
        "cleanlab": sig.get("cleanlab"),
        "combined": result.score,
        "random": np.random.default_rng(seed).random(n),
    }
    return {name: scores[name] for name in RANKINGS if scores[name] is not None}


def end_model_accuracy(ds: WrenchDataset, train_probs: np.ndarray, *,
                       random_state: int = 0) -> float | None:
    """Test accuracy (%) of the end model trained on train texts + ``train_probs``
    (covered train items only). ``None`` without train.json, texts or a covered train
    item."""
    from labelwright.end_model.model import EndModel

    if ds.train is None or not any(ds.train.texts):
        return None
    covered = np.asarray((ds.train.L >= 0).any(axis=1), dtype=bool)
    if not covered.any():
        return None
    model = EndModel([str(c) for c in range(ds.cardinality)], random_state=random_state)
    model.fit([t for t, c in zip(ds.train.texts, covered) if c], train_probs[covered])
    return round(100 * accuracy(ds.test.y, model.predict(ds.test.texts)), 2)


def _before_review(ds: WrenchDataset, parts: list[Any], L_fit: np.ndarray, model_name: str,
                   k: int, *, tie_break: str, random_state: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """The valid items' labels and probabilities before their review: ``model_name`` fit on
    the same votes without the valid labels, as a project's first round exports them
    (:mod:`labelwright.review.ranking.shown`): -1 (no label) on a valid item no LF voted on
    or left tied, as :func:`labelwright.project.fit_and_triage.rank_items` gives it; -2 (not
    known) on the other rows."""
    unseen = get_model(model_name, k, random_state=random_state, tie_break=tie_break)
    unseen.fit(L_fit)
    shown, shown_probs = [], []
    for part in parts:
        votes = part.L
        if part is ds.valid:
            probs = unseen.predict_proba(votes)
            pred = unseen.predict(votes)
            # as a project exports it: no label where no LF voted or a tie stayed unbroken
            covered = (votes >= 0).any(axis=1)
            shown.append(np.where(covered & (pred >= 0), pred, NO_LABEL))
            shown_probs.append(probs)
        else:
            shown.append(np.full(len(part.ids), NOT_KNOWN))
            shown_probs.append(np.full((len(part.ids), k), np.nan))
    return np.concatenate(shown), np.vstack(shown_probs)


def evaluate_ranking(ds: WrenchDataset, gold: str, *, tie_break: str = "random",
                     random_state: int = 0, model_name: str = RANKED_MODEL
                     ) -> tuple[dict[str, Any], list[RankingRecord]]:
    """Review-ranking measurements of ``model_name`` on ``ds`` (module-level protocol).

    * The pool a project would rank is train + test items (+ valid with ``gold="valid"``,
      whose labels are the reviewed gold that fits the combined weights, learned on the
      labels a fit without them gives them, as a project's reviewers are shown:
      :func:`_before_review`). The label model is
      fit as in :func:`evaluate`; :func:`labelwright.review.ranking.rank.rank_queue` scores the pool
      (out-of-fold end model); only test items are scored against gold.
    * An error is a test item whose predicted label (with ``tie_break``, the test split
      predicted on its own as in :func:`evaluate`) is not its gold label.
    * ``ece_calibrated``: test ECE after a :class:`~labelwright.models.calibration.Calibrator`
      (chosen by cross-validation, ``calibration`` names the method; ``confidence_map`` and
      ``no_vote_shares`` say whether each follows it) fit on the valid items'
      probabilities -- see :func:`calibration_extras`.
    * ``end_model_accuracy``: see :func:`end_model_accuracy`.

    Returns the extra keys of the model's JSON line and one record per ranking strategy.
    """
    from labelwright.review.ranking.rank import rank_queue

    k = ds.cardinality
    L_fit, y_dev = fit_data(ds, gold)
    model = get_model(model_name, k, random_state=random_state, tie_break=tie_break)
    model.fit(L_fit, y_dev=y_dev)
    parts = [s for s in (ds.train, ds.valid if gold == "valid" else None) if s is not None]
    parts.append(ds.test)
    L = np.vstack([s.L for s in parts])
    texts = [t for s in parts for t in (s.texts or [""] * len(s.ids))]
    probs = model.predict_proba(L)
    # each split predicted on its own, so ties break as in evaluate() (the ``random``
    # tie-break hashes the row index: stacked, test rows would get other coin flips)
    pred = np.concatenate([model.predict(s.L) for s in parts])
    reviewed = shown = shown_probs = None
    if gold == "valid" and ds.valid is not None:
        reviewed = np.concatenate([np.full(len(s.ids), -1) if s is not ds.valid else s.y
                                   for s in parts])
        shown, shown_probs = _before_review(ds, parts, L_fit, model_name, k,
                                            tie_break=tie_break, random_state=random_state)
    result = rank_queue(probs, L, texts, seed=random_state, reviewed_gold=reviewed,
                        label=np.where(pred >= 0, pred, probs.argmax(axis=1)),
                        shown_label=shown, shown_probs=shown_probs)
    n_test = len(ds.test.ids)
    test_rows = slice(len(L) - n_test, len(L))
    wrong = pred[test_rows] != ds.test.y
    records = []
    for name, score in strategy_scores(result, random_state).items():
        records.append(RankingRecord(
            dataset=ds.name, model=model_name, gold=gold, ranking=name,
            catch10=catch_share(score[test_rows], wrong, 0.1),
            catch20=catch_share(score[test_rows], wrong, 0.2),
            errors=int(wrong.sum()), items=n_test,
            catch10_max=_best(0.1, n_test, wrong), catch20_max=_best(0.2, n_test, wrong),
            weights_source=result.weights_source, tie_break=tie_break,
            random_state=random_state,
        ))
    combined = next(r for r in records if r.ranking == "combined")
    extras: dict[str, Any] = {"ranking": "combined", "catch10": combined.catch10,
                              "catch20": combined.catch20}
    # null, not absent, without valid.json or train.json: a JSON reader finds every key
    # on every such line
    extras.update(calibration_extras(ds, gold, model, tie_break=tie_break,
                                     random_state=random_state, model_name=model_name)
                  if ds.valid is not None else dict.fromkeys(CALIBRATION_KEYS))
    extras["end_model_accuracy"] = None if ds.train is None else end_model_accuracy(
        ds, model.predict_proba(ds.train.L), random_state=random_state)
    return extras, records


def valid_proba_out_of_fold(ds: WrenchDataset, model_name: str, *, n_splits: int = 5,
                            tie_break: str = "random", random_state: int = 0) -> np.ndarray:
    """Label-model probabilities of the valid items as in ``gold="valid"``, but each from a
    fit that did not see that item's valid label (stratified ``n_splits`` folds, fewer if
    a class has fewer items; each item held out alone if no class has two, as in a
    valid.json of one item, which stratified folds cannot split)."""
    from labelwright.models.folds import held_out_proba, stratified_folds

    assert ds.valid is not None
    L_fit, y_dev = fit_data(ds, "valid")
    assert y_dev is not None
    valid_rows = np.arange(len(L_fit) - len(ds.valid.y), len(L_fit))
    counts = np.bincount(ds.valid.y, minlength=ds.cardinality)
    if counts.max() < 2:
        items = np.arange(len(ds.valid.y))
        folds = [(np.delete(items, i), items[i:i + 1]) for i in items]
    else:
        splits = max(2, min(n_splits, int(counts[counts > 0].min())))
        folds = stratified_folds(splits, ds.valid.y, random_state)
    return held_out_proba(partial(get_model, model_name, ds.cardinality,
                                  random_state=random_state, tie_break=tie_break),
                          L_fit, y_dev, valid_rows, folds)


#: the keys :func:`calibration_extras` gives (null on a dataset without valid.json)
CALIBRATION_KEYS = ("ece_calibrated", "calibration", "confidence_map", "no_vote_shares")


def calibration_extras(ds: WrenchDataset, gold: str, model: Any, *, tie_break: str = "random",
                       random_state: int = 0, model_name: str = RANKED_MODEL
                       ) -> dict[str, Any]:
    """``ece_calibrated`` (test ECE, %), ``calibration`` (the chosen method),
    ``confidence_map`` and ``no_vote_shares`` (whether each follows it) of a
    :class:`~labelwright.models.calibration.Calibrator` fit on the valid items.

    With ``gold="none"`` the valid items' probabilities come from ``model`` (which never saw
    their labels); with ``gold="valid"`` the model was fit on those labels, so they come
    from :func:`valid_proba_out_of_fold` instead -- calibrating on probabilities of labels the
    model has seen would judge it on its training data.
    """
    from labelwright.models.calibration import Calibrator

    assert ds.valid is not None
    if gold == "valid":
        valid_probs = valid_proba_out_of_fold(ds, model_name, tie_break=tie_break,
                                              random_state=random_state)
    else:
        valid_probs = model.predict_proba(ds.valid.L)
    calibrator = Calibrator(random_state=random_state).fit(valid_probs, ds.valid.y,
                                                           votes=np.asarray(ds.valid.L))
    test_probs = calibrator.transform(model.predict_proba(ds.test.L),
                                      votes=np.asarray(ds.test.L))
    # the calibrated labels, ties broken as the model's own (the ECE before calibration is
    # of those, as accuracy is)
    pred = break_ties(test_probs, tie_break, random_state)
    return dict(zip(CALIBRATION_KEYS, (round(100 * ece(test_probs, ds.test.y, pred=pred), 2),
                                       calibrator.method_,
                                       calibrator.confidence_map_ is not None,
                                       calibrator.no_vote_shares_)))


def _best(share: float, n: int, wrong: np.ndarray) -> float:
    if not wrong.any():
        return 100.0
    return round(min(100.0, 100 * int(round(share * n)) / float(wrong.sum())), 2)


def end_model_extras(ds: WrenchDataset, model_name: str, gold: str, *,
                     tie_break: str = "random", random_state: int = 0) -> dict[str, Any]:
    """``{"end_model_accuracy": ...}`` for a model other than :data:`RANKED_MODEL`, to
    compare end models trained on different label models' output (None without train)."""
    if ds.train is None:
        return {"end_model_accuracy": None}
    L_fit, y_dev = fit_data(ds, gold)
    model = get_model(model_name, ds.cardinality, random_state=random_state,
                      tie_break=tie_break).fit(L_fit, y_dev=y_dev)
    return {"end_model_accuracy": end_model_accuracy(ds, model.predict_proba(ds.train.L),
                                                     random_state=random_state)}
