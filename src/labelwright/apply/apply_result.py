"""What one apply gives back: the label matrix with every item's glossary matches and hits,
the LFs' failures and timings, and what the vote and Doc caches did.

Its own module because every reader of an apply (a run, ``check``'s trial, a notebook)
reads this record, and none of them needs the machinery that fills it in
(:mod:`~labelwright.apply.applier`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from labelwright.apply.hit_tables import PHRASE_HIT_COLUMNS, TERM_HIT_COLUMNS
from labelwright.apply.lf_failures import LFFailures
from labelwright.lfs.item import GlossaryMatch
from labelwright.matrix import LabelMatrix
from labelwright.short_repr import ShortRepr

#: LFs computed again up to which the repr names them, not only counts them
COMPUTED_SHOWN = 5


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
        shown: dict[str, object] = {"items": items, "lfs": lfs,
                                    "failed_lfs": sorted(self.failures)}
        if self.vote_cache:  # after an edit: which LFs the cache noticed and computed again
            shown |= self.cache_use()
        return shown | {"engine": self.engine, "seconds": round(self.seconds, 2)}

    def cache_use(self) -> dict[str, object]:
        """``computed``: the LFs some of whose votes were computed in this apply (their
        names, or how many when more than :data:`COMPUTED_SHOWN`); ``from_cache``: how many
        LFs had every vote read from the vote cache."""
        computed = [name for name in self.matrix.lf_names if self.computed.get(name)]
        return {"computed": computed if len(computed) <= COMPUTED_SHOWN
                else f"{len(computed)} LFs",
                "from_cache": len(self.matrix.lf_names) - len(computed)}

