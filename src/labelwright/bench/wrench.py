"""Benchmark label models on WRENCH datasets (Zhang et al., NeurIPS 2021 D&B track).

A WRENCH folder holds ``train.json``, ``valid.json``, ``test.json`` (each maps an item id to
``{"label": int, "weak_labels": [int, ...], "data": {...}}``, -1 = abstain) and
``label.json`` (class index -> name). Only ``test.json`` and ``label.json`` are required:
without ``train.json`` models are fit on the test votes (transductive), without
``valid.json`` there is no ``gold="valid"`` run.

Protocol, per dataset and model:

* ``gold="none"``: fit on the train label matrix without gold.
* ``gold="valid"``: fit on train + valid stacked, ``y_dev`` = -1 on train rows and the
  valid label on valid rows (so ``auto`` cross-validates on the valid rows only).
* Score on test: accuracy, macro-F1, F1 of class 1 (binary sets only), ECE (10 bins);
  all in percent, rounded to two decimals. Ties are broken by ``tie_break`` (default
  ``"random"``, snorkel's row-index hash: the policy behind WRENCH's published numbers).
* ``fit_seconds``: wall-clock time of ``fit``; ``peak_rss_mb``: peak of memory allocated
  during a second, identical ``fit`` traced with :mod:`tracemalloc` (Python and numpy
  allocations; memory allocated by torch inside snorkel is *not* traced).

If the folder has ``labeled_ids.json`` (WRENCH's sms release appends labeled dev rows to
``train.json``), those rows are dropped from train to get the paper's setting; the dataset's
``notes`` say so.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.errors import DataError
from labelwright.models import ece, get_model
from labelwright.models.metrics import accuracy, binary_f1, macro_f1

BENCH_MODELS = ("majority", "weighted_majority", "snorkel", "dawid_skene", "triplet",
                "default", "auto")
GOLD_SETTINGS = ("none", "valid")


class WrenchFormatError(DataError, ValueError):
    """A WRENCH folder or file is missing or malformed; the message names the file."""


@dataclass
class Split:
    L: np.ndarray
    y: np.ndarray
    ids: list[str]
    texts: list[str] = field(default_factory=list)  # data.text per item ("" when absent)


@dataclass
class WrenchDataset:
    name: str
    classes: list[str]
    train: Split | None
    valid: Split | None
    test: Split
    notes: list[str] = field(default_factory=list)

    @property
    def cardinality(self) -> int:
        return len(self.classes)


@dataclass
class BenchRecord:
    """One (dataset, model, gold) result; metrics in percent."""

    dataset: str
    model: str
    gold: str
    accuracy: float
    macro_f1: float
    f1: float | None
    ece: float
    fit_seconds: float
    peak_rss_mb: float
    chosen: dict[str, Any] | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # review-ranking keys, see below

    def to_json(self) -> dict[str, Any]:
        """The JSON line of ``labelwright bench wrench --json`` (no ``chosen``); ``extras``
        (``ranking``, ``catch10``, ``catch20``, ``ece_calibrated``, ``calibration``,
        ``end_model_accuracy``) are added after the base keys."""
        out = asdict(self)
        out.pop("chosen")
        out.pop("extras")
        out.update(self.extras)
        return out


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise WrenchFormatError(f"{path}: missing file (a WRENCH folder needs test.json and "
                                f"label.json; train.json and valid.json are optional)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise WrenchFormatError(f"{path}: invalid JSON at line {err.lineno}: {err.msg}") from None


def load_split(path: Path, cardinality: int, drop_ids: frozenset[str] = frozenset()) -> Split:
    """Read one WRENCH split file into a label matrix, labels and ids."""
    doc = _read_json(path)
    if not isinstance(doc, dict) or not doc:
        raise WrenchFormatError(f"{path}: expected a non-empty object mapping id -> item")
    ids, rows, labels, texts = [], [], [], []
    width = None
    for item_id, item in doc.items():
        if item_id in drop_ids:
            continue
        try:
            votes, label = item["weak_labels"], int(item["label"])
        except (TypeError, KeyError, ValueError):
            raise WrenchFormatError(f"{path}: item {item_id!r} needs 'label' (int) and "
                                    f"'weak_labels' (list of int)") from None
        if width is None:
            width = len(votes)
        if len(votes) != width:
            raise WrenchFormatError(f"{path}: item {item_id!r} has {len(votes)} weak labels, "
                                    f"earlier items have {width}")
        if not -1 <= label < cardinality:
            raise WrenchFormatError(f"{path}: item {item_id!r} has label {label}; label.json "
                                    f"defines {cardinality} classes")
        ids.append(item_id)
        rows.append(votes)
        labels.append(label)
        data = item.get("data")
        texts.append(str(data.get("text", "")) if isinstance(data, dict) else "")
    return Split(np.asarray(rows, dtype=np.int64).reshape(len(rows), width or 0),
                 np.asarray(labels, dtype=np.int64), ids, texts)


def load_wrench(folder: str | Path) -> WrenchDataset:
    """Load a WRENCH dataset folder (see module docstring)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise WrenchFormatError(f"{folder}: not a directory")
    names = _read_json(folder / "label.json")
    classes = [str(names[key]) for key in sorted(names, key=int)]
    k = len(classes)
    test = load_split(folder / "test.json", k)
    notes: list[str] = []
    train = None
    if (folder / "train.json").is_file():
        drop: frozenset[str] = frozenset()
        if (folder / "labeled_ids.json").is_file():
            labeled = _read_json(folder / "labeled_ids.json").get("labeled_ids", [])
            drop = frozenset(map(str, labeled))
        train = load_split(folder / "train.json", k, drop)
        if drop:
            notes.append(f"dropped {len(drop)} labeled_ids.json rows from train "
                         f"({len(train.ids)} train rows, as in the WRENCH paper)")
    else:
        notes.append("no train.json: models are fit on the test votes")
    valid = load_split(folder / "valid.json", k) if (folder / "valid.json").is_file() else None
    if valid is None:
        notes.append("no valid.json: no gold='valid' run")
    return WrenchDataset(folder.name, classes, train, valid, test, notes)


def _fit_data(ds: WrenchDataset, gold: str) -> tuple[np.ndarray, np.ndarray | None]:
    base = ds.train if ds.train is not None else ds.test
    if gold == "none":
        return base.L, None
    assert ds.valid is not None
    L = np.vstack([base.L, ds.valid.L])
    y = np.concatenate([np.full(len(base.L), -1), ds.valid.y])
    return L, y


def evaluate(ds: WrenchDataset, model_name: str, gold: str, *, tie_break: str = "random",
             random_state: int = 0, params: dict[str, Any] | None = None,
             label: str | None = None) -> BenchRecord:
    """Fit ``model_name`` on ``ds`` with ``gold`` ("none" or "valid") and score on test."""
    if gold not in GOLD_SETTINGS:
        raise ValueError(f"unknown gold setting {gold!r}; valid: {', '.join(GOLD_SETTINGS)}")
    k = ds.cardinality
    L, y_dev = _fit_data(ds, gold)
    kwargs = {"random_state": random_state, "tie_break": tie_break, **(params or {})}
    model = get_model(model_name, k, **kwargs)
    start = time.perf_counter()
    model.fit(L, y_dev=y_dev)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        get_model(model_name, k, **kwargs).fit(L, y_dev=y_dev)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    probs = model.predict_proba(ds.test.L)
    pred = model.predict(ds.test.L)
    y = ds.test.y
    return BenchRecord(
        dataset=ds.name, model=label or model_name, gold=gold,
        accuracy=round(100 * accuracy(y, pred), 2),
        macro_f1=round(100 * macro_f1(y, pred, k), 2),
        f1=round(100 * binary_f1(y, pred), 2) if k == 2 else None,
        ece=round(100 * ece(probs, y), 2),
        fit_seconds=round(seconds, 3),
        peak_rss_mb=round(peak / 2**20, 2),
        chosen=getattr(model, "chosen_", None),
    )


def run_wrench(folders: list[str | Path], *, models: tuple[str, ...] = BENCH_MODELS,
               golds: tuple[str, ...] = GOLD_SETTINGS, tie_break: str = "random",
               random_state: int = 0) -> tuple[list[BenchRecord], list[WrenchDataset]]:
    """Run every model x gold setting on every folder; folders are all loaded first so a
    bad folder fails before any fitting."""
    for name in models:
        get_model(name)  # unknown names fail early, listing the valid ones
    datasets = [load_wrench(f) for f in folders]
    records = []
    for ds in datasets:
        for gold in golds:
            if gold == "valid" and ds.valid is None:
                continue
            for name in models:
                records.append(evaluate(ds, name, gold, tie_break=tie_break,
                                        random_state=random_state))
    return records, datasets


# -- review ranking ----------------------------------------------------------------------------

#: ranking strategies measured by :func:`evaluate_ranking` ("cleanlab" only when the
#: optional cleanlab package is installed)
RANKINGS = ("confidence", "conflicts", "end_model", "cleanlab", "combined", "random")
RANKED_MODEL = "default"  # the model whose errors the rankings are measured on


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
    (covered train items only). ``None`` without train.json or texts."""
    from labelwright.end_model import EndModel

    if ds.train is None or not any(ds.train.texts):
        return None
    covered = np.asarray((ds.train.L >= 0).any(axis=1), dtype=bool)
    model = EndModel([str(c) for c in range(ds.cardinality)], random_state=random_state)
    model.fit([t for t, c in zip(ds.train.texts, covered) if c], train_probs[covered])
    return round(100 * accuracy(ds.test.y, model.predict(ds.test.texts)), 2)


def evaluate_ranking(ds: WrenchDataset, gold: str, *, tie_break: str = "random",
                     random_state: int = 0, model_name: str = RANKED_MODEL
                     ) -> tuple[dict[str, Any], list[RankingRecord]]:
    """Review-ranking measurements of ``model_name`` on ``ds`` (module-level protocol).

    * The pool a project would rank is train + test items (+ valid with ``gold="valid"``,
      whose labels are the reviewed gold that fits the combined weights). The label model is
      fit as in :func:`evaluate`; :func:`labelwright.ranking.rank_queue` scores the pool
      (out-of-fold end model); only test items are scored against gold.
    * An error is a test item whose predicted label (with ``tie_break``) is not its gold label.
    * ``ece_calibrated``: test ECE after a :class:`~labelwright.models.calibration.Calibrator`
      (chosen by cross-validation, ``calibration`` names the method) fit on the valid items'
      probabilities -- see :func:`calibration_extras`.
    * ``end_model_accuracy``: see :func:`end_model_accuracy`.

    Returns the extra keys of the model's JSON line and one record per ranking strategy.
    """
    from labelwright.ranking import rank_queue

    k = ds.cardinality
    L_fit, y_dev = _fit_data(ds, gold)
    model = get_model(model_name, k, random_state=random_state, tie_break=tie_break)
    model.fit(L_fit, y_dev=y_dev)
    parts = [s for s in (ds.train, ds.valid if gold == "valid" else None) if s is not None]
    parts.append(ds.test)
    L = np.vstack([s.L for s in parts])
    texts = [t for s in parts for t in (s.texts or [""] * len(s.ids))]
    probs = model.predict_proba(L)
    pred = model.predict(L)
    reviewed = None
    if gold == "valid" and ds.valid is not None:
        reviewed = np.concatenate([np.full(len(s.ids), -1) if s is not ds.valid else s.y
                                   for s in parts])
    result = rank_queue(probs, L, texts, seed=random_state, reviewed_gold=reviewed,
                        label=np.where(pred >= 0, pred, probs.argmax(axis=1)))
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
            weights_source=result.weights_source,
        ))
    combined = next(r for r in records if r.ranking == "combined")
    extras: dict[str, Any] = {"ranking": "combined", "catch10": combined.catch10,
                              "catch20": combined.catch20}
    if ds.valid is not None:
        extras.update(calibration_extras(ds, gold, model, tie_break=tie_break,
                                         random_state=random_state, model_name=model_name))
    if ds.train is not None:
        extras["end_model_accuracy"] = end_model_accuracy(
            ds, model.predict_proba(ds.train.L), random_state=random_state)
    return extras, records


def valid_proba_out_of_fold(ds: WrenchDataset, model_name: str, *, n_splits: int = 5,
                            tie_break: str = "random", random_state: int = 0) -> np.ndarray:
    """Label-model probabilities of the valid items as in ``gold="valid"``, but each from a
    fit that did not see that item's valid label (stratified ``n_splits`` folds)."""
    from sklearn.model_selection import StratifiedKFold

    from labelwright.models.auto import held_out_proba

    assert ds.valid is not None
    L_fit, y_dev = _fit_data(ds, "valid")
    assert y_dev is not None
    valid_rows = np.arange(len(L_fit) - len(ds.valid.y), len(L_fit))
    counts = np.bincount(ds.valid.y, minlength=ds.cardinality)
    splits = max(2, min(n_splits, int(counts[counts > 0].min())))
    folds = list(StratifiedKFold(splits, shuffle=True, random_state=random_state)
                 .split(ds.valid.L, ds.valid.y))
    return held_out_proba(partial(get_model, model_name, ds.cardinality,
                                  random_state=random_state, tie_break=tie_break),
                          L_fit, y_dev, valid_rows, folds)


def calibration_extras(ds: WrenchDataset, gold: str, model: Any, *, tie_break: str = "random",
                       random_state: int = 0, model_name: str = RANKED_MODEL
                       ) -> dict[str, Any]:
    """``ece_calibrated`` (test ECE, %) and ``calibration`` (the chosen method) of a
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
    calibrator = Calibrator(random_state=random_state).fit(
        valid_probs, ds.valid.y, covered=np.asarray((ds.valid.L >= 0).any(axis=1)))
    test_probs = calibrator.transform(model.predict_proba(ds.test.L),
                                      covered=np.asarray((ds.test.L >= 0).any(axis=1)))
    return {"ece_calibrated": round(100 * ece(test_probs, ds.test.y), 2),
            "calibration": calibrator.method_}


def _best(share: float, n: int, wrong: np.ndarray) -> float:
    if not wrong.any():
        return 100.0
    return round(min(100.0, 100 * int(round(share * n)) / float(wrong.sum())), 2)


def end_model_extras(ds: WrenchDataset, model_name: str, gold: str, *,
                     tie_break: str = "random", random_state: int = 0) -> dict[str, Any]:
    """``{"end_model_accuracy": ...}`` for a model other than :data:`RANKED_MODEL`, to
    compare end models trained on different label models' output (empty without train)."""
    if ds.train is None:
        return {}
    L_fit, y_dev = _fit_data(ds, gold)
    model = get_model(model_name, ds.cardinality, random_state=random_state,
                      tie_break=tie_break).fit(L_fit, y_dev=y_dev)
    return {"end_model_accuracy": end_model_accuracy(ds, model.predict_proba(ds.train.L),
                                                     random_state=random_state)}
