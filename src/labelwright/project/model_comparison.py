"""Label models side by side on one project's votes: ``labelwright analyze --model NAME``.

Each model named (as ``bench -m`` names one: ``dawid_skene``, ``my_models:AccuracyVote``,
``dawid_skene(prior_strength=5)``), the config's own and ``majority`` are fit as
``labelwright run`` fits the configured one (the project's reviewed labels as known labels,
its class balance setting, seed and tie-break; the ``[label_model]`` settings for the model
the config names, unless the name gives its own) and scored on the
held-out gold items, as a run's accuracy table scores its own model: accuracy over every
held-out gold item (an item left without a label counts as wrong), accuracy where it gave
a label, and how many it labelled. Nothing is written: to make runs with another model,
change ``[label_model] name``.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.bench.model_specs import ModelSpec, model_spec
from labelwright.config import LabelModelConfig, ProjectConfig
from labelwright.data.dataset import Dataset
from labelwright.matrix import LabelMatrix
from labelwright.models.configured import fit_label_model
from labelwright.models.fit_warnings import fit_named
from labelwright.models.input_warnings import inputs_said_elsewhere
from labelwright.models.inputs import check_label_matrix
from labelwright.models.ties import id_numbers
from labelwright.project.evaluation import evaluate
from labelwright.project.label_f1 import no_gold_labels, weakest_labels
from labelwright.review.feedback.gold import ReviewedLabels


def check_model_names(names: Sequence[str], root: Path | None = None) -> list[str]:
    """``names`` without repeats, in order, each a model as ``bench -m`` takes one
    (:mod:`~labelwright.bench.model_specs`): a registered name, ``module:Class`` (imported
    from ``root``, the project folder, first, and registered), either with settings,
    ``name(key=value, ...)``; a ValueError naming an unknown one (and the valid ones) or a
    setting it cannot take."""
    for name in names:
        model_spec(name, root)
    return list(dict.fromkeys(names))


def compare_label_models(config: ProjectConfig, dataset: Dataset,
                         votes: np.ndarray | LabelMatrix,
                         reviewed: ReviewedLabels | None, names: Sequence[str]
                         ) -> pd.DataFrame:
    """One row per model of ``names``, then the config's model and ``majority`` (for
    reference) unless named:
    ``model``, ``accuracy``, ``macro_f1``, ``weakest`` (:func:`~labelwright.project.
    label_f1.weakest_labels`, then the labels without held-out gold, :func:`~labelwright.
    project.label_f1.no_gold_labels`; None when neither has anything to say) and
    ``covered_accuracy`` on the held-out gold items (gold items with a reviewed label are
    the model's known labels, not held out), ``gold_items``,
    ``labelled`` (items of the dataset given a label), ``fit_seconds``. Empty accuracies
    (None) without held-out gold. ``votes``: an array, or a :class:`LabelMatrix`
    (``applied.matrix``), read as its votes; a ValueError when its labels or votes are not
    the config's labels' (:func:`~labelwright.models.inputs.check_label_matrix`).
    ``reviewed``: the project's reviewed labels (:func:`~labelwright.project.
    project_reviews`), or None for none (every gold item held out)."""
    if not isinstance(config, ProjectConfig):
        raise TypeError(f"compare_label_models: config must be a ProjectConfig, got "
                        f"{type(config).__name__}"
                        + (": pass project.config" if hasattr(config, "config") else ""))
    votes = check_label_matrix(votes, len(config.labels))
    names = check_model_names(names, config.root)
    row_ids = id_numbers(dataset.ids)
    covered = (votes >= 0).any(axis=1)
    known = np.full(len(votes), -1) if reviewed is None else reviewed.gold
    y_dev = known if reviewed is not None and reviewed.n_gold else None
    sampled = None if reviewed is None else reviewed.sampled
    held_out = int(((dataset.gold >= 0) & (known < 0)).sum())
    rows: list[dict[str, Any]] = []
    for name in _compared(names, config.label_model.name):
        own = _configured(config.label_model, model_spec(name, config.root))
        started = time.perf_counter()
        # the run said them; a line the fit logs names the model it is about
        with inputs_said_elsewhere(), fit_named(f"label model comparison, model {name!r}"):
            model = fit_label_model(dataclasses.replace(config, label_model=own), votes,
                                    y_dev=y_dev, sampled=sampled)
        predicted = np.where(covered, model.predict(votes, row_ids=row_ids), -1)
        seconds = time.perf_counter() - started
        scored = evaluate(dataset.gold, predicted, votes, len(config.labels), config.seed,
                          fit_on=known >= 0, tie_break=own.tie_break,
                          row_ids=row_ids).get("label_model") or {}
        rows.append({"model": name, "accuracy": scored.get("accuracy"),
                     "macro_f1": scored.get("macro_f1"),
                     "weakest": _weakest_line(scored, config.labels, predicted),
                     "covered_accuracy": scored.get("covered_accuracy"),
                     "gold_items": held_out,
                     "labelled": int((predicted >= 0).sum()), "fit_seconds": seconds})
    return pd.DataFrame(rows)


def _compared(names: Sequence[str], configured: str) -> list[str]:
    """The models of the table: ``names``, then the config's own and ``majority`` (for
    reference) unless named."""
    return list(dict.fromkeys([*names, configured, "majority"]))


def _configured(spec: LabelModelConfig, named: ModelSpec) -> LabelModelConfig:
    """``[label_model]`` as it would be for the model ``named``: its own settings when it
    gives some, else the config's for the model the config names, else none."""
    params = (named.params if named.params
              else spec.params if named.name == spec.name else {})
    return dataclasses.replace(spec, name=named.name, params=params)


def _weakest_line(scored: dict[str, Any], labels: Sequence[str], predicted: np.ndarray
                  ) -> str | None:
    """The weakest labels by F1 and, after them, those no held-out gold item measures
    (with the items the model gave each), so a label nobody reviewed is seen unmeasured."""
    given = np.bincount(predicted[predicted >= 0], minlength=len(labels))
    said = [line for line in (weakest_labels(scored, labels),
                              no_gold_labels(scored, labels, [int(n) for n in given]))
            if line]
    return "; ".join(said) or None
