"""The project's caches (``.labelwright/cache``): their files, and removing the entries
nothing uses any more (``labelwright runs prune``).

Cache files are made with the umask's mode (:func:`new_temp_file`), as a run's files are,
so that users sharing a project (a CI runner, a teammate in the group) share its cache.

The vote cache gains an entry per LF per edit (each is keyed by the LF's code) and the
Doc cache a shard per chunk of new texts (per pipeline), and neither drops any on its
own. A vote cache entry (``votes/<key>.npz``) has its modification time set when a run
reads it, and a Doc cache shard (``docs/<pipeline>/<shard>.npz``) when one is read from,
so a file's time says when it was last used. :func:`prune_caches` removes the entries and
shards last used before the newest run started and before ``days`` days ago. The match
cache, the term counts, the ranking cache and the decompressed copies of compressed data
files keep their own four newest entries and are left as they are.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from labelwright import file_hashes as hashes
from labelwright.errors import CacheError

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig

#: ``cache=`` of a run or apply (``labelwright run --no-cache``): read no vote from the
#: vote cache, compute every one and store it there in place of what it held, so that a
#: change the cache keys cannot see (a file an LF reads from outside the LF folder) leaves
#: no old votes for the next run to read back
REFRESH: Literal["refresh"] = "refresh"
#: what ``cache=`` takes: None (``[apply] cache``), True, False (no cache at all), REFRESH
CacheOption = bool | Literal["refresh"] | None


def cache_use(config: ProjectConfig, cache: CacheOption) -> tuple[bool, bool]:
    """(whether the vote cache is used, whether every vote is computed again and stored
    over it) for ``cache`` (:data:`CacheOption`); a refresh of a project whose ``[apply]
    cache`` is off uses no cache."""
    if cache is not None and cache is not True and cache is not False and cache != REFRESH:
        raise ValueError(f"cache={cache!r}; valid: None ([apply] cache), True, False (no "
                         f"cache), {REFRESH!r} (compute every vote and store it)")
    if cache == REFRESH:
        return config.apply.cache, config.apply.cache
    return (config.apply.cache if cache is None else bool(cache)), False

#: errnos of a folder the user cannot write to, and of a disk with no room left
_READ_ONLY = {errno.EACCES, errno.EPERM}
_FULL = {errno.ENOSPC, errno.EDQUOT}
#: what a warning of a cache that only saves time says follows (the vote cache's is an error)
GOES_ON = " (the run goes on without it)"
#: the fix every cache write failure can take, whatever its cause
NO_CACHE = ("set [apply] cache = false to run without the caches (--no-cache still "
            "writes the vote cache)")


def cache_write_text(name: str, folder: Path, exc: OSError, *, then: str = "") -> str:
    """One line saying that the cache ``name`` (``vote cache``) cannot be written in
    ``folder``, why (``exc``), what follows (``then``, after the reason) and the fixes
    there are: make the folder writable, free disk space, move the file in the way; or
    turn the caches off (there is no setting of where they are: ``.labelwright/cache`` in
    the project folder)."""
    from labelwright.folders import file_in_the_way  # it imports this module

    blocked = None
    if isinstance(exc, (FileExistsError, NotADirectoryError)):  # where the write went first
        for path in ([Path(exc.filename)] if exc.filename else []) + [folder]:
            blocked = blocked or file_in_the_way(path)
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(folder) else ""
    if blocked is not None:
        return (f"cannot write the {name} in {folder}: {blocked} is a file where a folder "
                f"must be{then}; move or remove it, or {NO_CACHE}")
    fix = ""  # a read-only disk (EROFS) has no fix but the setting
    if exc.errno in _READ_ONLY:
        fix = ("make the folder writable by the user labelwright runs as (chmod, chown, "
               "or chattr -i for an immutable one), or ")
    elif exc.errno in _FULL:
        fix = ("free space on its disk (`labelwright runs prune --cache-days 0` removes "
               "the cache entries the newest run did not use), or ")
    return (f"cannot write the {name} in {folder}: {exc.strerror or exc}{where}{then}; "
            f"{fix}{NO_CACHE}")


#: the folders whose read-only state :func:`say_cache_not_written` said (once a process)
_SAID: set[str] = set()


def say_cache_not_written(log: logging.Logger, name: str, folder: Path,
                          exc: OSError) -> None:
    """Say that the cache ``name``, which only spares a later load some work (the pipeline
    facts, the lemma clashes), could not be written in ``folder``: a warning
    (:func:`cache_write_text`), but a debug line, once a process, when the folder is
    read-only. Every load of a project fills them, so a checkout read by a user who cannot
    write it (a notebook's ``load_project``) warned on each; a command that applies the
    LFs says so of the vote cache, as an error, and a full disk is still a warning."""
    text = cache_write_text(name, folder, exc, then=GOES_ON)
    if exc.errno not in _READ_ONLY | {errno.EROFS}:
        log.warning(text)
    elif str(folder) not in _SAID:
        _SAID.add(str(folder))
        log.debug(text)


@contextlib.contextmanager
def cache_writes(name: str, folder: Path) -> Iterator[None]:
    """Raise an :class:`~labelwright.errors.CacheError` of :func:`cache_write_text` for an
    ``OSError`` of the writes to the cache ``name`` in ``folder`` within: a one-line error,
    not a traceback of the file the write failed on."""
    try:
        yield
    except OSError as exc:
        raise CacheError(cache_write_text(name, folder, exc)) from None


#: the cache folders under ``.labelwright/cache``, as ``runs prune`` reports them
CACHE_FOLDERS = ("votes", "docs", "matches", "term_counts", "ranking", "fit", "pipelines",
                 "lemma_claims", "decompressed")
#: an mtime this close before the newest run's start still counts as used by it (file
#: systems that keep whole seconds)
_SLACK_SECONDS = 2.0


def new_temp_file(folder: Path, suffix: str = ".tmp") -> tuple[int, str]:
    """A new hidden file in ``folder`` for a write to rename into place: (open descriptor,
    path). Made with mode 0666 less the umask, as ``open`` makes files (and as a run's own
    files are made), not ``tempfile.mkstemp``'s 0600: a cache shared by the users of a
    group (a CI runner, a teammate) must be readable by them."""
    while True:
        tmp = os.path.join(folder, f".{secrets.token_hex(8)}{suffix}")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:  # pragma: no cover - 64 random bits taken
            continue


def store_newest(path: Path, write: Callable[[BinaryIO], object], kept: int,
                 suffix: str = ".npz") -> None:
    """Write a cache entry ``path`` (named ``*<suffix>``) by ``write`` through a temporary
    file of the umask's mode (a reader never sees half a file), then drop all but the
    ``kept`` newest entries of its folder: for the caches that keep their last few."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = new_temp_file(path.parent, suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    entries = sorted(path.parent.glob(f"*{suffix}"), key=lambda p: p.stat().st_mtime_ns,
                     reverse=True)
    for old in entries[kept:]:
        old.unlink(missing_ok=True)


def touch(path: Path) -> None:
    """Mark a cache file used now (its modification time); a cache another user owns,
    or one on a read-only disk, is read all the same."""
    with contextlib.suppress(OSError):
        os.utime(path)


@dataclass
class CachePrune:
    """What :func:`prune_caches` removed (or, in a dry run, would remove)."""

    folder: Path  # the project's ``.labelwright/cache``
    cutoff: float  # entries last used before this (seconds since the epoch) go
    #: (path, bytes) of each vote cache entry (its ``.npz``, shards and traceback
    #: together, named by the ``.npz``) and each Doc cache shard that goes
    removed: list[tuple[Path, int]] = field(default_factory=list)
    #: bytes each cache folder holds (after the prune; in a dry run, now)
    sizes: dict[str, int] = field(default_factory=dict)

    @property
    def bytes(self) -> int:
        return sum(size for _, size in self.removed)


def _size(path: Path) -> int:
    if path.is_dir() and not path.is_symlink():
        from labelwright.runs.prune_plan import folder_bytes

        return folder_bytes(path)
    try:
        return path.lstat().st_size
    except OSError:
        return 0


def _last_used(paths: list[Path]) -> float:
    """The newest modification time of ``paths`` and what their folders hold."""
    newest = 0.0
    for path in paths:
        with contextlib.suppress(OSError):
            newest = max(newest, path.stat().st_mtime)
        if path.is_dir():
            for inner in path.iterdir():
                with contextlib.suppress(OSError):
                    newest = max(newest, inner.stat().st_mtime)
    return newest


def _vote_entries(votes: Path) -> dict[str, list[Path]]:
    """The vote cache's files by entry key: ``<key>.npz``, ``<key>.parts/`` and
    ``<key>.error.txt`` (hidden files, temp files of a write under way, are left out)."""
    entries: dict[str, list[Path]] = {}
    if not votes.is_dir():
        return entries
    for path in votes.iterdir():
        if path.name.startswith("."):
            continue
        for suffix in (".npz", ".parts", ".error.txt"):
            if path.name.endswith(suffix):
                entries.setdefault(path.name[:-len(suffix)], []).append(path)
                break
    return entries


def newest_run_start(config: ProjectConfig) -> float | None:
    """When the project's newest run started (its manifest's ``started_at``, else its run
    id's time), in seconds since the epoch; None without a run."""
    from labelwright.errors import RunError
    from labelwright.runs.store import list_runs, read_manifest

    runs = list_runs(config.runs_path)
    if not runs:
        return None
    started = None
    with contextlib.suppress(RunError):
        started = read_manifest(config.runs_path / runs[-1]).get("started_at")
    try:
        return datetime.fromisoformat(str(started)).timestamp()
    except ValueError:
        return datetime.strptime(runs[-1] + "+0000", "%Y%m%d-%H%M%S-%f%z").timestamp()


def prune_caches(config: ProjectConfig, *, days: float = 7, dry_run: bool = False,
                 now: float | None = None) -> CachePrune:
    """Remove the vote cache entries and Doc cache shards of the project ``config`` last
    used (read or written) before its newest run started and more than ``days`` days ago
    (``now``: the time to count them from). The match cache, term counts and ranking cache
    keep their four newest entries of themselves and are not touched."""
    from labelwright.config.schema import STATE_DIR

    if isinstance(days, bool) or not isinstance(days, (int, float)) or days < 0:
        raise ValueError(f"days must be a number of days, 0 or more, not {days!r}")
    folder = config.root / STATE_DIR / "cache"
    now = time.time() if now is None else now
    cutoff = now - days * 86400
    started = newest_run_start(config)
    if started is not None:
        cutoff = min(cutoff, started - _SLACK_SECONDS)
    result = CachePrune(folder, cutoff)
    for key, paths in sorted(_vote_entries(folder / "votes").items()):
        if _last_used(paths) < cutoff:
            result.removed.append((folder / "votes" / f"{key}.npz",
                                   sum(_size(p) for p in paths)))
            if not dry_run:
                for path in paths:
                    _delete(path)
    docs = folder / "docs"
    for pipeline in sorted(docs.iterdir()) if docs.is_dir() else []:
        if not pipeline.is_dir():
            continue
        for shard in sorted(pipeline.glob("*.npz")):
            if not shard.name.startswith(".") and _last_used([shard]) < cutoff:
                result.removed.append((shard, _size(shard)))
                if not dry_run:
                    _delete(shard)
        if not dry_run:
            with contextlib.suppress(OSError):
                pipeline.rmdir()  # only when it holds nothing now
    result.sizes = {name: _size(folder / name) for name in CACHE_FOLDERS
                    if (folder / name).exists()}
    return result


def _delete(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def ranking_cache_text(record: Any) -> str | None:
    """What the ranking cache gave, in one line, from a manifest's
    ``triage.ranking_cache``: ``review ranking: read back from the ranking cache (nothing it
    reads changed)``; None for a run without a ranking (or from before it was recorded)."""
    if not isinstance(record, dict):
        return None
    if not record.get("used"):
        return "review ranking: computed (ranking cache off)"
    if record.get("reused"):
        return "review ranking: read back from the ranking cache (nothing it reads changed)"
    if record.get("refreshed"):
        return ("review ranking: computed, none read from the ranking cache, which now holds "
                "it (--no-cache)")
    return "review ranking: computed, kept in the ranking cache"


def sources_sha256(files: Iterable[Path]) -> bytes:
    """The SHA-256 (raw bytes; ``.hex()`` for the text) of ``files``' bytes, concatenated in
    their order: how a cache key covers labelwright code (a labelwright that works
    otherwise misses): the label models', the matcher's and the parsing code's."""
    return hashlib.sha256(b"".join(Path(file).read_bytes() for file in files)).digest()


def digest_array(digest: Any, name: str, values: Any) -> None:
    """Feed ``digest`` what a cache key reads of an array: ``name``, dtype, shape and bytes
    (``None``: the name alone), so that arrays of other types or shapes with equal bytes
    key apart. The bytes go in from the array's own buffer (a copy only when it is not
    C-contiguous): a label matrix is hashed without being copied twice first."""
    if values is None:
        digest.update(f"{name}=None;".encode())
        return
    import numpy as np  # not at start-up: the CLI imports this module

    values = np.ascontiguousarray(values)
    digest.update(f"{name}={values.dtype.str}{values.shape};".encode())
    digest.update(values.reshape(-1).view(np.uint8))


#: what says a file's bytes may have changed since it was last read, for the in-process
#: memos of what a file holds: its modification time and size, and its change time and
#: inode. The modification time alone can be put back (``os.utime``: ``cp -p``,
#: ``rsync -t``, tar) over an edit of the same size; the change time cannot, and a file
#: saved by replacing it is another inode.
FileState = tuple[int, int, int, int]


def file_state(stat: os.stat_result) -> FileState:
    """The :data:`FileState` of a file's ``os.stat``."""
    return stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino


@lru_cache(maxsize=4096)
def file_sha256(path: str, state: FileState) -> str:
    """The sha256 (hex) of the file at ``path``, read once while its :data:`FileState`
    stays (the LF modules' key, a session global's module):
    :func:`labelwright.file_hashes.file_sha256`, remembered."""
    return hashes.file_sha256(path)
