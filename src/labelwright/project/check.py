"""``labelwright check``: everything that can be found wrong in a project before a run.

Every problem is collected, not just the first: the config, the pipeline, the glossaries
(and lemma clashes between them), the LF modules (and the literals their LFs return: a
label the project does not have), the dataset, and a trial of every LF on
:data:`~labelwright.project.check_trial.CHECK_ROWS` items spread evenly over the data
(:mod:`labelwright.project.check_trial`). Warnings name
what works but may not be meant (LF files that are not searched, lemma mode or LFs
reading lemmas without lemmas, exclusions that never fit, columns an item attribute
hides). :func:`labelwright.project.load_project` and
the run use the same checks where they apply.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from labelwright.apply.engines import default_workers
from labelwright.apply.outside_code import outside_code_warnings
from labelwright.apply.scheduler_reach import Reached, reach_scheduler
from labelwright.config import ProjectConfig, load_config
from labelwright.config.data_override import with_data
from labelwright.config.settings import audit_below_labels, lookalike_labels
from labelwright.counts import counted, some_of
from labelwright.errors import (
    ConfigErrors,
    GlossaryError,
    LabelwrightError,
    LFError,
    UnknownGoldError,
)
from labelwright.folders import check_folders, folder_problems, unwritable_folders
from labelwright.glossaries.checks import (
    glossary_warnings,
)
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.reading import GLOSSARY_SUFFIXES, load_glossaries
from labelwright.lfs.code_reads import reads_item_doc
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.discovery import discover
from labelwright.lfs.lemma_reads import no_lemmas_read_note
from labelwright.lfs.literal_votes import (
    bad_literal_votes,
    never_returning,
    spelt_out_votes,
)
from labelwright.lfs.number_comparisons import number_comparisons
from labelwright.lfs.pipeline_reads import pipeline_read_warnings
from labelwright.lfs.undecorated import undecorated_lfs
from labelwright.models.configured import make_label_model
from labelwright.nlp import load_pipeline
from labelwright.nlp.segmenters import package_missing
from labelwright.project.apply import project_dataset
from labelwright.project.check_trial import trial_apply, trial_project
from labelwright.project.engine_choice import engine_problems
from labelwright.project.inputs import crossed_constants, label_order_warnings
from labelwright.project.label_coverage import unvoted_labels_check
from labelwright.project.load import (
    Project,
    no_lfs,
    refuse_file_beside_project,
)
from labelwright.short_repr import ShortRepr
from labelwright.warning_kinds import kinded

T = TypeVar("T")


@dataclass(repr=False)
class CheckReport(ShortRepr):
    config: ProjectConfig | None = None
    n_lfs: int = 0
    n_glossaries: int = 0
    n_terms: int = 0
    #: the terms and their synonyms: what is matched (1,408 of them read as "24 terms")
    n_phrases: int = 0
    n_items: int = 0
    #: the items every LF was tried on (the first ones of the dataset)
    n_tried: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: LFs that raised on half the items tried or more, but not on all (broken, not rules
    #: that abstain: the ok line says so)
    mostly_failing: list[str] = field(default_factory=list)
    #: LFs that voted on none of the items tried (abstained or failed on each)
    never_voted: set[str] = field(default_factory=set)
    #: the Dask scheduler a run would use (``[apply] scheduler`` or ``--scheduler``), as
    #: check reached it (:mod:`labelwright.apply.scheduler_reach`); None: none named
    scheduler: Reached | None = None

    def attempt(self, step: Callable[..., T], *args: Any) -> T | None:
        """``step(*args)``, or None with its error in the problems (a glossary error, or
        one of unknown gold labels, lists one problem a line)."""
        try:
            return step(*args)
        except (GlossaryError, UnknownGoldError, ConfigErrors) as exc:
            self.problems.extend(str(exc).splitlines())
        except LFError as exc:  # discovery says every broken module and clash, each whole
            self.problems.extend(exc.errors or [str(exc)])
        except LabelwrightError as exc:
            self.problems.append(str(exc))
        return None

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, object]:
        """What ``repr`` shows: the verdict and counts, not the whole config (``.config``)
        nor every message (``.problems``, ``.warnings``)."""
        return {"ok": self.ok, "project": self.config.root if self.config else None,
                "lfs": self.n_lfs, "glossaries": self.n_glossaries, "items": self.n_items,
                "tried": self.n_tried, "problems": len(self.problems),
                "warnings": len(self.warnings)}


def unread_glossary_files(folder: Path) -> list[str]:
    """Files in the glossary folder that are not read as glossaries: lists in another
    format (``.txt``, ``.csv`` ...), and glossaries in sub-folders (only the .yaml / .yml
    files right in the folder are read), as :func:`unread_lf_files` says of LF modules."""
    if not folder.is_dir():
        return []
    warnings = []
    unread = sorted(p.name for p in folder.iterdir() if p.is_file()
                    and p.suffix.lower() in (".json", ".csv", ".tsv", ".txt", ".toml"))
    if unread:
        warnings.append(f"{folder}: {', '.join(unread)} not read: glossaries are .yaml / .yml "
                        "files (see README, Writing a glossary)")
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()
                      and not p.name.startswith(".") and p.suffix.lower() not in GLOSSARY_SUFFIXES):
        found = sorted(f.relative_to(sub).as_posix() for f in sub.rglob("*")
                       if f.is_file() and f.suffix.lower() in GLOSSARY_SUFFIXES)
        if found:
            warnings.append(f"{sub}: {some_of(found)} not read: only the .yaml / .yml files "
                            f"right in {folder} are glossaries; move them up to be read, or "
                            "out of the folder to keep them unread")
    return warnings


def unread_lf_files(folder: Path) -> list[str]:
    """Python files in the LF folder that discovery does not read for LFs: ``.PY`` (any
    case but ``.py``) and modules in sub-folders (helpers when an LF module imports them)."""
    if not folder.is_dir():
        return []
    warnings = []
    odd = sorted(p.name for p in folder.iterdir()
                 if p.is_file() and p.suffix.lower() == ".py" and p.suffix != ".py")
    if odd:
        warnings.append(f"{folder}: {', '.join(odd)} not read: LF modules end in .py "
                        "(lowercase); rename them")
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()
                      and not p.name.startswith((".", "_")) and p.name != "__pycache__"):
        if any(f.suffix.lower() == ".py" for f in sub.rglob("*")):
            warnings.append(f"{sub}: its Python files are not searched for LFs (only the "
                            f".py files right in {folder} are); they serve as helpers when an "
                            "LF module imports them -- move LFs up to be found")
    return warnings


def engine_missing(config: ProjectConfig) -> list[str]:
    """The configured engine's package, when it is not installed (every run would fail)."""
    if config.apply.engine != "dask" and not (config.apply.engine is None
                                               and config.apply.scheduler):
        return []
    if importlib.util.find_spec("distributed") is not None:
        return []
    key = "engine" if config.apply.engine else "scheduler"
    return [f"{config.where(('apply', key))}: [apply] "
            + ('engine = "dask"' if config.apply.engine else "scheduler (a Dask cluster)")
            + " needs dask.distributed, which is not installed: pip install "
            "'labelwright[dask]'"]


def check_scheduler(address: str | None, source: str = "[apply] scheduler"
                    ) -> tuple[Reached | None, list[str], list[str]]:
    """Reach the scheduler at ``address``: what was found there (None: none named, nothing
    contacted), then the problems and the warnings. One that cannot be reached is a
    problem naming ``source`` (where the address came from), one without workers a warning
    (a run computing votes would fail on either; one reading every vote from the cache
    contacts none)."""
    if not address:
        return None, [], []
    reached = reach_scheduler(address, source=source)
    if reached.problem is not None:
        return reached, [reached.line()], []
    return reached, [], [] if reached.workers else [reached.line()]


def workers_over_cores(config: ProjectConfig) -> list[str]:
    """``[apply] workers`` above the cores this process may use, on the engine that starts
    them here (processes; a local Dask cluster): the extra workers share the cores, each
    with its own memory (the pipeline, the LFs), and gain nothing."""
    workers, engine = config.apply.workers, config.apply.engine
    if workers is None or engine == "local" or config.apply.scheduler:
        return []
    cores = default_workers()
    if workers <= cores:
        return []
    return [f"{config.where(('apply', 'workers'))}: [apply] workers = {workers}, on a machine "
            f"where this process may use {counted(cores, 'core')}: the extra workers share "
            "those cores (each holding its own copy of the pipeline and the LFs) and make no "
            f"run faster; write workers = {cores} or leave it out (one per usable core)"]


def check_project(path: str | Path = ".", *,
                  data: str | Path | pd.DataFrame | None = None,
                  project: Project | None = None,
                  scheduler: str | None = None) -> CheckReport:
    """Validate config, LFs, glossaries and dataset; collect every problem found: a broken
    part leaves out only what depends on it
    (:func:`~labelwright.project.check_trial.trial_project`). ``data``: a dataset file to
    check in place of ``[data] path`` (``--data``; relative to the current folder), or a
    pandas DataFrame (as ``run_project(path, data=df)`` reads it).

    ``project``: a project loaded already (:func:`~labelwright.project.load_project`, with
    the LFs and glossaries a session added), checked in place of the folder at ``path`` as
    ``run_project(project=...)`` runs it: its config, pipeline, glossaries and LFs as it
    holds them; ``data`` is then a DataFrame only (a file, as for ``run_project``, is a
    ValueError: ``load_project(path, data=...)`` reads one).

    ``scheduler``: a Dask scheduler address to reach in place of ``[apply] scheduler``
    (``check --scheduler``); either is connected to with a short timeout
    (:func:`check_scheduler`)."""
    report = CheckReport()
    config: ProjectConfig | None
    if project is not None:
        config, frame = _given_config(project, data)
    else:
        config = report.attempt(load_config, path)
        frame = None
        if config is not None and data is not None:
            config, frame = (report.attempt(with_data, config, data, "check_project")
                             or (None, None))
    if config is None:
        return report
    report.config = config
    report.warnings.extend(kinded("labels", lookalike_labels(config.labels,
                                                          config.where(("project", "labels")))))
    report.warnings.extend(kinded("settings", audit_below_labels(
        config.triage.audit_size, config.labels, config.where(("triage", "audit_size")))))
    report.attempt(check_folders, config)
    report.problems.extend(folder_problems(config, runs=False))  # runs: check_folders'
    report.problems.extend(unwritable_folders(config))  # not check_folders': read-only use
    missing = engine_missing(config)
    report.problems.extend(missing)
    report.problems.extend(engine_problems(config))  # lf_timeout beside dask
    report.warnings.extend(kinded("settings", workers_over_cores(config)))
    if not missing:
        report.scheduler, unreached, idle = check_scheduler(
            scheduler or config.apply.scheduler,
            "check --scheduler" if scheduler else "[apply] scheduler")
        report.problems.extend(unreached)
        report.warnings.extend(kinded("settings", idle))
    report.attempt(make_label_model, config)
    nlp = project.nlp if project is not None else report.attempt(load_pipeline, config.nlp)
    for key in config.nlp.unused:
        report.warnings += kinded("settings", [
            f"{config.where(('nlp', key))}: [nlp] {key} sets up the blank pipeline only; the "
            f"named pipeline {config.nlp.pipeline!r} has its own components, so it is not used"])
    partly_read: list[Glossary] = []
    glossaries = (list(project.glossaries) if project is not None else
                  report.attempt(_load_glossaries, config.glossary_path, config.labels,
                                 partly_read))
    if glossaries is None:  # the warnings of what did read, beside the errors, in one round
        report.warnings.extend(kinded("glossary", glossary_warnings(partly_read)))
    else:
        report.n_glossaries = len(glossaries)
        report.n_terms = sum(len(g.terms) for g in glossaries)
        report.n_phrases = sum(g.n_phrases for g in glossaries)
    report.warnings.extend(kinded("lf_code", unread_glossary_files(config.glossary_path)))
    report.warnings.extend(kinded("lf_code", unread_lf_files(config.lf_path)))
    if project is not None:  # the session's LFs as well as the folder's
        python_lfs: list[LabelingFunction] | None = [lf for lf in project.lfs
                                                     if lf.kind != "glossary"]
        report.n_lfs = len(project.lfs)  # (a glossary's LF left out does not vote)
        report.problems.extend(_changed_files(project))
    else:
        python_lfs = (report.attempt(discover, config.lf_path) if config.lf_path.is_dir()
                      else [])
        report.n_lfs = len(python_lfs or []) + len(glossaries or [])
    literals = bad_literal_votes(python_lfs or [], config.labels)
    report.problems.extend(map(str, literals))
    crossed, passed = crossed_constants(config, python_lfs or [])
    report.problems.extend(crossed)
    report.warnings.extend(kinded("lf_code", [
        *passed, *never_returning(python_lfs or []),
        *undecorated_lfs(config.lf_path, config.labels),
        *label_order_warnings(config, python_lfs or [])]))
    if python_lfs is not None:  # what the LF modules import from the project folder
        report.warnings.extend(kinded("lf_code", outside_code_warnings(config.lf_path,
                                                                       config.root)))
    note = no_lemmas_read_note(config.nlp, glossaries or [], python_lfs or [])
    if note is not None and nlp is not None:
        report.warnings += kinded("pipeline", [f"{config.where(('nlp', 'lang'))}: {note}"])
    if project is not None and not project.lfs:
        report.problems.append(str(no_lfs(config, session=True)))
    elif project is None and python_lfs == [] and glossaries == []:  # not when one failed
        report.problems.append(str(no_lfs(config)))
    if nlp is not None and package_missing(nlp) and (
            glossaries or any(map(reads_item_doc, python_lfs or []))):
        # a pipeline that cannot parse, and something to parse: the error the run gives;
        # the rest is checked as with a broken pipeline
        stand_in: Any = nlp.tokenizer  # a PackageMissing (package_missing)
        report.problems.append(f"{config.where(('nlp', 'lang'))}: {stand_in.error()}")
        nlp = None
    dataset = report.attempt(project_dataset, config, frame)
    if dataset is not None:
        report.n_items = len(dataset)
        report.warnings.extend(kinded("data", dataset.warnings))
        report.warnings.extend(kinded("lf_code", map(str, number_comparisons(python_lfs or [],
                                                                             dataset))))
    tried = trial_project(config, nlp, glossaries, python_lfs or [], report, given=project,
                          texts=dataset.texts if dataset is not None else None)
    applied = (trial_apply(tried, dataset, report, literals)
               if tried is not None and dataset is not None else None)
    if nlp is not None:  # "never vote" only of the LFs the trial saw never vote
        said, _ = pipeline_read_warnings(
            python_lfs or [], nlp, config.nlp.pipeline,
            report.never_voted if applied is not None else None,
            lemmatizer=config.nlp.lemmatizer)
        report.warnings.extend(kinded("pipeline", said))
    if applied is not None and python_lfs is not None and glossaries is not None:
        spelt, unread = spelt_out_votes(python_lfs, config.labels)
        spelt |= {config.labels.index(g.label) for g in glossaries}
        # an LF set aside in the trial, or failing there, votes only what it spells out
        # unless unread names it, so spelt and unread judge it without its votes
        report.warnings.extend(kinded("labels", unvoted_labels_check(
            config.labels, applied.matrix.votes, spelt, unread)))
    return report


def _given_config(project: Project, data: str | Path | pd.DataFrame | None
                  ) -> tuple[ProjectConfig, pd.DataFrame | None]:
    """The config of the ``project`` check_project was given, reading the DataFrame
    ``data`` when it is one (returned too); refused as ``run_project(project=...)``
    refuses them: a project that is none (TypeError) and a file beside it (ValueError)."""
    if not isinstance(project, Project):
        raise TypeError(f"check_project: project is {type(project).__name__!r}; give a "
                        "loaded Project (labelwright.load_project(path), with_lfs(...)), or "
                        "the project's folder as path")
    if data is not None and not isinstance(data, pd.DataFrame | str | os.PathLike):
        with_data(project.config, data, "check_project")  # its TypeError
    refuse_file_beside_project("check_project", project, data)
    if data is None:
        return project.config, None
    return with_data(project.config, data, "check_project")


def _changed_files(project: Project) -> list[str]:
    """The problem of a loaded project whose LF or glossary files changed since it was
    loaded: a run of it would refuse to start (its record would be another version)."""
    changed = project.changed_since_loaded()
    if not changed:
        return []
    return [f"{', '.join(map(str, changed[:5]))} changed after the project was loaded: a "
            "run of this Project would refuse to start; load it again (load_project)"]


def _load_glossaries(folder: Path, labels: Sequence[str], partly_read: list[Glossary]
                     ) -> list[Glossary]:
    """:func:`load_glossaries`; when it fails, the glossaries (and parts) that did read are
    added to ``partly_read``."""
    try:
        return load_glossaries(folder, labels)
    except GlossaryError as exc:
        partly_read.extend(exc.read)
        raise
