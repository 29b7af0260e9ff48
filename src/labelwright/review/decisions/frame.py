"""The review ledger as a pandas DataFrame: :func:`review_decisions`, for a notebook or a
script that wants the decisions themselves (who labelled what, when, from which file),
read-only, as ``review stats`` and ``explain`` read the ledger."""

from __future__ import annotations

from dataclasses import astuple, fields
from pathlib import Path

import pandas as pd

from labelwright.config.loading import find_project_root
from labelwright.errors import ReviewError
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
    columns) when nothing was imported yet.

    ``root``: the project folder (or a folder inside it, as ``load_project`` takes one), or
    the ledger file itself; a folder in no project is a ConfigError, and another file a
    ReviewError (both had read as a ledger with nothing imported: an empty frame)."""
    path = ledger_file(root)
    decisions = ledger.read_decisions(path)
    gone = retired(read_retirements(path)) if decisions else {}
    rows = [(*astuple(d), d.rater, k in gone, str(gone[k]) if k in gone else None)
            for k, d in enumerate(decisions) if include_retired or k not in gone]
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["blind"] = frame["blind"].astype(object)
    for column in ("shown_chars", "text_chars"):  # None (the whole text): <NA>, not NaN
        frame[column] = frame[column].astype("Int64")
    return frame


def ledger_file(root: str | Path) -> Path:
    """The review ledger ``root`` names: the ledger file itself, or the one of the project
    at or above the folder ``root`` (which need not exist yet: nothing imported)."""
    path = Path(root)
    if path.is_file():
        if path.suffix.lower() not in (".sqlite", ".db", ".sqlite3"):
            raise ReviewError(f"{path}: not a review ledger; pass the project folder, or its "
                              f"ledger, {ledger.LEDGER_NAME}")
        return path
    if (path / ledger.LEDGER_NAME).is_file():
        return ledger.ledger_path(path)
    return ledger.ledger_path(find_project_root(path))
