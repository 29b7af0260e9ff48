"""Two runs' labels as a comparison reads them: run b's whole, run a's only the rows a join
on id keeps and those the run-wide counts read (:func:`labels_beside`), and whether the
items' texts can be told changed (:func:`texts_compared`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.config import NO_LABEL
from labelwright.runs.item_texts import TEXT_HASH
from labelwright.runs.run_data import run_data_columns
from labelwright.runs.store import run_labels, run_labels_table


def first_not_in(labels: pd.DataFrame, other: pd.DataFrame, n: int) -> list[str]:
    """The first ``n`` ids of ``labels`` that ``other`` does not hold. By pyarrow's
    ``is_in``: pandas' ``isin`` on the tables' arrow strings took 5.6-26 s for 1M ids (the
    report diffs every run with the one before)."""
    ids, others = labels["id"], other["id"]
    if ids.equals(others):  # the same items in the same order: the usual case
        return []
    import pyarrow as pa
    import pyarrow.compute as pc

    held = pc.is_in(pa.array(ids, type=pa.string()),
                    value_set=pa.array(others, type=pa.string()))
    return ids[~np.asarray(held, dtype=bool)].head(n).tolist()


#: the columns of a run's labels a comparison reads
_COMPARED = ["id", "label", "confidence", "label_source", "status", "gold", "model_label",
             "model_confidence", TEXT_HASH]


#: the column of each item's 0-based place in its run's ``labels.parquet``
POSITION = "position"


def read_labels(run_dir: Path, manifest: dict[str, Any]) -> pd.DataFrame:
    """A run's labels as a comparison reads them, with each item's :data:`POSITION`."""
    frame = _label_frame(run_labels(run_dir, manifest, _COMPARED))
    frame[POSITION] = range(len(frame))
    return frame


def _label_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its labels as Python strings, :data:`NO_LABEL` where none: one string
    per label, shared by its items (a string per item was some 50 bytes an item, twice over
    in a run's comparison with the run before)."""
    codes, names = pd.factorize(frame["label"], use_na_sentinel=True)
    shared = np.array([*map(str, names), NO_LABEL], dtype=object)  # code -1: the last
    frame["label"] = pd.Series(shared[codes], index=frame.index, dtype=object)
    return frame


@dataclass
class EarlierLabels:
    """Run a's labels as a comparison with run b needs them (:func:`labels_beside`)."""

    frame: pd.DataFrame  # the rows of items b holds, and every gold or reviewed row
    items: int  # all the items a holds
    not_in_b: list[str]  # the first ids of a that b does not hold, in a's order
    #: of those b does not hold, the ids an erasure since a names (all of them), and the
    #: first of the others, in a's order (``not_in_b`` when no erasure names any)
    erased: list[str] = field(default_factory=list)
    not_in_b_unerased: list[str] = field(default_factory=list)


def labels_beside(run_dir: Path, manifest: dict[str, Any], other_ids: pd.Series,
                   n: int, erased: Collection[str] = ()) -> EarlierLabels:
    """Run a's labels beside run b's (``other_ids``): as a DataFrame only the rows a join
    on id keeps, and those the run-wide counts read (a gold label: the accuracy on gold
    items held out in both; a review label: the labels a review changed), picked in the
    pyarrow table. A run's report compares it with the run before, and a 200,000-item run
    after a 1,000,000-item one had made all a million rows Python objects: what the
    comparison holds before it reads the votes went from 0.37 to 0.16 GB
    (``benchmarks/RESULTS.md``). ``erased``: ids an erasure took out of the project since
    run a (:func:`~labelwright.runs.erase.records.erased_since`): of the ids b does not
    hold, those are told apart from the others."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = run_labels_table(run_dir, manifest, _COMPARED)
    # each item's place in the run's labels, kept through the filter (diff.item_places)
    table = table.append_column(POSITION, pa.array(range(table.num_rows), type=pa.int64()))
    ids = table["id"].cast(pa.string())
    in_other = pc.is_in(ids, value_set=pa.array(other_ids, type=pa.string()))
    missing = ids.filter(pc.invert(in_other))
    if len(missing):
        keep = in_other
        if "gold" in table.column_names:
            keep = pc.or_(keep, pc.is_valid(table["gold"]))
        if "label_source" in table.column_names:
            reviewed = pc.equal(table["label_source"].cast(pa.string()), "review")
            keep = pc.or_(keep, pc.fill_null(reviewed, False))
        table = table.filter(keep)
    first = [str(i) for i in missing.slice(0, n).to_pylist()]
    gone_erased: list[str] = []
    others = first
    if len(missing) and erased:
        named = pc.is_in(missing, value_set=pa.array(list(erased), type=pa.string()))
        gone_erased = [str(i) for i in missing.filter(named).to_pylist()]
        others = [str(i) for i in missing.filter(pc.invert(named)).slice(0, n).to_pylist()]
    return EarlierLabels(_label_frame(table.to_pandas()), len(ids), first, gone_erased, others)


def same_texts(manifests: tuple[dict[str, Any], dict[str, Any]]) -> bool:
    """Whether two runs read the same data (its sha256) the same way (its data columns):
    then their items have the same texts, hashed or not."""
    a, b = ((m.get("data") or {}).get("sha256") for m in manifests)
    return a is not None and a == b and run_data_columns(manifests[0]) == run_data_columns(
        manifests[1])


def texts_compared(manifests: tuple[dict[str, Any], dict[str, Any]],
                   columns: tuple[Collection[str], Collection[str]]) -> bool:
    """Whether a flip's text can be told changed or not between two runs: the same texts
    (:func:`same_texts`), or each run's labels (``columns``) hold each item's text hash.
    ``runs diff`` and ``explain --against`` read it alike, so they give one cause."""
    return same_texts(manifests) or all(TEXT_HASH in c for c in columns)
