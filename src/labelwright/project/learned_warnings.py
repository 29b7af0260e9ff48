"""What a run says of its label model's fit: the class balance it learned, when reviews or
gold set it wrong or it leans on one label (:func:`imbalance_warnings`), and the LF table
with what it learned of each LF, warning of LFs below chance or that it misreads
(:func:`learned_lf_table`). Their advice to review a random sample is given only where one
can be drawn (:func:`can_sample`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from labelwright.apply import ApplyResult
from labelwright.config import ProjectConfig
from labelwright.data.dataset import Dataset
from labelwright.lfs.lf_warnings import below_chance, misread
from labelwright.models.balance_notes import missing_labels_warning
from labelwright.models.class_prior import imbalance_warning
from labelwright.models.gold_mix import gold_mix_warning
from labelwright.project.fit_and_triage import Fitted
from labelwright.project.held_out import held_out_items
from labelwright.review.feedback.copy_reviews import CopyUse
from labelwright.review.feedback.gold import ReviewedLabels
from labelwright.runs.learned_columns import assumed_accuracies, learned_table
from labelwright.triage.core import Triage


def imbalance_warnings(config: ProjectConfig, model: Any, votes: np.ndarray, dataset: Dataset,
                       reviewed: ReviewedLabels, copies: CopyUse, lf_copies: np.ndarray
                       ) -> list[str]:
    """The class-imbalance warning of a label model that learned its class balance (its
    advice to review a random sample only where one can be drawn: from the items with
    neither gold nor a review of their own or their copies', and the config draws one:
    at ``[triage] random_sample = 0`` it is to set one first)."""
    said: list[str | None] = []
    if config.label_model.class_balance is None and hasattr(model, "class_balance_"):
        said.append(gold_mix_warning(votes, reviewed.gold if reviewed.n_gold else None,
                                     model.class_balance_, config.labels, advice=RUN_ADVICE))
    # majority vote's labels on covered items do not depend on the prior (bar ties)
    if config.label_model.class_balance is None and hasattr(model, "class_balance_") \
            and config.label_model.name not in ("majority", "weighted_majority"):
        imbalance = imbalance_warning(votes, config.labels, model.class_balance_,
                                      reviewed=reviewed.n_gold,
                                      can_sample=can_sample(dataset, reviewed, copies),
                                      copy_of=lf_copies,
                                      random_sample=config.triage.random_sample)
        missing = missing_labels_warning(getattr(model, "gold_sample_", None),
                                         model.class_balance_, config.labels)
        said += [imbalance, missing]
    return [warning for warning in said if warning]


#: how the run's warning of reviewed labels that set a wrong class balance ends
RUN_ADVICE = ('set [label_model] class_balance (the shares you know, or "votes" to estimate '
              "them from the votes), or review a random sample")


def can_sample(dataset: Dataset, reviewed: ReviewedLabels, copies: CopyUse) -> bool:
    """Are there items a random sample can be drawn from: with neither a gold label in the
    dataset nor a review of their own or their copies'?"""
    return bool(((dataset.gold < 0) & (copies.known(reviewed.gold) < 0)).any())


def learned_lf_table(lf_table: pd.DataFrame, fitted: Fitted, applied: ApplyResult,
                     known: np.ndarray, dataset: Dataset, reviewed: ReviewedLabels,
                     model_triage: Triage, copies: CopyUse, *, random_sample: int,
                     reused: str | None = None
                     ) -> tuple[pd.DataFrame, list[str]]:
    """The LF table with what the label model learned of each LF, and the warnings for LFs
    below chance or misread by it (whose advice depends on whether a random sample can be
    drawn: from the items with neither gold nor a review of their own or their copies', and
    on ``random_sample``, the config's size of it: at 0 the advice is to set it first);
    ``reused``: how the model was reused from another run, None when this run fit it."""
    votes, model = applied.matrix.votes, fitted.model
    lf_table = learned_table(lf_table, model, votes, fitted.probs)
    learned = (dict(zip(lf_table["lf"], lf_table["learned_accuracy"]))
               if "learned_accuracy" in lf_table.columns else None)
    assumed = assumed_accuracies(model, applied.matrix.lf_names, votes)
    warnings = below_chance(applied.matrix, known, assumed, fit_on=reviewed.gold,
                            learned=learned, predicted=model_triage.label)
    if learned is not None:  # against gold the model was not fit on
        held_out = held_out_items(dataset.gold >= 0, reviewed.gold >= 0)
        warnings += misread(applied.matrix, np.where(held_out, dataset.gold, -1),
                            learned, assumed,
                            sampled=int(reviewed.sampled.sum())
                            if reviewed.sampled is not None else 0,
                            can_sample=can_sample(dataset, reviewed, copies),
                            random_sample=random_sample, reused=reused)
    return lf_table, warnings
