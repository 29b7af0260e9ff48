"""What the reasons and notes of a class balance call the rows ``y_dev`` labels: gold rows
(a benchmark's valid labels) or reviewed labels (a project's run), and how the reader
sets ``n_splits`` where a reason names it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowNames:
    """What the reasons call the rows ``y_dev`` labels. In general they are gold rows (a
    benchmark's valid labels); in a project's run they are reviewed labels, and "gold" is
    the dataset's held-out column, which a reason about gold rows was read as."""

    plural: str
    none: str  # for no rows at all
    #: how the reader sets ``n_splits`` to ``{n}`` (a reason for rows short of a class names
    #: it); None where the reader cannot set it (the WRENCH bench)
    n_splits_setting: str | None = "pass n_splits={n} to auto"

    def count(self, n: int) -> str:
        return self.none if n == 0 else f"{n} {self.plural}"


GOLD_ROWS = RowNames("gold rows", "0 gold rows")
REVIEWED_LABELS = RowNames("reviewed labels", "no reviewed labels yet",
                           "n_splits = {n} under [label_model]")
#: the WRENCH bench's valid labels: it has no setting for ``n_splits``
BENCH_GOLD_ROWS = RowNames("gold rows", "0 gold rows", None)
