"""The Applier: LFs and glossaries over a dataset, on any engine, with the vote and Doc caches."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from spacy.language import Language

from labelwright.apply.cache import VoteCache
from labelwright.apply.cache_keys import (
    Support,
    changed_files,
    folder_state,
    key_reads_matches,
    lf_cache_key,
    lf_lines_by_file,
    lf_support,
    lf_support_keys,
    reads_parse,
    row_hashes,
)
from labelwright.apply.core import (
    HIT_DTYPE,
    MAX_FAILED_IDS,
    NO_TIMEOUT_HERE,
    Chunk,
    ChunkResult,
    ChunkRunner,
    LFFailures,
)
from labelwright.apply.doc_cache import DocCache, doc_cache_wanted, pipeline_key
from labelwright.apply.engines import Engine, make_engine
from labelwright.apply.glossary_hits import every_items_hits, hits_cache_key, known_hits
from labelwright.apply.hit_tables import (
    PHRASE_HIT_COLUMNS,
    TERM_HIT_COLUMNS,
    hit_tables,
)
from labelwright.apply.kept_votes import KeptVotes, forget_apply, start_apply
from labelwright.apply.match_cache import MatchCache, MatchList, match_cache_key
from labelwright.apply.outside_code import stale_notes
from labelwright.caches import REFRESH
from labelwright.config import check_doc_cache
from labelwright.counts import some_of
from labelwright.data.dataset import Dataset, require_dataset
from labelwright.errors import LOAD_AGAIN, ConfigError, RunError, both_spellings
from labelwright.glossaries.core import MEMORY, Glossary, Term
from labelwright.glossaries.reading import glossary_from_dict
from labelwright.lfs.core import LabelingFunction, as_labeling_function, reads_item_doc
from labelwright.lfs.item import GlossaryMatch
from labelwright.lfs.session_globals import Digester, session_globals
from labelwright.matrix import LabelMatrix
from labelwright.nlp import pipeline_fingerprint
from labelwright.short_repr import ShortRepr

if TYPE_CHECKING:
    from labelwright.apply.scheduler_address import Scheduler
    from labelwright.glossaries.matching import GlossaryMatcher

log = logging.getLogger(__name__)

KEEP_MATCHES_UP_TO = 200_000  # items; above this, matches are rebuilt for the items asked for


@dataclass(repr=False)
class ApplyResult(ShortRepr):
    matrix: LabelMatrix
    matches: Sequence[list[GlossaryMatch]]  # per item, including matches an exclusion cancelled
    failures: dict[str, LFFailures]
    seconds: float
    parsed: bool  # whether items were parsed with the spaCy pipeline
    term_hits: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=TERM_HIT_COLUMNS))
    #: the same per phrase (a term or one of its synonyms): glossary_phrase_hits.csv
    phrase_hits: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=PHRASE_HIT_COLUMNS))
    engine: str = "local"
    computed: dict[str, int] = field(default_factory=dict)  # LF -> rows computed (not cached)
    docs_read: int = 0  # items whose Doc came from the Doc cache instead of a parse
    vote_cache: bool = False  # whether votes were read from (and kept in) the vote cache
    #: per LF, the seconds its calls took in this apply (every call timed); 0 for votes
    #: read from the cache
    lf_seconds: dict[str, float] = field(default_factory=dict)
    #: seconds getting the items' Docs (parsing them, or reading them back from the Doc
    #: cache) and matching the glossaries in them (the copies of texts with typographic
    #: apostrophes included), summed over the engine's workers: time no LF's seconds hold
    parse_seconds: float = 0.0
    match_seconds: float = 0.0
    refreshed: bool = False  # every vote computed and stored over the cache's (refresh)
    #: LF -> the globals (names) whose values cannot be digested: its votes are
    #: neither read from nor kept in the vote cache (computed on every run)
    uncached: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: modules outside the LF folder that the LFs read, whose files changed since they
    #: were imported: one line each on what runs and how to use the edit
    #: (:func:`~labelwright.lfs.loaded_modules.stale_note`)
    stale_modules: list[str] = field(default_factory=list)
    #: the addresses of the Dask workers that applied the LFs, each seen to run the
    #: client's code on the client's project (:mod:`~labelwright.apply.worker_checks`);
    #: None for another engine, or when no LF ran
    workers_seen: list[str] | None = None
    #: per LF that failed, every item (row of ``matrix``) it raised on, computed now or
    #: read from the vote cache: ``failures`` lists only the first ids, and a run keeps
    #: these so ``explain`` tells a failure from an abstain (:mod:`labelwright.runs.lf_failures`)
    failed_rows: dict[str, np.ndarray] = field(default_factory=dict)
    #: why the vote cache held few of the rows' votes when the dataset's columns are not
    #: those of the run before (every field is in a row's key): said after the votes line
    #: (:func:`~labelwright.project.key_changes.key_change_note`); None: nothing to say
    key_note: str | None = None

    def summary(self) -> dict[str, object]:
        items, lfs = self.matrix.shape
        return {"items": items, "lfs": lfs, "failed_lfs": sorted(self.failures),
                "engine": self.engine, "seconds": round(self.seconds, 2)}


@dataclass
class _ApplyState:
    """One apply's label matrix as it is filled in, first from the vote cache, and what
    its votes are kept under there (None, empty: no vote cache)."""

    votes: np.ndarray  # items x LFs, -1 where no vote (yet)
    failed: np.ndarray  # items x LFs: the LF failed on the item
    missing: np.ndarray  # items x LFs: the cells to compute (not found in the vote cache)
    match_key: str  # what the glossaries match: the key of the kept matches and of the hits
    #: a refresh whose old entries are still to be dropped: a refresh drops what its keys
    #: held just before the first new votes are stored, so one stopped half-way leaves only
    #: new votes; not before: an apply that fails before any vote is computed (an engine
    #: that cannot start, a scheduler out of reach, an LF failing fast, a run stopped)
    #: leaves the cache as it was
    stale: bool
    hashes: np.ndarray | None = None  # per item, its row hash
    keys: list[str] | None = None  # per LF, the key its votes are kept under
    hits_key: str | None = None  # the key the glossary hits are kept under
    #: LF -> the globals whose values cannot be digested (computed on every run)
    uncached: dict[str, tuple[str, ...]] = field(default_factory=dict)
    digester: Digester | None = None  # what several LFs read, digested once
    #: the items whose votes the vote cache holds so far, for a command cut short
    #: (:mod:`~labelwright.apply.kept_votes`); None: no vote cache
    kept: KeptVotes | None = None


@dataclass
class _Plan:
    """The cells of the label matrix an apply computes."""

    rows: np.ndarray  # the items with a cell to compute
    columns: list[int]  # the LFs with a cell to compute
    cols: np.ndarray  # ``columns`` as an index array
    needed: np.ndarray | None  # rows x columns: the cells to compute (None: all of them)
    keep: bool  # the chunks send back every item's matches
    known: tuple[np.ndarray, np.ndarray] | None  # the hits the vote cache holds
    to_match: np.ndarray | None  # per item, whether a chunk matches its hits (None: all)


@dataclass
class _Tally:
    """What the engine's chunks sent back besides their votes, summed over the chunks."""

    lf_seconds: dict[str, float]
    failures: dict[str, LFFailures] = field(default_factory=dict)
    hit_parts: list[np.ndarray] = field(default_factory=list)  # each chunk's hits
    matched: list[np.ndarray] = field(default_factory=list)  # the items each chunk matched
    kept: dict[int, list[GlossaryMatch]] = field(default_factory=dict)  # item -> its matches
    docs_read: int = 0
    spent: list[float] = field(default_factory=lambda: [0.0, 0.0])  # parse, match seconds
    workers_seen: list[str] | None = None


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
                and not self.refresh and doc_cache_wanted(doc_cache, nlp)):
            self.doc_cache = DocCache(docs, pipeline_key(nlp), keep_lossy=doc_cache is True)
        self.supports = self._supports()  # per LF: what it depends on besides its module
        #: per LF: does its cache key hold the glossaries (it is seen to read matches)?
        self._lf_lines = lf_lines_by_file(self.lfs)  # what each module's key leaves out
        self._key_has_matches = [key_reads_matches(lf, support, self._lf_lines[lf.file])
                                 for lf, support in zip(self.lfs, self.supports)]
        self.runner = ChunkRunner(
            self.lfs, self.labels, nlp=nlp, glossaries=self.glossaries, batch_size=batch_size,
            fail_fast=fail_fast, lf_timeout=lf_timeout, doc_cache=self.doc_cache,
            reads_parse=[reads_parse(lf, bool(self.glossaries), support)
                         for lf, support in zip(self.lfs, self.supports)],
            lf_folder=lf_folder, reads_matches=self._key_has_matches)

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
        if self.cache is None:  # with the cache, checked once its keys are made (_look_up)
            self.check_lf_state("before the LFs were applied")
        state = self._look_up(dataset)
        plan = self._plan(state)
        if self.cache is not None:
            state.kept = start_apply(len(dataset), len(dataset) - len(plan.rows),
                                     refresh=self.refresh)
        else:  # an interrupt must not speak of an earlier apply's cache
            forget_apply()
        tally = _Tally(lf_seconds=dict.fromkeys((lf.name for lf in self.lfs), 0.0))
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
        self._settle_cache(state)
        hits = self._every_items_hits(dataset, state, plan, tally)
        failures = self._failures_with_cached(dataset, state, plan, tally.failures)
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
                         for index in [self._index] for name in failures},
        )

    def _look_up(self, dataset: Dataset) -> _ApplyState:
        """The apply's label matrix as the vote cache holds it, with the keys its votes are
        kept under (none of them without a vote cache); with a cache, the LF folder is
        checked here, once the keys are made from it."""
        n, k = len(dataset), len(self.lfs)
        fingerprint = pipeline_fingerprint(self.nlp) if self.nlp is not None else ""
        state = _ApplyState(
            votes=np.full((n, k), -1, dtype=self.runner.dtype),
            failed=np.zeros((n, k), dtype=bool),
            missing=np.ones((n, k), dtype=bool),
            match_key=match_cache_key(self.glossaries, fingerprint, self.labels),
            stale=self.refresh)
        if self.cache is None:
            return state
        state.hashes = row_hashes(dataset.ids, dataset.texts, dataset.fields,
                                  dataset.data_columns)
        # what several LFs read is digested once; a value of an LF folder's module with
        # no digest is what the module's code made (its hash is in the key)
        state.digester = Digester(self.lf_folder)
        reads = [session_globals(lf, digester=state.digester) for lf in self.lfs]
        keys = [lf_cache_key(lf, self.labels, self.glossaries, fingerprint,
                             self._lf_lines[lf.file], support, read)
                for lf, support, read in zip(self.lfs, self.supports, reads)]
        state.uncached = {lf.name: tuple(r.name for r in read.unhashable)
                          for lf, read in zip(self.lfs, reads) if read.unhashable}
        _warn_uncached(state.uncached)
        if self.runner.lf_timeout is not None:  # which items time out depends on it
            keys = [hashlib.sha256(f"{key}|timeout={self.runner.lf_timeout!r}".encode())
                    .hexdigest() for key in keys]
        state.keys = keys
        state.hits_key = hits_cache_key(state.match_key) if self.runner.has_matcher else None
        self.check_lf_state("before the LFs were applied")
        if not self.refresh:  # a refresh drops what the keys held later (_drop_old)
            for j, key in enumerate(keys):
                if self.lfs[j].name in state.uncached:
                    continue  # computed on every item, every run
                column, found, bad = self.cache.lookup(key, state.hashes)
                # -1 where not found: the column as it is (a mask per LF cost more)
                state.votes[:, j] = column
                state.failed[:, j] = bad
                # fail-fast must stop at a failure even when the cache holds it:
                # recompute those cells, so the LF raises again with its traceback
                state.missing[:, j] = ~found | bad if self.runner.fail_fast else ~found
        return state

    def _plan(self, state: _ApplyState) -> _Plan:
        """The cells of ``state.missing`` to compute, in rows and columns, and which items'
        glossary hits the vote cache already holds."""
        n, k = state.missing.shape
        rows = np.flatnonzero(state.missing.any(axis=1))
        columns = [j for j in range(k) if state.missing[rows, j].any()] if len(rows) else []
        cols = np.asarray(columns, dtype=np.int64)
        # the cells to compute: an LF edited while rows were added runs on every row, the
        # others on the new rows only (the rows x columns rectangle ran every LF on all)
        needed = state.missing[np.ix_(rows, cols)] if columns else None
        if needed is not None and needed.all():
            needed = None
        # shipping every item's matches back from workers costs more than matching the
        # few items the review queue asks for again, so only the local engine keeps them
        keep = self.engine == "local" and n <= KEEP_MATCHES_UP_TO and len(rows) == n
        # the hits the vote cache holds: the chunks match only the other items (a chunk
        # that reads Docs for an edited LF matched every item again)
        known = (known_hits(self.cache, state.hits_key, state.hashes)
                 if self.cache is not None and state.hits_key is not None
                 and state.hashes is not None and len(rows) and not self.refresh else None)
        return _Plan(rows=rows, columns=columns, cols=cols, needed=needed, keep=keep,
                     known=known, to_match=~known[1] if known is not None else None)

    def _compute(self, dataset: Dataset, state: _ApplyState, plan: _Plan, tally: _Tally,
                 progress: Callable[[int], None] | None) -> None:
        """The engine computes the plan's cells, chunk by chunk (:meth:`_take_chunk`)."""
        rows = plan.rows
        with self.start_engine(self.runner, -(-len(rows) // self.chunk_size)) as engine:
            chunks = self._chunks(dataset, rows, plan.columns, plan.keep, plan.needed,
                                  plan.to_match[rows] if plan.to_match is not None else None,
                                  known=self._known_matches(state, plan))
            for result in engine.map(chunks):
                items = self._take_chunk(result, state, plan, tally)
                if progress is not None:
                    progress(items)
            tally.workers_seen = engine.workers_seen()

    def _take_chunk(self, result: ChunkResult, state: _ApplyState, plan: _Plan,
                    tally: _Tally) -> int:
        """One finished chunk's votes, failures, timings and hits into the apply's arrays
        and ``tally``, and into the vote cache (:meth:`_store_chunk`); returns how many
        items it held."""
        idx = plan.rows[result.start:result.start + len(result.votes)]
        cells = np.ix_(idx, plan.cols)
        need = (plan.needed[result.start:result.start + len(idx)]
                if plan.needed is not None else None)
        if need is None:  # every cell computed (the usual case)
            state.votes[cells] = result.votes
            state.failed[cells] = False  # recomputed: old failures are gone
        else:
            state.votes[cells] = np.where(need, result.votes, state.votes[cells])
            state.failed[cells] &= ~need
        for name, fail in result.failures.items():
            tally.failures.setdefault(name, LFFailures(name)).merge(fail)
            state.failed[idx[result.failed_rows[name]], self._index[name]] = True
        tally.docs_read += result.docs_read
        tally.spent[0] += result.parse_seconds
        tally.spent[1] += result.match_seconds
        for name, seconds in result.lf_seconds.items():
            tally.lf_seconds[name] += seconds
        hits = result.hits
        if len(hits):
            hits = hits.copy()
            hits["row"] = idx[hits["row"]]
            tally.hit_parts.append(hits)
        # the rows the chunk matched: hits is all of theirs
        now = idx if plan.to_match is None else idx[plan.to_match[idx]]
        if result.matched:
            tally.matched.append(now)
        self._store_chunk(result, state, plan, idx, need, hits, now)
        if result.matches is not None:
            tally.kept.update((i, found) for i, found in zip(idx.tolist(), result.matches)
                              if found is not None)
        return len(idx)

    def _store_chunk(self, result: ChunkResult, state: _ApplyState, plan: _Plan,
                     idx: np.ndarray, need: np.ndarray | None, hits: np.ndarray,
                     now: np.ndarray) -> None:
        """One finished chunk (items ``idx``, of which ``need`` computed each column and
        ``now`` matched ``hits``) kept in the vote cache, when there is one."""
        cache, hashes, keys, hits_key = self.cache, state.hashes, state.keys, state.hits_key
        if cache is None or hashes is None or keys is None:
            return
        # each finished chunk reaches the disk now, so a killed run resumes from here
        # instead of computing the chunk again. Hits first: cached votes mark the chunk
        # done, and a run killed between the two would otherwise resume without its hits
        if state.stale:
            self._drop_old(keys, hits_key)
            state.stale = False
        if result.matched and hits_key is not None and len(now):
            cache.store_hits_chunk(hits_key, hashes[now], hashes[hits["row"]], hits)
        stored = False
        for c, j in enumerate(plan.columns):
            if (j in result.match_readers and not self._key_has_matches[j]) \
                    or self.lfs[j].name in state.uncached:
                continue  # votes that depend on what the key leaves out
            done = idx if need is None else idx[need[:, c]]  # computed
            cache.store_chunk(keys[j], hashes[done], state.votes[done, j],
                              state.failed[done, j])
            if self.lfs[j].name in result.failures:
                cache.store_error(keys[j], result.failures[self.lfs[j].name].traceback)
            stored = True
        if stored and state.kept is not None:  # the chunk's items resume from the cache
            state.kept.kept += len(idx)

    def _settle_cache(self, state: _ApplyState) -> None:
        """After the engine: the LF folder checked again (the chunks stored under its keys
        discarded when it changed), the old entries of a refresh that stored nothing
        dropped, each key's shards compacted."""
        try:  # workers import the folder again: it must still be as loaded
            self.check_lf_state("while the LFs were applied")
        except RunError:
            if self.cache is not None and state.keys is not None:
                for key in _with_hits(state.keys, state.hits_key):
                    self.cache.discard_parts(key)  # votes the keys do not describe
            raise
        if state.stale and state.keys is not None:  # a refresh of no items: nothing new to keep
            self._drop_old(state.keys, state.hits_key)
        if self.cache is not None and state.hashes is not None and state.keys is not None:
            for key in state.keys:  # also folds in shards a killed earlier run left
                self.cache.compact(key)

    def _every_items_hits(self, dataset: Dataset, state: _ApplyState, plan: _Plan,
                          tally: _Tally) -> np.ndarray:
        """Every item's glossary hits (:func:`every_items_hits`): the chunks', the vote
        cache's, and those of items no chunk matched, matched here (their seconds added to
        ``tally``)."""
        done = np.concatenate(tally.matched) if tally.matched else plan.rows[:0]
        cached_hits = ((self.cache, state.hits_key, state.hashes) if self.cache is not None
                       and state.hits_key is not None and state.hashes is not None else None)
        before = list(self.runner.spent)  # items matched for their hits alone, here
        hits = (every_items_hits(self.runner, dataset.texts, done, tally.hit_parts,
                                 self.chunk_size, cached_hits, plan.known)
                if self.runner.has_matcher else np.zeros(0, HIT_DTYPE))
        tally.spent = [s + now - was
                       for s, now, was in zip(tally.spent, self.runner.spent, before)]
        return hits

    def _failures_with_cached(self, dataset: Dataset, state: _ApplyState, plan: _Plan,
                              failures: dict[str, LFFailures]) -> dict[str, LFFailures]:
        """Per LF that failed (in LF order), its failures: those computed now (``failures``)
        and those read from the vote cache, with the traceback it kept."""
        recomputed = set(plan.columns)
        for j, lf in enumerate(self.lfs):  # failures on cached rows, with the kept traceback
            old = state.failed[:, j].copy()
            if j in recomputed:
                old[state.missing[:, j]] = False
            if not old.any():
                continue
            assert self.cache is not None and state.keys is not None  # cached rows: a cache lookup
            kept_tb = self.cache.error(state.keys[j])
            tb = (f"(from the vote cache: the first traceback of this code, as an earlier "
                  f"run kept it)\n{kept_tb}" if kept_tb else
                  "(from the vote cache; run with "
                  f"{both_spellings('--no-cache', 'cache=' + repr(REFRESH))} for the traceback)")
            for i in np.flatnonzero(old):
                failures.setdefault(lf.name, LFFailures(lf.name)).add(dataset.ids[i], tb)
            if lf.name in failures:  # the first ids in item order, cached or not
                first = np.flatnonzero(state.failed[:, j])[:MAX_FAILED_IDS]
                failures[lf.name].item_ids = [dataset.ids[i] for i in first]
                if old[first[0]]:  # the first item listed is cached: its traceback, not
                    # that of the first item computed now, which comes later (a resumed run)
                    failures[lf.name].traceback, failures[lf.name].raised_at = tb, ""
        return {lf.name: failures[lf.name] for lf in self.lfs if lf.name in failures}

    def _drop_old(self, keys: Sequence[str], hits_key: str | None) -> None:
        """A refresh: drop everything the vote cache held under ``keys`` and ``hits_key``."""
        assert self.cache is not None
        for key in _with_hits(keys, hits_key):
            self.cache.drop(key)

    @property
    def _index(self) -> dict[str, int]:
        return {lf.name: j for j, lf in enumerate(self.lfs)}

    def _known_matches(self, state: _ApplyState, plan: _Plan
                       ) -> Callable[[np.ndarray], list[list[GlossaryMatch] | None]] | None:
        """What finds, for dataset rows, the matches the match cache holds (None per row it
        does not), when an LF to compute reads matches on rows whose hits the vote cache
        holds (those rows are not matched for their hits); None otherwise."""
        if (plan.to_match is None or self.cache is None or not self.runner.has_matcher
                or state.hashes is None
                or not any(self.runner.reads_matches[j] for j in plan.columns)):
            return None
        reader = MatchCache(self.cache.folder.parent, state.match_key).reader()
        hashes = state.hashes

        def known(idx: np.ndarray) -> list[list[GlossaryMatch] | None]:
            found = reader.find(hashes[idx])
            return [found.get(i) for i in range(len(idx))]
        return known

    def _chunks(self, dataset: Dataset, rows: np.ndarray, columns: list[int],
                keep: bool, needed: np.ndarray | None = None,
                to_match: np.ndarray | None = None,
                known: Callable[[np.ndarray], list[list[GlossaryMatch] | None]] | None = None
                ) -> Iterator[Chunk]:
        """``to_match``: per row of ``rows``, whether its glossary hits are to be matched
        (None: every row's); ``known``: the matches the match cache holds of the others
        (:meth:`_known_matches`)."""
        contiguous = len(rows) == len(dataset)
        field_frame = dataset.fields if len(dataset.fields.columns) else None
        for start in range(0, len(rows), self.chunk_size):
            idx = rows[start:start + self.chunk_size]
            if contiguous:
                lo, hi = int(idx[0]), int(idx[-1]) + 1
                ids, texts = dataset.ids[lo:hi], dataset.texts[lo:hi]
                part = field_frame.iloc[lo:hi] if field_frame is not None else None
            else:
                ids = [dataset.ids[i] for i in idx]
                texts = [dataset.texts[i] for i in idx]
                part = field_frame.iloc[idx] if field_frame is not None else None
            fields = ({str(c): part[c].tolist() for c in part.columns}
                      if part is not None else None)
            match = to_match[start:start + len(idx)] if to_match is not None else None
            cached = (known(idx) if known is not None and match is not None
                      and not match.all() else None)
            yield Chunk(start=start, ids=ids, texts=texts, fields=fields,
                        columns=columns if len(columns) < len(self.lfs) else None,
                        keep_matches=keep, data_columns=dataset.data_columns,
                        file_rows=(idx if dataset.file_rows is None
                                   else dataset.file_rows[idx]).tolist(),
                        needed=(needed[start:start + len(idx)]
                                if needed is not None else None),
                        match=None if match is None or match.all() else match,
                        known_matches=cached)

    def hit_tables(self, hits: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Per glossary term (every term, matched or not), and per phrase of each term (the
        term and each synonym): ``hits``, the items where it matched and no exclusion
        cancelled it, and ``cancelled``, the items where every match of it was cancelled
        (the counts of :func:`labelwright.lfs.stats.glossary_hits`)."""
        return hit_tables(self.glossaries, hits)


#: the uncached LFs already warned of in this process (a notebook re-runs them often)
_warned: set[tuple[str, tuple[str, ...]]] = set()


def uncached_text(uncached: dict[str, tuple[str, ...]]) -> str:
    """One line on the LFs whose votes the vote cache cannot keep (``{LF: globals}``)."""
    shown = some_of([f"{lf} ({', '.join(names)})" for lf, names in list(uncached.items())[:5]],
                    total=len(uncached))
    one = len(uncached) == 1
    return (f"vote cache: {'LF' if one else 'LFs'} {shown} "
            f"read{'s' if one else ''} globals whose values cannot be hashed (an "
            f"object, a DataFrame): {'its' if one else 'their'} votes are computed on every "
            "run, not cached")


def _with_hits(keys: Sequence[str], hits_key: str | None) -> list[str]:
    """The vote cache keys a run's votes are kept under: ``keys``, and ``hits_key`` when
    there is one."""
    return [*keys, *([hits_key] if hits_key is not None else [])]


def _warn_uncached(uncached: dict[str, tuple[str, ...]]) -> None:
    """Log :func:`uncached_text` once per process for the same LFs and globals."""
    new = {lf: names for lf, names in uncached.items() if (lf, names) not in _warned}
    if new:
        _warned.update(new.items())
        log.warning("%s", uncached_text(new))


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
