"""Command: ``runs diff`` (registered on ``runs_app`` in :mod:`labelwright.cli.runs`): what
changed between two runs, and its effect."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from labelwright.cli.options import ProjectDir
from labelwright.cli.output import make_console, styled, warning
from labelwright.counts import counted
from labelwright.percent import percent

if TYPE_CHECKING:
    from labelwright.config import ProjectConfig
    from labelwright.runs.diff.flip_filter import FlipFilter
    from labelwright.runs.diff.result import RunDiff
    from labelwright.runs.pruned import PrunedRun

console = make_console()
err = make_console(stderr=True)  # warnings, as run and check give them


def _delta(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:+.1f} pts"


def unvouched_outputs(*run_dirs: Path) -> list[str]:
    """A line per run one of whose outputs is missing or edited since the run wrote it,
    beside those ``runs diff`` reads (``labels.parquet``, refused when edited, and
    ``label_matrix.parquet``, named on the ``LF votes`` line): a diff of two runs' labels
    says nothing of their review files, and should not seem to vouch for them."""
    from labelwright.runs.file_names import LABELS_FILE, MATRIX_FILE
    from labelwright.runs.store import changed_outputs, read_manifest

    told = (LABELS_FILE, MATRIX_FILE)
    lines = []
    for run_dir in run_dirs:
        problems = changed_outputs(run_dir, read_manifest(run_dir), skip=told)
        if problems:
            lines.append(f"run {run_dir.name}: not as the run wrote it: {'; '.join(problems)} "
                         f"(`labelwright runs verify {run_dir.name}` checks the whole run)")
    return lines


def gap_lines(runs_dir: Path, run_a: str, run_b: str) -> list[str]:
    """A line per run gone by hand between ``run_a`` and ``run_b``
    (:func:`~labelwright.runs.manifest_chain.gaps_between`): the two runs compared are not
    neighbours, and what changed in the run gone is counted here as changed between them."""
    from labelwright.runs.manifest_chain import gaps_between

    return [f"{run_a} and {run_b} are not neighbours: {gap}; its changes are counted here "
            "with theirs" for gap in gaps_between(runs_dir, run_a, run_b)]


def diff(
    run_a: Annotated[str | None, typer.Argument(
        help="The earlier run (id or prefix; default: the run before RUN_B).")] = None,
    run_b: Annotated[str | None, typer.Argument(help="The later run (default: latest).")] = None,
    project: ProjectDir = Path("."),
    examples: Annotated[int, typer.Option(help="Flipped items to show.", min=0)] = 10,
    exit_code: Annotated[bool, typer.Option(
        "--exit-code", help="Exit 1 when the runs' labels or votes differ, 0 when not, 2 "
        "when they cannot be compared (no previous run, an unknown run, a broken config, a "
        "pruned run whose manifest alone is compared), as diff(1).")] = False,
    label: Annotated[list[str] | None, typer.Option(
        "--label", help="Count and show only the flips into or out of this label "
                        "(repeatable).")] = None,
    lf: Annotated[list[str] | None, typer.Option(
        "--lf", help="Count and show only the flips on which this LF's vote changed "
                     "(repeatable; with --label, flips that pass both).")] = None,
) -> None:
    """What changed between two runs (LFs, glossaries, data, config, model, reviews, spaCy
    pipeline, packages) and its effect; with no run named, the latest against the one
    before it."""
    from contextlib import nullcontext

    from labelwright.cli.output import trouble_exits
    from labelwright.runs.diff.flip_filter import FlipFilter

    with trouble_exits(err) if exit_code else nullcontext():
        _diff(run_a, run_b, project, examples, exit_code,
              FlipFilter(tuple(label or ()), tuple(lf or ())))


def flipped_line(d: RunDiff) -> str:
    """``labels flipped: 38 (36 between near ties: ...; 2 others)``, narrowed to the
    flips asked for (``labels flipped (into or out of indemnity): 3 of 38``)."""
    from labelwright.runs.diff.near_ties import near_tie_text

    narrowed = (f" ({d.flip_filter.describe()})" if d.flip_filter else "")
    total = f" of {d.flipped_all}" if d.flip_filter else ""
    parts = []
    if d.flipped_by_review:
        parts.append(f"{d.flipped_by_review} to a reviewed label")
    if d.near_ties:
        # a near tie is a flip between two models' labels: none is to a reviewed label
        others = d.flipped - d.near_ties - d.flipped_by_review
        parts.append(f"{d.near_ties} between {near_tie_text()}; {counted(others, 'other')}")
    return f"labels flipped{narrowed}: {d.flipped}{total}" + (
        f" ({'; '.join(parts)})" if parts else "")


def _diff(run_a: str | None, run_b: str | None, project: Path, examples: int,
          exit_code: bool, flip_filter: FlipFilter) -> None:
    """:func:`diff`'s comparison and lines."""
    from labelwright.config import load_config
    from labelwright.runs.diff.compare import diff_runs
    from labelwright.runs.diff.flip_causes import flip_because
    from labelwright.runs.diff.input_lines import input_changes, missing_section_warnings
    from labelwright.runs.diff.lines import (
        cause_line,
        common_gold_line,
        effect_lines,
        failed_between_text,
        gold_items_note,
    )
    from labelwright.runs.pruned import named_archive
    from labelwright.runs.run_folders import failed_between, previous_run
    from labelwright.runs.store import resolve_run

    config = load_config(project)
    archived = [named_archive(config.runs_path, run) if run is not None else None
                for run in (run_a, run_b)]
    if any(archived):  # runs prune --keep-manifests: their manifests compared, nothing else
        _pruned_diff(config.runs_path, (run_a, run_b), archived, exit_code, config)
        return
    later = resolve_run(config.runs_path, run_b, project=config)
    earlier = (previous_run(config.runs_path, later, project=config) if run_a is None
               else resolve_run(config.runs_path, run_a, project=config))
    d = diff_runs(earlier, later, max_examples=examples, flip_filter=flip_filter)
    if run_a is None:  # the run before: failed runs are stepped over, and named
        d.failed_between = failed_between(config.runs_path, d.run_a, d.run_b)
    for message in missing_section_warnings(d):
        warning(err, message)
    console.print(styled(f"{d.run_a} -> {d.run_b}", "bold")
                  + failed_between_text(d), highlight=False)
    for line in gap_lines(config.runs_path, d.run_a, d.run_b):
        warning(err, line)
    for line in input_changes(d) or ["inputs: unchanged"]:
        console.print(f"  {line}", highlight=False)
    console.print(f"  items compared: {d.compared}"
                  + (f" ({d.only_a} only in {d.run_a}, {d.only_b} only in {d.run_b})"
                     if d.only_a or d.only_b else ""))
    console.print(f"  {flipped_line(d)}", highlight=False)
    causes = cause_line(d)
    if causes:
        console.print(f"  {causes}", highlight=False)
    if d.renamed_flips:
        console.print(f"  of which {d.renamed_flips} only renamed: "
                      + ", ".join(f"{old} -> {new}" for old, new in d.label_renames.items())
                      + f" is one label under its new name ([project] renamed of {d.run_b})",
                      highlight=False)
    for line in effect_lines(d):
        console.print(f"  {line}", highlight=False)
    for line in unvouched_outputs(earlier, later):
        console.print(styled(f"  {line}", "red"), highlight=False)
    console.print(f"  coverage: {percent(d.coverage[0])} -> {percent(d.coverage[1])} "
                  f"({_delta(d.coverage_delta)})")
    if d.accuracy != (None, None):
        # over other items the manifests' change is no change: the next line gives it
        common = common_gold_line(d)
        note = gold_items_note(d)
        tail = note.lstrip() if common else f"({_delta(d.accuracy_delta)}){note}"
        console.print(f"  accuracy on gold: {percent(d.accuracy[0])} -> {percent(d.accuracy[1])} "
                      + tail)
        if common:
            console.print(f"  {common}", highlight=False)
    if d.transitions:
        table = Table(title="Flips", title_justify="left")
        headers = ("from", "to", "items", *(("near ties",) if d.near_ties else ()))
        for header in headers:
            table.add_column(header, justify="left" if header in ("from", "to") else "right")
        for (src, dst), n in d.transitions.items():
            table.add_row(src, dst, str(n),
                          *((str(d.near_tie_transitions.get((src, dst), 0)),)
                            if d.near_ties else ()))
        if d.flip_filter:
            table.title = f"Flips ({d.flip_filter.describe()})"
        console.print(table)
    if d.examples:  # --examples 0 asks for none
        shown = Table(title=f"First {len(d.examples)} flipped items", title_justify="left")
        for header in ("id", "from", "to", "confidence", "because"):
            shown.add_column(header)
        for ex in d.examples:
            shown.add_row(str(ex["id"]), ex["from"], ex["to"],
                          f"{ex['confidence_a']:.2f} -> {ex['confidence_b']:.2f}",
                          flip_because(ex) + (" (near tie)" if ex.get("near_tie") else ""))
        console.print(shown)
    if exit_code and d.labels_or_votes_differ:
        raise typer.Exit(1)


def _pruned_diff(runs_dir: Path, runs: tuple[str | None, str | None],
                 archived: list[PrunedRun | None], exit_code: bool,
                 config: ProjectConfig) -> None:
    """``runs diff`` of two runs one or both of which ``runs prune --keep-manifests``
    removed: each read from its archive, said to be pruned, and compared by the manifests
    alone (inputs, coverage, accuracy); their labels and votes cannot be. ``--exit-code``
    exits 2, as for runs that cannot be compared."""
    from labelwright.runs.diff.input_lines import input_changes, missing_section_warnings
    from labelwright.runs.diff.manifest_diff import diff_manifests
    from labelwright.runs.pruned import pruned_words
    from labelwright.runs.store import resolve_run

    later = (runs_dir / archived[1].archive if archived[1] is not None
             else resolve_run(runs_dir, runs[1], project=config))
    # a run named second is named after the first: the earlier run is always named here
    earlier = (runs_dir / archived[0].archive if archived[0] is not None
               else resolve_run(runs_dir, str(runs[0]), project=config))
    pruned = [record for record in archived if record is not None]
    d = diff_manifests(earlier, later, pruned=[record.run_id for record in pruned])
    for message in missing_section_warnings(d):
        warning(err, message)
    console.print(styled(f"{d.run_a} -> {d.run_b}", "bold"), highlight=False)
    for record in pruned:
        warning(err, pruned_words(runs_dir, record))
    for line in input_changes(d) or ["inputs: unchanged"]:
        console.print(f"  {line}", highlight=False)
    console.print(f"  labels: not compared ({' and '.join(d.pruned)} pruned: the manifests "
                  "alone are compared, what changed is told, not what it did to the labels)",
                  highlight=False)
    console.print(f"  coverage: {percent(d.coverage[0])} -> {percent(d.coverage[1])} "
                  f"({_delta(d.coverage_delta)})")
    if d.accuracy != (None, None):
        console.print(f"  accuracy on gold: {percent(d.accuracy[0])} -> "
                      f"{percent(d.accuracy[1])} ({_delta(d.accuracy_delta)}; each over its "
                      "own held-out gold items, as the manifests record it)")
    if exit_code:  # the labels and votes cannot be compared: neither same nor different
        raise typer.Exit(2)
