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

A run's output whose hash is no longer its manifest's is still the run's when erasures
account for the change: a chain of records of that file from the manifest's hash to its
hash now (:func:`erased_output`), each record of a file ``erase`` rewrites
(:func:`erasable`: never ``labels.parquet``, ``label_matrix.parquet`` or the manifest) and
of an erasure of items the run labeled, and the file reads as erasing those items: each of
its records of them as ``erase`` writes an erased one (:func:`unerased`; a report's texts
are not known, so not checked). ``runs verify`` and every command that checks a run's
outputs accept it so, and ``runs verify`` says which of the run's items an erasure named
and which files it changed (:func:`erasure_notes`). Any other change (a hand edit after an
erasure too) is still one. The rest of such a file cannot be checked: the run's hash is of
the file before the erasure, so the record's hashes vouch for it, and the record needs the
keeping the manifests get (README "Erasure requests"). With the data read (``runs verify
--inputs``), an erasure naming items the data still holds is a problem
(:func:`held_in_data`): ``erase`` refuses those.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from labelwright.counts import counted, some_of
from labelwright.erased_marker import MARKER as MARKER  # where it was first
from labelwright.json_lines import jsonl_lines
from labelwright.runs.file_names import REPORT, REVIEW_FILES
from labelwright.runs.record_files import append_line, read_records

#: the record's file name, in the runs folder
ERASURES_FILE = "ERASURES.jsonl"


def erasable(name: str) -> bool:
    """Whether ``name`` is a run file ``labelwright erase`` rewrites, so a record of an
    erasure may vouch for it: the review queue and random sample (``review.csv``,
    ``review.jsonl``, ``sample.csv``, ``sample.jsonl``), ``skipped_rows.jsonl``, and the
    report (``report.html``, and one a later ``labelwright report`` replaced and kept,
    ``replaced/<when>/report.html``). Never its labels, label matrix or manifest: they
    hold no text, so no erasure changes them."""
    from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
    from labelwright.runs.replaced import REPLACED

    parts = name.split("/")
    return name in (*REVIEW_FILES, SKIPPED_ROWS_FILE, REPORT) or (
        len(parts) == 3 and parts[0] == REPLACED and parts[1] not in ("", ".", "..")
        and parts[2] == REPORT)


def _is_report(name: str) -> bool:
    """Whether the run file ``name`` is a report (``report.html``, or one kept in
    ``replaced/<when>/``), whose erased texts are not known."""
    return name.split("/")[-1] == REPORT


def run_item_ids(run_dir: Path) -> set[str]:
    """The ids of the items the run labeled (its ``labels.parquet``'s ``id`` column alone;
    none when it cannot be read: the run's check says why)."""
    from labelwright.errors import RunError
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


def _log(run_dir: Path, log: ErasureLog | None) -> ErasureLog:
    """``log`` when given (the run's runs folder's), else one of the run's runs folder."""
    return log if log is not None else ErasureLog(run_dir.parent)


def _of_run_file(erasures: list[Erasure], run_id: str, name: str
                 ) -> list[tuple[Erasure, ErasedFile]]:
    return [(e, f) for e in erasures for f in e.files if f.run_id == run_id and f.name == name]


def _vouches(erasure: Erasure, file: ErasedFile, run_items: Callable[[], set[str]]) -> bool:
    """Whether the record of ``file`` in ``erasure`` can account for a change of it: a
    file ``erase`` rewrites (:func:`erasable`), holding 1 to all of the erasure's items,
    which the run labeled (``run_items``), but for ``skipped_rows.jsonl``, whose rows
    were never labeled."""
    from labelwright.data.bad_rows import SKIPPED_ROWS_FILE

    if not erasable(file.name) or not 0 < file.items <= len(erasure.items):
        return False
    return file.name == SKIPPED_ROWS_FILE or bool(run_items() & set(erasure.items))


def erased_output(run_dir: Path, name: str, recorded: str, now: str,
                  log: ErasureLog | None = None) -> bool:
    """Whether erasures account for the run's file ``name`` having the sha256 ``now``
    where its manifest ``recorded`` another (:func:`erasure_account`). ``log``: the runs
    folder's record, when kept across runs (else read now)."""
    return erasure_account(run_dir, name, recorded, now, log)[0]


def erasure_account(run_dir: Path, name: str, recorded: str, now: str,
                    log: ErasureLog | None = None) -> tuple[bool, str]:
    """Whether erasures account for the run's file ``name`` having the sha256 ``now``
    where its manifest ``recorded`` another, and why not when records lead there all the
    same (else ""): records of it lead from one hash to the other, each of a file ``erase``
    rewrites and of items the run labeled (:func:`_vouches`: a record naming
    ``labels.parquet`` vouches for nothing), and the file reads as erasing their items
    (:func:`unerased`: a line written by hand over an edit does not)."""
    kept = _log(run_dir, log)
    if not erasable(name):
        return False, ""
    links = {f.sha256_before: (e, f.sha256_after)
             for e, f in _of_run_file(kept.records(), run_dir.name, name)
             if _vouches(e, f, lambda: kept.run_items(run_dir))}
    seen, at, chain = set(), recorded, []
    while at in links and at not in seen:
        seen.add(at)
        erasure, after = links[at]
        if after is None:
            return False, ""
        chain.append(erasure)
        if after == now:
            for erasure in chain:
                why = unerased(run_dir, name, erasure.items)
                if why:
                    return False, (f"{erasure.where()} leads to this hash, but {why}: not "
                                   "taken as an erasure of it")
            return True, ""
        at = after
    if chain:  # erased, then edited
        return False, (f"{chain[-1].where()} took it to sha256 {at[:12]}, and it changed "
                       "since")
    return False, ""


def unerased(run_dir: Path, name: str, items: Collection[str]) -> str:
    """Why the run's file ``name`` does not read as ``labelwright erase`` leaves a file it
    erased ``items`` from ("" when it does): it holds no record of them (but
    ``skipped_rows.jsonl``, whose erased rows keep no id), or a record of one still holds
    the item's text (or other data) where erase writes the marker
    (:mod:`~labelwright.runs.erase.files`). A report is not checked (the texts it showed
    are not known): "" for it."""
    from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
    from labelwright.runs.erase.files import erase_jsonl, erase_review_file, erase_skipped_rows

    if _is_report(name):
        return ""
    ids = set(items)
    try:
        text = (run_dir / name).read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as exc:
        return f"it cannot be read ({exc})"
    # erase asked again, as it reads the file (labelwright.runs.erase.items): what it finds of
    # the items, and which of their records it would still change (their texts not erased)
    held: set[str] = set()
    kept: set[str] = set()
    if name == SKIPPED_ROWS_FILE:
        from labelwright.runs.store import read_manifest, run_data_columns

        try:
            id_column = (run_data_columns(read_manifest(run_dir)) or ("id",))[0]
        except Exception:  # noqa: BLE001 - the manifest's own check says why
            id_column = "id"
        erase_skipped_rows(text, ids, id_column, held, kept)
    elif name.endswith(".jsonl"):
        erase_jsonl(text, ids, found=held, left=kept)
    else:
        erase_review_file(text, ids, held, kept)
    if not held and name != SKIPPED_ROWS_FILE:  # an erased skipped row keeps no id to find
        return (f"{name} holds no record of {counted(len(ids), 'item')} it names "
                f"({some_of([repr(i) for i in sorted(ids)])})")
    if kept:
        return (f"its records of {counted(len(kept), 'item')} "
                f"({some_of([repr(i) for i in sorted(kept)])}) still hold their texts")
    return ""


def held_in_data(run_dir: Path, gone: Collection[str] | None, log: ErasureLog | None = None
                 ) -> list[tuple[Erasure, list[str]]]:
    """Each erasure naming items the run labeled that the data still holds, with those
    items: ``erase`` refuses an item the data holds, so such a line was written by hand
    (or the rows were added back since). ``gone``: the items the run labeled that the data
    no longer holds (:func:`~labelwright.runs.item_texts.texts_since`; empty when the data
    is the run's). [] when the record cannot be read (its notes say so)."""
    kept = _log(run_dir, log)
    try:
        erasures = kept.records()
    except Exception:  # noqa: BLE001 - said in the run's notes
        return []
    labeled = kept.run_items(run_dir) - set(gone or ())
    found = []
    for erasure in erasures:
        still = [i for i in dict.fromkeys(erasure.items) if i in labeled]
        if still:
            found.append((erasure, still))
    return found


#: the note on a run whose data held items an erasure names
ERASED_DATA_NOTE = ("the run's data held items erased since: the record says their rows "
                    "were deleted from the data, so --inputs compares the data less those "
                    "items, and --recompute needs the data as the run read it (--data FILE)")


def erasure_notes(run_dir: Path, manifest: dict[str, Any], log: ErasureLog | None = None,
                  changed: Collection[str] = (), not_erasures: Collection[int] = ()
                  ) -> list[str]:
    """``runs verify``'s lines on the erasures of the run: the items it labeled that an
    erasure names (their labels and votes stay, they hold no text), the files an erasure
    changed (which, when, why and how many items; those in ``changed``, found changed since
    all the same, are left to their problem), a record naming a file of the run that it
    cannot vouch for (:func:`_vouches`); and that the run's data held items since erased
    (:data:`ERASED_DATA_NOTE`), unless every erasure of its items is in ``not_erasures``
    (the lines of those naming items the data still holds, :func:`held_in_data`: no such
    erasure took place). ``log``: the runs folder's record, when kept across runs (else
    read)."""
    from labelwright.runs.erase.ledger_notes import ledger_note

    kept = _log(run_dir, log)
    try:
        erasures = kept.records()
    except Exception as exc:  # noqa: BLE001 - an unreadable record is said, not raised
        return [str(exc)]
    notes, erased_data = [], False
    for erasure in erasures:
        named = [f for f in erasure.files if f.run_id == run_dir.name]
        held = sorted(kept.run_items(run_dir) & set(erasure.items)) if erasure.items else []
        if not named and not held:
            continue
        vouched = [f for f in named if _vouches(erasure, f, lambda: kept.run_items(run_dir))]
        files = [f for f in vouched if f.name not in changed]
        erased_data = erased_data or (bool(vouched or held)
                                      and erasure.line not in not_erasures)
        labeled = (f"; the run labeled {counted(len(held), 'item')} of them "
                   f"({some_of([repr(i) for i in held])}): their labels and votes stay (they "
                   "hold no text)" if held else "")
        if files:
            names = ", ".join(f"{f.name} ({counted(f.items, 'item')})" for f in files)
            reports = any(_is_report(f.name) for f in files)
            rows = [f for f in files if not _is_report(f.name)]
            checked = ((f"{'its' if len(rows) == 1 else 'their'} records of the items read "
                        "as erased" + ("" if not reports else " (a report's erased texts "
                                       "are not known: not checked)"))
                       if rows else "the report's erased texts are not known: not checked")
            notes.append(f"{names}: item texts {erasure.describe()}, an erasure of "
                         f"{counted(len(erasure.items), 'item')}; {checked}; that the rest "
                         f"of each file is as the run wrote it rests on {ERASURES_FILE} "
                         f"line {erasure.line} (keep the record as you keep the manifests)"
                         f"{labeled}")
        elif held:
            notes.append(f"item texts {erasure.describe()}, an erasure of "
                         f"{counted(len(erasure.items), 'item')}; "
                         + ("no file of the run held their texts" if not vouched else
                            "the files of the run it names are not as it left them (above)")
                         + labeled)
        notes += ledger_note(erasure, manifest)
        for file in named:
            if file not in vouched:
                notes.append(f"{ERASURES_FILE}: the erasure of {erasure.erased_at[:10]} "
                             f"names {file.name} of the run, "
                             + ("a file erase never changes (it holds no text)"
                                if not erasable(file.name) else
                                "for items the run did not label")
                             + ": not taken as an erasure of it")
    if erased_data and (manifest.get("data") or {}).get("sha256"):
        notes.append(ERASED_DATA_NOTE)
    return notes


def erased_items(runs_dir: Path, log: ErasureLog | None = None) -> dict[str, Erasure]:
    """The first erasure of each item id the record names. ``log``: the runs folder's
    record, when read already (else read now)."""
    found: dict[str, Erasure] = {}
    for erasure in (log if log is not None else ErasureLog(runs_dir)).records():
        for item in erasure.items:
            found.setdefault(item, erasure)
    return found


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
    for line in jsonl_lines(new):  # as read_records splits the file
        try:
            items += [str(i) for i in json.loads(line).get("items") or []]
        except (ValueError, AttributeError):
            continue
    items = list(dict.fromkeys(items))
    return (f"{counted(len(items), 'item')} ({some_of([repr(i) for i in items])})" if items
            else "items")
