"""``labelwright train``: the end model, trained on a run's probabilistic labels."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from labelwright.cli.options import ProjectDir, RunOption, either_run
from labelwright.cli.output import error, make_console, warning
from labelwright.cli.progress import progress_bar, reporter
from labelwright.counts import counted
from labelwright.errors import LabelwrightError
from labelwright.startup import import_spacy


def train(
    run_argument: Annotated[str | None, typer.Argument(
        metavar="RUN", help="Run id, unique prefix or run folder path (default: latest); "
        "or --run.")] = None,
    project: ProjectDir = Path("."),
    run: RunOption = None,
    min_confidence: Annotated[float, typer.Option(
        "--min-confidence", min=0.0, max=1.0,
        help="An item the run left without a label gets the end model's label only at "
             "this confidence or above; below it, it stays unlabeled (label_source "
             "below_min_confidence), counted. Default 0: every item it can read.")] = 0.0,
    all_items: Annotated[bool, typer.Option(
        "--all-items", help="After measuring, fit the model again on every labeled item "
        "(held-out gold items by their run labels, and items sharing their texts) and save "
        "that one; the accuracy said is the measured model's.")] = False,
) -> None:
    """Train a text classifier (TF-IDF + logistic regression) on a run's labels.

    Reviewed labels count as certain; items with a gold label in the dataset are held out
    and scored (with --all-items, learned from too once scored). Writes end_model.json and
    end_model_labels.parquet into the run folder; the end model labels items the run left
    without a label (label_source "end_model"; below --min-confidence, none).
    """
    run = either_run(run_argument, run, project)
    import_spacy(project)
    from labelwright.end_model.fill_floor import BELOW_FLOOR
    from labelwright.end_model.train import train_run
    from labelwright.project.label_f1 import rare_labels, weakest_labels

    out, err = make_console(), make_console(stderr=True)
    try:  # a bar on a terminal, else a line per step once the command has taken 30 s
        with progress_bar(err) as bar:
            result = train_run(project, run, stage=reporter(bar, err).stage,
                               min_confidence=min_confidence, all_items=all_items)
    except LabelwrightError as exc:
        error(err, exc)
        raise typer.Exit(1) from None
    for message in result.warnings:
        warning(err, message)
    _reviews_since_run(result, err)
    out.print(f"trained on {counted(result.n_train, 'item')} ({result.n_reviewed} reviewed); "
              f"labeled {counted(result.n_filled, 'item')} the run left without a label"
              + (f"; {result.n_unreadable} stay unlabeled: their texts have no word the end "
                 "model knows" if result.n_unreadable and not result.same_target else "")
              + (f"; {counted(result.n_below_floor, 'item')} it labels below "
                 f"--min-confidence {result.min_confidence:g} stay unlabeled (label_source "
                 f"{BELOW_FLOOR})" if result.n_below_floor else ""),
              highlight=False)
    few = few_to_learn_line(result)
    if few:
        out.print(few, highlight=False)
    fills = fills_line(result.fills, result.labels)
    if fills:
        out.print(fills, highlight=False)
    if result.all_items:
        out.print(f"  measured with a model trained on {result.n_measured:,} "
                  f"item{'s' if result.n_measured != 1 else ''} (no held-out gold item, nor "
                  "its text); the model saved, and the labels it gave, are refit on all "
                  f"{result.n_train:,} labeled item{'s' if result.n_train != 1 else ''} "
                  "(--all-items)", highlight=False)
    if result.accuracy is not None:
        f1 = {who: scores["macro_f1"] for who, scores in result.f1.items()}
        out.print(f"held-out accuracy on {counted(result.n_gold, 'gold item')}: end model "
                  f"{100 * result.accuracy:.1f}% (macro-F1 {f1['end_model']:.3f}), label "
                  f"model {100 * (result.label_model_accuracy or 0):.1f}% (macro-F1 "
                  f"{f1['label_model']:.3f})"
                  + (f" ({result.n_gold_unreadable} the end model cannot read count as wrong)"
                     if result.n_gold_unreadable else ""), highlight=False)
        weakest = weakest_labels(result.f1["end_model"], result.labels)
        if weakest:
            out.print(f"  end model's {weakest}", highlight=False)
        scores = result.per_label.get("end_model")
        rare = None if scores is None else rare_labels(scores)
        if rare:
            out.print(f"  end model's {rare}", highlight=False)
        by_label = per_label_line(result.per_label)
        if by_label:
            out.print(by_label, highlight=False)
        if result.n_same_text_as_gold:
            out.print(f"  ({counted(result.n_same_text_as_gold, 'item')} with a held-out gold "
                      "item's text left out of training, so no gold text is one it learned"
                      + ("; the model saved learned them" if result.all_items else
                         "; --all-items fits the model saved on them too") + ")",
                      highlight=False)
        reviewed_gold = reviewed_gold_line(result)
        if reviewed_gold:
            out.print(reviewed_gold, highlight=False)
        for line in split_lines(result.split) + floor_lines(result.floor,
                                                                  refit=result.all_items):
            out.print(line, highlight=False)
    elif result.same_target:
        out.print("accuracy not measured: the model labels nothing", highlight=False)
    elif result.n_gold_reviewed:
        out.print(f"every gold item of the dataset ({result.n_gold_reviewed}) has a review, "
                  "so it trains the model instead of testing it: accuracy not measured",
                  highlight=False)
    else:
        out.print(f"no gold labels in the dataset: accuracy not measured ({NO_GOLD_STEP})",
                  highlight=False)
    if result.replaced is not None:
        out.print(f"replaced the end model the run folder held ({_trained_on(result)}); "
                  f"kept it as it was in {result.replaced}", highlight=False)
    out.print(f"wrote {result.model_path}\nwrote {result.labels_path}", highlight=False,
              soft_wrap=True)


def reviewed_gold_line(result: Any) -> str | None:
    """Why fewer gold items are held out than the dataset has (and than a run held out
    before they were reviewed): a gold item with a reviewed label trains the model on that
    label instead of testing it. None when no gold item has a review."""
    n = result.n_gold_reviewed
    if not n:
        return None
    return (f"  ({counted(n, 'gold item')} of the dataset {'have' if n != 1 else 'has'} a "
            f"review, so {'they train' if n != 1 else 'it trains'} the model on the reviewed "
            f"label instead of being held out: {result.n_gold:,} held out of "
            f"{result.n_gold + n:,})")


def few_to_learn_line(result: Any) -> str | None:
    """Why the model learned from fewer items than it is scored on: the held-out gold
    items (the dataset's gold column) are kept out of training to measure it, so a dataset
    whose gold covers most items leaves few to learn from (every item gold: the reviewed
    ones alone), and the way to fit the saved model on them too. None with --all-items,
    or when the items learned from outnumber the gold ones."""
    if result.all_items or not result.n_gold or result.n_gold <= result.n_train:
        return None
    return (f"  only {counted(result.n_train, 'item')} to learn from: the {result.n_gold:,} "
            "held-out gold items ([data] gold_column) are scored, never learned from; "
            "`labelwright train --all-items` fits the model saved on their run labels too "
            "once it is measured, or leave the gold column empty in the rows you do not "
            "hold out")


#: what gets ``train`` (or the run) an accuracy figure when the dataset holds no gold
NO_GOLD_STEP = ("a column of known labels, named as [data] gold_column, measures the end "
                "model here; for the run's labels, review a random sample: [triage] "
                "random_sample = N, e.g. 100, then `labelwright run`, `labelwright review "
                "export --sample`, `review import`, and `labelwright review stats` prints "
                "their accuracy")


def floor_lines(floor: dict[str, Any] | None, *, refit: bool = False) -> list[str]:
    """How right the end model was, on the held-out gold items the run left without a
    label, above the --min-confidence floor (the items it labels) and below it (those
    left unlabeled): what a floor keeps and what it drops. Nothing without one.

    ``refit`` (``--all-items``): the split is the measured model's, not the refit one's
    that saved the labels (it learned those gold items, so nothing is left to score it
    on), and the line says so: its sides need not match the refit's labeled and unlabeled
    counts."""
    if not floor or not (floor["above"]["items"] or floor["below"]["items"]):
        return []

    def part(key: str) -> str:
        share = floor[key]["end_model_accuracy"]
        return (f"{counted(floor[key]['items'], 'gold item')}"
                + ("" if share is None else f", end model {100 * share:.1f}% right"))
    whose = (" (by the measured model: the refit one saved learned these items)"
             if refit else "")
    return [f"  at --min-confidence {floor['floor']:g}, of the gold items the run left "
            f"without a label{whose}: labeled {part('above')}; left unlabeled "
            f"{part('below')}"]


def _trained_on(result: Any) -> str:
    """What the end model a train replaced was trained on, as its ``training`` recorded."""
    training = result.replaced_training
    if not isinstance(training, dict):
        return str(training or "its model file was gone, its labels file alone was there")
    held = (training.get("held_out") or {}).get("end_model_accuracy")
    return (f"trained on {counted(training.get('items', '?'), 'item')} "
            f"({training.get('reviewed_items', '?')} reviewed) of run "
            f"{training.get('run_id', '?')}, reading "
            f"{counted(training.get('ledger_decisions', 0), 'ledger decision')}"
            + ("; refit on every labeled item after measuring (--all-items)"
               if training.get("all_items") else "")
            + (f"; held-out accuracy {100 * held:.1f}%" if isinstance(held, float) else ""))


def _reviews_since_run(result: Any, err: Any) -> None:
    """Warn when decisions were imported after the run: the end model trains on the
    ledger's reviews now, which the run's labels, and `labelwright export`, do not have."""
    since = result.since_run
    for key, run_did, since_then, end_model in (
            ("retired_since_run", "used", "retired (review retire)", "leaves {} out"),
            ("unretired_since_run", "left out", "un-retired (review retire --undo)",
             "uses {}")):
        if n := since.get(key) or 0:
            warning(err, f"{counted(n, 'review decision')} the run {run_did} "
                         f"{'was' if n == 1 else 'were'} {since_then} after run "
                         f"{result.run_dir.name}; the end model "
                         f"{end_model.format('it' if n == 1 else 'them')}, unlike the run's "
                         "labels and `labelwright export` of this run: `labelwright run` "
                         "makes a run that does")
    read, now = since.get("decisions_in_run"), since.get("decisions_now") or 0
    if read is None or now <= read:
        return
    had = since.get("items_with_gold")
    warning(err, f"{now - read} review decision(s) were imported after run "
                 f"{result.run_dir.name}; the end model trains on them too "
                 f"({counted(result.n_reviewed, 'reviewed item')}"
                 + (f", where the run had {had}" if isinstance(had, int) else "")
                 + "), unlike `labelwright export` of this run, whose training set has the "
                   "run's reviews only: `labelwright run` makes a run that has them")


def fills_line(fills: Mapping[str, int], labels: Sequence[str]) -> str | None:
    """The labels the end model gave the items the run left without one (``fills``, items
    per label: ``label_source`` ``end_model`` in ``end_model_labels.parquet``, as
    ``train_run`` counted them before writing it, so the file is not read back), every
    label in the run's order: whether its fills spread over the labels or pile onto one.
    None when it gave none."""
    given = {name: n for name, n in fills.items() if n}
    if not given:
        return None
    names = [*labels, *sorted(set(given) - set(labels))]
    return ("  the end model's labels of them (label_source end_model): "
            + ", ".join(f"{name} {int(given.get(name, 0)):,}" for name in names))


#: with more labels than this, train's per-label line is left out (the weakest and rare
#: labels' lines name those that matter; ``end_model.json`` holds every one)
PER_LABEL_SHOWN = 10


def per_label_line(per_label: dict[str, Any]) -> str | None:
    """Every label's F1 on the held-out gold, the end model's beside the label model's,
    in the run's label order (``per_label``: ``train_run``'s ``end_model`` and
    ``label_model`` score tables): the weakest and rarest lines name a few labels, and a
    label the LFs seldom cover may be neither. None without both tables, or with more
    than :data:`PER_LABEL_SHOWN` labels."""
    end, run = per_label.get("end_model"), per_label.get("label_model")
    if end is None or run is None or not len(end) or len(end) > PER_LABEL_SHOWN:
        return None

    def f1(value: Any) -> str:
        return "—" if value != value else f"{value:.2f}"  # NaN: no gold and none given

    run_f1 = dict(zip(run["label"], run["f1"]))
    return ("  F1 per label (end model / label model; held-out gold items): "
            + ", ".join(f"{row.label} {f1(row.f1)} / {f1(run_f1.get(row.label, float('nan')))} "
                        f"({row.support:,})" for row in end.itertuples()))


def split_lines(split: dict[str, Any] | None) -> list[str]:
    """The held-out accuracy apart on the gold items the run labeled (where the end model
    and the label model compare label for label) and on those it left without a label
    (where the label model has none): an end model ahead overall may be ahead only there.
    Nothing where one part is empty: the overall line says it."""
    if not split or not (split["run_labeled"]["items"] and split["run_unlabeled"]["items"]):
        return []
    labeled, unlabeled = split["run_labeled"], split["run_unlabeled"]
    # a copy's review labeled them, the label model none: its accuracy counts them wrong,
    # which reads as a label model worse than the run's own "accuracy where labeled"
    by_copy = labeled.get("by_copy") or 0
    copies = (f" ({by_copy:,} of them labeled only by a reviewed item with the same text, "
              "where the label model gave no label: wrong for it)" if by_copy else "")
    return [f"  on the {counted(labeled['items'], 'gold item')} the run labeled: end model "
            f"{100 * labeled['end_model_accuracy']:.1f}%, label model "
            f"{100 * labeled['label_model_accuracy']:.1f}%{copies}",
            f"  on the {counted(unlabeled['items'], 'gold item')} the run left without a "
            f"label: end model {100 * unlabeled['end_model_accuracy']:.1f}% (the label model "
            "gave them none)"]
