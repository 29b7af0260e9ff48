"""Which flipped labels were a coin flip in both runs (``runs diff``).

A label the model gave between two nearly equal probabilities (payment 0.502,
confidentiality 0.494) moves with anything that nudges the fit, and editing one data row
had reported 38 labels flipped, 36 of them such coin flips, counted with the flips an
edit decided. A flip is *between near ties* when both runs took the label from the label
model (no review, no copy), both labels are labels (not ``(none)``), and in both runs the
item's two most probable labels are less than :data:`NEAR_TIE` apart, as the runs'
``prob_`` columns record them. ``runs diff`` counts those apart and says so; their causes
are still counted as :mod:`~labelwright.runs.diff.flip_causes` names them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.config import NO_LABEL
from labelwright.errors import RunError

#: the largest gap between an item's two most probable labels that is a near tie (both
#: runs' gap under it: the label is a coin flip either way)
NEAR_TIE = 0.02

#: the prefix of a run's probability columns in ``labels.parquet``
_PROB = "prob_"


def near_tie_text() -> str:
    """The rule, as ``runs diff`` and the README say it."""
    return (f"near ties: the two most probable labels under {NEAR_TIE:.2f} apart in both runs, "
            "a coin flip either way")


def near_tied(flips: pd.DataFrame, runs: tuple[Path, Path],
              manifests: tuple[dict[str, Any], dict[str, Any]]) -> np.ndarray:
    """Per row of ``flips`` (two runs' labels joined on id, suffixes ``_a`` / ``_b``),
    whether the flip is between near ties (see the module). All False when a run's labels
    hold no probabilities (or cannot be read: the comparison says why elsewhere)."""
    tied = np.zeros(len(flips), dtype=bool)
    if not len(flips):
        return tied
    from_model = np.ones(len(flips), dtype=bool)
    for side in ("a", "b"):
        from_model &= (flips[f"label_{side}"] != NO_LABEL).to_numpy(dtype=bool)
        source = flips.get(f"label_source_{side}")
        if source is not None:
            from_model &= source.fillna("model").eq("model").to_numpy(dtype=bool)
    if not from_model.any():
        return tied
    ids = flips["id"].astype(str)[from_model]
    try:
        gaps = [_top_two_gap(run, manifest, ids) for run, manifest in zip(runs, manifests)]
    except RunError:
        return tied
    tied[from_model] = (gaps[0] < NEAR_TIE) & (gaps[1] < NEAR_TIE)
    return tied


def _top_two_gap(run_dir: Path, manifest: dict[str, Any], ids: pd.Series) -> np.ndarray:
    """Per id of ``ids``, the gap between its two most probable labels in the run (inf
    where the run has no probabilities for it), read for those ids alone, batch by batch:
    the whole probability columns of a million items are never held at once."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from labelwright.runs.file_names import LABELS_FILE
    from labelwright.runs.store import changed_output

    problem = changed_output(run_dir, manifest, LABELS_FILE)
    if problem is not None:  # the comparison says so where it reads the labels
        raise RunError(f"{run_dir / problem}")
    try:
        source = pq.ParquetFile(run_dir / LABELS_FILE)
        probs = [c for c in source.schema_arrow.names if c.startswith(_PROB)]
        if len(probs) < 2:
            return np.full(len(ids), np.inf)
        wanted = pa.array(ids, type=pa.string())
        columns = ["id", *probs]
        table = pa.Table.from_batches(
            [batch.filter(pc.is_in(batch.column("id").cast(pa.string()), value_set=wanted))
             for batch in source.iter_batches(columns=columns)],
            schema=pa.schema([source.schema_arrow.field(c) for c in columns]))
    except Exception as exc:  # pyarrow raises several unrelated types
        raise RunError(f"{run_dir / LABELS_FILE}: cannot read the labels: {exc}") from None
    frame = table.to_pandas().drop_duplicates("id").set_index("id")
    values = frame.reindex(ids.to_numpy())[probs].to_numpy(dtype=float)
    top = -np.sort(-np.nan_to_num(values, nan=-np.inf), axis=1)[:, :2]
    gap = top[:, 0] - top[:, 1]
    return np.where(np.isfinite(gap), gap, np.inf)
