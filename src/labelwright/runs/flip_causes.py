"""Why each flipped label flipped between two runs, item by item (``runs diff``).

Each flip gets the first of these that holds:

- ``label renamed``: run b's ``[project] renamed`` gives run a's label a new name;
- ``text changed``: the item's text hash differs (:mod:`labelwright.runs.item_texts`);
- ``review``: the label in either run is a reviewed one (a review, or a copy's);
- ``votes changed``: an LF voted otherwise on the item (an LF in one run only counts where
  it voted), with the same text;
- ``label model``: the same text and votes, no review: the label model read them otherwise
  (its settings, its class balance, or its fit on the other items moved).

When a run recorded no text hashes, "the same text" is not known and the causes say so;
when a label matrix cannot be read, the flips neither a text change nor a review explains
are ``not known``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from labelwright.errors import RunError
from labelwright.review.copy_reviews import REVIEWED_SOURCES
from labelwright.runs.item_texts import changed_texts
from labelwright.runs.label_effects import run_votes

RENAMED, TEXT, REVIEW = "label renamed", "text changed", "review"
VOTES, MODEL = "votes changed (same text)", "label model (same text and votes)"
#: the last two when a run recorded no text hashes: the text is not known to be the same
VOTES_UNKNOWN_TEXT, MODEL_UNKNOWN_TEXT = "votes changed", "label model (same votes)"
NOT_KNOWN = "not known (a label matrix cannot be read)"


def flip_causes(flips: pd.DataFrame, runs: tuple[Path, Path],
                manifests: tuple[dict[str, Any], dict[str, Any]], *,
                texts_compared: bool, lf_renames: list[tuple[str, str]],
                label_renames: dict[str, str]) -> list[str]:
    """The cause of each row of ``flips`` (two runs' labels joined on id, suffixes ``_a``
    and ``_b``, where the labels differ), in its order."""
    causes = np.full(len(flips), "", dtype=object)
    if not len(flips):
        return []
    renamed = np.array([label_renames.get(a) == b for a, b in
                        zip(flips["label_a"], flips["label_b"])], dtype=bool)
    causes[renamed] = RENAMED
    causes[(causes == "") & changed_texts(flips)] = TEXT
    reviewed = np.zeros(len(flips), dtype=bool)
    for column in ("label_source_a", "label_source_b"):
        if column in flips.columns:
            reviewed |= np.asarray(flips[column].isin(REVIEWED_SOURCES), dtype=bool)
    causes[(causes == "") & reviewed] = REVIEW
    rest = causes == ""
    if rest.any():
        ids = flips["id"][rest].astype(str).tolist()
        try:
            moved = _votes_moved(ids, runs, manifests, lf_renames)
        except RunError:
            causes[rest] = NOT_KNOWN
        else:
            votes, model = (VOTES, MODEL) if texts_compared else (VOTES_UNKNOWN_TEXT,
                                                                  MODEL_UNKNOWN_TEXT)
            causes[rest] = np.where(moved, votes, model)
    return [str(c) for c in causes]


def counted_causes(causes: list[str]) -> dict[str, int]:
    """``{cause: flips}``, commonest first."""
    return dict(sorted(Counter(causes).items(), key=lambda kv: (-kv[1], kv[0])))


def _votes_moved(ids: list[str], runs: tuple[Path, Path],
                 manifests: tuple[dict[str, Any], dict[str, Any]],
                 lf_renames: list[tuple[str, str]]) -> np.ndarray:
    """Per id of ``ids``: whether any LF's vote on it differs between the runs, by label
    name; an LF renamed between them compared under its name in run a, an LF in one run
    only as abstaining in the other. A :class:`RunError` when a matrix cannot be read."""
    frames = []
    for k, (run_dir, manifest) in enumerate(zip(runs, manifests)):
        lfs = [lf.get("name") for lf in manifest.get("labeling_functions") or []]
        votes = run_votes(run_dir, manifest, [str(lf) for lf in lfs if lf], ids=ids)
        votes = votes.set_index("id")
        if k == 1:  # a renamed LF under its name in run a
            votes = votes.rename(columns={new: old for old, new in lf_renames})
        frames.append(votes)
    a, b = frames
    lfs = sorted({*a.columns, *b.columns})
    a, b = (f.reindex(index=pd.Index(ids, name="id"), columns=lfs) for f in (a, b))
    same = (a == b) | (a.isna() & b.isna())
    return ~np.asarray(same.all(axis=1), dtype=bool)
