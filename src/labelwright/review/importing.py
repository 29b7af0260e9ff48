"""Import reviewed labels from each tool's export into the review ledger.

The file is read by :mod:`~labelwright.review.readers` (one reader per format); every row
is then checked against the project: the item is in the dataset, the label is a project
label, the run is one of the project's runs, the project name matches, the row is not a
duplicate, the label is not empty, and an item exported from a run's random sample
(``export`` / ``lw_export`` = ``sample``) is in that run's sample. The export is stored with
the decision: ``auto`` chooses and calibrates on the sample's reviews when the queue's are
not a random sample. So is whether the reviewer decided blind, as each record says
(:func:`~labelwright.review.records.blindness`): ``review stats`` compares blind decisions
with shown ones. A file with any bad row imports nothing unless ``skip_bad_rows`` is
set; every problem names the file and the row.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from labelwright.config import ProjectConfig, find_label, load_config
from labelwright.config.data_override import with_data_path
from labelwright.counts import some_of
from labelwright.data.dataset import Dataset, read_dataset
from labelwright.errors import ReviewError, both_spellings
from labelwright.review import ledger, rater_ids, repeats
from labelwright.review.duplicates import duplicates
from labelwright.review.export import EXPORTS, sample_ids
from labelwright.review.label_changes import (
    read_renamed,
    rename_rows,
    retired_labels_problem,
    run_labels_reader,
)
from labelwright.review.pruned_sources import pruned_notes, pruned_row_problem
from labelwright.review.raters import lookalike_raters, rater_names
from labelwright.review.readers import IMPORT_FORMATS, Row, detect_format, read_rows
from labelwright.review.retirements import read_retirements, retired
from labelwright.review.run_label_gaps import gap_warnings, run_label_gaps
from labelwright.review.shown_text import other_text, reviewed_on_other_text, shown_reader
from labelwright.review.tool_readers import NOTHING_CHOSEN
from labelwright.runs.pruned import PrunedRun, read_pruned
from labelwright.runs.store import file_sha256, list_runs
from labelwright.spelling import did_you_mean

__all__ = ["IMPORT_FORMATS", "ImportReport", "ReviewError", "Row", "check_rows",
           "detect_format", "import_file", "read_rows", "sample_reader"]

_MAX_LISTED = 20
#: times an import re-reads the ledger when other imports append to it meanwhile
LEDGER_RETRIES = 20
SKIPPED_IDS = 5  # item ids kept per reason a row is not a decision, to show which they are


@dataclass
class ImportReport:
    file: Path
    format: str
    sha256: str
    rows: int = 0
    decisions: int = 0  # valid decisions in the file
    added: int = 0  # decisions new to the ledger
    skipped: Counter[str] = field(default_factory=Counter)  # rows not decisions, per reason
    #: the first item ids (or places, for a row without one) of the rows of each reason, with
    #: their rows' count: one item may have several (two Argilla drafts, two cancellations)
    skipped_ids: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one per bad row, or per group of them
    bad: int = 0  # bad rows
    already_imported: bool = False
    # where this file changes a label a rater gave in an earlier import:
    # (item id, rater, label in the ledger, label in this file)
    relabeled: list[tuple[str, str, str, str]] = field(default_factory=list)
    redecided: int = 0  # decisions replaced by the same rater's later one in this file
    in_ledger: int = 0  # decisions an earlier (cumulative) export brought already
    # decisions of a file imported before whose rows were bad then (--skip-bad-rows)
    completed: int = 0
    #: the decisions added per rater: the annotator the file names, else the reviewer
    raters: Counter[str] = field(default_factory=Counter)
    #: (row, label as written) of the rows whose label had spaces around it, read without
    padded: list[tuple[str, str]] = field(default_factory=list)
    #: what the import says of the raters a tool names by user id (who each counts as)
    notes: list[str] = field(default_factory=list)
    #: rows whose label has an old name (``[project] renamed``), read as the current one,
    #: per old name
    renamed: dict[str, int] = field(default_factory=dict)
    #: bad rows whose label their run had and the project no longer has, per label
    retired: Counter[str] = field(default_factory=Counter)
    #: item ids of decisions made on a text the item no longer has in the data (their run
    #: exported another one): imported, but runs set them aside
    other_text_now: list[str] = field(default_factory=list)
    #: what the import says of the runs the added decisions came from whose labels were not
    #: the current ones (:mod:`~labelwright.review.run_label_gaps`)
    label_gap_warnings: list[str] = field(default_factory=list)


def check_rows(rows: list[Row], *, path: Path, reviewer: str, item_ids: set[str],
               labels: tuple[str, ...], run_ids: set[str], project: str | None,
               sampled: Callable[[str], set[str] | None] = lambda run_id: None,
               fmt: str = "",
               shown: Callable[[str, str], str | None] = lambda run_id, item_id: None,
               run_labels: Callable[[str], list[str] | None] = lambda run_id: None,
               pruned: Mapping[str, PrunedRun] | None = None) -> list[tuple[Row, str]]:
    """``(row, "file: row: message")`` for every bad row; changes nothing.

    ``sampled(run_id)`` gives the item ids of a run's random sample (None: it drew none).
    ``shown(run_id, item_id)`` gives the text the run exported for the item (None: not
    known); a row that shows another text is not that item's decision.
    Two rows of one rater on one item are a duplicate unless they are export twins with the
    same label or the rater decided again later (:mod:`~labelwright.review.duplicates`);
    two with different labels are both bad, as which one the rater meant cannot be told.
    The rows that name a run the project does not have share one message per run, and so
    do the rows of each label their run had (``run_labels(run_id)``) and the project no
    longer has (:func:`~labelwright.review.label_changes.retired_labels_problem`); those of
    a run in ``pruned`` (``runs/PRUNED.jsonl``) are checked against the data now
    (:mod:`~labelwright.review.pruned_sources`).
    """
    pruned = pruned or {}
    found: dict[int, str] = {}  # id(row) -> its problem
    groups: dict[tuple[str, str], list[Row]] = {}  # the good rows of one item and rater
    foreign: dict[str, list[Row]] = {}
    retired: dict[str, list[Row]] = {}
    for row in rows:
        if row.skip:
            continue
        message = row.problem
        if message is None and row.run_id and row.run_id not in run_ids:
            if row.run_id not in pruned:
                foreign.setdefault(row.run_id, []).append(row)
                continue
            message = pruned_row_problem(row, pruned[row.run_id])
        if message is None and _retired(row, labels, item_ids, run_labels):
            retired.setdefault(str(row.label), []).append(row)
            continue
        if message is None:
            message = _row_problem(row, item_ids=item_ids, labels=labels, project=project,
                                   sampled=sampled) or other_text(row, shown)
        if message is None:
            groups.setdefault((str(row.item_id), row.annotator or reviewer), []).append(row)
        else:
            found[id(row)] = message
    for group in groups.values():
        if len(group) > 1:
            found.update(duplicates(group, reviewer=reviewer, fmt=fmt))
    problems = [(row, f"{path}: {row.where}: {found[id(row)]}") for row in rows
                if id(row) in found]
    for run_id, named in foreign.items():
        message = (f"{path}: {len(named)} row(s) name run {run_id!r}, which is not a run of "
                   f"this project ({some_of([row.where for row in named])}); was the run "
                   "deleted, or are these rows from another project's export?")
        problems += [(row, message) for row in named]
    for label, named in retired.items():
        runs = {str(row.run_id): run_labels(str(row.run_id)) or [] for row in named}
        message = retired_labels_problem(path, label, [row.where for row in named], runs,
                                         labels)
        problems += [(row, message) for row in named]
    return problems


def _retired(row: Row, labels: tuple[str, ...], item_ids: set[str],
             run_labels: Callable[[str], list[str] | None]) -> bool:
    """A row of an item in the data whose label its run had and the project no longer
    has (``run_labels(run_id)``: that run's labels)."""
    return bool(row.label) and row.label not in labels and row.item_id in item_ids \
        and row.label in (run_labels(str(row.run_id)) or ())


def project_labels(rows: list[Row], labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """Spell each row's label as the project does, in every format alike: a label in
    another Unicode form (typed on a Mac: "e" + accent) is the project's, and so is one
    with spaces around it (``'spam '``), as a gold label is; returns ``(row, label as
    written)`` of the latter, which the import counts in a warning. A label in another case
    (``'Spam'``) stays as written: :func:`check_rows` refuses it, with the label meant."""
    padded = []
    for row in rows:
        if row.label is None or row.label in labels:
            continue
        label = find_label(row.label.strip(), labels)
        if label is not None and row.label != row.label.strip():
            padded.append((row.where, row.label))
        row.label = label or row.label
    return padded


def _foreign_file(rows: list[Row], *, path: Path, run_ids: set[str], runs_path: Path,
                  project: str) -> str | None:
    """Why no row of ``path`` can be this project's, when every row that names a run names
    one the project does not have (a file exported from another project, or imported with
    the wrong ``--project``): one message for the file, not one per row. None otherwise."""
    named = sorted({row.run_id for row in rows if row.run_id})
    if not named or set(named) & run_ids:
        return None
    projects = sorted({row.project for row in rows if row.project} - {project})
    listed = some_of([repr(run_id) for run_id in named])
    return (f"{path}: no row names a run of this project: its rows name run(s) {listed}, "
            + (f"and the {len(run_ids)} run(s) of this project, in {runs_path}, are others"
               if run_ids else f"and this project, whose runs go in {runs_path}, has none yet")
            + (f"; they name project(s) {', '.join(map(repr, projects))} (this one is "
               f"{project!r})" if projects else "")
            + "; nothing imported. Was the file exported from another project? Import it "
              "there: " + both_spellings("--project FOLDER", "import_file(FOLDER, ...)"))


def _row_problem(row: Row, *, item_ids: set[str], labels: tuple[str, ...],
                 project: str | None, sampled: Callable[[str], set[str] | None]
                 ) -> str | None:
    """What is wrong with a row of a run of this project (:func:`check_rows` has set the
    rows of other runs apart), or None."""
    if not row.item_id:
        return "no item id (expected the id labelwright exported)"
    if row.item_id not in item_ids:
        return f"unknown item id {row.item_id!r}: not in the project dataset"
    if project is not None and row.project is not None and row.project != project:
        return f"item from project {row.project!r}; this project is {project!r}"
    if not row.run_id:
        return f"item {row.item_id!r} has no run id (expected the run id labelwright exported)"
    if row.label is None or not row.label.strip():
        return f"empty label for item {row.item_id!r}; valid labels: {', '.join(labels)}"
    if row.label not in labels:
        return (f"unknown label {row.label!r} for item {row.item_id!r}; "
                f"{did_you_mean(row.label, labels)}valid: {', '.join(labels)}")
    if row.export not in ("", *EXPORTS):
        return (f"unknown export {row.export!r} for item {row.item_id!r}; valid: "
                f"{', '.join(EXPORTS)} (or empty)")
    if row.export == "sample":
        members = sampled(row.run_id)
        if members is None:
            return (f"item {row.item_id!r} is marked as from the random sample of run "
                    f"{row.run_id!r}, but that run drew none")
        if row.item_id not in members:
            return (f"item {row.item_id!r} is marked as from the random sample of run "
                    f"{row.run_id!r}, but is not in it")
    return None


def sample_reader(runs_dir: Path) -> Callable[[str], set[str] | None]:
    """``sampled(run_id)``: the ids in a run's ``sample.jsonl`` (None if it drew none)."""
    cache: dict[str, set[str] | None] = {}

    def sampled(run_id: str) -> set[str] | None:
        if run_id not in cache:
            drawn = sample_ids(runs_dir / run_id)
            cache[run_id] = None if drawn is None else set(drawn)
        return cache[run_id]

    return sampled


def import_file(project_root: str | Path, path: str | Path, *, reviewer: str,
                fmt: str | None = None, skip_bad_rows: bool = False, relabel: bool = False,
                independent: bool = False, now: datetime | None = None,
                data: str | Path | None = None) -> ImportReport:
    """Check every row of ``path`` and append its decisions to the project's ledger.
    ``data``: the dataset file the decisions are checked against in place of ``[data]
    path`` (``--data``, relative to the current folder: the file a ``--data`` run read).

    The ledger is append-only, so a decision filed under the wrong rater cannot be taken
    back: a file that changes labels raters gave before imports nothing unless ``relabel``
    says the changes are meant, and one that repeats every decision another rater imported
    from one file, row for row, imports nothing unless ``independent`` says
    the two reviewed separate copies (see :func:`~labelwright.review.repeats.shared_sheet`).
    """
    config = load_config(project_root)
    if data is not None:
        config = with_data_path(config, data)
    path = Path(path)
    if not reviewer.strip():
        raise ReviewError("a reviewer name is required: "
                          + both_spellings("--reviewer NAME", "reviewer='NAME'"))
    if path.is_dir():
        raise ReviewError(f"{path} is a folder; import one review file at a time (the file a "
                          "review tool exported)")
    if not path.is_file():
        raise ReviewError(f"{path}: no such file")
    fmt = fmt or detect_format(path)
    report = ImportReport(file=path, format=fmt, sha256=file_sha256(path))
    rows = read_rows(path, fmt)
    report.rows = len(rows)
    report.padded = project_labels(rows, config.labels)
    report.renamed = rename_rows(rows, dict(config.renamed))
    run_ids = set(list_runs(config.runs_path))
    pruned = read_pruned(config.runs_path)
    # a row of a pruned run is this project's (runs/PRUNED.jsonl says so)
    foreign = None if any(row.run_id in pruned for row in rows) else _foreign_file(
        rows, path=path, run_ids=run_ids, runs_path=config.runs_path, project=config.name)
    if foreign is not None:
        raise ReviewError(foreign)
    path_of_ledger = ledger.ledger_path(config.root)
    # refused whatever the data holds (its bad rows, or none, end in a refusal too): asked
    # before the data is read, which takes a while for a large project
    others = [(who, when) for who, when in ledger.importers(path_of_ledger, report.sha256)
              if who != reviewer]
    if others:
        raise _imported_by_other(path, report.sha256, *others[0], reviewer, fmt)
    dataset = read_dataset(config.data, config.labels)
    labels_of = run_labels_reader(config.runs_path)
    item_ids = set(dataset.ids)
    bad_rows = check_rows(
        rows, path=path, reviewer=reviewer, item_ids=item_ids, labels=config.labels,
        # a project named after its folder is the same project in a renamed folder
        run_ids=run_ids, project=config.name if config.named else None,
        sampled=sample_reader(config.runs_path), fmt=fmt,
        shown=shown_reader(config.runs_path, rows, dict(zip(dataset.ids, dataset.texts))),
        run_labels=labels_of, pruned=pruned)
    report.retired = Counter(str(row.label) for row, _ in bad_rows if row.problem is None
                             and _retired(row, config.labels, item_ids, labels_of))
    report.problems = list(dict.fromkeys(message for _, message in bad_rows))
    report.bad = len(bad_rows)
    if report.problems and not skip_bad_rows:
        listed = report.problems[:_MAX_LISTED]
        more = len(report.problems) - len(listed)
        raise ReviewError(
            f"{path}: {report.bad} bad row(s); nothing imported (fix them, or pass "
            f"{both_spellings('--skip-bad-rows', 'skip_bad_rows=True')} to import the "
            "others):\n  " + "\n  ".join(listed)
            + (f"\n  ... and {more} more" if more else ""))
    bad = {id(row) for row, _ in bad_rows}
    report.notes += pruned_notes(rows, bad, pruned)
    imported_at = (now or datetime.now(UTC)).isoformat()
    decisions = []
    for row in rows:
        if row.skip:
            report.skipped[row.skip] += 1
            first = report.skipped_ids.setdefault(row.skip, Counter())
            named = (row.where if not row.item_id else f"{row.item_id} at {row.where}"
                     if row.skip in NOTHING_CHOSEN else row.item_id)
            if named in first or len(first) < SKIPPED_IDS:
                first[named] += 1
        elif id(row) not in bad:
            decisions.append(ledger.Decision(
                item_id=str(row.item_id), label=str(row.label), reviewer=reviewer,
                annotator=row.annotator, decided_at=row.decided_at, imported_at=imported_at,
                source_file=str(path.resolve()), source_sha256=report.sha256,
                source_row=row.where, run_id=str(row.run_id), format=fmt,
                export=row.export, blind=row.blind))
    report.decisions = len(decisions)
    report.other_text_now = sorted({item for _, item in reviewed_on_other_text(
        decisions, dataset.ids, dataset.texts, config.runs_path, dataset.sha256,
        config.data_columns)})
    if not decisions:
        reasons = "; ".join(f"{n} {why}" for why, n in report.skipped.most_common())
        raise ReviewError(
            f"{path}: no decision in its {report.rows} row(s) read as {fmt}"
            + (f" ({reasons})" if reasons else "")
            + "; nothing imported, and the file is not recorded as imported, so it can be "
              f"imported again (with the right {both_spellings('--format', 'fmt=')}, or "
              "once it holds decisions)")
    report.redecided = len(decisions) - len({(d.item_id, d.rater, d.export) for d in decisions})
    # the checks read the ledger, and another import may append to it meanwhile: the write
    # goes through only if the ledger still holds what they read (else they run again), so
    # a decision is never filed twice or past the --relabel check
    for _ in range(LEDGER_RETRIES):
        # read as runs read them: a re-import of an old file is no change of label
        before, _ = read_renamed(ledger.read_decisions(path_of_ledger), dict(config.renamed))
        to_add = _to_add(decisions, before, report, path=path, reviewer=reviewer,
                         relabel=relabel, independent=independent, config=config,
                         dataset=dataset, names=_names(rows, config))
        if to_add is None:
            _pair_rater_ids(report, rows, before, config=config, imported_at=imported_at)
            return report
        try:
            report.added = ledger.append(path_of_ledger, to_add, sha256=report.sha256,
                                         reviewer=reviewer, source_file=str(path.resolve()),
                                         fmt=fmt, imported_at=imported_at,
                                         expect=len(before))
        except ledger.ImportedByOther as exc:  # by another import at the same time
            raise _imported_by_other(path, report.sha256, exc.reviewer, exc.imported_at,
                                     reviewer, fmt) from None
        except ledger.LedgerChanged:
            continue
        report.raters = Counter(d.rater for d in to_add)
        report.label_gap_warnings = gap_warnings(
            run_label_gaps(to_add, config.labels, dict(config.renamed), config.runs_path),
            config.labels, "imported")
        _pair_rater_ids(report, rows, before, config=config, imported_at=imported_at)
        return report
    raise ReviewError(f"{path}: the review ledger kept changing while this file was "
                      f"checked against it ({LEDGER_RETRIES} tries: other imports at the same "
                      "time); nothing imported: import it again")


def _pair_rater_ids(report: ImportReport, rows: list[Row], before: list[ledger.Decision], *,
                    config: ProjectConfig, imported_at: str) -> None:
    """Remember the Label Studio user ids the file shows with an email, and say in
    ``report.notes`` which rater each id the file names counts as
    (:mod:`~labelwright.review.rater_ids`)."""
    if not any(row.rater_id for row in rows):
        return
    path_of_ledger = ledger.ledger_path(config.root)
    pairs, known = rater_ids.file_pairs(rows), rater_ids.known_pairs(path_of_ledger)
    rater_ids.remember(path_of_ledger, pairs, sha256=report.sha256, imported_at=imported_at)
    report.notes += rater_ids.import_notes(
        rows, report.raters, before=known,
        now=rater_ids.merged(known, pairs),
        in_ledger=Counter(d.rater for d in before), same_rater=dict(config.review.same_rater))


def _names(rows: list[Row], config: ProjectConfig) -> dict[str, str]:
    """The raters that count as another (:func:`~labelwright.review.raters.rater_names`),
    with the Label Studio ids the ledger and this file pair with an email: a cumulative
    export that names a user the other way holds the same annotations."""
    both = rater_ids.merged(rater_ids.known_pairs(ledger.ledger_path(config.root)),
                            rater_ids.file_pairs(rows))
    return rater_names(dict(config.review.same_rater), rater_ids.paired(both))


def _to_add(parsed: list[ledger.Decision], before: list[ledger.Decision],
            report: ImportReport, *, path: Path, reviewer: str, relabel: bool,
            config: ProjectConfig, dataset: Dataset, independent: bool = False,
            names: Mapping[str, str] | None = None) -> list[ledger.Decision] | None:
    """The decisions of the file to append to a ledger that holds ``before``; None when
    the file was imported already and brings nothing new. Fills ``report``; raises
    :class:`ReviewError` for a change of label without ``relabel``. ``names``: raters that
    count as another (:func:`_names`), for what the ledger holds already."""
    decisions = parsed
    if ledger.already_imported(ledger.ledger_path(config.root), report.sha256, reviewer):
        # rows skipped as bad then (--skip-bad-rows) may be good now: a label added since
        held = {(d.source_row, d.reviewer, d.annotator) for d in before
                if d.source_sha256 == report.sha256}
        decisions = [d for d in decisions if (d.source_row, d.reviewer, d.annotator) not in held]
        # (a dated decision an earlier file brought was passed over then, and is now)
        report.completed = len(repeats.not_in(before, decisions, names))
        report.already_imported = not report.completed
        if report.already_imported:
            return None
    lookalike = lookalike_raters(decisions, before, path=path, fmt=report.format,
                                  adjudicators=config.review.adjudicators,
                                  tied=config.review.same_rater)
    if lookalike is not None:
        raise ReviewError(lookalike)
    # what the ledger holds already (a cumulative export) is no decision of this import:
    # set aside first, so that it is not taken for a change of label either
    new = repeats.not_in(before, decisions, names)
    report.in_ledger = len(decisions) - len(new)
    shared = None if independent else repeats.shared_sheet(before, new, reviewer)
    if shared is not None:
        rater, count, overlap, total = shared
        also = (f" ({overlap} of its {total} decisions repeat those of {rater!r}, at the same "
                "rows)" if overlap > count else "")
        raise ReviewError(
            f"{path}: repeats, row for row, all {count} decision(s) {rater!r} imported from "
            f"one file{also}; nothing imported. If this is the sheet {rater!r} filled "
            f"in, importing it as {reviewer!r} would file the decisions of {rater!r} as "
            f"those of {reviewer!r} too (a second rater in perfect agreement): import a copy "
            f"holding only the rows of {reviewer!r}, or put each person's name in the reviewer "
            f"column. If {reviewer!r} reviewed a separate copy and agrees with every one of "
            f"them, pass {both_spellings('--independent', 'independent=True')}")
    # a decision made on a text the item no longer has is not used by runs; a review of
    # the new text is a first review, not a change of label
    aside = reviewed_on_other_text(before, dataset.ids, dataset.texts, config.runs_path,
                                   dataset.sha256, config.data_columns)
    # a retired decision is withdrawn: a new one on its item is no change of label
    withdrawn = retired(read_retirements(ledger.ledger_path(config.root)))
    report.relabeled = repeats.relabeled(
        [d for k, d in enumerate(before)
         if (d.run_id, d.item_id) not in aside and k not in withdrawn], new)
    if report.relabeled and not relabel:
        listed = [f"{item} by {rater}: {old} -> {label}"
                  for item, rater, old, label in report.relabeled[:_MAX_LISTED]]
        more = len(report.relabeled) - len(listed)
        raise ReviewError(
            f"{path}: {len(report.relabeled)} decision(s) change a label the same rater gave "
            "before; nothing imported. If they are corrections, pass "
            f"{both_spellings('--relabel', 'relabel=True')}; if the file is another person's, "
            f"import it with their own {both_spellings('--reviewer', 'reviewer=')} (the "
            "ledger is append-only, so a decision filed under the wrong name stays):\n  "
            + "\n  ".join(listed) + (f"\n  ... and {more} more" if more else ""))
    return new


def _imported_by_other(path: Path, sha256: str, who: str, when: str, reviewer: str,
                       fmt: str) -> ReviewError:
    if fmt in ("csv", "jsonl"):
        identical = ("put each one's name in the review file's reviewer column (the files "
                     "then differ and each decision names its rater)")
    else:  # the tool's own export: its annotator field, not a column the user adds
        identical = ("export each one's work from the tool under their own account (the "
                     "files then differ, and where the tool names the annotator each "
                     "decision names its rater)")
    return ReviewError(
        f"{path}: this file (sha256 {sha256[:12]}) was imported as {who!r} on {when[:19]}; "
        f"importing it again as {reviewer!r} would count the same decisions as a second "
        "rater's; nothing imported. Import each person's own export under their name; if two "
        f"people really gave identical answers in identical files, {identical}")
