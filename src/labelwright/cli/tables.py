"""Rich renderings of library results for the terminal."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
from rich.console import Group
from rich.table import Table
from rich.text import Text

from labelwright.cli.narrow import FittedTable, packed, title_above
from labelwright.cli.output import score_text
from labelwright.counts import counted, labels_counted
from labelwright.percent import percent


def _pct(value: Any) -> str:
    return percent(value)


#: under the LF table when it has the queue's accuracy: what each accuracy counts
QUEUE_NOTE = ("correct / incorrect / emp. acc.: gold labels and reviews of random samples, "
              "which picture an LF's votes. queue acc. (right/reviewed): reviews of the review "
              "queue and audit, the hard items, picked because LFs conflict, the model is "
              "unsure or no LF voted (the audit: accepted labels only): not a picture of an "
              "LF's votes")


def lf_table(summary: pd.DataFrame, title: str = "Labeling functions",
             labels: Sequence[str] | None = None) -> FittedTable:
    """The LF table; on a console too narrow for it, a block per LF that keeps every column
    and shows labels whole (:class:`~labelwright.cli.narrow.FittedTable`). ``labels``: the
    project's, to count the labels of an LF that votes many
    (:func:`~labelwright.counts.labels_counted`)."""
    table = Table(title=title, title_justify="left")
    columns = [("lf", "LF", "left"), ("kind", "kind", "left"), ("polarity", "polarity", "left"),
               ("coverage", "coverage", "right"), ("overlaps", "overlaps", "right"),
               ("conflicts", "conflicts", "right"), ("correct", "correct", "right"),
               ("incorrect", "incorrect", "right"), ("emp_accuracy", "emp. acc.", "right"),
               ("queue_accuracy", "queue acc.", "right"),
               ("learned_accuracy", "learned acc.", "right"), ("failures", "failures", "right")]
    present = [c for c in columns if c[0] in summary.columns]
    if "queue_accuracy" in summary.columns:
        table.caption, table.caption_justify = QUEUE_NOTE, "left"
    longest = int(summary["lf"].str.len().max()) if len(summary) else 2
    for key, header, justify in present:
        table.add_column(header, justify=justify,  # type: ignore[arg-type]
                         min_width=min(longest, 44) if key == "lf" else None)
    for _, row in summary.iterrows():
        cells: list[str | Text] = []
        for key, _, _ in present:
            value = row[key]
            if key in ("coverage", "overlaps", "conflicts", "emp_accuracy", "learned_accuracy"):
                cells.append(_pct(value))
            elif key == "queue_accuracy":
                right, wrong = int(row["queue_correct"]), int(row["queue_incorrect"])
                cells.append(f"{_pct(value)} ({right}/{right + wrong})" if right + wrong
                             else "—")
            elif key == "failures":
                cells.append(Text(str(value), style="red") if value else "0")
            elif key == "polarity":
                cells.append(labels_counted(str(value), labels) or str(value))
            else:
                cells.append(str(value))
        table.add_row(*cells)
    return FittedTable(table, lead=3)


def counts_table(title: str, counts: dict[str, Any]) -> Table:
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("value", justify="right")
    for key, value in counts.items():
        table.add_row(key, str(value))
    return table


def evaluation_table(evaluation: dict[str, Any], model_name: str) -> Group:
    """The run's accuracy and macro-F1 on held-out gold, its label model's beside majority
    vote's; the title a line of its own (:func:`~labelwright.cli.narrow.title_above`: with
    reviewed gold left out it is longer than the table and was folded to its width)."""
    left_out = evaluation.get("reviewed_left_out", 0)
    title = f"Accuracy on the gold part ({counted(evaluation['n_gold'], 'item')}"
    title += (f"; {left_out} reviewed gold items left out: the label model was fit on "
              f"their reviewed labels)" if left_out else ")")
    table = Table(title=title, title_justify="left")
    for header in ("model", "accuracy", "macro-F1", "labeled", "accuracy where labeled"):
        table.add_column(header, justify="left" if header == "model" else "right")
    for key, name in (("label_model", f"label model ({model_name})"),
                      ("majority_vote", "majority vote")):
        result = evaluation[key]
        f1 = result.get("macro_f1")  # absent from a manifest written before it was recorded
        table.add_row(name, _pct(result["accuracy"]), "-" if f1 is None else f"{f1:.3f}",
                      f"{result['labeled']}/{evaluation['n_gold']}",
                      _pct(result["covered_accuracy"]))
    return title_above(table)


def vote_calibration_table(evaluation: dict[str, Any]) -> FittedTable | None:
    """The label model's calibration on held-out gold per vote pattern, as the run recorded
    it (``evaluation["calibration_by_votes"]``): items, mean confidence, accuracy and its
    95% Wilson interval, and which patterns are over- or under-confident; None without it.
    A table, as the accuracy above it; a block per pattern on a console too narrow for it
    (:class:`~labelwright.cli.narrow.FittedTable`), so no figure is cut."""
    from labelwright.models.vote_calibration import GAP_WORDS, VOTE_PATTERN_WORDS

    groups = evaluation.get("calibration_by_votes")
    if not isinstance(groups, dict) or not groups:
        return None
    table = Table(title="Calibration on the gold part by vote pattern (the items it labeled)",
                  title_justify="left")
    table.add_column("votes")
    for header in ("items", "confidence", "accuracy (95% interval)"):
        table.add_column(header, justify="right")
    table.add_column("flag")
    for pattern, g in groups.items():
        table.add_row(VOTE_PATTERN_WORDS.get(str(pattern), str(pattern)), f"{g['items']:,}",
                      _pct(g["confidence"]),
                      f"{_pct(g['accuracy'])} ({percent(g.get('ci_low'))}\u2013"
                      f"{percent(g.get('ci_high'))})",
                      GAP_WORDS.get(str(g.get("gap")), "\u2014"))  # the interval holds it
    return FittedTable(table)


#: columns the label model's class balance takes at most, beside its name: one line of 16
#: labels and shares padded every parameter row to 700 columns
BALANCE_WIDTH = 120


def model_table(model: Any, labels: tuple[str, ...], width: int = BALANCE_WIDTH,
                fit_by: str | None = None) -> Table:
    """Hyperparameters, an EM model's rounds (and whether it converged) and, when the
    model learned one, the class balance (and where it came from, when reviewed labels
    set it), its labels packed in lines that keep the table within ``width`` columns
    (and :data:`BALANCE_WIDTH`). ``fit_by``: the run that fit a reused model, whose
    rounds they are (beside "not fit", bare rounds read as this run's fit)."""
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_column("what", style="dim")
    table.add_column("value")
    for key, value in sorted(model.get_params().items()):
        table.add_row(key, str(value))
    rounds = getattr(model, "n_iter_", None)
    if rounds is not None:  # an EM model: did it stop within tol, or at max_iter?
        converged = getattr(model, "converged_", None)  # None: a model saved before it
        ended = ("" if converged is None else " (converged)" if converged
                 else " (stopped at max_iter before it converged)")
        table.add_row("EM rounds", f"{rounds}{ended}"
                      + (f", run {fit_by}'s fit (reused)" if fit_by else ""))
    balance = getattr(model, "class_balance_", None)
    if balance is not None:
        names = [str(key) for key in model.get_params()] + ["EM rounds", "class balance"]
        room = min(width, BALANCE_WIDTH) - max(map(len, names)) - 8  # the name and padding
        table.add_row("class balance", Text("\n").join(packed(
            (f"{label} {percent(float(p))}" for label, p in zip(labels, balance)),
            max(room, 24))))
        note = getattr(model, "class_balance_note_", None)  # a run's: from reviewed labels
        if note:
            table.add_row("", note)
    return table


def kappa_pairs_table(pairs: pd.DataFrame, *, adjudicators: bool = False
                      ) -> tuple[Table, str | None]:
    """``review stats``' Cohen's kappa per pair of raters, with the pairs that share an item
    only, and the line that says how many pairs share none (None when every pair shares
    one): with many raters in a few groups most pairs never met, and one row each (``0 |
    —``) buried the few that say something. A pair of whom one (or both) used one label on
    all their items shows ``n/a (one label)``: kappa is 0/0 there, or 0 whatever the other
    did, not a measure of agreement; ``agreed``, the share of their items they gave one
    label, is shown for every pair.
    ``adjudicators``: the pairs of a rater and an adjudicator, in a table of their own (an
    adjudicator decides mostly the items raters disputed: not a peer's agreement)."""
    title = ("Raters against the adjudicators' decisions (Cohen's kappa on the items both "
             "decided: mostly the disputed ones, so lower by design; not a peer pair's "
             "agreement)" if adjudicators else "Cohen's kappa per pair of raters")
    table = Table(title=title, title_justify="left")
    for column in ("rater", "adjudicator") if adjudicators else ("rater a", "rater b"):
        table.add_column(column)
    for column in ("items both decided", "kappa", "95% interval", "agreed"):
        table.add_column(column)
    shared = pairs[pairs["items"] > 0]
    for row in shared.itertuples():
        table.add_row(row.rater_a, row.rater_b, str(row.items),
                      "n/a (one label)" if row.one_label else score_text(row.kappa),
                      score_interval(row.ci_low, row.ci_high), percent(row.agreement))
    apart = len(pairs) - len(shared)
    note = (f"  {counted(apart, 'other pair')} of raters share no item (no kappa; not shown)"
            if apart else None)
    return table, note


def score_interval(low: float, high: float) -> str:
    """A kappa's or alpha's interval, ``0.781–0.902``; ``—`` where there is none."""
    if math.isnan(low) or math.isnan(high):
        return "—"
    return f"{score_text(low)}–{score_text(high)}"


def label_agreement_table(per_label: pd.DataFrame) -> Table:
    """``review stats``' agreement per label
    (:func:`~labelwright.review.stats.label_agreement.label_agreement`)."""
    table = Table(title="Agreement per label (on the items with 2+ ratings)",
                  title_justify="left")
    for column in ("label", "ratings", "specific agreement", "alpha (one vs rest)",
                   "95% interval"):
        table.add_column(column)
    for row in per_label.itertuples():
        table.add_row(row.label, f"{row.ratings:,}", percent(row.specific),
                      score_text(row.alpha), score_interval(row.ci_low, row.ci_high))
    return table


def model_comparison_table(frame: pd.DataFrame, configured: str) -> Group:
    """:func:`~labelwright.project.model_comparison.compare_label_models`'s rows (``configured``:
    the model the config names, marked)."""
    gold = int(frame["gold_items"].iloc[0]) if len(frame) else 0
    table = Table(title=f"Label models on {counted(gold, 'held-out gold item')} (fit as run "
                        "fits its own; nothing written)", title_justify="left")
    for header in ("model", "accuracy", "macro-F1", "where labelled", "items labelled",
                   "fit s"):
        table.add_column(header, justify="left" if header == "model" else "right")
    for row in frame.itertuples():
        table.add_row(str(row.model) + (" (the config's)" if row.model == configured else ""),
                      "-" if row.accuracy is None else _pct(row.accuracy),
                      "-" if row.macro_f1 is None else f"{row.macro_f1:.3f}",
                      "-" if row.covered_accuracy is None else _pct(row.covered_accuracy),
                      f"{row.labelled:,}", f"{row.fit_seconds:.2f}")
    return title_above(table)
