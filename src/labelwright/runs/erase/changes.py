"""The files ``labelwright erase`` changes (:mod:`~labelwright.runs.erase.items`), found
and written: each run's review files, skipped rows and report, the review exports and
decision tables the runs folder records, and the cache entries it drops; each as a
:class:`FileChange` with the file's hash before and its bytes after, written whole to a
temporary name and renamed."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from labelwright.errors import RunError
from labelwright.runs.erase.records import ErasedFile
from labelwright.runs.file_names import REPORT, REVIEW_FILES
from labelwright.runs.recorded_paths import Located, RecordedPaths
from labelwright.runs.replaced import kept_files
from labelwright.runs.review_exports import REVIEW_EXPORTS_FILE


@dataclass
class FileChange:
    """One file an erasure changes (``new`` None: the file is removed)."""

    path: Path
    kind: str  # "run file", "review export", "report", "cache entry"
    items: int
    new: bytes | None
    run_id: str = ""
    name: str = ""
    sha256_before: str = ""

    def record(self) -> ErasedFile:
        import hashlib

        after = None if self.new is None else hashlib.sha256(self.new).hexdigest()
        return ErasedFile(str(self.path), self.items, self.sha256_before, after,
                          self.run_id, self.name)


@dataclass(frozen=True)
class ReadFile:
    """A file's text as written (``read_text`` would turn a CSV export's ``\r\n`` line
    ends into ``\n``, changing every row), the sha256 of its bytes, and its byte-order
    mark (``""`` or ``"\ufeff"``), which an erased file keeps."""

    text: str
    sha256: str
    bom: str

    def change(self, path: Path, kind: str, new_text: str, n: int, *, run_id: str = "",
               name: str = "") -> FileChange:
        return FileChange(path, kind, n, (self.bom + new_text).encode("utf-8"), run_id, name,
                          self.sha256)


def read_file(path: Path) -> ReadFile:
    """``path`` read once: its text, hash and byte-order mark (:class:`ReadFile`)."""
    import hashlib

    raw = path.read_bytes()
    text = raw.decode("utf-8")
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    return ReadFile(text[len(bom):], hashlib.sha256(raw).hexdigest(), bom)


def removal(path: Path) -> FileChange:
    """A cache entry removed, with the hash it had."""
    from labelwright.file_hashes import file_sha256

    return FileChange(path, "cache entry", 0, None, sha256_before=file_sha256(path))


def run_changes(run_dir: Path, ids: set[str], id_column: str, found: set[str]
                 ) -> list[FileChange]:
    """The changes to one run's files: review files, skipped rows, then the report
    (``found`` gains the ids of skipped rows of the items). The report shows the items'
    texts as the run's ``review.jsonl`` and ``sample.jsonl`` hold them: they are taken
    from those files as they are erased, not read from them again."""
    from labelwright.data.bad_rows import SKIPPED_ROWS_FILE
    from labelwright.report.data import TEXT_CHARS
    from labelwright.runs.erase.files import (
        erase_jsonl,
        erase_report_texts,
        erase_review_file,
        erase_skipped_rows,
    )

    changes = []
    texts: set[str] = set()  # the items' texts the run's JSONL queue and sample held
    for name in (*REVIEW_FILES, SKIPPED_ROWS_FILE):
        path = run_dir / name
        if not path.is_file():
            continue
        read = read_file(path)
        if name == SKIPPED_ROWS_FILE:
            new, n = erase_skipped_rows(read.text, ids, id_column, found)
        elif name.endswith(".jsonl"):  # a run writes its queue and sample as JSON lines
            new, n = erase_jsonl(read.text, ids, texts)
        else:
            new, n = erase_review_file(read.text, ids)
        if n:
            changes.append(read.change(path, "run file", new, n, run_id=run_dir.name,
                                       name=name))
    # the report, and those a later `labelwright report` replaced and kept
    for report in [run_dir / REPORT, *kept_files(run_dir, REPORT)]:
        if texts and report.is_file():
            read = read_file(report)
            new, n = erase_report_texts(read.text, texts, TEXT_CHARS)
            if n:
                changes.append(read.change(report, "report", new, len(texts),
                                           run_id=run_dir.name,
                                           name=report.relative_to(run_dir).as_posix()))
    return changes


def export_changes(paths: RecordedPaths, ids: set[str], done: set[Path], found: set[str],
                    missing: list[str]) -> list[FileChange]:
    """The changes to the review files ``runs/REVIEW_EXPORTS.jsonl`` records that hold the
    items, each looked for where the project is now (:class:`RecordedPaths`: a file inside
    the project where the project moved, not where it was; one written outside it where
    it is). ``done``: files changed already, as a run's; ``found`` gains the items the
    record names; ``missing`` gains a line for each file recorded that is not there."""
    from labelwright.runs.erase.files import erase_review_file
    from labelwright.runs.review_exports import read_review_exports

    changes = []
    records = [r for r in read_review_exports(paths.runs_dir) if ids & set(r.items)]
    found.update(i for r in records for i in ids & set(r.items))
    located: dict[Path, tuple[Located, list[str]]] = {}
    for record in records:
        at = paths.locate(record.file, record.run_id)
        located.setdefault(at.path, (at, []))[1].append(record.run_id)
    for path, (at, run_ids) in located.items():
        if path.resolve() in done:
            continue
        if not path.is_file():
            missing.append(not_found_line(at, run_ids))
            continue
        try:
            read = read_file(path)
            new, n = erase_review_file(read.text, ids)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise RunError(f"{path}: a review export holding erased items cannot be read "
                           f"({exc}); fix or delete it, then erase again; nothing erased"
                           ) from None
        if n:
            changes.append(read.change(path, "review export outside the project" if at.outside
                                       else "review export", new, n))
    return changes


def table_changes(paths: RecordedPaths, ids: set[str], done: set[Path], missing: list[str]
                   ) -> list[FileChange]:
    """The changes to the decision tables ``runs/DECISION_TABLES.jsonl`` records (``review
    decisions --out``): the notes of the items' decisions (the tables hold no text).
    ``missing`` gains a line for a table recorded that is not there: it may hold them."""
    from labelwright.runs.decision_tables import DECISION_TABLES_FILE, read_decision_tables
    from labelwright.runs.erase.files import erase_csv

    changes = []
    located: dict[Path, Located] = {}
    for record in read_decision_tables(paths.runs_dir):
        at = paths.locate(record.file, record.run_id)
        located.setdefault(at.path, at)
    for path, at in located.items():
        if path.resolve() in done:
            continue
        if not path.is_file():
            missing.append(f"{path}: a decision table `review decisions` wrote (runs/"
                           f"{DECISION_TABLES_FILE}) is not there (moved or deleted); a "
                           "copy kept elsewhere may hold raters' notes on the items: delete "
                           "it or erase them by hand")
            continue
        items: set[str] = set()  # a row per decision: the items are counted
        try:
            read = read_file(path)
            new, n = erase_csv(read.text, ids, left=items)
        except (OSError, UnicodeDecodeError, ValueError, csv.Error) as exc:
            raise RunError(f"{path}: a decision table that may hold notes on erased items "
                           f"cannot be read ({exc}); fix or delete it, then erase again; "
                           "nothing erased") from None
        if n:
            changes.append(read.change(path, "decision table outside the project"
                                       if at.outside else "decision table", new, len(items)))
    return changes


def not_found_line(at: Located, run_ids: Sequence[str]) -> str:
    """The line for a recorded review file holding the items that is not where the record
    leads: moved or deleted, or written on another machine."""
    runs = ", ".join(dict.fromkeys(run_ids))
    line = (f"{at.path}: a review file exported from run {runs} holding some of the items "
            f"(runs/{REVIEW_EXPORTS_FILE}) is not there (moved or deleted"
            + (", or written on another machine" if at.outside else "") + "); a copy of it "
            "kept elsewhere still holds their texts: delete it")
    if at.moved_from is not None and at.moved_from.is_file():
        line += (f"; {at.moved_from}, where it was written before the project moved, is "
                 "outside this project and was not changed")
    return line


def write_change(change: FileChange) -> None:
    from labelwright.runs.store import atomic_write

    if change.new is None:
        change.path.unlink(missing_ok=True)
    else:
        data = change.new
        atomic_write(change.path, lambda tmp: tmp.write_bytes(data))
