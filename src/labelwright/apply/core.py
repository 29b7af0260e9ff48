"""The per-item work every engine shares: one picklable runner applied to chunks of items.

A :class:`~labelwright.apply.chunks.Chunk` is a slice of items held column-wise (ids,
texts, field rows). A :class:`ChunkRunner` holds the LFs, the pipeline and the glossary
matcher, and turns a chunk into a :class:`~labelwright.apply.chunks.ChunkResult`: the votes
of the requested LF columns, failure counts
(:class:`~labelwright.apply.lf_failures.LFFailures`), and glossary term hits in a compact
form. Engines differ only in where runners live.
A runner given a :class:`~labelwright.apply.doc_cache.DocCache` reads each item's Doc
from it when it holds one and stores the Docs it had to parse.

With a time limit (``lf_timeout``), each LF call is guarded by a ``SIGALRM`` timer: an
LF that runs longer on one item is interrupted with :class:`LFTimeout` and counted as a
failure of that LF on that item. Signals reach only a process's main thread, so the
limit works with the ``local`` and ``processes`` engines, not on Dask worker threads.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from labelwright.apply.cache_keys import key_reads_matches
from labelwright.apply.cache_keys import reads_parse as lf_reads_parse
from labelwright.apply.chunks import HIT_DTYPE as HIT_DTYPE  # defined here before
from labelwright.apply.chunks import Chunk as Chunk
from labelwright.apply.chunks import ChunkResult as ChunkResult
from labelwright.apply.item_fields import field_rows
from labelwright.apply.item_fields import missing_as_none as missing_as_none
from labelwright.apply.lf_calls import (
    NO_TIMEOUT_HERE,
    as_told,
    bare_call,
    lf_traceback,
    memoized_mappers,
    raise_timeout,
    raised_line,
    ran_seconds,
    time_limited,
    timeout_supported,
)
from labelwright.apply.lf_calls import LFTimeout as LFTimeout  # imported from here too
from labelwright.apply.lf_failures import MAX_FAILED_IDS as MAX_FAILED_IDS
from labelwright.apply.lf_failures import LFFailures as LFFailures
from labelwright.apply.lf_failures import merge_failures as merge_failures
from labelwright.apply.refused_votes import RefusedVotes
from labelwright.errors import ConfigError, DataError, LFFailure
from labelwright.glossaries.core import Glossary
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.empty_fields import empty_on_item
from labelwright.lfs.folder_imports import import_from
from labelwright.lfs.item import GlossaryMatch, Item, ProcessLocal, ProjectItem
from labelwright.lfs.nested_fields import nested_on_item
from labelwright.lfs.text_order import text_order_on_item
from labelwright.lfs.vote_codes import VoteCoder
from labelwright.matrix import vote_dtype
from labelwright.nlp.lazy import as_pipeline

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from labelwright.apply.doc_cache import DocCache
    from labelwright.glossaries.matching import GlossaryMatcher

#: (LF name, its location, item id) of each LF call a Ctrl-C stopped in this process: a
#: runaway LF (a regular expression that backtracks for minutes) is named when the user
#: gives up on it
INTERRUPTED: list[tuple[str, str, str]] = []


class ChunkRunner:
    """Applies a fixed list of LFs to chunks; built once per process and reused."""

    def __init__(
        self,
        lfs: Sequence[LabelingFunction],
        labels: Sequence[str],
        *,
        nlp: Language | None = None,
        glossaries: Sequence[Glossary] = (),
        batch_size: int = 256,
        fail_fast: bool = False,
        lf_timeout: float | None = None,
        doc_cache: DocCache | None = None,
        reads_parse: Sequence[bool] | None = None,
        lf_folder: Path | str | None = None,
        reads_matches: Sequence[bool] | None = None,
    ) -> None:
        """``reads_parse`` says, per LF, whether it reads the parse (a Doc or glossary
        matches), also through helper code (:class:`~labelwright.apply.cache_keys.Support`,
        which the :class:`~labelwright.apply.applier.Applier` works out); by default only
        the LF's own module is looked at. A chunk of LF columns that read no parse skips it.
        ``lf_folder``: the project's LF folder, whose helpers the LFs import when they run
        (:func:`~labelwright.lfs.folder_imports.import_from`, before each chunk: the process
        may have loaded another project since). ``reads_matches``: per LF, whether its own
        code reads glossary matches (the applier's cache keys say; by default its module)."""
        if lf_timeout is not None and not lf_timeout > 0:
            raise ConfigError(f"lf_timeout must be a number of seconds > 0, got {lf_timeout!r}")
        self.lfs = list(lfs)
        self.lf_folder = str(lf_folder) if lf_folder is not None else None
        self.lf_timeout = lf_timeout
        self.labels = tuple(labels)
        self.nlp = nlp
        self.glossaries = list(glossaries)
        self.batch_size = batch_size
        self.fail_fast = fail_fast
        self.doc_cache = doc_cache
        self.dtype = vote_dtype(len(self.labels))
        #: whether the glossaries are matched (:attr:`matcher`, built when first needed)
        self.has_matcher = bool(glossaries) and nlp is not None
        #: the matcher once built: a list, so that a copy of this runner (the streaming
        #: apply's) shares the one either builds
        self._matcher: list[GlossaryMatcher] = []
        #: seconds :meth:`match_texts` took in this process: getting Docs, matching
        self.spent = [0.0, 0.0]
        self._coder = VoteCoder(self.labels)
        self._calls = [bare_call(lf) for lf in self.lfs]
        #: snorkel preprocessors whose memo is emptied after each item (see memoized_mappers)
        self._memos = memoized_mappers(self.lfs)
        self.reads_parse = (list(reads_parse) if reads_parse is not None else
                            [lf_reads_parse(lf, bool(self.glossaries)) for lf in self.lfs])
        #: LFs seen (in their own code) to read glossary matches: a chunk running one gets
        #: every item's matches before its LFs, so matching is timed as matching
        self.reads_matches = (list(reads_matches) if reads_matches is not None else
                              [bool(self.glossaries) and key_reads_matches(lf)
                               for lf in self.lfs])
        if len(self.reads_parse) != len(self.lfs):
            raise ValueError(f"reads_parse has {len(self.reads_parse)} entries for "
                             f"{len(self.lfs)} LFs")
        self._glossary_index = {g.name: i for i, g in enumerate(self.glossaries)}
        self._term_by_name = [{t.term: j for j, t in enumerate(g.terms)} for g in self.glossaries]
        phrase_index = [{(t.term, phrase): k for t in g.terms
                         for k, phrase in enumerate(t.phrases)} for g in self.glossaries]
        #: a match's (glossary, term, phrase) names -> its hit's (glossary, term, phrase)
        #: indices, one lookup per match
        self._hit_index = {(name, term, phrase): (g, self._term_by_name[g][term], k)
                           for name, g in self._glossary_index.items()
                           for (term, phrase), k in phrase_index[g].items()}

    @property
    def matcher(self) -> GlossaryMatcher | None:
        """The glossaries' matcher (None without glossaries or a pipeline), built on first
        use: it parses every phrase with the pipeline, which a run whose votes and matches
        all come from the caches never builds (:class:`~labelwright.nlp.lazy.
        LazyPipeline`)."""
        if not self._matcher and self.has_matcher:
            from labelwright.glossaries.matching import GlossaryMatcher  # spaCy: only here

            self._matcher.append(GlossaryMatcher(self.glossaries, as_pipeline(self.nlp)))
        return self._matcher[0] if self._matcher else None

    def match_one(self, doc: Doc, text: str | None = None) -> list[GlossaryMatch]:
        """The glossary matches of one item's Doc (an item matched on first use holds
        this, so the matcher is built only if an item is)."""
        assert self.matcher is not None
        return self.matcher.match(doc, text)

    def needs_doc(self, columns: Sequence[int]) -> bool:
        """Whether running these LF columns needs a parse (a Doc or glossary matches)."""
        return any(self.reads_parse[j] for j in columns)

    def run(self, chunk: Chunk) -> ChunkResult:
        if self.lf_folder is not None:
            import_from(self.lf_folder)
        if self.lf_timeout is None:
            return self._run(chunk)
        if not timeout_supported():
            raise ConfigError(NO_TIMEOUT_HERE)
        previous = signal.signal(signal.SIGALRM, raise_timeout)
        try:
            return self._run(chunk)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _run(self, chunk: Chunk) -> ChunkResult:
        columns = list(range(len(self.lfs))) if chunk.columns is None else list(chunk.columns)
        n = len(chunk)
        out = np.full((n, len(columns)), -1, dtype=self.dtype)
        failures: dict[str, LFFailures] = {}
        failed_rows: dict[str, list[int]] = {}
        hits: list[tuple[int, int, int, int, bool]] = []
        needs_doc = self.needs_doc(columns) and self.nlp is not None
        keep = chunk.keep_matches and self.has_matcher and needs_doc
        kept: list[list[GlossaryMatch] | None] | None = [] if keep else None
        selected = [(self.lfs[j], self._calls[j]) for j in columns]
        if self.lf_timeout is not None:  # no wrapper, no cost, without a limit
            selected = [(lf, time_limited(call, lf, self.lf_timeout)) for lf, call in selected]
        read_before = self.doc_cache.read if self.doc_cache is not None else 0
        if needs_doc and self.nlp is not None:
            _check_lengths(chunk, self.nlp)
        docs = self._docs(chunk.texts, store=True) if needs_doc else None
        matcher = self.matcher if needs_doc else None
        # the items matched as their Docs come: all, or those whose hits are not known
        to_match = None if chunk.match is None else chunk.match.tolist()
        # the items whose hits the vote cache holds still need their matches when an LF
        # to run reads them: from the match cache, else matched here, as matching
        known_matches = chunk.known_matches
        match_known = (matcher is not None and to_match is not None
                       and any(self.reads_matches[j] for j in columns))
        # an item's parser and matcher as a copy of the item pickles them: a key in this
        # process, not the pipeline (snorkel's preprocessors copy every item); made here,
        # in the process that runs the chunk
        lazy_match = ProcessLocal(self.match_one) \
            if self.has_matcher and (matcher is None or to_match is not None) \
            else None
        readers: set[int] = set()  # LFs seen reading matches
        track = self.has_matcher
        parse = ProcessLocal(self.nlp) if self.nlp is not None else None
        codes = self._coder._codes
        # what is no vote is kept and said at the end of the chunk, every value at once
        refused = RefusedVotes(self._coder)
        code = refused.vote
        fields = field_rows(chunk)
        glossary_index = self._glossary_index
        known = (tuple(glossary_index), self.labels)  # what item.matched() accepts
        # seconds of each LF's calls. Every call is timed with one clock read after it (and
        # its vote's coding), the previous read being its start: a sample of the items
        # missed an LF slow on a few of them, or scaled one such item to many
        spent = [0.0] * len(selected)
        needed = chunk.needed.tolist() if chunk.needed is not None else None
        parse_seconds = match_seconds = 0.0
        clock = time.perf_counter
        memos = self._memos
        for i, item_id in enumerate(chunk.ids):
            calls: Sequence[tuple[LabelingFunction, Callable[[Item], Any]] | None] = selected
            if needed is not None:  # the cells the vote cache does not hold
                calls = [called if need else None for called, need in zip(calls, needed[i])]
            text = chunk.texts[i]
            doc = None
            found: list[GlossaryMatch] | None = None  # None: matched on first use, if any
            if docs is not None:  # timed: a few clock reads against a parse per item
                started = clock()
                doc = next(docs)
                parsed = clock()
                parse_seconds += parsed - started
                if matcher is not None and (to_match is None or to_match[i]):
                    found = matcher.match(doc, text)
                    match_seconds += clock() - parsed
                elif match_known:
                    found = known_matches[i] if known_matches is not None else None
                    if found is None:
                        assert matcher is not None
                        found = matcher.match(doc, text)
                        match_seconds += clock() - parsed
            if found and (to_match is None or to_match[i]):  # known hits are not added twice
                self._add_hits(i, found, hits)
            if kept is not None:
                kept.append(found)  # None: not matched here
            # LFs that read matches in ways not seen beforehand (a helper outside the
            # project) find them on first use, as they find item.doc
            item = ProjectItem(item_id, text, fields[i] if fields else None, doc, found,
                               parse=parse, match=lazy_match)
            item._known = known
            if track:
                item._readers = readers
            item.freeze()
            row = out[i]
            state = item.__dict__
            began = clock()  # the item's first LF starts here; each next one where one ends
            for k, called in enumerate(calls):
                if called is None:
                    continue
                lf, call = called
                if track:
                    state["_reading"] = columns[k]
                try:
                    value = call(item)
                except KeyboardInterrupt:  # Ctrl-C: the command says where it was
                    INTERRUPTED.append((lf.name, lf.location, item_id))
                    raise
                # sys.exit() in an LF is the LF failing: it ended a run with success and
                # no output, and killed a pool worker (the run then waited for ever)
                except (Exception, SystemExit) as raised:
                    spent[k] += clock() - began  # to its raise: not the telling of it
                    exc = as_told(raised)
                    if self.fail_fast:
                        where = raised_line(exc, lf)
                        said = f"{type(exc).__name__}: {exc}"
                        raise LFFailure(
                            f"labeling function {lf.name!r} ({lf.location}) raised on item "
                            f"{item_id!r}{f' at {where}' if where else ''}: {said}"
                            + empty_on_item(said, lf_traceback(exc), fields[i] if fields
                                            else None)
                            + text_order_on_item(said, lf_traceback(exc),
                                                 fields[i] if fields else None)
                            + nested_on_item(said, lf_traceback(exc),
                                             fields[i] if fields else None)
                        ) from exc
                    failure = failures.setdefault(lf.name, LFFailures(lf.name))
                    first = not failure.traceback  # only the first is kept: format it alone
                    failure.add(item_id, lf_traceback(exc) if first else "",
                                raised_line(exc, lf) if first else "")
                    failed_rows.setdefault(lf.name, []).append(i)
                    began = clock()
                    continue
                try:
                    vote = codes[value]
                except (KeyError, TypeError):
                    vote = code(value, k, item)
                else:  # 1.0, True and np.True_ equal 1 but are not votes: code() decides
                    if value is not None and type(value) is not int and type(value) is not str:
                        vote = code(value, k, item)
                if vote >= 0:
                    row[k] = vote
                ended = clock()
                spent[k] += ended - began
                began = ended
            for memo in memos:  # no later item hits this item's entries
                memo.reset_cache()
        if refused:
            ran = [n] * len(columns) if chunk.needed is None else chunk.needed.sum(axis=0).tolist()
            error = refused.error([lf for lf, _ in selected], [call for _, call in selected], ran)
            for memo in memos:
                memo.reset_cache()
            raise error
        return ChunkResult(
            start=chunk.start, votes=out, columns=columns, failures=failures,
            failed_rows=failed_rows, matches=kept, hits=np.array(hits, dtype=HIT_DTYPE),
            matched=matcher is not None,
            docs_read=self.doc_cache.read - read_before if self.doc_cache is not None else 0,
            match_readers=sorted(readers),
            lf_seconds=ran_seconds(spent, [lf.name for lf, _ in selected], n, chunk.needed),
            parse_seconds=parse_seconds, match_seconds=match_seconds,
        )

    def _docs(self, texts: Sequence[str], *, store: bool) -> Iterator[Doc]:
        """One Doc per text: from the Doc cache when there is one, else parsed."""
        assert self.nlp is not None
        if self.doc_cache is not None:
            return iter(self.doc_cache.docs(self.nlp, texts, batch_size=self.batch_size,
                                            store=store))
        return iter(self.nlp.pipe(texts, batch_size=self.batch_size))

    def _add_hits(self, i: int, found: Sequence[GlossaryMatch],
                  hits: list[tuple[int, int, int, int, bool]]) -> None:
        """Append item ``i``'s hit records (:data:`HIT_DTYPE`) of its matches ``found``."""
        for m in found:
            index = self._hit_index.get((m.glossary, m.term, m.phrase))
            if index is None:  # a phrase its term does not list: counted as the term's
                g = self._glossary_index[m.glossary]
                index = (g, self._term_by_name[g][m.term], 0)
            hits.append((i, *index, m.excluded_by is not None))

    def match_hits(self, texts: Sequence[str]) -> np.ndarray:
        """The hit records (:data:`HIT_DTYPE`, ``row`` an index into ``texts``) of the
        glossaries' matches in these texts: the hits of items whose votes all came from
        the vote cache while their hits were not there (no LF needed them matched)."""
        hits: list[tuple[int, int, int, int, bool]] = []
        for i, found in enumerate(self.match_texts(texts)):
            self._add_hits(i, found, hits)
        return np.array(hits, dtype=HIT_DTYPE)

    def match_texts(self, texts: Sequence[str]) -> list[list[GlossaryMatch]]:
        """Glossary matches of some texts (to rebuild matches of reviewed items on demand)."""
        matcher = self.matcher if self.nlp is not None and len(texts) else None
        if matcher is None:
            return [[] for _ in texts]
        clock = time.perf_counter
        found = []
        docs = self._docs(texts, store=False)
        for text in texts:
            started = clock()
            doc = next(docs)
            parsed = clock()
            found.append(matcher.match(doc, text))
            self.spent[0] += parsed - started
            self.spent[1] += clock() - parsed
        return found


def _check_lengths(chunk: Chunk, nlp: Language) -> None:
    """A text longer than the pipeline's ``max_length`` is refused by name: spaCy would stop
    the run with its own error, naming no item. (The blank default takes any length.)"""
    limit = nlp.max_length
    if max(map(len, chunk.texts), default=0) <= limit:  # every chunk: one pass in C
        return
    for row, (item_id, text) in enumerate(zip(chunk.ids, chunk.texts)):
        if len(text) > limit:
            raise DataError(
                f"item {item_id!r} ({chunk.where(row)}): its text has "
                f"{len(text):,} characters, more than the spaCy pipeline's max_length "
                f"({limit:,}; a parser or entity recognizer needs about 1 GB of memory per "
                "100,000 characters); split the text into several items, or leave [nlp] "
                "pipeline unset: the blank default takes texts of any length")
