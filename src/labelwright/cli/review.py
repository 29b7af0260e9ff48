"""Commands: ``review export``, ``review import``, ``review stats`` and ``review decisions``
(what ``review import`` prints is :mod:`~labelwright.cli.review_import_lines`, what
``review stats`` prints :mod:`~labelwright.cli.review_stats`; ``review retire`` is
:mod:`~labelwright.cli.review_retire`; ``export``, the training set, is
:mod:`~labelwright.cli.training_export`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from labelwright.cli.options import DataPath, OnceGroup, ProjectDir, Run, RunOption, either_run
from labelwright.cli.output import make_console, warning
from labelwright.counts import counted
from labelwright.startup import import_spacy

if TYPE_CHECKING:
    from labelwright.review.queue.export_result import ReviewExport

review_app = typer.Typer(
    cls=OnceGroup,
    help="The human review loop: export the review queue to a review tool, import the "
    "decisions, measure agreement.",
    no_args_is_help=True,
)
console = make_console()
err = make_console(stderr=True)


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
        "--budget", help="Keep the head of the queue: a count (50), fraction (0.1) or 10%; "
        "with --shard, the total that the shards split.")
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
    skip_reviewed: Annotated[bool, typer.Option(
        "--skip-reviewed", help="Leave out the items any rater has a decision on (retired "
        "ones aside): what is left for the team; before --budget.")] = False,
    excel: Annotated[bool, typer.Option(
        "--excel", help="With --format csv: UTF-8 with a byte-order mark and ';' between "
        "cells, which Excel in a German (or other comma-decimal) locale opens by double-click "
        "in columns, umlauts intact; review import reads it back.")] = False,
    label: Annotated[list[str] | None, typer.Option(
        "--label", help="Keep the items the run suggested this label for (repeat for "
        "several; '(none)': items without a label); before --budget.")] = None,
    spread: Annotated[bool, typer.Option(
        "--spread", help="Take the queue's items in turns over their suggested labels "
        "(the end model's label for an item without one; disputed and the like first), so "
        "one label's many items do not fill the head; before --budget.")] = False,
    per_pattern: Annotated[int | None, typer.Option(
        "--per-pattern", help="Take at most N items of each vote pattern (the votes an item "
        "carries, e.g. short_comment=ham), in queue order; the rest stay in the queue for "
        "later exports; before --spread and --budget.")] = None,
    shard: Annotated[str | None, typer.Option(
        "--shard", help="K/N: export the selected items the run ranked K, K+N, K+2N, ...: "
        "shard K of N, one per reviewer, disjoint whatever each export skips; with "
        "--spread, each shard is spread over its labels on its own and --budget split "
        "evenly over the N shards.")] = None,
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
                                 skip_reviewed_by=skip_reviewed_by, excel=excel,
                                 labels=label, spread=spread, per_pattern=per_pattern,
                                 shard=shard, skip_reviewed=skip_reviewed)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    written, queued, kept = exported.files, exported.queued, exported.exported
    old_labels = review_export_warning(config, read_manifest(run_dir), fmt)
    if old_labels is not None:
        warning(err, old_labels)
    what = ("randomly sampled" if sample else
            f"queued ({' or '.join(reason)})" if reason else "queued")
    if label:  # '(none)' (items without a label) said in words, not in double brackets
        from labelwright.review.queue.label_mix import NO_LABEL

        what += " (" + " or ".join("without a label" if name == NO_LABEL else name
                                   for name in label) + ")"
    spread_said = (", in turns over their suggested labels (the end model's label where the "
                   "run gave none)" if spread else "")
    # a run that wrote its queue's head: the records are not the queue
    of_queue = (f"{kept} of {counted(queued, what + ' item')}" if exported.whole_queued is None
                else f"{kept} of {queued:,} {what} items written (of {exported.whole_queued:,} "
                     f"{what})")
    console.print(f"{of_queue} from run {run_dir.name} as {fmt}"
                  + copies_said(exported.copies, carried=exported.carried,
                                texts=exported.texts, exported=kept,
                                column=exported.copies_column)
                  + spread_said + (", blind (the text alone):" if blind else ":"))
    for path in written:
        console.print(f"  wrote {path}")
    own_skips = skip_reviewed_by is not None
    for line in selection_lines(exported, sample=sample, own_skips=own_skips):
        console.print(f"  {line}", highlight=False)
    if exported.renamed_fields:
        from labelwright.review.queue.shown_fields import keys_apart_said

        console.print(f"  {keys_apart_said(exported.renamed_fields)}", highlight=False)
    if exported.erased:
        console.print(f"  left out {counted(exported.erased, 'item')} erased since the run "
                      "(`labelwright erase`: deleted from the data)", highlight=False)
    if exported.unwritten:
        warning(err, exported.unwritten)
    if exported.long_cells:
        from labelwright.review.queue.cell_limit import long_cells_warning

        warning(err, long_cells_warning(written[0], exported.long_cells))
    if exported.skipped_reviewed:
        whose = (f"{skip_reviewed_by} has a decision on (--skip-reviewed-by)" if own_skips
                 else "a rater has a decision on (--skip-reviewed)")
        console.print(f"  left out {counted(exported.skipped_reviewed, 'item')} {whose}",
                      highlight=False)
    if exported.decided_since:
        from labelwright.review.queue.decided_by import decided_since_said

        warning(err, decided_since_said(exported.decided_since, run_dir.name, kept))
    if exported.skipped_as is not None:
        console.print(f"  {skip_reviewed_by} counts as {exported.skipped_as} ([review] "
                      "same_rater, or a Label Studio export that paired the id with an email): "
                      f"the decisions of every name of {exported.skipped_as} count",
                      highlight=False)
    if not kept:
        # the files are still written: an earlier export at the same path, left in place,
        # would be loaded into the tool again; and an empty queue is no failure of the
        # command (a script exporting after every run goes on)
        why = (f"shard {exported.shard} of the {counted(exported.shard_of, 'item')} selected "
               "holds none (none of them has one of its ranks)" if exported.shard_of
               else f"--budget {budget} keeps none of the {counted(queued, what + ' item')}"
               if queued
               else f"the random sample of run {run_dir.name} is empty" if sample
               else f"run {run_dir.name} queued no item for {' or '.join(reason)}" if reason
               else f"run {run_dir.name} queued no items (none needs review: each is "
                    "accepted or reviewed already, and no audit sample was drawn)")
        warning(err, f"nothing exported: {why}; the file(s) hold no records, so there is "
                     "nothing to load into a review tool (Argilla's records.log refuses an "
                     "empty list)")


def selection_lines(exported: ReviewExport, *, sample: bool = False,
                    own_skips: bool = False) -> list[str]:
    """What ``--shard`` and ``--per-pattern`` did, and the vote patterns that hold much of
    the export (many items of one pattern read alike: ``--per-pattern`` caps them; not the
    random sample's, ``sample``, which is drawn as it is); ``own_skips``: the export left
    out one rater's decisions (:func:`~labelwright.review.queue.shards.shard_said`)."""
    from labelwright.review.queue.patterns import patterns_said

    lines = []
    if exported.shard is not None:
        from labelwright.review.queue.shards import shard_said

        lines.append(shard_said(exported.shard, exported.shard_of or 0, own_skips=own_skips,
                                sample=sample, sizes=exported.shard_sizes))
    if exported.held_back:
        lines.append(f"held back {counted(exported.held_back, 'item')} beyond --per-pattern "
                     "(they stay in the queue: export again with --skip-reviewed-by once the "
                     "decisions are imported, and they come next)")
    if exported.label_mix:
        lines.append(exported.label_mix)
    if exported.unreached:
        lines.append(exported.unreached)
    if exported.patterns:
        hint = ("" if exported.held_back or sample
                else " (--per-pattern N takes at most N of each)")
        lines.append(f"biggest vote patterns: {patterns_said(exported.patterns)}{hint}")
    return lines


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
    reviewer: Annotated[str | None, typer.Option(
        "--reviewer", "-r", help="Who reviewed, or imports: the rater of rows that name none "
                                 "(optional when every decision names its rater).")] = None,
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
    from labelwright.cli.review_import_lines import print_import
    from labelwright.review.imports.file import import_file
    from labelwright.review.imports.records import IMPORT_FORMATS

    if fmt is not None and fmt not in IMPORT_FORMATS:
        raise typer.BadParameter(f"{fmt!r}; valid: {', '.join(IMPORT_FORMATS)}",
                                 param_hint="--format")
    if reviewer is not None and not reviewer.strip():
        raise typer.BadParameter("a reviewer name is required, not an empty one (or leave "
                                 "--reviewer out when the file names every decision's "
                                 "rater)",
                                 param_hint="--reviewer")
    report = import_file(project, file, reviewer=reviewer, fmt=fmt, skip_bad_rows=skip_bad_rows,
                         relabel=relabel, independent=independent, data=data,
                         for_adjudicator=for_adjudicator)
    print_import(report, file, reviewer, _same_rater(project))


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
    from labelwright.review.decisions.ledger import imported_for_another
    from labelwright.runs.decision_audit import write_decision_audit

    audit, out = write_decision_audit(project, run, out)
    for message in audit.warnings:
        warning(err, message)
    frame = audit.frame
    unused = int((frame["used_by_run"] != "yes").sum())
    others = sum(imported_for_another(importer, rater, {rater: counted or rater})
                 for importer, rater, counted in zip(
                     frame["imported_by"], frame["rater"], frame["counted_as"], strict=True))
    console.print(f"wrote {counted(len(frame), 'decision')} on "
                  f"{counted(audit.items, 'item')} of run {audit.run_id} to {out}"
                  + (f" ({unused:,} not used by the run: imported after it, made on another "
                     "text or retired, as its used_by_run column says)" if unused else "")
                  + (f"; {others:,} imported by someone other than their rater (the "
                     "imported_by column)" if others else ""), highlight=False)


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
    from labelwright.review.feedback.gold import POLICIES

    if policy is not None and policy not in POLICIES:
        raise typer.BadParameter(f"{policy!r}; valid: {', '.join(POLICIES)}",
                                 param_hint="--policy")
    import_spacy(project)
    from labelwright.cli.review_stats import print_review_stats
    from labelwright.config import load_config
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.review.decisions.rater_erasures import pseudonyms
    from labelwright.review.stats.summary import review_stats

    stats = review_stats(project, run, policy=policy, as_read=as_read)
    print_review_stats(stats, named=run is not None,
                       pseudonyms=pseudonyms(ledger_path(load_config(project).root)))


def _same_rater(project: Path) -> dict[str, str]:
    """The project's ``[review] same_rater`` (its raters with a name), for the import's
    line on raters filed under a tool's user id; {} when the config cannot be read (the
    import read it already, so that is no news)."""
    from labelwright.config import find_project_root, load_config
    from labelwright.errors import LabelwrightError

    try:
        return dict(load_config(find_project_root(project)).review.same_rater)
    except (LabelwrightError, OSError):
        return {}
