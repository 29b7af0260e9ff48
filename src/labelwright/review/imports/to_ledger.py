"""What an import adds to the review ledger (:mod:`~labelwright.review.imports.file`): the
file's decisions the ledger does not hold yet, refused when they would change a label a
rater gave before, repeat another rater's sheet row for row, or file the decisions of a
rater under another's name; and the raters a tool names by user id."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path

from labelwright.config import ProjectConfig
from labelwright.errors import ReviewError, both_spellings
from labelwright.review.decisions import ledger, rater_ids
from labelwright.review.decisions.decided_texts import reviewed_on_other_text
from labelwright.review.decisions.raters import lookalike_raters, rater_names
from labelwright.review.decisions.retirements import read_retirements, retired
from labelwright.review.imports import repeats
from labelwright.review.imports.items import ImportItems
from labelwright.review.imports.readers import Row
from labelwright.review.imports.report import ImportReport

_MAX_LISTED = 20


def importer_words(who: str) -> str:
    """How a message names the importer ``who``: ``as 'alice'``, or ``without --reviewer``."""
    return "without --reviewer" if who == ledger.NO_IMPORTER else f"as {who!r}"


def _pair_rater_ids(report: ImportReport, rows: list[Row], before: list[ledger.Decision], *,
                    config: ProjectConfig, imported_at: str) -> None:
    """Remember the Label Studio user ids the file shows with an email, and say in
    ``report.notes`` which rater each id the file names counts as
    (:mod:`~labelwright.review.decisions.rater_ids`)."""
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
    """The raters that count as another (:func:`~labelwright.review.decisions.raters.rater_names`),
    with the Label Studio ids the ledger and this file pair with an email: a cumulative
    export that names a user the other way holds the same annotations."""
    both = rater_ids.merged(rater_ids.known_pairs(ledger.ledger_path(config.root)),
                            rater_ids.file_pairs(rows))
    return rater_names(dict(config.review.same_rater), rater_ids.paired(both))


def _said_again(held: list[ledger.Decision]) -> list[ledger.Decision]:
    """Of ``held``, decisions the ledger does not hold yet (:func:`~labelwright.review.
    repeats.not_in`) that a file imported before brought then, the undated ones, which it
    gives again as new decisions: a label the rater has changed since, which the file gives
    back (Argilla's export has no times, so its re-export after a label changed back is the
    first export byte for byte). The ledger holds one decision per row of a file, so each
    is named as that row said again on its import's day."""
    return [replace(d, source_row=f"{d.source_row}, again on {d.imported_at[:19]}")
            for d in held if not d.decided_at]


def _notes_not_kept(repeated: list[ledger.Decision], before: list[ledger.Decision]
                    ) -> list[str]:
    """The item ids of ``repeated`` (decisions the ledger holds already, not added again)
    whose note the ledger's decision does not hold: a note written into a sheet after its
    decisions were imported is not recorded (the ledger only appends), and the import says
    so rather than drop it without a word."""
    held = {(d.item_id, d.rater, d.label, d.note or "") for d in before}
    return [d.item_id for d in repeated
            if d.note and (d.item_id, d.rater, d.label, d.note) not in held]


def _to_add(parsed: list[ledger.Decision], before: list[ledger.Decision],
            report: ImportReport, *, path: Path, reviewer: str, relabel: bool,
            config: ProjectConfig, dataset: ImportItems, independent: bool = False,
            names: Mapping[str, str] | None = None,
            sample_unnamed: Collection[tuple[str, str]] = ()) -> list[ledger.Decision] | None:
    """The decisions of the file to append to a ledger that holds ``before``; None when
    the file was imported already and brings nothing new. Fills ``report``; raises
    :class:`ReviewError` for a change of label without ``relabel``. ``names``: raters that
    count as another (:func:`_names`), for what the ledger holds already;
    ``sample_unnamed``: as :func:`~labelwright.review.imports.repeats.not_in` takes it."""
    decisions = parsed
    # what the ledger holds already (a cumulative export) is no decision of this import:
    # set aside first, so that it is not taken for a change of label either
    new = repeats.not_in(before, parsed, names, sample_unnamed=sample_unnamed)
    if ledger.already_imported(ledger.ledger_path(config.root), report.sha256, reviewer):
        # rows skipped as bad then (--skip-bad-rows) may be good now: a label added since
        held = {(d.source_row, d.reviewer, d.annotator) for d in before
                if d.source_sha256 == report.sha256}

        def brought(d: ledger.Decision) -> bool:
            return (d.source_row, d.reviewer, d.annotator) in held

        # (a dated decision an earlier file brought was passed over then, and is now)
        completed = [d for d in new if not brought(d)]
        again = _said_again([d for d in new if brought(d)])
        report.completed = len(completed)
        report.said_again = len(again)
        report.already_imported = not (completed or again)
        if report.already_imported:
            return None
        decisions = [*(d for d in parsed if not brought(d)), *again]
        new = [*completed, *again]  # the same `again` objects: `kept` below finds them by id
    lookalike = lookalike_raters(decisions, before, path=path, fmt=report.format,
                                  adjudicators=config.review.adjudicators,
                                  tied=config.review.same_rater)
    if lookalike is not None:
        raise ReviewError(lookalike)
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
    # a decision the ledger holds already and has retired stays retired: said, by item
    kept = {id(d) for d in new}
    again = [d for d in decisions if id(d) not in kept]
    repeated = {(d.item_id, d.rater) for d in again}
    report.in_ledger_retired = sorted({before[k].item_id for k in withdrawn
                                       if (before[k].item_id, before[k].rater) in repeated})
    report.notes_not_kept = _notes_not_kept(again, before)
    standing = [d for k, d in enumerate(before)
                if (d.run_id, d.item_id) not in aside and k not in withdrawn]
    report.relabeled = repeats.relabeled(standing, new, names)
    if report.relabeled and not relabel:
        sources = repeats.relabeled_from(standing, new, names)
        listed = [f"{item} by {rater}: {old} -> {label}"
                  + _changed_from(*sources[item, rater])
                  for item, rater, old, label in report.relabeled[:_MAX_LISTED]]
        more = len(report.relabeled) - len(listed)
        raise ReviewError(
            f"{path}: {len(report.relabeled)} decision(s) change a label the same rater gave "
            "before; nothing imported. If they are corrections, pass "
            f"{both_spellings('--relabel', 'relabel=True')}; if the file is another person's, "
            f"import it with their own {both_spellings('--reviewer', 'reviewer=')} (the "
            "ledger is append-only, so a decision filed under the wrong name stays):\n  "
            + "\n  ".join(listed) + (f"\n  ... and {more} more" if more else "")
            + (f"\n  (this file was imported before: {report.said_again} of its decisions "
               "give back a label their rater has changed since, as a tool whose export has "
               "no times, Argilla's, gives a label changed back; an old file imported again "
               "by mistake would too)" if report.said_again else "")
            + _two_exports_note(report.relabeled, sources))
    return new


def _export_said(export: str) -> str:
    # "": a file that named neither, or an item neither export of the run held
    return {"queue": "the queue export", "sample": "the random sample export"}.get(
        export, "no known export")


def _changed_from(old: ledger.Decision, new: ledger.Decision) -> str:
    """Where the label a file changes came from, and where the new one is: ``(fraud_suspect:
    the queue export of run R, line 3 of q.jsonl imported on 2026-12-05; routine: the random
    sample export of run R, line 4 here)``. A refusal that showed only the labels hid that
    the rater had decided one item in two of the run's exports."""
    return (f" ({old.label}: {_export_said(old.export)} of run {old.run_id}, "
            f"{old.source_row} of {Path(old.source_file).name} imported on "
            f"{old.imported_at[:10]}; {new.label}: {_export_said(new.export)} of run "
            f"{new.run_id}, {new.source_row} here)")


def _two_exports_note(changes: list[tuple[str, str, str, str]],
                      sources: Mapping[tuple[str, str], tuple[ledger.Decision, ledger.Decision]]
                      ) -> str:
    """What to make of changes whose two decisions come from different exports of a run
    (the queue and the random sample), or from the exports of two runs (the item came back
    in a later run's queue: a disputed item, say); "" when none does."""
    pairs = [pair for item, rater, _, _ in changes
             if (pair := sources.get((item, rater))) is not None]
    crossed = sum(1 for old, new in pairs if old.run_id == new.run_id
                  # (no export and the queue's are one: repeats.matched_export)
                  and repeats.matched_export(old.export) != repeats.matched_export(new.export))
    later = sum(1 for old, new in pairs if old.run_id != new.run_id)
    notes = []
    if crossed:
        notes.append(f"{crossed} of them decide an item the rater decided before in another "
                     "of the run's exports: an item drawn into both the queue and the random "
                     "sample, reviewed once in each (two tool projects, say), with two "
                     "labels; the latest decision counts, so settle which label the item has, "
                     f"and pass {both_spellings('--relabel', 'relabel=True')} only if this "
                     "file's is it")
    if later:
        notes.append(f"{later} of them decide again an item the rater decided on an earlier "
                     "run's export, which came back in a later run's (a disputed item, "
                     "say): if the rater changed their mind, pass "
                     f"{both_spellings('--relabel', 'relabel=True')}")
    return "".join(f"\n  ({note})" for note in notes)


def named_and_held(rows: list[Row], before: list[ledger.Decision], sha256: str
                   ) -> bool | None:
    """For a file another importer brought (``sha256``; ``before``: the ledger's
    decisions), whether each of its decisions names its rater (a tool's annotator, a
    reviewer column) and the ledger holds them all (True: importing it again adds nothing,
    whoever imports it), or names every rater but the ledger lacks some (False: rows bad at
    its import); None when a decision takes its rater from ``--reviewer``, so another
    importer would file the decisions as a second rater's. A decision is held when it was
    filed from this file's row, or is one the ledger held before from another file
    (:func:`~labelwright.review.imports.repeats.not_in`): a tool's cumulative export
    brought only its new annotations, and its first importer would add nothing either."""
    deciding = [row for row in rows if not row.skip]
    if not deciding or any(not row.annotator for row in deciding):
        return None
    filed = {(d.source_row, d.annotator) for d in before if d.source_sha256 == sha256}
    elsewhere = [ledger.Decision(
        item_id=str(row.item_id), label=str(row.label), reviewer="", annotator=row.annotator,
        decided_at=row.decided_at, imported_at="", source_file="", source_sha256=sha256,
        source_row=row.where, run_id=str(row.run_id), format="", export=row.export)
        for row in deciding if (row.where, row.annotator) not in filed]
    return not repeats.not_in(before, elsewhere)


def _imported_by_other(path: Path, sha256: str, who: str, when: str, reviewer: str,
                       fmt: str, *, named: bool | None = None) -> ReviewError:
    if named is False:  # every decision names its rater: no second rater, but rows left
        return ReviewError(
            f"{path}: this file (sha256 {sha256[:12]}) was imported {importer_words(who)} on "
            f"{when[:19]}, and every decision in it names its rater; the ledger lacks some "
            "of them (rows that were bad then, a label added since), and a file is "
            f"completed by its first importer: import it again {importer_words(who)}; "
            "nothing imported")
    if fmt in ("csv", "jsonl"):
        identical = ("put each one's name in the review file's reviewer column (the files "
                     "then differ and each decision names its rater)")
    else:  # the tool's own export: its annotator field, not a column the user adds
        identical = ("export each one's work from the tool under their own account (the "
                     "files then differ, and where the tool names the annotator each "
                     "decision names its rater)")
    return ReviewError(
        f"{path}: this file (sha256 {sha256[:12]}) was imported {importer_words(who)} on "
        f"{when[:19]}; importing it again {importer_words(reviewer)} would count the same "
        "decisions as a second rater's; nothing imported. Import each person's own export "
        "under their name; if two people really gave identical answers in identical files, "
        f"{identical}")
