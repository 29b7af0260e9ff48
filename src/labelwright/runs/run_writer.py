"""Writing a run: its staging folder, published whole with its manifest, and ``runs/LATEST``.

A run is staged in ``runs/.<run_id>.partial/`` and renamed into place only when every output
is written, so a crash never leaves a folder that looks complete; each file inside is also
written to a temp file and renamed (:func:`~labelwright.runs.store.atomic_write_all`). The
staging folder is made when the run starts, before it reads any data, so that ``erase`` and
``runs prune`` see the run as live for all of it; it names its writer, and the next run
removes staging folders whose writer is gone, as a killed run leaves them
(:mod:`~labelwright.runs.staging` says which are live).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.errors import RunError
from labelwright.file_hashes import file_sha256
from labelwright.runs.erase.records import RATERS_ERASED, erasures_since, erasures_size
from labelwright.runs.held_signals import signals_held
from labelwright.runs.manifest import MANIFEST
from labelwright.runs.report_record import report_entry
from labelwright.runs.run_folders import (
    LATEST_LOCK,
    failed_run,
    list_runs,
    not_latest,
    read_latest,
)
from labelwright.runs.staging import OWNER, owner_text, remove_stale_staging
from labelwright.runs.store import atomic_write_all, atomic_write_text

try:  # POSIX: a lock for runs/LATEST
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def new_run_id(runs_dir: Path, now: datetime | None = None) -> str:
    """A run id that sorts by time: ``20261128-031957-123456``."""
    now = now or datetime.now(UTC)
    run_id = now.strftime("%Y%m%d-%H%M%S-%f")
    while (runs_dir / run_id).exists() or (runs_dir / f".{run_id}.partial").exists():
        now = now.replace(microsecond=(now.microsecond + 1) % 1_000_000)
        run_id = now.strftime("%Y%m%d-%H%M%S-%f")
    return run_id


class RunWriter:
    """Stages a run's outputs and publishes them all at once."""

    def __init__(self, runs_dir: Path, run_id: str | None = None) -> None:
        """Make the run's staging folder and its owner file (an :class:`OSError` when the
        runs folder cannot be written). Made when the run starts: while it exists,
        ``erase`` and ``runs prune`` refuse, and :meth:`publish` refuses when an erasure
        was recorded since (:func:`erasures_since`)."""
        runs_dir.mkdir(parents=True, exist_ok=True)
        self.runs_dir = runs_dir
        self.run_id = run_id or new_run_id(runs_dir)
        remove_stale_staging(runs_dir)
        self.staging = runs_dir / f".{self.run_id}.partial"
        self.staging.mkdir()
        try:
            (self.staging / OWNER).write_text(owner_text(), encoding="utf-8")
            self.erasures_seen = erasures_size(runs_dir)  # before the run reads any data
        except BaseException:
            self.abandon()
            raise
        self.final = runs_dir / self.run_id

    def write(self, name: str, write: Callable[[Path], object]) -> Path:
        return self.write_all([name], write)[0]

    def write_all(self, names: Sequence[str], write: Callable[..., object]) -> list[Path]:
        """Stage the files ``names`` written by one call, ``write(*paths)``
        (:func:`~labelwright.runs.store.atomic_write_all`)."""
        paths = [self.staging / name for name in names]
        try:
            atomic_write_all(paths, write)
        except OSError as exc:
            # the file the error names, when it is one of them
            name = next((name for name in names if exc.filename is not None
                         and Path(str(exc.filename)).name.startswith(f".{name}.tmp-")), names[0])
            raise RunError(
                f"{self.final / name}: cannot write: {exc.strerror or exc}; free space or fix "
                f"permissions in {self.runs_dir} and run again (this run was not saved; earlier "
                "runs are unchanged)"
            ) from exc
        return paths

    def write_text(self, name: str, text: str) -> Path:
        return self.write(name, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def output_hashes(self) -> dict[str, str]:
        return {p.name: file_sha256(p) for p in sorted(self.staging.iterdir())
                if p.is_file() and not p.name.startswith(".")}

    def publish(
        self,
        manifest: dict[str, Any],
        *,
        before_write: Callable[[dict[str, Any]], None] | None = None,
        before_rename: Callable[[Path], None] | None = None,
    ) -> Path:
        """Write the manifest (with every output's hash), then move the run into place.

        ``before_write(manifest)`` may add to the manifest once the outputs are hashed (the
        run's end and its steps' times). ``before_rename(staging_dir)`` may add files made
        from the manifest (the report); those are not hashed in it.
        """
        manifest = {"run_id": self.run_id, **manifest, "outputs": self.output_hashes(),
                    "report": None}
        if before_write is not None:
            before_write(manifest)
        self.write_text(MANIFEST, json.dumps(keys_sorted(manifest, keep=IN_RUN_ORDER),
                                             indent=2, default=str))
        if before_rename is not None:
            before_rename(self.staging)
            # the report, built from the manifest, is hashed into it before the run is put
            # in place: the manifest's sha256 vouches for it (runs.report_record)
            manifest["report"] = report_entry(self.staging)
            if manifest["report"] is not None:
                self.write_text(MANIFEST, json.dumps(keys_sorted(manifest, keep=IN_RUN_ORDER),
                                                     indent=2, default=str))
        # the folder placed and runs/LATEST pointed at it as one step: Ctrl-C or SIGTERM
        # between the two had left a whole run LATEST did not name; held, it stops the
        # command after both, the run complete and the latest
        with signals_held():
            with latest_lock(self.runs_dir):  # `erase` records and writes under it too
                erased = erasures_since(self.runs_dir, self.erasures_seen)
                if erased and erased.startswith(RATERS_ERASED):
                    self.abandon()
                    raise RunError(
                        f"`labelwright erase` replaced {erased}, while this run ran; the "
                        "run may have read the review ledger before, and its files would "
                        f"name the rater, so it was not saved (runs/.{self.run_id}.partial "
                        "removed; earlier runs are unchanged, their files renamed): "
                        "`labelwright run` again (the ledger names the pseudonym now)")
                if erased:
                    self.abandon()
                    raise RunError(
                        f"`labelwright erase` erased {erased} while this run ran; the run "
                        "may have read their rows before they were deleted, so it was not "
                        f"saved (runs/.{self.run_id}.partial removed; earlier runs are "
                        "unchanged): run that erasure again (`labelwright erase` with the "
                        "same items: it drops what the caches took of their texts since), "
                        "then `labelwright run`")
                (self.staging / OWNER).unlink(missing_ok=True)
                os.rename(self.staging, self.final)
            try:
                write_latest(self.runs_dir, project=manifest.get("project"))
            except OSError as exc:
                raise RunError(latest_not_written(self.runs_dir, self.run_id, self.final,
                                                  exc)) from exc
        return self.final

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


#: the manifest's objects whose keys keep the order they were made in: the steps of
#: ``timings_seconds`` in the order they ran; every other object's keys are sorted
IN_RUN_ORDER = frozenset({"timings_seconds"})


def keys_sorted(value: Any, *, keep: frozenset[str] = frozenset()) -> Any:
    """``value`` with the keys of every dict in it sorted, as ``json.dumps(...,
    sort_keys=True)`` writes them, but for the top-level keys named in ``keep``, whose
    objects keep their order."""
    if not isinstance(value, dict):
        return _sorted_in(value)
    return {key: (item if key in keep else _sorted_in(item))
            for key, item in sorted(value.items())}


def _sorted_in(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _sorted_in(item) for key, item in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_sorted_in(item) for item in value]
    return value


@contextmanager
def latest_lock(runs_dir: Path) -> Iterator[None]:
    """Hold the lock ``runs/LATEST`` is written under (where the system has one): while it
    is held no run publishes its folder or points ``LATEST`` elsewhere."""
    with open(runs_dir / LATEST_LOCK, "a") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def latest_not_written(runs_dir: Path, run_id: str, run_dir: Path, exc: OSError) -> str:
    """What a run says when ``runs/LATEST`` could not be written once its folder was in
    place: the run is there, but the commands that take the latest run still take the run
    ``LATEST`` names (read here, as it is left)."""
    before = read_latest(runs_dir)
    still = f"still names run {before}" if before else "names no run"
    return (f"{runs_dir / 'LATEST'}: cannot write: {exc.strerror or exc}; run {run_id} was "
            f"written ({run_dir}), but runs/LATEST {still}, which export, train and review "
            f"export take as the latest run: fix permissions or free space in {runs_dir} and "
            "run again")


def write_latest(runs_dir: Path, project: dict[str, Any] | None = None) -> None:
    """Point ``runs/LATEST`` at the newest finished run of ``project`` (a manifest's
    ``project`` record; the run commands take as the latest), not at the run that finished
    last: two runs at once finish in either order. A copy (a folder named for another run,
    or a run of another project) is passed over: commands refuse it as the latest run; so
    is a run that failed (:mod:`~labelwright.runs.outcome`).
    Under a lock where the system has one, so two runs cannot write it crosswise."""
    with latest_lock(runs_dir):
        for name in reversed(list_runs(runs_dir)):
            if not_latest(runs_dir / name, project) is None \
                    and not failed_run(runs_dir / name):
                atomic_write_text(runs_dir / "LATEST", name + "\n")
                break
