"""How often review decisions took the label their run gave the item.

Each decision is compared with the label of the run it was exported from (its ``run_id``),
as that run's ``labels.parquet`` holds it: the suggestion its export showed (a reviewer of
a blind export did not see it), not a later run's label, which already holds the review.
A decision on an item that run gave no label has nothing to agree with, so it is left out
and counted (``unlabelled``), never taken for a disagreement; so is one that cannot be
compared (``unmatched``): its run is gone or its labels cannot be read, they do not hold the
item, or the run's label for it was itself a review's.

``labelwright review stats`` (blind and shown apart: :mod:`~labelwright.review.stats.anchoring`)
and the run report's "Model label confirmed by reviewers" both count through
:func:`agreement_with_runs`, so the two say the same of the same decisions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TypeVar

import pyarrow as pa
import pyarrow.compute as pc

from labelwright.errors import RunError
from labelwright.runs.file_names import LABELS_FILE
from labelwright.runs.store import read_labels_table


class Compared(Protocol):
    """A decision as compared here (a ledger decision, or a row of a run's reviews.json)."""

    @property
    def item_id(self) -> str: ...
    @property
    def run_id(self) -> str: ...
    @property
    def label(self) -> str: ...


D = TypeVar("D", bound=Compared)


@dataclass(frozen=True)
class RunLabel:
    """What a run said of an item: its label (None: it gave none) and queue reasons."""

    label: str | None
    reasons: tuple[str, ...] = ()


@dataclass
class RunAgreement:
    """Decisions compared with their run's label, and agreeing, per group; and the ones
    left out, by why."""

    decisions: Counter[Hashable] = field(default_factory=Counter)
    agreed: Counter[Hashable] = field(default_factory=Counter)
    unlabelled: int = 0  # on items their run gave no label: nothing to agree with
    unmatched: int = 0  # not comparable (see the module docstring)
    #: run id -> why none of its decisions could be compared (a part of ``unmatched``)
    runs_gone: dict[str, str] = field(default_factory=dict)

    def pair(self, group: Hashable) -> tuple[int, int]:
        """``(agreed, decisions)`` of ``group``."""
        return self.agreed[group], self.decisions[group]

    @property
    def left_out(self) -> int:
        return self.unlabelled + self.unmatched


def agreement_with_runs(decisions: Sequence[D], runs_dir: Path,
                        groups: Callable[[D, RunLabel], Iterable[Hashable]], *,
                        renamed: Mapping[str, str] | None = None) -> RunAgreement:
    """Each of ``decisions`` against the label its run gave the item, counted in every
    group ``groups(decision, run_label)`` names. ``decisions`` are counted as given: who
    keeps which decision of a rater is the caller's choice. ``renamed``: old label name ->
    current label (``[project] renamed``), with which the decisions were read: a run made
    before the rename gave the label its old name, and a decision for the new one agrees."""
    renamed = renamed or {}
    given, gone = labels_given(decisions, runs_dir)
    result = RunAgreement(runs_gone=gone)
    for d in decisions:
        run = given.get((d.run_id, d.item_id))
        if run is None:
            result.unmatched += 1
        elif run.label is None:
            result.unlabelled += 1
        else:
            agreed = d.label == run.label or d.label == renamed.get(run.label)
            for group in groups(d, run):
                result.decisions[group] += 1
                result.agreed[group] += agreed
    return result


def _why_missing(runs_dir: Path, run_id: str) -> str:
    """Why a run's labels are not there: pruned (``runs prune`` recorded it, on purpose) or
    its folder gone (removed by hand, or never there)."""
    from labelwright.runs.pruned import read_pruned

    try:
        pruned = read_pruned(runs_dir).get(run_id)
    except RunError:  # an unreadable record vouches for nothing
        pruned = None
    if pruned is not None:
        return f"that run was {pruned.describe()}, so its labels are not there to compare with"
    return f"its folder {runs_dir / run_id} is gone"


def labels_given(decisions: Iterable[Compared], runs_dir: Path
               ) -> tuple[dict[tuple[str, str], RunLabel], dict[str, str]]:
    """``({(run id, item id): RunLabel}, {run id: why it cannot be read})`` for the items
    ``decisions`` name, from each run's ``labels.parquet``. An item whose label in that run
    came from a review is left out: the run suggested nothing for it."""
    wanted: dict[str, set[str]] = {}
    for d in decisions:
        wanted.setdefault(d.run_id, set()).add(d.item_id)
    found: dict[tuple[str, str], RunLabel] = {}
    gone: dict[str, str] = {}
    for run_id, items in wanted.items():
        if not run_id:
            gone[run_id] = "the decisions name no run"
            continue
        path = Path(runs_dir) / run_id / LABELS_FILE
        if not path.is_file():
            gone[run_id] = _why_missing(Path(runs_dir), run_id)
            continue
        try:
            table = read_labels_table(path, ("id", "label", "reasons", "label_source"))
            ids = table.column("id").cast(pa.string())
            # only the wanted rows become Python objects: a run may hold millions of items
            rows = table.filter(pc.is_in(ids, value_set=pa.array(sorted(items), pa.string()))
                                ).to_pylist()
        except RunError as exc:
            gone[run_id] = str(exc)
            continue
        except Exception as exc:  # pyarrow raises many kinds (no "id" column, a bad cast)
            gone[run_id] = f"{path}: cannot read the labels: {exc}"
            continue
        for row in rows:
            item_id = str(row.get("id"))
            if row.get("label_source") == "review":  # (the filter kept only ``items``)
                continue
            label = row.get("label")
            found[run_id, item_id] = RunLabel(
                label=None if label is None else str(label),
                reasons=tuple(r for r in str(row.get("reasons") or "").split(";") if r))
    return found, gone
