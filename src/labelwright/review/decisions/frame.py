"""The review ledger as a pandas DataFrame: :func:`review_decisions`, for a notebook or a
script that wants the decisions themselves (who labelled what, when, from which file),
read-only, as ``review stats`` and ``explain`` read the ledger."""

from __future__ import annotations

from dataclasses import astuple, fields
from pathlib import Path

import pandas as pd

from labelwright.review.decisions import ledger
from labelwright.review.decisions.retirements import read_retirements, retired

#: the columns, in order: each decision's ledger fields, then ``rater`` (the tool's
#: annotator when the file names one, else the reviewer), ``retired`` and, for a retired
#: decision, ``retired_note`` (when, by whom, why)
COLUMNS = (*(f.name for f in fields(ledger.Decision)), "rater", "retired", "retired_note")


def review_decisions(root: str | Path = ".", *, include_retired: bool = True) -> pd.DataFrame:
    """Every decision in the project's review ledger (``reviews.sqlite``), oldest first, one
    row each (:data:`COLUMNS`; ``blind`` is True, False or None: not known;
    ``shown_chars`` and ``text_chars``, for a decision made on a cut text, how many
    characters of how many its reviewer saw, else <NA>). A retired
    decision (``labelwright review retire``) is marked ``retired`` with its note, or left
    out with ``include_retired=False``; runs do not use it. An empty frame (with the
    columns) when nothing was imported yet."""
    path = ledger.ledger_path(Path(root))
    decisions = ledger.read_decisions(path)
    gone = retired(read_retirements(path)) if decisions else {}
    rows = [(*astuple(d), d.rater, k in gone, str(gone[k]) if k in gone else None)
            for k, d in enumerate(decisions) if include_retired or k not in gone]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["blind"] = frame["blind"].astype(object)
    for column in ("shown_chars", "text_chars"):  # None (the whole text): <NA>, not NaN
        frame[column] = frame[column].astype("Int64")
    return frame
