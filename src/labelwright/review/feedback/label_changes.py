"""Review decisions whose label is not one of the project's labels now: read through
``[project] renamed``, or left unused and named.

The ledger keeps every decision as it was imported. When a label is renamed
(``[project] renamed = { negative = "complaint" }``) a decision for the old name is read as
the current label (:func:`read_renamed`), wherever reviews are read; the ledger is not
rewritten. A decision whose label is neither a current label nor a renamed one is
*stale*: its item is not settled by the other raters (:func:`stale_raters`) — their
decisions were made beside it, and settling without it would decide a split in favour of
whoever's label is still there — and :func:`stale_warning` names the labels, the decisions
and items, and what to do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from labelwright.counts import some_of
from labelwright.review.decisions import ledger
from labelwright.review.imports.records import Row

RENAMED_EXAMPLE = '[project] renamed = { old = "new" }'


def configured_renamed(root: str | Path) -> dict[str, str]:
    """``[project] renamed`` of the project in the folder ``root``; {} when it holds no
    ``labelwright.toml`` (a project configured from Python passes its own)."""
    from labelwright.config import CONFIG_NAME, load_config

    if not (Path(root) / CONFIG_NAME).is_file():
        return {}
    return dict(load_config(root).renamed)


def read_renamed(decisions: Sequence[ledger.Decision], renamed: Mapping[str, str]
                 ) -> tuple[list[ledger.Decision], dict[str, int]]:
    """``decisions`` with each old label name read as the current label it was renamed to,
    and how many decisions each old name had (only the names some decision has)."""
    counts = Counter(d.label for d in decisions if d.label in renamed)
    read = [replace(d, label=renamed[d.label]) if d.label in renamed else d
            for d in decisions]
    return read, dict(sorted(counts.items()))


def stale_raters(votes: Mapping[str, str], labels: Collection[str],
                 adjudicators: Collection[str]) -> list[str]:
    """The raters whose latest label on an item is not one of ``labels``, when they keep
    the item from settling: always, unless an adjudicator decided it with a current label
    (an adjudicator's decision settles an item whatever the other raters chose) and no
    adjudicator's label is stale. Empty: the item settles on its current labels."""
    stale = sorted(rater for rater, label in votes.items() if label not in labels)
    if not stale:
        return []
    judged = any(rater in adjudicators for rater in votes if rater not in stale)
    if judged and not any(rater in adjudicators for rater in stale):
        return []
    return stale


def stale_warning(labels: Mapping[str, int], items: Sequence[str], current: Sequence[str],
                  labels_are: str = "the project no longer has ([project] labels)") -> str:
    """What a run says about the decisions whose labels are not current ones: ``labels``,
    how many decisions each stale label has; ``items``, the items they keep unsettled."""
    named = ", ".join(f"{label!r} ({n})" for label, n in labels.items())
    valid = f" (current labels: {', '.join(current)})" if current else ""
    kept = (f"{len(items)} item(s) of theirs that no adjudicator settled have no reviewed "
            f"label, whatever their other raters chose: {some_of([repr(i) for i in items])}"
            if items else "an adjudicator settled each of their items, so they change no "
                          "label")
    return (f"{sum(labels.values())} review decision(s) have a label {labels_are}: "
            f"{named}; {kept}. If a label was "
            f"renamed, name it in {RENAMED_EXAMPLE}{valid} "
            "and those decisions are read as the new name; if it was removed, the items' "
            "raters decide them again (review import; a later decision by a rater replaces "
            "their earlier one)")


def run_labels_reader(runs_dir: Path) -> Callable[[str], list[str] | None]:
    """``labels_of(run_id)``: the labels a run of the project had (its manifest's
    ``project.labels``: :func:`~labelwright.runs.label_set.recorded_labels`); None when its
    manifest is gone or does not say."""
    from labelwright.runs.label_set import recorded_labels

    def labels_of(run_id: str) -> list[str] | None:
        labels = recorded_labels(Path(runs_dir) / run_id)
        return None if labels is None else list(labels)

    return labels_of


def retired_labels_problem(path: Path, label: str, rows: Sequence[str],
                           runs: Mapping[str, list[str]], labels: Sequence[str]) -> str:
    """One message for the rows of a review file whose ``label`` was a label of the runs
    they came from (``runs``: run id -> its labels) and is not one of the project's
    ``labels`` now: renamed or removed since the file was exported, not a typo per row."""
    named = "; ".join(f"run {run_id} had {', '.join(had)}" for run_id, had in runs.items())
    return (f"{path}: {len(rows)} row(s) have the label {label!r}, which the run(s) they were "
            f"exported from had ({named}) and the project no longer has (its labels now: "
            f"{', '.join(labels)}): {some_of(list(rows))}. If {label!r} was renamed, name it "
            f"in [project] renamed = {{ {label} = \"NEW\" }} and these rows are read as the "
            "new name; if it was removed, their decisions cannot be used (skipping them "
            "imports a one-sided part of the file)")


def rename_rows(rows: Sequence[Row], renamed: Mapping[str, str]) -> dict[str, int]:
    """Read the label of each row of a review file that has an old name (``[project]
    renamed``, spaces around it or not) as the current label; how many rows had each."""
    counts: Counter[str] = Counter()
    for row in rows:
        old = row.label.strip() if row.label is not None else None
        if old is not None and old in renamed:
            counts[old] += 1
            row.label = renamed[old]
    return dict(sorted(counts.items()))
