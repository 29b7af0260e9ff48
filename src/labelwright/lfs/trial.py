"""What ``check``'s trial of the LFs needs beyond an apply: an LF that returns what is no
vote is set aside where it does so, not by stopping the apply (which applied every LF again
from the start for each such LF: a printing LF printed the items once per bad vote, a slow
one cost as often), and LFs whose votes change when applied again are named."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from labelwright.errors import BadVoteError
from labelwright.lfs.core import LabelingFunction
from labelwright.lfs.literal_votes import return_site
from labelwright.lfs.vote_codes import VoteCoder

#: item ids a warning of changing votes names
_SHOWN = 3


class BadVotes:
    """The first vote that is not one of each LF (``errors``, by LF name), seen by the
    LFs :meth:`guarded` wraps; after it the LF abstains."""

    def __init__(self, labels: Sequence[str]) -> None:
        self.coder = VoteCoder(labels)
        self.errors: dict[str, BadVoteError] = {}

    def guarded(self, lf: LabelingFunction) -> LabelingFunction:
        """``lf``, abstaining from its first return that is no vote on (the error kept)."""
        if lf.kind == "glossary":  # votes the glossary's label: always a vote
            return lf
        func, errors, coder = lf.func, self.errors, self.coder

        def guarded(item: Any, **resources: Any) -> Any:
            value = func(item, **resources)
            if lf.name in errors:
                return None
            if coder.vote(value) is not None:
                return value
            # the return that gave it, as the run cites it (called again: once per LF)
            where = return_site(lf, value, lambda again: func(again, **resources), item)
            errors[lf.name] = coder.refused(value, lf, f"for item {item.id!r}", where)
            return None

        return replace(lf, func=guarded)


def changing_votes(names: Sequence[str], ids: Sequence[str], first: np.ndarray,
                   again: np.ndarray, locations: dict[str, str],
                   skip: set[str]) -> list[str]:
    """A warning for each LF (but those of ``skip``) whose votes on the items ``ids``
    differ between two applies (``first``, ``again``: votes by item and LF, in one order)."""
    warnings = []
    for j, name in enumerate(names):
        if name in skip:
            continue
        differ = np.flatnonzero(first[:, j] != again[:, j])
        if not len(differ):
            continue
        shown = ", ".join(repr(ids[i]) for i in differ[:_SHOWN])
        warnings.append(
            f"LF {name} ({locations[name]}) voted otherwise when applied again to the same "
            f"items in another order (on {len(differ)} of the {len(ids)} items tried, e.g. "
            f"{shown}): its votes depend on the items it saw before (random, a counter, a memo "
            "of earlier items), not on the item alone; a run's vote cache keeps the votes of the "
            "first run it computed for good. Make it depend on the item only (for a sample: "
            "random.Random(item.id))")
    return warnings
