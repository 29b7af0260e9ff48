"""What ``explain`` points out about the files it reads: a decision exported from a run
whose folder is gone, a row of ``labels.parquet`` that contradicts itself (edited by
hand), and LF modules added, removed or edited since the run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from labelwright.runs.pruned import read_pruned
from labelwright.runs.store import RUN_ID

if TYPE_CHECKING:
    import pandas as pd


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


def row_contradictions(row: dict[str, Any], path: Path) -> list[str]:
    """A warning naming what an item's row of ``labels.parquet`` at ``path`` says against
    itself, as a run never writes it ([] when the row is consistent): ``explain``'s line,
    from :func:`contradicting_rows`."""
    import pandas as pd

    found = contradicting_rows(pd.DataFrame([row]))
    if not found:
        return []
    return [f"{path}: this item's row contradicts itself ({found[0][1]}), as a run never "
            "writes it: the row was edited since the run; `labelwright runs verify` checks "
            "the file's hash"]


def contradicting_rows(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The rows of a run's ``labels.parquet`` (read whole, or its ``id``, ``label``,
    ``label_source``, ``model_label``, ``confidence`` and ``prob_*`` columns) that say
    something against themselves, as a run never writes a row, each as (its id, what it
    says: ``label 'account' with label_source 'model', but model_label 'billing'``), in
    file order: a label from the model that is not the model's label, or a confidence that
    is not the probability of the label. ``explain`` (:func:`row_contradictions`),
    ``runs verify``, ``export`` and ``train`` all ask this, so a label edited by hand (and
    the file's hash in the manifest with it) is told the same way by each.

    A file without a ``model_label`` column is of the older layout, which kept the label
    model's probabilities on a reviewed row (the current one puts the reviewed label's
    there, and the model's own label and confidence in ``model_label`` and
    ``model_confidence``): its reviewed rows only need confidence 1, the reviewed label's."""
    found = _contradictions(frame)
    ids = frame["id"] if "id" in frame else None  # an id as text, for the rows found only
    return [(str(ids.iloc[k] if ids is not None else frame.index[k]), said)
            for k, said in found]


def _contradictions(frame: pd.DataFrame) -> list[tuple[int, str]]:
    """:func:`contradicting_rows`, each row by its position in ``frame``."""
    import numpy as np
    import pandas as pd

    if "label" not in frame or not len(frame):
        return []
    label = frame["label"].astype(object)
    has = label.notna().to_numpy() & (label.astype(str) != "<NA>").to_numpy()
    text = label.astype(str)
    source = (frame["label_source"].astype(object).astype(str) if "label_source" in frame
              else pd.Series("", index=frame.index))
    model = "model_label" in frame
    off_model = ((source == "model").to_numpy() & has
                 & (text != frame["model_label"].astype(object).astype(str)).to_numpy()
                 if model else np.zeros(len(frame), dtype=bool))
    older_review = (source == "review").to_numpy() & (not model)
    prob = np.full(len(frame), np.nan)
    for name in text[has].unique():
        rows = has & (text == name).to_numpy()
        if f"prob_{name}" in frame:
            prob[rows] = pd.to_numeric(frame[f"prob_{name}"], errors="coerce").to_numpy(
                dtype=float)[rows]
    prob[older_review & has] = 1.0
    confidence = (pd.to_numeric(frame["confidence"], errors="coerce").to_numpy(dtype=float)
                  if "confidence" in frame else np.full(len(frame), np.nan))
    off_prob = ~np.isnan(prob) & ~np.isnan(confidence) & (np.abs(confidence - prob) > 1e-9)
    found = []
    for k in np.flatnonzero(off_model | off_prob):
        said = []
        if off_model[k]:
            said.append(f"label {label.iloc[k]!r} with label_source 'model', but model_label "
                        f"{frame['model_label'].iloc[k]!r}")
        if off_prob[k]:
            said.append(f"confidence {confidence[k]:.4f} for the reviewed label "
                        f"{label.iloc[k]!r}, where a review gives 1" if older_review[k] else
                        f"confidence {confidence[k]:.4f} for label {label.iloc[k]!r}, but "
                        f"prob_{text.iloc[k]} {prob[k]:.4f}")
        found.append((int(k), "; ".join(said)))
    return found


#: the ``labels.parquet`` columns :func:`contradicting_rows` reads (and each ``prob_*``),
#: but for ``id``: read only for the rows found
ROW_COLUMNS = ("label", "label_source", "model_label", "confidence")


def labels_file_contradictions(path: Path) -> list[tuple[str, str]]:
    """:func:`contradicting_rows` of the ``labels.parquet`` at ``path``, reading only the
    columns it needs (the ``id`` column only when a row contradicts itself: a million ids
    as text took longer than the check); a :class:`~labelwright.errors.RunError` when it
    cannot be read."""
    import pyarrow.parquet as pq

    from labelwright.runs.store import read_labels_table

    try:
        names = pq.read_schema(path).names
    except Exception:  # noqa: BLE001 - read_labels_table below says why
        names = []
    columns = [*ROW_COLUMNS, *(n for n in names if n.startswith("prob_"))]
    frame = read_labels_table(path, columns).to_pandas()
    found = _contradictions(frame)
    if not found or "id" not in names:
        return [(str(frame.index[k]), said) for k, said in found]
    ids = read_labels_table(path, ["id"]).take([k for k, _ in found]).to_pandas()["id"]
    return [(str(ids.iloc[j]), said) for j, (_, said) in enumerate(found)]


def contradicting_rows_line(found: list[tuple[str, str]], shown: int = 3) -> str:
    """``runs verify``'s, ``export``'s and ``train``'s words on the rows
    :func:`contradicting_rows` found (the first ``shown`` of them)."""
    from labelwright.counts import counted, some_of

    return (f"{counted(len(found), 'row')} contradict{'s' if len(found) == 1 else ''} "
            f"{'itself' if len(found) == 1 else 'themselves'}, as a run never writes a row ("
            + some_of([f"{item!r}: {said}" for item, said in found], shown, clauses=True)
            + "): edited since the run, with the file's hash in the manifest (a manifest "
            "rewritten so is told by `runs verify --manifest-sha256`)")


def refuse_contradicting_rows(run_dir: Path, frame: pd.DataFrame, *, so: str) -> None:
    """A :class:`~labelwright.errors.RunError` when rows of the run's ``labels.parquet``
    (``frame``, as :func:`~labelwright.runs.store.run_labels` read it: its hash matched the
    manifest's) contradict themselves (:func:`contradicting_rows`): labels edited by hand,
    the manifest's hash with them, which a command building on the run's labels (``export``,
    ``train``) must not pass off as the run's. ``so``: what the command then does not do
    (``"no training set is written"``)."""
    from labelwright.errors import RunError
    from labelwright.runs.file_names import LABELS_FILE

    found = contradicting_rows(frame)
    if found:
        raise RunError(f"{run_dir}: {LABELS_FILE}: {contradicting_rows_line(found)}; its "
                       f"labels are not the run's, so {so} (`labelwright runs verify` checks "
                       "the whole run; run `labelwright run` again for labels that are)")


def module_changes(then: dict[str, str], now: dict[str, str]) -> str:
    """``added since: x.py; edited: y.py``: the LF modules the run did not have, those it had
    that are gone, and those whose hash differs ("" when none)."""
    parts = [(what, sorted(names)) for what, names in (
        ("added", set(now) - set(then)), ("removed", set(then) - set(now)),
        ("edited", {n for n in set(then) & set(now) if then[n] != now[n]}))]
    return "; ".join(f"{what} {', '.join(names)}" for what, names in parts if names)
