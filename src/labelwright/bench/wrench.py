"""Benchmark label models on WRENCH datasets (Zhang et al., NeurIPS 2021 D&B track).

The folders are read by :mod:`~labelwright.bench.wrench_folders` (the format is described
there), and what their data says of the scores by :mod:`~labelwright.bench.wrench_notes`;
their names still import from here.

Protocol, per dataset and model:

* ``gold="none"``: fit on the train label matrix without gold.
* ``gold="valid"``: fit on train + valid stacked, ``y_dev`` = -1 on train rows and the
  valid label on valid rows (so ``auto`` cross-validates on the valid rows only).
* Score on test: accuracy, macro-F1, F1 of class 1 (binary sets only), ECE (10 bins);
  all in percent, rounded to two decimals. Ties are broken by ``tie_break`` (default
  ``"random"``, snorkel's row-index hash: the policy behind WRENCH's published numbers).
* ``fit_seconds``: wall-clock time of ``fit`` alone: the model's
  :meth:`~labelwright.models.LabelModel.prepare` first imports what its fit imports on
  first use (torch, snorkel and scikit-learn take seconds, which the first such fit in a
  process paid). ``peak_rss_mb``: peak of memory allocated during a second, identical
  ``fit`` traced with :mod:`tracemalloc` (Python and numpy allocations; memory allocated
  by torch inside snorkel is *not* traced).
"""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from labelwright.bench.model_specs import model_spec, model_spec_with
from labelwright.bench.wrench_folders import (
    Split,
    WrenchDataset,
    WrenchFormatError,
    dataset_names,
    load_datasets,
    load_split,
    load_wrench,
)
from labelwright.bench.wrench_notes import (
    KAPPA_DROP,
    no_kappa_reason,
    test_in_train,
    vote_kappa,
    vote_notes,
)
from labelwright.models import AutoLabelModel, ece, get_model
from labelwright.models.convergence import convergence_warning
from labelwright.models.fit_warnings import fit_warnings_left_to_caller
from labelwright.models.gold_mix import gold_mix_warning
from labelwright.models.majority import ignored_lfs_warning
from labelwright.models.metrics import accuracy, binary_f1, macro_f1
from labelwright.models.row_names import BENCH_GOLD_ROWS
from labelwright.models.snorkel_model import fallback_note

__all__ = ["BENCH_MODELS", "GOLD_SETTINGS", "KAPPA_DROP", "BenchRecord", "Split",
           "WrenchDataset", "WrenchFormatError", "dataset_names", "evaluate", "fit_data",
           "load_datasets", "load_split", "load_wrench", "no_kappa_reason", "run_wrench",
           "test_in_train", "vote_kappa", "vote_notes"]

BENCH_MODELS = ("majority", "weighted_majority", "snorkel", "dawid_skene", "triplet",
                "default", "auto")
GOLD_SETTINGS = ("none", "valid")


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
    tie_break: str  # of the predictions scored: the numbers depend on it
    random_state: int
    #: share of the test items some LF voted on, in percent: the others get the class
    #: prior, so a prior moved by gold moves their labels (youtube_uci: 44 of 294)
    coverage: float
    chosen: dict[str, Any] | None = None  # auto's chosen_ (model, params, reason)
    #: the model another fell back to (snorkel with fewer than 3 LFs: "majority")
    fallback: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # review-ranking keys, see below
    notes: list[str] = field(default_factory=list)  # what the fit says of itself (not JSON)

    def to_json(self) -> dict[str, Any]:
        """The JSON line of ``labelwright bench wrench --json``: the base keys (``coverage``
        among them), then ``chosen`` on ``auto``'s lines and ``fallback`` on a line whose
        model fell back, then ``extras`` (``ranking``, ``catch10``, ``catch20``,
        ``ece_calibrated``, ``calibration``, ``end_model_accuracy``). Keys are only ever
        added: scripts read them by name."""
        out = asdict(self)
        for key in ("chosen", "fallback", "extras", "notes"):
            out.pop(key)
        if self.chosen is not None:
            out["chosen"] = self.chosen
        if self.fallback:
            out["fallback"] = self.fallback
        out.update(self.extras)
        return out


def fit_data(ds: WrenchDataset, gold: str) -> tuple[np.ndarray, np.ndarray | None]:
    """The label matrix a model is fit on under ``gold`` and its ``y_dev`` (None for
    ``gold="none"``): train (the test votes without train.json), then valid's rows."""
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
    L, y_dev = fit_data(ds, gold)
    kwargs = {"random_state": random_state, "tie_break": tie_break, **(params or {})}
    model = get_model(model_name, k, **kwargs).prepare()  # imports are no part of the fit
    # auto's reason names no setting the bench lacks (n_splits)
    fit_kwargs = {"names": BENCH_GOLD_ROWS} if isinstance(model, AutoLabelModel) else {}
    with fit_warnings_left_to_caller():  # said once, in the record's notes
        start = time.perf_counter()
        model.fit(L, y_dev=y_dev, **fit_kwargs)
        seconds = time.perf_counter() - start
        tracemalloc.start()
        try:
            get_model(model_name, k, **kwargs).fit(L, y_dev=y_dev, **fit_kwargs)
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
        ece=round(100 * ece(probs, y, pred=pred), 2),  # of the predictions scored
        fit_seconds=round(seconds, 3),
        peak_rss_mb=round(peak / 2**20, 2),
        tie_break=tie_break, random_state=random_state,
        coverage=round(100 * float((ds.test.L >= 0).any(axis=1).mean()), 2),
        chosen=auto_choice(model_name, model),
        fallback=getattr(model, "fallback_", None) or None,
        notes=[f"{label or model_name} (gold={gold}): {note}"
               for note in fit_notes(model, L, y_dev, ds.classes)],
    )


def auto_choice(model_name: str, model: Any) -> dict[str, Any] | None:
    """``auto``'s ``chosen_`` (model, params, reason), for its bench line; None for any other
    model: a ``module:Class`` model may set a ``chosen_`` of its own, which means something
    else and may be nothing JSON can hold (``--json`` would fail on it)."""
    return model.chosen_ if model_name == AutoLabelModel.name else None


#: how the bench's warning of gold rows that set a wrong class balance ends
#: (:func:`~labelwright.models.gold_mix.gold_mix_warning`)
BENCH_GOLD_ADVICE = ("the valid labels are no random sample of the items, so the scores with "
                     "gold=valid are those of a model fit at that balance")


def fit_notes(model: Any, L: np.ndarray, y_dev: np.ndarray | None,
              classes: list[str]) -> list[str]:
    """What a fit would have logged or warned of itself, said once per (model, gold) in the
    bench's notes instead (the bench fits each model more than once, and a log line on
    stderr names no dataset): snorkel's fall back to majority vote, LFs ``weighted_majority``
    ignores, a class balance taken from
    gold rows far from the votes' mix, EM stopped before it converged."""
    fallback = getattr(model, "fallback_", None)
    said = [fallback_note(L.shape[1]) if fallback else None,
            ignored_lfs_warning(model, L),
            gold_mix_warning(L, y_dev, model.class_balance_, classes,
                             advice=BENCH_GOLD_ADVICE),
            convergence_warning(model)]
    return [note for note in said if note]


def run_wrench(folders: list[str | Path], *, models: tuple[str, ...] = BENCH_MODELS,
               golds: tuple[str, ...] = GOLD_SETTINGS, tie_break: str = "random",
               random_state: int = 0,
               params: Mapping[str, Mapping[str, Any]] | None = None
               ) -> tuple[list[BenchRecord], list[WrenchDataset]]:
    """Run every model x gold setting on every folder; folders are all loaded first so a
    bad folder fails before any fitting. ``models``: as ``bench wrench -m`` takes them
    (:mod:`~labelwright.bench.model_specs`: a registered name, ``module:Class``, either with
    hyperparameters, ``dawid_skene(monotone=false)``); ``params``: hyperparameters by the
    model as written in ``models``, over those it writes (``{"dawid_skene": {"monotone":
    False}}``), as :func:`evaluate`'s ``params``. Each line's ``model`` is the model as
    written in ``models``."""
    unknown = sorted(set(params or {}) - set(models))
    if unknown:
        raise ValueError(f"params for {', '.join(map(repr, unknown))}, which models does not "
                         f"hold; models: {', '.join(models)}")
    specs = [model_spec(name) for name in models]  # unknown names fail early, listing the valid
    specs = [model_spec_with(spec, (params or {}).get(spec.label, {})) for spec in specs]
    datasets = load_datasets(folders)
    records = []
    for ds in datasets:
        for gold in golds:
            if gold == "valid" and ds.valid is None:
                continue
            for spec in specs:
                records.append(evaluate(ds, spec.name, gold, tie_break=tie_break,
                                        random_state=random_state, params=spec.params,
                                        label=spec.label))
    return records, datasets
