"""How a run applied its LFs: the manifest's ``apply`` section beyond the engine's name.

The labels do not depend on the engine, but a team that must show how they were computed
needs to see where and how: the engine the run resolved ``auto`` to, the cluster it used,
how many workers, the chunk size, and what the vote and Doc caches gave instead of
computing. Everything here is read from the :class:`~labelwright.apply.Applier` the run
used and the :class:`~labelwright.apply.ApplyResult` it returned.
"""

from __future__ import annotations

from typing import Any

from labelwright.apply import Applier, ApplyResult, default_workers
from labelwright.apply.scheduler_address import scheduler_text
from labelwright.apply.worker_checks import COMPARED
from labelwright.counts import counted, some_of

#: ``engine_requested`` when neither ``--engine`` nor ``[apply] engine`` named one
AUTO = "auto"


def scheduler_address(address: str) -> str:
    """``address`` with no credentials: ``tls://user:secret@host:8786`` is recorded as
    ``tls://host:8786``. The manifest travels with the labels, so whatever precedes the
    host (up to its last ``@``, since a password may hold one) and a query string, where
    some gateways take a token, are dropped."""
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "", address
    rest = rest.rpartition("@")[2]
    for mark in ("?", "#"):
        rest = rest.partition(mark)[0]
    return f"{scheme}{sep}{rest}"


def items_computed(applied: ApplyResult) -> int:
    """Items on which at least one LF ran (the others' votes all came from the vote cache):
    every LF that ran, ran on the same rows, so the largest count is theirs."""
    return max(applied.computed.values(), default=0)


def workers_used(applier: Applier, applied: ApplyResult) -> int | None:
    """Workers that applied the LFs: 1 in this process, the pool's size (never more than
    there were chunks), the LocalCluster's size; 0 when the vote cache held every vote and no
    engine started; on a cluster named by its scheduler, how many of its workers ran tasks
    (None when they could not be asked)."""
    computed = items_computed(applied)
    if computed == 0:
        return 0
    if applied.engine == "local":
        return 1
    if applied.engine == "dask" and applier.scheduler:
        return len(applied.workers_seen) if applied.workers_seen is not None else None
    wanted = applier.workers or default_workers()
    if applied.engine == "processes":
        return max(1, min(wanted, -(-computed // applier.chunk_size)))
    return wanted


def dask_workers(applier: Applier, applied: ApplyResult) -> dict[str, Any] | None:
    """Which Dask workers applied the LFs (``addresses``, sorted) and what each was seen to
    share with the client before it ran (``matched_client``: labelwright's code, the
    versions of Python and of the packages that parse, the project's labels, LF folder
    files, LF sources, glossaries, pipeline and the modules from outside the LF folder that
    the LFs import; :mod:`labelwright.apply.worker_checks`); None
    when no LF ran or the workers could not be asked."""
    if applied.workers_seen is None:
        return None
    compared = [] if applier.root is None else [
        what for what in COMPARED if what != "lf_folder_files" or applier.lf_state is not None]
    return {"addresses": list(applied.workers_seen), "matched_client": compared}


def apply_record(applier: Applier, applied: ApplyResult, *,
                 requested: str | None) -> dict[str, Any]:
    """The manifest's ``apply`` fields on how the LFs were applied (``requested``: the
    engine ``--engine`` or ``[apply] engine`` named, None for neither), besides ``engine``,
    ``seconds`` and ``rows_computed``, which runs have always recorded."""
    dask = applied.engine == "dask"
    computed = items_computed(applied)
    n_items = len(applied.matrix.votes)
    cached = applier.cache is not None
    # "session client": the session's default Dask client, none named (engine_choice);
    # none when the vote cache held every vote: no cluster was started or used
    on = dask and computed > 0
    cluster = None if not on else "LocalCluster" if not applier.scheduler \
        else "session client" if applier.session_client else "scheduler"
    return {
        "engine_requested": requested or AUTO,
        "cluster": cluster,
        "scheduler": scheduler_address(scheduler_text(applier.scheduler))
        if on and applier.scheduler else None,
        "workers": workers_used(applier, applied),
        "dask_workers": dask_workers(applier, applied) if dask else None,
        "chunk_size": applier.chunk_size,
        # hits: items whose every vote was read back; misses: items some LF ran on;
        # lfs_computed: LFs that ran on some item; lfs_cached: LFs whose every vote was read
        # refreshed: --no-cache, every vote computed and stored over what the cache held
        "vote_cache": {"used": cached, "refreshed": applied.refreshed if cached else None,
                       "hits": n_items - computed if cached else None,
                       "misses": computed if cached else None,
                       "lfs_computed": lfs_computed(applied) if cached else None,
                       "lfs_cached": [name for name, n in applied.computed.items() if not n]
                       if cached else None,
                       # LFs of the session that read a global with no stable hash: never
                       # cached (absent when none)
                       **({"lfs_uncached": {lf: list(names)
                                            for lf, names in applied.uncached.items()}}
                          if cached and applied.uncached else {})},
        # hits: items whose Doc was read back instead of parsed
        "doc_cache": {"used": applier.doc_cache is not None,
                      "hits": applied.docs_read if applier.doc_cache is not None else None},
        # per LF that ran, the seconds its calls took (estimated from a sample of items)
        "lf_seconds": {name: round(seconds, 3) for name, seconds in _ran(applied).items()},
        # seconds getting the items' Docs (parsed or read back) and matching glossaries
        "parse_seconds": round(applied.parse_seconds, 3),
        "match_seconds": round(applied.match_seconds, 3),
    }


#: LFs' seconds below which ``run`` and ``analyze`` name no slowest LF
SLOW_SECONDS = 1.0


def slowest_lfs_text(applied: ApplyResult, shown: int = 3) -> str | None:
    """``slowest LFs: slow_regex 110.2 s (94% of the LFs' time), ...`` when the LFs that ran
    took :data:`SLOW_SECONDS` or more in all (None otherwise): among many LFs, the one that
    makes a re-run slow."""
    ran = _ran(applied)
    total = sum(ran.values())
    if total < SLOW_SECONDS:
        return None
    top = sorted(ran.items(), key=lambda kv: -kv[1])[:shown]
    return "slowest LFs: " + ", ".join(
        f"{name} {seconds:.1f} s ({100 * seconds / total:.0f}% of the LFs' time)"
        for name, seconds in top)


def parse_time_text(applied: ApplyResult) -> str | None:
    """``parsing 6.1 s, glossary matching 3.0 s, LFs 4.2 s`` when parsing and matching took
    :data:`SLOW_SECONDS` or more (None otherwise): the time of a run that no LF's seconds
    hold (parsing counts the Docs read back from the Doc cache too)."""
    if applied.parse_seconds + applied.match_seconds < SLOW_SECONDS:
        return None
    return (f"parsing {applied.parse_seconds:.1f} s, glossary matching "
            f"{applied.match_seconds:.1f} s, LFs {sum(_ran(applied).values()):.1f} s")


def _ran(applied: ApplyResult) -> dict[str, float]:
    """``applied.lf_seconds`` of the LFs that ran (:func:`lfs_computed`)."""
    return {name: applied.lf_seconds[name] for name in lfs_computed(applied)
            if name in applied.lf_seconds}


def lfs_computed(applied: ApplyResult) -> list[str]:
    """The LFs that ran on at least one item, in label matrix order (the others' votes all
    came from the vote cache)."""
    return [name for name, n in applied.computed.items() if n]


def vote_cache_text(applied: ApplyResult) -> str:
    """What the vote cache gave, in one line: ``votes: 1 LF computed (kw_free), 25 from the
    vote cache``, ``votes: 26 LFs computed on 120 of 849 items (...), the rest from the
    vote cache``, ``votes: 26 LFs, all from the vote cache``; LFs that ran on different
    numbers of items (one edited while rows were added), each number with its LFs."""
    ran, lfs = lfs_computed(applied), len(applied.computed)
    if not applied.vote_cache:
        return f"votes: {counted(lfs, 'LF')} computed (vote cache off)"
    if applied.refreshed:
        return (f"votes: {counted(lfs, 'LF')} computed, none read from the vote cache, which "
                "now holds them (--no-cache)")
    if not ran:
        return f"votes: {counted(lfs, 'LF')}, all from the vote cache"
    names = some_of(ran)
    items, n_items = items_computed(applied), len(applied.matrix.votes)
    counts = sorted({applied.computed[name] for name in ran}, reverse=True)
    if len(counts) > 1:  # an LF edited while rows were added: it ran on more items
        parts = []
        for count in counts:
            group = [name for name in ran if applied.computed[name] == count]
            on = f"all {n_items:,} items" if count == n_items else f"{count:,} of {n_items:,}"
            parts.append(f"{group[0]} on {on}" if len(group) == 1 else
                         f"{counted(len(group), 'LF')} on {on} ({some_of(group)})")
        return (f"votes: {counted(len(ran), 'LF')} computed: {'; '.join(parts)}; the rest "
                "from the vote cache")
    if items < n_items:
        return (f"votes: {counted(len(ran), 'LF')} computed on {items:,} of {n_items:,} items "
                f"({names}), the rest from the vote cache"
                + (f"; {applied.key_note}" if applied.key_note else ""))
    cached = lfs - len(ran)
    return (f"votes: {counted(len(ran), 'LF')} computed ({names}), "
            + (f"{cached:,} from the vote cache" if cached else "none from the vote cache")
            + (f"; {applied.key_note}" if applied.key_note else ""))
