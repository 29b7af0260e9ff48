"""Applying a project's LFs to its dataset: the dataset read (from its file or a
DataFrame) with warnings for what LFs cannot read, then the label matrix."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from labelwright.apply import Applier, ApplyResult, LFFailures
from labelwright.apply.scheduler_address import Scheduler
from labelwright.caches import CacheOption
from labelwright.config import ProjectConfig
from labelwright.data.dataset import Dataset, item_places, read_dataset, require_dataset
from labelwright.data.gold import same_gold_labels
from labelwright.data.project_frame import frame_dataset
from labelwright.errors import BadVoteError, DataError, LFFailure
from labelwright.folders import make_folders
from labelwright.glossaries.checks import glossary_warnings
from labelwright.lfs.failure_text import error_line
from labelwright.lfs.gold_field import gold_field_hint
from labelwright.lfs.item import shadowed_warning
from labelwright.lfs.lemma_reads import no_lemmas_read_note
from labelwright.lfs.literal_votes import (
    bad_literal_votes,
    never_returning,
    never_returning_lfs,
)
from labelwright.lfs.number_comparisons import number_comparisons
from labelwright.lfs.pipeline_reads import pipeline_read_warnings, silent_lfs
from labelwright.project.key_changes import key_change_note, scheme_change_note
from labelwright.project.load import Project, require_lfs
from labelwright.warning_kinds import kinded

Progress = Callable[[str, int, int], None]  # (step, advance, total)

log = logging.getLogger(__name__)

#: true while the caller shows the LFs' failures itself (the CLI's ``run`` and
#: ``analyze`` print each LF's failures and exit 1 when one raised on every item)
_FAILURES_SHOWN = contextvars.ContextVar("labelwright_lf_failures_shown", default=False)


@contextmanager
def lf_failures_shown_by_caller() -> Iterator[None]:
    """Applies inside this block log no warning of an LF that raised on every item
    (:func:`warn_broken_lfs`): the caller shows the failures itself."""
    token = _FAILURES_SHOWN.set(True)
    try:
        yield
    finally:
        _FAILURES_SHOWN.reset(token)


def warn_broken_lfs(failures: Mapping[str, LFFailures], items: int,
                    locations: Mapping[str, str],
                    places: Mapping[str, str] | None = None) -> None:
    """A ``logging`` warning for each LF that raised on every one of ``items``, naming it,
    where it is and its first error: its votes are all abstains, and the apply went on
    (without ``fail_fast``), so in a notebook only ``applied.failures`` held it. Not inside
    :func:`lf_failures_shown_by_caller`. ``places``: the first items' ids with their part
    and row, for a dataset in many files (:func:`~labelwright.data.dataset.item_places`,
    as the CLI names them)."""
    if _FAILURES_SHOWN.get():
        return
    for name, failure in failures.items():
        if failure.count < items or items == 0:
            continue
        at = f", raised at {failure.raised_at}" if failure.raised_at else ""
        first = failure.item_ids[0] if failure.item_ids else "?"
        first = (places or {}).get(first, repr(first))
        log.warning("LF %s (%s) raised on every one of the %s items, so its votes are all "
                    "abstains; first error (item %s%s): %s; the traceback is "
                    "applied.failures[%r].traceback (fail_fast=True stops at the first)",
                    name, locations.get(name, "?"), f"{items:,}", first, at,
                    error_line(failure.traceback), name)


def apply_project(
    project: Project,
    dataset: Dataset | None = None,
    *,
    fail_fast: bool = False,
    progress: Progress | None = None,
    engine: str | None = None,
    scheduler: Scheduler | None = None,
    cache: CacheOption = None,
) -> tuple[Dataset, ApplyResult]:
    """Apply every LF of the project to its dataset (or to ``dataset``).

    ``engine`` (local, processes, dask), ``scheduler`` and ``cache`` override ``[apply]``.
    A ``dataset`` whose gold was read with other labels than the project's, or in another
    order, is a ValueError: its gold indices would name other labels.
    """
    if dataset is not None:
        dataset = require_dataset(dataset, "apply_project", project.config.labels)
        same_gold_labels(dataset.gold_labels, project.config.labels, dataset.source)
    dataset, _, applied, _ = apply_lfs(project, dataset, fail_fast=fail_fast,
                                       progress=progress, engine=engine, scheduler=scheduler,
                                       cache=cache)
    return dataset, applied


def stop_on_literal_votes(project: Project) -> None:
    """Stop before the LFs run when their code returns a literal that is no vote (``return
    "Toxic"`` with the label ``toxic``), naming every one as ``check`` does: the run
    stopped only once the LFs had run on every item, and named those its items reached
    (:mod:`~labelwright.lfs.literal_votes`: read from the code, so whatever the data)."""
    literals = bad_literal_votes([lf for lf in project.lfs if lf.kind != "glossary"],
                                 project.config.labels)
    if literals:
        first = literals[0]
        raise BadVoteError("\n".join(map(str, literals)) + "\n(read from the LFs' code, "
                           "before applying them; nothing was applied)", first.lfs[0],
                           repr(first.value))


def apply_lfs(project: Project, dataset: Dataset | None, *, fail_fast: bool,
              progress: Progress | None, engine: str | None, scheduler: Scheduler | None,
              cache: CacheOption, stage: Callable[[str], None] | None = None
              ) -> tuple[Dataset, Applier, ApplyResult, set[str]]:
    """:func:`apply_project`, with the Applier it used: a run records how it applied the
    LFs (:func:`~labelwright.runs.apply_record.apply_record`); and the LFs that voted on no
    item which no warning of the dataset's explains (their code has no ``return`` of a
    value, or they read what the pipeline does not fill): a run warns of those
    (:func:`~labelwright.lfs.lf_warnings.never_voted`), once. ``stage`` hears the apply's work
    after the engine start (:meth:`~labelwright.apply.applier.Applier.apply`)."""
    require_lfs(project)
    stop_on_literal_votes(project)
    make_folders(project.config, runs=False, cache=cache)
    dataset = dataset if dataset is not None else project_dataset(project.config)
    advance = (lambda k: progress("apply", k, len(dataset))) if progress else None
    # an LF comparing a text column with a number never votes there: say so before it runs
    # each with the kind `check` gives the same warning (warning_kinds; the data reader's
    # own are `data`)
    said = set(dataset.warnings)  # a dataset applied again is not warned twice
    dataset.warnings.extend(w for w in kinded("lf_code", map(str, number_comparisons(
        project.lfs, dataset))) if w not in said)
    returning_none = never_returning_lfs(project.lfs)
    dataset.warnings.extend(w for w in kinded("lf_code", never_returning(returning_none))
                            if w not in said)
    dataset.warnings.extend(w for w in kinded("glossary",
                                              glossary_warnings(project.glossaries))
                            if w not in said)
    note = no_lemmas_read_note(project.config.nlp, project.glossaries, project.lfs)
    if note is not None and note not in said:
        dataset.warnings += kinded("pipeline", [note])
    applier = project.applier(fail_fast=fail_fast, engine=engine, scheduler=scheduler,
                              cache=cache, n_items=len(dataset))
    # a setting of [apply] that what this run named overrides: said, never dropped in silence
    if applier.engine_note is not None and applier.engine_note not in said:
        dataset.warnings += kinded("settings", [applier.engine_note])
    try:
        applied = applier.apply(dataset, progress=advance, stage=stage)
    except LFFailure as exc:  # --fail-fast: the worker that raised it knows no gold column
        hint = gold_field_hint(str(exc), dataset.gold_column)
        if not hint or type(exc) is not LFFailure:
            raise
        raise LFFailure(f"{exc}; {hint}") from exc
    applied.key_note = (key_change_note(project.config, dataset, applied)
                        or scheme_change_note(applier.cache, applied))
    warn_broken_lfs(applied.failures, len(dataset), {lf.name: lf.location for lf in project.lfs},
                    item_places(dataset, [i for f in applied.failures.values()
                                          for i in f.item_ids[:1]]))
    dataset.warnings.extend(w for w in kinded("lf_code", applied.stale_modules)
                            if w not in said)
    # an LF reading lemmas, tags, the parse or entities the pipeline does not fill: "never
    # votes" of those whose coverage was 0
    silent = silent_lfs(applied.matrix.votes, applied.matrix.lf_names)
    read_said, unread = pipeline_read_warnings(
        project.lfs, project.nlp, project.config.nlp.pipeline, silent,
        lemmatizer=project.config.nlp.lemmatizer)
    dataset.warnings.extend(w for w in kinded("pipeline", read_said) if w not in said)
    return dataset, applier, applied, silent - unread - {lf.name for lf in returning_none}


def project_dataset(config: ProjectConfig, frame: pd.DataFrame | None = None) -> Dataset:
    """The project's dataset (or ``frame``, read with the ``[data]`` columns as a file is:
    ``run_project(path, data=df)``), with a warning for columns an LF cannot read as an item
    attribute (a column named ``doc``: ``item.doc`` is the spaCy Doc). A dataset file that
    is not there, or is a folder, is named with the config key that names it: the path
    alone did not say where it came from."""
    try:
        dataset = (read_dataset(config.data, config.labels) if frame is None
                   else frame_dataset(frame, config))
    except DataError as exc:
        if frame is not None or config.data.path_from is not None or config.data.path.is_file():
            raise
        raise DataError(f"{config.config_path}: [data] path = {_as_written(config)}: {exc}"
                        ) from None
    said = shadowed_warning(str(config.data.path), dataset.data_columns,
                            map(str, dataset.fields.columns))
    if said is not None:
        dataset.warnings.append(said)
    return dataset


def _as_written(config: ProjectConfig) -> str:
    """``[data] path`` as the config gives it, quoted: each path relative to the project
    folder, unless it lies outside it (an absolute path); a list of files as the list, not
    their common folder (which ``path`` holds then)."""
    def written(path: Path) -> str:
        try:
            return path.relative_to(config.root).as_posix()
        except ValueError:
            return str(path)

    if config.data.parts is not None:
        return f"[{', '.join(repr(written(p)) for p in config.data.parts)}]"
    return repr(written(config.data.path))
