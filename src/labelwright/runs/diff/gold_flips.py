"""Why gold items lost their right label between two runs, ranked (the accuracy-drop warning).

The warning that accuracy on gold fell had closed with the same advice whatever the cause
(undo a ``[label_model]`` setting, or retire reviews), also when an edited glossary had
stopped voting on the items that went wrong. Here each flipped gold item whose label was
right in run a and is not in run b is put down to what :mod:`~.flip_causes` found for it:
each LF whose vote on it changed (an item counts for each), the label model (the same
votes), a review, a text change, or a cause not known; the causes are ranked by how many
items each explains.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from labelwright.runs.diff.flip_causes import (
    MODEL,
    MODEL_UNKNOWN_TEXT,
    REVIEW,
    TEXT,
    FlipCauses,
)

#: the kinds of cause, as :class:`GoldFlips` names them
LF, LABEL_MODEL, REVIEWS, TEXTS, UNKNOWN = "LF", "label model", "reviews", "text", "not known"
#: every other flip cause (a matrix that cannot be read, a manifest listing no LFs, a
#: rename) is :data:`UNKNOWN`, named by its cause: no item that went wrong goes uncounted
_KINDS = {MODEL: LABEL_MODEL, MODEL_UNKNOWN_TEXT: LABEL_MODEL, REVIEW: REVIEWS, TEXT: TEXTS}


@dataclass(frozen=True)
class GoldFlips:
    """Gold items right in run a and not in run b, and what explains them."""

    items: int = 0
    #: (kind, LF name, the flip cause for :data:`UNKNOWN`, or "", items it explains), most
    #: first; an item whose votes changed counts once for each LF whose vote on it changed
    causes: list[tuple[str, str, int]] = field(default_factory=list)


def gold_flips(flips: pd.DataFrame, causes: FlipCauses) -> GoldFlips:
    """:class:`GoldFlips` of ``flips`` (the two runs' labels joined on id where they
    differ, with ``gold_a`` / ``gold_b``) and their :func:`~.flip_causes.flip_causes`."""
    gold_column = next((c for c in ("gold_b", "gold_a") if c in flips.columns), None)
    if gold_column is None or not len(flips):
        return GoldFlips()
    known = flips[gold_column].notna().to_numpy(dtype=bool)
    gold = flips[gold_column].astype(object).where(known, None).to_numpy()
    then, now = (flips[c].astype(object).to_numpy() for c in ("label_a", "label_b"))
    lost = known & (then == gold) & (now != gold)
    counts: Counter[tuple[str, str]] = Counter()
    for k in np.flatnonzero(lost):
        if votes := causes.votes(int(k)):
            counts.update({(LF, lf) for lf, _, _ in votes})
        elif (kind := _KINDS.get(causes.causes[k])) is not None:
            counts[(kind, "")] += 1
        else:  # the cause says why it is not known
            counts[(UNKNOWN, causes.causes[k])] += 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return GoldFlips(int(lost.sum()), [(kind, name, n) for (kind, name), n in ranked])
