"""Command: ``runs verify`` (registered on ``runs_app`` in :mod:`labelwright.cli.runs`):
whether runs are as they were left, line by line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from labelwright.cli.options import ProjectDir, Run, RunOption, either_run
from labelwright.cli.output import make_console, styled
from labelwright.counts import counted
from labelwright.runs.file_names import REPORT, TRAIN_FILES
from labelwright.runs.replaced import REPLACED

if TYPE_CHECKING:
    from labelwright.runs.verify.inputs import InputCheck
    from labelwright.runs.verify.run_check import RunCheck

console = make_console()


def verify(run: Run = None, project: ProjectDir = Path("."), run_option: RunOption = None,
           every: Annotated[bool, typer.Option("--all", help="Verify every run.")] = False,
           inputs: Annotated[bool, typer.Option(
               "--inputs", help="Also hash the project's inputs now (data file, config, LFs, "
               "LF modules and folder files, glossaries) and name each that differs from what "
               "the run read.")] = False,
           recompute: Annotated[bool, typer.Option(
               "--recompute", help="With the inputs as the run read them (as --inputs "
               "checks), apply the LFs again without the vote and Doc caches and refit the "
               "label model; name each LF whose votes differ from the run's label matrix, "
               "and each label column that differs. When the project's config, LFs or "
               "glossaries changed since, recompute in a temporary project rebuilt from the "
               "run's kept sources/.")] = False,
           data: Annotated[Path | None, typer.Option(
               "--data", metavar="PATH",
               help="Compare each run with this file (relative to the current folder) in "
               "place of the data it read, and recompute from it with --recompute: the day's "
               "file a run read, kept since. It is the run's data when, read with the run's "
               "[data] settings, it has the run's data hash. Implies --inputs.")] = None,
           manifest_sha256: Annotated[str | None, typer.Option(
               "--manifest-sha256", metavar="SHA",
               help="The sha256 of the run's manifest.json as kept elsewhere (`runs show` "
               "prints it): a manifest whose hash is not this one is a problem. Not with "
               "--all.")] = None,
           as_json: Annotated[bool, typer.Option(
               "--json", help="One JSON object per run checked on stdout (run_id, ok, "
               "outcome: ok, differs or not recomputed; not_recomputed: why; failures, "
               "problems, notes), and one for an error; the text goes to stderr.")] = False,
           ) -> None:
    """Check that a run's files and the reviews it read are as the run left them: every
    output against the hash in its manifest, and the review ledger's decisions the run read
    against the ledger digest it recorded; with --inputs, also that the project's inputs
    are still the ones the run read; with --recompute, also that its votes and labels are
    what its LFs and label model give again; with --data, the file given stands for the
    data each run read. Exits 1 when anything differs, 2 when it cannot check (an unknown
    run, no runs, a broken config), 3 when nothing differs but --recompute could not compute
    a run's labels again (a changed spaCy pipeline, rows erased since the run, a DataFrame
    run without its frame); with --all, 1 over 3 over 0."""
    from labelwright.runs.verify.runs import check_manifest_sha256, iter_verify

    run = either_run(run, run_option, project)
    if every and run is not None:
        raise typer.BadParameter(f"a run ({run!r}) and --all: give one or the other",
                                 param_hint="--all")
    try:
        check_manifest_sha256(manifest_sha256, every=every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--manifest-sha256") from None
    from contextlib import nullcontext

    from labelwright.cli.app import err, said_as_json
    from labelwright.cli.json_summary import (
        echo_json,
        human_to_stderr,
        verify_record,
    )
    from labelwright.cli.output import NOT_RECOMPUTED, TROUBLE, trouble_exits

    outcomes: set[str] = set()
    with (trouble_exits(err),  # exit 1 is "differs": one that cannot check is 2
          human_to_stderr(console) if as_json else nullcontext()):
        # an error (exit 2), Ctrl-C or SIGTERM: said as run --json says them
        with (said_as_json("runs verify", exit_code=TROUBLE, bugs=False) if as_json
              else nullcontext()):
            for check in iter_verify(project, run, every=every, inputs=inputs,
                                     recompute=recompute, data=data,
                                     manifest_sha256=manifest_sha256):
                _print_check(check)
                outcomes.add(check.outcome)
                if as_json:
                    echo_json(verify_record(check))
        if every:  # half-written runs are no runs: said, not verified
            from labelwright.config import load_config
            from labelwright.runs.staging import staging_lines

            for line in staging_lines(load_config(project).runs_path):
                console.print(f"not verified: {line}", highlight=False)
    if "differs" in outcomes:
        raise typer.Exit(1)
    if "not recomputed" in outcomes:
        raise typer.Exit(NOT_RECOMPUTED)


def _linked(check: RunCheck) -> str:
    """``; its manifest's sha256 is the one run X and the provenance of 1 exported training
    set recorded``: what vouched for the manifest, for the run's ``ok`` line ("" when
    nothing did)."""
    by = ([f"run {check.linked_by}"] if check.linked_by else []) + (
        [f"the provenance of {counted(check.linked_exports, 'exported training set')}"]
        if check.linked_exports else [])
    return f"; its manifest's sha256 is the one {' and '.join(by)} recorded" if by else ""


def _print_check(check: RunCheck) -> None:
    """A run's lines of ``runs verify``: ok or its problems, notes, files not hashed and,
    with --inputs, how the project's inputs now differ from those the run read."""
    if check.problems:
        console.print(styled(f"{check.run_id}: {len(check.problems)} problem(s)", "red"))
        for problem in check.problems:
            console.print(f"  {problem}", highlight=False)
    elif check.archive:  # a pruned run: its manifest and sources alone
        console.print(f"{check.run_id}: ok (pruned; its archive runs/{check.archive}: its "
                      "manifest's sha256 is the one runs/PRUNED.jsonl recorded"
                      + (f" and run {check.linked_by} recorded" if check.linked_by else "")
                      + f"; its {counted(check.sources_hashed, 'kept source')} "
                      + ("matches)" if check.sources_hashed == 1 else "match)"),
                      highlight=False)
    else:
        hashed = check.outputs_hashed
        found = (f"{counted(hashed, 'output')} "
                 f"{'matches its hash' if hashed == 1 else 'match their hashes'}"
                 + (f"; its {counted(check.sources_hashed, 'kept source')} "
                    + ("matches" if check.sources_hashed == 1 else "match")
                    if check.sources_hashed else "")
                 + (f"; the {check.ledger_decisions} ledger decisions it read"
                    + (f" and the {counted(check.ledger_retirements, 'retirement record')} it "
                       "honoured" if check.ledger_retirements else "")
                    + " are unchanged" + _erased_from_ledger(check.notes)
                    + (f" and settle its {counted(check.reviewed_rows, 'reviewed row')}"
                       if check.reviewed_rows else "")
                    if check.ledger_decisions is not None else "")
                 + _linked(check)
                 + ("; train's end model and its labels belong together"
                    if check.train_checked else "")
                 + (f"; {check.report}" if check.report else "")
                 + (f"; its manifest's {', '.join(check.claims_checked)} are what its files "
                    "give" if check.claims_checked else ""))
        if check.outcome == "not recomputed":  # nothing differs, the labels went unchecked
            short = check.recomputed.skipped[0] if check.recomputed is not None else ""
            console.print(styled(f"{check.run_id}: labels not recomputed ({short}); its files "
                                 f"are as the run wrote them ({found})", "yellow"),
                          highlight=False)
        elif check.ok:
            console.print(f"{check.run_id}: ok ({found})", highlight=False)
        else:  # its files are fine, the inputs or the recomputed votes and labels are not
            console.print(styled(f"{check.run_id}: differs (below); its files are as the run "
                                 f"wrote them ({found})", "red"), highlight=False)
    for note in check.notes:
        console.print(f"  {note}", highlight=False)
    trained = [name for name in check.not_hashed if name in TRAIN_FILES]
    kept = [name for name in check.not_hashed if name.startswith(f"{REPLACED}/")]
    added = [name for name in check.not_hashed
             if name != REPORT and name not in TRAIN_FILES and name not in kept]
    if REPORT in check.not_hashed:
        console.print(f"  not hashed: {REPORT} (built from the manifest after the outputs "
                      "were hashed; `labelwright report` rebuilds it)", highlight=False)
    if trained:
        console.print(f"  not hashed: {', '.join(trained)} (the files `labelwright "
                      "train` writes after a run; not checked against the run here: see the "
                      "lines above)", highlight=False)
    if kept:
        console.print(f"  not hashed: {', '.join(kept)} (the files a later `labelwright "
                      "train` or `labelwright report` replaced, kept as they were)",
                      highlight=False)
    if added:
        console.print(f"  not hashed (added after the run: review exports, or by "
                      f"hand): {', '.join(added)}", highlight=False)
    if check.inputs_note:
        console.print(f"  inputs: {check.inputs_note}")
    elif check.inputs is not None:
        _print_input_changes(check.inputs)
    if check.recomputed is not None:
        from labelwright.runs.verify.recompute_lines import recompute_lines

        for line in recompute_lines(check.recomputed):
            console.print(styled(f"  {line}", "red") if check.recomputed else f"  {line}",
                          highlight=False)


def _print_input_changes(check: InputCheck) -> None:
    """Print how the project's inputs now differ from those the run read."""
    for note in check.notes:
        console.print(f"  inputs: {note}", highlight=False)
    for change in check.erased:
        console.print(f"  inputs: {change}: the recorded erasure accounts for it (not a "
                      "difference): its items are gone from the data, and every other item "
                      "has the text the run read", highlight=False)
        for line in change.items:
            console.print(f"    {line}", highlight=False)
    if not check:
        console.print("  inputs: as the run read them ("
                      + (", ".join(check.checked) or "none recorded")
                      + (", but for the erasure above" if check.erased else "") + ")",
                      highlight=False)
        return
    differ = len(check.changes)
    console.print(styled(f"  inputs: {counted(differ, 'differs', 'differ')} from what the run "
                         "read" if differ else "  inputs: cannot all be compared", "red"))
    for change in check.changes:
        console.print(f"    {change}", highlight=False)
        for line in change.items:  # the data: which items' texts changed
            console.print(f"      {line}", highlight=False)
    for line in check.problems:
        console.print(f"    {line}", highlight=False)


def _erased_from_ledger(notes: list[str]) -> str:
    """`` but for the notes erase took out (below)`` (and the raters' names) when a note
    line says an erasure changed decisions the run read, else ``""``."""
    from labelwright.runs.erase.ledger_notes import NOTES_LINE
    from labelwright.runs.erase.raters import RATER_LINE

    erased = [what for what, line in (("the notes", NOTES_LINE), ("the raters' names",
                                                                     RATER_LINE))
              if any(line in n for n in notes)]
    return f" but for {' and '.join(erased)} erase took out (below)" if erased else ""
