"""``review stats``'s override rate: of the labels reviewers were shown, how many they changed,
per queue reason and per round (:mod:`labelwright.review.stats.overrides`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from labelwright.counts import counted
from labelwright.percent import percent

if TYPE_CHECKING:
    from labelwright.review.stats.overrides import Overridden, Overrides


def _rows(table: Table, rows: list[Overridden]) -> None:
    for row in rows:
        table.add_row(row.group, f"{row.shown:,}", f"{row.changed:,}", percent(row.rate))


def print_overrides(console: Console, result: Overrides) -> None:
    """The table, then what it leaves out; nothing when no shown decision is counted."""
    if not result.total.shown:
        return
    table = Table(title="Labels reviewers changed (of the labels they were shown)",
                  title_justify="left")
    table.add_column("reason / round (run)")
    for column in ("shown", "changed", "override rate"):
        table.add_column(column, justify="right")
    _rows(table, result.by_reason)
    table.add_section()
    _rows(table, result.by_run)
    table.add_section()
    _rows(table, [result.total])
    console.print(table)
    left_out = [counted(n, "decision") + " " + why for n, why in (
        (result.blind, "of blind exports (shown no label)"),
        (result.adjudicators, "of adjudicators (they settle disagreements)"),
        (result.unlabelled, "on items their run gave no label (no suggestion to change)"),
        (result.unmatched, "whose run is gone, or whose run's label for the item is gone or "
                           "was a review's"),
    ) if n]
    console.print("  each rater's latest decision against the label of the run it was "
                  "exported from; an item queued for two reasons counts under each; the "
                  "queue holds the labels most likely wrong, so a high rate there is by design"
                  + (f"; not counted: {', '.join(left_out)}" if left_out else ""),
                  highlight=False)
