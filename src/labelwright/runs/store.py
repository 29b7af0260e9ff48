"""Run folders: ``runs/<run_id>/`` with atomic writes and a manifest.

A run is staged in ``runs/.<run_id>.partial/`` and renamed into place only when
every output is written, so a crash never leaves a folder that looks complete;
each file inside is also written to a temp file and renamed. The staging folder is made
when the run starts, before it reads any data, so that ``erase`` and ``runs prune`` see the
run as live for all of it; it names its writer, and the next run removes staging folders
whose writer is gone, as a killed run leaves them (:mod:`~labelwright.runs.staging` says
which are live; its names import from here too). Which folders are finished runs, and
which run a name means, is :mod:`~labelwright.runs.run_folders` (importable from here too).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import RunError
from labelwright.runs.erase.records import erasures_since, erasures_size
from labelwright.runs.file_names import LABELS_FILE, REPORT
from labelwright.runs.manifest import MANIFEST
from labelwright.runs.manifest import misnamed as misnamed
from labelwright.runs.manifest import other_project as other_project
from labelwright.runs.manifest import project_record as project_record
from labelwright.runs.manifest import read_manifest as read_manifest
from labelwright.runs.run_folders import RUN_ID as RUN_ID
from labelwright.runs.run_folders import failed_run, list_runs, not_latest
from labelwright.runs.run_folders import folders_without_manifest as folders_without_manifest
from labelwright.runs.run_folders import foreign_runs as foreign_runs
from labelwright.runs.run_folders import no_manifest as no_manifest
from labelwright.runs.run_folders import resolve_run as resolve_run
from labelwright.runs.staging import OWNER as OWNER
from labelwright.runs.staging import STALE_OTHER_HOST_SECONDS as STALE_OTHER_HOST_SECONDS
from labelwright.runs.staging import being_written as being_written
from labelwright.runs.staging import owner_text, remove_stale_staging
from labelwright.runs.staging import staging_folders as staging_folders

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig
    from labelwright.runs.erase.records import ErasureLog

try:  # POSIX: a lock for runs/LATEST
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: packages whose version can change a run's outputs; optional ones are recorded when
#: installed (cleanlab is a review-ranking signal: absent, the queue order differs)
_PACKAGES = ("labelwright", "snorkel", "spacy", "spacy-lookups-data", "thinc", "numpy",
             "pandas", "pyarrow", "scipy", "scikit-learn", "torch", "PyYAML", "cleanlab",
             "dask", "distributed")


def new_run_id(runs_dir: Path, now: datetime | None = None) -> str:
    """A run id that sorts by time: ``20261128-031957-123456``."""
    now = now or datetime.now(UTC)
    run_id = now.strftime("%Y%m%d-%H%M%S-%f")
    while (runs_dir / run_id).exists() or (runs_dir / f".{run_id}.partial").exists():
        now = now.replace(microsecond=(now.microsecond + 1) % 1_000_000)
        run_id = now.strftime("%Y%m%d-%H%M%S-%f")
    return run_id


#: the name of :func:`atomic_write`'s file while it is being written
_TEMP = re.compile(r"\..+\.tmp-\d+")


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` then rename ``tmp`` over ``path``."""
    atomic_write_all([path], write)


def atomic_write_all(paths: Sequence[Path], write: Callable[..., object]) -> None:
    """Call ``write(*tmps)``, one temp file per path, then rename each over its path: files
    written in one pass over what they hold (a review queue as CSV and as JSONL)."""
    tmps = [path.with_name(f".{path.name}.tmp-{os.getpid()}") for path in paths]
    try:
        write(*tmps)
        for tmp in tmps:
            with open(tmp, "rb") as handle:
                os.fsync(handle.fileno())
        for tmp, path in zip(tmps, paths):
            os.replace(tmp, path)
    finally:
        for tmp in tmps:
            if tmp.exists():
                tmp.unlink()


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions() -> dict[str, str | None]:
    """Python's and each tracked package's version; None for a package not installed (so a
    later run that has it shows as a change)."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for name in _PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


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
        (:func:`atomic_write_all`)."""
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
        manifest = {"run_id": self.run_id, **manifest, "outputs": self.output_hashes()}
        if before_write is not None:
            before_write(manifest)
        self.write_text(MANIFEST, json.dumps(keys_sorted(manifest, keep=IN_RUN_ORDER),
                                             indent=2, default=str))
        if before_rename is not None:
            before_rename(self.staging)
        with latest_lock(self.runs_dir):  # `erase` records and writes under it too
            erased = erasures_since(self.runs_dir, self.erasures_seen)
            if erased:
                self.abandon()
                raise RunError(
                    f"`labelwright erase` erased {erased} while this run ran; the run may "
                    "have read their rows before they were deleted, so it was not saved "
                    f"(runs/.{self.run_id}.partial removed; earlier runs are unchanged): run "
                    "that erasure again (`labelwright erase` with the same items: it drops "
                    "what the caches took of their texts since), then `labelwright run`")
            (self.staging / OWNER).unlink(missing_ok=True)
            os.rename(self.staging, self.final)
        write_latest(self.runs_dir, project=manifest.get("project"))
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
    with open(runs_dir / ".latest.lock", "a") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


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


def decision_count(reviews: dict[str, Any]) -> Any:
    """The ledger's decision count in a manifest's ``reviews`` (``count`` in manifests
    written before the review loop recorded its own fields)."""
    return reviews.get("decisions", reviews.get("count", "?"))


#: files a run writes after hashing its outputs (the report is built from the manifest)
UNHASHED = (MANIFEST, REPORT)


def changed_outputs(run_dir: Path, manifest: dict[str, Any],
                    skip: Sequence[str] = ()) -> list[str]:
    """What no longer matches the output hashes in ``manifest``: one line per output edited
    or missing since the run wrote it ([] when all match), outputs named in ``skip`` left
    out. Files added to the folder later (review exports, ``train``'s end model) are not
    outputs: see :func:`unhashed_files`."""
    recorded: dict[str, str] = manifest.get("outputs") or {}
    if not recorded:  # every run records its outputs' hashes: nothing here can be vouched for
        return [f"{MANIFEST}: records no output hashes (a run always writes them: the "
                "manifest was edited), so no output can be checked"]
    return [problem for name in sorted(recorded) if name not in skip
            and (problem := changed_output(run_dir, manifest, name)) is not None]


def changed_output(run_dir: Path, manifest: dict[str, Any], name: str,
                   erasures: ErasureLog | None = None) -> str | None:
    """``"<name>: missing"`` or ``"<name>: changed since the run wrote it (...)"`` when the
    output ``name`` is not as the run left it (also when the manifest has no hash for it),
    else None. A change erasures account for (``labelwright erase``: the texts of items
    deleted from the data, :func:`~labelwright.runs.erase.run_accounts.erasure_account`) is none;
    one a record leads to that the file does not bear out says so. ``erasures``: the
    record of erasures, when kept across runs (else read when needed)."""
    recorded = (manifest.get("outputs") or {}).get(name)
    path = run_dir / name
    if recorded is None or not path.is_file():
        return file_changed(run_dir, name, recorded)
    now = file_sha256(path)  # once: a changed file is compared with the erasures too
    problem = hash_changed(name, recorded, now)
    if problem is not None:
        from labelwright.runs.erase.run_accounts import erasure_account

        erased, why = erasure_account(run_dir, name, recorded, now, erasures)
        if erased:
            return None
        problem += f"; {why}" if why else ""
    return problem


def file_changed(run_dir: Path, name: str, recorded: str | None) -> str | None:
    """``"<name>: missing"`` or ``"<name>: changed since the run wrote it (...)"`` when the
    file ``name`` of the run folder (an output, or a kept source) is not the one whose
    sha256 the manifest ``recorded`` (also when it recorded none), else None."""
    path = run_dir / name
    if not path.is_file():
        return f"{name}: missing"
    if recorded is None:
        return f"{name}: the manifest has no hash for it, so it cannot be checked"
    return hash_changed(name, recorded, file_sha256(path))


def hash_changed(name: str, recorded: str, now: str) -> str | None:
    """``"<name>: changed since the run wrote it (...)"`` when the output's sha256 ``now``
    is not the one the manifest ``recorded``, else None."""
    if now != recorded:
        return f"{name}: changed since the run wrote it (sha256 {recorded[:12]} -> {now[:12]})"
    return None


def read_labels_table(path: Path, columns: Sequence[str] | None = None) -> Any:
    """A ``labels.parquet`` as a pyarrow table (``columns``: those of them it has); a
    :class:`RunError` naming the file when it cannot be read. Every reader of a run's labels
    (the report, ``runs diff``, export, train, review agreement) goes through here."""
    import pyarrow.parquet as pq

    if not path.is_file():  # pyarrow's message named the path alone
        raise RunError(f"{path}: missing (deleted or moved since the run wrote it), so the "
                       "run's labels cannot be read")
    try:
        if columns is not None:
            present = set(pq.read_schema(path).names)
            columns = [c for c in columns if c in present]
        return pq.read_table(path, columns=columns)
    except Exception as exc:  # pyarrow raises several unrelated types
        raise RunError(f"{path}: cannot read the labels: {exc}") from None


def run_labels(run_dir: Path, manifest: dict[str, Any], columns: list[str] | None = None
               ) -> Any:
    """``labels.parquet`` of a run, as a DataFrame (``columns``: those of them it has), if
    it is as the run wrote it: commands that build on a run's labels (export, train, the
    report's and ``runs diff``'s comparisons) must not pass off edited labels as the run's.
    A :class:`RunError` says what is wrong."""
    return run_labels_table(run_dir, manifest, columns).to_pandas()


def run_labels_table(run_dir: Path, manifest: dict[str, Any],
                     columns: list[str] | None = None) -> Any:
    """:func:`run_labels` as a pyarrow table, for a reader that needs only some of its
    rows as a DataFrame (a million rows of ids and text hashes are some 0.3 GB of Python
    strings, a tenth of that in the table)."""
    problem = changed_output(run_dir, manifest, LABELS_FILE)
    if problem is not None:
        raise RunError(f"{run_dir}: {problem}; its labels are not the run's, so nothing is "
                       "built on them (`labelwright runs verify` checks the whole run; run "
                       "`labelwright run` again for labels that are)")
    return read_labels_table(run_dir / LABELS_FILE, columns)


def run_data_columns(manifest: dict[str, Any]) -> tuple[str, ...]:
    """(id column, text column) a run read its items from (the first two of its data
    schema; empty for a manifest without one)."""
    schema = (manifest.get("data") or {}).get("schema") or []
    return tuple(str(c.get("name")) for c in schema[:2] if isinstance(c, dict))


def same_data_file(read: str, source: str, root: Path, then_root: str | None) -> bool:
    """Whether ``read`` (a data path a run's manifest records) is the file ``source`` of
    the project at ``root``: the same path, or, for a run of this project (``then_root``:
    the folder its manifest records, "" when it records none; None for a run of another
    project, whose files are its own), the same place in the project moved or copied
    since."""
    then, now = Path(read), Path(source).resolve()
    if then.is_absolute() and then.resolve() == now:
        return True
    if then_root is None:
        return False
    try:
        inside = then.relative_to(then_root) if then.is_absolute() and then_root else then
    except ValueError:  # outside the project's folder: only the same path is the same file
        return False
    return not inside.is_absolute() and (root / inside).resolve() == now


def other_data_file(manifest: dict[str, Any], source: str | Path,
                    project: ProjectConfig) -> str | None:
    """The data file the run read (its manifest's ``data.path``) when that is not
    ``source``, the file ``[data] path`` of ``project`` names now; None when it is the same
    file (:func:`same_data_file`) or the manifest records no path. A message about the data
    a run read names this file, never the one ``[data]`` names now: the run never saw that."""
    read = (manifest.get("data") or {}).get("path")
    if read is None:
        return None
    recorded = manifest.get("project") or {}
    then_root = (str(recorded.get("root") or "") if recorded.get("name") == project.name
                 else None)
    return None if same_data_file(str(read), str(source), project.root, then_root) else str(read)


def check_run_data(run_dir: Path, manifest: dict[str, Any], data_path: Path,
                   sha256: str, action: str, columns: tuple[str, str] | None = None, *,
                   project: ProjectConfig | None = None) -> None:
    """A :class:`RunError` when the dataset is not the one the run read, or (``columns``:
    the project's id and text columns now) its ids or texts come from other columns: a
    run's labels paired with other texts would be wrong in silence. With ``project`` (whose
    ``[data] path`` is ``data_path``), a run that read another file than ``data_path`` is
    told so, naming both files (:func:`other_data_file`)."""
    expected = manifest.get("data", {}).get("sha256")
    read = other_data_file(manifest, data_path, project) if project is not None else None
    if expected and expected != sha256:
        if read is not None:
            raise RunError(f"run {run_dir.name} read its items from {read} (sha256 "
                           f"{expected[:12]}); [data] path now names {data_path}, which holds "
                           f"other data (sha256 {sha256[:12]}); run `labelwright run` again "
                           f"before {action}")
        changed = "changed since run"
        if data_path.is_file() and file_sha256(data_path) == expected:  # the same bytes
            changed = "is read otherwise ([data] quoting or columns) than by run"
        raise RunError(f"{data_path} {changed} {run_dir.name} (sha256 {sha256[:12]}, "
                       f"the run read {expected[:12]}); run `labelwright run` again before "
                       f"{action}")
    recorded = run_data_columns(manifest)
    if columns is not None and len(recorded) == 2 and recorded != tuple(columns):
        raise RunError(f"run {run_dir.name} read its ids and texts from the columns "
                       f"{recorded[0]!r} and {recorded[1]!r} of {read or data_path}; [data] "
                       f"now names {columns[0]!r} and {columns[1]!r}"
                       + ("" if read is None else f" of {data_path}")
                       + f", so its labels would go with other texts: run `labelwright run` "
                       f"again before {action}")


def unhashed_files(run_dir: Path, manifest: dict[str, Any]) -> list[str]:
    """What ``run_dir`` holds that the manifest has no hash for: files written after the run
    (review exports, ``labelwright train``'s end model) or put there by hand, as paths
    inside the folder (``exports/queue.csv``; a folder with nothing in it, or a link to
    one, as ``name/``). Hidden files count too; only :func:`atomic_write`'s file of a
    write in progress does not."""
    recorded = manifest.get("outputs") or {}
    found = []
    for folder, dirs, files in os.walk(run_dir):
        inside = Path(folder).relative_to(run_dir)
        found += [(inside / name).as_posix() for name in files if not _TEMP.fullmatch(name)]
        found += [f"{(inside / name).as_posix()}/" for name in dirs
                  if (Path(folder) / name).is_symlink()]  # not walked into
        if not dirs and not files and inside != Path("."):
            found.append(f"{inside.as_posix()}/")
    return sorted(name for name in found if name not in recorded and name not in UNHASHED)
