"""A loaded project: its config, LFs, glossaries and spaCy pipeline (:class:`Project`),
read by :func:`load_project`, and LFs a notebook adds to it (:meth:`Project.with_lfs`)."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.apply import Applier
from labelwright.apply.cache_keys import changed_files, folder_state
from labelwright.apply.outside_code import outside_imports
from labelwright.apply.scheduler_address import Scheduler
from labelwright.caches import CacheOption, cache_use, file_sha256, file_state
from labelwright.config import STATE_DIR, ProjectConfig, load_config
from labelwright.config.data_override import with_data_path
from labelwright.errors import GlossaryError, LFError
from labelwright.folders import check_folders
from labelwright.glossaries.checks import between
from labelwright.glossaries.core import Glossary, glossary_lf
from labelwright.glossaries.python_glossaries import glossary_from_dict
from labelwright.glossaries.reading import load_glossaries
from labelwright.lfs.core import LabelingFunction, as_labeling_function
from labelwright.lfs.discovery import discover
from labelwright.lfs.loaded_modules import remember
from labelwright.models.configured import make_label_model
from labelwright.nlp import pipeline_fingerprint
from labelwright.nlp.lazy import pipeline_for
from labelwright.project.engine_choice import choose_engine, with_session_client
from labelwright.project.lemma_claims import lemma_clashes
from labelwright.project.lf_list import LFList
from labelwright.runs.session_glossaries import made_in_session as glossary_made_in_session
from labelwright.runs.session_lfs import made_in_session
from labelwright.short_repr import ShortRepr
from labelwright.spelling import did_you_mean

if TYPE_CHECKING:
    from spacy.language import Language

_log = logging.getLogger(__name__)


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

    def __setattr__(self, name: str, value: Any) -> None:
        """``lfs`` is kept as an :class:`LFList` (made, replaced or assigned), so an LF
        appended to it later is taken as ``with_lfs`` takes it: a snorkel LF adapted,
        anything else a TypeError at the line that adds it."""
        if name == "lfs" and not isinstance(value, LFList):
            value = LFList(value)
        super().__setattr__(name, value)

    @property
    def labels(self) -> tuple[str, ...]:
        return self.config.labels

    def changed_since_loaded(self) -> list[Path]:
        """The files of the LF folder and the glossary files whose bytes are no longer
        those the project was loaded with: applied, its LFs and glossaries would be
        another version than the one a run keeps as its record."""
        changed = []
        if self.lf_state is not None:
            folder = self.config.lf_path
            now = folder_state(folder, self.config.lf_folder_ignore)
            changed += [folder / name for name in changed_files(self.lf_state, now)]
        for glossary in self.glossaries:
            if str(glossary.path).startswith("<"):  # made in the session: no file
                continue
            try:
                sha = file_sha256(str(glossary.path), file_state(os.stat(glossary.path)))
            except OSError:
                sha = ""
            if sha != glossary.sha256:
                changed.append(Path(glossary.path))
        return changed

    def summary(self) -> dict[str, object]:
        return {"name": self.config.name, "root": self.config.root, "labels": self.labels,
                "lfs": len(self.lfs), "glossaries": len(self.glossaries)}

    def with_lfs(self, *lfs: LabelingFunction) -> Project:
        """This project with ``lfs`` (LFs made in the session: a notebook's) after its own,
        as a new Project; a run keeps their code (:mod:`labelwright.runs.session_lfs`). An
        LF under the name of one made in the session (a notebook cell run again, edited or
        not), or at the place of one, takes its place, in its position; a function not made
        an LF, or a name another LF has (one of the project's own, or two given here), is
        an error naming both."""
        added = [check_session_lf(lf, k) for k, lf in enumerate(lfs)]
        kept = list(self.lfs)
        position = {lf.name: k for k, lf in enumerate(kept)}
        folder = self.config.lf_path.resolve()
        given: dict[str, LabelingFunction] = {}
        matched = {g.lf_name for g in self.glossaries}
        for lf in added:
            if lf.kind == "glossary" and lf.name not in matched:
                raise LFError(f"{lf.location}: {lf.name} is the LF of a glossary the project "
                              "does not match, so it would never vote; add the glossary "
                              "with project.with_glossaries(glossary) (a dict or a "
                              "Glossary), which adds its LF too")
            if lf.name in given:
                raise LFError(f"{lf.location}: the LF name {lf.name!r} is given twice, the "
                              f"other at {given[lf.name].location}; rename one "
                              "(labeling_function(name=...))")
            given[lf.name] = lf
            k = position.get(lf.name)
            if k is None:
                position[lf.name] = len(kept)
                kept.append(lf)
            elif kept[k].location == lf.location or (
                    made_in_session(kept[k], folder) and made_in_session(lf, folder)):
                _log.info("with_lfs: %s (%s) takes the place of the LF of that name made at "
                          "%s", lf.name, lf.location, kept[k].location)
                kept[k] = lf
            else:
                raise LFError(f"{lf.location}: the LF name {lf.name!r} is taken by the LF at "
                              f"{kept[k].location}; rename one (labeling_function("
                              "name=...)), or leave that one out first "
                              f"(project.without_lfs({lf.name!r}))")
        return self.replaced(lfs=kept)

    def with_glossaries(self, *glossaries: Mapping[str, Any] | Glossary) -> Project:
        """This project with ``glossaries`` (each a dict as a glossary file holds, or a
        :class:`Glossary`) matched too, and their LFs after the project's, as a new
        Project. Each is checked as a file is (:func:`glossary_from_dict`), and with the
        project's glossaries as the folder's are (a name used twice, a phrase two labels
        claim); one named like a glossary added in the session takes its place (a cell
        run again; its LF comes back if it was left out), one named like a file's is an
        error."""
        read = [glossary_from_dict(g, self.labels) for g in glossaries]
        kept = list(self.glossaries)
        lfs = list(self.lfs)
        fingerprint = pipeline_fingerprint(self.nlp)
        for glossary in read:
            k = next((k for k, g in enumerate(kept) if g.name == glossary.name), None)
            lf = glossary_lf(glossary, fingerprint)
            if k is not None and not glossary_made_in_session(kept[k]):
                raise GlossaryError(f"{glossary.path}: glossary name {glossary.name!r} is "
                                    f"also used by {kept[k].path}; names must be unique")
            if k is None:
                kept.append(glossary)
                lfs.append(lf)
            else:
                kept[k] = glossary
                if any(x.name == lf.name for x in lfs):
                    lfs = [lf if x.name == lf.name else x for x in lfs]
                else:  # its LF was left out (without_lfs): added again with the glossary
                    lfs.append(lf)
        problems = between(kept)
        if problems:
            raise GlossaryError("\n".join(problems))
        return self.replaced(glossaries=kept, lfs=lfs)

    def without_lfs(self, *names: str) -> Project:
        """This project without the LFs named, as a new Project (a glossary's LF,
        ``glossary:<name>``, stops voting; its glossary is still matched, for the LFs
        that read ``item.matches``); an unknown name is a KeyError listing the LFs."""
        have = [lf.name for lf in self.lfs]
        unknown = [name for name in names if name not in have]
        if unknown:
            raise KeyError(f"without_lfs: no LF is named {unknown[0]!r}; "
                           f"{did_you_mean(unknown[0], have)}LFs: {', '.join(have) or 'none'}")
        return self.replaced(lfs=[lf for lf in self.lfs if lf.name not in set(names)])

    def replaced(self, **changes: Any) -> Project:
        """This project with ``changes`` (dataclasses.replace), keeping what was worked out
        of its glossaries and pipeline (:attr:`lemma_clashes`, seconds for a large
        glossary) when the copy has the very same ones."""
        copy = replace(self, **changes)
        if "lemma_clashes" in self.__dict__ and copy.glossaries is self.glossaries \
                and copy.nlp is self.nlp:
            copy.__dict__["lemma_clashes"] = self.__dict__["lemma_clashes"]
        return copy

    @cached_property
    def lemma_clashes(self) -> list[str]:
        """Phrases of different labels a lemma-mode glossary matches on the same words
        (:func:`~labelwright.glossaries.checks.lemma_problems`): it parses every phrase, so
        once, and a run reads them from the project's cache while the glossaries and the
        pipeline are those they were worked out for (:mod:`~labelwright.project.
        lemma_claims`)."""
        return lemma_clashes(self.glossaries, self.labels, self.nlp, cache_folder(self.config))

    def applier(self, *, fail_fast: bool = False, engine: str | None = None,
                scheduler: Scheduler | None = None, cache: CacheOption = None,
                n_items: int | None = None, doc_cache_dir: Path | None = None) -> Applier:
        """An Applier for this project; options not given come from ``[apply]``. Glossary
        phrases lemma mode cannot tell apart are an error here, before any LF runs (it
        parses every phrase, so it is checked where applying starts, not in every worker
        that loads the project). ``doc_cache_dir``: a Doc cache folder for an applier without
        the vote cache (see :class:`~labelwright.apply.Applier`). ``engine`` and
        ``scheduler`` win over ``[apply]`` (:func:`~labelwright.project.engine_choice.
        choose_engine`, whose ``note``, the applier's ``engine_note``, says which setting
        went unused)."""
        check_lemma_claims(self)
        settings = self.config.apply
        use_cache, refresh = cache_use(self.config, cache)
        # what the run names wins over [apply]; engine_choice says when that is an error
        choice = with_session_client(choose_engine(self.config, engine, scheduler, n_items))
        applier = Applier(
            self.lfs, self.labels, nlp=self.nlp, glossaries=self.glossaries,
            batch_size=self.config.nlp.batch_size, fail_fast=fail_fast,
            engine=choice.engine,
            workers=settings.workers, chunk_size=settings.chunk_size,
            scheduler=choice.scheduler,
            cache_dir=self.config.root / STATE_DIR / "cache" if use_cache else None,
            root=self.config.root,
            lf_timeout=settings.lf_timeout,
            doc_cache=settings.doc_cache,
            doc_cache_dir=doc_cache_dir,
            lf_folder=self.config.lf_path,
            lf_folder_ignore=self.config.lf_folder_ignore,
            lf_state=self.lf_state,
            refresh=refresh,
        )
        applier.engine_note = choice.note
        applier.session_client = choice.session_client
        return applier


def check_session_lf(lf: Any, position: int, caller: str = "with_lfs: argument"
                     ) -> LabelingFunction:
    """``lf`` as an LF of :meth:`Project.with_lfs` (:func:`as_labeling_function`: a
    snorkel LF converted); a TypeError naming it (``caller`` and its ``position``, from 0)
    when it is no LF."""
    return as_labeling_function(lf, f"{caller} {position + 1}")


def check_lemma_claims(project: Project) -> None:
    """Phrases of different labels a lemma-mode glossary matches on the same words are an
    error (:func:`~labelwright.glossaries.checks.lemma_problems`)."""
    if project.lemma_clashes:
        raise GlossaryError("\n".join(project.lemma_clashes))


def cache_folder(config: ProjectConfig) -> Path | None:
    """The project's cache folder, None when ``[apply] cache`` is off (no cache at all)."""
    return config.root / STATE_DIR / "cache" if config.apply.cache else None


def load_project(path: str | Path = ".", *, data: str | Path | None = None,
                 caches: bool = True) -> Project:
    """Read the config, the pipeline, the glossaries and the LFs of a project (none is
    no error: a session may add its own, :meth:`Project.with_lfs`). ``data``:
    a dataset file to read in place of ``[data] path`` (``--data``; relative to the
    current folder), with the other ``[data]`` settings. ``caches=False``: as with
    ``[apply] cache = false``, whatever the config says: the pipeline is built, not stood
    in for by what the cache holds of it, and the project reads and writes no cache
    (``runs verify --recompute`` checks a run with what it builds afresh). A Project
    holds no items, so a
    pandas DataFrame is a TypeError saying where a frame is given: to the functions that
    read the items (``run_project(project=project, data=df)``)."""
    if data is not None and not isinstance(data, str | os.PathLike):
        raise TypeError(_not_a_path(data))
    config = load_config(path)
    if data is not None:
        config = with_data_path(config, data)
    if not caches:
        config = replace(config, apply=replace(config.apply, cache=False))
    check_folders(config)
    make_label_model(config)  # a wrong model name or setting fails before any work
    # built when something parses: a run whose votes all come from the caches needs
    # only its fingerprint (:class:`~labelwright.nlp.lazy.LazyPipeline`)
    nlp = pipeline_for(config.nlp, cache_folder(config))
    glossaries = load_glossaries(config.glossary_path, config.labels)
    lf_state = folder_state(config.lf_path, config.lf_folder_ignore)
    python_lfs = discover(config.lf_path) if config.lf_path.is_dir() else []
    for module in outside_imports(config.lf_path.glob("*.py"), config.lf_path):
        remember(module)  # the code its LFs run: an edit after this, not reloaded, is said
    lfs = project_lfs(python_lfs, glossaries, pipeline_fingerprint(nlp))
    # none is no error yet: a notebook adds its own (with_lfs); applying none is
    # (:func:`require_lfs`)
    return Project(config=config, lfs=lfs, glossaries=glossaries, nlp=nlp, lf_state=lf_state)


def _not_a_path(data: object) -> str:
    """What ``load_project(path, data=...)`` says of a ``data`` that names no file."""
    frame = type(data).__name__ == "DataFrame"  # pandas' (or another library's)
    kind = f"{type(data).__module__.split('.')[0]} DataFrame" if frame else type(data).__name__
    article = "an" if kind[0] in "aeiou" else "a"
    said = f"load_project: data is {article} {kind}; it names the dataset file the project reads"
    if not frame:
        return said + " in place of [data] path: give the file's path"
    return said + (" in place of [data] path, and a Project holds no items: give the frame "
                   "to what reads them, run_project(project=project, data=df) (or "
                   "run_project(path, data=df)), check_project(path, data=df), or "
                   "apply_project(project, dataset_from_frame(df, ...))")


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


def no_lfs(config: ProjectConfig, *, session: bool = False) -> LFError:
    """The error of a project with no LF to apply; ``session``: the project was loaded
    in Python, where LFs are added with :meth:`Project.with_lfs` too."""
    return LFError(f"{config.root}: the project has no labeling functions: add a module to "
                   f"{config.lf_path} or a glossary to {config.glossary_path}"
                   + (", or add LFs made in the session: project.with_lfs(lf, ...)"
                      if session else ""))


def refuse_file_beside_project(caller: str, project: Project | None, data: object) -> None:
    """A ValueError when ``caller`` (``run_project``, ``check_project``) is given both a
    loaded ``project`` and a dataset file (``data``, a path): the loaded project reads the
    file its config names, and which of the two was meant cannot be told (a DataFrame may
    go with a project: its items are read from the frame)."""
    if project is not None and isinstance(data, str | os.PathLike):
        raise ValueError(f"{caller}: give data or project, not both: a loaded project reads "
                         "the file its config names (load_project(path, data=...))")


def require_lfs(project: Project, *, session: bool = False) -> None:
    """An :class:`LFError` (:func:`no_lfs`) when ``project`` has no LF to apply."""
    if not project.lfs:
        raise no_lfs(project.config, session=session)
