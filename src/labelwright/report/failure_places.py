"""Where the items a run's LFs raised on came from, for the report's failure lines: each
placed in its file (and part) and row, as ``explain`` places an item."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from labelwright.report.item_rows import rows_of


def failure_places(run_dir: Path, manifest: dict[str, Any],
                   ids: Sequence[str] | Callable[[], Sequence[str]]) -> dict[str, str]:
    """``{id: "id (file row N)"}`` for the first items the run's LFs raised on, placed by
    their position among ``ids`` (the run's items in order) as ``explain`` places an item
    (:func:`~labelwright.runs.item_origin.item_origin`): the report said only the ids, so a
    reader of a dataset in many files searched every part for them. An id the run cannot
    place (a DataFrame's) is left as it is. ``ids`` may be a function that gives them,
    called only when an LF raised: a run's every id as text is some 60 bytes an item."""
    from labelwright.runs.item_origin import item_origin

    wanted = {str(i) for record in (manifest.get("failures") or {}).values()
              if isinstance(record, dict) for i in record.get("item_ids") or ()}
    if not wanted:
        return {}
    named = sorted(wanted)
    places = {}
    every = ids() if callable(ids) else ids
    for item, position in zip(named, rows_of(every, named).tolist()):
        origin = item_origin(run_dir, manifest, position) if position >= 0 else None
        if origin is not None:
            places[item] = f"{item} ({origin})"
    return places
