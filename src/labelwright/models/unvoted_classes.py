"""Classes no LF votes for: a label model learns nothing of them (their probability comes
from the class prior alone), which a Python caller of ``fit`` is told
(:func:`unvoted_classes_warning`); a project's run says it in its coverage warnings and the
bench in its notes on the data."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from labelwright.models.input_warnings import NoVotesWarning as NoVotesWarning
from labelwright.models.input_warnings import UnvotedClassWarning as UnvotedClassWarning


def unvoted_classes_warning(L: np.ndarray, cardinality: int,
                            labels: Sequence[str] = ()) -> str | None:
    """The warning for the classes no LF votes for in ``L`` (checked ints), named by
    ``labels`` when given (else ``class 0``, ...); None when every class gets a vote, or
    no LF voted at all (then nothing is learned of any class)."""
    voted = np.zeros(cardinality, dtype=bool)
    values = np.unique(L)
    voted[values[values >= 0]] = True
    if voted.all() or not voted.any():
        return None
    names = list(labels) if len(labels) == cardinality else [
        f"class {c}" for c in range(cardinality)]
    silent = [names[c] for c in np.flatnonzero(~voted)]
    one = len(silent) == 1
    return (f"{', '.join(silent)} {'gets' if one else 'get'} no vote from any LF: the model "
            f"learns nothing of {'it' if one else 'them'}, and predicts "
            f"{'it' if one else 'them'} only where the class prior wins (items without a "
            f"vote); add an LF that votes {'it' if one else 'each'}, or check that the votes "
            f"use 0..{cardinality - 1} for the classes (-1 = abstain)")


def no_votes_warning(L: np.ndarray) -> str | None:
    """The warning for a label matrix ``L`` (checked ints) in which every entry is -1
    (abstain): a fit on it learns nothing and had predicted the class prior for every item
    without a word (coin flips between equal classes); None when any LF voted."""
    if (L >= 0).any():
        return None
    return (f"no LF voted on any of the {L.shape[0]} items (every entry of the label matrix "
            "is -1, abstain): the model learns nothing, and gives every item the class "
            "prior, its ties broken by tie_break; check that the LFs were applied to these "
            "items and that their votes use 0..k-1 for the classes")
