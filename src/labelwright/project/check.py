"""``labelwright check``: everything that can be found wrong in a project before a run.

Every problem is collected, not just the first: the config, the pipeline, the glossaries
(and lemma clashes between them), the LF modules (and the literals their LFs return: a
label the project does not have), the dataset, and a trial of every LF on
:data:`CHECK_ROWS` items spread evenly over the data (:func:`trial_rows`). Warnings name
what works but may not be meant (LF files that are not searched, lemma mode or LFs
reading lemmas without lemmas, exclusions that never fit, columns an item attribute
hides). :func:`labelwright.project.load_project` and
the run use the same checks where they apply.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import spacy
from spacy.language import Language

from labelwright.apply import ApplyResult
from labelwright.apply.engines import default_workers
from labelwright.apply.outside_code import outside_code_warnings
from labelwright.apply.scheduler_reach import Reached, reach_scheduler
from labelwright.config import ProjectConfig, load_config
from labelwright.config.data_override import with_data
from labelwright.config.settings import audit_below_labels, lookalike_labels
from labelwright.counts import counted, some_of
from labelwright.data.dataset import Dataset
from labelwright.errors import (
    ConfigErrors,
    GlossaryError,
    LabelwrightError,
    LFError,
    UnknownGoldError,
)
from labelwright.folders import check_folders, folder_problems, unwritable_folders
from labelwright.glossaries.checks import (
    character_windows,
    exclusion_problems,
    glossary_warnings,
    lemma_shifts,
)
from labelwright.glossaries.core import Glossary
from labelwright.glossaries.misread_forms import misread_forms
from labelwright.glossaries.reading import GLOSSARY_SUFFIXES, load_glossaries
from labelwright.glossaries.table_forms import terms_without_forms
from labelwright.lfs.core import LabelingFunction, reads_item_doc, reads_matches
from labelwright.lfs.discovery import discover
from labelwright.lfs.failure_text import (
    error_line,
    fails_mostly,
    missing_file,
    mostly_failing,
    relative_path_hint,
)
from labelwright.lfs.lemma_reads import gives_lemmas, no_lemmas_read_note
from labelwright.lfs.literal_votes import (
    LiteralVote,
    bad_literal_votes,
    never_returning,
    spelt_out_votes,
)
from labelwright.lfs.number_comparisons import number_comparisons
from labelwright.lfs.pipeline_reads import pipeline_read_warnings, silent_lfs
from labelwright.lfs.trial import BadVotes, changing_votes
from labelwright.models.configured import make_label_model
from labelwright.models.duplicate_warnings import tried_copy_warnings, tried_nested_warnings
from labelwright.nlp import load_pipeline, pipeline_description
from labelwright.nlp.errors import no_lemmas_cause, no_lemmas_note
from labelwright.nlp.segmenters import package_missing
from labelwright.project.apply import project_dataset
from labelwright.project.engine_choice import engine_problems
from labelwright.project.inputs import crossed_constants, label_order_warnings
from labelwright.project.label_coverage import unvoted_labels_check
from labelwright.project.load import Project, check_lemma_claims, no_lfs, project_lfs
from labelwright.short_repr import ShortRepr

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


def lemma_mode_without_lemmas(project: Project) -> list[str]:
    """Lemma-mode glossaries under a pipeline that gives no lemmas match like lowercase."""
    lemma = [g.name for g in project.glossaries if g.mode == "lemma"]
    nlp = project.config.nlp
    if not lemma or gives_lemmas(project.nlp) \
            or no_lemmas_note(nlp.lang, nlp.pipeline, nlp.lemmatizer) is not None:
        return []  # (a language without a lemma table: the note on [nlp] lang says it)
    why, fix = no_lemmas_cause(nlp.lang, nlp.pipeline, nlp.lemmatizer)
    one = len(lemma) == 1
    return [f"{'glossary' if one else 'glossaries'} {', '.join(lemma)} "
            f"{'is' if one else 'are'} in lemma mode, but {why}: "
            f"{'it matches' if one else 'they match'} like lowercase mode; "
            f"{fix} or set mode: lowercase"]


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


def check_scheduler(report: CheckReport, address: str | None,
                    source: str = "[apply] scheduler") -> None:
    """Reach the scheduler at ``address`` (None: none named, nothing to do): one that
    cannot be reached is a problem naming ``source`` (where the address came from), one
    without workers a warning (a run computing votes would fail on either; one reading
    every vote from the cache contacts none)."""
    if not address:
        return
    report.scheduler = reached = reach_scheduler(address, source=source)
    if reached.problem is not None:
        report.problems.append(reached.line())
    elif not reached.workers:
        report.warnings.append(reached.line())


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
    part leaves out only what depends on it (:func:`_trial_project`). ``data``: a dataset
    file to check in place of ``[data] path`` (``--data``; relative to the current
    folder), or a pandas DataFrame (as ``run_project(path, data=df)`` reads it).

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
    report.warnings.extend(lookalike_labels(config.labels, config.where(("project", "labels"))))
    report.warnings.extend(audit_below_labels(config.triage.audit_size, config.labels,
                                              config.where(("triage", "audit_size"))))
    report.attempt(check_folders, config)
    report.problems.extend(folder_problems(config, runs=False))  # runs: check_folders'
    report.problems.extend(unwritable_folders(config))  # not check_folders': read-only use
    missing = engine_missing(config)
    report.problems.extend(missing)
    report.problems.extend(engine_problems(config))  # lf_timeout beside dask
    report.warnings.extend(workers_over_cores(config))
    if not missing:
        check_scheduler(report, scheduler or config.apply.scheduler,
                        "check --scheduler" if scheduler else "[apply] scheduler")
    report.attempt(make_label_model, config)
    nlp = project.nlp if project is not None else report.attempt(load_pipeline, config.nlp)
    for key in config.nlp.unused:
        report.warnings.append(
            f"{config.where(('nlp', key))}: [nlp] {key} sets up the blank pipeline only; the "
            f"named pipeline {config.nlp.pipeline!r} has its own components, so it is not used")
    partly_read: list[Glossary] = []
    glossaries = (list(project.glossaries) if project is not None else
                  report.attempt(_load_glossaries, config.glossary_path, config.labels,
                                 partly_read))
    if glossaries is None:  # the warnings of what did read, beside the errors, in one round
        report.warnings.extend(glossary_warnings(partly_read))
    else:
        report.n_glossaries = len(glossaries)
        report.n_terms = sum(len(g.terms) for g in glossaries)
        report.n_phrases = sum(g.n_phrases for g in glossaries)
    report.warnings.extend(unread_glossary_files(config.glossary_path))
    report.warnings.extend(unread_lf_files(config.lf_path))
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
    report.warnings.extend(passed)
    report.warnings.extend(never_returning(python_lfs or []))
    report.warnings.extend(label_order_warnings(config, python_lfs or []))
    if python_lfs is not None:  # what the LF modules import from the project folder
        report.warnings.extend(outside_code_warnings(config.lf_path, config.root))
    note = no_lemmas_read_note(config.nlp, glossaries or [], python_lfs or [])
    if note is not None and nlp is not None:
        report.warnings.append(f"{config.where(('nlp', 'lang'))}: {note}")
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
        report.warnings.extend(dataset.warnings)
        report.warnings.extend(map(str, number_comparisons(python_lfs or [], dataset)))
    tried = _trial_project(config, nlp, glossaries, python_lfs or [], report, given=project)
    applied = (_trial_apply(tried, dataset, report, literals)
               if tried is not None and dataset is not None else None)
    if nlp is not None:  # "never vote" only of the LFs the trial saw never vote
        said, _ = pipeline_read_warnings(
            python_lfs or [], nlp, config.nlp.pipeline,
            report.never_voted if applied is not None else None,
            lemmatizer=config.nlp.lemmatizer)
        report.warnings.extend(said)
    if applied is not None and python_lfs is not None and glossaries is not None:
        spelt, unread = spelt_out_votes(python_lfs, config.labels)
        spelt |= {config.labels.index(g.label) for g in glossaries}
        # an LF set aside in the trial, or failing there, votes only what it spells out
        # unless unread names it, so spelt and unread judge it without its votes
        report.warnings.extend(unvoted_labels_check(config.labels, applied.matrix.votes,
                                                    spelt, unread))
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
    if data is not None and not isinstance(data, pd.DataFrame):
        if not isinstance(data, str | os.PathLike):
            with_data(project.config, data, "check_project")  # its TypeError
        raise ValueError("check_project: give data or project, not both: a loaded project "
                         "reads the file its config names (load_project(path, data=...))")
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


def _trial_project(config: ProjectConfig, nlp: Language | None,
                   glossaries: list[Glossary] | None, python_lfs: list[LabelingFunction],
                   report: CheckReport, given: Project | None = None) -> Project | None:
    """The project as far as it loaded, for the trial apply: without the glossaries when
    they, or the pipeline that parses them, are broken (or lemma mode cannot tell their
    phrases apart), and without the LFs that read what is broken (a warning names them).
    A glossary problem hid every LF problem until it was fixed. ``given``: the project
    check_project was given, loaded already: its own LFs (those a session added or left
    out), with ``config`` (its data maybe a DataFrame)."""
    usable = glossaries if glossaries is not None and nlp is not None else []
    if given is not None:
        project = given.replaced(config=config)
    else:
        fingerprint = str(pipeline_description(nlp)["fingerprint"]) if nlp is not None else ""
        made = report.attempt(project_lfs, python_lfs, usable, fingerprint)
        if made is None:
            return None
        # with the pipeline broken nothing is parsed: a stand-in keeps the Project whole
        project = Project(config=config, lfs=made, glossaries=usable,
                          nlp=nlp if nlp is not None else spacy.blank("xx"))
    lfs = list(project.lfs)
    if usable:
        report.attempt(check_lemma_claims, project)
        report.warnings.extend(lemma_mode_without_lemmas(project))
        report.warnings.extend(exclusion_problems(usable, project.nlp))
        report.warnings.extend(character_windows(usable, project.nlp))
        report.warnings.extend(lemma_shifts(usable, project.nlp))
        report.warnings.extend(terms_without_forms(usable, project.nlp))
        report.warnings.extend(misread_forms(usable, project.nlp))
        report.warnings.extend(glossary_warnings(usable))
    no_glossaries = glossaries is None or nlp is None or bool(project.lemma_clashes)
    # by the LF's own code, not its module's: one LF reading matches leaves the rest in
    keep = [lf for lf in lfs if not (nlp is None and reads_item_doc(lf))
            and not (no_glossaries and (lf.kind == "glossary" or reads_matches(lf.code)))]
    left_out = [lf.name for lf in lfs if lf not in keep]
    if left_out:
        broken = " or ".join(what for what, gone in (("item.doc", nlp is None),
                                                     ("glossary matches", no_glossaries))
                             if gone)
        report.warnings.append(f"LF(s) {', '.join(left_out)} not applied to the items tried: "
                               f"they read {broken}, which did not load")
    if not keep:
        return None
    if left_out or project.lemma_clashes:  # (a copy parses the phrases again for clashes)
        return project.replaced(lfs=keep,
                                glossaries=[] if project.lemma_clashes else usable)
    return project


#: rows ``check`` applies every LF to: mistakes that only show when an LF runs (a label
#: not in the project, an unknown glossary name, a raise on every item) show here
CHECK_ROWS = 50
#: how the trial's messages name its items
TRIED = "items spread over the data"


def trial_rows(n_items: int, n: int = CHECK_ROWS) -> np.ndarray:
    """The rows (in order) of the ``n`` items ``check`` tries the LFs on, evenly spaced over
    the ``n_items`` from the first: the first 50 of data sorted by class were one class, and
    an LF's bad return for another label passed check and stopped the run."""
    n = min(n, n_items)
    return np.arange(n, dtype=np.int64) * n_items // n if n else np.zeros(0, np.int64)


def _trial_apply(project: Project, dataset: Dataset, report: CheckReport,
                 literals: list[LiteralVote]) -> ApplyResult | None:
    """Apply every LF to the :data:`CHECK_ROWS` items of :func:`trial_rows` (no vote
    cache), twice, the
    second time in reverse order (reading the Docs the first parsed from a temporary Doc
    cache, where the pipeline's ``[apply] doc_cache`` setting would keep them): an LF that
    returns a label the project does not have is a problem (said once: not again when it
    is one of the ``literals`` its code was found to return) and its votes are set aside;
    failures are warnings (a run counts them and goes on), an LF failing on every item a
    problem, on most of them a warning that calls it broken; an LF voting otherwise the
    second time is a warning. Returns the LFs' votes, of those that could be applied (None
    when none could)."""
    rows = trial_rows(len(dataset))
    n = report.n_tried = len(rows)
    tried = f"the {n} {TRIED}" if n < len(dataset) else f"all {n} items"
    found = {(name, repr(v.value)) for v in literals for name in v.lfs}
    head = _rows(dataset, rows)
    bad = BadVotes(project.config.labels)
    guarded = project.replaced(lfs=[bad.guarded(lf) for lf in project.lfs])
    try:
        # the second apply reads the first's Docs back (fresh, as a run's Doc cache gives
        # them) instead of parsing every item again: on long documents parsing is most of
        # the trial's time
        with tempfile.TemporaryDirectory(prefix="labelwright-check-") as docs:
            applier = guarded.applier(engine="local", cache=False, n_items=n,
                                      doc_cache_dir=Path(docs))
            applied = applier.apply(head)
            again = applier.apply(_rows(dataset, rows[::-1]))
    except LabelwrightError as exc:
        report.problems.append(f"applying the LFs to {tried}: {exc}")
        return None
    names = applied.matrix.lf_names
    report.never_voted = silent_lfs(applied.matrix.votes, names)
    for name, error in bad.errors.items():
        if (name, error.returned) not in found:
            report.problems.append(f"applying the LFs to {tried}: {error}")
        applied.matrix.votes[:, names.index(name)] = -1  # set aside: judged by its code
    if len(bad.errors) == len(names):
        return None
    locations = {lf.name: lf.location for lf in project.lfs}
    files = {lf.name: lf.file for lf in project.lfs}
    for name, failure in applied.failures.items():
        last = error_line(failure.traceback)
        last += relative_path_hint(missing_file(last), files[name])
        # where the LF is and the line that raised, as a --fail-fast run says them
        at = f", first at {failure.raised_at}" if failure.raised_at else ""
        message = (f"LF {name} ({locations[name]}) raised on {failure.count} of {tried} "
                   f"(e.g. {', '.join(map(repr, failure.item_ids[:3]))}){at}: {last}")
        if failure.count == n:
            report.problems.append(message + "; it fails on every item checked")
        elif fails_mostly(failure.count, n):
            report.mostly_failing.append(name)
            broken = mostly_failing(failure.count, n, "the items tried")
            report.warnings.append(f"{message}; {broken}")
        else:
            report.warnings.append(message)
    # a time limit may stop an LF on one pass and not the other: that is no chance vote
    timed_out = {name for result in (applied, again) for name, f in result.failures.items()
                 if "LFTimeout" in f.traceback}
    report.warnings.extend(changing_votes(names, head.ids, applied.matrix.votes,
                                          again.matrix.votes[::-1], locations,
                                          set(bad.errors) | timed_out))
    report.warnings.extend(tried_copy_warnings(applied.matrix.votes, names, tried))
    report.warnings.extend(tried_nested_warnings(applied.matrix.votes, names,
                                                 len(project.config.labels), tried))
    return applied


def _rows(dataset: Dataset, rows: np.ndarray) -> Dataset:
    """The items of ``rows`` of the dataset, without its warnings."""
    return replace(dataset, ids=[dataset.ids[i] for i in rows],
                   texts=[dataset.texts[i] for i in rows],
                   fields=dataset.fields.iloc[rows].reset_index(drop=True),
                   gold=dataset.gold[rows], warnings=[],
                   file_rows=None if dataset.file_rows is None else dataset.file_rows[rows])
