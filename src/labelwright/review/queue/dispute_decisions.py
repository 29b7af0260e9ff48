"""What the adjudicator of a disputed item is shown: who chose what.

An item whose raters disagree and that no reviewed label settles is queued first with the
reason ``disputed``, and exported to the adjudicator, who saw the suggestion and the LF
votes but not the raters' labels (``explain ID``, one item at a time, was the only place).
Each disputed record of an export that is not blind gets ``rater_labels``, ``ana: billing;
ben: technical``: the decisions the run read on the item, as it settled them
(:func:`~labelwright.runs.explain.reviews.settle_item`, the code ``explain`` tells an item's
reviews with), adjudicators who disagree marked ``(adjudicator)``. A blind export holds
none of it: a blind reviewer decides from the text alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.config import ProjectConfig

#: the field of a record (and column of a review CSV) that holds the raters' labels
RATER_LABELS = "rater_labels"


def rater_labels_text(raters: dict[str, str], adjudicators: dict[str, str]) -> str:
    """``ana: billing; ben: technical; lead (adjudicator): billing``."""
    return "; ".join([*(f"{rater}: {label}" for rater, label in sorted(raters.items())),
                      *(f"{name} (adjudicator): {label}"
                        for name, label in sorted(adjudicators.items()))])


def add_rater_labels(records: list[dict[str, Any]], run_dir: Path,
                     manifest: dict[str, Any], config: ProjectConfig | None) -> int:
    """Give each record with the reason ``disputed`` its :data:`RATER_LABELS`, as the run
    of ``manifest`` read the decisions; returns how many got one (none without a project,
    whose ledger is read)."""
    disputed = [r for r in records if "disputed" in (r.get("reasons") or ())]
    if not disputed or config is None:
        return 0
    from labelwright.runs.explain.reviews import item_decisions, settle_item
    from labelwright.runs.label_set import run_label_set

    labels = run_label_set(config, manifest)
    reader = None
    given = 0
    for record in disputed:
        item_id = str(record["id"])
        reader, decisions = item_decisions(config, manifest, item_id, reader, [])
        settled = settle_item(decisions, reader, item_id, config=config, manifest=manifest,
                              run_dir=run_dir, labels=labels, source="model", copy_of=None,
                              warnings=[]).settlement
        if settled is not None and (settled.raters or settled.adjudicators):
            record[RATER_LABELS] = rater_labels_text(settled.raters, settled.adjudicators)
            given += 1
    return given
