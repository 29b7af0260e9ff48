"""Commands: init, check, analyze, run (and bench, from :mod:`labelwright.cli.bench`). What
``run`` prints is :mod:`~labelwright.cli.run_output`; what ``run`` and ``analyze`` say of the
apply, :mod:`~labelwright.cli.apply_lines`."""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from labelwright.cli.options import DataPath, OnceGroup, ProjectDir
from labelwright.cli.output import error, make_console, warning
from labelwright.counts import counted
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
        "\nNext: write the items in data/items.csv (a header row naming the columns id and "
        "text; [data] in labelwright.toml names others, and a gold column of labels you "
        "trust), or run on a DataFrame from Python: run_project(path, data=df); write LFs "
        "in labeling_functions/ and glossaries in glossaries/ (README: Writing a labeling "
        "function, Writing a glossary); then ",
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

    from labelwright.cli.json_summary import check_record, echo_json, human_to_stderr

    # an error (the problems are the report's; this is rare), Ctrl-C or SIGTERM: said as
    # run --json says them
    with (human_to_stderr(console) if as_json else nullcontext(),
          said_as_json("check", bugs=False) if as_json else nullcontext()):
        report = _check_and_print(project, data, scheduler)
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
        console.print(f"  LFs tried on {report.n_tried:,} of {counted(report.n_items, 'item')}, "
                      "spread evenly over the data (a run applies them to all)")
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
    from labelwright.cli.analyze_output import analyze_and_print

    analyze_and_print(project, fail_fast=fail_fast, engine=engine, scheduler=scheduler,
                      no_cache=no_cache, lf=lf, examples=examples, strict=strict, data=data,
                      model=model)


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

    from labelwright.cli.json_summary import echo_json, human_to_stderr, run_record
    from labelwright.cli.run_output import run_and_print

    with human_to_stderr(console) if as_json else nullcontext(), _said_if_written(), \
            said_as_json("run") if as_json else nullcontext():
        result, warned = run_and_print(project, fail_fast=fail_fast, strict=strict,
                                       engine=engine, scheduler=scheduler,
                                       no_cache=no_cache, report=report, data=data,
                                       ranking=ranking, queue_limit=queue_limit,
                                       label_model_from=label_model_from, quiet=quiet)
    failed = result.outcome["status"] == "failed"
    if as_json:
        echo_json(run_record(result, warnings=warned, exit_code=int(failed)))
    if failed:
        raise typer.Exit(1)


@contextmanager
def _said_if_written() -> Iterator[None]:
    """A run stopped by Ctrl-C or SIGTERM once its folder was in place says that it is
    complete, before the ``interrupted:`` line (which says a run cut short is no run):
    ``run 2026... was written before the SIGTERM: it is complete and runs/LATEST names
    it`` (:func:`~labelwright.cli.json_summary.written_run`)."""
    try:
        yield
    except KeyboardInterrupt as exc:
        from labelwright.cli.json_summary import stopped_by, written_run

        written = written_run(exc)
        if written is not None:
            err.print(f"run {written[0].name} was written before the {stopped_by(exc)[0]}: "
                      f"{written[2]} ({written[0]})", highlight=False)
        raise


@contextmanager
def said_as_json(command: str, *, exit_code: int = 1, bugs: bool = True
                 ) -> Iterator[None]:
    """Inside, a command stopped before it has a result prints its ``--json`` error object
    (:func:`~labelwright.cli.json_summary.error_record`) before the error goes on to be
    said on stderr: an error of labelwright's (``exit_code``: 2 for ``runs verify``, whose
    1 is "differs"), Ctrl-C or SIGTERM (130, 143:
    :func:`~labelwright.cli.json_summary.interrupted_record`), or, with ``bugs``, a bug
    (exit 1, with its traceback on stderr). Usage errors are said so in
    :mod:`labelwright.cli.entry`."""
    from labelwright.cli.click_classes import click_classes
    from labelwright.cli.json_summary import echo_json, error_record, interrupted_record
    from labelwright.errors import LabelwrightError

    try:
        yield
    except KeyboardInterrupt as exc:
        echo_json(interrupted_record(command, exc))
        raise
    except LabelwrightError as exc:
        echo_json(error_record(command, exc, exit_code=exit_code))
        raise
    except Exception as exc:
        if not bugs:
            raise
        if not isinstance(exc, tuple(kind for name in ("ClickException", "Exit", "Abort")
                                     for kind in click_classes(name))):
            echo_json(error_record(command, own_model_failure(exc)
                                   or f"{type(exc).__name__}: {exc}"))
        raise


def own_model_failure(exc: BaseException) -> str | None:
    """What a failure in the ``_fit`` or ``_predict_proba`` of a label model of the user's
    own says (:func:`~labelwright.models.own_code.failed_in`); None otherwise, and when no
    label model was made (the module is not imported)."""
    import sys

    own_code = sys.modules.get("labelwright.models.own_code")
    return None if own_code is None else own_code.failed_in(exc)


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
