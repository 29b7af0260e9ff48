"""Commands: ``review export``, ``review import``, ``review stats`` and ``review decisions``
(``review retire`` is
:mod:`~labelwright.cli.review_retire`; ``export``, the training set, is
:mod:`~labelwright.cli.training_export`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from labelwright.cli.options import DataPath, OnceGroup, ProjectDir, Run, RunOption, either_run
from labelwright.cli.output import make_console, score_text, tagged, warning
from labelwright.counts import counted, some_of
from labelwright.percent import percent
from labelwright.startup import import_spacy

if TYPE_CHECKING:
    from labelwright.review.stats.agreement import AuditAccuracy
    from labelwright.review.stats.anchoring import Anchoring
    from labelwright.review.stats.run_accuracy import RunAccuracy
    from labelwright.review.stats.summary import ReviewStats

review_app = typer.Typer(
    cls=OnceGroup,
    help="The human review loop: export the review queue to a review tool, import the "
    "decisions, measure agreement.",
    no_args_is_help=True,
)
console = make_console()
err = make_console(stderr=True)


def _interval(low: float, high: float) -> str:
    """``20.7%–100.0%``; one ``—`` when there is none (nothing reviewed), not ``—–—``."""
    if percent(low) == "—" and percent(high) == "—":
        return "—"
    return f"{percent(low)}–{percent(high)}"


@review_app.command("export")
def review_export(
    run: Run = None,
    run_option: RunOption = None,
    fmt: Annotated[str, typer.Option(
        "--format", "-f",
        help="csv, jsonl, label-studio, prodigy, doccano or argilla.")] = "csv",
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="File to write (default: in the run folder).")] = None,
    budget: Annotated[str | None, typer.Option(
        "--budget", help="Keep the head of the queue: a count (50), fraction (0.1) or 10%.")
    ] = None,
    sample: Annotated[bool, typer.Option(
        "--sample", help="Export the run's random sample of all items ([triage] "
        "random_sample) instead of the queue: reviews of it let auto choose and calibrate.")
    ] = False,
    blind: Annotated[bool, typer.Option(
        "--blind", help="Leave out the suggestion, confidence, reasons, LF votes and glossary "
        "terms: reviewers decide from the text alone (an unbiased audit of --sample).")
    ] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite a review file at the path that holds decisions not "
        "imported yet (refused without it).")] = False,
    reason: Annotated[list[str] | None, typer.Option(
        "--reason", help="Keep the queue's items with this reason (repeat for several): "
        "disputed, copies_disagree, stale, second_opinion, conflict, low_confidence, "
        "against_votes, unread, uncovered or audit; before --budget.")] = None,
    skip_reviewed_by: Annotated[str | None, typer.Option(
        "--skip-reviewed-by", help="Leave out the items this rater has a decision on "
        "(retired ones aside), as review stats lists raters: their next export holds only "
        "items new to them; before --budget.")] = None,
    excel: Annotated[bool, typer.Option(
        "--excel", help="With --format csv: UTF-8 with a byte-order mark and ';' between "
        "cells, which Excel in a German (or other comma-decimal) locale opens by double-click "
        "in columns, umlauts intact; review import reads it back.")] = False,
    project: ProjectDir = Path("."),
) -> None:
    """Export a run's review queue for a review tool; every record keeps its item and run id."""
    run = either_run(run, run_option, project)
    from labelwright.config import load_config
    from labelwright.review.queue.budget import parse_budget
    from labelwright.review.queue.export import export_review
    from labelwright.runs.label_set import review_export_warning
    from labelwright.runs.manifest import read_manifest
    from labelwright.runs.store import resolve_run

    config = load_config(project)
    run_dir = resolve_run(config.runs_path, run, project=config)
    try:
        limit = parse_budget(budget) if budget is not None else None
        exported = export_review(run_dir, fmt, out, budget=limit, sample=sample, blind=blind,
                                 config=config, force=force, reasons=reason,
                                 skip_reviewed_by=skip_reviewed_by, excel=excel)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    written, queued, kept = exported.files, exported.queued, exported.exported
    old_labels = review_export_warning(config, read_manifest(run_dir), fmt)
    if old_labels is not None:
        warning(err, old_labels)
    what = ("randomly sampled" if sample else
            f"queued ({' or '.join(reason)})" if reason else "queued")
    console.print(f"{kept} of {counted(queued, what + ' item')} from run {run_dir.name} as {fmt}"
                  + copies_said(exported.copies, carried=exported.carried,
                                texts=exported.texts, exported=kept,
                                column=exported.copies_column)
                  + (", blind (the text alone):" if blind else ":"))
    for path in written:
        console.print(f"  wrote {path}")
    if exported.erased:
        console.print(f"  left out {counted(exported.erased, 'item')} erased since the run "
                      "(`labelwright erase`: deleted from the data)", highlight=False)
    if exported.unwritten:
        warning(err, exported.unwritten)
    if exported.long_cells:
        from labelwright.review.queue.cell_limit import long_cells_warning

        warning(err, long_cells_warning(written[0], exported.long_cells))
    if exported.skipped_reviewed:
        console.print(f"  left out {counted(exported.skipped_reviewed, 'item')} "
                      f"{skip_reviewed_by} has a decision on (--skip-reviewed-by)",
                      highlight=False)
    if exported.skipped_as is not None:
        console.print(f"  {skip_reviewed_by} counts as {exported.skipped_as} ([review] "
                      "same_rater, or a Label Studio export that paired the id with an email): "
                      f"the decisions of every name of {exported.skipped_as} count",
                      highlight=False)
    if not kept:
        # the files are still written: an earlier export at the same path, left in place,
        # would be loaded into the tool again; and an empty queue is no failure of the
        # command (a script exporting after every run goes on)
        why = (f"--budget {budget} keeps none of the {counted(queued, what + ' item')}" if queued
               else f"the random sample of run {run_dir.name} is empty" if sample
               else f"run {run_dir.name} queued no item for {' or '.join(reason)}" if reason
               else f"run {run_dir.name} queued no items (none needs review: each is "
                    "accepted or reviewed already, and no audit sample was drawn)")
        warning(err, f"nothing exported: {why}; the file(s) hold no records, so there is "
                     "nothing to load into a review tool (Argilla's records.log refuses an "
                     "empty list)")


def copies_said(copies: int | None, *, carried: bool, texts: int | None = None,
                exported: int = 0, column: int | None = None) -> str:
    """How many items not exported share the exported items' texts (each counted once):
    ``carried``, the copies the reviews will be carried to (the queue, ``[review] copies =
    "one"``); else only a count. With ``texts`` fewer than ``exported`` records (a sample
    or the audit drew several items of one text), the different texts are said, and why
    the records' ``copies`` add up to ``column``, more than ``copies``."""
    if not copies:
        return ""
    lead = (f"{texts:,} different text{'s' * (texts != 1)}, "
            if texts is not None and texts < exported else "")
    tail = (f"; the records' copies add up to {column:,}, as each counts every other item "
            "of its text, exported or not" if column is not None and column != copies else "")
    if not carried:
        return (f" ({lead}{'shared' if lead else 'their texts are shared'} by {copies:,} "
                f"other item{'s' * (copies != 1)}{' not exported' if lead else ''}{tail})")
    return (f" ({lead}standing for {copies:,} more item{'s' * (copies != 1)} with the same "
            "text, which take their reviewed labels at the next run; texts reviewed with "
            f"different labels take the one the review policy settles on{tail})")


@review_app.command("import")
def review_import(
    file: Annotated[Path, typer.Argument(help="The review tool's export.")],
    reviewer: Annotated[str, typer.Option("--reviewer", "-r", help="Who reviewed (or imports).")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f",
        help="label-studio, prodigy, doccano, csv, jsonl or argilla (default: guessed).")] = None,
    skip_bad_rows: Annotated[bool, typer.Option(
        "--skip-bad-rows", help="Import the good rows of a file that has bad ones.")] = False,
    relabel: Annotated[bool, typer.Option(
        "--relabel", help="Allow decisions that change a label the same rater gave before "
                          "(corrections).")] = False,
    independent: Annotated[bool, typer.Option(
        "--independent", help="The reviewer filled in a separate copy of a sheet another "
                              "rater imported, and repeats every one of their decisions.")
    ] = False,
    for_adjudicator: Annotated[bool, typer.Option(
        "--for-adjudicator", help="Import decisions the file files under an adjudicator "
                                  "([review] adjudicators) though --reviewer is someone else "
                                  "(refused without it); explain and review stats name the "
                                  "importer.")] = False,
    project: ProjectDir = Path("."),
    data: DataPath = None,
) -> None:
    """Check a file of reviewed labels and append its decisions to reviews.sqlite."""
    from labelwright.review.imports.file import IMPORT_FORMATS, import_file

    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise typer.BadParameter(f"{fmt!r}; valid: {', '.join(IMPORT_FORMATS)}",
                                 param_hint="--format")
    if not reviewer.strip():
        raise typer.BadParameter("a reviewer name is required, not an empty one",
                                 param_hint="--reviewer")
    report = import_file(project, file, reviewer=reviewer, fmt=fmt, skip_bad_rows=skip_bad_rows,
                         relabel=relabel, independent=independent, data=data,
                         for_adjudicator=for_adjudicator)
    for problem in report.problems:
        tagged(err, "skipped", "yellow", problem)
    if (unread := report.unread_warning()) is not None:
        warning(err, unread)
    if report.retired:
        warning(err, f"{file}: {report.retired.total()} of the {report.bad} skipped row(s) "
                     "carry label(s) the project no longer has ("
                     + ", ".join(f"{label!r}: {n}" for label, n in report.retired.items())
                     + "): what was imported is the rest of the file, a one-sided part of "
                       "its decisions; if a label was renamed, name it in [project] renamed "
                       "and import the file again (the rows skipped now are added then)")
    if report.renamed:
        console.print("  row(s) with an old label name, read as its current name ([project] "
                      "renamed): " + ", ".join(f"{old!r} ({n})"
                                                for old, n in report.renamed.items()))
    if report.padded:
        where, written = report.padded[0]
        n = len(report.padded)
        warning(err, f"{file}: {counted(n, 'label')} had spaces around "
                     f"{'it' if n == 1 else 'them'} (first: {where}, {written!r}); read as "
                     "the label without them")
    for reason, count in sorted(report.skipped.items()):
        first = report.skipped_ids.get(reason, Counter())
        console.print(f"  {count} row(s) not decisions: {reason} ({_ids_once(first)}"
                      + (", ...)" if count > first.total() else ")"))
    if report.already_imported:
        console.print(f"{file}: already imported by {reviewer} (sha256 {report.sha256[:12]}); "
                      "nothing added")
        for note in report.notes:
            console.print(f"  {note}")
        return
    console.print(f"{file} ({report.format}): {report.added} decision(s) added to the ledger "
                  f"({report.rows} rows, {report.bad} bad)")
    named = {rater: n for rater, n in report.raters.items() if rater != reviewer}
    if named:
        console.print("  recorded under the rater(s) the file names: "
                      + ", ".join(f"{rater} ({n})" for rater, n in sorted(named.items()))
                      + (f", and {reviewer} ({report.raters[reviewer]}, whose rows name no "
                         "annotator)" if report.raters[reviewer] else "")
                      + f"; a rater is the tool's annotator when the file names one, and "
                        f"--reviewer {reviewer} is recorded as who imported them")
    for note in report.notes:
        console.print(f"  {note}")
    if report.for_adjudicators:
        from labelwright.review.imports.adjudicators import import_warning

        warning(err, import_warning(file, reviewer, report.for_adjudicators))
    if report.cut_texts:
        cut = report.cut_texts
        were = "was" if len(cut) == 1 else "were"
        warning(err, f"{file}: {counted(len(cut), 'decision')} {were} made on a cut text "
                     "(Excel cuts a cell to 32,767 characters when it saves), their "
                     "reviewers shown only its start: "
                     f"{some_of([f'{item!r} ({shown})' for item, shown in cut])}; recorded "
                     "so in the ledger (`labelwright explain ID` shows it); review them in a "
                     "tool that shows the whole text where the rest matters")
    if report.other_text_now:
        warning(err, f"{file}: {len(report.other_text_now)} decision(s) were made on a "
                     "text the item no longer has in the data (the run they were exported "
                     "from showed another), so runs will not use them: "
                     f"{some_of([repr(i) for i in report.other_text_now])}; review them again "
                     "on the text they have now (labelwright explain ID shows the decisions)")
    for message in [*report.label_gap_warnings, *report.clock_warnings,
                    *report.second_opinion_warnings]:
        warning(err, f"{file}: {message}")
    if report.completed:
        console.print(f"  the file was imported before; {report.completed} of its decisions "
                      "were not (their rows were bad then) and are now")
    if report.said_again:
        console.print(f"  the file was imported before (sha256 {report.sha256[:12]}); "
                      f"{report.said_again} of its decisions give a label their rater has "
                      "changed since (a label changed back; the file gives no times) and are "
                      "new decisions")
    if report.relabeled:
        console.print(f"  {len(report.relabeled)} decision(s) change a label the same rater "
                      "gave before (--relabel); each rater's latest decision counts")
    if report.redecided:
        console.print(f"  {report.redecided} decision(s) replaced by the same rater's later "
                      "decision in this file")
    if report.in_ledger:
        console.print(f"  {report.in_ledger} decision(s) already in the ledger from an earlier "
                      "import (a tool's exports, and a review file filled in further, are "
                      "cumulative; a decision of a session that names no one counts as the "
                      "same decision whoever imported it): not added again")
    if report.notes_not_kept:
        warning(err, f"{file}: {counted(len(report.notes_not_kept), 'note')} on decisions "
                     f"already in the ledger not recorded "
                     f"({some_of([repr(i) for i in report.notes_not_kept])}): a decision keeps "
                     "what it was imported with (the ledger only appends), so a note written "
                     "in after its import is not added to it")
    if report.in_ledger_retired:
        retired_ids = some_of([repr(i) for i in report.in_ledger_retired])
        console.print(f"  of them, the decisions on "
                      f"{counted(len(report.in_ledger_retired), 'item')} are retired and stay "
                      f"so ({retired_ids}); `labelwright review retire --undo --item ID` "
                      "brings one back", highlight=False)


@review_app.command("decisions")
def review_decisions_command(
    run: Run = None,
    run_option: RunOption = None,
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="The CSV file to write: one row per decision.")] = Path(
        "decisions.csv"),
    project: ProjectDir = Path("."),
) -> None:
    """Write every review decision on a run's items, with how each item settled, to a CSV:
    the audit table (who decided, who imported, file, row and sha256, blind, retired)."""
    run = either_run(run, run_option, project)
    from labelwright.runs.decision_audit import write_decision_audit

    audit, out = write_decision_audit(project, run, out)
    for message in audit.warnings:
        warning(err, message)
    frame = audit.frame
    unused = int((frame["used_by_run"] != "yes").sum())
    others = int(((frame["imported_by"] != frame["rater"])
                  & (frame["imported_by"] != frame["counted_as"])).sum())
    console.print(f"wrote {counted(len(frame), 'decision')} on "
                  f"{counted(audit.items, 'item')} of run {audit.run_id} to {out}"
                  + (f" ({unused:,} not used by the run: imported after it, made on another "
                     "text or retired, as its used_by_run column says)" if unused else "")
                  + (f"; {others:,} imported by someone other than their rater (the "
                     "imported_by column)" if others else ""), highlight=False)


def _counted_decisions(stats: ReviewStats) -> str:
    """The start of ``review stats``' first line: which of the ledger's decisions its
    figures count (``stats``: a :class:`~labelwright.review.stats.ReviewStats`): those the
    run read, with ``--as-read``; else the ledger as it is now."""
    n = stats.reviewed.count
    if not stats.as_read:
        return f"ledger now: {counted(n, 'decision')}"
    since = stats.ledger_count - n
    return (f"run {stats.run_id} read {n:,} of the ledger's "
            f"{counted(stats.ledger_count, 'decision')}"
            + (f" (the {since:,} imported since are not counted)" if since else ""))


def _after_run(stats: ReviewStats, named: bool) -> str:
    """The end of ``review stats``' first line, for a run ``named`` and the ledger now: how
    many of its decisions were imported after the run, which ``--as-read`` leaves out."""
    read = stats.run_read
    after = stats.reviewed.count - read if isinstance(read, int) else 0
    if stats.as_read or not named or after <= 0:
        return ""
    return (f"; {after:,} of the decisions were imported after run {stats.run_id}, which "
            f"read {read:,} (--as-read counts only those)")


def _ids_once(rows_of: Counter[str]) -> str:
    """Item ids each named once, with the count of an item that has several rows (two
    Argilla drafts of one record): 'DE0173: 2 rows, DE0180'."""
    return ", ".join(item if n == 1 else f"{item}: {counted(n, 'row')}"
                     for item, n in rows_of.items())


@review_app.command("stats")
def review_stats_command(
    run: Run = None,
    run_option: RunOption = None,
    policy: Annotated[str | None, typer.Option(
        help="Disagreement policy: majority or adjudicate (default: [review] policy, as "
             "runs use).")] = None,
    as_read: Annotated[bool, typer.Option(
        "--as-read", help="Count only the ledger decisions the run read, as it read them "
                          "(its policy, adjudicators and rater names): the reviews behind "
                          "its labels, without those imported since.")] = False,
    project: ProjectDir = Path("."),
) -> None:
    """Agreement between reviewers, and LF and accepted-label accuracy on reviewed items."""
    run = either_run(run, run_option, project)
    from labelwright.review.feedback.gold import POLICIES, float_hint, review_warnings

    if policy is not None and policy not in POLICIES:
        raise typer.BadParameter(f"{policy!r}; valid: {', '.join(POLICIES)}",
                                 param_hint="--policy")
    import_spacy(project)
    from labelwright.cli.tables import kappa_pairs_table
    from labelwright.review.stats.summary import review_stats

    stats = review_stats(project, run, policy=policy, as_read=as_read)
    r = stats.reviewed
    # the ledger's count holds the retired decisions, which no figure below counts
    retired = r.retired.retired
    console.print(_counted_decisions(stats)
                  + (f" ({retired:,} retired: counted in no figure below)" if retired else "")
                  + f", {counted(stats.items_reviewed, 'item')} reviewed by "
                  f"{len(stats.raters)} rater(s); {counted(stats.items_multi, 'item')} with 2+ "
                  f"raters; {counted(len(r.disagreements), 'disagreement')} "
                  f"({counted(len(r.ties), 'tie')})"
                  + (f", {len(r.adjudicated)} settled by adjudicators" if r.adjudicators else "")
                  + (f", {len(r.overruled)} where adjudicators overruled agreeing raters "
                     f"({some_of([repr(i) for i in r.overruled])})" if r.overruled else "")
                  + f"; gold for {counted(r.n_gold, 'item')} of run {stats.run_id} ({r.policy})"
                  + _after_run(stats, run is not None))
    if stats.settled_by_others:
        from labelwright.review.imports.adjudicators import stats_warning

        warning(console, stats_warning(stats.settled_by_others))
    if cut := stats.cut_texts:
        console.print(f"  {counted(len(cut), 'decision')} {'was' if len(cut) == 1 else 'were'} "
                      f"made on a cut text, its reviewer shown only its start (a spreadsheet "
                      "cut the cell): "
                      + some_of([f"{d.item_id!r} by {d.rater} ({d.cut})" for d in cut]),
                      highlight=False)
    # what is not counted, and why, as a run says; but the items reviewed that are not
    # this run's may well be in the data (added after an older run)
    for message in stats.ledger_changed:  # --as-read: the first decisions, edited since
        warning(console, message)
    for message in review_warnings(replace(r, unknown_items=[]), labels=stats.labels,
                                   as_read=stats.as_read):
        warning(console, message)
    if r.unknown_items:
        warning(console, f"{len(r.unknown_items)} reviewed item(s) are not items of run "
                         f"{stats.run_id}, so these statistics leave them out: "
                         f"{some_of([repr(i) for i in r.unknown_items])}"
                         f"{float_hint(r.float_spelt)}")
    if stats.items_multi:
        pairs, apart = kappa_pairs_table(stats.pairs)
        console.print(pairs)
        if apart:
            console.print(apart)
        console.print(f"Fleiss' kappa: {score_text(stats.fleiss)} "
                      f"({counted(stats.fleiss_items, 'item')}); "
                      f"Krippendorff's alpha (nominal): {score_text(stats.alpha)}")
        if stats.adjudicators:
            _print_adjudicators_left_out(stats.independent, stats.adjudicators)
        consensus = Table(title="Agreement with consensus", title_justify="left")
        for column in ("rater", "items", "agreement"):
            consensus.add_column(column)
        for row in stats.consensus.itertuples():
            consensus.add_row(row.rater, str(row.items), percent(row.agreement))
        console.print(consensus)
        console.print("  items: those the rater decided on which the other raters have a "
                      "clear majority (each rater's latest decision per item, retired ones "
                      "aside)", highlight=False)
    _print_lf_accuracy(stats)
    _print_run_accuracy(stats)
    if any(g.blind for g in stats.anchoring.groups):
        _print_anchoring(stats.anchoring)


def _print_run_accuracy(stats: ReviewStats) -> None:
    """The run's accuracy from the reviewed items of its audit and random samples, each with
    how many of the sample's items were reviewed; a figure on too few reviews is set apart
    under the heading the report gives it (one rule: review.run_accuracy)."""
    from labelwright.review.stats.run_accuracy import (
        FEW_REVIEWS_TITLE,
        FEW_REVIEWS_WHY,
        few_reviews,
        left_out_text,
        reviewed_of,
    )

    few: list[str] = []
    left_out = {"audit": stats.audit_left_out, "sample": stats.sample_left_out}

    def show(title: str, figure: AuditAccuracy, size: int | None, which: str) -> None:
        settled = " and settled" if left_out[which] else ""
        of = (f"; {reviewed_of(figure, size, which)} reviewed{settled}" if figure.reviewed
              else "") + left_out_text(left_out[which])
        weighted = ", weighted by label" if figure.weighted is not None else ""
        line = (f"{title}: {percent(figure.accuracy)}{weighted} "
                f"({figure.correct}/{figure.reviewed}{of}; "
                f"95% interval {_interval(figure.ci_low, figure.ci_high)})")
        (few.append if few_reviews(figure) else console.print)(line)

    show("accepted-label accuracy from the audit sample", stats.audit, stats.audit_items,
         "audit")
    if stats.own is not None:
        _print_audit_per_label(stats.own)
    if stats.audits_elsewhere:
        console.print(f"  no audit item of run {stats.run_id} is reviewed yet (each run draws "
                      "its own audit sample; reviewed items take their reviewed label in the "
                      "next run); " + _elsewhere("audit sample", stats.audits_elsewhere))
    if stats.sample.reviewed or stats.sample_left_out:
        show(f"label accuracy from the random sample (all labels of run {stats.run_id}; an "
             "item without a label, (none), counts as wrong)", stats.sample,
             stats.sample_items, "sample")
        labelled = stats.sample_labelled
        if labelled is not None and labelled.reviewed < stats.sample.reviewed:
            # coverage times accuracy above: the labels' own accuracy beside it
            console.print(f"  of them with a label: {percent(labelled.accuracy)} "
                          f"({labelled.correct}/{labelled.reviewed}; 95% interval "
                          f"{_interval(labelled.ci_low, labelled.ci_high)}); "
                          f"{stats.sample.reviewed - labelled.reviewed} had no label")
    elif stats.samples_elsewhere:
        console.print(f"label accuracy from the random sample: no item of run "
                      f"{stats.run_id}'s random sample is reviewed yet; "
                      + _elsewhere("random sample", stats.samples_elsewhere))
    if few:
        console.print(FEW_REVIEWS_TITLE)
        for line in few:
            console.print(f"  {line}")
        console.print(f"  {FEW_REVIEWS_WHY}")


def _print_audit_per_label(own: RunAccuracy) -> None:
    """How the audit figure above was weighted (where the audit was shared alike per
    label), and per predicted label the precision of the accepted labels, with the exact
    interval and the items it rests on (none where no audit item was reviewed)."""
    from labelwright.review.stats.audit_estimate import precision_note, weighted_text

    if own.audit_weighted is not None:
        console.print(f"  {weighted_text(own.audit_weighted)}", highlight=False)
    if not any(p.reviewed for p in own.audit_per_label):
        return
    table = Table(title="Precision of accepted labels per predicted label, from the audit "
                  "sample (95% exact interval)", title_justify="left")
    for column in ("label", "accepted", "audited", "reviewed", "right", "precision",
                   "interval", "note"):
        table.add_column(column)
    for p in own.audit_per_label:
        table.add_row(p.label, "?" if p.accepted is None else f"{p.accepted:,}",
                      "?" if p.audited is None else f"{p.audited:,}", str(p.reviewed),
                      str(p.correct), percent(p.precision), _interval(p.ci_low, p.ci_high),
                      precision_note(p))
    console.print(table)
    console.print("  accepted: the run's accepted items with the label that the audit drew "
                  "from; audited: how many it drew; ? where the run did not record them (an "
                  "older run)", highlight=False)


def _print_lf_accuracy(stats: ReviewStats) -> None:
    """Each LF's accuracy on the reviews of random samples and on the queue's, apart: the
    queue's items are picked where the LFs are wrong most, so mixed in they misstate an LF."""
    lfs = Table(title="LF accuracy on reviewed items: random sample and queue apart (95% "
                "Wilson interval)", title_justify="left")
    for column in ("LF", "sample", "accuracy", "interval", "queue", "accuracy", "interval"):
        lfs.add_column(column)
    sample, queue = stats.lfs_sample, stats.lfs_queue
    assert sample is not None and queue is not None
    for s, q in zip(sample.itertuples(), queue.itertuples()):
        lfs.add_row(s.lf, str(s.reviewed), percent(s.accuracy), _interval(s.ci_low, s.ci_high),
                    str(q.reviewed), percent(q.accuracy), _interval(q.ci_low, q.ci_high))
    console.print(lfs)
    console.print("  sample: reviews of runs' random samples (`review export --sample`), which "
                  "picture an LF's votes (the LF table's correct / incorrect / emp. acc. count "
                  "them, with the data's gold); queue: reviews of the review queue and audit, "
                  "the hard items, picked because LFs conflict, the model is unsure or no LF "
                  "voted (the audit: accepted labels only), so not a picture of an LF's votes "
                  "(the LF table's queue acc.)")


def _print_adjudicators_left_out(independent: list[str], adjudicators: list[str]) -> None:
    """Say whose decisions the agreement figures count, where adjudicators decided items."""
    console.print(f"  Fleiss' kappa, Krippendorff's alpha, the consensus and the disagreements "
                  f"count the raters who rate independently ({', '.join(independent) or 'none'})"
                  f": the decisions of adjudicators ({', '.join(adjudicators)}) settle items, "
                  "so they are left out (a pair above with an adjudicator compares a rater "
                  "with the adjudicator's decisions)")


_SEEN = {True: "text alone (blind)", False: "suggestion (shown)", None: "not recorded"}
_EXPORT_NAMES = {"sample": "random sample", "queue": "queue"}


def _print_anchoring(result: Anchoring) -> None:
    """The table of agreement with the run's label, blind and shown, and per export what
    the gap says."""
    from labelwright.review.stats.anchoring import ANCHORING, MIN_DECISIONS, TOO_FEW

    table = Table(title="Agreement with the run's label, blind and shown (each decision "
                        "against the label of the run it was exported from; 95% Wilson "
                        "interval)", title_justify="left")
    for column in ("export", "reviewer saw", "decisions", "agreed", "rate", "interval"):
        table.add_column(column)
    for g in result.groups:
        table.add_row(_EXPORT_NAMES[g.export], _SEEN[g.blind], str(g.decisions), str(g.agreed),
                      percent(g.rate), _interval(g.ci_low, g.ci_high))
    console.print(table)
    for export, name in _EXPORT_NAMES.items():
        blind, shown = result.group(export, True), result.group(export, False)
        if blind is None and shown is None:
            continue
        verdict = result.verdict(export)
        if blind is None or shown is None or verdict == TOO_FEW:
            console.print(f"{name}: too few decisions to compare blind with shown (each needs "
                          f">= {MIN_DECISIONS}; {blind.decisions if blind else 0} blind, "
                          f"{shown.decisions if shown else 0} shown)")
            continue
        rates = f"{percent(shown.rate)} shown vs {percent(blind.rate)} blind"
        if verdict == ANCHORING:
            console.print(f"{name}: reviewers shown the suggestion took the run's label more "
                          f"often than blind ones ({rates}; the intervals do not overlap): "
                          "a sign of anchoring, reviewers leaning on the suggestion")
        else:
            console.print(f"{name}: no sign of anchoring ({rates}; the shown interval is "
                          "not wholly above the blind one)")
    if result.unlabelled or result.unmatched:
        console.print(f"  left out: {result.unlabelled} decision(s) on items their run gave no "
                      f"label (nothing to agree with), {result.unmatched} whose run, or its "
                      "label of the item, is gone")
    console.print("  blind and shown are compared within one export (the queue holds the "
                  "items the model was least sure of); they may still differ in difficulty, "
                  "so the fair test is one random sample reviewed both ways by different "
                  "reviewers")


def _elsewhere(sample: str, counts: dict[str, int], *, shown: int = 3) -> str:
    """Where the reviews of other runs' samples are (the newest ``shown`` runs), and the
    command that measures them."""
    listed = list(counts.items())[:shown]
    more = len(counts) - len(listed)
    return "; ".join(f"the {sample} of run {run} has {n} reviewed: `labelwright review stats "
                     f"{run}` shows that run's accuracy" for run, n in listed) + (
        f"; and {more} more run(s) with reviewed items" if more else "")
