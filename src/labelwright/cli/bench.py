"""``labelwright bench``: benchmark label models on published datasets."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from labelwright.bench.model_specs import model_spec
from labelwright.bench.review import (
    RANKED_MODEL,
    RANKED_WITH_GOLD,
    RankingRecord,
    end_model_extras,
    evaluate_ranking,
    is_ranked,
)
from labelwright.bench.wrench import BENCH_MODELS, GOLD_SETTINGS, BenchRecord, evaluate
from labelwright.bench.wrench_folders import WrenchFormatError, load_datasets
from labelwright.cli.options import OnceGroup
from labelwright.cli.output import error, make_console
from labelwright.models.calibration_document import describe_calibration
from labelwright.models.fit_warnings import fit_warnings_left_to_caller
from labelwright.models.ties import TIE_BREAKS

bench_app = typer.Typer(
    cls=OnceGroup,
    help="Benchmark label models on published weak-supervision datasets.",
    no_args_is_help=True,
    add_completion=False,
)


@bench_app.callback()
def bench() -> None:
    """Benchmark label models on published weak-supervision datasets."""


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _table(records: list[BenchRecord], caption: str) -> Table:
    table = Table(title="Label models on WRENCH (test split, %)", caption=caption,
                  caption_justify="left")
    for name in ("dataset", "model", "gold"):
        table.add_column(name, no_wrap=True)
    for name in ("acc", "macro-F1", "F1", "ECE", "cov", "fit s", "peak MB"):
        table.add_column(name, justify="right")
    for r in records:
        table.add_row(r.dataset, r.model, r.gold, _fmt(r.accuracy), _fmt(r.macro_f1),
                      _fmt(r.f1), _fmt(r.ece), _fmt(r.coverage), f"{r.fit_seconds:.2f}",
                      _fmt(r.peak_rss_mb))
    return table


def _chosen_lines(records: list[BenchRecord]) -> list[str]:
    """What ``auto`` chose, one line per (dataset, gold)."""
    lines = []
    for r in records:
        if r.chosen:
            params = ", ".join(f"{k}={v}" for k, v in r.chosen.get("params", {}).items())
            lines.append(f"{r.model} on {r.dataset} (gold={r.gold}): {r.chosen['model']}({params}) "
                         f"-- {r.chosen.get('reason', '')}")
    return lines


@bench_app.command("wrench")
def wrench(
    folders: Annotated[list[Path], typer.Argument(
        help="WRENCH dataset folders (train.json, valid.json, test.json, label.json).")],
    as_json: Annotated[bool, typer.Option(
        "--json", help="One JSON object per line instead of a table.")] = False,
    model: Annotated[list[str] | None, typer.Option(
        "--model", "-m", help="Label model to run (repeat for several): a name, module:Class "
        "(a class of your own, as [label_model] name takes it), either with settings, "
        "'dawid_skene(monotone=false)'; default: " + ", ".join(BENCH_MODELS) + ".")] = None,
    gold: Annotated[list[str] | None, typer.Option(
        "--gold", help="Gold setting: 'none' (no gold) and/or 'valid' (valid labels as gold); "
        "default: both.")] = None,
    tie_break: Annotated[str, typer.Option(
        help="Tie-break policy of predictions: " + ", ".join(TIE_BREAKS)
        + " ('random' is snorkel's row-index hash, as in WRENCH's published numbers).")
    ] = "random",
    seed: Annotated[int, typer.Option(min=0, help="random_state of every model.")] = 0,
    ranking: Annotated[bool, typer.Option(
        "--ranking/--no-ranking", help=f"Also measure review rankings on the "
        f"{RANKED_MODEL!r} model's test errors (and, with valid labels as gold, the "
        f"{RANKED_WITH_GOLD!r} model's), calibration on the valid labels and the end model (adds "
        "seconds per dataset).")] = True,
) -> None:
    """Fit label models on WRENCH train votes and score them on test.

    Each model is fit without gold and with the valid labels as gold; accuracy, macro-F1,
    F1 of class 1 (binary sets), ECE, fit time and peak traced memory are reported.

    With --ranking (the default), the default model's line also has catch10/catch20 (share of
    its test errors in the first 10%/20% of the combined review ranking), ece_calibrated,
    calibration, confidence_map, no_vote_shares and end_model_accuracy (snorkel's line has
    end_model_accuracy too), and each ranking strategy gets a line with a "ranking" field.
    With the valid labels as gold, the auto model's line gets the same keys and lines (what
    a project with reviews runs).

    Notes on the data (rows dropped, how far each split's votes agree with its labels, and
    a warning when a split's votes seem not to belong to its items) follow the table; with
    --json they go to stderr.
    """
    err = make_console(stderr=True)
    models = tuple(model or BENCH_MODELS)
    golds = tuple(gold or GOLD_SETTINGS)
    _no_repeats("'--model' / '-m'", models, models)
    _no_repeats("'FOLDERS...'", [str(f) for f in folders],
                [os.path.abspath(f) for f in folders])
    specs = []
    for name in models:  # usage errors (exit 2), before any file is read
        try:
            specs.append(model_spec(name))
        except ValueError as exc:  # an unknown name lists the valid ones
            raise typer.BadParameter(str(exc), param_hint="'--model' / '-m'") from None
    for g in golds:
        if g not in GOLD_SETTINGS:
            raise typer.BadParameter(f"{g!r}; valid: {', '.join(GOLD_SETTINGS)}",
                                     param_hint="'--gold'")
    _no_repeats("'--gold'", golds, golds)
    if tie_break not in TIE_BREAKS:
        raise typer.BadParameter(f"{tie_break!r}; valid: {', '.join(TIE_BREAKS)}",
                                 param_hint="'--tie-break'")
    try:
        datasets = load_datasets(folders)
    except WrenchFormatError as exc:
        error(err, exc)
        raise typer.Exit(1) from None
    if golds == ("valid",) and all(ds.valid is None for ds in datasets):
        error(err, "--gold valid: no folder has a valid.json, so nothing can be measured "
                   f"({', '.join(ds.name for ds in datasets)}); drop --gold valid, or add "
                   "valid.json")
        raise typer.Exit(1)
    records: list[BenchRecord] = []
    rankings: list[RankingRecord] = []
    for ds in datasets:
        for g in golds:
            if g == "valid" and ds.valid is None:
                continue
            for spec in specs:
                name = spec.name
                with err.status(Text(f"{ds.name}: {spec.label} (gold={g})")):
                    record = evaluate(ds, name, g, tie_break=tie_break, random_state=seed,
                                      params=spec.params, label=spec.label)
                ranked: list[RankingRecord] = []
                # the rankings fit the model by name, without settings: not this one
                measured = ranking and not spec.params
                # these fits are the record's model again: its notes said what they would
                if measured and is_ranked(name, g):
                    with err.status(Text(f"{ds.name}: review rankings on {name} (gold={g})")), \
                            fit_warnings_left_to_caller():
                        record.extras, ranked = evaluate_ranking(
                            ds, g, tie_break=tie_break, random_state=seed, model_name=name)
                elif measured and name == "snorkel":
                    with err.status(Text(f"{ds.name}: end model on snorkel's labels (gold={g})")), \
                            fit_warnings_left_to_caller():
                        record.extras = end_model_extras(ds, name, g, tie_break=tie_break,
                                                         random_state=seed)
                records.append(record)
                rankings.extend(ranked)
                if as_json:
                    typer.echo(json.dumps(record.to_json()))
                    for r in ranked:
                        typer.echo(json.dumps(r.to_json()))
    notes = [f"{ds.name}: {note}" for ds in datasets for note in ds.notes]
    notes += [f"{r.dataset}: {note}" for r in records for note in r.notes]
    if as_json:  # stdout holds only the JSON lines; the notes go to stderr
        for note in [*notes, *_chosen_lines(records)]:
            typer.echo(f"note: {note}", err=True)
        return
    caption = "\n".join([
        f"tie-break: {tie_break}; random_state: {seed}; metrics on test, in percent; "
        "F1 is class 1's (binary sets only).",
        "peak MB: peak tracemalloc'd memory of fit (Python + numpy; torch inside snorkel "
        "not traced).",
        "cov: test items some LF voted on; the others get the model's class prior, which "
        "gold moves.",
        *notes,
    ])
    out = make_console()
    out.print(_table(records, caption))
    for line in _chosen_lines(records):
        out.print(line, highlight=False, soft_wrap=True)
    if rankings:
        wide = out if out.is_terminal else make_console(width=max(out.width, 140))
        wide.print(_ranking_table(rankings, records))


def _no_repeats(param: str, given: Sequence[str], keys: Sequence[str]) -> None:
    """A value given twice (the same ``key``) would be benchmarked twice, its lines
    repeated: a usage error naming both as given."""
    seen: dict[str, str] = {}
    for shown, key in zip(given, keys):
        if key in seen:
            twice = shown if seen[key] == shown else f"{seen[key]} and {shown}"
            raise typer.BadParameter(f"{twice}: given twice; give each once",
                                     param_hint=param)
        seen[key] = shown


def _calibration_text(extras: dict[str, Any]) -> str:
    method = extras.get("calibration")
    if method:
        method = describe_calibration(method, bool(extras.get("confidence_map")),
                                      no_vote_shares=bool(extras.get("no_vote_shares")))
    return _fmt(extras.get("ece_calibrated")) + (f" ({method})" if method else "")


def _ranking_table(rankings: list[RankingRecord], records: list[BenchRecord]) -> Table:
    extras = {(r.dataset, r.model, r.gold): r.extras for r in records}
    table = Table(title="Review ranking: share of the label model's test "
                  "errors in the first 10% / 20% of each ranking (%)",
                  caption="max: best possible (10%/20% of items / errors); ECE cal: test ECE "
                  "after calibration on the valid labels (method chosen by cross-validation, "
                  "in parentheses); end acc: end model trained on the label model's labels "
                  "(snorkel's in brackets).",
                  caption_justify="left")
    for name in ("dataset", "model", "gold", "ranking", "weights"):
        table.add_column(name, no_wrap=True)
    for name in ("catch10", "catch20", "max10", "max20", "errors", "ECE cal", "end acc"):
        table.add_column(name, justify="right")
    for r in rankings:
        ex = extras.get((r.dataset, r.model, r.gold), {})
        snorkel = extras.get((r.dataset, "snorkel", r.gold), {}).get("end_model_accuracy")
        last = r.ranking == "combined"
        end = ex.get("end_model_accuracy")
        end_text = (_fmt(end) + (f" [{snorkel:.2f}]" if snorkel is not None else "")
                    if last else "")
        table.add_row(r.dataset, r.model, r.gold, r.ranking, r.weights_source, _fmt(r.catch10),
                      _fmt(r.catch20), _fmt(r.catch10_max), _fmt(r.catch20_max), str(r.errors),
                      _calibration_text(ex) if last else "", end_text)
    return table
