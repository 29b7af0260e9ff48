"""Commands: init, check, analyze, run (and bench, from :mod:`labelwright.cli.bench`)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from labelwright.caches import REFRESH
from labelwright.cli.options import DataPath, OnceGroup, ProjectDir
from labelwright.cli.output import error, make_console, warning
from labelwright.cli.progress import progress_bar, reporter
from labelwright.cli.tables import (
    counts_table,
    evaluation_table,
    lf_table,
    model_comparison_table,
    model_table,
    vote_calibration_table,
)
from labelwright.counts import counted
from labelwright.percent import percent
from labelwright.startup import import_spacy

if TYPE_CHECKING:
    from labelwright.apply import ApplyResult

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
                "--model", help="Also fit this label model (give it more than once to "
                "compare several; majority vote is added) as run fits its own, and print "
                "each one's accuracy on the held-out gold items. Writes nothing.")] = None,
            ) -> None:
    """Apply the LFs and print the LF table (coverage, overlaps, conflicts, accuracy)."""
    import_spacy(project)
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

    if model:
        from labelwright.model_comparison import check_model_names

        try:  # before the LFs are applied, as --lf
            check_model_names(model)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="'--model'") from None
    loaded = load_project(project, data=data)
    chosen = None
    if lf:
        try:  # before the LFs are applied: a misspelt name costs nothing
            chosen = select_lfs([f.name for f in loaded.lfs], lf)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="'--lf'") from None
    # the failures are printed below (_print_failures), not logged as well
    with progress_bar(err) as bar, lf_failures_shown_by_caller():
        dataset, applied = apply_project(loaded, fail_fast=fail_fast, progress=reporter(bar, err),
                                         engine=engine, scheduler=scheduler,
                                         cache=REFRESH if no_cache else None)
    # LF accuracies on gold and random-sample reviews, the queue's apart, as run counts them
    reviewed = project_reviews(loaded.config, dataset)
    summary, known, clash = counted_lf_table(loaded, dataset, applied, reviewed)
    for message in [*dataset.warnings, *clash]:  # as run and check show them
        warning(err, message)
    _print_apply_lines(applied, written=False)
    shown = summary if chosen is None else \
        summary[summary["lf"].isin(chosen)].reset_index(drop=True)
    console.print(lf_table(shown, labels=loaded.labels))
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
                                               failed=failed), where)
    _print_failures(applied.failures if chosen is None else
                    {k: v for k, v in applied.failures.items() if k in chosen}, len(dataset),
                    loaded.lfs)
    _exit_on_failures(applied.failures, len(dataset), strict=strict)


def _print_model_comparison(config: Any, dataset: Any, votes: Any, reviewed: Any,
                            names: list[str]) -> None:
    """``analyze --model``'s table: each label model's accuracy on the held-out gold."""
    from labelwright.model_comparison import compare_label_models

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
) -> None:
    """Apply LFs, fit the label model, triage, and write runs/<run_id>/ with its report."""
    from contextlib import nullcontext

    from labelwright.cli.json_summary import echo_json, error_record, human_to_stderr, run_record
    from labelwright.errors import LabelwrightError

    with human_to_stderr(console) if as_json else nullcontext():
        try:
            result, warned = _run_and_print(project, fail_fast=fail_fast, strict=strict,
                                            engine=engine, scheduler=scheduler,
                                            no_cache=no_cache, report=report, data=data,
                                            ranking=ranking, queue_limit=queue_limit,
                                            label_model_from=label_model_from)
        except LabelwrightError as exc:
            if as_json:
                echo_json(error_record("run", exc))
            raise
    failed = result.outcome["status"] == "failed"
    if as_json:
        echo_json(run_record(result, warnings=warned, exit_code=int(failed)))
    if failed:
        raise typer.Exit(1)


def _run_and_print(project: Path, *, fail_fast: bool, strict: bool, engine: str | None,
                   scheduler: str | None, no_cache: bool, report: bool,
                   data: Path | None, ranking: str | None = None,
                   queue_limit: int | None = None,
                   label_model_from: str | None = None) -> tuple[Any, int]:
    """``run``'s run and all it prints (a failed run's ``error:`` line last); the run, and
    how many warnings were printed."""
    import_spacy(project)
    from labelwright.caches import ranking_cache_text
    from labelwright.cli.audit_lines import previous_audit_lines
    from labelwright.cli.run_summary import sample_lines
    from labelwright.copies import copies_line
    from labelwright.errors import RunFailed
    from labelwright.project import run_project
    from labelwright.project.apply import lf_failures_shown_by_caller
    from labelwright.project.label_f1 import rare_labels, weakest_labels
    from labelwright.review.queue.export import sample_ids
    from labelwright.review.queue.run_queue import no_sample_reason
    from labelwright.runs.manifest import read_manifest
    from labelwright.runs.outcome import failed_run_message, failed_run_warning
    from labelwright.runs.queue_files import queue_files_line
    from labelwright.triage import HEAD_REASONS, REASONS, gold_left_out_line

    started = time.perf_counter()
    # the failures are printed below (_print_failures), not logged as well
    with progress_bar(err) as bar, lf_failures_shown_by_caller():
        progress = reporter(bar, err)
        try:
            result = run_project(project, fail_fast=fail_fast, strict=strict,
                                 progress=progress, stage=progress.stage, report=report,
                                 engine=engine, scheduler=scheduler,
                                 cache=REFRESH if no_cache else None, data=data,
                                 ranking=ranking, queue_limit=queue_limit,
                                 label_model_from=label_model_from)
        except RunFailed as stopped:  # written all the same: said in full, then exit 1
            result = stopped.result
    seconds = time.perf_counter() - started  # the steps' timings overlap ("write")
    warned = len(result.dataset.warnings)
    for message in result.dataset.warnings:
        warning(err, message)
    _print_apply_lines(result.applied)
    recorded = read_manifest(result.run_dir).get("triage") or {}
    ranking_line = ranking_cache_text(recorded.get("ranking_cache"))
    if ranking_line:
        console.print(ranking_line, highlight=False)
    console.print(lf_table(result.lf_table, labels=result.project.labels))
    model = result.model
    chosen = getattr(model, "chosen_", None)
    fitted = getattr(model, "model_", model)  # auto: the model it chose and fit
    console.print(Text.assemble(
        "\n", ("Label model", "bold"), f": {result.model_name} ({type(model).__name__}), "
        f"tie-break {getattr(model, 'tie_break', '?')}"))
    if chosen:
        from labelwright.models.calibration import Calibrator

        doc = getattr(model, "calibration_", None)
        calibration = Calibrator.from_dict(doc) if doc else None
        decide = {"model": "the model's own", "calibrated": "the calibrated"}
        console.print(f"  chose {chosen['model']} ({type(fitted).__name__}): {chosen['reason']}"
                      + (f"; calibration: {calibration.describe()}; labels from "
                         f"{decide.get(getattr(model, 'decide_on_', ''), '?')} probabilities"
                         if calibration is not None and calibration.learned_anything else ""))
    console.print(model_table(fitted, result.project.labels, console.width))
    console.print(f"coverage: {percent(result.coverage)} of {counted(len(result.dataset), 'item')}")
    if result.evaluation:
        console.print(evaluation_table(result.evaluation, result.model_name))
        weakest = weakest_labels(result.evaluation["label_model"], result.project.labels)
        if weakest:
            console.print(f"  label model's {weakest}", highlight=False)
        per_label = result.per_label
        rare = None if per_label is None else rare_labels(per_label)
        if rare:
            console.print(f"  label model's {rare}", highlight=False)
        by_votes = vote_calibration_table(result.evaluation)
        if by_votes is not None:
            console.print(by_votes)
    counts = result.triage.counts()
    console.print(counts_table("Review queue", {
        "accepted": counts["accepted"],
        **({"reviewed (label from review)": counts["reviewed"]} if counts["reviewed"] else {}),
        "to review": counts["review"],
        **{f"  {reason}": counts[reason] for reason in REASONS
           # rare (a head reason, or unread votes): shown when there
           if counts[reason] or reason not in (*HEAD_REASONS, "unread")},
    }))
    several = sum(len(reasons) > 1 for reasons in result.triage.reasons)
    if several:
        console.print(f"  ({counted(several, 'item')} to review "
                      f"{'has' if several == 1 else 'have'} more than one reason, counted under "
                      "each)")
    for line in (gold_left_out_line(recorded), copies_line(recorded),
                 queue_files_line(recorded)):
        if line:
            console.print(f"  {line}", highlight=False)
    for line in previous_audit_lines(result.run_dir.parent, result.run_id, result.labels,
                                     renamed=dict(result.project.config.renamed)):
        console.print(line, highlight=False)
    drawn = sample_ids(result.run_dir)
    if drawn:
        for line in sample_lines(result.run_dir, len(drawn), result.model_name):
            console.print(line)
    elif recorded.get("random_sample"):  # asked for, but nothing to draw from
        console.print(f"random sample: none drawn ([triage] random_sample = "
                      f"{recorded['random_sample']}): {no_sample_reason(result.run_dir)}",
                      highlight=False)
    failed = result.outcome["status"] == "failed"
    own = failed_run_warning(result.outcome, result.run_id, result.run_dir) if failed else None
    changes, dropped = _changes(result, report)
    for message in [*result.warnings, *dropped]:
        if message != own:  # the failed run's own warning is the error below
            warning(err, message)
            warned += 1
    _print_failures(result.applied.failures, len(result.dataset), result.project.lfs)
    from labelwright.cli.elapsed import process_seconds
    from labelwright.cli.ranking_hint import ranking_hint
    from labelwright.runs.file_names import REPORT

    if changes is not None:
        from labelwright.runs.diff.lines import since_line

        console.print(since_line(changes), highlight=False)
    whole = process_seconds()  # a scheduler's clock counts start-up too
    console.print(f"\nrun {result.run_id} written to {result.run_dir} in {seconds:.1f}s"
                  + (f" ({whole:.1f}s with start-up)" if whole is not None else ""))
    if (result.run_dir / REPORT).exists():
        console.print(f"report: {result.run_dir / REPORT}")
    hint = ranking_hint(result.timings.get("rank"), recorded)
    if hint:
        console.print(hint, highlight=False)
    if failed:
        error(err, f"{failed_run_message(result.outcome, result.run_id, result.run_dir)} "
                   "(exit 1)")
    return result, warned


def _changes(result: Any, report: bool) -> tuple[Any, list[str]]:
    """What changed since the previous run, for the ``since run ...`` line, and the
    warnings it may bring (:func:`~labelwright.project.run.since_warnings`: fallen
    accuracy, or why the previous run could not be compared): the report's comparison, or with
    ``--no-report`` (the nightly command, which skips the report) the same comparison made
    here, after the run is published (``result.changes`` stays None there, as
    ``run_project(report=False)`` gives it)."""
    if report or result.changes is not None:
        return result.changes, []
    from labelwright.project.run import since_warnings
    from labelwright.report import report_changes
    from labelwright.runs.manifest import read_manifest

    changes, not_compared = report_changes(result.run_dir, read_manifest(result.run_dir))
    return changes, since_warnings(changes, not_compared)


def _print_apply_lines(applied: ApplyResult, *, written: bool = True) -> None:
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


def _print_failures(failures, items: int, lfs) -> None:  # type: ignore[no-untyped-def]
    """Each LF's failures; ``lfs``: the project's LFs, whose module says where a relative
    path the LF did not find is (as ``check`` says it)."""
    from labelwright.lfs.failure_text import (
        error_line,
        fails_mostly,
        missing_file,
        mostly_failing,
        relative_path_hint,
    )

    files = {lf.name: lf.file for lf in lfs}
    for name, failure in failures.items():
        broken = f" of {items}: {mostly_failing(failure.count, items)}" \
            if fails_mostly(failure.count, items) else ""
        hint = relative_path_hint(missing_file(error_line(failure.traceback)),
                                  files.get(name)).strip()
        err.print(Text.assemble(
            (f"LF {name!r} raised on {counted(failure.count, 'item')}{broken}", "red"),
            f" (first: {', '.join(failure.item_ids)}); first traceback:\n{failure.traceback}",
            f"{hint}\n" if hint else ""), highlight=False)


def _exit_on_failures(failures, items: int, *, strict: bool) -> None:  # type: ignore[no-untyped-def]
    """``analyze``: exit 1 when an LF raised on every one of ``items`` (its column is all
    abstains: a broken LF, as ``check`` calls it), or with ``strict`` when any LF raised at
    all, as ``run`` does (:func:`~labelwright.runs.outcome.run_outcome`), so a script can
    tell; the messages above named them."""
    from labelwright.runs.outcome import failure_text, fix_text, run_outcome

    outcome = run_outcome(failures, items, strict=strict)
    if outcome["status"] == "failed":  # as a failed run says it, less the run it wrote
        error(err, f"{failure_text(outcome)}{fix_text(outcome)} (exit 1)")
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
