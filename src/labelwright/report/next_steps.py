"""The report's "Next steps": what the run found worth acting on, each pointing to the
section that shows it or the command that acts on it.

A reader judging a run from its report met the figures in section order and had to
work out what to do from them: an LF wrong 21 times of 57, a label model below majority
vote, labels with no gold to measure them, a queue of 200 items. Only what the run found
is listed; a run with nothing to act on has no such section.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from labelwright.lfs.wrong_most import ranked_wrong
from labelwright.percent import percent
from labelwright.report.data import NONE, RunData
from labelwright.report.summary import below_majority


def next_steps(data: RunData) -> list[str]:
    """The steps, as HTML list items (text escaped, links to the page's sections)."""
    from labelwright.report.html import esc, user

    steps = []
    evaluation = data.manifest.get("evaluation") or {}
    below = _below_majority(evaluation)
    if below:
        steps.append(f'{esc(below)}: see the <a href="#summary">Summary</a> (another '
                     "<code>[label_model] name</code>, or fix the LFs below)")
    weak = _weakest_lf(data.lf_table)
    if weak is not None:
        name, wrong, voted = weak
        steps.append(f"Fix the LFs wrong most often on known labels, first {user(name)} "
                     f"({wrong} wrong of {voted}): "
                     f'<a href="#wrong-most">under the LF table</a>; '
                     f"<code>labelwright analyze --lf {user(name)}</code> shows its wrong votes")
    steps.extend(_gold_steps(data))
    queued = data.statuses.get("review", 0)
    if queued:
        steps.append(f"Review the {queued:,} queued items of {data.n_items:,}: "
                     '<a href="#queue">Review queue</a>; <code>labelwright review export'
                     "</code> writes them for a review tool, and the next run uses the "
                     "reviews")
    return steps


def _below_majority(evaluation: dict[str, Any]) -> str | None:
    """"The label model is below majority vote ..." when its accuracy on held-out gold is
    (:func:`~labelwright.report.summary.below_majority`, which the Summary flags too)."""
    below = below_majority(evaluation)
    if below is None:
        return None
    return (f"The label model is below majority vote on held-out gold "
            f"({percent(below[0])} vs {percent(below[1])})")


def _weakest_lf(table: pd.DataFrame) -> tuple[str, int, int] | None:
    """The LF with the most wrong votes on known labels (ranked as under the LF table):
    name, wrong votes, votes with a known label; None without any."""
    ranked = ranked_wrong(table)
    if not len(ranked):
        return None
    top = ranked.iloc[0]
    return str(top["lf"]), int(top["incorrect"]), int(top["correct"] + top["incorrect"])


def _gold_steps(data: RunData) -> list[str]:
    """No held-out gold at all, or labels without any: their accuracy is not measured.
    With gold rows that are all reviewed (a reviewed label takes an item out of the
    measure), the dataset has its gold column already: they want gold for items not
    reviewed."""
    from labelwright.report.html import esc, user

    if data.gold is None:
        gold_rows = (data.manifest.get("data") or {}).get("gold_rows")
        if gold_rows:
            return [f"No held-out gold items: each of the {esc(f'{int(gold_rows):,}')} gold "
                    "items has a reviewed label, which takes it out of the measure, so "
                    "accuracy is not measured. Give a gold label to items not reviewed: "
                    '<a href="#labels">Labels</a>']
        return ['No held-out gold items: accuracy is not measured. Give the dataset a gold '
                'column (<code>gold_column</code>) for a sample of items: <a href="#labels">'
                "Labels</a>"]
    missing = [label for label in data.labels if label != NONE and not data.gold.get(label)]
    if not missing:
        return []
    names = ", ".join(user(label) for label in missing)
    return [f"{esc(len(missing))} label{'s have' if len(missing) > 1 else ' has'} no held-out "
            f"gold item ({names}): {'their' if len(missing) > 1 else 'its'} accuracy is not "
            f"measured; add gold rows for "
            f'{"them" if len(missing) > 1 else "it"}: <a href="#labels">Labels</a>']
