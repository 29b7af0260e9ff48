"""A labelwright project end to end: load, apply, fit, triage, write a run.

The CLI is a thin layer over these functions, so a notebook can do everything the
CLI does::

    import labelwright
    result = labelwright.run_project("path/to/project")
    result.labels.head()

``labelwright check`` is :mod:`labelwright.check`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from spacy.language import Language

from labelwright import models
from labelwright.apply import Applier, ApplyResult, resolve_engine
from labelwright.apply.cache_keys import folder_state
from labelwright.config import STATE_DIR, ProjectConfig, load_config
from labelwright.config.data_override import FRAME_SOURCE, with_data_path, with_frame
from labelwright.data.dataset import Dataset, dataset_from_frame, read_dataset
from labelwright.data.frame_hash import frame_sha256
from labelwright.data.gold import same_gold_labels
from labelwright.errors import (
    ConfigError,
    DataError,
    GlossaryError,
    LabelwrightError,
    LFError,
    both_spellings,
)
from labelwright.folders import check_folders, make_folders
from labelwright.glossaries.checks import lemma_problems
from labelwright.glossaries.core import Glossary, glossary_lf
from labelwright.glossaries.reading import load_glossaries
from labelwright.label_coverage import (
    rarely_given_warnings,
    unsupported_labels_warnings,
    unvoted_labels_warnings,
)
from labelwright.label_scores import per_label_scores, run_confusion
from labelwright.lfs.core import LabelingFunction, from_snorkel, is_snorkel_lf
from labelwright.lfs.discovery import discover
from labelwright.lfs.item import ProjectItem, named_columns
from labelwright.lfs.lemma_reads import gives_lemmas, lemma_readers_without_lemmas
from labelwright.lfs.literal_votes import (
    label_order_changes,
    never_returning,
    number_comparisons,
)
from labelwright.lfs.stats import (
    below_chance,
    coverage,
    known_labels,
    lf_summary,
    misread,
    queue_labels,
)
from labelwright.models.class_prior import imbalance_warning
from labelwright.models.configured import fit_label_model, make_label_model
from labelwright.models.ties import id_numbers
from labelwright.nlp import load_pipeline, pipeline_description
from labelwright.review.copy_reviews import copy_warnings, use_copies
from labelwright.review.deleted_copies import lost_copies_warning, lost_to_deletion, stale_items
from labelwright.review.feedback import (
    ReviewedLabels,
    apply_reviews,
    review_warnings,
    reviewed_labels,
)
from labelwright.review.ranking import rank_queue
from labelwright.runs.apply_record import apply_record
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.manifest import read_manifest
from labelwright.runs.outputs import (
    assumed_accuracies,
    labels_frame,
    learned_table,
    write_outputs,
)
from labelwright.runs.session_lfs import session_lfs, session_warnings
from labelwright.runs.store import RunWriter, list_runs
from labelwright.short_repr import ShortRepr
from labelwright.triage import Triage, triage

Progress = Callable[[str, int, int], None]  # (step, advance, total)
Stage = Callable[[str], None]  # a step without an item count starts: "label model", ...


@dataclass(repr=False)
class Project(ShortRepr):
    """A loaded project: its config, LFs (Python and glossary LFs), glossaries, pipeline."""

    config: ProjectConfig
    lfs: list[LabelingFunction]
    glossaries: list[Glossary]
    nlp: Language
    #: the LF folder's files as they were just before its LFs were imported
    #: (:func:`~labelwright.apply.cache_keys.folder_state`)
    lf_state: dict[str, str] | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return self.config.labels

    def summary(self) -> dict[str, object]:
        return {"name": self.config.name, "root": self.config.root, "labels": self.labels,
                "lfs": len(self.lfs), "glossaries": len(self.glossaries)}

    def with_lfs(self, *lfs: LabelingFunction) -> Project:
        """This project with ``lfs`` (LFs made in the session: a notebook's) after its own,
        as a new Project; a run keeps their code (:mod:`labelwright.runs.session_lfs`). A
        function not made an LF, or a name another LF has, is an error naming it."""
        added = [check_session_lf(lf, k) for k, lf in enumerate(lfs)]
        taken = {lf.name: lf for lf in self.lfs}
        for lf in added:
            if lf.name in taken:
                raise LFError(f"{lf.location}: the LF name {lf.name!r} is taken by the LF at "
                              f"{taken[lf.name].location}; rename one (labeling_function("
                              "name=...))")
            taken[lf.name] = lf
        return replace(self, lfs=[*self.lfs, *added])

    @cached_property
    def lemma_clashes(self) -> list[str]:
        """Phrases of different labels a lemma-mode glossary matches on the same words
        (:func:`~labelwright.glossaries.core.lemma_problems`): it parses every phrase, so once."""
        return lemma_problems(self.glossaries, self.nlp)

    def applier(self, *, fail_fast: bool = False, engine: str | None = None,
                scheduler: str | None = None, cache: bool | None = None,
                n_items: int | None = None) -> Applier:
        """An Applier for this project; options not given come from ``[apply]``. Glossary
        phrases lemma mode cannot tell apart are an error here, before any LF runs (it
        parses every phrase, so it is checked where applying starts, not in every worker
        that loads the project)."""
        check_lemma_claims(self)
        settings = self.config.apply
        use_cache = settings.cache if cache is None else cache
        # an engine other than dask named for this run overrides [apply] scheduler
        configured = settings.scheduler if engine in (None, "dask") else None
        scheduler = scheduler or configured
        # a scheduler names a Dask cluster: it means the dask engine unless one is named
        chosen = resolve_engine(engine or settings.engine or ("dask" if scheduler else None),
                                n_items)
        if scheduler and chosen != "dask":
            raise ConfigError(f"a Dask scheduler ({scheduler}, from "
                              f"{both_spellings('--scheduler', 'scheduler=')} or [apply] "
                              f"scheduler) only works with the dask engine, and the engine is "
                              f"{chosen!r}; pass "
                              + both_spellings("--engine dask", "engine='dask'")
                              + ", or drop the scheduler")
        return Applier(
            self.lfs, self.labels, nlp=self.nlp, glossaries=self.glossaries,
            batch_size=self.config.nlp.batch_size, fail_fast=fail_fast,
            engine=chosen,
            workers=settings.workers, chunk_size=settings.chunk_size,
            scheduler=scheduler,
            cache_dir=self.config.root / STATE_DIR / "cache" if use_cache else None,
            root=self.config.root,
            lf_timeout=settings.lf_timeout,
            doc_cache=settings.doc_cache,
            lf_folder=self.config.lf_path,
            lf_folder_ignore=self.config.lf_folder_ignore,
            lf_state=self.lf_state,
        )


def check_session_lf(lf: Any, position: int) -> LabelingFunction:
    """``lf`` as an LF of :meth:`Project.with_lfs` (a snorkel LF converted); a TypeError
    naming it when it is no LF."""
    if isinstance(lf, LabelingFunction):
        return lf
    if is_snorkel_lf(lf):
        return from_snorkel(lf)
    raise TypeError(f"with_lfs: argument {position + 1} ({lf!r}) is no labeling function; "
                    "decorate it with @labelwright.labeling_function()")


def check_lemma_claims(project: Project) -> None:
    """Phrases of different labels a lemma-mode glossary matches on the same words are an
    error (:func:`~labelwright.glossaries.core.lemma_problems`)."""
    if project.lemma_clashes:
        raise GlossaryError("\n".join(project.lemma_clashes))


def load_project(path: str | Path = ".", *, data: str | Path | None = None) -> Project:
    """Read the config, the pipeline, the glossaries and the LFs of a project. ``data``:
    a dataset file to read in place of ``[data] path`` (``--data``; relative to the
    current folder), with the other ``[data]`` settings."""
    config = load_config(path)
    if data is not None:
        config = with_data_path(config, data)
    check_folders(config)
    make_label_model(config)  # a wrong model name or setting fails before any work
    nlp = load_pipeline(config.nlp)
    glossaries = load_glossaries(config.glossary_path, config.labels)
    lf_state = folder_state(config.lf_path, config.lf_folder_ignore)
    python_lfs = discover(config.lf_path) if config.lf_path.is_dir() else []
    lfs = project_lfs(python_lfs, glossaries, str(pipeline_description(nlp)["fingerprint"]))
    if not lfs:
        raise no_lfs(config)
    return Project(config=config, lfs=lfs, glossaries=glossaries, nlp=nlp, lf_state=lf_state)


def project_lfs(python_lfs: list[LabelingFunction], glossaries: list[Glossary],
                fingerprint: str) -> list[LabelingFunction]:
    """The Python LFs, then one LF per glossary (``fingerprint``: the pipeline's, which its
    votes depend on); a Python LF named like a glossary's LF is an error."""
    lfs = python_lfs + [glossary_lf(g, fingerprint) for g in glossaries]
    names = {lf.name: lf for lf in python_lfs}
    for lf in lfs[len(python_lfs):]:
        if lf.name in names:
            raise LFError(f"{names[lf.name].location}: the LF name {lf.name!r} is taken by the "
                          f"glossary {lf.file}; rename the LF")
    return lfs


def no_lfs(config: ProjectConfig) -> LFError:
    return LFError(f"{config.root}: the project has no labeling functions: add a module to "
                   f"{config.lf_path} or a glossary to {config.glossary_path}")


@dataclass(repr=False)
class RunResult(ShortRepr):
    """Everything a run produced, in memory; the same data is in ``run_dir``.

    Rows are the dataset's items in its order (``dataset.ids``); label columns follow
    ``project.labels``. Where the reviews the run read decided an item, the run's label is
    the reviewed one: ``labels`` and ``triage`` hold the final labels, reviews applied,
    while ``probs`` and ``model`` are the label model's own view, before reviews.
    """

    run_id: str  # the run's folder name under the runs folder
    run_dir: Path  # ``runs/<run_id>/``, where every output below was written
    project: Project  # the project as loaded (config, LFs, glossaries, pipeline)
    dataset: Dataset  # the items read (ids, texts, gold); ``dataset.warnings``: the data's
    #: the LFs' votes (``applied.matrix.votes``: items x LFs, -1 an abstain) and failures
    #: (``applied.failures``), as ``label_matrix.parquet`` and the run's failures
    applied: ApplyResult
    #: one row per LF, as ``lf_summary.csv``: coverage, overlaps, conflicts, accuracy on
    #: gold and reviewed labels, the label model's learned accuracy
    lf_table: pd.DataFrame
    #: as ``labels.parquet``: the final ``label``, ``confidence``, ``prob_<label>``,
    #: ``status``, ``reasons``, ``label_source`` (review, copy, model or none; ``copy_of``
    #: names the reviewed item a copy took its label from), and the label
    #: model's own ``model_label`` and ``model_confidence``; on a reviewed row (label_source
    #: "review") ``prob_<label>`` is all on the reviewed label
    labels: pd.DataFrame
    #: the label model's probabilities (items x labels) for every item, BEFORE reviews: on
    #: reviewed rows they differ from ``labels``' ``prob_<label>`` columns (which are all
    #: on the reviewed label there); elsewhere they are the same. An item no LF voted on has
    #: a row here too, yet no label (``labels.label`` is missing there)
    probs: np.ndarray
    #: the final triage, reviews applied (``label``: class index or -1, ``confidence``,
    #: ``status``: accepted | review | reviewed, ``reasons``, ``order``: the review queue,
    #: most useful first), as ``labels`` and ``review.csv`` give it
    triage: Triage
    #: the fitted label model (for ``auto``, the wrapper: ``model.chosen_`` says what it
    #: chose, ``model.model_`` is that model); saved as ``label_model.json``
    model: Any
    model_name: str  # ``[label_model] name`` (``auto``, ``majority``, ...)
    #: accuracy on the held-out gold items, reviewed ones left out: the label model's own
    #: labels (before reviews) against majority vote ({} without gold); as the manifest's
    #: ``evaluation``
    evaluation: dict[str, Any]
    #: seconds per step, as the manifest's ``timings_seconds``, plus ``publish`` (the
    #: manifest, the outputs' hashes and the report, written after the manifest's timings)
    timings: dict[str, float]
    #: what the command prints as warnings, besides the data's (``dataset.warnings``) and
    #: LF failures: the reviews (stale decisions, items awaiting adjudication), labels
    #: whose index order changed since the last run, class imbalance, labels no LF votes
    #: for or the model all but never gives, gold labels that differ from reviews, LFs
    #: below chance or misread by the label model; the manifest
    #: records them (``run_warnings``) and the report leads with them
    warnings: list[str] = field(default_factory=list)

    @property
    def coverage(self) -> float:
        return coverage(self.applied.matrix)

    @property
    def confusion(self) -> pd.DataFrame | None:
        """The label model's own labels on the held-out gold items (gold, not reviewed),
        counted by gold label (rows) and the label it gave (columns: the labels, then
        ``(none)`` for no label), as the report's confusion table; None without such items.
        Its diagonal over its total is ``evaluation["label_model"]["accuracy"]``."""
        return run_confusion(self.labels, self.project.labels)

    @property
    def per_label(self) -> pd.DataFrame | None:
        """Per label, on the same items as :attr:`confusion`: ``support`` (gold items of
        the label), ``predicted`` (items given it), ``correct``, ``precision``, ``recall``
        and ``f1`` (NaN where there is nothing to divide by); None without held-out gold."""
        confusion = self.confusion
        return None if confusion is None else per_label_scores(confusion, self.project.labels)

    def summary(self) -> dict[str, object]:
        """What ``repr(result)`` shows: the run, its size, its model and its accuracy on
        held-out gold (None without gold), never the data."""
        return {"run_id": self.run_id, "run_dir": self.run_dir, "items": len(self.dataset),
                "lfs": len(self.applied.matrix.lf_names), "model": self.model_name,
                "accuracy": self.evaluation.get("label_model", {}).get("accuracy"),
                "warnings": len(self.warnings)}


def apply_project(
    project: Project,
    dataset: Dataset | None = None,
    *,
    fail_fast: bool = False,
    progress: Progress | None = None,
    engine: str | None = None,
    scheduler: str | None = None,
    cache: bool | None = None,
) -> tuple[Dataset, ApplyResult]:
    """Apply every LF of the project to its dataset (or to ``dataset``).

    ``engine`` (local, processes, dask), ``scheduler`` and ``cache`` override ``[apply]``.
    A ``dataset`` whose gold was read with other labels than the project's, or in another
    order, is a ValueError: its gold indices would name other labels.
    """
    if dataset is not None:
        same_gold_labels(dataset.gold_labels, project.config.labels, dataset.source)
    dataset, _, applied = _apply(project, dataset, fail_fast=fail_fast, progress=progress,
                                 engine=engine, scheduler=scheduler, cache=cache)
    return dataset, applied


def _apply(project: Project, dataset: Dataset | None, *, fail_fast: bool,
           progress: Progress | None, engine: str | None, scheduler: str | None,
           cache: bool | None) -> tuple[Dataset, Applier, ApplyResult]:
    """:func:`apply_project`, with the Applier it used: a run records how it applied the
    LFs (:func:`~labelwright.runs.apply_record.apply_record`)."""
    make_folders(project.config, runs=False, cache=cache)
    dataset = dataset if dataset is not None else project_dataset(project.config)
    advance = (lambda k: progress("apply", k, len(dataset))) if progress else None
    # an LF comparing a text column with a number never votes there: say so before it runs
    said = set(dataset.warnings)  # a dataset applied again is not warned twice
    dataset.warnings.extend(w for w in map(str, number_comparisons(project.lfs, dataset))
                            if w not in said)
    dataset.warnings.extend(w for w in never_returning(project.lfs) if w not in said)
    if any(lf.uses_doc for lf in project.lfs):  # an LF reading lemmas no pipeline gives
        dataset.warnings.extend(w for w in lemma_readers_without_lemmas(
            project.lfs, gives_lemmas(project.nlp), project.config.nlp.pipeline) if w not in said)
    applier = project.applier(fail_fast=fail_fast, engine=engine, scheduler=scheduler,
                              cache=cache, n_items=len(dataset))
    return dataset, applier, applier.apply(dataset, progress=advance)


def project_dataset(config: ProjectConfig, frame: pd.DataFrame | None = None) -> Dataset:
    """The project's dataset (or ``frame``, read with the ``[data]`` columns as a file is:
    ``run_project(path, data=df)``), with a warning for columns an LF cannot read as an item
    attribute (a column named ``doc``: ``item.doc`` is the spaCy Doc). A dataset file that
    is not there is named with the config key that names it: the path alone did not say
    where it came from."""
    try:
        dataset = (read_dataset(config.data, config.labels) if frame is None
                   else frame_dataset(frame, config))
    except DataError as exc:
        if frame is not None or config.data.path.exists() or config.data.path_from is not None:
            raise
        raise DataError(f"{config.config_path}: [data] path = {_as_written(config)!r}: {exc}"
                        ) from None
    hidden = ProjectItem.shadowed([*(name for name, _ in named_columns(dataset.data_columns)),
                                   *map(str, dataset.fields.columns)])
    if hidden:
        dataset.warnings.append(
            f"{config.data.path}: column(s) {', '.join(map(repr, hidden))} share a name with "
            "what an item has itself (item.id, item.text, item.doc, item.matches, "
            f"item.matched ...): read them as item.fields[{hidden[0]!r}], not "
            f"item.{hidden[0]}")
    return dataset


def frame_dataset(frame: pd.DataFrame, config: ProjectConfig) -> Dataset:
    """``frame`` as the project's items: its ``[data]`` id, text and gold columns and
    ``bad_rows``, its labels; its hash :func:`~labelwright.data.frame_hash.frame_sha256` of
    the frame as given."""
    data = config.data
    return dataset_from_frame(frame, id_column=data.id_column, text_column=data.text_column,
                              gold_column=data.gold_column, labels=config.labels,
                              source=FRAME_SOURCE, sha256=frame_sha256(frame),
                              bad_rows=data.bad_rows)


def _as_written(config: ProjectConfig) -> str:
    """``[data] path`` as the config gives it: relative to the project folder, unless it
    lies outside it (an absolute path)."""
    try:
        return config.data.path.relative_to(config.root).as_posix()
    except ValueError:
        return str(config.data.path)


def evaluate(gold: np.ndarray, predicted: np.ndarray, votes: np.ndarray, n_labels: int,
             seed: int, *, fit_on: np.ndarray | None = None,
             tie_break: str = "random", row_ids: np.ndarray | None = None) -> dict[str, Any]:
    """Accuracy of the label model and of majority vote on the items with gold labels.

    Items left without a label count as wrong, so accuracy is over all gold items;
    ``covered_accuracy`` is over gold items that got a label. Gold items in ``fit_on``
    (reviewed items, whose reviewed labels the label model was fit with) are not held out:
    they are left out and counted in ``reviewed_left_out``. Majority vote breaks ties as
    the project's label model does (``tie_break``, by ``row_ids``): with ``abstain`` a tied
    item is left without a label by both, so the two rows compare models, not tie-break
    rules.
    """
    judged = gold >= 0
    left_out = 0
    if fit_on is not None:
        left_out = int((judged & fit_on).sum())
        judged = judged & ~fit_on
    if not judged.any():
        return {}
    majority = models.get_model("majority", cardinality=n_labels, random_state=seed,
                                tie_break=tie_break).fit(votes)
    majority_pred = np.where((votes >= 0).any(axis=1),
                             majority.predict(votes, row_ids=row_ids), -1)
    out: dict[str, Any] = {"n_gold": int(judged.sum()), "reviewed_left_out": left_out}
    for name, pred in (("label_model", predicted), ("majority_vote", majority_pred)):
        g, p = gold[judged], pred[judged]
        labeled = p >= 0
        out[name] = {
            "accuracy": float((p == g).mean()),
            "covered_accuracy": float((p[labeled] == g[labeled]).mean()) if labeled.any() else None,
            "labeled": int(labeled.sum()),
        }
    return out


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


def project_reviews(config: ProjectConfig, dataset: Dataset) -> ReviewedLabels:
    """The reviewed labels of the ledger for the dataset's items, under the project's
    review policy (decisions made on a text an item no longer has are set aside)."""
    return reviewed_labels(config.root, dataset.ids, config.labels,
                           policy=config.review.policy, runs_dir=config.runs_path,
                           adjudicators=config.review.adjudicators,
                           same_rater=dict(config.review.same_rater),
                           renamed=dict(config.renamed),
                           texts=dataset.texts, data_sha256=dataset.sha256,
                           data_columns=config.data_columns)


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


def run_project(
    path: str | Path = ".",
    *,
    fail_fast: bool = False,
    progress: Progress | None = None,
    project: Project | None = None,
    report: bool = True,
    engine: str | None = None,
    scheduler: str | None = None,
    cache: bool | None = None,
    stage: Stage | None = None,
    data: str | Path | pd.DataFrame | None = None,
) -> RunResult:
    """Apply, fit, triage and write ``runs/<run_id>/``; returns what was written.

    ``data``: a dataset file to read in place of ``[data] path`` (relative to the current
    folder; the manifest records it, with ``data.path_from = "--data"``); not with
    ``project``, whose config says what it reads (load it with ``load_project(path,
    data=...)``). Or a pandas DataFrame, read with the ``[data]`` columns as a file is (with
    ``project`` too): the manifest records ``data.path_from = "DataFrame"``, its shape,
    columns and content hash (:func:`~labelwright.data.frame_hash.frame_sha256`).

    ``progress`` hears how far the apply is; ``stage`` hears when each later step starts
    (``label model``, ``review ranking``, ``outputs``), which take most of the rest.
    """
    stage = stage or (lambda name: None)
    started_at = datetime.now(UTC)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    frame = data if isinstance(data, pd.DataFrame) else None
    if not isinstance(data, str | Path | pd.DataFrame | None):
        raise TypeError(f"run_project: data is a {type(data).__name__}; give a dataset file's "
                        "path or a pandas DataFrame (pd.DataFrame(...) makes one of rows)")
    if project is not None and data is not None and frame is None:
        raise ValueError("run_project: give data or project, not both: a loaded project "
                         "reads the file its config names (load_project(path, data=...))")
    project = project or load_project(path, data=None if frame is not None else data)
    if frame is not None:  # the run's config says its items came from the frame
        project = replace(project, config=with_frame(project.config))
    config = project.config
    timings["load"] = time.perf_counter() - t0

    make_folders(config, cache=cache)
    reordered = label_order_warnings(config, project.lfs)  # before this run is the latest

    t0 = time.perf_counter()
    framed = project_dataset(config, frame) if frame is not None else None
    dataset, applier, applied = _apply(project, framed, fail_fast=fail_fast, progress=progress,
                                       engine=engine, scheduler=scheduler, cache=cache)
    timings["apply"] = time.perf_counter() - t0
    how_applied = apply_record(applier, applied, requested=engine or config.apply.engine)
    votes = applied.matrix.votes
    reviewed = project_reviews(config, dataset)

    stage("label model")
    t0 = time.perf_counter()
    model = fit_label_model(config, votes, y_dev=reviewed.gold if reviewed.n_gold else None,
                            sampled=reviewed.sampled,
                            sample_unsettled=reviewed.sample_undecided)
    probs = model.predict_proba(votes)
    # ties broken by the items' ids, not their rows: a re-ordered file keeps its labels
    row_ids = id_numbers(dataset.ids)
    predicted = model.predict(votes, row_ids=row_ids)
    timings["fit"] = time.perf_counter() - t0
    warnings = reordered + review_warnings(reviewed, str(config.data.path),
                                           labels=config.labels)
    warnings += session_warnings(session_lfs(project))  # LFs the LF folder does not hold
    # items with one text: one of them queued, a reviewed one's label for the others
    copies = use_copies(config.review.copies, dataset.texts, reviewed.gold, reviewed.reviewers,
                        dataset.ids, config.labels, policy=config.review.policy,
                        adjudicators=reviewed.adjudicators)
    warnings += copy_warnings(copies.carried)
    known = copies.known(reviewed.gold)
    lost = lost_to_deletion(reviewed, copies, dataset.texts, config.runs_path, config.labels)
    warnings += lost_copies_warning(lost)  # copies of a reviewed row deleted from the data
    # majority vote's labels on covered items do not depend on the prior (bar ties)
    if config.label_model.class_balance is None and hasattr(model, "class_balance_") \
            and config.label_model.name not in ("majority", "weighted_majority"):
        imbalance = imbalance_warning(votes, config.labels, model.class_balance_,
                                      reviewed=reviewed.n_gold)
        warnings += [imbalance] if imbalance else []

    t0 = time.perf_counter()
    ranked = None
    if config.triage.ranking == "combined":
        stage("review ranking")
        # an item no LF voted on gets no label: its signals must not score the coin flip
        # the tie-break gave it
        given = np.where((votes >= 0).any(axis=1), predicted, -1)
        ranked = rank_queue(probs, votes, dataset.texts, seed=config.seed,
                            reviewed_gold=reviewed.gold if reviewed.n_gold else None,
                            label=given, workers=config.apply.workers,
                            features=config.end_model.features,
                            cache_dir=config.root / STATE_DIR / "cache" / "term_counts"
                            if (config.apply.cache if cache is None else cache) else None,
                            groups=copies.copies.group)  # found once, for the queue too
    timings["rank"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    model_triage = triage(probs, votes, predicted, threshold=config.triage.threshold,
                          audit_size=config.triage.audit_size, seed=config.seed,
                          review_conflicts=config.triage.review_conflicts,
                          reviewed=known >= 0, disputed=reviewed.disputed,
                          score=ranked.score if ranked is not None else None,
                          ids=dataset.ids,  # drawn by id: a re-ordered file audits the same
                          gold=dataset.gold >= 0,  # held out: the audit draws unknown labels
                          texts=copies.texts,  # ties to the text more items hold
                          copies_disagree=copies.waiting, stale=stale_items(reviewed, lost))
    tri, label_source = apply_reviews(model_triage, known)
    if copies.carried is not None:
        label_source = copies.carried.sources(label_source)
    tri = copies.cut_queue(tri)
    timings["triage"] = time.perf_counter() - t0

    labels = labels_frame(dataset, config.labels, tri, probs, label_source, model_triage,
                          copy_of=copies.carried.copy_of if copies.carried is not None
                          else None)
    lf_table, known, clash = counted_lf_table(project, dataset, applied, reviewed)
    warnings += clash
    warnings += unvoted_labels_warnings(votes, config.labels, tri.label)
    warnings += rarely_given_warnings(votes, model_triage.label, config.labels)
    warnings += unsupported_labels_warnings(votes, model_triage.label, config.labels,
                                            dataset.ids)
    lf_table = learned_table(lf_table, model, votes, probs)
    assumed = assumed_accuracies(model, applied.matrix.lf_names, votes)
    warnings += below_chance(applied.matrix, known, assumed, fit_on=reviewed.gold,
                             learned=dict(zip(lf_table["lf"], lf_table["learned_accuracy"]))
                             if "learned_accuracy" in lf_table.columns else None,
                             predicted=model_triage.label)
    if "learned_accuracy" in lf_table.columns:  # against gold the model was not fit on
        warnings += misread(applied.matrix, np.where(reviewed.gold >= 0, -1, dataset.gold),
                            dict(zip(lf_table["lf"], lf_table["learned_accuracy"])), assumed,
                            sampled=int(reviewed.sampled.sum())
                            if reviewed.sampled is not None else 0)
    # Held-out gold measures the label model itself, before reviewed labels replace its own.
    evaluation = evaluate(dataset.gold, model_triage.label, votes, len(config.labels),
                          config.seed, fit_on=reviewed.gold >= 0,
                          tie_break=config.label_model.tie_break, row_ids=row_ids)

    stage("outputs")
    t0 = time.perf_counter()
    writer = RunWriter(config.runs_path)
    try:
        # adds the "outputs" step to timings before the manifest records them
        run_dir = write_outputs(writer, project, dataset, applied, lf_table, labels,
                                probs, tri, model, evaluation, timings, started_at,
                                reviewed, ranked, report=report, how_applied=how_applied,
                                run_warnings=warnings, copies=copies)
    except BaseException:
        writer.abandon()
        raise
    # the manifest, the outputs' hashes and the report, which the manifest cannot time
    timings["publish"] = time.perf_counter() - t0 - timings["outputs"]
    timings["write"] = timings["outputs"] + timings["publish"]  # its name before the two
    return RunResult(
        run_id=writer.run_id, run_dir=run_dir, project=project, dataset=dataset,
        applied=applied, lf_table=lf_table, labels=labels, probs=probs, triage=tri,
        model=model, model_name=config.label_model.name, evaluation=evaluation, timings=timings,
        warnings=warnings,
    )
