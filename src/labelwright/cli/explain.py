"""Command: ``explain ITEM_ID`` (registered on the app in :mod:`labelwright.cli.app`): where
an item's label came from, as :func:`~labelwright.runs.explain.item.explain_item` tells it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from labelwright.cli.options import ProjectDir, RunOption
from labelwright.cli.output import make_console, styled, warning
from labelwright.counts import counted
from labelwright.runs.explain.story import (
    MATCH_LINES,
    TEXT_CHARS,
    after_label_lines,
    decision_lines,
    final_label,
    match_lines,
    model_lines,
    settled_line,
    text_lines,
    vote_text,
)
from labelwright.startup import import_spacy

if TYPE_CHECKING:
    from labelwright.lfs.item import GlossaryMatch
    from labelwright.runs.explain.against import ItemBeside
    from labelwright.runs.explain.explanation import Vote

console = make_console()
err = make_console(stderr=True)  # warnings, as run and check give them


#: characters of an item's text ``explain`` prints unless asked for all of it
EXPLAIN_TEXT_CHARS = TEXT_CHARS


#: distinct glossary matches ``explain`` prints (a long text can match a term thousands of
#: times: each distinct match is printed once, with how often it occurs)
EXPLAIN_MATCH_LINES = MATCH_LINES


def _print_matches(matches: Sequence[GlossaryMatch]) -> None:
    """One line per distinct match (:func:`~labelwright.runs.explain.story.match_lines`),
    what cancelled it dimmed."""
    for match, cancelled, note in match_lines(matches, EXPLAIN_MATCH_LINES):
        console.print(Text.assemble(match, styled(cancelled, "dim"), note), highlight=False)


def _print_votes(votes: Sequence[Vote]) -> None:
    """The LFs that voted (or raised) in a table, then how many abstained and which: with
    dozens of LFs an item's table was mostly abstains, hiding the few votes."""
    table = Table(title="Votes", title_justify="left")
    for header in ("LF", "kind", "vote", "location"):
        table.add_column(header)
    abstained = []
    for v in votes:
        if v.vote is None and v.failed is False:
            abstained.append(v.lf)
            continue
        shown = (v.vote if v.vote is not None else
                 styled(vote_text(v), "red" if v.failed else "dim"))
        table.add_row(v.lf, v.kind, shown, v.location)
    if table.row_count:
        console.print(table)
    else:
        console.print("Votes: none (no LF voted)")
    if abstained:
        console.print(Text.assemble(
            "Abstained: ", (f"{counted(len(abstained), 'LF')}", "bold"), " (",
            ", ".join(abstained), ")"), highlight=False)


def _explain_archived(project: Path, item_id: str, run: str) -> bool:
    """Print what the archive of a run pruned with ``--keep-manifests`` tells of the item
    (:mod:`~labelwright.runs.explain.archived`), when ``run`` names one; whether it did."""
    from labelwright.config import load_config
    from labelwright.review.decisions.ledger import ledger_path
    from labelwright.runs.explain.archived import archived_lines
    from labelwright.runs.pruned import named_archive

    config = load_config(project)
    record = named_archive(config.runs_path, run)
    if record is None:
        return False
    for line in archived_lines(config.runs_path, record, item_id, ledger_path(config.root),
                               config.root):
        console.print(line, highlight=False)
    return True


def explain(
    item_id: Annotated[str, typer.Argument(help="The item's id.")],
    run: RunOption = None,
    full_text: Annotated[bool, typer.Option(
        "--full-text", help=f"Print the whole text (default: its first {EXPLAIN_TEXT_CHARS:,} "
        "characters).")] = False,
    against: Annotated[str | None, typer.Option(
        "--against", help="Another run (id, unique prefix or folder path) to set the item "
        "beside: label, probabilities and votes in each, and why the label moved, as `runs "
        "diff AGAINST RUN` names it.")] = None,
    project: ProjectDir = Path("."),
) -> None:
    """Where an item's label came from: text, votes, glossary terms, probabilities, reviews."""
    import_spacy(project)
    from labelwright.runs.explain.item import explain_item

    if run is not None and against is None and _explain_archived(project, item_id, run):
        return
    other = _against_run(project, against) if against is not None else None
    e = explain_item(project, item_id, run)
    shown_id = e.item_id if e.item_id.isprintable() and e.item_id == e.item_id.strip() \
        else repr(e.item_id)  # " 55 " is not 55
    console.print(Text.assemble((f"item {shown_id}", "bold"), f" in run {e.run_id}"))
    for message in e.warnings:
        warning(err, message)
    for line in text_lines(e, None if full_text else EXPLAIN_TEXT_CHARS,
                           "--full-text prints them all"):
        console.print(line, highlight=False)
    _print_votes(e.votes)
    if e.matches:
        console.print("Glossary terms matched:")
        _print_matches(e.matches)
    else:
        console.print("Glossary terms matched: none")
    for line in model_lines(e):
        console.print(line, highlight=False)
    for line in [line for d in e.decisions for line in decision_lines(d)]:
        console.print(line, highlight=False)
    settled = settled_line(e)
    if settled:
        console.print(settled, highlight=False)
    label, rest = final_label(e)
    console.print(Text.assemble((label, "bold"), rest))
    for line in after_label_lines(e):
        console.print(line, highlight=False)
    if other is not None:
        from labelwright.runs.explain.against import item_beside

        print_beside(item_beside(e.item_id, other, e.run_dir))


def _against_run(project: Path, against: str) -> Path:
    """The run folder ``--against`` names, resolved before the item is explained: a run
    id that matches none is said first."""
    from labelwright.config import load_config
    from labelwright.runs.store import resolve_run

    config = load_config(project)
    return resolve_run(config.runs_path, against, project=config)


def print_beside(beside: ItemBeside) -> None:
    """The item in the two runs, side by side: label, source, confidence, probabilities,
    the votes that changed, and the cause of the move as ``runs diff`` names it."""
    from labelwright.runs.diff.flip_causes import vote_move_text
    from labelwright.runs.diff.near_ties import near_tie_text
    from labelwright.runs.explain.against import SAME_LABEL

    b = beside.b
    if beside.a is None:
        console.print(f"Against: run {b.run_id} only; the other run does not hold item "
                      f"{beside.item_id!r}", highlight=False)
        return
    a = beside.a
    table = Table(title=f"Item {beside.item_id} in runs {a.run_id} -> {b.run_id}",
                  title_justify="left")
    for header in ("", a.run_id, b.run_id):
        table.add_column(header)
    table.add_row("label", a.label or "(no label)", b.label or "(no label)")
    table.add_row("source", a.label_source, b.label_source)
    table.add_row("confidence", f"{a.confidence:.2f}", f"{b.confidence:.2f}")
    for label in dict.fromkeys([*a.probabilities, *b.probabilities]):
        table.add_row(f"p({label})", *(f"{side.probabilities[label]:.3f}"
                                       if label in side.probabilities else "—"
                                       for side in (a, b)))
    for lf, then, now in beside.votes:
        table.add_row(f"vote of {lf}", then, now)
    console.print(table)
    if not beside.votes:
        console.print("  votes: the same in both runs", highlight=False)
    if beside.cause == SAME_LABEL:
        console.print(f"  {SAME_LABEL}" + (f"; votes changed: {vote_move_text(beside.votes)}"
                                           if beside.votes else ""), highlight=False)
    else:
        console.print(f"  flipped because: {beside.cause}"
                      + (f" (a near tie: {near_tie_text().split(': ', 1)[1]})"
                         if beside.near_tie else ""), highlight=False)
    if beside.upgraded:
        console.print(f"  {beside.upgraded}", highlight=False)
