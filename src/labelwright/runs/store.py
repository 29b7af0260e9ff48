"""A run folder's files: each written atomically, checked against the hash its manifest
records, and its labels read only when they are the run's. Writing a whole run (staging it,
publishing it, ``runs/LATEST``) is :mod:`~labelwright.runs.run_writer`; which data a run read
is :mod:`~labelwright.runs.run_data`; which folders are finished runs, and which run a name
means, is :mod:`~labelwright.runs.run_folders`, and which staging folders are live
:mod:`~labelwright.runs.staging` (the names of these two import from here too, as does
:func:`~labelwright.file_hashes.file_sha256`).
"""

from __future__ import annotations

import os
import platform
import re
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import RunError
from labelwright.file_hashes import file_sha256 as file_sha256
from labelwright.runs.file_names import LABELS_FILE, REPORT
from labelwright.runs.manifest import MANIFEST as MANIFEST
from labelwright.runs.manifest import misnamed as misnamed
from labelwright.runs.manifest import other_project as other_project
from labelwright.runs.manifest import project_record as project_record
from labelwright.runs.manifest import read_manifest as read_manifest
from labelwright.runs.run_folders import RUN_ID as RUN_ID
from labelwright.runs.run_folders import folders_without_manifest as folders_without_manifest
from labelwright.runs.run_folders import foreign_runs as foreign_runs
from labelwright.runs.run_folders import list_runs as list_runs
from labelwright.runs.run_folders import no_manifest as no_manifest
from labelwright.runs.run_folders import resolve_run as resolve_run
from labelwright.runs.staging import OWNER as OWNER
from labelwright.runs.staging import STALE_OTHER_HOST_SECONDS as STALE_OTHER_HOST_SECONDS
from labelwright.runs.staging import being_written as being_written
from labelwright.runs.staging import owner_text as owner_text
from labelwright.runs.staging import remove_stale_staging as remove_stale_staging
from labelwright.runs.staging import staging_folders as staging_folders

if TYPE_CHECKING:
    from labelwright.runs.erase.records import ErasureLog

#: packages whose version can change a run's outputs; optional ones are recorded when
#: installed (cleanlab is a review-ranking signal: absent, the queue order differs)
_PACKAGES = ("labelwright", "snorkel", "spacy", "spacy-lookups-data", "thinc", "numpy",
             "pandas", "pyarrow", "scipy", "scikit-learn", "torch", "PyYAML", "cleanlab",
             "dask", "distributed")


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
