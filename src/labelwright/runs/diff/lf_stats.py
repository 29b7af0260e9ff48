"""How each LF's measured numbers moved between two runs (``runs diff``, the report).

A run's ``lf_summary.csv`` holds, per LF, its coverage and its accuracies: on the labels
that picture its votes (``emp_accuracy``), on the review queue's reviews
(``queue_accuracy``) and as the label model learned it (``learned_accuracy``). Comparing
two runs' inputs and flips did not say that an edit made an LF more right, or that the
label model now trusts it less: a user merged two runs' files by hand to see it. Here
the two files are joined on the LF (an LF renamed between the runs under its name in run
a), and each LF whose numbers moved by :data:`MOVED` or more is listed, largest move
first; LFs in one run only are named with their numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelwright.runs.file_names import LF_SUMMARY_FILE
from labelwright.runs.store import file_changed

#: the columns compared, and how a line names them
STATS = (("learned_accuracy", "learned"), ("emp_accuracy", "emp."),
         ("queue_accuracy", "queue"), ("coverage", "coverage"))
#: a move smaller than this (a share: 2 points) is left out: a new data batch moves every
#: LF's numbers a little, and those lines would hide the LFs an edit moved
MOVED = 0.02

Stat = tuple[float | None, float | None]


@dataclass(frozen=True)
class LfMove:
    """One LF whose numbers moved: ``stats`` name -> (run a, run b), only those moved."""

    lf: str
    stats: dict[str, Stat]


@dataclass(frozen=True)
class LfStatChanges:
    """The LFs whose numbers moved, largest first, and the numbers of LFs in one run only."""

    moved: list[LfMove] = field(default_factory=list)
    added: dict[str, dict[str, float | None]] = field(default_factory=dict)
    removed: dict[str, dict[str, float | None]] = field(default_factory=dict)
    #: why they could not be compared (a run's lf_summary.csv missing or edited)
    problem: str | None = None

    def __bool__(self) -> bool:
        return bool(self.moved or self.added or self.removed or self.problem)


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def read_lf_stats(run_dir: Path, manifest: dict[str, Any]) -> dict[str, dict[str, float | None]]:
    """``{LF: {column: number or None}}`` from a run's ``lf_summary.csv``, checked against
    the sha256 its manifest recorded; a ValueError saying why when it cannot be read."""
    import pandas as pd

    problem = file_changed(run_dir, LF_SUMMARY_FILE,
                           (manifest.get("outputs") or {}).get(LF_SUMMARY_FILE))
    if problem is not None:
        raise ValueError(f"run {run_dir.name}: {problem}")
    frame = pd.read_csv(run_dir / LF_SUMMARY_FILE, dtype=str, keep_default_na=False)
    if "lf" not in frame.columns:
        raise ValueError(f"{run_dir / LF_SUMMARY_FILE}: no lf column")
    return {str(row["lf"]): {column: _number(row.get(column)) for column, _ in STATS}
            for row in frame.to_dict("records")}


def _moved(a: dict[str, float | None], b: dict[str, float | None]) -> dict[str, Stat]:
    """The columns that moved by :data:`MOVED` or more, or that one run has and the other
    not (a learned accuracy of an LF that never voted is none)."""
    moved = {}
    for column, _ in STATS:
        then, now = a.get(column), b.get(column)
        if then is None and now is None:
            continue
        if then is None or now is None or abs(now - then) >= MOVED - 1e-12:
            moved[column] = (then, now)
    return moved


def lf_stat_changes(runs: tuple[Path, Path], manifests: tuple[dict[str, Any], dict[str, Any]],
                    *, lf_renames: list[tuple[str, str]]) -> LfStatChanges:
    """Each LF's numbers in the two runs' ``lf_summary.csv``: the LFs of both whose numbers
    moved (:data:`MOVED`), largest move first, and those in one run only. Nothing when a
    run neither has nor recorded the file (it wrote none); a ``problem`` when a file is
    missing or not as its run wrote it."""
    if any(LF_SUMMARY_FILE not in (m.get("outputs") or {}) and not (r / LF_SUMMARY_FILE).exists()
           for r, m in zip(runs, manifests)):
        return LfStatChanges()
    try:
        a, b = (read_lf_stats(run, manifest) for run, manifest in zip(runs, manifests))
    except (ValueError, OSError) as exc:
        return LfStatChanges(problem=str(exc))
    b = {dict((new, old) for old, new in lf_renames).get(lf, lf): stats
         for lf, stats in b.items()}
    moves = [LfMove(lf, moved) for lf in a if lf in b and (moved := _moved(a[lf], b[lf]))]
    moves.sort(key=lambda m: -_size(m))
    return LfStatChanges(moved=moves,
                         added={lf: stats for lf, stats in b.items() if lf not in a},
                         removed={lf: stats for lf, stats in a.items() if lf not in b})


def _size(move: LfMove) -> float:
    """An LF's largest move (a share), to sort by; 0 (last) for a number one run has and
    the other not (a queue accuracy once the queue has reviews)."""
    return max(abs(b - a) if a is not None and b is not None else 0.0
               for a, b in move.stats.values())


def _shown(value: float | None) -> str:
    return "none" if value is None else f"{100 * value:.1f}%"


def lf_stat_lines(changes: LfStatChanges, shown: int = 10) -> list[str]:
    """``LF numbers moved (2+ pts, largest first): star_rating learned 74.7% -> 89.4%;
    ...``, and the numbers of the LFs in one run only ([] when nothing moved)."""
    if changes.problem:
        return [f"LF numbers: not compared ({changes.problem})"]
    names = dict(STATS)
    lines = []
    if changes.moved:
        moves = [f"{m.lf} " + ", ".join(f"{names[c]} {_shown(a)} -> {_shown(b)}"
                                        for c, (a, b) in m.stats.items())
                 for m in changes.moved[:shown]]
        more = len(changes.moved) - shown
        lines.append(f"LF numbers moved ({100 * MOVED:.0f}+ pts, largest first): "
                     + "; ".join(moves) + (f"; and {more} more LFs" if more > 0 else ""))
    for what, lfs in (("LFs added", changes.added), ("LFs removed", changes.removed)):
        if lfs:
            lines.append(f"numbers of {what}: " + "; ".join(
                f"{lf} " + ", ".join(f"{names[c]} {_shown(v)}" for c, _ in STATS
                                     if (v := stats.get(c)) is not None)
                for lf, stats in lfs.items()))
    return lines


def largest_moves(changes: LfStatChanges, shown: int = 2) -> str | None:
    """``star_rating learned 74.7% -> 89.4%, glossary:praise coverage 44.9% -> 35.2%``: the
    largest move of each of the first ``shown`` LFs, for the line a run ends with (None
    when no LF's numbers moved)."""
    if not changes.moved:
        return None
    names = dict(STATS)
    def largest(move: LfMove) -> str:
        column, (a, b) = max(move.stats.items(), key=lambda kv: _size(LfMove("", dict([kv]))))
        return f"{move.lf} {names[column]} {_shown(a)} -> {_shown(b)}"
    more = len(changes.moved) - shown
    return ", ".join(largest(m) for m in changes.moved[:shown]) + (
        f" and {more} more" if more > 0 else "")
