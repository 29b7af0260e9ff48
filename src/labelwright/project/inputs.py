"""What a run reads besides its LFs' votes: the reviews, the LF table counted with them,
the latest earlier run's label order (``run`` and ``check`` warn where LFs' label
indices changed meaning), and the LF modules' constants named for a label that hold
another's index (``run`` and ``check`` refuse them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.apply import ApplyResult
from labelwright.config import ProjectConfig
from labelwright.data.dataset import Dataset
from labelwright.errors import LabelwrightError
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.label_constants import crossed_label_constants
from labelwright.lfs.literal_votes import label_order_changes
from labelwright.lfs.stats import known_labels, lf_summary, queue_labels
from labelwright.project.load import Project
from labelwright.review.decisions.run_reading import RunReading
from labelwright.review.feedback.gold import ReviewedLabels, reviewed_labels
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.manifest import read_manifest
from labelwright.runs.store import list_runs

if TYPE_CHECKING:
    from labelwright.review.decisions.ledger import Decision


def label_order_warnings(config: ProjectConfig, lfs: Sequence[LabelingFunction]) -> list[str]:
    """Warnings for the label indices LFs return that name another label than in the
    project's latest run (:func:`~labelwright.lfs.literal_votes.label_order_changes`); none
    without an earlier run, or one whose manifest cannot be read (``runs verify`` says why)."""
    runs = list_runs(config.runs_path)
    if not runs:
        return []
    try:
        then = manifest_labels(read_manifest(config.runs_path / runs[-1]))
    except LabelwrightError:
        return []
    if then is None or then == tuple(config.labels):
        return []
    return label_order_changes(lfs, config.labels, list(then), runs[-1],
                               dict(config.renamed))


def crossed_constants(config: ProjectConfig, lfs: Sequence[LabelingFunction]
                      ) -> tuple[list[str], list[str]]:
    """The errors ``check`` lists and ``run`` stops on for the constants of the LFs' modules
    that are named for one label, hold another's index and are given as votes (``HAM = 0``
    with labels ``["spam", "ham"]``:
    :func:`~labelwright.lfs.label_constants.crossed_label_constants`), and the warnings for
    those only passed to calls that may take them as votes."""
    found = crossed_label_constants(lfs, config.labels, config.where(("project", "labels")))
    return [str(c) for c in found if c.refused], [str(c) for c in found if not c.refused]


def project_reviews(config: ProjectConfig, dataset: Dataset, *,
                    as_read: RunReading | None = None,
                    read: Sequence[Decision] | None = None) -> ReviewedLabels:
    """The reviewed labels of the ledger for the dataset's items, under the project's
    review policy (decisions made on a text an item no longer has are set aside, retired
    ones not read). ``as_read``: read the ledger as a run read it, whatever was appended
    since (its first decisions and retirement records, its raters' names, the decisions it
    set aside). ``read``: the ledger's decisions, when read already."""
    reading: dict[str, Any] = ({"adjudicators": config.review.adjudicators}
                               if as_read is None else as_read.as_kwargs())
    return reviewed_labels(config.root, dataset.ids, config.labels,
                           policy=config.review.policy, runs_dir=config.runs_path,
                           same_rater=dict(config.review.same_rater),
                           renamed=dict(config.renamed),
                           texts=dataset.texts, data_sha256=dataset.sha256,
                           data_columns=config.data_columns, read=read, **reading)


def counted_lf_table(project: Project, dataset: Dataset, applied: ApplyResult,
                     reviewed: ReviewedLabels) -> tuple[pd.DataFrame, np.ndarray, list[str]]:
    """The LF table as ``run`` and ``analyze`` count it (accuracies on held-out gold and
    random-sample reviews, the queue's reviews apart), the labels it counted accuracy on
    (:func:`known_labels`), and the warning where reviews and gold clash."""
    known, clash = known_labels(project.config, dataset, reviewed)
    table = lf_summary(applied.matrix, gold=known, queue=queue_labels(reviewed),
                       failures={k: v.count for k, v in applied.failures.items()},
                       kinds=[lf.kind for lf in project.lfs])
    return table, known, clash
