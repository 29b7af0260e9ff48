"""A run's label model (fit, read back from the fit cache, or an earlier run's reused) and
what it gives every item; the review queue's ranking and the triage, with the reviewed
labels over the model's."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from labelwright.caches import CacheOption, cache_use
from labelwright.config import STATE_DIR, ProjectConfig
from labelwright.data.dataset import Dataset
from labelwright.models.fit_cache import cached_fit
from labelwright.models.fit_warnings import fit_warnings_left_to_caller
from labelwright.models.held_votes import unread_votes
from labelwright.models.ties import id_numbers
from labelwright.project.apply import Progress
from labelwright.review.feedback.copy_reviews import CopyUse
from labelwright.review.feedback.deleted_copies import LostCopies, stale_items
from labelwright.review.feedback.gold import ReviewedLabels, apply_reviews
from labelwright.review.feedback.second_opinions import (
    LoneDecision,
    await_second_opinion,
    lone_decisions,
    waiting_copies,
)
from labelwright.review.feedback.shown_labels import shown_labels
from labelwright.review.ranking.cache import RankCacheUse, cached_rank
from labelwright.review.ranking.rank import RankResult
from labelwright.triage.core import Triage, triage
from labelwright.triage.reasons import sure_by_balance, unread_items


class Fitted(NamedTuple):
    """The fitted label model and what it gave every item, before reviews."""

    model: Any
    probs: np.ndarray
    predicted: np.ndarray  # each item's label; ties broken by ``row_ids``
    row_ids: np.ndarray  # the items' ids as numbers (:func:`~labelwright.models.ties.id_numbers`)


class Triaged(NamedTuple):
    """The label model's own triage, the final one (reviews applied, the queue cut to one
    item per text where copies say so), and each item's label source."""

    model: Triage
    final: Triage
    label_source: np.ndarray


def fit_model(config: ProjectConfig, votes: np.ndarray, dataset: Dataset,
              reviewed: ReviewedLabels, cache: CacheOption = None, *, reused: Any = None) -> Fitted:
    """The project's label model fit on the votes (and the reviewed labels), or ``auto``'s
    read back from the fit cache (:mod:`labelwright.models.fit_cache`), or ``reused``, an
    earlier run's fitted model, not fit again; and its probabilities and labels for every
    item."""
    if reused is not None:
        return _predicted(reused, votes, dataset)
    used, refresh = cache_use(config, cache)
    with fit_warnings_left_to_caller():  # EM cut short is one of the run's warnings
        model, record = cached_fit(
            config, votes, y_dev=reviewed.gold if reviewed.n_gold else None,
            sampled=reviewed.sampled, sample_unsettled=reviewed.sample_undecided,
            cache_dir=config.root / STATE_DIR / "cache" / "fit" if used else None,
            refresh=refresh)
    model.fit_cache_ = record  # the manifest's label_model.fit_cache
    return _predicted(model, votes, dataset)


def _predicted(model: Any, votes: np.ndarray, dataset: Dataset) -> Fitted:
    """A fitted label model's probabilities and labels for every item."""
    probs = model.predict_proba(votes)
    # ties broken by the items' ids, not their rows: a re-ordered file keeps its labels
    row_ids = id_numbers(dataset.ids)
    return Fitted(model, probs, model.predict(votes, row_ids=row_ids), row_ids)


def rank_items(config: ProjectConfig, fitted: Fitted, votes: np.ndarray, dataset: Dataset,
               reviewed: ReviewedLabels, copies: CopyUse, cache: CacheOption,
               progress: Progress | None
               ) -> tuple[RankResult, RankCacheUse] | tuple[None, None]:
    """The review queue's ranking under ``[triage] ranking = "combined"`` and what the
    ranking cache did (:mod:`labelwright.review.ranking.cache`); None else."""
    if config.triage.ranking != "combined":
        return None, None
    # an item no LF voted on gets no label: its signals must not score the coin flip
    # the tie-break gave it
    given = np.where((votes >= 0).any(axis=1), fitted.predicted, -1)
    used, refresh = cache_use(config, cache)
    folder = config.root / STATE_DIR / "cache"
    # the weights learn from the labels the reviewed items had before review, not from
    # this model's, which learned the reviews
    before = shown_labels(reviewed.decisions, dataset.ids, config.labels, config.runs_path,
                          reviewed.gold >= 0, renamed=reviewed.renamed) \
        if reviewed.n_gold else None
    return cached_rank(fitted.probs, votes, dataset.texts, seed=config.seed,
                       reviewed_gold=reviewed.gold if reviewed.n_gold else None,
                       shown_label=before.label if before is not None else None,
                       shown_probs=before.probs if before is not None else None,
                       shown_votes=before.votes if before is not None else None,
                       label=given, workers=config.apply.workers,
                       features=config.end_model.features,
                       groups=copies.copies.group,  # found once, for the queue too
                       cache_dir=folder / "ranking" if used else None, refresh=refresh,
                       term_counts_dir=folder / "term_counts" if used and not refresh
                       else None, progress=progress)


def triage_items(config: ProjectConfig, fitted: Fitted, votes: np.ndarray,
                 dataset: Dataset, reviewed: ReviewedLabels, copies: CopyUse,
                 lost: LostCopies, ranked: RankResult | None,
                 lone: list[LoneDecision]) -> Triaged:
    """The label model's triage, then the reviewed labels (the items' own and their
    copies') over it, with the copies of a ``lone`` decision back in review."""
    known = copies.known(reviewed.gold)
    model_triage = triage(fitted.probs, votes, fitted.predicted,
                          threshold=config.triage.threshold,
                          audit_size=config.triage.audit_size, seed=config.seed,
                          audit_allocation=config.triage.audit_allocation,
                          review_conflicts=config.triage.review_conflicts,
                          reviewed=known >= 0, disputed=reviewed.disputed,
                          score=ranked.score if ranked is not None else None,
                          ids=dataset.ids,  # drawn by id: a re-ordered file audits the same
                          gold=dataset.gold >= 0,  # held out: the audit draws unknown labels
                          texts=copies.texts,  # ties to the text more items hold
                          copies_disagree=copies.waiting, stale=stale_items(reviewed, lost),
                          unread=unread_items(votes, unread_votes(fitted.model), sure_by_balance(
                              getattr(fitted.model, "class_balance_", None),
                              config.triage.threshold)))
    tri, label_source = apply_reviews(model_triage, known)
    if copies.carried is not None:
        label_source = copies.carried.sources(label_source)
        tri = await_second_opinion(tri, waiting_copies(copies.carried.copy_of, lone))
    return Triaged(model_triage, copies.cut_queue(tri), label_source)


def lone_reviews(config: ProjectConfig, copies: CopyUse, reviewed: ReviewedLabels,
                 fitted: Fitted, votes: np.ndarray, dataset: Dataset) -> list[LoneDecision]:
    """The reviewed items whose copies took a label one rater gave against the model and
    every LF vote (:mod:`labelwright.review.feedback.second_opinions`): none under ``"all"``."""
    if copies.carried is None:
        return []
    return lone_decisions(copies.carried.copy_of, reviewed.gold, reviewed.reviewers,
                          copies.copies.group, reviewed.adjudicators, fitted.predicted,
                          votes, dataset.ids, config.labels)
