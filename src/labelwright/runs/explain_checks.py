"""What ``explain`` points out about the files it reads: a decision exported from a run
whose folder is gone, a row of ``labels.parquet`` that contradicts itself (edited by
hand), and LF modules added, removed or edited since the run."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from labelwright.runs.pruned import read_pruned
from labelwright.runs.store import RUN_ID


def mark_gone_runs(decisions: list[dict[str, Any]], runs_dir: Path) -> None:
    """Say in a decision's ``source`` when the run it was exported from has no folder in
    ``runs_dir`` any more (deleted), and mark it ``run_gone``; for a run ``runs prune``
    removed, say when and by what (``run_pruned``: its record's line, else "")."""
    pruned = read_pruned(runs_dir) if decisions else {}
    for d in decisions:
        run_id = d.get("run_id")
        d["run_gone"] = (isinstance(run_id, str) and bool(RUN_ID.fullmatch(run_id))
                         and not (runs_dir / run_id).is_dir())
        record = pruned.get(str(run_id)) if d["run_gone"] else None
        d["run_pruned"] = record.describe() if record is not None else ""
        if d["run_gone"]:
            source = str(d.get("source", ""))
            named = f"run {run_id}" in source
            if record is not None:  # pruned: "(that run was pruned on ... by `...`)"
                d["source"] = source + (f" (that run was {record.describe()})" if named else
                                        f" (exported from run {run_id}, {record.describe()})")
            else:
                d["source"] = source + (" (that run's folder is gone)" if named else
                                        f" (exported from run {run_id}, whose folder is gone)")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) \
        or str(value) == "<NA>"


def row_contradictions(row: dict[str, Any], path: Path) -> list[str]:
    """A warning naming what an item's row of ``labels.parquet`` says against itself, as a
    run never writes it: a label from the model that is not the model's label, or a
    confidence that is not the probability of the label ([] when the row is consistent).

    A file without a ``model_label`` column is of the older layout, which kept the label
    model's probabilities on a reviewed row (the current one puts the reviewed label's
    there, and the model's own label and confidence in ``model_label`` and
    ``model_confidence``): its reviewed rows only need confidence 1, the reviewed label's."""
    label, source = row.get("label"), str(row.get("label_source", ""))
    found = []
    if source == "model" and "model_label" in row and not _missing(label) \
            and str(label) != str(row["model_label"]):
        found.append(f"label {label!r} with label_source 'model', but model_label "
                     f"{row['model_label']!r}")
    older_review = source == "review" and "model_label" not in row
    prob: Any = (1.0 if older_review else row.get(f"prob_{label}")) \
        if not _missing(label) else None
    confidence: Any = row.get("confidence")
    if not _missing(prob) and not _missing(confidence) \
            and abs(float(confidence) - float(prob)) > 1e-9:
        found.append(f"confidence {float(confidence):.4f} for the reviewed label {label!r}, "
                     "where a review gives 1" if older_review else
                     f"confidence {float(confidence):.4f} for label {label!r}, but "
                     f"prob_{label} {float(prob):.4f}")
    if not found:
        return []
    return [f"{path}: this item's row contradicts itself ({'; '.join(found)}), as a run never "
            "writes it: the row was edited since the run; `labelwright runs verify` checks "
            "the file's hash"]


def module_changes(then: dict[str, str], now: dict[str, str]) -> str:
    """``added since: x.py; edited: y.py``: the LF modules the run did not have, those it had
    that are gone, and those whose hash differs ("" when none)."""
    parts = [(what, sorted(names)) for what, names in (
        ("added", set(now) - set(then)), ("removed", set(then) - set(now)),
        ("edited", {n for n in set(then) & set(now) if then[n] != now[n]}))]
    return "; ".join(f"{what} {', '.join(names)}" for what, names in parts if names)
