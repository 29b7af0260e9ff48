"""The Applier: LFs and glossaries over a dataset, on any engine, with the vote and Doc caches.

This module holds what an applier is made of (its LFs checked, its caches, its engine) and
the order of an apply's steps (:meth:`Applier.apply`); the steps live in the modules named
for them: the vote cache's part in :mod:`~labelwright.apply.cached_votes`, the cells to
compute and their chunks in :mod:`~labelwright.apply.cell_plan`, the chunks' results taken
in by :mod:`~labelwright.apply.chunk_results`, and the record an apply gives back in
:mod:`~labelwright.apply.apply_result`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from labelwright.apply.apply_result import ApplyResult
from labelwright.apply.cache import VoteCache
from labelwright.apply.cache_keys import (
    Support,
    changed_files,
    folder_state,
    key_reads_matches,
    lf_lines_by_file,
    lf_support,
    lf_support_keys,
    reads_parse,
)
from labelwright.apply.cached_votes import (
    ApplyState,
    failures_with_cached,
    look_up,
    settle_cache,
)
from labelwright.apply.cell_plan import Plan, known_matches, plan_cells, plan_chunks
from labelwright.apply.chunk_results import Tally, gather_hits, take_chunk
from labelwright.apply.core import ChunkRunner
from labelwright.apply.engines import Engine, make_engine
from labelwright.apply.hit_tables import hit_tables
from labelwright.apply.kept_votes import forget_apply, start_apply
from labelwright.apply.lf_calls import NO_TIMEOUT_HERE
from labelwright.apply.match_cache import MatchCache
from labelwright.apply.match_list import MatchList
from labelwright.apply.outside_code import stale_notes
from labelwright.config import check_doc_cache
from labelwright.counts import some_of
from labelwright.data.dataset import Dataset, require_dataset
from labelwright.errors import LOAD_AGAIN, ConfigError, RunError, both_spellings
from labelwright.glossaries.core import MEMORY, Glossary, Term
from labelwright.glossaries.python_glossaries import glossary_from_dict
from labelwright.lfs.code_reads import reads_item_doc
from labelwright.lfs.core import LabelingFunction, as_labeling_function
from labelwright.lfs.session_globals import Digester
from labelwright.matrix import LabelMatrix

if TYPE_CHECKING:
    from spacy.language import Language

    from labelwright.apply.doc_cache import DocCache
    from labelwright.apply.scheduler_address import Scheduler
    from labelwright.glossaries.matching import GlossaryMatcher

log = logging.getLogger(__name__)


class Applier:
    """Runs a fixed set of LFs (and the glossaries they and glossary LFs read) over items.

    Parameters
    ----------
    lfs
        labelwright's LFs, or snorkel's (``snorkel.labeling.LabelingFunction``, run
        unchanged: :func:`~labelwright.lfs.core.as_labeling_function`); anything else is a
        TypeError naming its place in the list.
    engine
        ``local`` (this process), ``processes`` (a process pool) or ``dask``.
    workers, scheduler
        Pool size (default: the usable cores); a Dask scheduler address or a
        ``distributed.Client`` (default: a LocalCluster).
    chunk_size
        Items per chunk sent to a worker.
    cache_dir
        Folder of the vote cache (a project's ``.labelwright/cache``); None: no cache
        (neither votes nor Docs, but for ``doc_cache_dir``).
    doc_cache
        Keep parsed Docs in ``<cache_dir>/docs`` and read them back instead of parsing:
        ``"auto"`` (when the pipeline has components beyond the tokenizer), True or
        False. Used by the ``local`` and ``processes`` engines, not by ``dask`` (its
        workers may not share the project's disk).
    doc_cache_dir
        The Doc cache's folder without a vote cache (``cache_dir`` None): ``check``'s trial
        keeps the Docs of its first apply in a temporary folder for its second.
    root
        The project folder, from which spawned and Dask workers load the LFs.
    lf_timeout
        Seconds one LF may spend on one item before it is stopped and counted as a
        failure (None: no limit). Needs the ``local`` or ``processes`` engine.
    refresh
        Read nothing from the caches, compute every vote and store it in the vote cache in
        place of what it held (``labelwright run --no-cache``): a file an LF reads changed
        where the cache keys cannot see it, and the next run must not find the old votes.
        What the keys held is dropped just before the first new votes are stored (so one
        stopped half-way leaves only new votes), not before: an apply that fails before
        (its engine cannot start, an LF fails fast on the first chunk) leaves the cache whole.
    """

    def __init__(
        self,
        lfs: Sequence[Any],
        labels: Sequence[str],
        *,
        nlp: Language | None = None,
        glossaries: Sequence[Glossary] = (),
        batch_size: int = 256,
        fail_fast: bool = False,
        engine: str = "local",
        workers: int | None = None,
        chunk_size: int = 10_000,
        scheduler: Scheduler | None = None,
        cache_dir: Path | None = None,
        root: Path | str | None = None,
        lf_timeout: float | None = None,
        doc_cache: str | bool = "auto",
        doc_cache_dir: Path | None = None,
        lf_folder: Path | None = None,
        lf_folder_ignore: Sequence[Path] = (),
        lf_state: Mapping[str, str] | None = None,
        refresh: bool = False,
    ) -> None:
        if not lfs:
            raise ValueError("no labeling functions to apply")
        if lf_timeout is not None and engine == "dask":
            raise ConfigError(NO_TIMEOUT_HERE)
        # snorkel's LFs run unchanged: adapted here, where every apply starts (a project's
        # applier, check's trial, apply_file), so no code after meets one
        self.lfs = [as_labeling_function(lf, f"Applier: lfs item {k + 1}")
                    for k, lf in enumerate(lfs)]
        self.labels = tuple(labels)
        self.nlp = nlp
        self.glossaries = _checked_glossaries(glossaries, self.labels)
        # an LF that parses its own Doc (snorkel's nlp_labeling_function) needs no pipeline
        self.needs_doc = bool(self.glossaries) or any(map(reads_item_doc, self.lfs))
        if self.needs_doc and nlp is None:
            raise ValueError(_needs_a_pipeline(self.lfs, self.glossaries))
        self.engine = engine
        self.workers = workers
        self.chunk_size = max(1, chunk_size)
        self.scheduler = scheduler
        #: a setting of [apply] the engine chosen leaves unused, and why (set by
        #: Project.applier from engine_choice; None: none)
        self.engine_note: str | None = None
        #: the scheduler is the session's default Dask client, taken for engine="dask"
        #: with none named (set by Project.applier; the manifest's apply.cluster says so)
        self.session_client = False
        self.cache = VoteCache(cache_dir) if cache_dir is not None else None
        self.refresh = refresh and self.cache is not None  # stored, not read
        self.root = root
        self.lf_folder = lf_folder  # its other files and imports are part of the cache keys
        self.lf_folder_ignore = tuple(lf_folder_ignore)  # but not these (see lf_folder_files)
        # the LF folder as it was when the LFs were imported (cache_keys.folder_state): the
        # cache keys read the folder now, and workers import it again, so a file saved in
        # between would file one version's votes under another's key
        self.lf_state = dict(lf_state) if lf_state is not None else None
        self.doc_cache: DocCache | None = None
        check_doc_cache(doc_cache)
        docs = Path(cache_dir) / "docs" if cache_dir is not None else doc_cache_dir
        if (docs is not None and nlp is not None and self.needs_doc and engine != "dask"
                and not self.refresh):
            # spaCy's modules load only for LFs that read a Doc
            from labelwright.apply.doc_cache import DocCache, doc_cache_wanted, pipeline_key

            if doc_cache_wanted(doc_cache, nlp):
                self.doc_cache = DocCache(docs, pipeline_key(nlp),
                                          keep_lossy=doc_cache is True)
        self.supports = self._supports()  # per LF: what it depends on besides its module
        #: per LF file: the first lines of its LFs, which its module's key leaves out
        self.lf_lines = lf_lines_by_file(self.lfs)
        #: per LF: does its cache key hold the glossaries (it is seen to read matches)?
        self.key_has_matches = [key_reads_matches(lf, support, self.lf_lines[lf.file])
                                for lf, support in zip(self.lfs, self.supports)]
        self.runner = ChunkRunner(
            self.lfs, self.labels, nlp=nlp, glossaries=self.glossaries, batch_size=batch_size,
            fail_fast=fail_fast, lf_timeout=lf_timeout, doc_cache=self.doc_cache,
            reads_parse=[reads_parse(lf, bool(self.glossaries), support)
                         for lf, support in zip(self.lfs, self.supports)],
            lf_folder=lf_folder, reads_matches=self.key_has_matches)

    @property
    def matcher(self) -> GlossaryMatcher | None:
        """The glossaries' matcher (:attr:`ChunkRunner.matcher`: built on first use)."""
        return self.runner.matcher

    def check_lf_state(self, when: str) -> None:
        """A :class:`RunError` when a file of the LF folder changed since the LFs were
        imported (their votes, keys and the run's record would describe different code);
        ``when``: when it was seen ("before the LFs were applied": a session that edits an
        LF after load_project meets it there, not only a run starting);
        it says what fixes it from the CLI and from Python (:data:`LOAD_AGAIN`)."""
        if self.lf_state is None or self.lf_folder is None:
            return
        changed = changed_files(self.lf_state,
                                folder_state(self.lf_folder, self.lf_folder_ignore))
        if changed:
            raise RunError(
                f"{', '.join(str(Path(self.lf_folder) / name) for name in changed[:5])} "
                f"changed after the LFs were loaded ({when}): the votes would come from one "
                "version of the code and be cached and recorded as another's, so none are "
                f"kept; run again ({LOAD_AGAIN})")

    def start_engine(self, runner: ChunkRunner, chunks: int | None) -> Engine:
        """The engine this applier applies ``runner``'s LFs with (``chunks``: how many
        there will be, when known), made when there are items to compute: on the session's
        Dask client (:attr:`session_client`) the log says so here, not when the applier
        is made, since an apply whose votes all come from the vote cache starts none."""
        if self.engine == "dask" and self.session_client:
            from labelwright.apply.scheduler_address import shown_address

            log.info("the dask engine applies the LFs on the session's Dask client "
                     "(scheduler at %s), not on a LocalCluster of its own; name another "
                     "with %s", shown_address(self.scheduler) if self.scheduler else "?",
                     both_spellings("--scheduler", "scheduler="))
        return make_engine(self.engine, runner, root=self.root, workers=self.workers,
                           chunks=chunks, scheduler=self.scheduler, lf_state=self.lf_state)

    def stale_modules(self, digester: Digester | None = None) -> list[str]:
        """:func:`~labelwright.apply.outside_code.stale_notes` of these LFs and folder."""
        return stale_notes(self.lfs, self.lf_folder, digester)

    def _supports(self) -> list[Support]:
        """Per LF, :func:`lf_support` (no support without an LF folder)."""
        if self.lf_folder is None:
            return [Support() for _ in self.lfs]
        files = [f for lf in self.lfs if lf.kind != "glossary" for f in (lf.file, lf.maker) if f]
        supports = lf_support_keys(files, self.lf_folder, self.lf_folder_ignore)
        return [lf_support(lf, supports) for lf in self.lfs]

    # -- in-memory datasets ---------------------------------------------------------
    def apply(self, dataset: Dataset, *,
              progress: Callable[[int], None] | None = None,
              stage: Callable[[str], None] | None = None) -> ApplyResult:
        """The LFs' votes on ``dataset``, from the vote cache or computed, with every item's
        glossary hits; ``dataset`` is a :class:`Dataset` (a pandas DataFrame is a TypeError
        naming :func:`~labelwright.data.dataset_from_frame`). ``progress`` hears the items
        done; ``stage`` (a run's progress) that the engine's votes and hits go into the vote
        cache, a phase of its own after the engine: at a million items it went on for most
        of a minute without a word."""
        started = time.perf_counter()
        dataset = require_dataset(dataset, "Applier.apply", self.labels)
        if self.cache is None:  # with the cache, checked once its keys are made (look_up)
            self.check_lf_state("before the LFs were applied")
        state = look_up(self, dataset)
        plan = plan_cells(self, state)
        if self.cache is not None:
            state.kept = start_apply(len(dataset), len(dataset) - len(plan.rows),
                                     refresh=self.refresh)
        else:  # an interrupt must not speak of an earlier apply's cache
            forget_apply()
        tally = Tally(lf_seconds=dict.fromkeys((lf.name for lf in self.lfs), 0.0))
        if progress is not None:  # first: the items whose votes all came from the cache
            # (0 without a cache): the apply's start for the rate
            progress(len(dataset) - len(plan.rows))
        if len(plan.rows):
            self._compute(dataset, state, plan, tally, progress)
            if stage is not None and self.cache is not None:
                stage("apply: storing votes and glossary hits in the vote cache")
        computed = {lf.name: 0 for lf in self.lfs}
        for j in plan.columns:
            computed[self.lfs[j].name] = int(state.missing[plan.rows, j].sum())
        settle_cache(self, state)
        hits = gather_hits(self, dataset, state, plan, tally)
        failures = failures_with_cached(self, dataset, state, plan, tally.failures)
        matrix = LabelMatrix(state.votes, [lf.name for lf in self.lfs], list(dataset.ids),
                             self.labels)
        # the review export's items' matches: read back by row hash, not matched again
        match_cache = (MatchCache(self.cache.folder.parent, state.match_key)
                       if self.cache is not None and self.runner.has_matcher
                       and not self.refresh else None)
        term_hits, phrase_hits = self.hit_tables(hits)
        return ApplyResult(
            matrix=matrix,
            matches=MatchList(len(dataset), dataset.texts,
                              self.runner if self.runner.has_matcher else None, tally.kept,
                              cache=match_cache, hashes=state.hashes),
            failures=failures,
            seconds=time.perf_counter() - started,
            parsed=self.needs_doc and len(plan.rows) > 0,
            term_hits=term_hits,
            phrase_hits=phrase_hits,
            engine=self.engine,
            computed=computed,
            docs_read=tally.docs_read,
            lf_seconds=tally.lf_seconds,
            parse_seconds=tally.spent[0],
            match_seconds=tally.spent[1],
            refreshed=self.refresh,
            vote_cache=self.cache is not None,
            stale_modules=self.stale_modules(state.digester),
            uncached=state.uncached,
            workers_seen=tally.workers_seen,
            failed_rows={name: np.flatnonzero(state.failed[:, index[name]])
                         for index in [self.lf_columns] for name in failures},
        )

    def _compute(self, dataset: Dataset, state: ApplyState, plan: Plan, tally: Tally,
                 progress: Callable[[int], None] | None) -> None:
        """The engine computes the plan's cells, chunk by chunk
        (:func:`~labelwright.apply.chunk_results.take_chunk`)."""
        rows = plan.rows
        with self.start_engine(self.runner, -(-len(rows) // self.chunk_size)) as engine:
            chunks = plan_chunks(self, dataset, rows, plan.columns, plan.keep, plan.needed,
                                 plan.to_match[rows] if plan.to_match is not None else None,
                                 known=known_matches(self, state, plan))
            for result in engine.map(chunks):
                items = take_chunk(self, result, state, plan, tally)
                if progress is not None:
                    progress(items)
            tally.workers_seen = engine.workers_seen()

    @property
    def lf_columns(self) -> dict[str, int]:
        """Each LF's column in the label matrix, by its name."""
        return {lf.name: j for j, lf in enumerate(self.lfs)}

    def hit_tables(self, hits: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Per glossary term (every term, matched or not), and per phrase of each term (the
        term and each synonym): ``hits``, the items where it matched and no exclusion
        cancelled it, and ``cancelled``, the items where every match of it was cancelled
        (the counts of :func:`labelwright.lfs.stats.glossary_hits`)."""
        return hit_tables(self.glossaries, hits)


def _checked_glossaries(glossaries: Sequence[Glossary], labels: Sequence[str]
                        ) -> list[Glossary]:
    """The glossaries, those made by hand (``Glossary(...)``, no file) checked as a file is
    (:func:`~labelwright.glossaries.glossary_from_dict`: a :class:`GlossaryError` naming the
    glossary, the key and the valid values, not an error deep in the matcher). One whose
    terms are text (``terms=["love"]``) is taken as that function reads it; one already
    made of :class:`Term` s is kept as given (its cache keys stay those of its content). A
    glossary read from a file or made by that function was checked when it was made."""
    out = []
    for glossary in glossaries:
        if not isinstance(glossary, Glossary) or glossary.path == MEMORY:
            checked = glossary_from_dict(glossary, labels)
            if isinstance(glossary, Glossary) and all(isinstance(t, Term)
                                                      for t in glossary.terms):
                checked = glossary
            glossary = checked
        out.append(glossary)
    return out


def _needs_a_pipeline(lfs: Sequence[LabelingFunction], glossaries: Sequence[Glossary]) -> str:
    """What needs a Doc (the LFs that read ``item.doc``, the glossaries) and how to give
    the pipeline a project would use."""
    needs = [f"LF {lf.name} ({lf.location}) reads item.doc" for lf in lfs
             if reads_item_doc(lf) and lf.kind != "glossary"]
    matching = len(glossaries) or sum(lf.kind == "glossary" for lf in lfs)
    if matching:
        needs.append(f"{matching} glossar{'y' if matching == 1 else 'ies'} match on Docs")
    return ("no spaCy pipeline was given (nlp=), but " + some_of(needs, 3, clauses=True)
            + ": pass nlp=labelwright.nlp.load_pipeline(labelwright.config.NLPConfig()) (a "
            "blank English pipeline with lookup lemmas, a project's default), or "
            "labelwright.load_project(path).nlp")
