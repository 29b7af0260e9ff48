"""The record of training sets exported from runs: ``runs/EXPORTED.jsonl``.

``labelwright export`` (:mod:`~labelwright.review.training_set`) adds a line for each
training set it writes: ``run_id``, ``file`` (relative to the project folder when inside
it, else absolute, as :mod:`~labelwright.runs.recorded_paths` reads it), ``sha256`` (of the file
as written), ``exported_at`` (UTC, ISO 8601) and ``format`` (``parquet``, ``csv``,
``jsonl``, ``spacy``; absent in the records of older versions). ``export --format
wrench`` (:mod:`~labelwright.review.wrench_export`) adds one for each split file of the
folder it writes (``train.json``, ``valid.json``, ``test.json``), with ``format``
``wrench``: they hold the run's votes and the items' texts. ``label.json`` is not
recorded: it holds the label names alone, the same bytes for every run with those labels,
so a later export from another run into the folder would leave it matching the first
run's record, and keep that run for good.

``labelwright runs prune`` keeps a run while a file exported from it is still where the
record says, unchanged: a model trained on that file is traced through the file's
provenance to the run, and the run to every input. A file since replaced (a later export
to the same path), edited or removed no longer keeps its run. ``labelwright erase`` names
such a file when it holds an erased item (:mod:`~labelwright.runs.erase.kept`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.file_hashes import file_sha256
from labelwright.runs.record_files import append_line, read_records
from labelwright.runs.recorded_paths import RecordedPaths, recorded_path

#: the record's file name, in the runs folder
EXPORTED_FILE = "EXPORTED.jsonl"
#: the ``format`` of a WRENCH folder's split file (``export --format wrench``)
WRENCH = "wrench"


def exported_what(fmt: str) -> str:
    """What a recorded file of ``fmt`` is called in what prune and erase say."""
    return "WRENCH file" if fmt == WRENCH else "training set"


@dataclass(frozen=True)
class ExportedFile:
    """A recorded export found in place: where it is now, its format, and whether its
    bytes are no longer those it was written with."""

    path: str
    format: str = ""  # "" in the records of older versions: a training set
    changed: bool = False

    @property
    def what(self) -> str:
        return exported_what(self.format)


@dataclass(frozen=True)
class ExportedSet:
    """One line of ``runs/EXPORTED.jsonl``."""

    run_id: str
    file: str  # relative to the project folder, or absolute (outside it, or an old record)
    sha256: str
    exported_at: str  # ISO 8601, UTC
    format: str = ""  # a training set's format, or "wrench"; "" in older records

    def to_json(self) -> str:
        return json.dumps({"run_id": self.run_id, "file": self.file, "sha256": self.sha256,
                           "exported_at": self.exported_at,
                           **({"format": self.format} if self.format else {})},
                          sort_keys=True)

    def still_there(self, path: Path) -> bool:
        """Whether the file, found at ``path``, has the bytes it was written with."""
        try:
            return file_sha256(path) == self.sha256
        except OSError:
            return False


def record_export(runs_dir: Path, run_id: str, path: Path, sha256: str, root: Path, *,
                  fmt: str = "") -> ExportedSet:
    """Add a line for the file ``path`` (``sha256``, format ``fmt``) exported from
    ``run_id`` of the project at ``root``."""
    record = ExportedSet(run_id, recorded_path(path, root), sha256,
                         datetime.now(UTC).isoformat(timespec="seconds"), fmt)
    append_line(runs_dir / EXPORTED_FILE, record.to_json())
    return record


def read_exported(runs_dir: Path) -> list[ExportedSet]:
    """Every record of ``runs_dir/EXPORTED.jsonl`` in file order ([] without the file). A
    line that is not such a record is a :class:`RunError` naming the file and line: prune
    must not remove a run because a record it cannot read was skipped."""
    return read_records(
        runs_dir / EXPORTED_FILE, _record, what="the record of exported training sets",
        expected="a record of an exported training set or WRENCH file (a JSON object with "
                 "run_id, file, sha256 and exported_at, and a format if any, as "
                 "`labelwright export` writes it)")


def recorded_exports(paths: RecordedPaths) -> dict[str, list[ExportedFile]]:
    """``{run id: [exported files]}`` for the recorded training sets and WRENCH files of
    the runs folder ``paths.runs_dir`` that are still there, each marked ``changed`` when
    its bytes are not those it was written with (:meth:`ExportedSet.still_there`); those
    inside the project looked for in the project folder now
    (:class:`~labelwright.runs.recorded_paths.RecordedPaths`: a moved or cloned project's
    own, not those left where it was). A file exported to again is the latest export's
    alone: written with the same bytes (from runs whose labels and votes are the same), it
    still matches the earlier record, but its provenance names the later run."""
    latest: dict[str, ExportedSet] = {}
    for record in read_exported(paths.runs_dir):
        path = str(paths.locate(record.file, record.run_id).path)
        latest.pop(path, None)  # kept in the order the files were last written
        latest[path] = record
    found: dict[str, list[ExportedFile]] = {}
    for path, record in latest.items():
        if Path(path).is_file():
            found.setdefault(record.run_id, []).append(
                ExportedFile(path, record.format, changed=not record.still_there(Path(path))))
    return found


def live_exports(paths: RecordedPaths) -> dict[str, list[ExportedFile]]:
    """:func:`recorded_exports` of the files still in place unchanged: those that keep
    their run from ``runs prune``."""
    live = {run_id: [f for f in files if not f.changed]
            for run_id, files in recorded_exports(paths).items()}
    return {run_id: files for run_id, files in live.items() if files}


def provenance_exports(folder: Path) -> dict[str, list[str]]:
    """``{run id: [training set files]}`` for the training sets in ``folder`` (not its
    subfolders) whose ``<file>.provenance.json`` beside them names the run and the file's
    sha256, with the file still there unchanged: ``labelwright export`` writes that file
    with every training set, also the versions from before ``runs/EXPORTED.jsonl``, whose
    exports only it tells. A provenance file that cannot be read, or that does not name its
    run, file and sha256, is a :class:`RunError` naming it: prune must not remove a run
    because what tells its export was skipped."""
    from labelwright.errors import RunError
    from labelwright.review.targets import PROVENANCE_SUFFIX

    found: dict[str, list[str]] = {}
    for path in sorted(Path(folder).glob(f"*{PROVENANCE_SUFFIX}")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise RunError(f"{path}: cannot be read as the provenance of a training set "
                           f"({exc}); fix it or move it away, then prune again") from None
        fields = [data.get(k) if isinstance(data, dict) else None
                  for k in ("run_id", "file", "sha256")]
        strings = [value for value in fields if isinstance(value, str) and value]
        if len(strings) != len(fields):
            raise RunError(f"{path}: not the provenance of a training set (a JSON object "
                           "with run_id, file and sha256, as `labelwright export` writes "
                           "it); fix it or move it away, then prune again")
        run_id, file, sha = strings
        training_set = (path.parent / file).resolve()
        try:
            there = file_sha256(training_set) == sha
        except OSError:
            there = False
        if there and str(training_set) not in found.get(run_id, []):
            found.setdefault(run_id, []).append(str(training_set))
    return found


def _record(data: dict[str, Any]) -> ExportedSet | None:
    fields = [data.get(k) for k in ("run_id", "file", "sha256", "exported_at")]
    strings = [value for value in fields if isinstance(value, str) and value]
    fmt = data.get("format", "")
    if len(strings) != len(fields) or not isinstance(fmt, str):
        return None
    run_id, file, sha, when = strings
    return ExportedSet(run_id, file, sha, when, fmt)
