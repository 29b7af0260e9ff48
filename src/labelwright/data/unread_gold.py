"""A column that looks like gold labels while no gold column is set: its labels are never
read, so a run measures no accuracy (``evaluation`` empty, no word of why). A notebook's
frame, or a project made with ``init --no-example`` (whose ``gold_column`` line is a
comment), passes such a column often; a warning names it and the setting that reads it."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

#: column names (lowercased) that say "gold labels"; a name holding "gold" counts too
GOLD_NAMES = frozenset({"label", "labels", "y", "target", "class"})


def unread_gold_warnings(frame: pd.DataFrame, labels: Sequence[str], source: str
                         ) -> list[str]:
    """One warning per column named like gold labels whose every value is a label or
    missing (at least one a label), in a dataset read with no gold column; a column of
    lists or dicts (several labels a row) is not one."""
    out = []
    for column in frame.columns:
        name = str(column)
        if "gold" not in name.lower() and name.lower() not in GOLD_NAMES:
            continue
        values = frame[column].dropna()
        if values.empty:
            continue
        try:
            found = set(values.unique().tolist())
        except TypeError:  # lists or dicts (a multi-label column): not one label a row
            continue
        if not found <= set(labels):
            continue
        out.append(f"{source}: column {name!r} holds labels ({values.size:,} rows) but no "
                   f"gold column is set, so they are not read and no accuracy is measured: "
                   f"set [data] gold_column = {name!r} (dataset_from_frame's "
                   f"gold_column={name!r}) to measure it on them")
    return out
