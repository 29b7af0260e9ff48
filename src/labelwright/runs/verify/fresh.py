"""The project's LFs applied with no vote or Doc cache, once for every run ``runs verify
--recompute`` compares with them (:mod:`~labelwright.runs.verify.recompute`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.config import ProjectConfig
    from labelwright.glossaries.core import Glossary
    from labelwright.lfs.core import LabelingFunction


@dataclass
class Fresh:
    """The project's LFs applied now without any cache, and what the refit needs."""

    ids: list[str]
    lf_names: list[str]
    votes: np.ndarray
    pipeline: str
    dataset: Any
    project: Any


def apply_fresh(config: ProjectConfig, frame: pd.DataFrame | None = None,
                lfs: Sequence[LabelingFunction] = (),
                glossaries: Sequence[Glossary] = ()) -> Fresh:
    """Load the project of ``config`` and apply its LFs, and ``lfs`` and the LFs of the
    ``glossaries`` made in a Python session after them (``project.with_lfs(*lfs)
    .with_glossaries(*glossaries)``), with no vote or Doc cache (the project's engine, as a
    run applies them) to the dataset ``config`` names (a run's ``--data`` file, when it was
    given one), or to ``frame`` (a run given a DataFrame)."""
    from labelwright.nlp import pipeline_fingerprint
    from labelwright.project.apply import apply_project, project_dataset
    from labelwright.project.load import load_project

    # the pipeline built, and no cache read or written: a stale cache entry would pass
    # for the pipeline the run used, and a read-only project would warn of each
    project = load_project(config.root, caches=False)
    project = project.replaced(config=replace(project.config, data=config.data))
    project = project.with_lfs(*lfs) if lfs else project
    project = project.with_glossaries(*glossaries) if glossaries else project
    given = project_dataset(project.config, frame) if frame is not None else None
    dataset, applied = apply_project(project, given, cache=False)
    return Fresh(ids=[str(i) for i in dataset.ids], lf_names=list(applied.matrix.lf_names),
                 votes=np.asarray(applied.matrix.votes),
                 pipeline=pipeline_fingerprint(project.nlp), dataset=dataset,
                 project=project)
