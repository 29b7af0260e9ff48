"""The record of erasures: ``runs/ERASURES.jsonl``, one JSON object a line.

``labelwright erase`` (:mod:`~labelwright.runs.erase.items`) removes the texts of items deleted
from a project's data from what labelwright kept of them (run files, review exports,
caches). Each erasure appends a line before it writes: ``erased_at`` (UTC, ISO 8601),
``reviewer`` (who), ``reason`` (why), ``command``, ``items`` (the ids erased, never their
texts) and ``files``, one object per file changed: ``path`` (absolute), ``run_id`` and
``name`` for a run's own file ("" elsewhere), ``items`` (how many erased items it held),
``sha256_before`` and ``sha256_after`` (null for a file removed, such as a cache entry);
and, when it erased raters' notes in the review ledger, ``ledger``: its ``path`` and how
many ``decisions`` (the ledger's ``note_erasures`` table records which, with the digests
that keep the runs that read them verifiable: :mod:`~labelwright.review.decisions.note_erasures`).

What the record accounts for in a run's files, and what ``runs verify`` says of it, is
:mod:`~labelwright.runs.erase.run_accounts`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from labelwright.counts import counted, some_of
from labelwright.erased_marker import MARKER as MARKER  # where it was first
from labelwright.errors import RunError
from labelwright.json_lines import jsonl_lines
from labelwright.runs.record_files import append_line, read_records

#: the record's file name, in the runs folder
ERASURES_FILE = "ERASURES.jsonl"


def run_item_ids(run_dir: Path) -> set[str]:
    """The ids of the items the run labeled (its ``labels.parquet``'s ``id`` column alone;
    none when it cannot be read: the run's check says why)."""
    from labelwright.runs.file_names import LABELS_FILE
    from labelwright.runs.store import read_labels_table

    try:
        table = read_labels_table(run_dir / LABELS_FILE, ["id"])
        return set(map(str, table.column("id").to_pylist())) if "id" in table.column_names \
            else set()
    except RunError:
        return set()


@dataclass(frozen=True)
class ErasedFile:
    """One file an erasure changed (or removed: ``sha256_after`` is None)."""

    path: str
    items: int
    sha256_before: str
    sha256_after: str | None
    run_id: str = ""
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "run_id": self.run_id, "name": self.name,
                "items": self.items, "sha256_before": self.sha256_before,
                "sha256_after": self.sha256_after}


@dataclass(frozen=True)
class Erasure:
    """One line of ``runs/ERASURES.jsonl``."""

    erased_at: str  # ISO 8601, UTC
    reviewer: str
    reason: str
    command: str
    items: tuple[str, ...]
    files: tuple[ErasedFile, ...]
    #: its line in ``runs/ERASURES.jsonl`` (0: not read from it)
    line: int = field(default=0, compare=False)
    #: the review ledger whose notes on the items it erased (``path``) and how many
    #: (``decisions``); None: none (the ledger's ``note_erasures`` table holds the rest)
    ledger: dict[str, Any] | None = field(default=None, compare=False)

    def describe(self) -> str:
        """``erased on 2026-12-05 by dana (erasure request #42)``."""
        return f"erased on {self.erased_at[:10]} by {self.reviewer} ({self.reason})"

    def where(self) -> str:
        """``ERASURES.jsonl line 3 (erased on 2026-12-05 by dana (request 42))``."""
        return f"{ERASURES_FILE} line {self.line} ({self.describe()})"

    def to_json(self) -> str:
        return json.dumps({"erased_at": self.erased_at, "reviewer": self.reviewer,
                           "reason": self.reason, "command": self.command,
                           "items": list(self.items),
                           "files": [f.to_dict() for f in self.files],
                           **({"ledger": self.ledger} if self.ledger else {})},
                          sort_keys=True, ensure_ascii=False)


def record_erasure(runs_dir: Path, erasure: Erasure) -> None:
    """Add the line of ``erasure`` (on disk when this returns)."""
    runs_dir.mkdir(parents=True, exist_ok=True)
    append_line(runs_dir / ERASURES_FILE, erasure.to_json())


def read_erasures(runs_dir: Path) -> list[Erasure]:
    """Every record of ``runs_dir/ERASURES.jsonl`` in file order ([] without it). A line
    that is not such a record is a :class:`~labelwright.errors.RunError` naming the file
    and line: a record that cannot be read cannot vouch for a file."""
    lines: list[int] = []
    records = read_records(
        runs_dir / ERASURES_FILE, _record, what="the record of erasures",
        expected="a record of an erasure (a JSON object with erased_at, reviewer, reason, "
                 "command, items and files, as `labelwright erase` writes it)", lines=lines)
    return [replace(record, line=n) for record, n in zip(records, lines, strict=True)]


def _file(data: Any) -> ErasedFile | None:
    if not isinstance(data, dict):
        return None
    path, before, after = data.get("path"), data.get("sha256_before"), data.get("sha256_after")
    items = data.get("items")
    if not (isinstance(path, str) and isinstance(before, str)
            and (after is None or isinstance(after, str)) and isinstance(items, int)):
        return None
    return ErasedFile(path, items, before, after, str(data.get("run_id") or ""),
                      str(data.get("name") or ""))


def _record(data: dict[str, Any]) -> Erasure | None:
    strings = [data.get(k) for k in ("erased_at", "reviewer", "reason", "command")]
    items, files = data.get("items"), data.get("files")
    if not all(isinstance(s, str) for s in strings) or not isinstance(items, list) \
            or not all(isinstance(i, str) for i in items) or not isinstance(files, list):
        return None
    parsed = [_file(f) for f in files]
    if any(f is None for f in parsed):
        return None
    at, reviewer, reason, command = (str(s) for s in strings)
    ledger = data.get("ledger")
    return Erasure(at, reviewer, reason, command, tuple(items),
                   tuple(f for f in parsed if f is not None),
                   ledger=ledger if isinstance(ledger, dict) else None)


class ErasureLog:
    """``runs/ERASURES.jsonl`` of one runs folder, read when first asked for and kept, so
    ``runs verify --all`` checks every run against one read. A record that cannot be read
    raises its :class:`~labelwright.errors.RunError` each time the records are asked for,
    as a read of the file would."""

    def __init__(self, runs_dir: Path) -> None:
        self.runs_dir = runs_dir
        self._records: list[Erasure] | None = None
        self._error: Exception | None = None
        self._items: dict[str, set[str]] = {}

    def run_items(self, run_dir: Path) -> set[str]:
        """The ids of the items the run labeled (:func:`run_item_ids`), read once."""
        if run_dir.name not in self._items:
            self._items[run_dir.name] = run_item_ids(run_dir)
        return self._items[run_dir.name]

    def records(self) -> list[Erasure]:
        """Every record, in file order (:func:`read_erasures`)."""
        if self._records is None and self._error is None:
            try:
                self._records = read_erasures(self.runs_dir)
            except Exception as exc:  # noqa: BLE001 - kept, and raised to each asker
                self._error = exc
        if self._error is not None:
            raise self._error
        assert self._records is not None
        return self._records


def ledger_erasures(erasures: ErasureLog) -> set[str] | None:
    """When each erasure in ``runs/ERASURES.jsonl`` that took notes out of the ledger was
    made: a ``note_erasures`` row of the ledger without one vouches for no change; None when
    the record cannot be read (said on its own)."""
    try:
        return {e.erased_at for e in erasures.records() if e.ledger}
    except RunError:
        return None


def erased_items(runs_dir: Path, log: ErasureLog | None = None) -> dict[str, Erasure]:
    """The first erasure of each item id the record names. ``log``: the runs folder's
    record, when read already (else read now)."""
    found: dict[str, Erasure] = {}
    for erasure in (log if log is not None else ErasureLog(runs_dir)).records():
        for item in erasure.items:
            found.setdefault(item, erasure)
    return found


def erased_since(runs_dir: Path, since: str | None) -> set[str]:
    """The item ids the erasures recorded at or after ``since`` (a run's ``started_at``,
    ISO 8601; None or unreadable: every erasure) name: items a run had that an erasure took
    out of the project after it, deleted from the data on purpose. An id erased before the
    run is not one of them (the run held it again, so its rows came back). An unreadable
    record names none: ``runs verify`` says what is wrong with it."""
    try:
        erasures = read_erasures(runs_dir)
    except RunError:
        return set()
    start = _moment(since)
    return {item for erasure in erasures
            if start is None or (_moment(erasure.erased_at) or start) >= start
            for item in erasure.items}


def _moment(text: str | None) -> datetime | None:
    """``text`` (ISO 8601) to the second, in UTC (one without a zone read as UTC); None
    when it is not such a time. An erasure records its time to the second, a run to the
    microsecond."""
    try:
        moment = datetime.fromisoformat(str(text)) if text else None
    except ValueError:
        return None
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).replace(microsecond=0)


def erased_lines(runs_dir: Path, gone: Sequence[str], shown: int = 5, *,
                 log: ErasureLog | None = None) -> list[str]:
    """``runs verify --inputs``' lines on the items ``gone`` from the data since a run that
    an erasure names: which erasure (when, by whom, why) and which of them, one line per
    erasure; an unreadable record is said. ``log``: the runs folder's record, when read
    already (``runs verify --all`` reads it once for every run)."""
    try:
        erased = erased_items(runs_dir, log)
    except Exception as exc:  # noqa: BLE001 - said, not raised: the check goes on
        return [str(exc)]
    by: dict[Erasure, list[str]] = {}
    for item in gone:
        if item in erased:
            by.setdefault(erased[item], []).append(item)
    return [f"of those gone, {counted(len(ids), 'item')} ({some_of(ids, shown)}): deleted "
            f"from the data and their texts {erasure.describe()} (`labelwright erase`)"
            for erasure, ids in by.items()]


def erasures_size(runs_dir: Path) -> int:
    """The bytes of ``runs/ERASURES.jsonl`` now (0 without it): the records after them are
    erasures made since."""
    try:
        return (runs_dir / ERASURES_FILE).stat().st_size
    except FileNotFoundError:
        return 0


def erasures_since(runs_dir: Path, size: int) -> str | None:
    """The items the erasures recorded in ``runs/ERASURES.jsonl`` past its first ``size``
    bytes erased, as said (``2 items ('m1', 'm7')``), or None when none was. The record is
    only appended to; one that shrank was edited, and is taken as an erasure of unknown
    items."""
    try:
        with open(runs_dir / ERASURES_FILE, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() == size:
                return None
            if handle.tell() < size:
                return "items (the record of erasures, runs/ERASURES.jsonl, was rewritten)"
            handle.seek(size)
            new = handle.read().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return None if size == 0 else "items (runs/ERASURES.jsonl was removed)"
    items: list[str] = []
    raters: list[str] = []
    for line in jsonl_lines(new):  # as read_records splits the file
        try:
            data = json.loads(line)
            items += [str(i) for i in data.get("items") or []]
            raters += [str(r) for r in [(data.get("ledger") or {}).get("rater")] if r]
        except (ValueError, AttributeError):
            continue
    items = list(dict.fromkeys(items))
    if raters and not items:
        return RATERS_ERASED + some_of([repr(r) for r in dict.fromkeys(raters)])
    return (f"{counted(len(items), 'item')} ({some_of([repr(i) for i in items])})" if items
            else "items")


#: how :func:`erasures_since` begins when the erasures since replaced raters' names alone
RATERS_ERASED = "a rater's names (`--rater`), now "

