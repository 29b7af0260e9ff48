"""Commands: init, check, analyze, run (and bench, from :mod:`labelwright.cli.bench`). What
``run`` prints is :mod:`~labelwright.cli.run_output`; what ``run`` and ``analyze`` say of the
apply, :mod:`~labelwright.cli.apply_lines`."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from labelwright.caches import REFRESH
from labelwright.cli.options import DataPath, OnceGroup, ProjectDir
from labelwright.cli.output import error, make_console, warning
from labelwright.cli.progress import progress_bar, reporter
from labelwright.cli.tables import lf_table, model_comparison_table
from labelwright.counts import counted
from labelwright.percent import percent
from labelwright.startup import import_spacy

app = typer.Typer(
    cls=OnceGroup,
    help="labelwright: labeling functions and glossaries in, probabilistic labels and a review "
    "queue out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
# Piped output (CI logs, `| less`) keeps tables whole; COLUMNS chooses a width (output.py).
console = make_console()
err = make_console(stderr=True)


def version_text() -> str:
    """What ``labelwright --version`` prints: the package version a run's manifest records
    (``packages.labelwright``) and the sha256 of labelwright's own files it records as
    ``labelwright_code`` (the version names no commit; the code hash does)."""
    from importlib import metadata

    from labelwright import __version__
    from labelwright.runs.own_code import labelwright_code

    try:
        version = metadata.version("labelwright")
    except metadata.PackageNotFoundError:  # imported from a source folder
        version = f"{__version__} (not installed as a package)"
    code = labelwright_code()
    return (f"labelwright {version}\ncode sha256 {code['sha256']} ({code['files']} files: "
            "a run's manifest records it as labelwright_code)")


def _version(value: bool) -> None:
    if value:
        console.print(version_text(), highlight=False, soft_wrap=True)
        raise typer.Exit()


@app.callback()
def _options(version: Annotated[bool, typer.Option(
        "--version", "-V", callback=_version, is_eager=True,
        help="Print labelwright's version and the sha256 of its code (a run's manifest "
        "records both), then exit.")] = False) -> None:
    pass


def _engine(value: str | None) -> str | None:
    if value is None:
        return value
    from labelwright.apply.engines import ENGINES  # not at startup: it imports numpy

    if value not in ENGINES:
        raise typer.BadParameter(f"{value!r}; valid: {', '.join(ENGINES)}")
    return value


Engine = Annotated[
    str | None,
    typer.Option("--engine", callback=_engine,
                 help="Where LFs run: local, processes or dask "
                 "(default: [apply] engine, else processes on a multi-core machine for 5,000 "
                 "items or more, local below)."),
]
Scheduler = Annotated[
    str | None,
    typer.Option("--scheduler", help="A Dask scheduler address for --engine dask "
                 "(default: a LocalCluster)."),
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Read no vote from .labelwright/cache: compute every "
                       "LF vote, and store them there in place of what it held.")
]
FailFast = Annotated[
    bool, typer.Option("--fail-fast", help="Stop at the first LF that raises, naming the LF, "
                                           "the item and the line that raised.")
]
Strict = Annotated[
    bool, typer.Option("--strict", help="Exit 1 when any LF raised on any item (the output "
                                        "is written all the same); without it only an LF that "
                                        "raised on every item does.")
]


@app.command()
def init(
    # text, not Path: typer reads "" (an unset $DIR) as the current folder
    directory: Annotated[str, typer.Argument(help="Folder to create the project in.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
    example: Annotated[bool, typer.Option(
        "--example/--no-example", help="Write the example project (its data, LF module and "
        "glossaries); --no-example writes only the config for --labels, and empty folders "
        "for LFs, glossaries and data.")] = True,
    labels: Annotated[list[str] | None, typer.Option(
        "--labels", help="The project's labels in vote order (label i is vote i), with "
        "--no-example: --labels spam,ham (commas separate them; or give it once per "
        "label).")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="The language of the items, as [nlp] lang (a spaCy code: es, de, "
        "fr, ...), with --no-example: lemma mode reads that language's lemmas.")] = None,
) -> None:
    """Create a working project: config, sample dataset, an LF module and two glossaries;
    with --no-example, the config for your --labels (and --lang) alone."""
    from labelwright.scaffold import init_project

    if not directory.strip():  # an unset $DIR
        raise typer.BadParameter("an empty name; name the folder to create the project in, "
                                 "e.g. `labelwright init my-project` or `.` for this one",
                                 param_hint="DIRECTORY")
    names = None if labels is None else [
        name.strip() for given in labels for name in given.split(",")]
    written = init_project(directory, force=force, labels=names, example=example, lang=lang)
    for path in written:
        console.print(f"  created {path}")
    # quoted for a shell: a folder name may hold spaces; `init .` needs no cd
    here = Path(directory).resolve() == Path.cwd()
    where = "" if here else f"cd {shlex.quote(str(directory))} && "
    if example:
        console.print(Text.assemble("\nNext: ", (f"{where}labelwright run", "bold")))
        return
    console.print(Text.assemble(
        "\nNext: write LFs in labeling_functions/ and the items in data/items.csv (or run "
        "on a DataFrame from Python: run_project(path, data=df)), then ",
        (f"{where}labelwright check", "bold")))


@app.command()
def check(project: ProjectDir = Path("."), data: DataPath = None,
          as_json: Annotated[bool, typer.Option(
              "--json", help="Print one JSON object on stdout (ok, problems, warnings, "
              "counts); the text goes to stderr.")] = False,
          scheduler: Annotated[str | None, typer.Option(
              "--scheduler", help="Reach this Dask scheduler (in place of [apply] "
              "scheduler) and count its workers, waiting 5 s at most.")] = None) -> None:
    """Validate config, LFs, glossaries and dataset; list every problem with file:line."""
    from contextlib import nullcontext

    from labelwright.cli.json_summary import check_record, echo_json, error_record, human_to_stderr
    from labelwright.errors import LabelwrightError

    with human_to_stderr(console) if as_json else nullcontext():
        try:
            report = _check_and_print(project, data, scheduler)
        except LabelwrightError as exc:  # the problems are the report's; this is rare
            if as_json:
                echo_json(error_record("check", exc))
            raise
    if as_json:
        echo_json(check_record(report))
    if not report.ok:
        raise typer.Exit(1)


def _check_and_print(project: Path, data: Path | None, scheduler: str | None = None) -> Any:
    """``check``'s report, and all it prints; its problems as ``error:`` lines."""
    import_spacy(project)
    from labelwright.project.check import check_project

    report = check_project(project, data=data, scheduler=scheduler)
    for message in report.warnings:
        warning(err, message)
    if not report.ok:
        for problem in report.problems:
            error(err, problem)
        return report
    console.print(
        f"ok: {counted(report.n_lfs, 'labeling function')} "
        f"({counted(report.n_glossaries, 'glossary', 'glossaries')}, "
        f"{counted(report.n_terms, 'term')}, {counted(report.n_phrases, 'phrase')}), "
        f"{counted(report.n_items, 'item')}, labels: "
        f"{', '.join(report.config.labels) if report.config else ''}"
    )
    # an ok is only as wide as the trial: a line its items never reach can still fail a run
    if report.n_tried == report.n_items:
        console.print(f"  LFs tried on all {counted(report.n_items, 'item')}")
    elif report.n_tried:
        console.print(f"  LFs tried on {report.n_tried} of {report.n_items} items, spread evenly "
                      "over the data (a run applies them to all)")
    if report.mostly_failing:
        console.print(Text.assemble(
            ("  but ", "red"), (f"{', '.join(report.mostly_failing)} raised on most of the "
                                "items tried: broken, not rules that abstain (see the "
                                "warnings above)", "red")), highlight=False)
    if report.scheduler is not None:  # reached: how many workers it has
        console.print(f"  {report.scheduler.line()}", highlight=False)
    return report


@app.command()
def analyze(project: ProjectDir = Path("."), fail_fast: FailFast = False,
            engine: Engine = None, scheduler: Scheduler = None, no_cache: NoCache = False,
            lf: Annotated[list[str] | None, typer.Option(
                "--lf", help="Show only this LF (a name, or a pattern such as 'glossary:*'; "
                "give it more than once for several) and the items behind its numbers: "
                "wrong votes, conflicts, right votes.")] = None,
            examples: Annotated[int, typer.Option(
                "--examples", min=0, help="Items shown per group with --lf.")] = 5,
            strict: Strict = False, data: DataPath = None,
            model: Annotated[list[str] | None, typer.Option(
                "--model", help="Also fit this label model (a name, module:Class, either "
                "with settings: 'dawid_skene(prior_strength=5)'; give it more than once to "
                "compare several; the config's model and majority vote are added) as run "
                "fits its own, and print each one's accuracy on the held-out gold items. "
                "Writes nothing.")] = None,
            ) -> None:
    """Apply the LFs and print the LF table (coverage, overlaps, conflicts, accuracy)."""
    import_spacy(project)
    from labelwright.cli.apply_lines import exit_on_failures, print_apply_lines, print_failures
    from labelwright.cli.lf_examples import print_wrong_most
    from labelwright.lfs.examples import lf_examples, select_lfs
    from labelwright.lfs.stats import below_chance, coverage, queue_labels
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
                                               failed=failed, fields=dataset.fields), where)
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


@app.command()
def run(
    project: ProjectDir = Path("."),
    fail_fast: FailFast = False,
    strict: Strict = False,
    engine: Engine = None,
    scheduler: Scheduler = None,
    no_cache: NoCache = False,
    report: Annotated[
        bool, typer.Option("--report/--no-report", help="Write runs/<run_id>/report.html.")
    ] = True,
    data: DataPath = None,
    ranking: Annotated[str | None, typer.Option(
        "--ranking", metavar="<str>",
        help="Order the review queue by combined or confidence for this run, in place of "
             "[triage] ranking (confidence skips the end model's ranking: quicker while "
             "editing LFs). The manifest records it (triage.ranking_from).")] = None,
    queue_limit: Annotated[int | None, typer.Option(
        "--queue-limit", metavar="<int>", min=0,
        help="Write only the review queue's first N items (and its audit items) to "
             "review.csv and review.jsonl, in place of [review] queue_limit; "
             "labels.parquet's queue_rank ranks the whole queue.")] = None,
    label_model_from: Annotated[str | None, typer.Option(
        "--label-model-from", metavar="<run>",
        help="Reuse that run's fitted label model (runs/<run>/label_model.json) instead of "
             "fitting one: unchanged items keep their labels when new items arrive. Refused "
             "unless its labels and LFs are this run's; the manifest records it "
             "(label_model.from_run).")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print one JSON object on stdout saying what the run did (run_id, "
        "run_dir, labels_file, counts, accuracy, warnings, status, exit_code); what the "
        "command prints otherwise goes to stderr.")] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="Print only warnings, errors and the final 'run ... written "
        "to ...' line: no tables, samples or progress (for CI jobs and nightly runs).")
    ] = False,
) -> None:
    """Apply LFs, fit the label model, triage, and write runs/<run_id>/ with its report."""
    from contextlib import nullcontext

    from labelwright.cli.json_summary import echo_json, error_record, human_to_stderr, run_record
    from labelwright.cli.run_output import run_and_print
    from labelwright.errors import LabelwrightError

    with human_to_stderr(console) if as_json else nullcontext():
        try:
            result, warned = run_and_print(project, fail_fast=fail_fast, strict=strict,
                                           engine=engine, scheduler=scheduler,
                                           no_cache=no_cache, report=report, data=data,
                                           ranking=ranking, queue_limit=queue_limit,
                                           label_model_from=label_model_from,
                                           quiet=quiet)
        except LabelwrightError as exc:
            if as_json:
                echo_json(error_record("run", exc))
            raise
    failed = result.outcome["status"] == "failed"
    if as_json:
        echo_json(run_record(result, warnings=warned, exit_code=int(failed)))
    if failed:
        raise typer.Exit(1)


def _register_subcommands() -> None:
    from labelwright.cli.bench import bench_app
    from labelwright.cli.erase import erase
    from labelwright.cli.explain import explain
    from labelwright.cli.report import report
    from labelwright.cli.review import review_app
    from labelwright.cli.review_retire import retire
    from labelwright.cli.runs import runs_app
    from labelwright.cli.train import train
    from labelwright.cli.training_export import export

    app.add_typer(bench_app, name="bench")
    app.command()(report)
    app.add_typer(runs_app, name="runs")
    app.command()(explain)
    app.command()(erase)
    review_app.command("retire")(retire)
    app.add_typer(review_app, name="review")
    app.command("export")(export)
    app.command()(train)


_register_subcommands()
