"""What ``labelwright analyze`` prints (the command is in :mod:`labelwright.cli.app`): the
apply's lines, the LF table and its warnings, total coverage and each label's, with
``--model`` each label model's accuracy on held-out gold, with ``--lf`` the chosen LFs'
items, and the LFs' failures last."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from labelwright.caches import REFRESH
from labelwright.cli.app import console, err
from labelwright.cli.output import warning
from labelwright.cli.progress import progress_bar, reporter
from labelwright.cli.tables import lf_table, model_comparison_table
from labelwright.counts import counted
from labelwright.percent import percent
from labelwright.startup import import_spacy


def analyze_and_print(project: Path, *, fail_fast: bool, engine: str | None,
                      scheduler: str | None, no_cache: bool, lf: list[str] | None,
                      examples: int, strict: bool, data: Path | None,
                      model: list[str] | None) -> None:
    """Apply the LFs of ``project`` and print what ``analyze`` shows (its options, as
    given); exits 1 as ``--strict`` and LF failures say."""
    import_spacy(project)
    from labelwright.cli.apply_lines import exit_on_failures, print_apply_lines, print_failures
    from labelwright.cli.lf_examples import print_wrong_most
    from labelwright.lfs.examples import lf_examples, select_lfs
    from labelwright.lfs.lf_warnings import below_chance
    from labelwright.lfs.stats import coverage, queue_labels
    from labelwright.models.duplicate_warnings import configured_words, duplicate_lf_warnings
    from labelwright.project import (
        apply_project,
        counted_lf_table,
        load_project,
        project_reviews,
    )
    from labelwright.project.apply import lf_failures_shown_by_caller
    from labelwright.project.label_coverage import label_coverage_line

    loaded = load_project(project, data=data)
    if model:  # after the config's own model was imported, before the LFs are applied
        from labelwright.project.model_comparison import check_model_names

        try:
            check_model_names(model, loaded.config.root)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="'--model'") from None
    chosen = None
    if lf:
        try:  # before the LFs are applied: a misspelt name costs nothing
            chosen = select_lfs([f.name for f in loaded.lfs], lf)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="'--lf'") from None
    # the failures are printed below (print_failures), not logged as well
    with progress_bar(err) as bar, lf_failures_shown_by_caller():
        dataset, applied = apply_project(loaded, fail_fast=fail_fast, progress=reporter(bar, err),
                                         engine=engine, scheduler=scheduler,
                                         cache=REFRESH if no_cache else None)
    # LF accuracies on gold and random-sample reviews, the queue's apart, as run counts them
    reviewed = project_reviews(loaded.config, dataset)
    summary, known, clash = counted_lf_table(loaded, dataset, applied, reviewed)
    for message in [*dataset.warnings, *clash]:  # as run and check show them
        warning(err, message)
    print_apply_lines(applied, written=False)
    shown = summary if chosen is None else \
        summary[summary["lf"].isin(chosen)].reset_index(drop=True)
    console.print(lf_table(shown, labels=loaded.labels))
    if chosen is None:  # with --lf the items follow
        print_wrong_most(console, summary, loaded)
    for message in below_chance(applied.matrix if chosen is None
                                else applied.matrix.columns(chosen), known):
        warning(err, message)
    said_model, once = configured_words(loaded.config.label_model.name)
    for message in duplicate_lf_warnings(  # copies of an LF left out by --lf too
            applied.matrix.votes, list(applied.matrix.lf_names), len(loaded.labels),
            model=said_model, once=once):
        warning(err, message)
    console.print(f"total coverage: {percent(coverage(applied.matrix))} of "
                  f"{counted(len(dataset), 'item')}")
    by_label = label_coverage_line(applied.matrix.votes, loaded.labels)
    if by_label:
        console.print(by_label, highlight=False)
    if model:
        _print_model_comparison(loaded.config, dataset, applied.matrix.votes, reviewed, model)
    if chosen is not None:
        import numpy as np

        from labelwright.cli.lf_examples import print_lf_examples, shown_location

        # every label known for an item: gold, and reviews from samples and the queue
        labels = np.where(known >= 0, known, queue_labels(reviewed))
        where = {f.name: shown_location(f.file, f.line, loaded.config.root) for f in loaded.lfs}
        failed = {name: (f.count, f.item_ids) for name, f in applied.failures.items()}
        print_lf_examples(console, lf_examples(applied.matrix, dataset.texts, labels, chosen,
                                               n=examples, seed=loaded.config.seed,
                                               failed=failed, fields=dataset.fields,
                                               matches=applied.matches), where)
    print_failures(applied.failures if chosen is None else
                   {k: v for k, v in applied.failures.items() if k in chosen}, len(dataset),
                   loaded.lfs, dataset, failed_rows=applied.failed_rows)
    exit_on_failures(applied.failures, len(dataset), strict=strict)


def _print_model_comparison(config: Any, dataset: Any, votes: Any, reviewed: Any,
                            names: list[str]) -> None:
    """``analyze --model``'s table: each label model's accuracy on the held-out gold."""
    from labelwright.project.model_comparison import compare_label_models

    frame = compare_label_models(config, dataset, votes, reviewed, names)
    console.print(model_comparison_table(frame, config.label_model.name))
    for row in frame.itertuples():
        if row.weakest:
            console.print(f"  {row.model}: {row.weakest}", highlight=False)
    if not int(frame["gold_items"].iloc[0]):
        console.print("  no held-out gold items ([data] gold_column, without a review): "
                      "nothing to score the models on")
