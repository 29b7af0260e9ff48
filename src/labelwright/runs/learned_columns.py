"""The label model's learned numbers per LF as columns of the LF table.

Kept apart from :mod:`labelwright.runs.outputs`, which writes a run and imports the
whole pipeline, so that reading a run (the report) does not import spaCy.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: the learned per-LF numbers as columns of the LF table (lf_summary.csv, the report); a
#: run's lf_summary.csv has its own ``learned_accuracy`` (:func:`learned_table`), a run
#: from before it had one takes the manifest's
LEARNED_COLUMNS = {"lf_accuracies": "learned_accuracy", "lf_weights": "learned_weight"}


def with_learned(table: pd.DataFrame, learned: dict[str, Any]) -> pd.DataFrame:
    """The LF table with the label model's learned accuracy and weight of each LF
    (``learned``: as :mod:`labelwright.runs.outputs` records them in the manifest), where the
    model has them; empty for an LF that never voted, whose number is its prior."""
    table = table.copy()
    for key, column in LEARNED_COLUMNS.items():
        numbers = learned.get(key)
        if isinstance(numbers, dict) and numbers:
            table[column] = [numbers.get(name, np.nan) for name in table["lf"]]
            if "coverage" in table.columns:
                table.loc[table["coverage"] == 0, column] = np.nan
    return table
