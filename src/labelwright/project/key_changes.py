"""Why the vote cache gave few votes: the dataset's columns are not the run before's.

A row's vote cache key is a hash of its id, text and every field
(:func:`~labelwright.apply.cache_keys.row_hashes`), since an LF may read any field
(``item.stars``, ``item["stars"]``, ``item.fields``), and which ones it reads is known only
as it runs. A column added to the data (an ``ingest_date`` no LF reads) therefore changes
every row's key, and a run recomputed every vote with only "none from the vote cache" to
show for it. :func:`key_change_note` says why, naming the columns added or gone since the
run before.
"""

from __future__ import annotations

from pathlib import Path

from labelwright.apply import ApplyResult
from labelwright.apply.cache import VoteCache
from labelwright.apply.key_scheme import KEY_SCHEME
from labelwright.config import ProjectConfig
from labelwright.counts import counted, some_of
from labelwright.data.dataset import Dataset
from labelwright.errors import LabelwrightError


def key_change_note(config: ProjectConfig, dataset: Dataset, applied: ApplyResult
                    ) -> str | None:
    """A line on the columns added or gone since the run before, when most rows were
    computed again although the vote cache was read; None otherwise (or when there is no
    run before to compare with)."""
    computed = max(applied.computed.values(), default=0)
    if not applied.vote_cache or applied.refreshed or not len(dataset) \
            or computed * 2 <= len(dataset):
        return None
    before = _columns_before(config.runs_path)
    if before is None:
        return None
    run_id, columns = before
    now = [str(c) for c in dataset.columns] or [*dataset.data_columns,
                                                *map(str, dataset.fields.columns)]
    added = [c for c in now if c not in columns]
    gone = [c for c in columns if c not in now]
    if not added and not gone:
        return None
    moved = "; ".join(
        f"{what} {some_of([repr(c) for c in names])}" for what, names in
        ((f"new {'column' if len(added) == 1 else 'columns'}", added),
         (f"{'column' if len(gone) == 1 else 'columns'} gone", gone)) if names)
    rows = ("every row's key changed" if computed == len(dataset)
            else f"{counted(computed, 'row')}' keys changed")
    return (f"{rows} since run {run_id}: {moved} (a row's key holds all its fields, since an "
            "LF may read any of them, so a column added or dropped makes every vote one to "
            "compute again, once)")


def scheme_change_note(cache: VoteCache | None, applied: ApplyResult) -> str | None:
    """A line saying the vote cache's keys changed with labelwright, when the cache folder
    held entries of an older key scheme (:attr:`VoteCache.older_scheme`) and LFs were
    computed although the cache was read; None otherwise. An upgrade that changes what a
    key holds makes every key miss once, which read as an unexplained "none from the vote
    cache"."""
    if cache is None or cache.older_scheme is None or not applied.vote_cache \
            or applied.refreshed or not any(applied.computed.values()):
        return None
    return (f"the vote cache's keys changed with labelwright (its entries are of key scheme "
            f"{cache.older_scheme}, this labelwright's {KEY_SCHEME}: see README \"Upgrading "
            "labelwright\"), so votes are computed once again and kept under the new keys")


def _columns_before(runs: Path) -> tuple[str, list[str]] | None:
    """The newest finished run's id and the columns its data had (from its manifest's
    schema); the run being written has no manifest yet, so it is not that run."""
    from labelwright.runs.manifest import read_manifest
    from labelwright.runs.run_folders import failed_run

    try:
        done = sorted((p for p in runs.iterdir() if p.is_dir() and not p.name.startswith(".")
                       and (p / "manifest.json").is_file()), key=lambda p: p.name)
        before = next((p for p in reversed(done) if not failed_run(p)), None)
        if before is None:
            return None
        schema = (read_manifest(before).get("data") or {}).get("schema") or []
    except (LabelwrightError, OSError, ValueError):
        return None
    columns = [str(c.get("name")) for c in schema if isinstance(c, dict)]
    return (before.name, columns) if columns else None
