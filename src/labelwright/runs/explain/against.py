"""One item in two runs side by side (``explain ITEM --against RUN``): its label,
confidence and probabilities in each, the votes that changed, and why the label moved,
as ``runs diff`` names it.

After ``runs diff`` listed an item among the flips, the user ran ``explain`` on it in each
run and compared the two screens by eye. Here the cause is the one ``runs diff`` gives
(:func:`~labelwright.runs.diff.flip_causes.flip_causes` on the item's row of the two runs'
labels, the same code, with LF and label renames found as ``runs diff`` finds them), and a
flip between near ties is said so (:mod:`~labelwright.runs.diff.near_ties`). Run ``a`` is
the one given with ``--against`` (``runs diff``'s earlier run), run ``b`` the one
explained.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from labelwright.apply.item_fields import missing_as_none
from labelwright.config import NO_LABEL
from labelwright.errors import UnknownItemError
from labelwright.runs.diff.flip_causes import ABSTAIN, VoteMove, flip_causes, refit_on_reviews
from labelwright.runs.diff.label_frames import texts_compared
from labelwright.runs.diff.manifest_changes import code_change, code_changed_text, label_renames
from labelwright.runs.diff.near_ties import near_tied
from labelwright.runs.diff.renames import lf_renames
from labelwright.runs.explain.lookup import item_row, matrix_row, run_file
from labelwright.runs.file_names import LABELS_FILE
from labelwright.runs.label_set import manifest_labels
from labelwright.runs.store import read_manifest

#: the cause said of an item whose label is the same in both runs
SAME_LABEL = "label unchanged"


@dataclass
class RunSide:
    """The item in one run: its label (None: none), where it came from, its confidence and
    the probabilities ``labels.parquet`` records (label -> probability, label order)."""

    run_id: str
    label: str | None
    label_source: str
    confidence: float
    probabilities: dict[str, float] = field(default_factory=dict)


@dataclass
class ItemBeside:
    """The item in run ``a`` (``--against``) and run ``b``; ``a`` is None when run a does
    not hold the item."""

    item_id: str
    a: RunSide | None
    b: RunSide
    #: the LFs whose vote on the item differs (as run a names them; ``abstain`` for none)
    votes: list[VoteMove] = field(default_factory=list)
    #: why the label moved, as ``runs diff`` names it; :data:`SAME_LABEL` when it did not
    cause: str = SAME_LABEL
    near_tie: bool = False
    #: :func:`~labelwright.runs.diff.manifest_changes.code_changed_text` when another
    #: labelwright made run b than run a ("" when the same one made both): the cause is
    #: read from the votes and reviews, which an upgrade's new default leaves alone
    upgraded: str = ""


def _side(run_dir: Path, manifest: dict[str, Any], row: dict[str, Any]) -> RunSide:
    labels = manifest_labels(manifest) or ()
    label = missing_as_none(row.get("label"))
    return RunSide(
        run_id=str(manifest.get("run_id", run_dir.name)),
        label=None if label is None else str(label),
        label_source=str(row.get("label_source", "model")),
        confidence=float(row.get("confidence", float("nan"))),
        probabilities={name: float(row[f"prob_{name}"]) for name in labels
                       if f"prob_{name}" in row and row[f"prob_{name}"] is not None})


def _votes(run_dir: Path, manifest: dict[str, Any], index: int, item_id: str,
           renamed: dict[str, str]) -> dict[str, str]:
    """The item's vote of each LF of the run (label names, ``abstain`` for none), each LF
    under its name in run a (``renamed``: run b's name -> run a's)."""
    labels = manifest_labels(manifest) or ()
    row = matrix_row(run_dir, index, item_id)
    return {renamed.get(name, name): (labels[code] if isinstance(code, int)
                                      and 0 <= code < len(labels) else ABSTAIN)
            for name, code in row.items() if name != "id"}


def _lf_names(manifest: dict[str, Any]) -> list[str]:
    return [str(lf["name"]) for lf in manifest.get("labeling_functions") or [] if lf.get("name")]


def item_beside(item_id: str, run_a: Path, run_b: Path) -> ItemBeside:
    """``item_id`` in ``run_a`` and ``run_b`` (see the module); an
    :class:`~labelwright.errors.UnknownItemError` when run b does not hold it."""
    a, b = read_manifest(run_a), read_manifest(run_b)
    row_b, index_b = item_row(run_file(run_b, LABELS_FILE, "labels"), item_id)
    side_b = _side(run_b, b, row_b)
    try:
        row_a, index_a = item_row(run_file(run_a, LABELS_FILE, "labels"), item_id)
    except UnknownItemError:
        return ItemBeside(item_id, None, side_b)
    side_a = _side(run_a, a, row_a)
    names_a, names_b = _lf_names(a), _lf_names(b)
    renamed_lfs = lf_renames(run_a, a, run_b, b, [n for n in names_a if n not in names_b],
                             [n for n in names_b if n not in names_a])
    then = _votes(run_a, a, index_a, item_id, {})
    now = _votes(run_b, b, index_b, item_id, {new: old for old, new in renamed_lfs})
    votes = [(lf, then.get(lf, ABSTAIN), now.get(lf, ABSTAIN)) for lf in sorted({*then, *now})
             if then.get(lf, ABSTAIN) != now.get(lf, ABSTAIN)]
    codes = code_change(a, b)
    beside = ItemBeside(item_id, side_a, side_b, votes,
                        upgraded=code_changed_text(side_a.run_id, codes) if codes else "")
    if side_a.label == side_b.label:
        return beside
    flips = _flip_row(item_id, row_a, row_b)
    causes = flip_causes(flips, (run_a, run_b), (a, b),
                         texts_compared=texts_compared((a, b), (row_a, row_b)),
                         lf_renames=renamed_lfs, label_renames=label_renames(a, b),
                         refit=refit_on_reviews((a, b), (_reviewed(run_a), _reviewed(run_b))))
    beside.cause = causes.causes[0]
    beside.near_tie = bool(near_tied(flips, (run_a, run_b), (a, b))[0])
    return beside


def _reviewed(run_dir: Path) -> pd.DataFrame:
    """The columns of the run's labels that tell which items the label model fit on as
    reviewed (:func:`~labelwright.runs.diff.flip_causes.reviewed_fit_changed`)."""
    path = run_file(run_dir, LABELS_FILE, "labels")
    present = set(pq.read_schema(path).names)
    return pd.read_parquet(path, columns=[c for c in ("id", "label", "label_source")
                                          if c in present])


def _flip_row(item_id: str, row_a: dict[str, Any], row_b: dict[str, Any]) -> pd.DataFrame:
    """The item's rows of the two runs' labels joined as ``runs diff`` joins them (suffixes
    ``_a`` / ``_b``, no label as ``(none)``)."""
    joined: dict[str, Any] = {"id": item_id}
    for suffix, row in (("_a", row_a), ("_b", row_b)):
        for column, value in row.items():
            if column != "id":
                joined[f"{column}{suffix}"] = value
        label = missing_as_none(row.get("label"))
        joined[f"label{suffix}"] = NO_LABEL if label is None else str(label)
    return pd.DataFrame([joined])
