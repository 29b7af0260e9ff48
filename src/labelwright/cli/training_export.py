"""``labelwright export``: the training set of a run, with the file that says where it came
from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from labelwright.cli.options import ProjectDir, Run, RunOption, either_run
from labelwright.cli.output import make_console, warning
from labelwright.counts import counted, some_of

if TYPE_CHECKING:
    from labelwright.review.wrench_export import WrenchExport

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


#: the options of the training set a WRENCH folder has no use for: each is an error there
NOT_FOR_WRENCH = (("min_confidence", "--min-confidence"), ("with_gold", "--with-gold"),
                  ("probabilities", "--probabilities"), ("accepted_only", "--accepted-only"))
#: the options of a WRENCH folder, errors with a training set's formats
WRENCH_ONLY = (("valid_share", "--valid-share"), ("all_reviews", "--all-reviews"))


def given(ctx: typer.Context, names: tuple[tuple[str, str], ...]) -> list[str]:
    """The options of ``names`` (parameter, spelling) given on the command line."""
    return [spelt for name, spelt in names
            if (source := ctx.get_parameter_source(name)) is not None
            and source.name != "DEFAULT"]


def export(
    ctx: typer.Context,
    run: Run = None,
    run_option: RunOption = None,
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", help="parquet, csv, jsonl or spacy (default: from --out's suffix); "
        "or wrench: a folder for `labelwright bench wrench`.")
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
        "--accepted-only", help="Leave out labels still in the review queue (status "
        "review: low confidence, conflicting votes, audit picks, copies waiting for a "
        "second opinion); kept by default.")
    ] = False,
    valid_share: Annotated[float, typer.Option(
        "--valid-share", help="--format wrench: the share of the scored items (gold, "
        "reviewed from a random sample) in valid.json; the rest in test.json.")] = 0.5,
    all_reviews: Annotated[bool, typer.Option(
        "--all-reviews", help="--format wrench: score the items reviewed from the review "
        "queue too (in train.json by default: the queue's items are not a random sample).")
    ] = False,
    project: ProjectDir = Path("."),
) -> None:
    """Write the training set: id, text, label, probability, label source, status; or,
    with --format wrench, the run's votes as a folder for `labelwright bench wrench`."""
    run = either_run(run, run_option, project)
    if fmt == "wrench":
        if wrong := given(ctx, NOT_FOR_WRENCH):
            raise typer.BadParameter(f"{', '.join(wrong)}: not for --format wrench (a "
                                     "WRENCH folder holds votes and gold labels, not a "
                                     "training set's labels)", param_hint="--format")
        export_wrench_folder(project, out, run, valid_share=valid_share,
                             all_reviews=all_reviews, force=force)
        return
    if wrong := given(ctx, WRENCH_ONLY):
        raise typer.BadParameter(f"{', '.join(wrong)}: only for --format wrench",
                                 param_hint="--format")
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
    if skipped := frame.attrs.get("skipped_rows"):
        # rows of the data no item was made of: a count of the file's rows that does not
        # add up would otherwise look like a loss in the export
        from labelwright.cli.run_summary import skipped_setting

        console.print(f"  not in it either: {counted(skipped['count'], 'row')} of the data "
                      f"that the run left out as it read it ({skipped_setting(skipped)}), "
                      "listed in "
                      f"{skipped['file']}", highlight=False)
    if frame.attrs.get("long_cells"):
        from labelwright.review.queue.cell_limit import long_cells_warning

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



def export_wrench_folder(project: Path, out: Path | None, run: str | None, *,
                         valid_share: float, all_reviews: bool, force: bool) -> None:
    """``export --format wrench``: write the folder and say what is in it, and what
    ``labelwright bench wrench`` will do with it."""
    from labelwright.review.wrench_export import export_wrench

    try:
        result = export_wrench(project, out, run=run, valid_share=valid_share,
                               all_reviews=all_reviews, force=force)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    for line in wrench_summary(result):
        console.print(line)
    for line in wrench_warnings(result):
        warning(err, line)


def wrench_summary(result: WrenchExport) -> list[str]:
    """What the command prints of a WRENCH export: the files and what is scored."""
    splits = result.splits
    written = ", ".join(f"{name}.json {counted(splits[name], 'item')}"
                        for name in ("train", "valid", "test") if splits[name])
    scored = [f"{result.gold} with a gold label in the data"]
    if result.sampled:
        scored.append(f"{result.sampled} reviewed from a random sample")
    if result.all_reviews and result.queue:
        scored.append(f"{result.queue} reviewed from the queue (--all-reviews)")
    lines = [f"wrote {result.out}: {written}, label.json (run {result.run_id})"]
    if splits["valid"] or splits["test"]:
        lines.append(f"scored (valid + test, split {result.valid_share:g} : "
                     f"{1 - result.valid_share:g} by label, seed {result.seed}): "
                     + ", ".join(scored))
    in_train = []
    if result.queue and not result.all_reviews:
        in_train.append(f"{counted(result.queue, 'item')} reviewed from the review queue "
                        "(not a random sample; --all-reviews scores them)")
    if result.copies:
        in_train.append(f"{counted(result.copies, 'item')} with a copy's reviewed label")
    if in_train:
        lines.append("in train.json with label -1: " + "; ".join(in_train))
    if splits["test"]:
        lines.append(f"compare the label models on it: labelwright bench wrench {result.out}")
    return lines


def wrench_warnings(result: WrenchExport) -> list[str]:
    """What the bench will make of a folder that lacks a split."""
    splits, out = result.splits, result.out
    if not splits["test"]:
        return [f"no item has a gold label or a review from a random sample, so {out} has "
                "no test.json: `labelwright bench wrench` refuses a folder without one "
                "(it scores the label models on test). Give items gold labels (the data's "
                "gold column, or review the run's random sample: `labelwright review "
                "export --sample`, import, `labelwright run`), then export again"]
    out_lines = []
    if not splits["train"]:
        out_lines.append("every item is scored, so there is no train.json: `labelwright "
                         "bench wrench` fits the label models on the test votes and scores "
                         "them on the same items")
    if not splits["valid"]:
        why = "--valid-share is 0" if result.valid_share == 0 else \
            f"{counted(splits['test'], 'scored item')} at --valid-share {result.valid_share:g}"
        out_lines.append(f"no valid.json ({why}): `labelwright bench wrench` runs the "
                         "models without gold only (no gold=valid line)")
    if result.review_not_gold:
        out_lines.append(f"{counted(len(result.review_not_gold), 'reviewed item')} "
                         f"{'has' if len(result.review_not_gold) == 1 else 'have'} a gold "
                         "label in the data that differs from the review ("
                         f"{some_of(result.review_not_gold)}): the review's label is "
                         "written")
    return out_lines
