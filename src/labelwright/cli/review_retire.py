"""Command: ``review retire`` (registered on ``review_app`` in :mod:`labelwright.cli.app`):
withdraw review decisions by appending retirement records to the ledger."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from labelwright.cli.options import DataPath, ProjectDir
from labelwright.cli.review import console
from labelwright.counts import counted

if TYPE_CHECKING:
    from labelwright.review.decisions.retire import RetireReport

#: decisions listed one per line; more are counted
SHOWN = 50


def retire(
    reviewer: Annotated[str, typer.Option(
        "--reviewer", "-r", help="Who retires them (recorded with each retirement).")],
    reason: Annotated[str, typer.Option(
        "--reason", help="Why (recorded with each retirement): \"rows deleted on request\".")],
    item: Annotated[list[str] | None, typer.Option(
        "--item", help="An item whose decisions to retire (repeat for several).")] = None,
    items_file: Annotated[Path | None, typer.Option(
        "--items-file", metavar="PATH", help="A file of item ids, one per line.")] = None,
    missing: Annotated[bool, typer.Option(
        "--missing", help="Every reviewed item the data no longer holds (the items a run "
        "warns about).")] = False,
    rater: Annotated[str | None, typer.Option(
        "--rater", help="Only this rater's decisions; alone, all of them.")] = None,
    undo: Annotated[bool, typer.Option(
        "--undo", help="Un-retire the decisions chosen (appends an un-retire record).")
    ] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List the decisions that would be retired; write nothing.")
    ] = False,
    project: ProjectDir = Path("."),
    data: DataPath = None,
) -> None:
    """Retire review decisions: runs, review stats, train and explain stop using them. The
    ledger keeps them, with who retired them, when and why (append-only)."""
    from labelwright.review.decisions.retire import retire_decisions

    report = retire_decisions(project, reviewer=reviewer, reason=reason, items=item or (),
                              items_file=items_file, missing=missing, rater=rater, undo=undo,
                              dry_run=dry_run, data=data)
    verb = "un-retire" if undo else "retire"
    if report.float_spelt:
        console.print(_float_spelt_note(report.float_spelt), highlight=False)
    if not report.records:
        console.print(f"nothing to {verb}" + (f": {_none_missing(report, undo)}" if missing
                                               else ""), highlight=False)
        return
    head = f"would {verb}" if dry_run else f"{verb}d"
    console.print(f"{head.capitalize()} {counted(len(report.records), 'decision')} on "
                  f"{counted(len(report.items), 'item')}"
                  + (" (--dry-run: nothing written)" if dry_run else
                     f" (recorded in the review ledger by {reviewer}: {reason})") + ":",
                  highlight=False)
    for k, d in enumerate(report.decisions[:SHOWN]):
        was = f"; was {report.undone[k].describe()}" if report.undone else ""
        console.print(f"  {d.item_id}: {d.label} by {d.rater} "
                      f"({d.decided_at or d.imported_at}{was})", highlight=False)
    if len(report.decisions) > SHOWN:
        console.print(f"  and {len(report.decisions) - SHOWN} more", highlight=False)
    if undo:
        for line in undo_lines(report):
            console.print(f"  {line}", highlight=False)


def undo_lines(report: RetireReport) -> list[str]:
    """What an undo brought back, by rater (``ana: 2 decisions``), and what to do next."""
    by_rater = Counter(d.rater for d in report.decisions)
    raters = ", ".join(f"{name}: {counted(n, 'decision')}"
                       for name, n in sorted(by_rater.items()))
    if report.dry_run:
        return [f"by rater: {raters}",
                "next: the same command without --dry-run un-retires them"]
    return [f"back in use, by rater: {raters}",
            "next: run `labelwright run` (or `labelwright train`): the next run reads them "
            "again; runs made before keep them left out (the same `labelwright review "
            "retire` without --undo retires them again)"]


def _none_missing(report: RetireReport, undo: bool) -> str:
    """Why ``--missing`` chose nothing."""
    if undo:
        return "no retired decision is on an item the data no longer holds"
    if report.float_spelt:
        return "no other reviewed item is missing from the data"
    return "no reviewed item is missing from the data"


def _float_spelt_note(pairs: list[tuple[str, str]]) -> str:
    """What ``--missing`` left out: items the data holds with their ids written another
    way, which are not deleted."""
    from labelwright.review.feedback.gold_warnings import float_hint

    return (f"left out of --missing: {counted(len(pairs), 'reviewed item')} the data holds "
            f"with the id written another way{float_hint(pairs)}; `--item ID` retires "
            "one all the same")
