"""What two runs' own files say beyond flipped labels, for ``runs diff`` and the report.

* Accuracy on the gold items held out in **both** runs. A run leaves its reviewed gold
  items out of its accuracy (the label model was fit on their reviewed labels), so as
  reviews grow, a later run's accuracy is over fewer, other items; the two manifests'
  accuracies then compare different items. Here each run's ``labels.parquet`` (its label,
  its label source and the data's gold as the run read it) gives the accuracy of both on
  the items neither reviewed.
* How many labels a review changed in each run: reviewed items whose reviewed label is
  not the label model's own (``model_label``), and reviewed items the model left without
  a label.
* For every LF in both runs, on how many items its vote changed, from the two runs'
  ``label_matrix.parquet``: whatever the cause (its source, its module's other code, a
  word list in the LF folder, the data, the pipeline).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from labelwright.caches import file_sha256, file_state
from labelwright.errors import RunError
from labelwright.matrix import ID_COLUMN
from labelwright.project.held_out import held_out_rows, keeps_model_label
from labelwright.runs.file_names import MATRIX_FILE
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.store import file_changed, hash_changed

Frame = TypeVar("Frame", pd.Series, pd.DataFrame)


@dataclass(frozen=True)
class CommonGold:
    """Accuracy of two runs on the gold items held out in both."""

    items: int  # gold items held out (not reviewed) in both runs
    accuracy: tuple[float | None, float | None]  # run a's and run b's on them (None: no items)
    differ: bool  # whether the runs' held-out gold items are not the same items

    @property
    def delta(self) -> float | None:
        a, b = self.accuracy
        return None if a is None or b is None else b - a


def common_gold(labels_a: pd.DataFrame, labels_b: pd.DataFrame,
                joined: pd.DataFrame) -> CommonGold | None:
    """Both runs' accuracy on the gold items held out in both (``joined``: the two runs'
    labels joined on id, columns suffixed ``_a`` and ``_b``), None when a run's labels
    cannot say which items were held out. Held out and scored as each run's own accuracy
    (:func:`~labelwright.project.held_out.held_out_rows`; the label model's own label where
    the run keeps it, :func:`~labelwright.project.held_out.keeps_model_label`): the two
    numbers of a run over the same items are the same. An item without a label counts
    as wrong, as in a run's own accuracy."""
    if any("gold" not in labels or "label_source" not in labels
           for labels in (labels_a, labels_b)):
        return None
    mask_a, mask_b = held_out_rows(labels_a), held_out_rows(labels_b)
    ids_a, ids_b = set(labels_a.loc[mask_a, "id"]), set(labels_b.loc[mask_b, "id"])
    both = joined[joined["id"].isin(ids_a & ids_b)]  # an inner join on the (unique) ids
    differ = ids_a != ids_b
    if both.empty:
        return CommonGold(0, (None, None), differ)
    def accuracy(side: str, labels: pd.DataFrame) -> float:
        column = "model_label" if keeps_model_label(labels) else "label"
        return float((both[f"{column}_{side}"].astype(object)
                      == both[f"gold_{side}"].astype(object)).mean())
    return CommonGold(len(both), (accuracy("a", labels_a), accuracy("b", labels_b)), differ)


@dataclass(frozen=True)
class ReviewChanges:
    """One run's reviewed items, against the label model's own labels."""

    changed: int  # the reviewed label is not the label model's own
    filled: int  # the label model gave no label; the review gave one


def review_changes(labels: pd.DataFrame) -> ReviewChanges | None:
    """How many labels a review changed in a run (None for a run whose labels do not keep
    the label model's own label)."""
    if "model_label" not in labels or "label_source" not in labels:
        return None
    reviewed = labels[labels["label_source"] == "review"]
    own = reviewed["model_label"]
    changed = own.notna() & (reviewed["label"].astype(object) != own.astype(object))
    return ReviewChanges(int(changed.sum()), int(own.isna().sum()))


@dataclass(frozen=True)
class VoteChanges:
    """On how many items each LF's vote changed between two runs (items in both runs)."""

    #: LF -> items whose vote differs (a vote or an abstain): each LF whose votes differ,
    #: and each LF asked to be kept (those whose source changed) also with 0
    changed: dict[str, int]
    problem: str | None = None  # why the votes could not be compared, when they could not


def vote_changes(run_a: Path, manifest_a: dict[str, Any], run_b: Path,
                 manifest_b: dict[str, Any], lfs: list[str], *,
                 keep: list[str] | None = None,
                 ids: Sequence[str] | None = None) -> VoteChanges:
    """The items on which each of ``lfs`` voted otherwise in run b than in run a, compared
    by label name (a run may order its labels otherwise); LFs whose votes did not change
    are left out, but for those in ``keep`` (default: all of ``lfs``). An LF one run's
    matrix lacks is left out; a matrix that is missing or not as its run wrote it is a
    ``problem``, whether or not an LF's source changed: the votes of LFs whose source did
    not change are compared too, and cannot be vouched the same then. ``ids``: the items
    both runs hold, when they hold others too (None: read every item's votes)."""
    kept = set(lfs if keep is None else keep)
    if not lfs:
        return VoteChanges({})
    try:
        a = run_votes(run_a, manifest_a, lfs, ids=ids)
        b = run_votes(run_b, manifest_b, lfs, ids=ids)
    except RunError as exc:  # said also with no LF edited: unedited LFs' votes can move
        return VoteChanges({}, str(exc))
    names = [lf for lf in lfs if lf in a.columns and lf in b.columns]
    if a[ID_COLUMN].equals(b[ID_COLUMN]):  # the same items in the same order: no join
        counts = {lf: _differ(a[lf], b[lf]) for lf in names}
    else:
        joined = a[[ID_COLUMN, *names]].merge(b[[ID_COLUMN, *names]], on=ID_COLUMN,
                                              suffixes=("_a", "_b"))
        counts = {lf: _differ(joined[f"{lf}_a"], joined[f"{lf}_b"]) for lf in names}
    return VoteChanges({lf: n for lf, n in counts.items() if n or lf in kept})


def _differ(a: pd.Series, b: pd.Series) -> int:
    """Rows where ``a`` and ``b`` differ, an abstain (missing) in both being no change."""
    return int(votes_differ(a, b).sum())


def votes_differ(a: Frame, b: Frame) -> Frame:
    """Where ``a`` and ``b`` (two Series or two DataFrames of votes or labels, aligned)
    differ, an abstain (missing) in both being no difference: ``==`` alone counts every
    pair of abstains as a change (NaN != NaN)."""
    return ~((a == b) | (a.isna() & b.isna()))


def _matrix_problem(run_dir: Path, recorded: str | None) -> str | None:
    """:func:`~labelwright.runs.store.file_changed` of a run's label matrix, its sha256
    taken once per file as it is on disk (its ``FileState``): one ``runs diff``,
    and each run's report, read a matrix for the LF renames, the vote changes and the flip
    causes, and hashed it each time."""
    path = run_dir / MATRIX_FILE
    if recorded is None or not path.is_file():
        return file_changed(run_dir, MATRIX_FILE, recorded)
    stat = path.stat()
    return hash_changed(MATRIX_FILE, recorded,
                        file_sha256(str(path), file_state(stat)))


def run_votes(run_dir: Path, manifest: dict[str, Any], lfs: list[str], *,
              ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The ids and the votes of ``lfs`` (those the matrix has) in a run's label matrix, as
    label names (None for an abstain); a :class:`RunError` when the matrix is missing or
    not as the run wrote it. ``ids``: only the items with these ids (in the matrix's order),
    picked batch by batch before the votes are made label names: the report compares each
    run with the one before, and a run of 200,000 items after one of a million had made
    all the million rows of the earlier matrix names, twice (the vote changes, the flips'
    causes), before it kept the 200,000 it compares."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    problem = _matrix_problem(run_dir, (manifest.get("outputs") or {}).get(MATRIX_FILE))
    if problem is not None:
        raise RunError(f"run {run_dir.name}: {problem}")
    path = run_dir / MATRIX_FILE
    try:
        schema = pq.read_schema(path)
        columns = [ID_COLUMN, *[lf for lf in lfs if lf in schema.names]]
        if ids is None:
            table = pq.read_table(path, columns=columns)
        else:  # batch by batch: the whole matrix is never in memory at once
            wanted = pa.array(ids, type=pa.string())
            matrix = pq.ParquetFile(path)
            table = pa.Table.from_batches(
                [batch.filter(pc.is_in(batch.column(ID_COLUMN).cast(pa.string()),
                                       value_set=wanted))
                 for batch in matrix.iter_batches(columns=columns)],
                schema=pa.schema([matrix.schema_arrow.field(c) for c in columns]))
    except Exception as exc:  # pyarrow raises several unrelated types
        raise RunError(f"{path}: cannot read the label matrix: {exc}") from None
    meta = schema.metadata or {}
    labels = json.loads(meta.get(b"labelwright.labels", b"null")) \
        or manifest_labels(manifest) or []
    names = {code: str(label) for code, label in enumerate(labels)}
    frame = table.to_pandas()
    for lf in frame.columns.drop(ID_COLUMN):
        frame[lf] = frame[lf].map(names)  # -1 (abstain) has no name: missing
    return frame
