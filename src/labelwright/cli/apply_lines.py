"""What ``run`` and ``analyze`` say of the apply (:mod:`labelwright.cli.app`): the vote
cache, parse and match times, the slowest LFs, phrases that matched nothing, each LF's
failures, and the exit an LF that failed everywhere (or, with ``--strict``, anywhere)
calls for."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.text import Text

from labelwright.cli.app import console, err
from labelwright.cli.output import error
from labelwright.counts import counted

if TYPE_CHECKING:
    from labelwright.apply import ApplyResult


def print_apply_lines(applied: ApplyResult, *, written: bool = True) -> None:
    """What ``run`` and ``analyze`` say of the apply: what the vote cache gave, the time
    parsing and matching took and the slowest LFs when they took a while, and how many
    glossary phrases matched no item. ``written``: a run's files were written (``analyze``
    writes none)."""
    from labelwright.apply.hit_tables import unmatched_phrases_line
    from labelwright.runs.apply_record import parse_time_text, slowest_lfs_text, vote_cache_text

    console.print(vote_cache_text(applied))
    for line in (parse_time_text(applied), slowest_lfs_text(applied),
                 unmatched_phrases_line(applied.phrase_hits, written=written)):
        if line:
            console.print(line, highlight=False)


def print_failures(failures, items: int, lfs, dataset=None, *,  # type: ignore[no-untyped-def]
                   failed_rows=None) -> None:
    """Each LF's failures; ``lfs``: the project's LFs, whose module says where a relative
    path the LF did not find is (as ``check`` says it); ``dataset``: the items read, whose
    parts (a dataset in many files) name the part and row of each item shown, and whose
    columns with ``failed_rows`` (per LF, the rows it raised on: an apply's) say an empty
    field it read (:mod:`~labelwright.lfs.empty_fields`)."""
    from labelwright.data.dataset import item_places
    from labelwright.lfs.empty_fields import EMPTY_WORDS, empty_field_hint, empty_words
    from labelwright.lfs.failure_text import (
        error_line,
        fails_mostly,
        missing_file,
        mostly_failing,
        relative_path_hint,
    )
    from labelwright.lfs.gold_field import gold_field_hint
    from labelwright.lfs.nested_fields import nested_field_rows_hint
    from labelwright.lfs.text_order import named_row, text_order_hint

    files = {lf.name: lf.file for lf in lfs}
    fields = dataset.fields if dataset is not None else None
    gold = dataset.gold_column if dataset is not None else None
    words = empty_words(dataset.source) if dataset is not None else EMPTY_WORDS["csv"]
    row_name = named_row(dataset) if dataset is not None else None
    places = item_places(dataset, [i for f in failures.values() for i in f.item_ids]) \
        if dataset is not None else {}
    for name, failure in failures.items():
        broken = f" of {items}: {mostly_failing(failure.count, items)}" \
            if fails_mostly(failure.count, items) else ""
        last = error_line(failure.traceback)
        rows = (failed_rows or {}).get(name)
        hint = (relative_path_hint(missing_file(last), files.get(name)).strip()
                or "; ".join(filter(None, (
                    empty_field_hint(last, failure.traceback, fields, rows, words),
                    text_order_hint(last, failure.traceback, fields, rows, row_name,
                                    words),
                    nested_field_rows_hint(last, failure.traceback, fields, rows),
                    gold_field_hint(last, gold)))))
        err.print(Text.assemble(
            (f"LF {name!r} raised on {counted(failure.count, 'item')}{broken}", "red"),
            f" (first: {', '.join(places.get(i, i) for i in failure.item_ids)}); first "
            f"traceback:\n{failure.traceback}",
            f"{hint}\n" if hint else ""), highlight=False)


def exit_on_failures(failures, items: int, *, strict: bool) -> None:  # type: ignore[no-untyped-def]
    """``analyze``: exit 1 when an LF raised on every one of ``items`` (its column is all
    abstains: a broken LF, as ``check`` calls it), or with ``strict`` when any LF raised at
    all, as ``run`` does (:func:`~labelwright.runs.outcome.run_outcome`), so a script can
    tell; the messages above named them."""
    from labelwright.runs.outcome import failure_text, fix_text, run_outcome

    outcome = run_outcome(failures, items, strict=strict)
    if outcome["status"] == "failed":  # as a failed run says it, less the run it wrote
        error(err, f"{failure_text(outcome)}{fix_text(outcome)} (exit 1)")
        raise typer.Exit(1)

