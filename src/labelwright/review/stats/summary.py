"""Everything ``labelwright review stats`` reports, computed from the ledger and a run
(:func:`review_stats`): the run's reviewed labels read as the run read them, the raters'
agreement, the LFs' and the run's accuracy on them, and where the reviews of other runs'
samples measure those runs. The figures it returns are
:class:`~labelwright.review.stats.figures.ReviewStats`, which still imports from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.config import ProjectConfig, load_config
from labelwright.config.data_override import ran_on_frame, run_data_config
from labelwright.data.dataset import Dataset, read_dataset
from labelwright.errors import RunError
from labelwright.lfs.stats import queue_labels
from labelwright.matrix import LabelMatrix
from labelwright.review.decisions import ledger
from labelwright.review.decisions.tool_names import rater_sources
from labelwright.review.feedback.gold import ReviewedLabels, reviewed_labels
from labelwright.review.imports.adjudicators import settled_by_others
from labelwright.review.stats import agreement
from labelwright.review.stats.anchoring import Anchoring, anchoring
from labelwright.review.stats.figures import ReviewStats
from labelwright.review.stats.label_agreement import label_agreement, label_splits
from labelwright.review.stats.overrides import overrides
from labelwright.review.stats.run_accuracy import (
    LABEL_COLUMNS,
    RunAccuracy,
    accuracy_of_runs,
    audit_design,
    in_run_names,
    run_accuracy,
    sample_of,
)
from labelwright.runs.file_names import MATRIX_FILE
from labelwright.runs.label_set import run_label_set, run_reading_labels
from labelwright.runs.run_items import read_run_items
from labelwright.runs.store import list_runs, read_manifest, resolve_run, run_labels


def review_stats(root: str | Path = ".", run: str | None = None, *,
                 policy: str | None = None, data: pd.DataFrame | None = None,
                 as_read: bool = False) -> ReviewStats:
    """Agreement between raters, and LF and accepted-label accuracy on reviewed items.

    ``policy`` settles disagreements (default: the project's ``[review] policy``, the one
    its runs use). ``data``: the pandas DataFrame the run read (``run_project(path,
    data=df)``), whose texts tell the reviews made on another text apart; a run on a
    DataFrame needs it, as ``train_run`` does. ``as_read``: count only the ledger's
    decisions the run read, as it read them (its first decisions and retirement records,
    its raters' names and adjudicators, the decisions it set aside, and its recorded
    policy unless ``policy`` is given): the figures of the reviews behind the run's labels,
    for an audit of it, without the decisions imported since (the reviews of its own
    samples among them). Without it the ledger counts as it is now."""
    from labelwright.review.decisions.run_reading import run_reading
    from labelwright.runs.store import decision_count

    config = load_config(root)
    run_dir = resolve_run(config.runs_path, run, project=config)
    # measured against the run's labels as it wrote them (an edited file is refused)
    manifest = read_manifest(run_dir)
    reviews = manifest.get("reviews") or {}
    as_run_read = run_reading(reviews, config.review.adjudicators) if as_read else None
    if as_read and as_run_read is None:
        raise RunError(f"{run_dir / 'manifest.json'}: does not record how many ledger "
                       "decisions the run read, so they cannot be counted apart; leave out "
                       "--as-read to count the ledger as it is now")
    recorded = reviews.get("policy") if as_run_read is not None else None
    policy = policy or (str(recorded) if recorded else config.review.policy)
    read = decision_count(reviews) if reviews else 0
    labels_frame = run_labels(run_dir, manifest, LABEL_COLUMNS)
    matrix = LabelMatrix.read_parquet(run_dir / MATRIX_FILE)
    ids = labels_frame["id"].astype(str).tolist()
    config, dataset = _run_data(config, manifest, run_dir, data)
    text_of = dict(zip(dataset.ids, dataset.texts))
    # as runs do: reviews made on a text an item no longer has are not counted; with
    # as_read, the ledger as the run read it, whatever came after
    as_run: dict[str, Any] = ({"adjudicators": config.review.adjudicators}
                              if as_run_read is None else as_run_read.as_kwargs())
    # the ledger read once: the figures, --as-read's count of it now and its edit check
    decisions = ledger.read_decisions(ledger.ledger_path(config.root))
    reviewed = reviewed_labels(config.root, ids, config.labels, policy=policy,
                               same_rater=dict(config.review.same_rater),
                               renamed=dict(config.renamed),
                               runs_dir=config.runs_path, texts=[text_of.get(i) for i in ids],
                               data_sha256=dataset.sha256, data_columns=config.data_columns,
                               read=decisions, **as_run)
    # agreement too: two raters who saw different texts of one item did not disagree.
    # Items that are not the run's are left out of every figure, as the disagreement
    # count leaves them out (the warning about them says so)
    known = set(ids)
    by_item = {item_id: votes for item_id, votes
               in ledger.latest_per_rater(reviewed.decisions, capped=reviewed.capped).items()
               if item_id in known}
    ratings = agreement.rating_table(by_item, config.labels)
    counts = agreement.category_counts(ratings)
    adjudicators = [r for r in ratings.raters if r in reviewed.adjudicators]
    # an adjudicator's decision is a settlement, not a rating, on every item they decided:
    # counted only where the raters agreed, it would raise agreement all the same
    raters = agreement.without_raters(ratings, adjudicators)
    rated = agreement.category_counts(raters)
    fleiss, fleiss_items = agreement.fleiss_kappa(rated)
    seed = config.seed
    gold = _gold_labels(ids, reviewed.gold, config.labels)
    # the same figures the report of a later run shows for this one. The reviews are read
    # with the project's labels now; a run made before a label was renamed names it by its
    # old name, and its votes are indices of its own labels (in its order): compared with
    # them, a reviewed label is the run's name and class for it (one the run did not have
    # matches none of its labels, and counts as wrong)
    renamed = dict(config.renamed)
    own = run_accuracy(run_dir.name, labels_frame,
                       in_run_names(gold, run_label_set(config, manifest), renamed),
                       sample_of(run_dir), unsettled=_unsettled(reviewed, gold),
                       design=audit_design(manifest))
    position = {item_id: i for i, item_id in enumerate(matrix.item_ids)}
    votes = matrix.votes[[position[i] for i in ids]] if matrix.item_ids != ids else matrix.votes
    reading = run_reading_labels(config, manifest)
    in_run = _run_classes(reviewed.gold, config.labels, reading)
    # the queue's reviews apart, as the LF table counts them
    queue = _run_classes(queue_labels(reviewed), config.labels, reading)
    others: list[RunAccuracy] = []
    if not own.audit.reviewed or not own.sample.reviewed:  # say where reviews measure one
        gold.update(_gold_not_in_run(config, reviewed, text_of, dataset.sha256, policy,
                                     decisions))
        others = _other_runs(config.runs_path, run_dir.name, reviewed.decisions, gold,
                             renamed)
    return ReviewStats(
        ledger_changed=(_ledger_changed(config, manifest, decisions) if as_run_read
                        else []),
        run_id=run_dir.name, reviewed=reviewed, raters=ratings.raters,
        run_read=read if isinstance(read, int) else None, as_read=as_run_read is not None,
        ledger_count=len(decisions),
        labels=list(config.labels),
        items_reviewed=int((counts.sum(axis=1) >= 1).sum()),
        items_multi=int((counts.sum(axis=1) >= 2).sum()),
        pairs=agreement.cohen_kappa_pairs(ratings, seed=seed), fleiss=fleiss,
        fleiss_items=fleiss_items, fleiss_ci=agreement.fleiss_interval(rated, seed=seed),
        fleiss_ratings=agreement.fleiss_ratings(rated),
        items_rated_twice=int((rated.sum(axis=1) >= 2).sum()),
        alpha=agreement.krippendorff_alpha(rated),
        alpha_ci=agreement.alpha_interval(rated, seed=seed),
        per_label=label_agreement(rated, config.labels, seed=seed), seed=seed,
        splits=label_splits(rated, config.labels),
        consensus=agreement.consensus_agreement(raters), adjudicators=adjudicators,
        rater_items=agreement.items_decided(ratings),
        rater_sources=rater_sources(reviewed.decisions),
        lfs=agreement.lf_accuracy(votes.astype(np.int64), matrix.lf_names, in_run),
        lfs_sample=agreement.lf_accuracy(votes.astype(np.int64), matrix.lf_names,
                                         np.where(queue >= 0, -1, in_run)),
        lfs_queue=agreement.lf_accuracy(votes.astype(np.int64), matrix.lf_names, queue),
        audit=own.audit, sample=own.sample, audit_items=own.audit_items,
        sample_items=own.sample_items, sample_labelled=own.sample_labelled,
        audit_left_out=own.audit_left_out, sample_left_out=own.sample_left_out, own=own,
        audits_elsewhere={} if own.audit.reviewed else {
            r.run_id: r.audit.reviewed for r in others if r.audit.reviewed},
        samples_elsewhere={} if own.sample.reviewed else {
            r.run_id: r.sample.reviewed for r in others if r.sample.reviewed},
        triage=dict(manifest["triage"]) if isinstance(manifest.get("triage"), dict) else {},
        settled_by_others=settled_by_others(
            {item_id: by_rater for item_id, by_rater
             in ledger.latest_decisions(reviewed.decisions, capped=reviewed.capped).items()
             if item_id in known},
            set(gold), reviewed.adjudicators,
            {**dict(config.review.same_rater), **reviewed.same_rater}),
        # read each run's exports only where there is a blind decision to compare with
        anchoring=anchoring(reviewed.decisions, config.runs_path, renamed=renamed,
                            capped=reviewed.capped)
        if any(d.blind for d in reviewed.decisions) else Anchoring(),
        overrides=overrides(reviewed.decisions, config.runs_path,
                            adjudicators=set(reviewed.adjudicators), renamed=renamed,
                            capped=reviewed.capped),
    )


def _ledger_changed(config: ProjectConfig, manifest: dict[str, Any],
                    decisions: Sequence[ledger.Decision]) -> list[str]:
    """Why the ledger's first decisions, which ``--as-read`` counts, are not the ones the
    run read (edited since), as ``explain`` and ``runs verify`` say it; [] when they are.
    ``decisions``: the ledger's, read already."""
    from labelwright.review.decisions.retirements import read_retirements
    from labelwright.runs.explain.reviews import _ledger_changes

    return _ledger_changes(config.root, manifest,
                           read_retirements(ledger.ledger_path(config.root)), decisions,
                           runs_dir=config.runs_path)


def _run_data(config: ProjectConfig, manifest: dict[str, Any], run_dir: Path,
              frame: pd.DataFrame | None) -> tuple[ProjectConfig, Dataset]:
    """The config as the run read its data, and that data: the run's ``--data`` file or
    its ``[data] path``, or the DataFrame it read, given again as ``frame`` (a run on a
    DataFrame without it, or one on a file with it, is a :class:`RunError`)."""
    if frame is None and not ran_on_frame(manifest):
        config = run_data_config(config, manifest)  # a run given its file with --data
        return config, read_dataset(config.data, config.labels)
    return read_run_items(config, manifest, run_dir, "review stats", frame)


#: why a reviewed item has no reviewed label, as ``review stats`` counts the ones a run's
#: accuracy leaves out
TIED, AWAITING, UNSETTLED = ("tied, no adjudicator's decision", "awaiting an adjudicator",
                             "not settled otherwise (adjudicators who disagree, a label the "
                             "project no longer has)")


def _unsettled(reviewed: ReviewedLabels, gold: dict[str, str]) -> dict[str, str]:
    """The items with decisions in use and no reviewed label, each with why."""
    ties, waiting = set(reviewed.ties), set(reviewed.disagreements)
    return {item_id: TIED if item_id in ties else AWAITING if item_id in waiting
            else UNSETTLED
            for item_id in sorted({d.item_id for d in reviewed.decisions} - set(gold))}


def _gold_labels(ids: Sequence[str], gold: np.ndarray, labels: Sequence[str]
                 ) -> dict[str, str]:
    """``{item id: reviewed label}`` of the items of ``ids`` with one (``gold``: a class
    index per item, -1 for none)."""
    return {item_id: labels[g] for item_id, g in zip(ids, gold.tolist()) if g >= 0}


def _run_classes(gold: np.ndarray, labels: Sequence[str], reading: Sequence[str]
                 ) -> np.ndarray:
    """``gold`` (a class index of ``labels`` per item, -1 for none) as indices of a run's
    classes, ``reading`` (its labels in its order, each renamed one under its current name:
    :func:`~labelwright.runs.label_set.run_reading_labels`), the indices its votes are. A
    reviewed label the run did not have gets an index no vote has: every vote on it is
    wrong."""
    if tuple(labels) == tuple(reading):
        return gold
    position = {label: k for k, label in enumerate(reading)}
    classes = np.array([position.get(label, len(reading)) for label in labels], dtype=np.int64)
    return np.where(gold >= 0, classes[np.maximum(gold, 0)], -1)


def _gold_not_in_run(config: ProjectConfig, reviewed: ReviewedLabels,
                     text_of: dict[str, str], data_sha256: str, policy: str,
                     decisions: Sequence[ledger.Decision]) -> dict[str, str]:
    """The reviewed labels of the reviewed items the run does not have (items of older
    runs, dropped from the data since), as ``review stats`` of such a run gives them
    (``decisions``: the ledger's, read already)."""
    items = reviewed.unknown_items
    if not items:
        return {}
    theirs = reviewed_labels(config.root, items, config.labels, policy=policy,
                             adjudicators=config.review.adjudicators, runs_dir=config.runs_path,
                             same_rater=dict(config.review.same_rater),
                             renamed=dict(config.renamed),
                             texts=[text_of.get(i) for i in items], data_sha256=data_sha256,
                             data_columns=config.data_columns, read=decisions)
    return _gold_labels(items, theirs.gold, config.labels)


def _other_runs(runs_path: Path, run_id: str, decisions: Sequence[ledger.Decision],
                gold: dict[str, str], renamed: dict[str, str] | None = None
                ) -> list[RunAccuracy]:
    """The accuracy figures of the other runs the decisions were exported from (newest
    first), each as ``review stats`` of that run computes it: every reviewed item of its
    audit and random samples counts, whichever export it was reviewed through. Each run
    draws its own samples, and the next run gives reviewed items their reviewed label, so
    the reviews measure the run that drew them; a hint names these figures and the command
    that prints them. A run whose folder or labels are gone is passed over. ``renamed``:
    ``[project] renamed``, for runs made before a rename (``gold`` has the current names)."""
    runs = set(list_runs(runs_path))
    named = {d.run_id for d in decisions} - {run_id}
    return accuracy_of_runs(runs_path, named & runs, gold, renamed=renamed)[0]
