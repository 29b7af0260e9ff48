"""Command: ``erase`` (registered in :mod:`labelwright.cli.app`): take the texts of items
deleted from the data out of the runs, review exports and caches, or a rater's names out of
the review ledger (``--rater``), on record."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from labelwright.cli.options import DataPath, ProjectDir
from labelwright.cli.output import make_console
from labelwright.counts import counted, some_of

if TYPE_CHECKING:
    from labelwright.runs.erase.items import EraseReport
    from labelwright.runs.erase.raters import RaterEraseReport

console = make_console()

#: files listed one per line; more are counted
SHOWN = 50


def erase(
    reviewer: Annotated[str, typer.Option(
        "--reviewer", help="Who erases them (recorded with the erasure).")],
    reason: Annotated[str, typer.Option(
        "--reason", help="Why (recorded with the erasure): \"erasure request #42\".")],
    item: Annotated[list[str] | None, typer.Option(
        "--item", help="An item to erase (repeat for several).")] = None,
    items_file: Annotated[Path | None, typer.Option(
        "--items-file", metavar="PATH", help="A file of item ids, one per line.")] = None,
    gone: Annotated[bool, typer.Option(
        "--gone", help="Every item a run holds that the data no longer holds.")] = False,
    rater: Annotated[list[str] | None, typer.Option(
        "--rater", metavar="NAME", help="A rater to erase from the review ledger, by a "
        "name it holds (repeat for each name of the same person).")] = None,
    pseudonym: Annotated[str | None, typer.Option(
        "--pseudonym", metavar="NAME", help="With --rater: the name put in the rater's "
        "place (default: the next erased-rater-N).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="List the files that would change; write nothing.")] = False,
    project: ProjectDir = Path("."),
    data: DataPath = None,
) -> None:
    """Erase the texts of items whose rows were deleted from the data: from the runs' review
    and sample files, skipped rows and reports, the review exports and the caches. Each
    erasure is recorded in runs/ERASURES.jsonl (who, when, why, the ids, each file's
    sha256 before and after), so runs verify still vouches for every run. With --rater,
    erase a reviewer's identity instead: their names in the review ledger become one
    pseudonym, on record the same way."""
    from labelwright.runs.erase.items import erase_items

    if rater:
        if item or items_file is not None or gone or data is not None:
            raise typer.BadParameter("--rater erases a rater, not items: give --item, "
                                     "--items-file, --gone or --data in an erasure of its "
                                     "own", param_hint="--rater")
        from labelwright.runs.erase.raters import erase_rater_names

        found = erase_rater_names(project, rater, reviewer=reviewer, reason=reason,
                                  pseudonym=pseudonym, dry_run=dry_run)
        for line in rater_lines(found):
            console.print(line, highlight=False)
        return
    if pseudonym is not None:
        raise typer.BadParameter("--pseudonym names what replaces a rater: give --rater "
                                 "NAME too", param_hint="--pseudonym")
    report = erase_items(project, item or (), reviewer=reviewer, reason=reason,
                         items_file=items_file, gone=gone, dry_run=dry_run, data=data)
    for line in summary_lines(report):
        console.print(line, highlight=False)


def summary_lines(report: EraseReport) -> list[str]:
    """What ``erase`` prints: the files changed (or, dry run, to change), the cache
    entries dropped, and what the erasure leaves that holds the items' words."""
    items = counted(len(report.items), "item")
    before = ([f"--gone left out {counted(len(report.erased_before), 'item')} erased before "
               f"({some_of(report.erased_before)}); --item ID erases one again"]
              if report.erased_before else [])
    if not report.changes and not report.ledger_notes:
        return [f"nothing to erase: no file labelwright keeps holds the texts or notes of "
                f"the {items} (erased before, or never kept)", *before, *_left_lines(report)]
    dropped = len(report.cache_entries)
    entries = f"{dropped} cache {'entry' if dropped == 1 else 'entries'}"
    files = counted(len(report.files), "file") + (
        f", the notes of {counted(report.ledger_notes, 'decision')} in the review ledger"
        if report.ledger_notes else "")
    lines = [(f"Would erase the texts of {items} from {files} and would drop {entries} "
              "(--dry-run: nothing written):" if report.dry_run else
              f"Erased the texts of {items} from {files} and dropped {entries} (recorded "
              "in runs/ERASURES.jsonl):")]
    if report.ledger_notes:
        lines.append(f"  {report.ledger}: the raters' notes on "
                     f"{counted(report.ledger_notes, 'decision')} (review ledger; "
                     + ("recorded in its note_erasures table)" if not report.dry_run else
                        "would be recorded in its note_erasures table)"))
    for change in report.files[:SHOWN]:
        lines.append(f"  {change.path}: {counted(change.items, 'item')} ({change.kind})")
    if len(report.files) > SHOWN:
        lines.append(f"  and {len(report.files) - SHOWN} more files")
    for change in report.cache_entries[:SHOWN]:
        lines.append(f"  {change.path}: cache entry {'to drop' if report.dry_run else 'dropped'}")
    if len(report.cache_entries) > SHOWN:
        lines.append(f"  and {len(report.cache_entries) - SHOWN} more cache entries")
    return lines + before + _left_lines(report)


def rater_lines(report: RaterEraseReport) -> list[str]:
    """What ``erase --rater`` prints: the names replaced, by what, in how many decisions,
    and what still names the rater."""
    names = ", ".join(repr(n) for n in report.names)
    done = ("Would replace" if report.dry_run else "Replaced")
    files = counted(len(report.changes), "run file")
    lines = [f"{done} the rater {names} by {report.pseudonym!r} in "
             f"{counted(report.decisions, 'decision')} of {report.ledger} and in {files}"
             + (" (--dry-run: nothing written)" if report.dry_run else
                " (recorded in runs/ERASURES.jsonl and the ledger's rater_erasures table)")
             + (":" if report.changes else "")]
    lines += [f"  {c.path}: the rater's names ({c.kind})" for c in report.changes[:SHOWN]]
    if len(report.changes) > SHOWN:
        lines.append(f"  ... and {counted(len(report.changes) - SHOWN, 'more file')}")
    if report.kept_elsewhere:
        lines.append("not changed, and naming the rater:")
        lines += [f"  {line}" for line in report.kept_elsewhere]
    return lines


def _left_lines(report: EraseReport) -> list[str]:
    """The recorded review files not found, and what the erasure leaves that holds (or may
    hold) the items' words."""
    lines = []
    if report.not_found:
        lines.append("recorded, not found, so not changed:")
        lines += [f"  {line}" for line in report.not_found]
    if report.kept_elsewhere:
        lines.append("not changed, and holding the items' words:")
        lines += [f"  {line}" for line in report.kept_elsewhere]
    return lines
