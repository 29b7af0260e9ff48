"""Which items a changed ``labels.parquet`` (or ``label_matrix.parquet``) lost, gained or
moved, told from the other of the two when that one is as the run wrote it.

A run writes both files with one row per item in the same order, and hashes both. A
changed file said only ``changed since the run wrote it (sha256 ... -> ...)``: an auditor
asking whether a row was deleted (an item's label lost) or a value edited had to compare
the files by hand. The intact file's ``id`` column says which items the run labeled, and in
which order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from labelwright.counts import counted, some_of
from labelwright.runs.file_names import LABELS_FILE, MATRIX_FILE

#: each file, and the other one whose ids it is compared with
PAIRS = {LABELS_FILE: MATRIX_FILE, MATRIX_FILE: LABELS_FILE}


def _ids(path: Path) -> list[str] | None:
    """The ``id`` column of a run's Parquet file, as text; None when it cannot be read."""
    import pyarrow.parquet as pq

    try:
        return [str(i) for i in pq.read_table(path, columns=["id"]).column("id").to_pylist()]
    except Exception:  # noqa: BLE001 - pyarrow raises several unrelated types
        return None


def rows_detail(run_dir: Path, manifest: dict[str, Any], name: str) -> str | None:
    """What the changed file ``name`` (``labels.parquet`` or ``label_matrix.parquet``)
    holds against the other file's items, when that one is as the run wrote it: items
    gone from it, items it holds that the run did not label, the run's items in another
    order, or the run's items in its order (a value edited); None when the other file is
    changed or missing too, or either cannot be read."""
    from labelwright.runs.store import changed_output

    other = PAIRS.get(name)
    if other is None or changed_output(run_dir, manifest, other) is not None:
        return None
    now, run = _ids(run_dir / name), _ids(run_dir / other)
    if now is None or run is None:
        return None
    held, labeled = set(now), set(run)
    gone = [i for i in run if i not in held]
    added = [i for i in now if i not in labeled]
    parts = []
    if gone:
        parts.append(f"{counted(len(gone), 'item')} the run labeled gone from it "
                     f"({some_of(gone)})")
    if added:
        parts.append(f"{counted(len(added), 'item')} the run did not label in it "
                     f"({some_of(added)})")
    if len(now) != len(held):
        parts.append(f"{counted(len(now) - len(held), 'row')} repeating an item")
    if not parts:
        parts.append("the run's items in another order" if now != run else
                     "the run's items in the run's order, so a value in some row was "
                     "edited" + _contradicting(run_dir / name))
    return f"against {other}, which is as the run wrote it: {'; '.join(parts)}"


def _contradicting(path: Path, shown: int = 3) -> str:
    """For ``labels.parquet``, the rows that contradict themselves as a run never writes
    one (:func:`~labelwright.runs.explain.checks.contradicting_rows`), as words to add;
    "" when none does (an edit that kept the row consistent) or the file is the matrix."""
    from labelwright.errors import RunError
    from labelwright.runs.explain.checks import labels_file_contradictions

    if path.name != LABELS_FILE:
        return ""
    try:
        found = labels_file_contradictions(path)
    except RunError:
        return ""
    if not found:
        return ""
    rows = some_of([f"{item!r}: {said}" for item, said in found], shown, clauses=True)
    return f" ({counted(len(found), 'row')} that contradict{'s' if len(found) == 1 else ''} " \
           f"{'itself' if len(found) == 1 else 'themselves'}: {rows})"
