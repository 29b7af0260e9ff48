"""``labelwright erase --rater NAME``: a reviewer's identity taken out of the review ledger,
on record, with every run still verifiable.

A reviewer (a rater) may ask to be erased as a data subject may. The ledger names raters in
each decision (``reviewer``, ``annotator``), its record of imports and of ``--relabel``
changes, its pairings of Label Studio ids with emails and its ``review retire`` records;
:func:`erase_rater_names` replaces every name given (and the names the ledger pairs with
them) by one pseudonym (``erased-rater-1``, or ``--pseudonym``), so the rater's decisions
still count as one rater's and every run's review counts stay what they were
(:mod:`~labelwright.review.decisions.rater_erasures`: one transaction, on record in the
ledger's ``rater_erasures`` table with the digests each run recorded before and after).
``runs/ERASURES.jsonl`` gets a line first, as for items: who erased, when, why, the
pseudonym and how many decisions, never the names.

The config is the team's own file: erase refuses while ``[review] adjudicators`` or
``same_rater`` names the rater (put the pseudonym there first), as it refuses an item the
data still holds. Each run's ``reviews.json`` and reports name the pseudonym too, on record
with their sha256 before and after (:mod:`~labelwright.runs.erase.rater_files`). What it
does not change and still names the rater -- a run's manifest, kept sources and end model
(each vouched for by a sha256 the record cannot carry), archives of pruned runs, the
reviewer's files the ledger imported, the import paths -- is named after the summary
(:func:`still_named`), with what to do.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.counts import counted, some_of
from labelwright.errors import ProjectBusy, RunError

if TYPE_CHECKING:
    from labelwright.config.schema import ProjectConfig as Config
    from labelwright.runs.erase.changes import FileChange
    from labelwright.runs.erase.records import Erasure

#: what the line on a rater erasure of decisions a run read says (``runs verify`` tells
#: "unchanged" decisions from ones unchanged but for the names it took out)
RATER_LINE = "the ledger's rater_erasures table takes the sha256 the run recorded"
#: why a run's files that still name a rater are left: what erase --rater rewrites
#: (reviews.json, the reports) is recorded with its hashes; the rest is vouched for in ways
#: a record of the runs folder cannot carry
KEPT_RUN_FILES = ("erase --rater rewrites reviews.json and the reports alone: the "
                  "manifest's sha256 is what the next run's manifest, an export's "
                  "provenance and a sha256 kept elsewhere vouch for the run by, the copies "
                  "in sources/ are hashed in it, an end model records its own sha256, and a "
                  "compressed file's bytes are not searched through")
#: what the record's ``command`` says of the names given (never the names themselves)
HIDDEN = "--rater [erased]"


@dataclass
class RaterEraseReport:
    """What :func:`erase_rater_names` changed (or, ``dry_run``, would change)."""

    names: list[str]  # every name replaced: those given and those the ledger pairs with them
    pseudonym: str
    ledger: Path
    decisions: int
    dry_run: bool = False
    written: bool = False
    #: what the erasure does not change that still names the rater, each with what to do
    kept_elsewhere: list[str] = field(default_factory=list)
    #: the runs' files whose naming of the rater it replaces by the pseudonym (each run's
    #: ``reviews.json`` and reports), recorded with their sha256 in ``runs/ERASURES.jsonl``
    changes: list[FileChange] = field(default_factory=list)


def erase_rater_names(project: str | Path = ".", raters: Sequence[str] = (), *,
                      reviewer: str, reason: str, pseudonym: str | None = None,
                      dry_run: bool = False) -> RaterEraseReport:
    """Replace the rater names ``raters`` (one person's) by ``pseudonym`` (by default the
    next ``erased-rater-<n>``) in the review ledger of the project at ``project``, as
    ``labelwright erase --rater`` does; ``dry_run`` writes nothing. Raises
    :class:`~labelwright.errors.RunError` for a name no decision holds, a pseudonym that is
    another rater's name, or a config that still names the rater (nothing is written then)."""
    from labelwright.config import load_config
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import read_decisions
    from labelwright.review.decisions.rater_erasures import (
        erase_rater,
        next_pseudonym,
        paired_names,
        planned,
    )
    from labelwright.review.decisions.retirements import read_retirements, recorded
    from labelwright.runs.erase.changes import write_change
    from labelwright.runs.erase.items import _manifest
    from labelwright.runs.erase.kept import end_model_files
    from labelwright.runs.erase.ledger_notes import ledger_counts
    from labelwright.runs.erase.rater_files import rater_changes
    from labelwright.runs.erase.records import Erasure, record_erasure
    from labelwright.runs.run_folders import list_runs
    from labelwright.runs.run_writer import latest_lock
    from labelwright.runs.staging import being_written
    from labelwright.spelling import did_you_mean

    if not reviewer.strip():
        raise RunError("a reviewer name is required (--reviewer): the erasure's record "
                       "keeps who")
    if not reason.strip():
        raise RunError("a reason is required (--reason): the erasure's record keeps why")
    given = list(dict.fromkeys(r.strip() for r in raters if r.strip()))
    if not given:
        raise RunError("name the rater: --rater NAME (as `labelwright review stats` lists "
                       "raters); nothing erased")
    config = load_config(project)
    runs_dir = config.runs_path
    writing = being_written(runs_dir, "erase when it has finished (it reads the ledger's "
                            "raters); nothing erased")
    if writing and not dry_run:
        raise ProjectBusy(writing)
    path = ledger_path(config.root)
    decisions = read_decisions(path)
    held = {n for d in decisions for n in (d.reviewer, d.annotator) if n} | {
        n for r in read_retirements(path) for n in (r.rater, r.reviewer) if n}
    unknown = [n for n in given if n not in held]
    if unknown:
        raise RunError(f"{counted(len(unknown), 'rater name')} no decision in {path} holds: "
                       + "; ".join(f"{n!r}" + (f" ({g.strip()})" if (
                           g := did_you_mean(n, held)) else "") for n in unknown[:10])
                       + " (`labelwright review stats` lists the raters); nothing erased")
    names = set(given) | paired_names(path, given)
    pseudonym = (pseudonym or "").strip() or next_pseudonym(decisions)
    if pseudonym in held:
        raise RunError(f"--pseudonym {pseudonym!r} is a rater's name in {path} already: "
                       "the erased rater's decisions would count as theirs; choose another; "
                       "nothing erased")
    _refuse_config_names(config, names, pseudonym)
    count = len(planned(decisions, names))
    run_ids = list_runs(runs_dir) if runs_dir.is_dir() else []
    changes = rater_changes(runs_dir, run_ids, names, pseudonym)
    report = RaterEraseReport(sorted(names), pseudonym, path, count, dry_run=dry_run,
                              changes=changes,
                              kept_elsewhere=still_named(config, names, runs_dir, changes))
    if dry_run:
        return report
    manifests = [_manifest(runs_dir / r) for r in run_ids]
    counts = ledger_counts(manifests, [model for _, model in end_model_files(runs_dir, run_ids)])
    retired = {recorded(m.get("reviews") or {}) for m in manifests} - {0}
    runs_dir.mkdir(parents=True, exist_ok=True)
    with latest_lock(runs_dir):  # no run reads the ledger's raters half renamed
        if list_runs(runs_dir) != run_ids:  # one finished since they were read: its files
            raise RunError(f"{runs_dir}: a run finished while the erasure was being "
                           "prepared, and may name the rater; erase again; nothing erased")
        erased_at = datetime.now(UTC).isoformat(timespec="seconds")
        record_erasure(runs_dir, Erasure(
            erased_at, reviewer, reason, f"labelwright erase {HIDDEN} --pseudonym "
            f"{pseudonym}", (), tuple(c.record() for c in changes),
            ledger={"path": str(path), "decisions": count, "rater": pseudonym}))
        for change in changes:
            write_change(change)
        erase_rater(path, names, pseudonym, erased_at=erased_at, reviewer=reviewer,
                    reason=reason, counts=counts, retirement_counts=retired)
    report.written = True
    return report


def _refuse_config_names(config: Config, names: Collection[str], pseudonym: str) -> None:
    """A :class:`~labelwright.errors.RunError` when ``[review] adjudicators`` or
    ``same_rater`` names one of ``names``: the team's file, changed by the team first."""
    review = config.review
    where = [(config.where(("review", "adjudicators")), "[review] adjudicators", n)
             for n in review.adjudicators if n in names]
    where += [(config.where(("review", "same_rater")), "[review] same_rater", n)
              for pair in review.same_rater for n in pair if n in names]
    if where:
        raise RunError("the config still names the rater: " + "; ".join(
            f"{place} ({key}: {name!r})" for place, key, name in where)
            + f"; put {pseudonym!r} in its place first (`--pseudonym {pseudonym}` then "
            "erases with that name), so the rule reads the same decisions; nothing erased")


def still_named(config: Config, names: Collection[str], runs_dir: Path,
                changes: Sequence[FileChange] = ()) -> list[str]:
    """What names the rater and the erasure leaves as it is: each run folder's files
    holding one of ``names`` that ``changes`` (the files ``erase --rater`` rewrites) do
    not take them out of, the archives of pruned runs, the other records in the runs
    folder, the decision tables ``review decisions`` wrote that hold them, the reviewer's
    files the ledger imported and the paths the ledger recorded the imports from."""
    from labelwright.runs.decision_tables import DECISION_TABLES_FILE, read_decision_tables
    from labelwright.runs.recorded_paths import RecordedPaths
    from labelwright.runs.run_folders import list_runs

    needles = list(names)
    after = {c.path: c.new for c in changes}
    lines = []
    for run_id in list_runs(runs_dir) if runs_dir.is_dir() else []:
        files = sorted(p.relative_to(runs_dir / run_id).as_posix()
                       for p in (runs_dir / run_id).rglob("*") if _holds(p, needles)
                       and (p not in after or _left_in(p, after[p], needles)))
        if files:
            lines.append(f"{runs_dir / run_id}: {', '.join(files)} "
                         f"{'holds' if len(files) == 1 else 'hold'} the rater's name "
                         f"({KEPT_RUN_FILES}): prune the run, or keep it where only those "
                         "who may read the names can")
    lines += pruned_archives(runs_dir, needles)
    lines += [f"{p}: holds the rater's name (a record of the runs folder; kept as written)"
              for p in sorted(runs_dir.glob("*")) if p.is_file() and _holds(p, needles)]
    paths = RecordedPaths(config.root, runs_dir)
    tables = {paths.locate(t.file, t.run_id).path for t in read_decision_tables(runs_dir)}
    lines += [f"{path}: a decision table `review decisions` wrote holds the rater's name "
              f"(recorded in {DECISION_TABLES_FILE}; not rewritten): delete it, or write "
              "it again" for path in sorted(tables)
              if runs_dir not in path.parents and _holds(path, needles)]  # else said above
    for source in _imported_files(config, names):
        found = paths.locate(source).path
        if found.is_file():
            lines.append(f"{found}: a review file of the rater the ledger imported (the "
                         "reviewer's own work, not rewritten; the ledger keeps its "
                         "sha256): delete it, or keep it apart")
    lines += _ledger_leftovers(config, names)
    return lines


def _left_in(path: Path, new: bytes | None, names: Collection[str]) -> bool:
    """Whether ``new``, the bytes erase writes to ``path``, still names one of ``names`` as
    a rater (:func:`~labelwright.runs.erase.rater_files.names_rater`)."""
    import tempfile

    from labelwright.runs.erase.rater_files import names_rater, searched_bytes

    forms = searched_bytes(names)
    if new is None or not any(form in new for form in forms):
        return False
    with tempfile.TemporaryDirectory() as folder:
        written = Path(folder) / path.name  # read as its kind, as the file will be
        written.write_bytes(new)
        return names_rater(written, names)


def pruned_archives(runs_dir: Path, needles: Sequence[str]) -> list[str]:
    """A line for each archive of a pruned run (``runs/pruned/<run_id>/``, kept by ``runs
    prune --keep-manifests``) whose files hold one of ``needles``, found by the folder, not
    by ``runs/PRUNED.jsonl``: an archive that record no longer names (it was deleted or
    edited) is named all the same, and says so."""
    from labelwright.errors import RunError
    from labelwright.runs.pruned import ARCHIVE_FOLDER, PRUNED_FILE, read_pruned

    folder = runs_dir / ARCHIVE_FOLDER
    if not folder.is_dir():
        return []
    try:
        recorded = {r.archive for r in read_pruned(runs_dir).values() if r.archive}
    except RunError:
        recorded = set()
    lines = []
    for archive in sorted(p for p in folder.iterdir() if p.is_dir()):
        files = sorted(p.relative_to(archive).as_posix()
                       for p in archive.rglob("*") if _holds(p, needles))
        if not files:
            continue
        unrecorded = archive.relative_to(runs_dir).as_posix() not in recorded
        lines.append(f"{archive}: {', '.join(files)} of the archive of a pruned run "
                     f"{'holds' if len(files) == 1 else 'hold'} the rater's name (its "
                     "manifest's sha256 vouches for it)" + (
                         f"; runs/{PRUNED_FILE} does not record this archive (the record "
                         "was deleted or edited?)" if unrecorded else "")
                     + ": delete the archive, or keep it where only those who may read "
                     "the names can")
    return lines


def _holds(path: Path, names: Collection[str]) -> bool:
    """Whether the file at ``path`` names one of ``names`` as a rater, where a file names
    raters (:func:`~labelwright.runs.erase.rater_files.holds_rater_name`): the same letters
    as a label, a key or an item's words are no rater (a rater named ``label``)."""
    from labelwright.runs.erase.rater_files import holds_rater_name

    return path.is_file() and holds_rater_name(path, names)


def _imported_files(config: Config, names: Collection[str]) -> list[str]:
    """The source files of the decisions that name the rater, as the ledger records them."""
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import read_decisions

    return sorted({d.source_file for d in read_decisions(ledger_path(config.root))
                   if d.reviewer in names or d.annotator in names})


def _ledger_leftovers(config: Config, names: Collection[str]) -> list[str]:
    """The ledger's import paths that name the rater."""
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.ledger_reading import read_decisions

    path = ledger_path(config.root)
    paths = {d.source_file for d in read_decisions(path)
             if any(_path_names(d.source_file, n) for n in names)}
    return [f"{path}: the paths the ledger recorded {counted(len(paths), 'file')} imported "
            f"from hold the rater's name ({some_of(sorted(paths))}); kept: each is where "
            "the decision's file was (the ledger keeps its sha256 beside it), and a name in "
            "a path cannot be told from the same word meant otherwise (review/label.csv), "
            "so erase cannot replace it soundly"] if paths else []


def _path_names(path: str, name: str) -> bool:
    """Whether the file path ``path`` holds ``name`` whole: a folder or file name, the
    file's name without its suffix, or a part of one between ``/ . _ -`` and spaces
    (``review/erin.csv``, ``queue-erin.csv``; never ``offering.csv``)."""
    import re

    parts = [p for p in re.split(r"[/\\]", path) if p]
    if name in parts or name in {p.rsplit(".", 1)[0] for p in parts}:
        return True
    return name in {t for p in parts for t in re.split(r"[._\s-]+", p) if t}


def rater_note(erasure: Erasure, manifest: dict[str, Any]) -> list[str]:
    """``runs verify``'s line on a rater erasure that renamed decisions the run read: when
    the ledger's ``rater_erasures`` table leads from the digest the run recorded ([]
    otherwise, or for an erasure of items: the ledger check says the rest)."""
    from labelwright.review.decisions.rater_erasures import read_rater_erasures
    from labelwright.runs.erase.ledger_notes import erasure_row
    from labelwright.runs.erase.records import ERASURES_FILE

    found = (erasure_row(erasure, manifest, read_rater_erasures)
             if (erasure.ledger or {}).get("rater") else None)
    if found is None:
        return []
    row, path, count = found
    return [f"{path.name}: {row.describe()}, the rater of some of the {count:,} decisions "
            f"it read; {RATER_LINE} to theirs after the erasure (the ledger check accepts "
            "that change, and no other), as "
            f"{ERASURES_FILE} line {erasure.line} records"]
