"""What ``labelwright run`` prints (the command is in :mod:`labelwright.cli.app`): the
apply's lines, the run's counts, tables and samples, the changes since the previous run,
and a failed run's ``error:`` line last."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from labelwright.caches import REFRESH
from labelwright.cli.app import console, err
from labelwright.cli.apply_lines import print_apply_lines, print_failures
from labelwright.cli.lf_examples import print_wrong_most
from labelwright.cli.output import error, warning
from labelwright.cli.progress import LogProgress, progress_bar, reporter
from labelwright.cli.tables import (
    counts_table,
    evaluation_table,
    lf_table,
    model_table,
    vote_calibration_table,
)
from labelwright.counts import counted
from labelwright.percent import percent
from labelwright.startup import import_spacy
from labelwright.warning_kinds import kinded, kinded_as


def run_and_print(project: Path, *, fail_fast: bool, strict: bool, engine: str | None,
                  scheduler: str | None, no_cache: bool, report: bool,
                  data: Path | None, ranking: str | None = None,
                  queue_limit: int | None = None,
                  label_model_from: str | None = None, quiet: bool = False
                  ) -> tuple[Any, list[str]]:
    """``run``'s run and all it prints (a failed run's ``error:`` line last); the run, and
    the warnings printed, each knowing its kind (:mod:`labelwright.warning_kinds`).
    ``quiet`` (``--quiet``): only warnings, errors and the ``run ... written to ...`` line
    (a CI log wants what needs a look, not the tables)."""
    with _hushed(console, quiet):
        return _run_and_print(project, fail_fast=fail_fast, strict=strict, engine=engine,
                              scheduler=scheduler, no_cache=no_cache, report=report,
                              data=data, ranking=ranking, queue_limit=queue_limit,
                              label_model_from=label_model_from, quiet=quiet)


@contextmanager
def _hushed(shown: Console, quiet: bool) -> Iterator[None]:
    """Inside, ``shown`` prints nothing when ``quiet`` (warnings and errors are on ``err``,
    which stays as it is); what it was is put back after."""
    kept = shown.quiet
    shown.quiet = kept or quiet
    try:
        yield
    finally:
        shown.quiet = kept


@contextmanager
def _heard(shown: Console) -> Iterator[None]:
    """Inside, ``shown`` prints even under ``--quiet``: the run's one-line summary."""
    kept, shown.quiet = shown.quiet, False
    try:
        yield
    finally:
        shown.quiet = kept


def _run_and_print(project: Path, *, fail_fast: bool, strict: bool, engine: str | None,
                   scheduler: str | None, no_cache: bool, report: bool,
                   data: Path | None, ranking: str | None, queue_limit: int | None,
                   label_model_from: str | None, quiet: bool) -> tuple[Any, list[str]]:
    """:func:`run_and_print`'s work, with ``console`` hushed under ``quiet``."""
    import_spacy(project)
    from labelwright.caches import ranking_cache_text
    from labelwright.cli.run_summary import sample_lines
    from labelwright.errors import RunFailed
    from labelwright.project import run_project
    from labelwright.project.apply import lf_failures_shown_by_caller
    from labelwright.project.label_calibration import miscalibrated_lines
    from labelwright.project.label_coverage import label_coverage_line
    from labelwright.project.label_f1 import rare_labels, weakest_labels
    from labelwright.project.run_settings import QUEUE_LIMIT_OPTION
    from labelwright.review.queue.run_queue import no_sample_reason, sample_ids
    from labelwright.runs.manifest import read_manifest
    from labelwright.runs.outcome import failed_run_message, failed_run_warning
    from labelwright.runs.ranking_weights import ranking_weights_text

    started = time.perf_counter()
    # the failures are printed below (print_failures), not logged as well
    with progress_bar(err) as bar, lf_failures_shown_by_caller():
        # under --quiet no progress either: a CI log keeps what needs a look
        progress = LogProgress(lambda line: None) if quiet else reporter(bar, err)
        try:
            result = run_project(project, fail_fast=fail_fast, strict=strict,
                                 progress=progress, stage=progress.stage, report=report,
                                 engine=engine, scheduler=scheduler,
                                 cache=REFRESH if no_cache else None, data=data,
                                 ranking=ranking, queue_limit=queue_limit,
                                 queue_limit_from=QUEUE_LIMIT_OPTION,
                                 label_model_from=label_model_from)
        except RunFailed as stopped:  # written all the same: said in full, then exit 1
            result = stopped.result
    seconds = time.perf_counter() - started  # the steps' timings overlap ("write")
    # the warnings printed, with kinds: the data reader's `data`, the apply step's their own
    warned = kinded_as("data", result.dataset.warnings)
    for message in warned:
        warning(err, message)
    print_apply_lines(result.applied)
    manifest = read_manifest(result.run_dir)
    recorded = manifest.get("triage") or {}
    ranking_line = ranking_cache_text(recorded.get("ranking_cache"))
    if ranking_line:
        console.print(ranking_line, highlight=False)
    weights_line = ranking_weights_text(recorded.get("ranking_weights_evidence"))
    if weights_line:
        console.print(weights_line, highlight=False)
    console.print(lf_table(result.lf_table, labels=result.project.labels))
    print_wrong_most(console, result.lf_table, result.project)
    model = result.model
    chosen = getattr(model, "chosen_", None)
    fitted = getattr(model, "model_", model)  # auto: the model it chose and fit
    console.print(Text.assemble(
        "\n", ("Label model", "bold"), f": {result.model_name} ({type(model).__name__}), "
        f"tie-break {getattr(model, 'tie_break', '?')}"))
    from_run = (manifest.get("label_model") or {}).get("from_run")
    reused = reused_line(from_run)
    if reused:
        console.print(reused, highlight=False)
    if chosen:
        from labelwright.models.calibration import Calibrator

        doc = getattr(model, "calibration_", None)
        calibration = Calibrator.from_dict(doc) if doc else None
        decide = {"model": "the model's own", "calibrated": "the calibrated"}
        console.print(f"  chose {chosen['model']} ({type(fitted).__name__}): {chosen['reason']}"
                      + (f"; calibration: {calibration.describe()}; labels from "
                         f"{decide.get(getattr(model, 'decide_on_', ''), '?')} probabilities"
                         if calibration is not None and calibration.learned_anything else ""))
    fit_by = (str(from_run.get("fit_by") or from_run.get("run_id"))
              if isinstance(from_run, dict) else None)
    console.print(model_table(fitted, result.project.labels, console.width, fit_by=fit_by))
    console.print(f"coverage: {percent(result.coverage)} of {counted(len(result.dataset), 'item')}")
    by_label = label_coverage_line(result.applied.matrix.votes, result.project.labels)
    if by_label:
        console.print(by_label, highlight=False)
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
        for flagged in miscalibrated_lines(result.calibration_by_label):
            console.print(f"  {flagged}", highlight=False)
    _print_review_queue(result, recorded)
    drawn = sample_ids(result.run_dir)
    if drawn:
        for line in sample_lines(result.run_dir, len(drawn), result.model_name):
            console.print(line)
    elif recorded.get("random_sample"):  # asked for, but nothing to draw from: a warning,
        # so --quiet keeps it (the sample a CI job asked for is not there)
        warned += kinded("random_sample", [
            f"random sample: none drawn ([triage] random_sample = "
            f"{recorded['random_sample']}): {no_sample_reason(result.run_dir)}"])
        warning(err, warned[-1])
    failed = result.outcome["status"] == "failed"
    own = failed_run_warning(result.outcome, result.run_id, result.run_dir) if failed else None
    # the comparison with the previous run, made before the manifest was written (with or
    # without a report); its warnings are in result.warnings
    changes = result.changes
    for message in result.warnings:
        if message != own:  # the failed run's own warning is the error below
            warning(err, message)
            warned.append(message)
    print_failures(result.applied.failures, len(result.dataset), result.project.lfs,
                   result.dataset, failed_rows=result.applied.failed_rows)
    from labelwright.cli.elapsed import process_seconds
    from labelwright.cli.ranking_hint import ranking_hint
    from labelwright.runs.file_names import REPORT

    if changes is not None:
        from labelwright.runs.diff.lines import code_line, since_line

        console.print(since_line(changes), highlight=False)
        upgraded = code_line(changes)
        if upgraded:
            console.print(upgraded, highlight=False)
            missed = upgrade_cache_line(changes, manifest, _previous_manifest(result, changes))
            if missed:
                console.print(missed, highlight=False)
    whole = process_seconds()  # a scheduler's clock counts start-up too
    with _heard(console) if quiet else nullcontext():
        console.print(f"{'' if quiet else chr(10)}run {result.run_id} written to "
                      f"{result.run_dir} in {seconds:.1f}s"
                      + (f" ({whole:.1f}s with start-up)" if whole is not None else ""))
    wrote_report = (result.run_dir / REPORT).exists()
    if wrote_report:
        console.print(f"report: {result.run_dir / REPORT}")
    hint = ranking_hint(result.timings.get("rank"), recorded)
    if hint:
        console.print(hint, highlight=False)
    if not failed:
        from labelwright.cli.first_run import first_run_lines

        for line in first_run_lines(result.run_dir, has_gold=bool(result.evaluation),
                                    report=wrote_report):
            console.print(line, highlight=False)
    if failed:
        error(err, f"{failed_run_message(result.outcome, result.run_id, result.run_dir)} "
                   "(exit 1)")
    return result, warned


def _print_review_queue(result: Any, recorded: dict[str, Any]) -> None:
    """``run``'s Review queue table (``recorded``: the manifest's ``triage``) and the lines
    under it: the queue by suggested label, gold items left out, copies, the review files,
    renamed ``show_fields`` keys and the audits'."""
    from labelwright.cli.audit_lines import previous_audit_lines, small_audit_line
    from labelwright.cli.run_summary import queue_labels_line
    from labelwright.copies import copies_line
    from labelwright.review.queue.shown_fields import keys_apart_said, renamed_keys
    from labelwright.runs.file_names import QUEUE_CSV, SAMPLE_CSV
    from labelwright.runs.queue_files import queue_files_line
    from labelwright.triage.draw_records import gold_left_out_line
    from labelwright.triage.reasons import HEAD_REASONS, REASONS

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
    for line in (queue_labels_line(result.triage.label, result.triage.status,
                                   result.project.labels, result.triage.reasons,
                                   result.triage.order),
                 gold_left_out_line(recorded), copies_line(recorded),
                 queue_files_line(recorded)):
        if line:
            console.print(f"  {line}", highlight=False)
    renamed = renamed_keys(result.project.config.review.show_fields)
    if renamed:  # review.csv's header names the keys alone
        sheets = [name for name in (QUEUE_CSV, SAMPLE_CSV) if (result.run_dir / name).exists()]
        console.print(f"  {' and '.join(sheets)}: {keys_apart_said(renamed)}", highlight=False)
    for line in previous_audit_lines(result.run_dir.parent, result.run_id, result.labels,
                                     renamed=dict(result.project.config.renamed),
                                     triage=recorded):
        console.print(line, highlight=False)
    small = small_audit_line(recorded)
    if small:
        console.print(f"  {small}", highlight=False)


def _previous_manifest(result: Any, changes: Any) -> dict[str, Any]:
    """The manifest of the run this run's ``since run`` line compares with: ``changes``'
    ``run_a``, the run the comparison found (not looked for again once this run is
    published, when another may have finished)."""
    from labelwright.runs.manifest import read_manifest

    previous = result.run_dir.parent / changes.run_a
    return read_manifest(previous) if previous.is_dir() else {}


def upgrade_cache_line(changes: Any, manifest: dict[str, Any],
                       previous: dict[str, Any]) -> str | None:
    """After an upgrade (another labelwright made ``previous``, the run before), why the Doc,
    match and ranking caches held nothing for this run: their keys hold labelwright's own
    code, which the votes line alone did not say. Each is named only when that code is what
    moved -- the pipeline's fingerprint holds the ``[nlp]`` settings too, the ranking key the
    probabilities, votes and reviews, so an ``[nlp]`` edit or a new LF misses as well: by
    the recorded ``labelwright_text_code`` part of the fingerprint and the ranking cache's
    ``code``, each named also when ``previous`` did not record it (an older labelwright).
    None when neither missed for the code."""
    from labelwright.runs.pipeline_change import CODE

    docs = (manifest.get("apply") or {}).get("doc_cache") or {}
    ranked = (manifest.get("triage") or {}).get("ranking_cache") or {}
    parts = []
    if changes.pipeline and docs.get("used") and not docs.get("hits") \
            and _text_code_moved(previous, manifest):
        parts.append(f"the Doc and match caches (the spaCy pipeline's fingerprint holds {CODE}, "
                     "which moved: every text parsed and matched again)")
    if ranked.get("used") and ranked.get("reused") is False and not ranked.get("refreshed") \
            and _ranking_code_moved(previous, ranked.get("code")):
        parts.append("the ranking cache (its key holds labelwright's ranking and end-model "
                     "code: the queue ranked again)")
    return f"caches missed once after the upgrade: {' and '.join(parts)}" if parts else None


def _text_code_moved(previous: dict[str, Any], manifest: dict[str, Any]) -> bool:
    """Whether labelwright's text-processing code in the pipeline's fingerprint differs
    between the runs (:func:`~labelwright.nlp.fingerprint_parts`); unknown (a previous run
    from before the parts were recorded) counts as moved. A pipeline without labelwright's
    own component has none of its code in the fingerprint."""
    now = ((manifest.get("pipeline") or {}).get("fingerprint_parts") or {})
    then = (previous.get("pipeline") or {}).get("fingerprint_parts")
    code = now.get("labelwright_text_code")
    return code is not None and (not isinstance(then, dict)
                                 or then.get("labelwright_text_code") != code)


def _ranking_code_moved(previous: dict[str, Any], code: Any) -> bool:
    """Whether the ranking code the previous run's ranking cache key held differs from
    ``code``; a previous run that ranked nothing (its ``ranking_cache`` null) or kept the
    cache off wrote no entry to miss, and one from before the code was recorded counts as
    moved."""
    triage = previous.get("triage") or {}
    if "ranking_cache" in triage and not (triage["ranking_cache"] or {}).get("used"):
        return False
    return (triage.get("ranking_cache") or {}).get("code") != code


def reused_line(from_run: Any) -> str | None:
    """The line saying a run reused an earlier run's label model (the manifest's
    ``label_model.from_run``), which the run's numbers would otherwise pass off as a fit."""
    if not isinstance(from_run, dict):
        return None
    return (f"  label model: reused from run {from_run.get('run_id')} (sha256 "
            f"{str(from_run.get('sha256'))[:12]}...), not fit")
