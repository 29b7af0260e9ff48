"""Import reviewed labels from each tool's export into the review ledger.

The file is read by :mod:`~labelwright.review.imports.readers` (one reader per format); every row
is then checked against the project: the item is in the dataset, the label is a project
label, the run is one of the project's runs, the project name matches, the row is not a
duplicate, the label is not empty, and an item exported from a run's random sample
(``export`` / ``lw_export`` = ``sample``) is in that run's sample. The export is stored with
the decision: ``auto`` chooses and calibrates on the sample's reviews when the queue's are
not a random sample. So is whether the reviewer decided blind, as each record says
(:func:`~labelwright.review.imports.records.blindness`): ``review stats`` compares blind decisions
with shown ones. A file with any bad row imports nothing unless ``skip_bad_rows`` is
set; every problem names the file and the row.

This module runs an import; the rows are checked in :mod:`~labelwright.review.imports.rows`,
what the ledger gets is decided in :mod:`~labelwright.review.imports.to_ledger` and filed
in :mod:`~labelwright.review.imports.filing`, and :class:`ImportReport`
(:mod:`~labelwright.review.imports.report`) says what the import did.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.config import load_config
from labelwright.errors import ReviewError, both_spellings
from labelwright.file_hashes import file_sha256
from labelwright.review.decisions import ledger, rater_ids
from labelwright.review.decisions.decided_texts import decided_hashes, reviewed_on_other_text
from labelwright.review.feedback.label_changes import read_renamed, rename_rows, run_labels_reader
from labelwright.review.imports.empty_answers import NOTHING_CHOSEN
from labelwright.review.imports.exported_items import (
    exported_it,
    exports_reader,
    not_exported,
    sample_only,
    sample_only_notes,
)
from labelwright.review.imports.filing import LEDGER_RETRIES, file_decisions
from labelwright.review.imports.items import data_option_reader, import_items
from labelwright.review.imports.label_spellings import case_spellings, case_spellings_said
from labelwright.review.imports.pruned_sources import pruned_notes
from labelwright.review.imports.readers import IMPORT_FORMATS, Row, detect_format, read_rows
from labelwright.review.imports.report import ImportReport
from labelwright.review.imports.rows import (
    _foreign_file,
    _retired,
    check_rows,
    project_labels,
    sample_reader,
)
from labelwright.review.imports.shown_text import shown_reader
from labelwright.review.imports.to_ledger import (
    _MAX_LISTED,
    _imported_by_other,
    named_and_held,
)
from labelwright.runs.erase.records import erased_items
from labelwright.runs.pruned import read_pruned
from labelwright.runs.store import list_runs

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.config.schema import ProjectConfig
    from labelwright.review.imports.exported_items import RunExports
    from labelwright.review.imports.items import ImportItems
    from labelwright.runs.pruned import PrunedRun

__all__ = ["IMPORT_FORMATS", "LEDGER_RETRIES", "ImportReport", "ReviewError", "Row",
           "check_rows", "detect_format", "import_file", "read_rows", "sample_reader"]
def _not_a_path(name: str, value: object) -> str:
    """What ``import_file`` says of a ``project_root`` or ``path`` that is no path."""
    kind = type(value)
    shown = kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__.split('.')[0]} {kind.__qualname__}")
    article = "an" if shown[0] in "aeiou" else "a"
    said = (f"import_file: {name} is {article} {shown}; give a path (a str or os.PathLike) to "
            + ("the project folder" if name == "project_root" else
               "the file a review tool exported"))
    if kind.__name__ != "DataFrame" or name != "path":
        return said
    return said + (": the ledger records each decision's file, its sha256 and row, so write "
                   "a frame of decisions to a file first, df.to_csv('reviews-done.csv', "
                   "index=False) (a review CSV's columns as export_run wrote them: id, run_id, "
                   "text, review_label, ...), then import_file(root, 'reviews-done.csv', "
                   "reviewer=...)")


SKIPPED_IDS = 5  # item ids kept per reason a row is not a decision, to show which they are


def _unnamed_raters(rows: list[Row], bad: set[int]) -> tuple[int, str | None]:
    """How many of the decisions among ``rows`` (neither skipped nor among the ``bad``
    rows' ids) name no rater, and those rows said with the bad rows that name none either
    (None: every row names its rater): without ``--reviewer`` the decisions would be filed
    under nobody, and a bad row, once fixed, would be one of them. A refusal of the bad
    rows and an import that skips them (``--skip-bad-rows``) say the same counts."""
    unnamed = [row for row in rows if not row.skip and not row.annotator]
    decided = [row.where for row in unnamed if id(row) not in bad]
    wrong = [row.where for row in unnamed if id(row) in bad]
    said = []
    if decided:
        said.append(f"{len(decided)} decision(s) name no rater ({_first(decided)})")
    if wrong:
        said.append(f"{len(wrong)} bad row(s) name {'none either' if decided else 'no rater'}"
                    f" ({_first(wrong)})")
    return len(decided), "; ".join(said) or None


def _first(wheres: list[str]) -> str:
    """The first :data:`SKIPPED_IDS` of ``wheres``, and ``...`` when there are more."""
    return ", ".join(wheres[:SKIPPED_IDS]) + (", ..." if len(wheres) > SKIPPED_IDS else "")


def _reviewer_hint() -> str:
    """How to name the rater of the decisions a file leaves unnamed."""
    return (f"Pass {both_spellings('--reviewer NAME', 'reviewer=NAME')}: who decided the rows "
            "that name none (the rows that name theirs keep them, and NAME is recorded as who "
            "imported the file)")


def _check_raters_named(path: Path, rows: list[Row], bad: set[int]) -> None:
    """A ReviewError when an import without ``--reviewer`` holds decisions (``rows`` not
    among the ``bad`` rows' ids) whose rows name no rater: they would be filed under
    nobody. It says the bad rows that name none too, as a refusal of them does."""
    decided, unnamed = _unnamed_raters(rows, bad)
    if decided:
        raise ReviewError(f"{path}: {unnamed}; nothing imported. {_reviewer_hint()}")


def import_file(project_root: str | Path, path: str | Path, *, reviewer: str | None = None,
                fmt: str | None = None, skip_bad_rows: bool = False, relabel: bool = False,
                independent: bool = False, now: datetime | None = None,
                data: str | Path | pd.DataFrame | None = None,
                for_adjudicator: bool = False) -> ImportReport:
    """Check every row of ``path`` and append its decisions to the project's ledger.
    ``data``: the dataset file the decisions are checked against in place of ``[data]
    path`` (``--data``, relative to the current folder: the file a ``--data`` run read), or
    the pandas DataFrame a run read (``run_project(path, data=df)``); without it, rows of
    runs on a DataFrame no file holds are checked against those runs' records
    (:mod:`~labelwright.review.imports.items`).

    The ledger is append-only, so a decision filed under the wrong rater cannot be taken
    back: a file that changes labels raters gave before imports nothing unless ``relabel``
    says the changes are meant, and one that repeats every decision another rater imported
    from one file, row for row, imports nothing unless ``independent`` says
    the two reviewed separate copies (see :func:`~labelwright.review.imports.repeats.shared_sheet`).
    A file whose decisions name one of ``[review] adjudicators`` imported by someone who is
    not that adjudicator imports nothing unless ``for_adjudicator`` says it is meant
    (:mod:`~labelwright.review.imports.adjudicators`).

    ``reviewer``: who imports (``--reviewer``), each decision's rater where the file names
    none. Without it, every decision the file holds must name its rater (a tool's
    annotator, a CSV's reviewer column; else a :class:`ReviewError` naming the rows), and
    the ledger records no importer (an empty ``reviewer``): nobody filed them for another.

    ``project_root`` and ``path`` are paths (a ``str`` or ``os.PathLike``); a DataFrame of
    decisions is a TypeError saying to write it to a file first: the ledger records each
    decision's file, its sha256 and row, which a frame in a session has not.
    """
    for name, value in (("project_root", project_root), ("path", path)):
        if not isinstance(value, str | os.PathLike):
            raise TypeError(_not_a_path(name, value))
    config = load_config(project_root)
    path = Path(path)
    _check_reviewer(reviewer)
    importer_named = reviewer is not None
    reviewer = reviewer or ledger.NO_IMPORTER
    _check_file(path)
    fmt = fmt or detect_format(path)
    report, rows = _read(path, fmt, config)
    run_ids = set(list_runs(config.runs_path))
    pruned = read_pruned(config.runs_path)
    _refuse_foreign(rows, path, config, run_ids, pruned)
    path_of_ledger = ledger.ledger_path(config.root)
    # refused whatever the data holds (its bad rows, or none, end in a refusal too): asked
    # before the data is read, which takes a while for a large project
    if _held_already(report, rows, path, path_of_ledger, reviewer, fmt, config):
        return report
    dataset = import_items(config, rows, data, run_ids)
    if dataset.note is not None:
        report.notes.append(dataset.note)
    # the text each row's run exported for its item, else the data's: the rows' texts are
    # checked against it, and the decisions record its hash
    shown = shown_reader(config.runs_path, rows, dict(zip(dataset.ids, dataset.texts)))
    exports = exports_reader(config.runs_path, rows)
    # a refusal of bad rows says too that the file needs --reviewer, so one fix does
    bad, spelt = _bad_rows(report, rows, path, reviewer, fmt, config, data=data,
                           dataset=dataset, run_ids=run_ids, pruned=pruned, shown=shown,
                           exports=exports, skip_bad_rows=skip_bad_rows,
                           importer_named=importer_named)
    deciding = [row for row in rows if not row.skip and id(row) not in bad]
    if not importer_named:
        _check_raters_named(path, rows, bad)
    report.notes += pruned_notes(rows, bad, pruned)
    # the run never held them: filed as from no export, not the queue the file may mark
    unexported = {id(row): row for row in not_exported(deciding, exports)}
    # only the run's random sample held them: filed as from it, the file naming no export
    from_sample = sample_only(deciding, exports)
    report.notes += sample_only_notes(from_sample)
    imported_at = (now or datetime.now(UTC)).isoformat()
    # the text each decision was made on, hashed: runs check it against the item's text
    # even once the run it was exported from is gone
    text_hash = decided_hashes(config.runs_path, rows, shown)
    decisions = _decisions(report, rows, bad, unexported, from_sample, path=path,
                           reviewer=reviewer, fmt=fmt, imported_at=imported_at,
                           text_hash=text_hash)
    report.other_text_now = sorted({item for _, item in reviewed_on_other_text(
        decisions, dataset.ids, dataset.texts, config.runs_path, dataset.sha256,
        config.data_columns)})
    if not decisions:
        raise _no_decisions(report, path, fmt, spelt)
    report.redecided = len(decisions) - len({(d.item_id, d.rater, d.export) for d in decisions})
    return file_decisions(report, rows, decisions, unexported, path=path, reviewer=reviewer,
                          fmt=fmt, imported_at=imported_at, config=config, dataset=dataset,
                          relabel=relabel, independent=independent,
                          for_adjudicator=for_adjudicator and importer_named,
                          from_sample=from_sample)


def _check_reviewer(reviewer: str | None) -> None:
    """A ReviewError for a ``--reviewer`` given empty (left out, the file names its raters)."""
    if reviewer is not None and not reviewer.strip():
        raise ReviewError("a reviewer name is required, not an empty one: give "
                          + both_spellings("--reviewer NAME", "reviewer='NAME'")
                          + ", or leave it out when the file names every decision's rater")


def _check_file(path: Path) -> None:
    """A ReviewError when ``path`` is a folder or no file."""
    if path.is_dir():
        raise ReviewError(f"{path} is a folder; import one review file at a time (the file a "
                          "review tool exported)")
    if not path.is_file():
        raise ReviewError(f"{path}: no such file")


def _read(path: Path, fmt: str, config: ProjectConfig) -> tuple[ImportReport, list[Row]]:
    """The rows of ``path`` read as ``fmt``, their labels as the project spells them now,
    and the report begun with what reading them found."""
    report = ImportReport(file=path, format=fmt, sha256=file_sha256(path))
    rows = read_rows(path, fmt)
    report.rows = len(rows)
    report.unread = list(dict.fromkeys(name for row in rows for name in row.unread))
    report.padded = project_labels(rows, config.labels)
    report.renamed = rename_rows(rows, dict(config.renamed))
    return report, rows


def _refuse_foreign(rows: list[Row], path: Path, config: ProjectConfig, run_ids: set[str],
                    pruned: Mapping[str, PrunedRun]) -> None:
    """A ReviewError when the file's rows are another project's."""
    # a row of a pruned run is this project's (runs/PRUNED.jsonl says so)
    foreign = None if any(row.run_id in pruned for row in rows) else _foreign_file(
        rows, path=path, run_ids=run_ids, runs_path=config.runs_path, project=config.name)
    if foreign is not None:
        raise ReviewError(foreign)


def _held_already(report: ImportReport, rows: list[Row], path: Path, path_of_ledger: Path,
                  reviewer: str, fmt: str, config: ProjectConfig) -> bool:
    """Whether another importer filed this file already with every decision it names (the
    report says so); a ReviewError when another filed it and its decisions are not held."""
    others = [(who, when) for who, when in ledger.importers(path_of_ledger, report.sha256)
              if who != reviewer]
    if not others:
        return False
    # a file that names every decision's rater files the same decisions whoever
    # imports it: held already, it is imported, as under the same --reviewer
    held = named_and_held(rows, read_renamed(ledger.read_decisions(path_of_ledger),
                                             dict(config.renamed))[0], report.sha256)
    if held:
        report.already_imported, report.imported_as = True, others[0][0]
        return True
    raise _imported_by_other(path, report.sha256, *others[0], reviewer, fmt, named=held)


def _bad_rows(report: ImportReport, rows: list[Row], path: Path, reviewer: str, fmt: str,
              config: ProjectConfig, *, data: str | Path | pd.DataFrame | None,
              dataset: ImportItems, run_ids: set[str], pruned: Mapping[str, PrunedRun],
              shown: Callable[[str, str], str | None],
              exports: Callable[[str], RunExports | None],
              skip_bad_rows: bool, importer_named: bool) -> tuple[set[int], str | None]:
    """The ``id`` of every bad row, and the labels' spellings that differ only in case,
    said (None: none); the report counts them. Unless ``skip_bad_rows``, a ReviewError
    listing the problems when there is a bad row, and the rows that name no rater
    (:func:`_unnamed_raters`) unless ``importer_named`` (``--reviewer`` given): the file's
    every problem at once."""
    labels_of = run_labels_reader(config.runs_path)
    item_ids = set(dataset.ids)
    bad_rows = check_rows(
        rows, path=path, reviewer=reviewer, item_ids=item_ids, labels=config.labels,
        # a project named after its folder is the same project in a renamed folder
        run_ids=run_ids, project=config.name if config.named else None,
        sampled=sample_reader(config.runs_path), fmt=fmt,
        shown=shown,
        run_labels=labels_of, pruned=pruned, erased=erased_items(config.runs_path),
        read_with_data=data_option_reader(config, data), exported=exported_it(exports))
    report.retired = Counter(str(row.label) for row, _ in bad_rows if row.problem is None
                             and _retired(row, config.labels, item_ids, labels_of))
    report.problems = list(dict.fromkeys(message for _, message in bad_rows))
    report.bad = len(bad_rows)
    spelt = case_spellings_said(case_spellings(bad_rows, config.labels))
    bad = {id(row) for row, _ in bad_rows}
    if report.problems and not skip_bad_rows:
        unnamed = None if importer_named else _unnamed_raters(rows, bad)[1]
        listed = report.problems[:_MAX_LISTED]
        more = len(report.problems) - len(listed)
        raise ReviewError(
            f"{path}: {report.bad} bad row(s); nothing imported (fix them, or pass "
            f"{both_spellings('--skip-bad-rows', 'skip_bad_rows=True')} to import the "
            "others):\n  " + "\n  ".join(listed)
            + (f"\n  ... and {more} more" if more else "") + (f"\n  {spelt}" if spelt else "")
            + (f"\nand without a reviewer named, {unnamed}. {_reviewer_hint()}"
               if unnamed else ""))
    if spelt:
        report.notes.append(spelt)
    return bad, spelt


def _decisions(report: ImportReport, rows: list[Row], bad: set[int],
               unexported: dict[int, Row], from_sample: dict[int, Row], *, path: Path,
               reviewer: str, fmt: str, imported_at: str,
               text_hash: Callable[[Row], str | None]) -> list[ledger.Decision]:
    """A decision for every row neither skipped nor bad (filed as from no export where
    ``unexported``, from the random sample where ``from_sample``); the report counts the
    skipped rows by reason (with the first few item ids), the decisions, and the raters'
    ids updated."""
    decisions = []
    good = []  # the rows the decisions come from
    for row in rows:
        if row.skip:
            report.skipped[row.skip] += 1
            first = report.skipped_ids.setdefault(row.skip, Counter())
            named = (row.where if not row.item_id else f"{row.item_id} at {row.where}"
                     if row.skip in NOTHING_CHOSEN else row.item_id)
            if named in first or len(first) < SKIPPED_IDS:
                first[named] += 1
        elif id(row) not in bad:
            good.append(row)
            decisions.append(ledger.Decision(
                item_id=str(row.item_id), label=str(row.label), reviewer=reviewer,
                annotator=row.annotator, decided_at=row.decided_at, imported_at=imported_at,
                source_file=str(path.resolve()), source_sha256=report.sha256,
                source_row=row.where, run_id=str(row.run_id), format=fmt,
                export="" if id(row) in unexported else "sample" if id(row) in from_sample
                else row.export, blind=row.blind,
                shown_chars=row.cut[0] if row.cut else None,
                text_chars=row.cut[1] if row.cut else None, note=row.note or None,
                text_hash=text_hash(row)))
    report.decisions = len(decisions)
    report.notes += rater_ids.updated_by_notes(good)
    return decisions


def _no_decisions(report: ImportReport, path: Path, fmt: str, spelt: str | None
                  ) -> ReviewError:
    """The refusal of a file that holds no decision to import."""
    reasons = "; ".join(f"{n} {why}" for why, n in report.skipped.most_common())
    return ReviewError(
        f"{path}: no decision in its {report.rows} row(s) read as {fmt}"
        + (f" ({reasons})" if reasons else "")
        + "; nothing imported, and the file is not recorded as imported, so it can be "
          + (_all_bad(report, spelt) if report.bad else
             f"imported again (with the right {both_spellings('--format', 'fmt=')}, or "
             "once it holds decisions)"))


def _all_bad(report: ImportReport, spelt: str | None) -> str:
    """The end of the refusal of a file whose every decision was a bad row skipped with
    ``--skip-bad-rows``: the rows' problems, not a hint at another format (which had hidden
    why twenty decisions with one misspelt label imported none)."""
    listed = report.problems[:_MAX_LISTED]
    more = len(report.problems) - len(listed)
    return (f"imported again once they are right: its {report.bad} bad row(s), skipped with "
            f"{both_spellings('--skip-bad-rows', 'skip_bad_rows=True')}, held every "
            "decision:\n  " + "\n  ".join(listed) + (f"\n  ... and {more} more" if more else "")
            + (f"\n  {spelt}" if spelt else ""))
