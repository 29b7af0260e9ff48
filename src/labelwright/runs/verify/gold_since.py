"""Whether the gold labels the data holds now are the ones a run read, item by item.

An erasure (``labelwright erase``) deletes rows from the data, so the data's hash is no
longer the run's, and ``runs verify --inputs`` takes the change as the erasure's when the
items gone are the erased ones and every other item has the text the run recorded. The
text hashes say nothing of the gold column, which the run's accuracy is measured on: gold
labels blanked or edited with the erasure passed as "the recorded erasure accounts for
it". The run's ``labels.parquet`` keeps each item's gold label (``gold``), so they are
compared here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.errors import LabelwrightError

if TYPE_CHECKING:
    import pandas as pd

    from labelwright.config import ProjectConfig
    from labelwright.runs.verify.data import DataReads


def gold_changed_since(run_dir: Path, manifest: dict[str, Any], config: ProjectConfig,
                       frame: pd.DataFrame | None = None, reads: DataReads | None = None
                       ) -> list[str] | None:
    """The ids of the items both the run's ``labels.parquet`` and the data now hold whose
    gold label is not the one the run read (a label given, taken away or another; a
    label the project renamed since, ``[project] renamed``, read as its name now); None
    when that cannot be told (the run's labels or the data cannot be read)."""
    import pandas as pd

    from labelwright.runs.item_texts import GOLD, hashes_now
    from labelwright.runs.store import run_labels
    from labelwright.runs.verify.data import DataReads

    try:
        then = run_labels(run_dir, manifest, ["id", "gold"])
    except LabelwrightError:
        return None
    try:
        now = hashes_now(config, frame, reads or DataReads())
    except (LabelwrightError, OSError):
        return None
    if config.data.gold_column is not None and GOLD not in now.columns:
        return None  # its labels could not be read
    if GOLD not in now.columns:
        now = now.assign(**{GOLD: None})
    renamed = dict(config.renamed)
    was = then["gold"].tolist() if "gold" in then.columns else [None] * len(then)
    before = pd.DataFrame({"id": then["id"].astype(str),
                           "was": [None if pd.isna(g) else renamed.get(str(g), str(g))
                                   for g in was]})
    both = before.merge(now[["id", GOLD]], on="id", how="inner")
    # (pandas may hold a missing label as NaN, whatever was put in)
    return [i for i, a, b in zip(both["id"], both["was"], both["gold"], strict=True)
            if (None if pd.isna(a) else a) != (None if pd.isna(b) else b)]


def gold_line(changed: list[str] | None, shown: int = 5) -> str:
    """The line under a changed data file naming the items whose gold label is not the
    run's (the first ``shown`` ids), or saying that they could not be compared."""
    from labelwright.counts import some_of

    if changed is None:
        return ("gold labels: not compared with the run's (the run's labels or the data "
                "cannot be read for them)")
    return (f"items whose gold label changed since the run: {len(changed)} "
            f"({some_of(changed, shown)}): the run's accuracy was measured on the gold it "
            "read (labels.parquet's gold column)")
