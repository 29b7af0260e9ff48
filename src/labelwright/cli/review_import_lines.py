"""What ``review import`` prints of an import (:class:`~labelwright.review.imports.report.
ImportReport`): the rows skipped and why, the decisions added and the raters they were
recorded under, and the warnings of what the ledger keeps (cut texts, texts changed since,
notes not recorded, retired decisions brought again). The command itself, its options and
the import, is :func:`labelwright.cli.review.review_import`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from labelwright.cli.output import tagged, warning
from labelwright.cli.review import console, err
from labelwright.counts import counted, some_of

if TYPE_CHECKING:
    from labelwright.review.imports.report import ImportReport


def _print_renamed(report: ImportReport) -> None:
    """The rows whose label was read by ``[project] renamed``, counted per old name."""
    if report.renamed:
        console.print("  row(s) with an old label name, read as its current name ([project] "
                      "renamed): " + ", ".join(f"{old!r} ({n})"
                                                for old, n in report.renamed.items()))


def same_rater_entries(user_ids: list[str]) -> str:
    """``"argilla:9a1b" = "NAME"`` for each of ``user_ids``: the entries of ``[review]
    same_rater`` to paste, each id a TOML key that reads back as itself."""
    from labelwright.toml_text import toml_string

    return ", ".join(f'{toml_string(r)} = "NAME"' for r in user_ids)


def print_import(report: ImportReport, file: Path, reviewer: str | None,
                 same_rater: Mapping[str, str] | None = None) -> None:
    """Print what the import of ``file`` did (``reviewer``: ``--reviewer``, or None;
    ``same_rater``: the project's ``[review] same_rater``, whose raters have a name)."""
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
    if report.padded:
        where, written = report.padded[0]
        n = len(report.padded)
        warning(err, f"{file}: {counted(n, 'label')} had spaces around "
                     f"{'it' if n == 1 else 'them'} (first: {where}, {written!r}); read as "
                     "the label without them")
    if report.already_imported:
        from labelwright.review.imports.to_ledger import importer_words

        importer = report.imported_as  # another's: the file names every decision's rater
        by = (f" {importer_words(importer)}" if importer is not None
              else f" by {reviewer}" if reviewer is not None else "")
        console.print(f"{file}: already imported{by} (sha256 {report.sha256[:12]}); "
                      "nothing added")
        _print_renamed(report)
        for note in report.notes:
            console.print(f"  {note}")
        return
    console.print(f"{file} ({report.format}): {report.added} decision(s) added to the ledger "
                  f"({report.rows} rows, {report.bad} bad)")
    # the rows under the line that counts them: printed before it, they read as the lines of
    # whatever the terminal showed last (a previous file's import, in a script's log)
    _print_renamed(report)
    for reason, count in sorted(report.skipped.items()):
        first = report.skipped_ids.get(reason, Counter())
        console.print(f"  {count} row(s) not decisions: {reason} ({_ids_once(first)}"
                      + (", ...)" if count > first.total() else ")"))
    named = {rater: n for rater, n in report.raters.items() if rater != reviewer}
    if named:  # with --reviewer, what else it recorded and as what
        console.print("  recorded under the rater(s) the file names: "
                      + ", ".join(f"{rater} ({n})" for rater, n in sorted(named.items()))
                      + ("" if reviewer is None else
                         (f", and {reviewer} ({report.raters[reviewer]}, whose rows name no "
                          "annotator)" if report.raters[reviewer] else "")
                         + f"; a rater is the tool's annotator when the file names one, and "
                           f"--reviewer {reviewer} is recorded as who imported them"))
        unnamed = tool_ids(named, same_rater or {})
        if unnamed:
            entries = same_rater_entries(unnamed[:3])
            # a second `same_rater = ...` beside the one there is would be a TOML error
            where = (f"[review] same_rater = {{ {entries} }}" if not same_rater else
                     f"where [review] same_rater is a table already: add {entries} to it")
            console.print(f"  {some_of([repr(r) for r in unnamed], 3)} "
                          f"{'is a user id' if len(unnamed) == 1 else 'are user ids'} of the "
                          "tool, which review stats and explain show as written: give "
                          f"{'it' if len(unnamed) == 1 else 'each'} the person's name in "
                          f"labelwright.toml, {where}", highlight=False, soft_wrap=True)
    for note in report.notes:
        console.print(f"  {note}")
    if report.for_adjudicators and reviewer is not None:  # without one, refused
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
    from labelwright.review.imports.exported_items import not_exported_warnings

    for message in [*report.label_gap_warnings, *report.clock_warnings,
                    *not_exported_warnings(report.not_exported),
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


def _ids_once(rows_of: Counter[str]) -> str:
    """Item ids each named once, with the count of an item that has several rows (two
    Argilla drafts of one record): 'DE0173: 2 rows, DE0180'."""
    return ", ".join(item if n == 1 else f"{item}: {counted(n, 'row')}"
                     for item, n in rows_of.items())


def tool_ids(raters: Mapping[str, int], same_rater: Mapping[str, str]) -> list[str]:
    """The raters an import filed under a tool's user id no one reads as a person, and
    that ``[review] same_rater`` gives no name yet: Argilla's user UUIDs
    (``argilla:5f1c9e2a-...``) and Label Studio's numbers (``label-studio:3``); a Label
    Studio e-mail address is a name already."""
    return sorted(rater for rater in raters if rater not in same_rater and (
        rater.startswith("argilla:") or (rater.startswith("label-studio:")
                                         and rater.partition(":")[2].isdigit())))
