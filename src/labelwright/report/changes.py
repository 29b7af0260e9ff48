"""What changed since the previous run in the same ``runs/`` folder.

LFs are compared by the source hash the manifests record; labels by joining the two
runs' ``labels.parquet`` on item id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from labelwright.report.data import EXAMPLES, NONE, read_labels, read_manifest


@dataclass
class Changes:
    previous_id: str
    added: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    compared: int = 0  # items present in both runs
    flipped: int = 0  # items whose label changed (None counts as a label)
    transitions: pd.DataFrame | None = None  # previous, current, items
    examples: list[dict[str, Any]] = field(default_factory=list)
    data_changed: bool = False


def previous_run(run_dir: Path, run_id: str) -> Path | None:
    """The newest finished run next to ``run_dir`` whose id sorts before ``run_id``."""
    parent = run_dir.parent
    if not parent.is_dir():
        return None
    earlier = sorted(p.name for p in parent.iterdir()
                     if p.is_dir() and not p.name.startswith(".") and p.name < run_id
                     and (p / "manifest.json").is_file())
    return parent / earlier[-1] if earlier else None


def _hashes(manifest: dict[str, Any]) -> dict[str, str]:
    lfs = manifest.get("labeling_functions", [])
    return {lf["name"]: lf.get("source_sha256", "") for lf in lfs}


def compare_runs(run_dir: Path, manifest: dict[str, Any], *,
                 examples: int = EXAMPLES) -> Changes | None:
    """Changes from the previous run to this one, or None when there is no previous run."""
    run_id = str(manifest.get("run_id") or run_dir.name)
    previous = previous_run(run_dir, run_id)
    if previous is None:
        return None
    old_manifest = read_manifest(previous)
    old, new = _hashes(old_manifest), _hashes(manifest)
    changes = Changes(
        previous_id=previous.name,
        added=[n for n in new if n not in old],
        edited=[n for n in new if n in old and old[n] != new[n]],
        removed=[n for n in old if n not in new],
        data_changed=old_manifest.get("data", {}).get("sha256")
        != manifest.get("data", {}).get("sha256"),
    )
    columns = ["id", "label", "confidence"]
    before = read_labels(previous / "labels.parquet", columns)
    after = read_labels(run_dir / "labels.parquet", columns)
    joined = after.merge(before, on="id", suffixes=("", "_previous"))
    changes.compared = len(joined)
    now = joined["label"].astype(object).where(joined["label"].notna(), NONE)
    then = joined["label_previous"].astype(object).where(joined["label_previous"].notna(), NONE)
    flipped = now != then
    changes.flipped = int(flipped.sum())
    if changes.flipped:
        moves = pd.DataFrame({"previous": then[flipped], "current": now[flipped]})
        changes.transitions = (moves.value_counts().rename("items").reset_index()
                               .sort_values("items", ascending=False, kind="stable"))
        sample = joined[flipped.to_numpy()].head(examples)
        changes.examples = [
            {"id": str(r.id), "previous": then[i], "current": now[i],
             "confidence_previous": r.confidence_previous, "confidence": r.confidence}
            for i, r in zip(sample.index, sample.itertuples())
        ]
    return changes
