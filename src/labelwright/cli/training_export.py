"""``labelwright export``: the training set of a run, with the file that says where it came
from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from labelwright.cli.options import ProjectDir, Run, RunOption, either_run
from labelwright.cli.output import make_console, warning
from labelwright.counts import counted, some_of

console = make_console()
err = make_console(stderr=True)

#: how the export's summary names the label sources, in its order; a source not here is
#: named as the label_source column spells it, after them
SOURCE_WORDS = (("review", "reviewed"),
                ("copy", "from a reviewed item with the same text (label_source copy)"),
                ("gold", "gold"), ("model", "from the label model"))
#: named even when no item has them, as the summary always did
ALWAYS_NAMED = ("review", "model")


def sources_text(sources: dict[str, int]) -> str:
    """The items per ``label_source``, every source named, so the counts add up to the
    items written: ``189 reviewed, 35 from a reviewed item with the same text (label_source
    copy), 2496 from the label model``."""
    known = dict(SOURCE_WORDS)
    order = [key for key, _ in SOURCE_WORDS if sources.get(key) or key in ALWAYS_NAMED]
    order += sorted(str(key) for key in sources if key not in known and sources[key])
    return ", ".join(f"{sources.get(key, 0)} {known.get(key, f'with label_source {key}')}"
                     for key in order)


def export(
    run: Run = None,
    run_option: RunOption = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="parquet, csv, jsonl or spacy (default: from --out's suffix).")
    ] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="File to write (default: training.parquet, or training.<format> "
        "with --format, in the project folder).")] = None,
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", help="Drop model labels below this probability (reviewed labels "
        "are always kept).")] = 0.0,
    force: Annotated[bool, typer.Option(
        "--force", help="Overwrite a file at --out that holds review decisions not imported "
        "yet, or that cannot be read for them (refused without it).")] = False,
    with_gold: Annotated[bool, typer.Option(
        "--with-gold", help="Keep the dataset's gold items (held out by default: accuracy is "
        "measured on them), labelled with their gold label.")] = False,
    probabilities: Annotated[bool, typer.Option(
        "--probabilities", help="Add a prob_<label> column per label: the soft labels.")
    ] = False,
    accepted_only: Annotated[bool, typer.Option(
        "--accepted-only", help="Leave out model labels still in the review queue (status "
        "review: low confidence, conflicting votes, audit picks); kept by default.")
    ] = False,
    project: ProjectDir = Path("."),
) -> None:
    """Write the training set: id, text, label, probability, label source, status."""
    run = either_run(run, run_option, project)
    from labelwright.review.training_set import export_training_set, provenance_path

    try:
        frame = export_training_set(project, out, fmt=fmt, run=run,
                                    min_confidence=min_confidence, force=force,
                                    with_gold=with_gold, probabilities=probabilities,
                                    accepted_only=accepted_only)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    out = frame.attrs["out"]
    sources = frame["label_source"].value_counts().to_dict()
    left = frame.attrs.get("left_out") or {}
    why = [f"{left[key]} {what}" for key, what in (("unlabelled", "without a label"),
                                                   ("below_min_confidence",
                                                    "below --min-confidence"),
                                                   ("held_out_gold", "held-out gold items "
                                                    "(--with-gold keeps them)"),
                                                   ("in_review_queue", "still in the review "
                                                    "queue"))
           if left.get(key)]
    queued = int(frame["status"].eq("review").sum())
    console.print(f"wrote {counted(len(frame), 'item')} to {out} "
                  f"({sources_text(sources)}"
                  + (f", {queued} of them still in the review queue (status review; "
                     "--accepted-only leaves them out)" if queued else "")
                  + (f"; left out: {', '.join(why)}" if why else "")
                  + f"); where they came from: {provenance_path(out)}")
    if frame.attrs.get("long_cells"):
        from labelwright.review.cell_limit import long_cells_warning

        warning(err, long_cells_warning(out, frame.attrs["long_cells"], kind="training"))
    differs = frame.attrs.get("gold_differs") or []
    if differs:
        shown = some_of(differs)
        verb = "has" if len(differs) == 1 else "have"
        warning(err, f"{counted(len(differs), 'reviewed item')} {verb} a gold label in the "
                     f"dataset that differs from the review ({shown}): the review's label is "
                     "exported; the provenance file lists them (reviewed_not_gold)")
    ledger = frame.attrs.get("ledger") or {}
    read, now = ledger.get("decisions_in_run"), ledger.get("decisions_now", 0)
    if isinstance(read, int) and now > read:
        warning(err, f"{now - read} review decision(s) were imported after the run; this "
                     "training set does not have them: `labelwright run`, then export again")
    for key, since_then, kept in (
            ("retired_since_run", "retired (review retire)", "has their labels"),
            ("unretired_since_run", "un-retired (review retire --undo)",
             "does not have them")):
        if n := ledger.get(key) or 0:
            warning(err, f"{counted(n, 'review decision')} the run "
                         f"{'used' if key == 'retired_since_run' else 'left out'} "
                         f"{'was' if n == 1 else 'were'} {since_then} after it; this "
                         f"training set {kept}: `labelwright run`, then export again")

